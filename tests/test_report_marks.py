"""An annotated copy annotated again (report/marks.py): the unit fixes a red cell in the copy and
checks it once more; the new copy carries today's marks only — the fixed cell back to the unit's
own fill, no stale comment, one 审核结果 sheet, the 审核说明 rows of warnings now gone dropped — and
keeps what the unit added: its own fills, comments and explanations."""

import json

import openpyxl
from conftest import SAMPLES, edit_member, formcheck
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

UNIT_FILL = "FFCCFFCC"  # the light green a unit gives its input cells


def _findings(path) -> list:
    return sorted((f["rule"], f["cells"][0] if f["cells"] else "") for f in json.loads(
        formcheck("check", path, "--format", "json")[1])["findings"])  # fmt: skip


def _annotate(source, copy) -> openpyxl.Workbook:
    code, _, err = formcheck("check", source, "--annotate", copy)
    assert code in (0, 1), err
    return openpyxl.load_workbook(copy)


def _unit_return(workbook, tmp_path):
    """A return with an error (表4!E6: 2 filed, 0 transferred, as 表1 says) and a warning (表3!H6), which the unit
    had coloured and commented before any check."""
    path = workbook(
        {
            "forms.two_law_link.rows.0.criminal_filed": 2,
            "forms.support.rows.0.cert_dept": 40,
            "forms.support.rows.0.cert_comprehensive": 8,
        }
    )
    book = openpyxl.load_workbook(path)
    book["表4"]["E6"].fill = PatternFill("solid", fgColor=UNIT_FILL)
    book["表3"]["H6"].comment = Comment("含借调人员,待核", "张某")
    book["表1"]["C7"].comment = Comment("系统导出", "张某")
    book.save(path)
    return path


