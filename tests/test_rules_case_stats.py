"""表1 行政执法案件数据: required cells, the 同比增减 row, the explanation row."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids, only

CASES = [
    (
        "T1-REQ",
        {"forms.case_stats.prev.levy": None},
        "2023 年行政征收 未填写;没有发生的请填 0,空白表示未报送",
        ["表1!E7"],
    ),
    (
        "T1-YOY",
        {"forms.case_stats.yoy.inspection": "+72.2%"},
        "行政检查 同比增减填了“+72.2%”,按 463 → 589 计算应为 +27.2%",
        ["表1!K8", "表1!K7", "表1!L7"],
    ),
    (
        "T1-EXPL",
        {"forms.case_stats.explanation": None},
        "数据变化原因简析未填写,而变化较大的 行政强制 -40%、行政处罚 -34.4%、重大执法决定法制审核案件数 +88.5%、"
        "移送司法机关刑事案件件数 -100%须说明原因。请逐项写明原因(如专项行动、检查计划调整、机构变动等)",
        ["表1!C9"],
    ),
    (
        "T1-FINES",
        {
            "forms.case_stats.prev.penalty": 0,
            "forms.case_stats.yoy.penalty": "—",
            "forms.enterprise_stats.prev.penalty": 0,
            "forms.enterprise_stats.yoy.penalty": "—",
            "forms.enterprise_stats.prev.fines": 0,
            "forms.enterprise_stats.yoy.fines": "—",
        },
        "2023 年罚没金额为 821768 元,行政处罚却为 0。如为上一年度作出、本年入库的罚没款,请说明;否则请核对行政处罚件数。",
        ["表1!S7", "表1!M7"],
    ),
]


def test_yoy_precision_is_the_written_precision(broken):
    # 463 -> 589 is +27.21…%: "+27%" and "+27.2%" are right, "+27.3%" is not
    assert broken({"forms.case_stats.yoy.inspection": "+27%"}) == []
    wrong = only(broken({"forms.case_stats.yoy.inspection": "+27.3%"}), "T1-YOY")
    assert wrong[0]["message"] == "行政检查 同比增减填了“+27.3%”,按 463 → 589 计算应为 +27.2%"


def test_yoy_without_plus_sign_and_stored_as_number(broken):
    assert broken({"forms.case_stats.yoy.licensing": "10.9%"}) == []
    assert broken({"forms.case_stats.yoy.licensing": 10.9}) == []  # a General cell shows 10.9


def test_a_number_in_a_general_cell_is_judged_as_excel_shows_it(broken):
    # 0.109 shows 0.109 in a General cell (0.109 %), not 10.9 %: only a % format makes it 10.9 %
    found = only(broken({"forms.case_stats.yoy.licensing": 0.109}), "T1-YOY")
    assert found[0]["message"] == "行政许可 同比增减填了“0.109”,按 256 → 284 计算应为 +10.938%"  # to its places
    found = only(broken({"forms.case_stats.yoy.penalty": 15}), "T1-YOY")
    assert found[0]["message"] == "行政处罚 同比增减填了“15”,按 122 → 80 计算应为 -34.4%"


def test_yoy_blank_where_it_can_be_computed(broken):
    found = only(broken({"forms.case_stats.yoy.penalty": None}), "T1-YOY")
    assert found[0]["message"] == "行政处罚 同比增减未填,按 122 → 80 计算应为 -34.4%"


def test_yoy_from_zero_must_be_a_dash(broken):
    changes = {"forms.case_stats.prev.levy": 0, "forms.case_stats.cur.levy": 4, "forms.case_stats.yoy.levy": "+400%"}
    found = [f for f in broken(changes) if f["rule"] == "T1-YOY"]
    assert found[0]["message"] == "行政征收 同比增减填了“+400%”,但 2023 年为 0(基数为 0),无法计算百分比,应填“—”"


def test_yoy_zero_to_zero_may_be_dash(broken):
    assert broken({"forms.case_stats.yoy.levy": "—"}) == []


def test_yoy_text_that_is_not_a_percentage(broken):
    found = only(broken({"forms.case_stats.yoy.coercion": "下降"}), "T1-YOY")
    assert found[0]["message"] == "行政强制 同比增减填了“下降”,按 5 → 3 计算应为 -40.0%"


def test_short_explanation_is_boilerplate(broken):
    found = only(broken({"forms.case_stats.explanation": "工作需要"}), "T1-EXPL")
    assert found[0]["message"].startswith("数据变化原因简析“工作需要”是套话")


def test_small_changes_need_no_explanation(broken, workbook):
    from conftest import clean_figures

    figures = clean_figures()
    case = figures["forms"]["case_stats"]
    case["cur"] = dict(case["prev"])
    case["yoy"] = {k: ("0%") for k in case["prev"]}
    case["explanation"] = None
    figures["forms"]["two_law_link"]["rows"][0]["transferred"] = 3
    figures["forms"]["two_law_link"]["rows"][0]["criminal_filed"] = 3
    for key in ("penalty", "coercion", "inspection", "fines", "complaint_cases", "legal_review"):
        figures["forms"]["enterprise_stats"]["cur"][key] = min(
            figures["forms"]["enterprise_stats"]["cur"][key], case["cur"][key]
        )
    from conftest import check_json

    report = check_json(workbook(figures=figures))
    assert "T1-EXPL" not in {f["rule"] for f in report["findings"]}
    assert report["rules"]["T1-EXPL"]["passed"] == 1


def test_a_form_without_its_yoy_row_is_told_so(workbook):
    import openpyxl
    from conftest import check_json

    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表1"]["B8"] = "备注"  # the 同比增减 label, renamed
    book.save(path)
    found = [f for f in check_json(path)["findings"] if f["rule"] == "T1-YOY"]
    assert [(f["message"], f["cells"]) for f in found] == [("表1 未找到“同比增减”行", ["表1!B7"])]


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "T1-", CASES)
