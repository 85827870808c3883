"""表3 行政执法保障情况: certified staff, monitoring devices, required cells."""

import pytest
from conftest import assert_case_breaks_only_its_rule, assert_family_covered, case_ids

S = "forms.support.rows.0."

CASES = [
    (
        "T3-1",
        {S + "cert_comprehensive": 30},
        "序号 1 (湘乡市应急管理局): 本部门持证人数 (24) 少于综合行政执法机构持证人数 (30)"
        "(按最少改动应改 表3!I6:只改 表3!H6 会使 T3-STAFF 不成立)。"
        "本部门持证人数包含本部门二级行政执法机构的持证人数,应不少于后者。",
        ["表3!I6", "表3!H6"],  # 30 certified would be more than the staff (26)
    ),
    (
        "T3-STAFF",
        {S + "cert_dept": 44},
        "序号 1 (湘乡市应急管理局): 本部门持证人数 (44) 多于在编在岗人数(行政编制 25 + 事业编制 1 = 26)。"
        "请核实持证人数是否含已调离或非在编人员;如属实请在报送时说明。",
        ["表3!H6", "表3!C6", "表3!D6"],
    ),
    (
        "T3-MON",
        {S + "monitor_field": "道路交通"},
        "序号 1 (湘乡市应急管理局): 执法类电子技术监控设备数量为 0,执法领域却填了“道路交通”。"
        "没有监控设备时执法领域不填;如有设备请填写数量。",
        ["表3!Q6", "表3!R6"],
    ),
    ("T3-REQ", {S + "unit_name": None}, "序号 1: 行政执法单位名称 未填写", ["表3!B6"]),
    (
        "T3-TRAIN",
        {S + "training_hours": 0},
        "序号 1 (湘乡市应急管理局): 培训人次为 9,学时为 0;有培训就有人次和学时,两者应同为 0 或同大于 0。"
        "请补填缺少的一项,或把误填的一项改为 0。",
        ["表3!J6", "表3!K6"],
    ),
]


def test_comprehensive_body_left_blank_is_allowed(broken):
    # note 2: without a separately established body the column stays blank
    assert broken({S + "cert_comprehensive": None}) == []


def test_monitor_field_with_devices_passes(broken):
    assert broken({S + "monitor_field": "道路交通", S + "monitor_count": 3}) == []


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_case_breaks_exactly_its_rule(broken, case):
    assert_case_breaks_only_its_rule(broken, case, base=None)


def test_every_rule_of_the_family_has_a_breaking_case(pack):
    assert_family_covered(pack, "T3-", CASES)
