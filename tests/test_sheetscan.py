"""sheetscan.strings: a sheet's shared-string cells, read the quick way where the sheet is spelt as
Excel and WPS spell it, and the general way otherwise — with the same answer either way; and the
reader's archive intake writes: in memory while small, else a file with no name."""

import tempfile

import pytest

from validator.read import sheetscan, zipview
from validator.read.gate import inspect
from validator.read.grid import read_grids
from validator.read.intake import Refused
from validator.read.refusals import describe

pytestmark = pytest.mark.usefixtures("intake_path")  # every case on both paths (conftest)

TABLE = b"<sst><si><t>case 2024-0001</t></si><si><t>fine</t></si><si><t>y</t></si></sst>"
SIZES = [30, 20, 23]  # the bytes of each item, the last to the end of the table
PER_ROW = sum(SIZES)  # each row names the three strings


def _register(rows: int, spell=lambda index: b't="s"><v>%d</v>' % index) -> bytearray:
    """A register sheet of `rows` rows, each naming strings 0, 1 and 2, spelt by `spell`."""
    cells = (
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" %s</c><c r="C%d" %s</c><c r="D%d" %s</c></row>'
        % (r, r, r, r, spell(0), r, spell(1), r, spell(2))
        for r in range(1, rows + 1)
    )
    return bytearray(b"<worksheet><sheetData>" + b"".join(cells) + b"</sheetData></worksheet>")


def test_the_tables_sizes_are_worked_out_when_first_asked_for():
    assert sheetscan.string_sizes(TABLE) == SIZES
    assert sheetscan.SharedStrings(TABLE).sizes == SIZES
    assert sheetscan.strings(_register(3, lambda index: b"><v>%d</v>" % index), sheetscan.SharedStrings()) == (
        sheetscan.Strings(None, 0)
    )


def test_a_sheet_as_excel_writes_it_is_read_the_quick_way_in_pieces():
    xml = _register(40_000)  # about 3 MB: read in several pieces
    assert len(list(sheetscan._row_pieces(xml))) > 2
    assert sheetscan._as_excel_writes(xml, SIZES) == sheetscan.Strings(None, 40_000 * PER_ROW)
    assert sheetscan.strings(xml, sheetscan.SharedStrings(TABLE)) == sheetscan.Strings(None, 40_000 * PER_ROW)


@pytest.mark.parametrize(
    "spell",
    [
        lambda index: b"t='s'><v>%d</v>" % index,
        lambda index: b't = "s"><v>%d</v>' % index,
        lambda index: b't="s" s="3"><v>%d</v>' % index,
        lambda index: b't="s"><v> %d </v>' % index,
    ],
    ids=["single quotes", "spaces around =", "t before another attribute", "spaces in the value"],
)
def test_any_other_spelling_is_read_the_general_way_to_the_same_answer(spell):
    xml = _register(500, spell)
    assert sheetscan._as_excel_writes(xml, SIZES) is None
    assert sheetscan.strings(xml, sheetscan.SharedStrings(TABLE)) == sheetscan.Strings(None, 500 * PER_ROW)


def test_an_index_past_the_table_is_named_whichever_way_the_sheet_is_read():
    xml = _register(30_000)
    xml = xml.replace(b"</sheetData>", b'<row r="30001"><c r="B30001" t="s"><v>3</v></c></row></sheetData>')
    assert sheetscan.strings(xml, sheetscan.SharedStrings(TABLE)) == sheetscan.Strings(("B30001", "3"), 0)


def test_a_text_that_spells_a_shared_string_cell_falls_back_rather_than_counts_wrong():
    xml = _register(10) + b'<t>t="s"</t>'  # one t="s" more than cells: the counts differ
    assert sheetscan._as_excel_writes(xml, SIZES) is None
    assert sheetscan.strings(xml, sheetscan.SharedStrings(TABLE)) == sheetscan.Strings(None, 10 * PER_ROW)


def test_a_small_readers_archive_stays_in_memory():
    from conftest import SAMPLES

    with inspect(str(SAMPLES / "clean.xlsx")) as inspection:
        assert not isinstance(inspection.source(), str)
        assert inspection.opened().read(2) == b"PK"


def test_a_large_readers_archive_is_a_file_with_no_name_in_the_temporary_folder(tmp_path, monkeypatch):
    from conftest import SAMPLES

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(zipview, "SPILL", 1000)  # as for a register of a million cases
    with inspect(str(SAMPLES / "clean.xlsx")) as inspection:
        assert inspection.source().startswith("/proc/self/fd/")
        with inspection.opened() as archive:
            assert archive.read(2) == b"PK"
        assert list(scratch.iterdir()) == []
        fast, slow = (read_grids(inspection, extractor) for extractor in ("calamine", "openpyxl"))
    assert fast[0].raw(1, 1) == slow[0].raw(1, 1) == "2024 年行政执法案件数据情况统计表"
    assert list(scratch.iterdir()) == []


def test_no_temporary_folder_is_a_refusal_saying_so(tmp_path, monkeypatch):
    from conftest import SAMPLES

    monkeypatch.setattr(zipview, "SPILL", 1000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))
    with pytest.raises(Refused) as refused:
        inspect(str(SAMPLES / "clean.xlsx"))
    assert describe(refused.value).render("zh") == (
        "无法在临时文件夹中写入读取用的副本(No such file or directory),未检查;请腾出临时文件夹(TMPDIR)的空间后再检查"
    )


VALIDATION = (
    b'<dataValidations><dataValidation type="whole" operator="greaterThanOrEqual" sqref="C7"/></dataValidations>'
)


@pytest.mark.parametrize(
    "cells, measured",
    [
        # an attribute whose name only ends in r (operator=) is no reference: nothing to measure
        (b'<row r="7"><c r="C7"><v>1</v></c></row>', 0),
        # a reference in a column of three letters, plain or prefixed after a first plain one, is
        (b'<row r="7"><c r="AAA7"><v>1</v></c></row>', 703),
        (b'<row r="7"><c r="C7" x:r="AAA7"><v>1</v></c></row>', 703),
    ],
)
def test_only_an_attribute_r_sends_a_sheet_to_be_measured(cells, measured):
    from validator.read.intake import Limits

    xml = b"<worksheet><sheetData>" + cells + b"</sheetData>" + VALIDATION + b"</worksheet>"
    assert sheetscan.measure(xml, Limits()).max_column == measured