def test_an_annotated_copy_is_checked_as_the_return_it_is(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    _annotate(source, tmp_path / "copy.xlsx")
    assert _findings(tmp_path / "copy.xlsx") == _findings(source) == [("T3-STAFF", "表3!H6"), ("T4-5", "表4!E6")]


def test_annotating_again_replaces_our_marks_and_keeps_the_units(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    assert first["表4"]["E6"].fill.fgColor.rgb == "00FFC7CE"
    first["表4"]["E6"] = 0  # the unit's fix, typed into the red cell of the copy
    first.save(tmp_path / "fixed.xlsx")

    again = _annotate(tmp_path / "fixed.xlsx", tmp_path / "again.xlsx")
    fixed = again["表4"]["E6"]
    assert (fixed.fill.fgColor.rgb, fixed.comment) == (UNIT_FILL, None)
    related = again["表4"]["D6"].border.left  # its related cell: the template's thin border again
    assert (related.style, related.color) == ("thin", None)
    warning = again["表3"]["H6"]
    assert warning.fill.fgColor.rgb == "00FFEB9C"
    assert warning.comment.text.startswith("含借调人员,待核\n\n警告 T3-STAFF")
    assert warning.comment.text.count("T3-STAFF") == 1
    assert again["表1"]["C7"].comment.text == "系统导出"
    # 0 filed now, as 0 were transferred: the error gone, and no other rule broken
    assert again["审核结果"]["A1"].value.startswith("审核结果: 错误 0 项,警告 1 项")
    assert [s.title for s in again.worksheets].count("审核结果") == 1
    assert [s.title for s in again.worksheets].count("formcheck") == 1
    rows = list(again["审核说明"].iter_rows(min_row=3, values_only=True))
    assert rows == [("T3-STAFF", "表3!H6", None)]


def test_a_warning_put_right_leaves_no_empty_row(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    first["表3"]["H6"] = 20  # 持证 no more than 在编在岗 (26): the warning goes
    first.save(tmp_path / "fixed.xlsx")
    again = _annotate(tmp_path / "fixed.xlsx", tmp_path / "again.xlsx")
    assert list(again["审核说明"].iter_rows(min_row=3, values_only=True)) == []
    assert again["表3"]["H6"].comment.text == "含借调人员,待核"
    assert again["表3"]["H6"].fill.fgColor.rgb == "00000000"


def test_an_explanation_typed_in_the_copy_stays_and_counts(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    first["审核说明"]["C3"] = "含 14 名借调人员,已核实"
    first.save(tmp_path / "explained.xlsx")
    again = _annotate(tmp_path / "explained.xlsx", tmp_path / "again.xlsx")
    rows = list(again["审核说明"].iter_rows(min_row=3, values_only=True))
    assert rows == [("T3-STAFF", "表3!H6", "含 14 名借调人员,已核实")]
    assert again["表3"]["H6"].fill.fgColor.rgb == "00DDEBF7"
    assert again["表3"]["H6"].comment.text.count("已说明: 含 14 名借调人员") == 1


def test_a_copy_from_before_the_ledger_is_cleared_by_its_signature(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    del first["formcheck"]  # as formcheck wrote copies until now
    first["表4"]["E6"] = 0
    first.save(tmp_path / "old.xlsx")
    again = _annotate(tmp_path / "old.xlsx", tmp_path / "again.xlsx")
    fixed = again["表4"]["E6"]
    assert (fixed.fill.fgColor.rgb, fixed.comment) == ("00000000", None)
    assert again["表1"]["C7"].comment.text == "系统导出"


def test_a_crafted_ledger_is_passed_over(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    ledger = first["formcheck"]
    for row in (
        ["表9", "A1", "{}", "{}"],
        ["表1", "ZZZZ0", "[", "x"],
        ["表1", "B7", '{"pattern": 5}', '{"left": 3}'],
        ["表1", "B7", '{"pattern": "solid", "fg": {"rgb": "nonsense"}}', "null"],
        [None, 7, 8, 9],
    ):
        ledger.append(row)
    first.save(tmp_path / "crafted.xlsx")
    code, _, err = formcheck("check", tmp_path / "crafted.xlsx", "--annotate", tmp_path / "again.xlsx")
    assert code == 1 and err.strip().endswith("标注副本已写入 " + str(tmp_path / "again.xlsx")), err


def test_comments_that_cannot_be_kept_are_dropped_never_the_return(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    edit_member(source, "xl/comments/comment2.xml", lambda xml: xml[: len(xml) // 2])  # 表3's, cut short
    edit_member(source, "xl/worksheets/_rels/sheet1.xml.rels", lambda xml: xml.replace(b"/xl/", b"/../../"))
    copy = _annotate(source, tmp_path / "copy.xlsx")
    assert copy["表3"]["H6"].comment.text.startswith("警告 T3-STAFF")  # the unit's note could not be read
    assert copy["表1"]["C7"].comment is None  # nor one its sheet points outside the workbook for
    assert _findings(source) == [("T3-STAFF", "表3!H6"), ("T4-5", "表4!E6")]


def test_a_return_with_a_link_out_is_annotated_and_keeps_it(workbook, tmp_path):
    """A hyperlink to an outside address lives in the sheet's relationships: without them openpyxl
    refused the whole copy ("Unknown relationship"); now the copy is made and the link kept."""
    source = _unit_return(workbook, tmp_path)
    book = openpyxl.load_workbook(source)
    book["表3"]["B6"].hyperlink = "http://example.invalid/说明"
    book.save(source)
    copy = _annotate(source, tmp_path / "copy.xlsx")
    assert copy["表3"]["B6"].hyperlink.target == "http://example.invalid/说明"
    assert copy["表3"]["H6"].comment.text.startswith("含借调人员,待核\n\n警告 T3-STAFF")


def test_a_units_own_sheet_named_like_the_ledger_is_left_alone(workbook, tmp_path):
    source = _unit_return(workbook, tmp_path)
    book = openpyxl.load_workbook(source)
    book.create_sheet("formcheck").append(["表4", "E6", "本单位自己的备注"])
    book.save(source)
    copy = _annotate(source, tmp_path / "copy.xlsx")
    assert list(copy["formcheck"].values) == [("表4", "E6", "本单位自己的备注")]
    assert copy["表4"]["E6"].fill.fgColor.rgb == "00FFC7CE"


def test_control_characters_never_break_a_comment(workbook, tmp_path):
    """A unit's name holding a control character (written _x0007_ in the file, as the hostile corpus
    does) reaches a finding's comment as visible text: the copy's comments are well-formed XML, so
    Excel opens it without repair and annotating it again keeps the comment."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    source = _unit_return(workbook, tmp_path)
    book = openpyxl.load_workbook(source)
    book["表3"]["B6"] = "湘乡市应急管理局_x0007_"
    book.save(source)
    _annotate(source, tmp_path / "first.xlsx")
    with zipfile.ZipFile(tmp_path / "first.xlsx") as archive:
        for name in (n for n in archive.namelist() if n.startswith("xl/comments")):
            ElementTree.fromstring(archive.read(name))  # raises on a raw control character
    again = _annotate(tmp_path / "first.xlsx", tmp_path / "again.xlsx")
    assert "湘乡市应急管理局\\x07" in again["表3"]["H6"].comment.text


def test_what_the_clerk_did_in_the_copy_survives_annotating_it_again(workbook, tmp_path):
    """In the copy the clerk colours a cell formcheck outlined, comments on another, and writes
    into formcheck's own comment: annotated again, all of that stays; only formcheck's words and
    colours are taken back (and put on again where the finding still stands)."""
    source = _unit_return(workbook, tmp_path)
    first = _annotate(source, tmp_path / "first.xlsx")
    first["表3"]["D6"].fill = PatternFill("solid", fgColor="FFFFFF00")  # outlined, related to H6
    first["表3"]["C6"].comment = Comment("编制数以 2024 年 12 月为准", "李某")  # outlined too
    warning = first["表3"]["H6"]
    warning.comment = Comment(warning.comment.text + "\n已核实,见附件", warning.comment.author)
    first.save(tmp_path / "worked.xlsx")
    again = _annotate(tmp_path / "worked.xlsx", tmp_path / "again.xlsx")
    assert again["表3"]["D6"].fill.fgColor.rgb == "FFFFFF00"
    assert (again["表3"]["C6"].comment.text, again["表3"]["C6"].comment.author) == (
        "编制数以 2024 年 12 月为准",
        "李某",
    )
    text = again["表3"]["H6"].comment.text
    assert text.startswith("含借调人员,待核") and "已核实,见附件" in text and text.count("警告 T3-STAFF") == 1


def test_a_copy_saved_by_libreoffice_is_annotated_again_cleanly(tmp_path):
    """LibreOffice (and WPS's like) saves the ledger very hidden → hidden and drops comment authors:
    the copy saved so, its two impossible 同比 put right, carries today's marks only."""
    import office

    office.needed()
    first = _annotate(SAMPLES / "as_filed.xlsx", tmp_path / "first.xlsx")
    first["表2"]["O8"], first["表2"]["Q8"] = "—", "—"
    first.save(tmp_path / "fixed.xlsx")
    saved = office.convert([tmp_path / "fixed.xlsx"], "xlsx", tmp_path / "saved")[0]
    again = _annotate(saved, tmp_path / "again.xlsx")
    assert again["表2"]["O8"].fill.fgColor.rgb in ("00000000", None) and again["表2"]["O8"].comment is None
    assert again["审核结果"]["A1"].value.startswith("审核结果: 错误 3 项,警告 4 项")
    assert [s.title for s in again.worksheets].count("formcheck") == 1 and "formcheck1" not in again.sheetnames
    assert again["表3"]["H6"].comment.text.count("警告 T3-STAFF") == 1
