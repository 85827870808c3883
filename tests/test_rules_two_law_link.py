"""表4 "两法衔接": the linkage notes and required cells, on each unit row."""


T = "forms.two_law_link.rows.0."

CASES = [
    ("T4-5", {T + "criminal_filed": 1, T + "not_prosecuted": 1},
     "序号 1 (湘乡市应急管理局): 移送案件数 (0) 小于刑事立案数、刑事不予立案数、不予起诉案件数之和 (1 + 0 + 1 = 2)。"
     "移送案件数应大于等于三项之和;请核对移送案件数或三项结果数。",
     ["表4!D6", "表4!E6", "表4!F6", "表4!G6"]),
    ("T4-6", {T + "admin_penalty_filed": 1, T + "no_admin_penalty": 1},
     "序号 1 (湘乡市应急管理局): 反向衔接受案数 (1) 小于行政处罚立案数与不予行政处罚案件数之和 (1 + 1 = 2)。"
     "反向衔接受案数应大于等于两项之和。",
     ["表4!H6", "表4!I6", "表4!J6"]),
    ("T4-REQ", {T + "uses_platform": None},
     "序号 1 (湘乡市应急管理局): 是否使用\"两法衔接平台\" 未填写,应填 是/否",
     ["表4!C6"]),
]


def test_transfers_equal_to_the_sum_pass(broken):
    findings = broken({T + "transferred": 3, T + "criminal_filed": 1, T + "criminal_not_filed": 1, T + "not_prosecuted": 1,
                       "forms.case_stats.cur.transferred": 3, "forms.case_stats.yoy.transferred": "0%"})
    assert findings == []


def test_every_unit_row_is_checked_and_named(broken, workbook):
    rows = [
        {"unit_name": "甲镇", "uses_platform": "是", "transferred": 2, "criminal_filed": 1, "criminal_not_filed": 0,
         "not_prosecuted": 0, "reverse_received": 0, "admin_penalty_filed": 0, "no_admin_penalty": 0},
        {"unit_name": "乙镇", "uses_platform": "否", "transferred": 0, "criminal_filed": 1, "criminal_not_filed": 0,
         "not_prosecuted": 0, "reverse_received": 0, "admin_penalty_filed": 0, "no_admin_penalty": 0},
    ]
    findings = broken({"forms.two_law_link.rows": rows, "forms.case_stats.cur.transferred": 2,
                       "forms.case_stats.yoy.transferred": "-33.3%"})
    assert [(f["rule"], f["message"][:12], f["cells"]) for f in findings] == [
        ("T4-5", "序号 2 (乙镇): 移", ["表4!D7", "表4!E7", "表4!F7", "表4!G7"])]


def test_a_row_holding_only_its_serial_is_an_unused_row(broken):
    # the template has four numbered rows; three of them are empty and must not be "blank units"
    assert broken({}) == []


def test_blank_input_is_not_evaluated_not_passed(workbook):
    from conftest import check_json

    report = check_json(workbook({T + "criminal_filed": None}))
    assert report["rules"]["T4-5"]["not_evaluated"] == 1
    assert report["rules"]["T4-5"]["passed"] == 0
