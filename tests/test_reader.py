"""The reader: forms by title, fields by header text, figures as county staff type them."""

import openpyxl
import pytest
from conftest import check_json, clean_figures

from validator.fold import norm
from validator.read.grid import Grid
from validator.read.reader import build_return, read_return
from validator.rules.pack import load_pack


def test_norm_folds_spaces_breaks_full_width_quotes_and_units():
    assert norm(" 移送案件\n数（件）") == "移送案件数"
    assert norm("是否使用“两法衔接平台”") == norm('是否使用"两法衔接平台"')
    assert norm("本部 门持 证人 数") == "本部门持证人数"


def test_figures_typed_as_text(broken):
    changes = {
        "forms.case_stats.cur.fines": "1,032,283",
        "forms.case_stats.cur.licensing": "２８４",
        "forms.case_stats.prev.levy": "—",
        "forms.case_stats.cur.levy": "/",
    }
    findings = broken(changes)
    # the dash and slash are blanks (not reported), the rest reads as figures
    assert sorted(f["message"] for f in findings) == [
        "2023 年行政征收 未填写;没有发生的请填 0,空白表示未报送",
        "2024 年行政征收 未填写;没有发生的请填 0,空白表示未报送",
    ]


def test_an_explanation_quoting_another_forms_title_is_not_that_forms_title(workbook, pack):
    # a form's title is looked for only above its sheet's 序号 header: 表1's explanation, below it,
    # once made 表1!C9 the title of 表2, whose figures then went unread
    clean = clean_figures()["forms"]["case_stats"]["explanation"]
    path = workbook({"forms.case_stats.explanation": clean + "涉企部分见“涉企行政执法数据情况统计表”。"})
    assert read_return(str(path), pack).forms["enterprise_stats"].year_cell == "表2!A1"
    assert check_json(path)["findings"] == []


def test_percent_stored_as_number_with_percent_format(workbook, pack):
    path = workbook()
    book = openpyxl.load_workbook(path)
    sheet = book["表1"]
    sheet["C8"] = 0.109
    sheet["C8"].number_format = "0.0%"
    book.save(path)
    ret = read_return(str(path), pack)
    assert ret.forms["case_stats"].yoy["licensing"].number == pytest.approx(10.9)
    assert check_json(path)["findings"] == []


@pytest.mark.parametrize(
    "value, number_format, rules",
    [
        (0.109, "0.0%", []),
        (0.109, "+0.0%;-0.0%;0%", []),
        (0.109, "0.00%", []),
        (10.9, '0.0"%"', []),  # a quoted % is a literal: the cell shows 10.9%, its value is 10.9
        (10.9, "0.0\\%", []),
        (0.109, '0.0"%"', ["T1-YOY"]),  # shows 0.1%
        (10.9, "0.0%", ["T1-YOY"]),  # shows 1090.0%
        (10.9, "General", []),
    ],
)
def test_a_change_stored_as_a_number_is_read_as_its_format_shows_it(workbook, value, number_format, rules):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表1"]["C8"] = value
    book["表1"]["C8"].number_format = number_format
    book.save(path)
    from validator.rules import engine

    pack = load_pack()
    for extractor in ("calamine", "openpyxl"):  # both take the formats from intake
        report = engine.check_return(read_return(str(path), pack, extractor=extractor), pack)
        assert [f.rule for f in report.findings] == rules


def test_header_with_line_breaks_and_full_width_brackets(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    sheet = book["表4"]
    sheet["D5"] = "移送案件\n数（件）"
    book.save(path)
    assert check_json(path)["findings"] == []


def test_inserted_column_does_not_matter(workbook):
    path = workbook({"forms.two_law_link.rows.0.criminal_filed": 1})
    book = openpyxl.load_workbook(path)
    sheet = book["表4"]
    merged = [r.coord for r in sheet.merged_cells.ranges]
    for coord in merged:  # openpyxl moves cells but not merges, as Excel would: move them by hand
        sheet.unmerge_cells(coord)
    sheet.insert_cols(3)
    sheet["C5"] = "备注"
    for coord in merged:
        moved = openpyxl.worksheet.cell_range.CellRange(coord)
        if moved.min_col >= 3:
            moved.shift(col_shift=1)
        sheet.merge_cells(moved.coord)
    book.save(path)
    findings = check_json(path)["findings"]
    t45 = [f for f in findings if f["rule"] == "T4-5"]
    assert t45[0]["cells"] == ["表4!F6", "表4!E6", "表4!G6", "表4!H6"]  # the fewest changes go through F6


def test_renamed_header_is_named_in_the_finding(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表4"]["E5"] = "立案数"
    book.save(path)
    findings = [f for f in check_json(path)["findings"] if f["rule"] == "G-READ"]
    assert findings[0]["message"] == "表4 未找到表头“刑事立案数”(位于“正向衔接”之下);请勿改动模板表头"
    assert findings[0]["cells"] == ["表4!A4"]


def test_input_file_is_never_modified(workbook):
    import hashlib

    path = workbook()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    check_json(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_reader_works_on_a_plain_grid(pack):
    """The reader needs only values and merges: a grid built by hand reads like a workbook."""
    cells = {
        (1, 1): '2024 年"两法衔接"工作情况统计表',
        (2, 1): "填报单位: 某局",
        (4, 1): "序号",
        (4, 2): "行政执法单位名称",
        (4, 4): "正向衔接",
        (5, 4): "移送案件数",
        (5, 5): "刑事立案数",
        (6, 1): 1,
        (6, 2): "某局",
        (6, 4): 0,
        (6, 5): 2,
    }
    ret = build_return("hand.xlsx", [Grid.from_cells("X", cells, [(4, 1, 5, 1), (4, 2, 5, 2), (4, 4, 4, 5)])], pack)
    row = ret.forms["two_law_link"].rows[0]
    assert (row.get("transferred").number, row.get("criminal_filed").number, row.get("criminal_filed").cell) == (
        0,
        2,
        "X!E6",
    )
