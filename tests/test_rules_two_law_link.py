"""表4 "两法衔接": the linkage notes and required cells, on each unit row; a 合计 row among them."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids, check_json

T = "forms.two_law_link.rows.0."

CASES = [
    (
        "T4-5",
        {T + "criminal_filed": 1, T + "not_prosecuted": 1},
        "序号 1 (湘乡市应急管理局): 移送案件数 (0) 小于刑事立案数、刑事不予立案数、不予起诉案件数之和 (1 + 0 + 1 = 2)"
        "(按最少改动应改 表4!E6、表4!G6:只改 表4!D6 会使 X-TRANSFER 不成立)。"
        "移送案件数应大于等于三项之和;请核对移送案件数或三项结果数。",
        ["表4!E6", "表4!G6", "表4!D6", "表4!F6"],  # 表1 counts no transfer: two outcomes too many
    ),
    (
        "T4-6",
        {T + "admin_penalty_filed": 1, T + "no_admin_penalty": 2},
        "序号 1 (湘乡市应急管理局): 反向衔接受案数 (1) 小于行政处罚立案数 (1) 或不予行政处罚案件数 (2)。"
        "注6:反向衔接受案数应分别大于等于行政处罚立案数和不予行政处罚案件数(两项可以重叠,不相加)。",
        ["表4!H6", "表4!I6", "表4!J6"],
    ),
    (
        "T4-REQ",
        {T + "uses_platform": None},
        '序号 1 (湘乡市应急管理局): 是否使用"两法衔接平台" 未填写,应填 是/否',
        ["表4!C6"],
    ),
]


@pytest.mark.parametrize(
    "received, opened, not_penalised, rule",
    [(2, 2, 1, None), (2, 1, 2, None), (1, 1, 1, None), (2, 0, 0, None), (1, 2, 0, "T4-6"), (2, 2, 3, "T4-6")],
)
def test_note_6_holds_each_outcome_not_their_sum(in_memory, received, opened, not_penalised, rule):
    changes = {
        T + "reverse_received": received,
        T + "admin_penalty_filed": opened,
        T + "no_admin_penalty": not_penalised,
    }
    assert [f["rule"] for f in in_memory(changes)] == ([rule] if rule else [])


def test_transfers_equal_to_the_sum_pass(broken):
    findings = broken(
        {
            T + "transferred": 3,
            T + "criminal_filed": 1,
            T + "criminal_not_filed": 1,
            T + "not_prosecuted": 1,
            "forms.case_stats.cur.transferred": 3,
            "forms.case_stats.yoy.transferred": "0%",
        }
    )
    assert findings == []


def test_every_unit_row_is_checked_and_named(broken, workbook):
    rows = [
        {
            "unit_name": "甲镇",
            "uses_platform": "是",
            "transferred": 2,
            "criminal_filed": 1,
            "criminal_not_filed": 0,
            "not_prosecuted": 0,
            "reverse_received": 0,
            "admin_penalty_filed": 0,
            "no_admin_penalty": 0,
        },
        {
            "unit_name": "乙镇",
            "uses_platform": "否",
            "transferred": 0,
            "criminal_filed": 1,
            "criminal_not_filed": 0,
            "not_prosecuted": 0,
            "reverse_received": 0,
            "admin_penalty_filed": 0,
            "no_admin_penalty": 0,
        },
    ]
    findings = broken(
        {
            "forms.two_law_link.rows": rows,
            "forms.case_stats.cur.transferred": 2,
            "forms.case_stats.yoy.transferred": "-33.3%",
        }
    )
    assert [(f["rule"], f["message"][:12], f["cells"]) for f in findings] == [
        ("T4-5", "序号 2 (乙镇): 移", ["表4!E7", "表4!D7", "表4!F7", "表4!G7"])
    ]


def test_a_row_holding_only_its_serial_is_an_unused_row(broken):
    # the template has four numbered rows; three of them are empty and must not be "blank units"
    assert broken({}) == []


def test_blank_input_is_not_evaluated_not_passed(workbook):
    from conftest import check_json

    report = check_json(workbook({T + "criminal_filed": None}))
    assert report["rules"]["T4-5"]["not_evaluated"] == 1
    assert report["rules"]["T4-5"]["passed"] == 0


def _units_and_total(total_off_by: int = 0) -> list:
    """Four townships' rows and a 合计 row below them, as a county's 表4 lists them."""
    figures = [
        "transferred",
        "criminal_filed",
        "criminal_not_filed",
        "not_prosecuted",
        "reverse_received",
        "admin_penalty_filed",
        "no_admin_penalty",
    ]
    units = [
        {
            "unit_name": name,
            "uses_platform": "是",
            "transferred": n,
            "criminal_filed": n - 1,
            "criminal_not_filed": 0,
            "not_prosecuted": 1 if n > 1 else 0,
            "reverse_received": n,
            "admin_penalty_filed": 1,
            "no_admin_penalty": 0,
        }
        for name, n in (("甲镇", 1), ("乙镇", 2), ("丙乡", 3), ("丁街道", 4))
    ]
    total = {field: sum(unit[field] for unit in units) for field in figures}
    total["transferred"] += total_off_by
    return units + [{"unit_name": "全市合计", **total}]


def _county(total_off_by: int = 0) -> dict:
    return {
        "forms.two_law_link.rows": _units_and_total(total_off_by),
        "forms.case_stats.cur.transferred": 10,
        "forms.case_stats.yoy.transferred": "+233.3%",
    }


def test_a_total_row_that_adds_up_is_no_unit_and_raises_nothing(broken):
    # 表1's transfers (10) equal the four units' sum; with the 合计 row counted as a unit they would be 20
    assert broken(_county()) == []


def test_a_total_row_off_by_one_is_one_error_naming_its_cell(broken):
    findings = broken(_county(total_off_by=1))
    assert [(f["rule"], f["message"], f["cells"]) for f in findings] == [
        (
            "G-TOTAL",
            "全市合计行的移送案件数为 11,而 4 个单位之和为 10;请改正全市合计行或核对各单位数字",
            ["表4!D10", "表4!D6", "表4!D7", "表4!D8", "表4!D9"],
        )
    ]


def test_a_total_labelled_in_the_serial_column_and_subtotals(workbook):
    import openpyxl

    rows = _units_and_total()
    subtotal = {k: v for k, v in rows[4].items() if k != "unit_name"}
    path = workbook(_county())
    book = openpyxl.load_workbook(path)
    sheet = book["表4"]
    sheet["A10"], sheet["B10"] = "合　计", None  # full-width space, label in the 序号 column
    sheet.insert_rows(8)  # a 小计 of the first two units, one off
    sheet["A8"], sheet["D8"], sheet["E8"] = "小计", 4, 1
    book.save(path)
    findings = check_json(path)["findings"]
    assert [(f["rule"], f["message"], f["cells"][0]) for f in findings] == [
        ("G-TOTAL", "小计行的移送案件数为 4,而 2 个单位之和为 3;请改正小计行或核对各单位数字", "表4!D8")
    ]
    assert subtotal  # the 合计 row is checked against all four units and holds


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "T4-", CASES)
