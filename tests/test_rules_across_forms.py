"""Rules across the forms of one return: 表2 ⊆ 表1, transfers agree, 万元 covers 元."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids, only

CASES = [
    (
        "X-SUBSET",
        {"forms.enterprise_stats.prev.penalty": 130, "forms.enterprise_stats.yoy.penalty": "-75.4%"},
        "2023 年表2 涉企处罚 (130) 大于表1 行政处罚 (122)。涉企数据是全部执法数据的一部分,不应大于表1 对应数字;请核对两表口径。",
        ["表2!C7", "表1!M7"],
    ),
    (
        "X-TRANSFER",
        {"forms.two_law_link.rows.0.transferred": 2, "forms.two_law_link.rows.0.criminal_filed": 2},
        "表1 2024 年移送司法机关刑事案件件数 (0) 与表4 移送案件数合计 (2) 不一致。两表统计的是同一批移送案件,应当相等;如口径不同请说明。",
        ["表1!V7", "表4!D6"],
    ),
    (
        "X-WAN",
        {"forms.support.rows.0.fines_3y": 185.3},
        "表3 近三年罚款金额 185.3 万元少于表1 两年罚没金额之和 1854051 元。表3 单位为万元;三年合计应不少于表1 两年合计。请检查是否按元填写或漏计。",
        ["表3!S6", "表1!S7", "表1!T7"],
    ),
    (
        "X-YUAN",
        {"forms.enterprise_stats.prev.fines": 79.5, "forms.enterprise_stats.cur.fines": 92.53},
        "表2 2023 年罚没金额填 79.5 元,疑为按万元填写(按元应为 795000 元):每件涉企处罚仅 1.66 元(48 件);"
        "表3 近三年罚款金额为 278.49 万元。请按元填写(万元数 ×10000),并重算同比增减",
        ["表2!I7", "表2!C7", "表3!S6"],
    ),
]


def test_fines_typed_in_wan_in_one_year_of_form_1_are_found_with_every_sign(broken):
    findings = broken({"forms.case_stats.cur.fines": 103.23, "forms.case_stats.yoy.fines": "-100%"})
    assert [(f["rule"], f["message"], f["cells"]) for f in findings if f["rule"] == "X-YUAN"] == [
        (
            "X-YUAN",
            "表1 2024 年罚没金额填 103.23 元,疑为按万元填写(按元应为 1032300 元):每件行政处罚仅 1.29 元(80 件);"
            "另一年为 821768 元,是它的 7961 倍;表3 近三年罚款金额为 278.49 万元",
            ["表1!T7", "表1!N7", "表1!S7", "表3!S6"],
        )
    ]


@pytest.mark.parametrize(
    "changes",
    [
        # a township's few small fines: 200 元 a case, the other year alike, 表3 0.07 万元
        {
            "forms.case_stats.prev.fines": 300,
            "forms.case_stats.cur.fines": 400,
            "forms.case_stats.prev.penalty": 2,
            "forms.case_stats.cur.penalty": 2,
            "forms.support.rows.0.fines_3y": 0.07,
        },
        # one sign alone is not enough: 10 元 a case, but 表3 and the other year agree with 元
        {"forms.case_stats.prev.penalty": 82177, "forms.enterprise_stats.prev.penalty": 48},
    ],
)
def test_small_fines_in_yuan_are_no_slip(broken, changes):
    assert [f["rule"] for f in broken(changes) if f["rule"] == "X-YUAN"] == []


def test_wan_rounding_gives_the_benefit_of_the_doubt(broken):
    # 185.4 万元 stands for 1 853 500 – 1 854 500 元, which can cover 1 854 051 元
    assert broken({"forms.support.rows.0.fines_3y": 185.4}) == []
    # typed as text with two decimals it stands for 1 853 950 – 1 854 050 元: too little
    assert [f["rule"] for f in broken({"forms.support.rows.0.fines_3y": "185.40"})] == ["X-WAN"]


def test_subset_checked_in_both_periods(broken):
    found = only(
        broken({"forms.enterprise_stats.cur.inspection": 600, "forms.enterprise_stats.yoy.inspection": "+42.9%"}),
        "X-SUBSET",
    )
    assert [f["message"][:30] for f in found] == ["2024 年表2 涉企检查 (600) 大于表1 行政检查 (589)"[:30]]


def test_transfers_sum_over_every_unit_row(broken):
    rows = [
        {
            "unit_name": n,
            "uses_platform": "否",
            "transferred": 0,
            "criminal_filed": 0,
            "criminal_not_filed": 0,
            "not_prosecuted": 0,
            "reverse_received": 0,
            "admin_penalty_filed": 0,
            "no_admin_penalty": 0,
        }
        for n in ("甲", "乙", "丙")
    ]
    assert broken({"forms.two_law_link.rows": rows}) == []


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "X-", CASES)
