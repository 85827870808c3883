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
    assert len(lines) == 2 + 47
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
    assert (code, out, err) == (0, "规则包 行政执法统计年报默认规则包 没有问题: 47 条规则,5 张表\n", "")


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
