"""intake's measurement of a sheet's extent, which guards the dense-grid reader: exact, never low."""

import pytest

from validator.intake import _ROW, _widest


@pytest.mark.parametrize("xml, widest", [
    (b'<row r="1"><c r="A1"/><c r="G1"/></row>', 7),
    (b'<row r="9"><c r="Z9"/></row>', 26),
    (b'<c r="AB5"/><c r="Z1"/>', 28),
    (b'<c r="ZZ5"/>', 702),
    (b'<c r="XFD1048576"/>', 16384),
    (b'<x:c r="C3" s="1"/>', 3),
    (b'<sheetData/>', 0),
])
def test_widest_column(xml, widest):
    assert _widest(xml) == widest


def test_row_numbers_are_found_in_any_attribute_order():
    xml = b'<row spans="1:3" r="12"><c r="A12"/></row><x:row ht="15" r="1048576"/>'
    assert [int(r) for r in _ROW.findall(xml)] == [12, 1048576]
