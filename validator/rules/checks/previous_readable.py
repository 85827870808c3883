"""previous_readable — every one of the past years' returns (`--previous`) could be read and is
of the year its folder was given as.

    - id: B-PREVIOUS
      check: previous_readable

A past return that cannot be read is one finding, naming it and why: the units it would have been
compared with are otherwise left "not evaluated" without a word. So is one whose title states
another year than its folder's (`--previous 2023=DIR` holding a 2022 return), which is set aside.
Without `--previous`: not evaluated.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "unreadable": {
            "zh": "上年报表无法读取({why}),与上年的比较未包括它;请换一份可读的上年报表",
            "en": "last year's return cannot be read ({why}), so nothing was compared with it; give a readable copy",
        },
        "misdated": {
            "zh": "这份报表是 {stated} 年的,而它所在的文件夹指明为 {given} 年(--previous {given}=…),未用于比较;请把它放入 {stated} 年的文件夹",
            "en": "this return is of {stated}, but its folder was given as {given}'s (--previous {given}=…), so nothing was compared with it; put it in the folder of {stated}",
        },
    },
)


def run(rule: Rule, digests: list[Any], ctx: Context) -> Iterator[Outcome]:
    reference = ctx.reference
    if reference is None or not (reference.previous or reference.previous_refused or reference.previous_misdated):
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    for path, why in reference.previous_refused:
        yield Outcome("failed", message(MESSAGES, "unreadable", why=why), (), file=path, unit="")
    for path, stated, given in reference.previous_misdated:
        yield Outcome("failed", message(MESSAGES, "misdated", stated=stated, given=given), (), file=path, unit="")
    yield Outcome("passed", times=sum(len(years) for years in reference.previous.values()))


CHECK = Check(
    "previous_readable",
    run,
    scope="batch",
    uses_reference=True,
    summary={"zh": "上年报表均可读取", "en": "every one of last year's returns could be read (`--previous`)."},
)
