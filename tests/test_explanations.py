"""The unit's 审核说明 sheet (G-EXPLAIN, rules/checks/explained.py): rows that explain a warning, written as
units write cells and rules; rows that explain an error, nothing, or no finding at all; and one
count of explained findings in every output."""

import csv
import json
import re
import xml.etree.ElementTree as ElementTree

import openpyxl
import pytest
from conftest import SAMPLES, formcheck

REASON = "含 14 名已划转至综合行政执法大队、仍在本局持证的人员,2025 年换证时调整"


def _explained(tmp_path, rows: list, source=None):
    """The sample as filed (or `source`), annotated, with `rows` (rule, cell, text) on its 审核说明 sheet."""
    copy = tmp_path / "copy.xlsx"
    code, _, err = formcheck("check", source or SAMPLES / "as_filed.xlsx", "--annotate", copy)
    assert code == 1, err
    book = openpyxl.load_workbook(copy)
    sheet = book["审核说明"]
    sheet.delete_rows(3, sheet.max_row)
    for row in rows:
        sheet.append(list(row))
    book.save(copy)
    return copy


def _report(path) -> dict:
    return json.loads(formcheck("check", path, "--format", "json")[1])


@pytest.mark.parametrize("cell", ["表3!H6", "'表3'!H6", "表３!H6", "表3 H6", "表3!$H$6", "H6", " 表3！h6 "])
@pytest.mark.parametrize("rule", ["T3-STAFF", "t3-staff", "Ｔ３－ＳＴＡＦＦ"])
def test_a_warning_is_explained_however_its_cell_and_rule_are_written(tmp_path, cell, rule):
    report = _report(_explained(tmp_path, [(rule, cell, REASON)]))
    explained = [(f["rule"], f["explanation"]) for f in report["findings"] if f["explanation"]]
    assert explained == [("T3-STAFF", REASON)]
    assert [f for f in report["findings"] if f["rule"] == "G-EXPLAIN"] == []


@pytest.mark.parametrize(
    "rule, cell, said",
    [
        ("T3-STAF", "表3!H6", ";最接近的是 T3-STAFF(表3!H6),请按“审核结果”中的规则编号和单元格填写"),
        ("T3-STAFF", "表3!H7", ";最接近的是 T3-STAFF(表3!H6),请按“审核结果”中的规则编号和单元格填写"),
        ("X-SUBSET", "表3!Q6", ";最接近的是 T3-MON(表3!Q6),请按“审核结果”中的规则编号和单元格填写"),
        ("T4-5", "表4!D6", ";本报表在这里没有需要说明的警告,可删除这一行"),  # a rule that passed
    ],
)
def test_a_row_that_names_no_finding_is_a_warning_naming_the_nearest(tmp_path, rule, cell, said):
    report = _report(_explained(tmp_path, [(rule, cell, REASON)]))
    assert [(f["severity"], f["message"], f["cells"]) for f in report["findings"] if f["rule"] == "G-EXPLAIN"] == [
        ("warning", f"审核说明中的规则“{rule}”、单元格“{cell}”没有对应的警告,这条说明未起作用{said}", ["审核说明!C3"])
    ]
    assert [f for f in report["findings"] if f["explanation"]] == []


def test_a_blank_row_set_out_by_the_copy_is_not_judged(tmp_path):
    report = _report(_explained(tmp_path, [("T3-STAFF", "表3!H6", None), ("T9-X", "表9!A1", None)]))
    assert report["rules"]["G-EXPLAIN"] == {**report["rules"]["G-EXPLAIN"], "evaluated": 1, "failed": 0}


def test_every_output_counts_an_explained_warning_and_a_finding_on_the_sheet_alike(tmp_path):
    copy = _explained(tmp_path, [("T3-STAFF", "表3!H6", REASON), ("T3-STAF", "表3!H6", REASON)])
    report = _report(copy)
    findings, summary = report["findings"], report["summary"]
    explained = sum(1 for f in findings if f["explanation"])
    assert (len(findings), explained) == (10, 1)
    assert summary["failed"] == summary["errors"] + summary["warnings"] + summary["explained"] == len(findings)
    assert report["rules"]["G-EXPLAIN"]["failed"] == 1 and report["rules"]["G-EXPLAIN"]["passed"] == 1
    table = formcheck("check", copy)[1]
    assert "错误 5 项,警告 4 项(已说明 1)" in table and "未通过 10," in table
    outputs = {kind: tmp_path / f"out.{kind}" for kind in ("csv", "junit", "sarif", "github")}
    for kind, path in outputs.items():
        formcheck("check", copy, "--format", kind, "-o", path)
    with open(outputs["csv"], encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["规则"] != "最少改动"]  # where to fix: a row of its own
    assert (len(rows), sum(1 for row in rows if row["说明"])) == (10, 1)
    suite = ElementTree.parse(outputs["junit"]).getroot().find("testsuite")
    reasons = [s.get("message") for s in suite.iter("skipped") if s.get("message", "").startswith("已说明")]
    assert (int(suite.get("failures")), len(reasons)) == (9, 1)
    results = json.loads(outputs["sarif"].read_text(encoding="utf-8"))["runs"][0]["results"]
    assert (len(results), sum(1 for r in results if r.get("suppressions"))) == (10, 1)
    lines = outputs["github"].read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if re.match(r"::(error|warning|notice) ", line)]) == 10
