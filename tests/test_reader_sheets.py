"""What the reader does with workbooks that show the filer something other than what they hold:
a form on several sheets, hidden sheets, figures under merged ranges, formulas never calculated."""

import openpyxl
from conftest import SAMPLES, check_json, edit_member


def _findings(report: dict, rule: str) -> list:
    return [(f["message"], f["cells"]) for f in report["findings"] if f["rule"] == rule]


def test_a_hidden_clean_copy_placed_first_does_not_make_a_wrong_return_pass(workbook):
    path = workbook({"forms.case_stats.prev.inspection": 600, "forms.case_stats.cur.inspection": 700})
    wrong = workbook({"forms.case_stats.prev.inspection": 100, "forms.case_stats.cur.inspection": 100})
    book = openpyxl.load_workbook(wrong)
    stale = book.copy_worksheet(book["表1"])
    stale.title = "表1 (2)"
    # the stale copy holds figures that pass, hidden, before the form the filer sees
    stale["K7"], stale["L7"] = 7000, 9000
    stale.sheet_state = "hidden"
    book.move_sheet(stale, offset=-book.index(stale))
    book.save(path)
    report = check_json(path)
    assert report["exit_code"] == 1
    assert _findings(report, "G-FORMS") == [
        (
            "表1“行政执法案件数据情况统计表”在工作簿中出现 2 次,在工作表“表1 (2)”(隐藏)、“表1”;"
            "已按工作表“表1”检查,请删除多余的表后再检查",
            ["'表1 (2)'!A1", "表1!A1"],
        )
    ]
    named = [
        cell for f in report["findings"] if f["rule"] == "X-SUBSET" for cell in f["cells"] if cell.startswith("表1")
    ]
    assert named == ["表1!K7", "表1!L7"]  # the visible 表1's cells
    assert _findings(report, "G-HIDDEN") == []


def test_a_form_read_from_a_very_hidden_sheet_is_a_warning(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表4"].sheet_state = "veryHidden"
    book.save(path)
    report = check_json(path)
    assert report["exit_code"] == 0
    assert _findings(report, "G-HIDDEN") == [
        (
            "表4 所在的工作表“表4”被深度隐藏(只能用 VBA 取消隐藏),填报人看不到被检查的数字;请删除或取消隐藏后再报送",
            ["表4!A1"],
        )
    ]


def test_a_figure_under_a_merged_range_is_reported_and_not_used(workbook):
    path = workbook()
    # E6 keeps its figure (0) under a new merged range D6:E6, as other tools leave it
    edit_member(
        path,
        "xl/worksheets/sheet4.xml",
        lambda xml: xml.replace(b"</mergeCells>", b'<mergeCell ref="D6:E6"/></mergeCells>'),
    )
    report = check_json(path)
    assert _findings(report, "G-READ") == [
        (
            "单元格被合并单元格 D6:E6 遮住,Excel/WPS 中看不到其中的“0”,本数未参与检查;请取消合并后把数字填在应填的单元格",
            ["表4!E6"],
        )
    ]
    # what the filer sees in E6 is nothing: a blank, not the hidden 0
    assert _findings(report, "T4-REQ") == [
        ("序号 1 (湘乡市应急管理局): 刑事立案数 未填写;没有发生的请填 0,空白表示未报送", ["表4!E6"])
    ]


def test_an_uncalculated_formula_names_its_field_and_period(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表1"]["T7"] = "=S7*1.2"  # openpyxl writes no cached value, as other tools' exports do
    book.save(path)
    assert _findings(check_json(path), "G-READ") == [
        (
            "2024 年罚没金额 是公式,但没有计算结果(文件未经 Excel/WPS 计算保存);请用 Excel 或 WPS 打开本文件,保存后再检查",
            ["表1!T7"],
        )
    ]


def test_a_formula_element_under_another_namespace_is_still_a_formula(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表1"]["T7"] = "=S7*1.2"
    book.save(path)
    edit_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>S7*1.2</f>", b'<o:f xmlns:o="urn:other">S7*1.2</o:f>'),
    )
    findings = _findings(check_json(path), "G-READ")
    assert [cells for _, cells in findings] == [["表1!T7"]]
    assert "是公式,但没有计算结果" in findings[0][0]


def test_samples_hold_no_copies_hidden_forms_or_covered_figures():
    report = check_json(SAMPLES / "clean.xlsx")
    assert report["findings"] == []
