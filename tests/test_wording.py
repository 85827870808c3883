"""An expression said in words (validator/rules/wording.py): labels, operators as people write them,
brackets only where they are needed."""

import pytest

from validator.rules.syntax import compile_expression
from validator.rules.wording import said


@pytest.mark.parametrize(
    "text, words",
    [
        ("transferred - (criminal_filed - not_prosecuted) >= 0", "移送案件数 - (刑事立案数 - 不予起诉案件数) ≥ 0"),
        ("(transferred - criminal_filed) - not_prosecuted != 0", "移送案件数 - 刑事立案数 - 不予起诉案件数 ≠ 0"),
        ("transferred * (criminal_filed + 1) == 2", "移送案件数 * (刑事立案数 + 1) = 2"),
        ("transferred > 0 and not criminal_filed > 0", "移送案件数 > 0 且 并非 刑事立案数 > 0"),
        ("is_blank(transferred) or transferred <= 3", "移送案件数 为空白 或 移送案件数 ≤ 3"),
    ],
)
def test_said_in_chinese(pack, text, words):
    assert said(compile_expression(text, pack.forms, "two_law_link"), pack).render("zh") == words


def test_said_in_english_with_years(pack):
    tree = compile_expression("enterprise_stats.penalty.cur <= case_stats.penalty.cur", pack.forms, None)
    assert said(tree, pack).render("en") == "penalties on enterprises current year ≤ penalties current year"
    assert said(tree, pack).render("zh") == "本年涉企处罚 ≤ 本年行政处罚"
