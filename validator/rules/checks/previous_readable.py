"""previous_readable — every one of last year's returns (`--previous DIR`) could be read.

    - id: B-PREVIOUS
      check: previous_readable

A file of last year that cannot be read is one finding, naming it and why: the units it would have
been compared with are otherwise left "not evaluated" without a word. Without `--previous`: not
evaluated.
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
    },
)


def run(rule: Rule, digests: list[Any], ctx: Context) -> Iterator[Outcome]:
    reference = ctx.reference
    if reference is None or not (reference.previous or reference.previous_refused):
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    for path, why in reference.previous_refused:
        yield Outcome("failed", message(MESSAGES, "unreadable", why=why), (), file=path, unit="")
    yield Outcome("passed", times=len(reference.previous))


CHECK = Check(
    "previous_readable",
    run,
    scope="batch",
    uses_reference=True,
    summary={"zh": "上年报表均可读取", "en": "every one of last year's returns could be read (`--previous`)."},
)
