"""Rules on the return as a whole: forms present, readable cells, cell types, unit and year, periods, contact."""

import pytest
from conftest import (
    SAMPLES,
    assert_case_breaks_only_its_rule,
    assert_family_covered,
    case_ids,
    check_json,
    edit_member,
    only,
)

CASES = [
    (
        "G-FORMS",
        {"forms.support.title": "2024 年行政执法情况统计表"},
        "工作簿中未找到表3“行政执法保障情况统计表”(按表格标题查找,各表标题须保留“行政执法保障情况统计表”字样)",
        [],
    ),
    (
        "G-READ",
        {"forms.two_law_link.rows.0.reverse_received": "一件"},
        "反向衔接受案数 应填数字,现为“一件”;请只填数字(没有发生填 0)",
        ["表4!H6"],
    ),
    (
        "G-TYPES",
        {"forms.support.rows.0.training_hours": 720.5},
        "序号 1 (湘乡市应急管理局): 学时 填了 720.5,件(次、人)数应为整数",
        ["表3!K6"],
    ),
    (
        "G-UNIT",
        {"forms.support.unit": "湘乡市应急局"},
        "各表填报单位不一致: 表1“湘乡市应急管理局”、表2“湘乡市应急管理局”、表3“湘乡市应急局”、表4“湘乡市应急管理局”",
        ["表1!A2", "表2!A2", "表3!A2", "表4!A2"],
    ),
    (
        "G-PERIOD",
        {"forms.enterprise_stats.header_years": [2022, 2024]},
        "表2 表头期别为 2022|2024,按标题年度 2024 应为 2023|2024",
        ["表2!C6", "表2!D6"],
    ),
    ("G-CONTACT", {"contact": "张某"}, None, None),
    (
        "G-TOTAL",
        {
            "forms.two_law_link.rows": [
                {
                    "unit_name": "湘乡市应急管理局",
                    "uses_platform": "否",
                    "transferred": 0,
                    "criminal_filed": 0,
                    "criminal_not_filed": 0,
                    "not_prosecuted": 0,
                    "reverse_received": 1,
                    "admin_penalty_filed": 0,
                    "no_admin_penalty": 0,
                },
                {
                    "unit_name": "合 计",
                    "transferred": 0,
                    "criminal_filed": 0,
                    "criminal_not_filed": 0,
                    "not_prosecuted": 0,
                    "reverse_received": 2,
                    "admin_penalty_filed": 0,
                    "no_admin_penalty": 0,
                },
            ]
        },
        "合 计行的反向衔接受案数为 2,而 1 个单位之和为 1;请改正合 计行或核对各单位数字",
        ["表4!H7", "表4!H6"],
    ),
    (
        "G-HIDDEN",
        {"forms.support.state": "hidden"},
        "表3 所在的工作表“表3”是隐藏的,填报人看不到被检查的数字;请在 Excel/WPS 中取消隐藏并核对",
        ["表3!A1"],
    ),
]


def test_contact_needs_a_valid_phone(broken):
    found = only(broken({"contact": "张某 1380000"}), "G-CONTACT")
    assert [(f["message"], f["cells"]) for f in found] == [
        (
            "表1、表2、表3、表4 联系方式“张某 1380000”中没有有效的电话号码(手机 11 位,或区号-座机号)",
            ["表1!A3", "表2!A3", "表3!A3", "表4!A3"],
        )
    ]


def test_a_contact_wrong_on_one_form_only(broken):
    found = only(broken({"forms.support.contact": "李某"}), "G-CONTACT")
    assert [(f["message"], f["cells"]) for f in found] == [
        ("表3 联系方式“李某”中没有有效的电话号码(手机 11 位,或区号-座机号)", ["表3!A3"])
    ]


def test_contact_landline_and_full_width_digits_pass(broken):
    assert broken({"contact": "李某某 0731-56781234"}) == []
    assert broken({"contact": "李某某 １３９７５２１９１１１"}) == []


def test_contact_without_name(broken):
    found = only(broken({"contact": "13800000000"}), "G-CONTACT")
    assert found[0]["message"] == "表1、表2、表3、表4 联系方式“13800000000”中没有联系人姓名"


