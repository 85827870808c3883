"""register_delegated — delegated cases appear only in the delegating authority's return.

    - id: R-DELEGATED
      form: case_register
      check: register_delegated

A case whose 委托机关 is another unit is reported by that unit (表1 注2); listed here it would be
counted twice. Registry names and aliases count as the same unit.
"""

from __future__ import annotations

from validator.checks.register import register_rows, text_of
from validator.checks.base import unit_key
from validator.i18n import say
from validator.model import Outcome

NEEDS_FORM = True
MESSAGES = {
    "elsewhere": {"zh": "案件 {number} 的委托机关为“{by}”;委托执法案件由委托机关汇总报送,不应列入“{unit}”的报表",
                  "en": "case {number} was delegated by \"{by}\"; it belongs in {by}'s return, not in \"{unit}\"'s"},
}


def prepare(spec: dict, pack) -> None:
    return None


def run(rule, ret, ctx):
    own = unit_key(ctx, ret.unit)
    for row in register_rows(ret):
        by = text_of(row, "delegating")
        if not by or unit_key(ctx, by) == own:
            yield Outcome("passed", form=rule.form)
            continue
        text = say(MESSAGES, "elsewhere", ctx.lang, number=text_of(row, "case_no") or row.serial, by=by, unit=ret.unit)
        yield Outcome("failed", text, (row.get("delegating").cell,), form=rule.form)
