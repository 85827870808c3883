"""案件清单: required cells, cases of the year, delegated cases, totals against 表1 and 表2."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids, check_json, only

BASE = "register"  # the cases below change the clean return with a case register
R = "forms.case_register.rows."

CASES = [
    ("R-REQ", {R + "3.enterprise": None}, "序号 4: 是否涉企 未填写,应填 是/否", ["案件清单!E9"]),
    # the case no longer counts, so 行政许可 goes down to 283 with it
    (
        "R-YEAR",
        {
            R + "0.concluded": "2023-12-30",
            "forms.case_stats.cur.licensing": 283,
            "forms.case_stats.yoy.licensing": "+10.5%",
        },
        "案件 XX-2024-0001 办结日期为 2023-12-30,不在 2024 年内;只统计当年已办结的案件(表1 注1),请移出本年清单",
        ["案件清单!D6"],
    ),
    (
        "R-DELEGATED",
        {
            R + "0.delegating": "湘潭市应急管理局",
            R + "1.delegating": "湘乡市应急管理局",
            "forms.case_stats.cur.licensing": 283,
            "forms.case_stats.yoy.licensing": "+10.5%",
        },
        "案件 XX-2024-0001 的委托机关为“湘潭市应急管理局”;委托执法案件由委托机关汇总报送,不应列入“湘乡市应急管理局”的报表",
        ["案件清单!G6"],
    ),
    ("R-TOTALS", {R + "0.category": "行政征收"}, None, None),
    (
        "R-DUP",
        {R + "2.case_no": "XX-2024-0001"},
        "案件编号 XX-2024-0001 在案件清单中出现两次(第一次在 案件清单!B6);同一案件只统计一次,请删除重复的一行",
        ["案件清单!B8", "案件清单!B6"],
    ),
]


@pytest.mark.parametrize("twin", ["XX-2024-0001 ", "XX-2024-0001"])
def test_a_case_number_twice_in_the_register_is_found_by_check_alone(broken, twin):
    findings = broken({R + "5.case_no": twin, R + "9.case_no": "XX-2024-0009"}, base=BASE)
    assert [(f["rule"], f["cells"]) for f in findings] == [
        ("R-DUP", ["案件清单!B11", "案件清单!B6"]),
        ("R-DUP", ["案件清单!B15", "案件清单!B14"]),
    ]


def test_numbers_that_only_look_alike_are_two_cases(broken):
    assert broken({R + "5.case_no": "XX-2024-0001-1", R + "6.case_no": "xx-2024-0001"}, base=BASE) == []


def test_a_case_of_another_year_breaks_the_totals_too(broken):
    findings = broken({R + "0.concluded": "2023-12-30"}, base=BASE)
    assert sorted(f["rule"] for f in findings) == ["R-TOTALS", "R-YEAR"]
    year = next(f for f in findings if f["rule"] == "R-YEAR")
    assert (
        year["message"]
        == "案件 XX-2024-0001 办结日期为 2023-12-30,不在 2024 年内;只统计当年已办结的案件(表1 注1),请移出本年清单"
    )
    assert year["cells"] == ["案件清单!D6"]
    totals = next(f for f in findings if f["rule"] == "R-TOTALS")
    assert totals["message"] == "表1 2024 年行政许可填 284,而案件清单中符合条件的案件为 283 件(行政许可)"
    assert totals["cells"] == ["表1!D7"]


def test_delegated_case_belongs_to_the_delegating_authority(broken):
    findings = broken({R + "5.delegating": "湘潭市应急管理局"}, base=BASE)
    delegated = [f for f in findings if f["rule"] == "R-DELEGATED"]
    assert [(f["message"], f["cells"]) for f in delegated] == [
        (
            "案件 XX-2024-0006 的委托机关为“湘潭市应急管理局”;委托执法案件由委托机关汇总报送,不应列入“湘乡市应急管理局”的报表",
            ["案件清单!G11"],
        )
    ]
    # and it no longer counts towards this return's figures
    assert {f["rule"] for f in findings} == {"R-DELEGATED", "R-TOTALS"}


def test_a_case_of_another_category_shows_in_both_totals(broken):
    findings = only(broken({R + "0.category": "行政征收"}, base=BASE), "R-TOTALS")
    assert [f["message"] for f in findings] == [
        "表1 2024 年行政许可填 284,而案件清单中符合条件的案件为 283 件(行政许可)",
        "表1 2024 年行政征收填 0,而案件清单中符合条件的案件为 1 件(行政征收)",
    ]


def test_fines_and_enterprise_totals(broken):
    penalty = next(i for i, c in enumerate(_register()) if c["category"] == "行政处罚" and c["enterprise"] == "是")
    findings = only(broken({f"{R}{penalty}.fine": 1, f"{R}{penalty}.enterprise": "否"}, base=BASE), "R-TOTALS")
    assert [f["message"] for f in findings] == [
        "表2 2024 年涉企处罚填 32,而案件清单中符合条件的案件为 31 件(行政处罚、涉企)",
        "表1 2024 年罚没金额填 1032283 元,而案件清单中罚没金额合计 1003369 元",
        "表2 2024 年罚没金额填 925279 元,而案件清单中罚没金额合计 896364 元(涉企)",
    ]


def test_the_clean_register_passes_every_register_rule(workbook, pack):
    report = check_json(workbook(base=BASE))
    assert report["findings"] == []
    for rule in (r for r in pack.rules if r.form == "case_register"):
        assert report["rules"][rule.id]["passed"] >= 1 and report["rules"][rule.id]["failed"] == 0, rule.id


def test_a_date_that_is_not_a_date(broken):
    findings = only(broken({R + "2.concluded": "去年"}, base=BASE), "G-READ")
    assert findings[0]["message"] == "办结日期 应填日期(如 2024-03-05),现为“去年”"


def _register():
    from conftest import clean_with_register

    return clean_with_register()["forms"]["case_register"]["rows"]


def test_unreadable_cells_are_reported_row_by_row_and_an_emptied_row_is_skipped(broken):
    emptied = {
        f"{R}1.{field}": None for field in ("case_no", "category", "concluded", "enterprise", "fine", "delegating")
    }
    findings = broken({R + "3.concluded": "去年", R + "2.fine": "一百", **emptied}, base=BASE)
    unreadable = [(f["message"], f["cells"]) for f in findings if f["rule"] == "G-READ"]
    assert unreadable == [
        ("罚没金额 应填数字,现为“一百”;请只填数字(没有发生填 0)", ["案件清单!F8"]),
        ("办结日期 应填日期(如 2024-03-05),现为“去年”", ["案件清单!D9"]),
    ]
    assert not [f for f in findings if f["rule"] == "R-REQ"]  # row 7, emptied, is not a case left half-filled


def test_a_choice_outside_the_list_and_a_negative_fine_in_a_long_register(broken):
    findings = broken({R + "4.enterprise": "不详", R + "7.fine": -20}, base=BASE)
    types = [(f["message"], f["cells"]) for f in findings if f["rule"] == "G-TYPES"]
    assert types == [
        ("序号 5: 是否涉企 填了“不详”,应填 是/否", ["案件清单!E10"]),
        ("序号 8: 罚没金额 填了 -20,不能为负数", ["案件清单!F13"]),
    ]


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=BASE)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "R-", CASES)


def test_a_register_over_the_cases_cap_is_refused_in_terms_of_cases(workbook):
    from conftest import formcheck

    path = workbook(base=BASE)
    cases = len(_register())
    code, _, err = formcheck("check", path, "--max-cases", cases - 1)
    assert code == 2
    assert err == (
        f"{path}: 无法读取: 案件清单(工作表“案件清单”)有 {cases} 件案件,超过 {cases - 1} 件上限,未检查;"
        "确有这么多案件请用 --max-cases 调高\n"
    )


@pytest.mark.slow
def test_a_city_bureaus_register_of_300000_cases_is_read_by_default(tmp_path):
    """Issue 18: the row cap counted a sheet's rows and refused a 200,000-case register."""
    import sys

    from conftest import ROOT, formcheck

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import large_register_return

    path = large_register_return(tmp_path / "register.xlsx", 300_000)
    code, out, err = formcheck("check", path, "--format", "json")
    assert code in (0, 1), err
    document = __import__("json").loads(out)
    assert document["files"][0]["status"] != "unreadable"
    assert document["rules"]["R-REQ"]["evaluated"] >= 300_000