def test_year_missing_from_a_title(broken):
    found = only(broken({"forms.two_law_link.title": '"两法衔接"工作情况统计表'}), "G-UNIT")
    assert [f["message"] for f in found] == ['表4 标题中没有年度(如“2024 年"两法衔接"工作情况统计表”)']


def test_years_differ_between_titles(broken):
    found = only(broken({"forms.two_law_link.title": '2023 年"两法衔接"工作情况统计表'}), "G-UNIT")
    assert found[0]["message"] == "各表标题年度不一致: 表1“2024”、表2“2024”、表3“2024”、表4“2023”"


def test_negative_money_and_too_many_decimals(broken):
    findings = broken({"forms.case_stats.prev.fines": -5, "forms.support.rows.0.fines_3y": 278.491})
    found = [f for f in findings if f["rule"] == "G-TYPES"]
    assert [f["message"] for f in found] == [
        "2023 年罚没金额 填了 -5,不能为负数",
        "序号 1 (湘乡市应急管理局): 近三年罚款金额 填了 278.491,金额至多保留两位小数",
    ]


def test_choice_must_be_one_of_its_choices(broken):
    found = only(broken({"forms.two_law_link.rows.0.uses_platform": "有"}), "G-TYPES")
    assert found[0]["message"] == '序号 1 (湘乡市应急管理局): 是否使用"两法衔接平台" 填了“有”,应填 是/否'


def test_rules_on_a_missing_form_are_not_evaluated(workbook):
    report = check_json(workbook({"forms.two_law_link.title": "2024 年其他统计表"}))
    assert report["rules"]["T4-5"] == {**report["rules"]["T4-5"], "evaluated": 0, "not_evaluated": 0}
    assert report["rules"]["X-TRANSFER"]["not_evaluated"] == 1


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    # G-FILE, a file that cannot be read: on the sample city set (test_rules_across_returns) and in test_hostile
    # G-EXPLAIN, explanations that cannot stand: in test_explanations; G-SCALE below
    assert_family_covered(pack, "G-", CASES, elsewhere=("G-FILE", "G-EXPLAIN", "G-SCALE"))


def test_a_header_whose_unit_was_changed_is_read_in_its_unit_and_said(workbook):
    import openpyxl

    path = workbook({"forms.case_stats.prev.fines": 82.1768, "forms.case_stats.cur.fines": 103.2283})
    book = openpyxl.load_workbook(path)
    book["表1"]["S5"] = "罚没金额\n(万元)"  # the clerk changed the header, and typed 万元 under it
    book.save(path)
    report = check_json(path)
    assert [(f["rule"], f["message"], f["cells"]) for f in report["findings"]] == [
        (
            "G-SCALE",
            "表1 罚没金额的表头单位写为“万元”,模板为“元”;已按万元读取并换算为元(×10000)后检查,请按模板单位填写并恢复表头",
            ["表1!S5"],
        )
    ]
    assert report["rules"]["X-SUBSET"]["failed"] == 0  # 表2's 元 compared with 表1's figures in 元


@pytest.mark.parametrize(
    "formula, afresh, said",
    [
        ("<f>999</f><v>256</v>", True, "2023 年行政许可 是公式,但没有计算结果"),  # Excel shows 999, not 256
        ("<f>999</f><v>256</v>", False, None),  # calculated and saved: the cached 256 is what Excel shows
        ('<x-1.s:f xmlns:x-1.s="http://schemas.openxmlformats.org/spreadsheetml/2006/main">999</x-1.s:f>', False,
         "2023 年行政许可 是公式,但没有计算结果"),  # a formula under a prefix with - and ., never "未填写"
    ],
)  # fmt: skip
def test_a_formula_whose_result_excel_will_not_show_is_said_so(tmp_path, formula, afresh, said):
    import shutil

    path = tmp_path / "formula.xlsx"
    shutil.copy(SAMPLES / "clean.xlsx", path)
    edit_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="C7" s="3" t="n"><v>256</v></c>', f'<c r="C7" s="3">{formula}</c>'.encode()),
    )
    if not afresh:
        edit_member(path, "xl/workbook.xml", lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""))
    findings = check_json(path)["findings"]
    if said is None:
        assert findings == []
    else:
        assert [(f["rule"], f["cells"]) for f in findings] == [("G-READ", ["表1!C7"])]
        assert findings[0]["message"].startswith(said)
