"""The reviewer's summary workbook: three sheets, an autofilter on the findings, a bar chart per rule."""

import openpyxl
from conftest import BATCH, REFERENCE, formcheck


def test_summary_workbook(tmp_path):
    target = tmp_path / "summary.xlsx"
    code, _, err = formcheck("batch", BATCH, *REFERENCE, "--summary", target)
    assert code == 1
    assert err.strip() == f"汇总工作簿已写入 {target}"
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["审核报告", "报表", "问题清单", "规则统计"]
    returns, findings, rules = (book[name] for name in book.sheetnames[1:])
    head = ["序号", "填报单位", "年度", "文件", "错误", "警告", "状态", "改哪里(最少改动、可能是笔误)"]
    assert [c.value for c in returns[1]] == head
    assert [c.value for c in returns[2]] == [
        1,
        "湘乡市应急管理局",
        2024,
        str(BATCH / "01_湘乡市应急管理局.xlsx"),
        0,
        0,
        "通过",
        None,
    ]
    where = {row[1].value: row[7].value for row in returns.iter_rows(min_row=2)}
    assert where["白田镇人民政府"] == "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 1,应为 0"
    assert returns.max_row == 13
    assert findings.auto_filter.ref == f"A1:J{findings.max_row}"
    assert findings.max_row == 1 + 14
    assert [c.value for c in findings[1]][:5] == ["文件", "填报单位", "表", "规则", "级别"]
    top = [c.value for c in rules[2]]
    assert top[0] == "B-MISSING" and top[-1] == 3
    charts = rules._charts
    assert len(charts) == 1 and charts[0].type == "bar"


def test_summary_in_english(tmp_path):
    target = tmp_path / "summary.xlsx"
    formcheck("batch", BATCH / "04_白田镇人民政府.xlsx", "--summary", target, "--lang", "en")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Report", "Returns", "Findings", "Rules"]
    assert [[c.value for c in row][3:5] for row in book["Findings"].iter_rows(min_row=2)] == [
        ["T1-EXPL", "warning"],
        ["T4-5", "error"],
    ]


def test_summary_prints_whole_coloured_and_linked(tmp_path):
    import openpyxl

    path = tmp_path / "summary.xlsx"
    formcheck("batch", BATCH, *REFERENCE, "--summary", path, "--format", "json", "-o", tmp_path / "r.json")
    book = openpyxl.load_workbook(path)
    cover, returns, findings, rules = book.worksheets
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    assert returns["G2"].fill.fgColor.rgb[-6:] == "C6EFCE" and returns["G4"].fill.fgColor.rgb[-6:] == "FFC7CE"
    target = returns["D2"].hyperlink.target.replace("\\", "/")  # XlsxWriter writes links Windows-style
    assert (tmp_path / target).resolve() == (BATCH / "01_湘乡市应急管理局.xlsx").resolve()
    longest = max(range(2, findings.max_row + 1), key=lambda r: len(findings.cell(r, 8).value or ""))
    assert findings.row_dimensions[longest].height >= 30  # a wrapped message is read whole
    assert rules._charts[0].y_axis.majorUnit >= 1 and rules._charts[0].y_axis.number_format.formatCode == "0"


def test_the_report_sheet_says_who_reviewed_what_with_and_every_registered_unit(tmp_path):
    import hashlib

    path = tmp_path / "summary.xlsx"
    formcheck(
        "batch", BATCH, *REFERENCE, "--reviewer", "湘乡市司法局", "--summary", path, "--format", "json",
        "-o", tmp_path / "r.json",
    )  # fmt: skip
    rows = [row for row in openpyxl.load_workbook(path)["审核报告"].iter_rows(values_only=True) if any(row)]
    assert rows[0][0] == "湘乡市司法局 2024 年行政执法统计年报审核报告"
    registry = next(row for row in rows if row[0] == "单位名录")
    assert registry[3] == str(BATCH / "units.yaml")
    assert registry[4] == hashlib.sha256((BATCH / "units.yaml").read_bytes()).hexdigest()
    units = {row[0].strip(): row[2] for row in rows if row[1] in ("县级", "乡镇", "部门")}
    assert units["湘乡市城市管理和综合执法局"] == "未报送" and units["湘乡市应急管理局"] == "通过"
    assert units["白田镇人民政府"] == "有错误"
    assert list(units)[:2] == ["湘乡市应急管理局", "金石镇人民政府"]  # registry order
