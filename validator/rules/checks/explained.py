"""explained — the unit's explanations of its warnings (the 审核说明 sheet) are sound.

    - id: G-EXPLAIN
      check: explained

A warning (核实性审核) may stand if the unit explains it: a row of the 审核说明 sheet naming the
rule and the cell, with an explanation that is not boilerplate and has at least the pack's
`explanation_min_chars`. It runs after every other rule of the return (the engine judges the rows
against that return's findings and gives it the judgements, `Explaining`): each completed row is
one outcome, passed where
it explains a warning (which the engine then marks explained, from the same judgement:
rules/explain.py), failed where it cannot stand — it explains an error (an error must be fixed,
never explained away), it explains nothing, or it names no finding at all (a mistyped rule or
cell, a rule that passed), said with the finding it most likely meant, so that nobody believes a
warning explained when it is not.
"""

from __future__ import annotations

from typing import NamedTuple

from validator.i18n import say
from validator.model import Outcome
from validator.rules.checks.base import Check

MESSAGES = {
    "error": {
        "zh": "审核说明为错误 {rule}({cell})作了说明,但错误须改正,不能以说明代替",
        "en": "the 审核说明 sheet explains the error {rule} ({cell}); errors must be fixed, not explained",
    },
    "empty": {
        "zh": "审核说明对 {rule}({cell})的说明“{text}”未说明具体原因;请写明这一数字为何属实",
        "en": 'the explanation of {rule} ({cell}), "{text}", explains nothing; say why the figure stands',
    },
    "unmatched": {
        "zh": "审核说明中的规则“{rule}”、单元格“{cell}”没有对应的警告,这条说明未起作用{nearest}",
        "en": 'the 审核说明 row for rule "{rule}", cell "{cell}", matches no warning, so it explains nothing{nearest}',
    },
    "nearest": {
        "zh": ";最接近的是 {rule}({cell}),请按“审核结果”中的规则编号和单元格填写",
        "en": "; the nearest is {rule} ({cell}): copy the rule and cell from the 审核结果 sheet",
    },
    "none": {
        "zh": ";本报表在这里没有需要说明的警告,可删除这一行",
        "en": "; there is no warning to explain there: the row may be deleted",
    },
}


class Explaining(NamedTuple):
    """What the check reports: the judgement of each 审核说明 row of one return, made once by the
    engine against that return's findings (rules/explain.py judge)."""

    judged: list


def run(rule, subject: Explaining, ctx):
    judged = subject.judged
    if not judged:
        yield Outcome("passed")  # nothing explained: nothing that cannot stand
    for judgement in judged:
        if judgement.key is None:
            yield Outcome("passed")
            continue
        row, nearest = judgement.row, ""
        if judgement.key == "unmatched":
            near = judgement.nearest
            nearest = (
                say(MESSAGES, "nearest", ctx.lang, rule=near.rule, cell=near.cells[0] if near.cells else "")
                if near is not None
                else say(MESSAGES, "none", ctx.lang)
            )
        text = say(MESSAGES, judgement.key, ctx.lang, rule=row.rule, cell=row.cell, text=row.text, nearest=nearest)
        yield Outcome("failed", text, (row.where,))


CHECK = Check("explained", run, summary="审核说明表对警告的说明成立(错误不能以说明代替,说明须写明原因,须对应一条警告)")
