"""The JSON report: its documented structure, and English on request."""

import json

from conftest import SAMPLES, formcheck


def test_structure():
    code, out, _ = formcheck("check", SAMPLES / "broken_transfers_t4_5.xlsx", "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert sorted(document) == ["files", "findings", "format_version", "lang", "pack", "rules", "summary"]
    assert document["files"] == [
        {
            "file": str(SAMPLES / "broken_transfers_t4_5.xlsx"),
            "unit": "湘乡市应急管理局",
            "year": 2024,
            "errors": 1,
            "warnings": 0,
            "explained": 0,
            "status": "error",
            "localisation": {
                "weight": 1,
                "sets": [[{"cell": "表4!E6", "now": 2.0, "low": 0.0, "high": 0.0, "kind": "figure"}]],
                "slip": None,
                "rules": ["T4-5"],
                "left_out": {},
                "message": "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 2,应为 0",
            },
        }
    ]
    assert document["findings"] == [
        {
            "file": str(SAMPLES / "broken_transfers_t4_5.xlsx"),
            "unit": "湘乡市应急管理局",
            "rule": "T4-5",
            "severity": "error",
            "origin": "表4 注5",
            "form": "two_law_link",
            "form_short": "表4",
            "form_title": '"两法衔接"工作情况统计表',
            "message": "序号 1 (湘乡市应急管理局): 移送案件数 (0) 小于刑事立案数、刑事不予立案数、不予起诉案件数之和 (2 + 0 + 0 = 2)"
            "(按最少改动应改 表4!E6:只改 表4!D6 会使 X-TRANSFER 不成立)",
            "hint": "移送案件数应大于等于三项之和;请核对移送案件数或三项结果数。",
            "code": "expression",
            "params": {
                "two_law_link.transferred": "0",
                "two_law_link.criminal_filed": "2",
                "two_law_link.criminal_not_filed": "0",
                "two_law_link.not_prosecuted": "0",
                "figure_5": "2",
            },
            "cells": ["表4!E6", "表4!D6", "表4!F6", "表4!G6"],  # the fewest changes: not 表4!D6
            "related_files": [],
            "values": {},
            "explanation": "",
            "cell_details": [
                {"sheet": "表4", "row": 6, "column": "E", "address": "表4!E6", "value": 2.0, "role": "fix"},
                {"sheet": "表4", "row": 6, "column": "D", "address": "表4!D6", "value": 0.0, "role": "related"},
                {"sheet": "表4", "row": 6, "column": "F", "address": "表4!F6", "value": 0.0, "role": "related"},
                {"sheet": "表4", "row": 6, "column": "G", "address": "表4!G6", "value": 0.0, "role": "related"},
            ],
        }
    ]
    assert document["rules"]["T4-5"] == {
        "severity": "error",
        "origin": "表4 注5",
        "form": "two_law_link",
        "evaluated": 1,
        "passed": 0,
        "failed": 1,
        "not_evaluated": 0,
        "not_evaluated_no_reference": 0,
    }
    # the rules against reference data (treasury, last year ...) are not evaluated without it
    assert document["summary"] == {
        "errors": 1,
        "warnings": 0,
        "explained": 0,
        "infos": 0,
        "evaluated": 213,
        "passed": 212,
        "failed": 1,
        "not_evaluated": 46,
        "not_evaluated_no_reference": 46,
        "not_evaluated_blank": 0,
    }


def test_for_each_binding_is_in_values():
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--format", "json")
    subset = [f for f in json.loads(out)["findings"] if f["rule"] == "X-SUBSET"]
    assert [f["values"] for f in subset] == [
        {"field": "inspection", "period": "prev"},
        {"field": "inspection", "period": "cur"},
    ]


def test_english_messages():
    _, out, _ = formcheck("check", SAMPLES / "broken_yoy_t1.xlsx", "--format", "json", "--lang", "en")
    finding = json.loads(out)["findings"][0]
    assert finding["message"] == 'licensing: the change is written "+12.9%"; from 256 to 284 it is +10.9%'
    assert finding["form_title"] == "Administrative enforcement case figures"


def test_a_finding_has_the_same_code_and_params_in_every_language():
    """A program reads the kind of a finding and its figures whatever language the report is in."""
    from conftest import SAMPLES as samples

    reports = {
        lang: json.loads(formcheck("check", samples / "as_filed.xlsx", "--format", "json", "--lang", lang)[1])
        for lang in ("zh", "en")
    }
    kinds = {lang: [(f["rule"], f["code"]) for f in document["findings"]] for lang, document in reports.items()}
    assert kinds["zh"] == kinds["en"]
    assert ("T2-YOY", "yoy.from_zero") in kinds["zh"] and ("T3-REQ", "required.text") in kinds["zh"]
    zh, en = (next(f for f in reports[lang]["findings"] if f["code"] == "yoy.from_zero") for lang in ("zh", "en"))
    assert zh["params"] == {"written": "+1500%", "label": "免罚案件", "prev": "0", "cur": "15", "prev_year": 2023}
    assert en["params"] == {**zh["params"], "label": "cases exempted from penalty"}  # a name is said in the language
