"""The JUnit XML report: valid against the common JUnit schema, one suite per file, a testcase per
finding and per rule that found nothing."""

import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema
from conftest import BATCH, REFERENCE, SAMPLES, formcheck

XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "JUnit.xsd"))


def _junit(*args) -> tuple:
    code, out, err = formcheck(*args, "--format", "junit")
    XSD.validate(out)
    return code, ET.fromstring(out)


def test_a_return_is_a_suite_of_its_findings_and_the_rules_that_passed():
    code, root = _junit("check", SAMPLES / "broken_transfers_t4_5.xlsx")
    suites = root.findall("testsuite")
    assert code == 1 and len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == str(SAMPLES / "broken_transfers_t4_5.xlsx")
    failed = [case for case in suite.findall("testcase") if case.find("failure") is not None]
    assert [(case.get("name"), case.get("classname")) for case in failed] == [("T4-5 表4!E6", "表4")]
    failure = failed[0].find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message") == (
        "序号 1 (湘乡市应急管理局): 移送案件数 (0) 小于刑事立案数、刑事不予立案数、不予起诉案件数之和 (2 + 0 + 0 = 2)"
        "(按最少改动应改 表4!E6:只改 表4!D6 会使 X-TRANSFER 不成立)。"
        "移送案件数应大于等于三项之和;请核对移送案件数或三项结果数。"
    )
    names = [case.get("name") for case in suite.findall("testcase")]
    assert "T4-6" in names and "T4-5" not in names  # T4-5 is there as its finding
    skipped = [case.get("name") for case in suite.findall("testcase") if case.find("skipped") is not None]
    assert "B-TREASURY" in skipped  # no treasury figures: not evaluated, never "passed"
    assert suite.get("tests") == str(len(names)) and suite.get("failures") == "1"


def test_a_batch_adds_a_suite_for_the_checks_across_returns_and_an_unreadable_file():
    code, root = _junit("batch", BATCH, *REFERENCE)
    suites = root.findall("testsuite")
    assert code == 1 and suites[-1].get("name") == "跨报表检查"
    across = [case.get("name") for case in suites[-1].findall("testcase") if case.find("failure") is not None]
    assert across == ["B-MISSING", "B-MISSING"]
    cases = [(suite, case) for suite in suites for case in suite.findall("testcase")]
    duplicates = [
        (suite.get("name"), case.find("failure") is not None) for suite, case in cases if "B-DUP" in case.get("name")
    ]
    assert duplicates and all(failed for _, failed in duplicates)  # never a passing B-DUP beside its failures
    assert "跨报表检查" not in [suite for suite, _ in duplicates]  # on the file of the second return
    unreadable = next(suite for suite in suites if suite.get("name").endswith(".xls"))
    outcomes = [
        (case.get("name"), "failure" if case.find("failure") is not None else case.find("skipped").get("message"))
        for case in unreadable.findall("testcase")
    ]
    assert outcomes[:2] == [("G-FILE", "failure"), ("B-MISSING", "failure")]
    assert {outcome for _, outcome in outcomes[2:]} == {"文件无法读取,未检查"}  # never a pass


def test_control_characters_in_a_name_cannot_break_the_xml(tmp_path):
    import shutil

    odd = tmp_path / "a\x1b[31m.xlsx"
    shutil.copy(SAMPLES / "broken_transfers_t4_5.xlsx", odd)
    _, root = _junit("check", odd)
    assert root.find("testsuite").get("name").endswith("a\\x1b[31m.xlsx")
