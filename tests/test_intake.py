"""intake's measurement of a sheet's extent, which guards the dense-grid reader: exact, never low."""

import math
import zipfile
from pathlib import Path

import pytest

from hostile_corpus import formula_never_calculated, stray_far_cell
from validator.intake import _ROW, Limits, Refused, SheetFacts, _measure, _most_inflated, _widest, inspect

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


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


# Small files are judged from their compressed sizes and only their sheets inflated; others are
# streamed member by member. Both paths must reach the same verdicts.
STREAMED = Limits(max_inflated_mb=1)  # the samples' compressed sizes × 1032 exceed 1 MB


def _recompressed(source: Path, target: Path, method: int) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", compression=method) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
    return target


def test_compressed_sizes_bound_what_deflate_can_inflate(tmp_path):
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as archive:
        members = archive.infolist()
        assert _most_inflated(members) == sum(m.compress_size for m in members) * 1032
    bzipped = _recompressed(SAMPLES / "clean.xlsx", tmp_path / "bzip2.xlsx", zipfile.ZIP_BZIP2)
    with zipfile.ZipFile(bzipped) as archive:
        assert _most_inflated(archive.infolist()) == math.inf


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_far_cell_is_caught_on_both_paths(tmp_path, limits):
    with pytest.raises(Refused) as caught:
        inspect(str(stray_far_cell(tmp_path)), limits)
    assert (caught.value.key, caught.value.params) == ("too_many_rows", {"sheet": "表1", "count": 1048576, "cap": 200_000})


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_uncalculated_formula_is_found_on_both_paths(tmp_path, limits):
    found = inspect(str(formula_never_calculated(tmp_path)), limits)
    assert found.uncached("表4") == {(6, 4)}


def test_a_member_compressed_without_a_bound_is_streamed_and_counted(tmp_path):
    path = tmp_path / "bzip2_bomb.xlsx"
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as original, zipfile.ZipFile(path, "w") as bomb:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            bomb.writestr(name, original.read(name))
        bomb.writestr("xl/media/image1.png", bytes(8 << 20), compress_type=zipfile.ZIP_BZIP2)
    limits = Limits(max_inflated_mb=4)
    with zipfile.ZipFile(path) as archive:  # were it DEFLATE, its size alone would prove it harmless
        assert sum(m.compress_size for m in archive.infolist()) * 1032 < 4 << 20
    with pytest.raises(Refused) as caught:
        inspect(str(path), limits)
    assert (caught.value.key, caught.value.params) == ("too_big", {"cap": 4})


def test_a_long_sheet_measured_piece_by_piece_keeps_its_widest_column():
    facts = SheetFacts("案件清单", "xl/worksheets/sheet5.xml")
    pieces = [b'<row r="1"><c r="A1"/><c r="G1"/></row>', b'<row r="2"><c r="C2"/></row>',
              b'<row r="3"><c r="AB3"/></row>', b'<row r="4"><c r="Z4"/></row>']
    seen = []
    for piece in pieces:
        _measure(piece, facts)
        seen.append((facts.max_row, facts.max_column))
    assert seen == [(1, 7), (2, 7), (3, 28), (4, 28)]
