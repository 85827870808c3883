"""formcheck template: a blank return that the reader reads back, every header found."""

import json

import openpyxl
from conftest import SAMPLES, formcheck


def test_blank_template_reads_back(tmp_path):
    target = tmp_path / "blank.xlsx"
    code, _, err = formcheck("template", target, "--year", "2025", "--unit", "某县应急管理局")
    assert code == 0 and err.strip() == f"2025 年空白报表已写入 {target}"
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["表1", "表2", "表3", "表4", "审核说明"]
    assert [c.value for c in book["审核说明"][2]] == ["规则", "单元格", "说明"]
    assert book["表1"]["A1"].value == "2025 年行政执法案件数据情况统计表"
    assert [book["表1"].cell(6, c).value for c in (3, 4)] == [2024, 2025]
    assert book["表4"]["A11"].value.startswith('注: 1. "刑事不予立案数"')
    code, out, _ = formcheck("check", target, "--format", "json")
    findings = json.loads(out)["findings"]
    # every header is found: what is missing is the figures, not the layout
    assert not [f for f in findings if f["rule"] in ("G-FORMS", "G-READ", "G-PERIOD", "G-UNIT")]
    assert {f["rule"] for f in findings} >= {"T1-REQ", "T2-REQ", "G-CONTACT"}


def test_blank_template_looks_and_guards_like_the_official_forms(tmp_path):
    target = tmp_path / "blank.xlsx"
    formcheck("template", target, "--year", "2024")
    book = openpyxl.load_workbook(target)
    sheet = book["表4"]
    assert sheet["A1"].font.bold and sheet["A4"].border.left.style == "thin"
    assert sheet["D5"].alignment.wrap_text and sheet.column_dimensions["B"].width >= 20
    assert sheet.freeze_panes == "C6"
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    rules = {(v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert ("whole", "0") in rules and ("list", '"是,否"') in rules
    money = {(v.type, v.formula1) for v in book["表1"].data_validations.dataValidation if v.type == "custom"}
    assert money and all("ROUND(" in formula for _, formula in money)


def test_the_template_filled_with_the_as_filed_figures_gives_the_same_findings(tmp_path, pack):
    import yaml
    from conftest import SAMPLES

    from validator.report.template import write_return

    figures = yaml.safe_load((SAMPLES / "data" / "as_filed.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "filled.xlsx"
    write_return(str(path), pack, figures, review_sheet=True)
    ours = json.loads(formcheck("check", path, "--format", "json")[1])
    theirs = json.loads(formcheck("check", SAMPLES / "as_filed.xlsx", "--format", "json")[1])
    assert [(f["rule"], f["cells"], f["message"]) for f in ours["findings"]] == [
        (f["rule"], f["cells"], f["message"]) for f in theirs["findings"]
    ]


def test_the_unit_given_is_in_every_unit_name_cell(tmp_path):
    target = tmp_path / "blank.xlsx"
    formcheck("template", target, "--year", "2024", "--unit", "=某县应急管理局")  # a name, never a formula
    book = openpyxl.load_workbook(target)
    names = [book[sheet][cell] for sheet, cell in (("表1", "B7"), ("表2", "B7"), ("表3", "B6"), ("表4", "B6"))]
    assert [(c.value, c.data_type) for c in names] == [("=某县应急管理局", "s")] * 4
    assert book["表1"]["A2"].value == "填报单位: =某县应急管理局 (盖章)"
    findings = json.loads(formcheck("check", target, "--format", "json")[1])["findings"]
    assert not [f for f in findings if f["rule"] in ("G-UNIT", "X-UNIT")], findings


def test_the_blank_template_reads_well_on_screen_and_on_paper(tmp_path):
    target = tmp_path / "blank.xlsx"
    formcheck("template", target, "--year", "2024")
    book = openpyxl.load_workbook(target)
    assert book["表1"].row_dimensions[9].height >= 60 and book["表1"]["B9"].value == "数据变化原因简析"
    # a unit on a line of its own, never a lone ")" where a long label wraps
    assert book["表1"]["O5"].value == "投诉举报线索来源办案数\n(件)" and book["表1"]["C5"].value == "行政许可(件)"
    notes = book["审核说明"]
    assert notes["A1"].value.startswith("怎样填写本表: 审核中“属实”的警告") and "A1:C1" in notes.merged_cells
    assert notes.page_setup.orientation == "landscape" and notes.print_title_rows == "$2:$2"
    prompts = {str(v.sqref): v.prompt for v in notes.data_validations.dataValidation}
    assert prompts == {"A3:A500": "警告的规则编号,如 T3-STAFF", "B3:B500": "警告所指的单元格,如 表3!H6",
                       "C3:C500": "数据属实的原因,写清楚,审核人据此判断"}  # fmt: skip


def test_a_workbook_is_never_written_under_another_suffix(tmp_path):
    """Excel and WPS refuse to open quietly an .xlsx named .xls, .ods or .csv: the name is refused."""
    for name in ("blank.xls", "blank.ods", "blank.csv", "blank"):
        code, _, err = formcheck("template", tmp_path / name, "--year", "2024")
        assert code == 2 and not (tmp_path / name).exists()
        assert (
            err.strip()
            == f"{tmp_path / name}: 写出的是 Excel 工作簿 (.xlsx),文件名请以 .xlsx 结尾,否则 Excel 和 WPS 会说格式与扩展名不符"
        )
    code, out, err = formcheck("check", SAMPLES / "clean.xlsx", "--annotate", tmp_path / "copy.xls")
    assert (code, out) == (2, "") and err.startswith(f"{tmp_path / 'copy.xls'}: 写出的是 Excel 工作簿")
    code, _, err = formcheck("batch", SAMPLES / "batch", "--summary", tmp_path / "汇总.csv", "-q")
    assert code == 2 and err.startswith(f"{tmp_path / '汇总.csv'}: 写出的是 Excel 工作簿")
