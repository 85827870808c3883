"""The SARIF 2.1.0 report: valid against the OASIS schema; rules with origin and help; each result
on its workbook with the cell as a logical location and a region."""

import json
from pathlib import Path

import jsonschema
from conftest import BATCH, REFERENCE, SAMPLES, formcheck

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _sarif(*args) -> tuple:
    code, out, _ = formcheck(*args, "--format", "sarif")
    document = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    return code, document


def test_the_sample_return_validates_with_each_finding_on_its_cell():
    code, document = _sarif("check", SAMPLES / "broken_transfers_t4_5.xlsx")
    run = document["runs"][0]
    assert code == 1 and document["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    t45 = next(rule for rule in rules if rule["id"] == "T4-5")
    assert t45["properties"]["origin"] == "表4 注5"
    assert t45["defaultConfiguration"] == {"level": "error"}
    assert t45["help"]["text"] == (
        "移送案件数 ≥ 刑事立案数 + 刑事不予立案数 + 不予起诉案件数\n"
        '表4 注5: "移送案件数"应当大于等于"刑事立案数""刑事不予立案数""不予起诉案件数"之和。\n'
        "formcheck rules explain T4-5"
    )
    [result] = run["results"]
    assert result["ruleId"] == "T4-5" and rules[result["ruleIndex"]]["id"] == "T4-5"
    location = result["locations"][0]
    uri = (SAMPLES / "broken_transfers_t4_5.xlsx").as_uri()
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": uri, "index": 0},
        "region": {"startLine": 6, "startColumn": 5},  # 表4!E6: the fewest changes
    }
    assert location["logicalLocations"] == [{"name": "表4!E6", "kind": "element"}]
    assert [place["logicalLocations"][0]["name"] for place in result["relatedLocations"]] == [
        "表4!D6",
        "表4!F6",
        "表4!G6",
    ]
    assert run["artifacts"] == [{"location": {"uri": uri}}]


def test_a_batch_validates_including_findings_without_a_file():
    code, document = _sarif("batch", BATCH, *REFERENCE)
    results = document["runs"][0]["results"]
    assert code == 1 and any("locations" not in result for result in results)  # a unit that filed nothing
    assert {result["level"] for result in results} == {"error", "warning"}


def test_an_explained_warning_is_suppressed_with_the_units_reason(tmp_path, workbook):
    import openpyxl

    source = workbook({"forms.support.rows.0.cert_dept": 40, "forms.support.rows.0.cert_comprehensive": 8})
    copy = tmp_path / "copy.xlsx"
    formcheck("check", source, "--annotate", copy)
    book = openpyxl.load_workbook(copy)
    book["审核说明"]["C3"] = "含 14 名已划转至综合行政执法大队、仍在本局持证的人员"
    book.save(copy)
    _, document = _sarif("check", copy)
    [result] = document["runs"][0]["results"]
    assert (result["ruleId"], result["suppressions"]) == (
        "T3-STAFF",
        [{"kind": "external", "justification": "含 14 名已划转至综合行政执法大队、仍在本局持证的人员"}],
    )
