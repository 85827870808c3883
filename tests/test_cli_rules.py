"""`formcheck rules list / explain / lint`: what a pack author reads, exactly."""

import re

from conftest import ROOT, formcheck

DEFAULT = ROOT / "rules" / "default"
RULES = DEFAULT / "rules" / "two_law_link.yaml"


def _line_of(path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(text))


def test_list_names_every_rule_with_severity_origin_and_what_it_checks():
    code, out, _ = formcheck("rules", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["规则", "级别", "依据", "检查内容"]
    assert len([line for line in lines[2:] if not line.startswith(" ")]) == 49  # for_each cases run on below
    row = next(line for line in lines if line.startswith("T4-5 "))
    assert re.split(r"\s{2,}", row) == [
        "T4-5",
        "错误",
        "表4 注5",
        "移送案件数 ≥ 刑事立案数 + 刑事不予立案数 + 不予起诉案件数",
    ]
    row = next(line for line in lines if line.startswith("T2-YOY "))
    assert row.endswith("同比增减行与两年数字算出的变化一致,并按所写精度核对")


def test_list_in_english():
    _, out, _ = formcheck("rules", "list", "--lang", "en")
    row = next(line for line in out.splitlines() if line.startswith("T2-YOY "))
    assert row.endswith("the 同比增减 row says what the figures say.")


def test_explain_gives_the_note_the_assertion_the_fields_their_cells_and_examples():
    code, out, _ = formcheck("rules", "explain", "T4-5")
    assert code == 0
    assert out.splitlines() == [
        "T4-5  错误  表4 注5",
        "检查内容: 移送案件数 ≥ 刑事立案数 + 刑事不予立案数 + 不予起诉案件数",
        "依据的填表说明:",
        '  表4 注5: "移送案件数"应当大于等于"刑事立案数""刑事不予立案数""不予起诉案件数"之和。',
        "表达式: transferred >= criminal_filed + criminal_not_filed + not_prosecuted",
        "读取的字段(空白报表中的单元格):",
        "  two_law_link.transferred  移送案件数 (件)  表4!D6",
        "  two_law_link.criminal_filed  刑事立案数 (件)  表4!E6",
        "  two_law_link.criminal_not_filed  刑事不予立案数 (件)  表4!F6",
        "  two_law_link.not_prosecuted  不予起诉案件数 (件)  表4!G6",
        "例子:",
        "  成立: 移送案件数 = 1, 刑事立案数 = 1, 刑事不予立案数 = 0, 不予起诉案件数 = 0",
        "  不成立(报告问题): 移送案件数 = 1, 刑事立案数 = 1, 刑事不予立案数 = 1, 不予起诉案件数 = 1",
        f"定义于: {RULES}:{_line_of(RULES, '- id: T4-5')}",
    ]


def test_explain_a_guarded_rule_finds_examples_where_the_guard_holds():
    _, out, _ = formcheck("rules", "explain", "T3-MON")
    assert "检查内容: 当 数量 = 0 时,执法领域 为空白" in out.splitlines()
    assert "  不成立(报告问题): 执法领域 = 视频监控, 数量 = 0" in out.splitlines()


def test_explain_an_unknown_rule_suggests_the_nearest():
    code, out, err = formcheck("rules", "explain", "T4-7")
    assert (code, out, err) == (2, "", '规则包中没有规则 "T4-7",是否应为 "T4-6"?\n')


def test_lint_passes_the_default_pack():
    code, out, err = formcheck("rules", "lint", DEFAULT)
    assert (code, out, err) == (0, "规则包 行政执法统计年报默认规则包 没有问题: 49 条规则,5 张表\n", "")


def test_lint_lists_every_problem_of_a_pack(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace(
        "  severity: error\n  origin:\n    zh: 表4 注5", "  severity: fatal\n  origin:\n    zh: 表4 注5"
    )
    text = text.replace("assert: reverse_received >=", "assert: reverse_recieved >=")
    rules.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    fatal = next(i for i, line in enumerate(lines, 1) if "fatal" in line)
    typo = next(i for i, line in enumerate(lines, 1) if "recieved" in line)
    code, out, err = formcheck("rules", "lint", pack_copy)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"规则包有误: {rules}:{fatal}: 规则 T4-5: severity 的值“fatal”不对,可用的值: error、warning、info",
        f'规则包有误: {rules}:{typo}: 规则 T4-6: 表 two_law_link 中没有字段 "reverse_recieved",是否应为 "reverse_received"?',
        "共 2 个问题",
    ]


def test_fields_lists_a_forms_fields_as_rules_name_them_and_where_they_stand():
    code, out, _ = formcheck("rules", "fields", "表4")
    lines = out.splitlines()
    assert code == 0 and lines[0] == '表4 "两法衔接"工作情况统计表(two_law_link)'
    assert re.split(r"\s{2,}", lines[1]) == ["字段(规则中的写法)", "名称", "单位", "类型", "空白报表中的单元格"]
    assert re.split(r"\s{2,}", lines[5]) == ["two_law_link.transferred", "移送案件数", "件", "count", "表4!D6"]
    assert len(lines) == 3 + 9
    _, by_id, _ = formcheck("rules", "fields", "two_law_link")
    _, by_title, _ = formcheck("rules", "fields", "“两法衔接”工作情况统计表")
    assert by_id == by_title == out
    _, every, _ = formcheck("rules", "fields")
    assert every.count("空白报表中的单元格") == 5 and "case_stats.licensing" in every
    assert "  表1!C7 表1!D7" in next(line for line in every.splitlines() if line.startswith("case_stats.licensing "))


def test_fields_of_a_form_the_pack_has_not_suggests_one():
    assert formcheck("rules", "fields", "表9") == (2, "", '规则包中没有表 "表9",是否应为 "表4"?\n')
    code, _, err = formcheck("rules", "fields", "xyz", "--lang", "en")
    assert (code, err) == (2, 'the pack has no form "xyz" (there are: 表1, case_stats, 表2, enterprise_stats, '
                              "表3, support, 表4, two_law_link …)\n")  # fmt: skip


def test_list_shows_every_case_of_a_for_each_rule():
    _, out, _ = formcheck("rules", "list")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("X-SUBSET "))
    cases = [lines[start].split("   ")[-1].strip()] + [line.strip() for line in lines[start + 1 : start + 12]]
    assert cases[:2] == ["上年涉企处罚 ≤ 上年行政处罚", "本年涉企处罚 ≤ 本年行政处罚"]
    assert "本年表2 罚没金额 ≤ 本年表1 罚没金额" in cases  # the same label on two forms: each says its form
    assert cases[-1] == "本年重大执法决定法制审核案件数 ≤ 本年重大执法决定法制审核案件数".replace(
        "本年重大", "本年表2 重大", 1
    ).replace("≤ 本年重大", "≤ 本年表1 重大")


def test_a_name_nothing_is_near_gets_the_names_there_are(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    text = rules.read_text(encoding="utf-8").replace("assert: reverse_received >=", "assert: zzz >=")
    rules.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "zzz" in row)
    code, _, err = formcheck("rules", "lint", pack_copy)
    assert (code, err.splitlines()) == (
        2,
        [
            f'规则包有误: {rules}:{line}: 规则 T4-6: 表 two_law_link 中没有字段 "zzz"(可用的有: unit_name、uses_platform、'
            "transferred、criminal_filed、criminal_not_filed、not_prosecuted、reverse_received、admin_penalty_filed …)"
        ],
    )
    assert formcheck("rules", "explain", "QQQ") == (2, "", '规则包中没有规则 "QQQ";formcheck rules list 列出全部规则\n')
