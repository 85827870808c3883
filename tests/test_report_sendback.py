"""What a reviewer sends back (`batch --send-back`, report/sendback.py): a folder a unit, its
annotated copy with the 审核意见 sheet first, and 名单.csv of every registered unit."""

import csv
import datetime
import os

import openpyxl
from conftest import BATCH, formcheck


def _sent(tmp_path, *extra):
    folder = tmp_path / "退回"
    code, _, err = formcheck(
        "batch", BATCH, "--registry", BATCH / "units.yaml", "--treasury", BATCH / "treasury.csv",
        "--send-back", folder, "--reviewer", "湘乡市司法局", "-o", tmp_path / "r.json", "--format", "json", *extra,
    )  # fmt: skip
    return code, err, folder


def test_each_unit_gets_its_copy_with_the_review_first_and_the_findings_across_returns(tmp_path):
    remarks = tmp_path / "remarks.csv"
    remarks.write_text("单位,单元格,意见\n白田镇人民政府,表4!E6,请与公安机关核对立案数\n", encoding="utf-8")
    code, err, folder = _sent(tmp_path, "--remarks", remarks)
    assert (
        code == 1 and err.splitlines()[-1] == f"退回材料已写入 {folder}: 10 个单位各一个文件夹,未报送 2 个(见 名单.csv)"
    )
    book = openpyxl.load_workbook(folder / "白田镇人民政府" / "04_白田镇人民政府_审核.xlsx")
    assert book.sheetnames[:2] == ["审核意见", "审核结果"]
    rows = [row for row in book["审核意见"].iter_rows(values_only=True) if any(row)]
    assert rows[1][0] == f"审核单位: 湘乡市司法局    审核日期: {datetime.date.today().isoformat()}"
    assert rows[2][0] == "填报单位: 白田镇人民政府    报表: 04_白田镇人民政府.xlsx    状态: 有错误"
    assert rows[3] == ("级别", "规则", "单元格", "问题与改正方法", "审核人意见")
    t45 = next(row for row in rows if row[1] == "T4-5")
    assert t45[2] == "表4!E6" and t45[4] == "请与公安机关核对立案数"
    assert rows[-1][0] == "审核人其他意见:"
    market = openpyxl.load_workbook(folder / "湘乡市市场监督管理局" / "07_湘乡市市场监督管理局_审核.xlsx")
    assert "B-TREASURY" in market["表1"]["T7"].comment.text  # a finding against the treasury, on its cell


def test_the_list_names_every_registered_unit_and_those_that_filed_nothing_get_no_folder(tmp_path):
    _, _, folder = _sent(tmp_path)
    with open(folder / "名单.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["填报单位", "状态", "文件夹"]
    assert ["湘乡市城市管理和综合执法局", "未报送", ""] in rows and [
        "湘乡市应急管理局",
        "通过",
        "湘乡市应急管理局",
    ] in rows
    assert not (folder / "湘乡市城市管理和综合执法局").exists()
    # the unreadable 11_湘乡市林业局.xls is the 林业局's, by its name: sent, not missing, and no row of its own
    assert ["湘乡市林业局", "无法读取", ""] in rows and not [row for row in rows if row[0].endswith(".xls")]
    assert [row[0] for row in rows[1:4]] == ["湘乡市应急管理局", "金石镇人民政府", "翻江镇人民政府"]  # registry order


def test_remarks_that_are_not_three_columns_stop_the_run_naming_the_line(tmp_path):
    remarks = tmp_path / "remarks.csv"
    remarks.write_text("单位,单元格,意见\n白田镇人民政府,表4!E6\n", encoding="utf-8")
    code, err, folder = _sent(tmp_path, "--remarks", remarks)
    assert (code, err) == (2, f"{remarks} 第 2 行: 审核意见文件每行应为 单位,单元格,意见 三列\n")
    assert not folder.exists()


def test_the_send_back_is_never_written_among_the_returns(tmp_path):
    code, _, err = formcheck("batch", BATCH, "--send-back", BATCH.parent, "-o", tmp_path / "r.json")
    assert (code, err) == (2, f"{BATCH.parent} 中有本次检查读取的报表;退回材料请写到另一个文件夹\n")


def test_a_remark_or_reviewer_that_looks_like_a_formula_is_text(tmp_path):
    remarks = tmp_path / "remarks.csv"
    remarks.write_text("白田镇人民政府,表4!E6,=cmd|' /C calc'!A0\x07\n", encoding="utf-8")
    folder = tmp_path / "退回"
    formcheck(
        "batch", BATCH / "04_白田镇人民政府.xlsx", "--send-back", folder, "--remarks", remarks,
        "--reviewer", "=1+1\x1b", "-o", tmp_path / "r.json",
    )  # fmt: skip
    sheet = openpyxl.load_workbook(folder / "白田镇人民政府" / "04_白田镇人民政府_审核.xlsx")["审核意见"]
    assert (sheet["A2"].value.split("    ")[0], sheet["A2"].data_type) == ("审核单位: =1+1\\x1b", "s")
    remark = next(row[4] for row in sheet.iter_rows() if row[1].value == "T4-5")
    assert (remark.value, remark.data_type) == ("=cmd|' /C calc'!A0\\x07", "s")


def test_the_send_back_is_never_written_among_past_years_returns(tmp_path):
    past = tmp_path / "2023"
    past.mkdir()
    (past / "08.xlsx").write_bytes((BATCH / "previous" / "08_湘乡市交通运输局.xlsx").read_bytes())
    code, err, _ = _sent(tmp_path, "--previous", f"2023={past}", "--send-back", past)
    assert (code, err) == (2, f"{past} 中有本次检查读取的报表;退回材料请写到另一个文件夹\n")
    assert os.listdir(past) == ["08.xlsx"]
