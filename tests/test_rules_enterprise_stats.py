"""表2 涉企行政执法数据: required cells, 同比增减, explanation of changes and zeros, 从轻 ≤ 涉企处罚."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids

E = "forms.enterprise_stats."

CASES = [
    ("T2-REQ", {E + "cur.exempt_amount": None}, "2024 年免罚金额 未填写;没有发生的请填 0,空白表示未报送", ["表2!R7"]),
    (
        "T2-YOY",
        {E + "yoy.exempt_cases": "+1500%"},
        "免罚案件 同比增减填了“+1500%”,但 2023 年为 0(基数为 0),无法计算百分比,应填“—”",
        ["表2!O8", "表2!O7", "表2!P7"],
    ),
    (
        "T2-EXPL",
        {E + "explanation": "根据执法实际情况有所浮动。"},
        "数据变化原因简析“根据执法实际情况有所浮动。”是套话,未说明具体原因,而变化较大的 涉企处罚 -33.3%、涉企强制 -40%、"
        "重大执法决定法制审核案件数 +42.9%、免罚案件 由 0 增至 15、免罚金额 由 0 增至 37000、包容审慎适用行政强制措施 -40%;"
        "数据为 0 的 从轻案件、从轻金额须说明原因。请逐项写明原因(如专项行动、检查计划调整、机构变动等)",
        ["表2!C9"],
    ),
    (
        "T2-LENIENT",
        {E + "prev.lenient_cases": 50, E + "yoy.lenient_cases": "-100%"},
        "2023 年从轻案件 (50) 多于涉企处罚 (48)。从轻处罚的案件也是涉企处罚案件,请核对两项数字。",
        ["表2!S7", "表2!C7"],
    ),
    (
        "T2-EXEMPT",
        {E + "cur.exempt_cases": 0, E + "yoy.exempt_cases": "0%"},
        "2024 年免罚金额为 37000 元,免罚案件却为 0。免罚金额是免罚案件所免的金额;请填写免罚案件数,或核对免罚金额。",
        ["表2!R7", "表2!P7"],
    ),
    (
        "T2-LENIENT-AMT",
        {E + "cur.lenient_amount": 5000, E + "yoy.lenient_amount": "—"},
        "2024 年从轻金额为 5000 元,从轻案件却为 0。从轻金额是从轻处罚案件的金额;请填写从轻案件数,或核对从轻金额。",
        ["表2!V7", "表2!T7"],
    ),
    (
        "T2-FINES",
        {E + "prev.penalty": 0, E + "yoy.penalty": "—"},
        "2023 年涉企罚没金额为 794968 元,涉企处罚却为 0。如为上一年度作出、本年入库的罚没款,请说明;否则请核对涉企处罚件数。",
        ["表2!I7", "表2!C7"],
    ),
]


def test_zeros_alone_need_an_explanation(broken, workbook):
    """表2 注3: a figure of 0 must be analysed even when nothing changed much."""
    from conftest import check_json, clean_figures

    figures = clean_figures()
    ent = figures["forms"]["enterprise_stats"]
    ent["cur"] = dict(ent["prev"])
    ent["yoy"] = {k: "0%" for k in ent["prev"]}
    ent["explanation"] = None
    findings = [f for f in check_json(workbook(figures=figures))["findings"] if f["rule"] == "T2-EXPL"]
    assert findings[0]["message"] == (
        "数据变化原因简析未填写,而数据为 0 的 免罚案件、免罚金额、从轻案件、从轻金额须说明原因。"
        "请逐项写明原因(如专项行动、检查计划调整、机构变动等)"
    )


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "T2-", CASES)


@pytest.mark.parametrize("written", ["—", "/", "", "新增", "新增15件", "不适用", " 无 ", "－"])
def test_a_change_from_zero_said_without_a_percentage_passes(broken, written):
    # 免罚案件 0 → 15: there is no base, and every way of saying "no percentage" is right
    assert broken({"forms.enterprise_stats.yoy.exempt_cases": written}) == []


@pytest.mark.parametrize(
    "written, shown", [("+1500%", "+1500%"), ("１５００％", "１５００％"), (15, "15"), ("1500", "1500"), (0.5, "0.5")]
)
def test_a_figure_written_as_a_change_from_zero_is_quoted_as_the_clerk_sees_it(broken, written, shown):
    findings = broken({"forms.enterprise_stats.yoy.exempt_cases": written})
    assert [(f["rule"], f["message"], f["cells"][0]) for f in findings] == [
        (
            "T2-YOY",
            f"免罚案件 同比增减填了“{shown}”,但 2023 年为 0(基数为 0),无法计算百分比,应填“—”",
            "表2!O8",
        )
    ]


EXPLAINS_CHANGES = "涉企处罚减少、免罚案件由0增至15件,因2024年起执行轻微违法不予处罚清单;涉企强制减少因企业整改到位;法制审核案件增加因审核目录扩大。"


@pytest.mark.parametrize(
    "said",
    [
        "从轻案件、从轻金额均为0,因适用清单的案件均不予处罚。",
        "其余均为０,因无从轻情形。",
        "其余各项均为零,系无此类案件。",
    ],
)
def test_an_explanation_that_speaks_of_the_zeros_passes(broken, said):
    assert broken({E + "explanation": EXPLAINS_CHANGES + said}) == []


def test_an_explanation_silent_on_the_zeros_names_them(broken):
    findings = broken({E + "explanation": EXPLAINS_CHANGES + "从轻案件为0,因无从轻情形。"})
    assert [(f["rule"], f["message"], f["cells"]) for f in findings] == [
        (
            "T2-EXPL",
            "数据变化原因简析未说明数据为 0 的 从轻金额;表2 注3 要求执法数据为“0”的也要进行分析,"
            "请逐项写明原因,或写“其余均为0,因……”",
            ["表2!C9"],
        )
    ]
