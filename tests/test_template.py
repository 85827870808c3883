"""formcheck template: a blank return that the reader reads back, every header found."""

import json

import openpyxl
from conftest import formcheck


def test_blank_template_reads_back(tmp_path):
    target = tmp_path / "blank.xlsx"
    code, _, err = formcheck("template", target, "--year", "2025", "--unit", "某县应急管理局")
    assert code == 0 and err.strip() == f"2025 年空白报表已写入 {target}"
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["表1", "表2", "表3", "表4"]
    assert book["表1"]["A1"].value == "2025 年行政执法案件数据情况统计表"
    assert [book["表1"].cell(6, c).value for c in (3, 4)] == [2024, 2025]
    assert book["表4"]["A11"].value.startswith('注: 1. "刑事不予立案数"')
    code, out, _ = formcheck("check", target, "--format", "json")
    findings = json.loads(out)["findings"]
    # every header is found: what is missing is the figures, not the layout
    assert not [f for f in findings if f["rule"] in ("G-FORMS", "G-READ", "G-PERIOD", "G-UNIT")]
    assert {f["rule"] for f in findings} >= {"T1-REQ", "T2-REQ", "G-CONTACT"}
