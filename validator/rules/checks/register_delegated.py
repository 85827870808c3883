"""register_delegated — delegated cases appear only in the delegating authority's return.

    - id: R-DELEGATED
      form: case_register
      check: register_delegated

A case whose 委托机关 is another unit is reported by that unit (表1 注2); listed here it would be
counted twice. Registry names and aliases count as the same unit.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.rules.checks.base import Check, Context
from validator.rules.checks.register import Owners, register_table, texts

MESSAGES = Messages(
    __name__,
    {
        "elsewhere": {
            "zh": "案件 {number} 的委托机关为“{by}”;委托执法案件由委托机关汇总报送,不应列入“{unit}”的报表",
            "en": 'case {number} was delegated by "{by}"; it belongs in {by}\'s return, not in "{unit}"\'s',
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    table: Any = register_table(ret)  # a Table: its rows have the cells of the roles it declares
    if table is None:
        return
    delegating = texts(table, "delegating")
    own = Owners(ret, ctx).own_cases(delegating)
    if own is not None:
        numbers = texts(table, "case_number")
        for i in (i for i, ours in enumerate(own) if not ours):
            number = numbers[i] or table.serial(i)
            text = message(MESSAGES, "elsewhere", number=number, by=delegating[i], unit=ret.unit)
            yield Outcome("failed", text, (table.row(i).get(table.roles["delegating"]).cell,), form=rule.form)
    passed = len(delegating) if own is None else own.count(True)
    if passed:
        yield Outcome("passed", form=rule.form, times=passed)


CHECK = Check(
    "register_delegated",
    run,
    needs_form=True,
    summary={
        "zh": "受委托实施的案件只计入委托机关的案件清单(表1 注2)",
        "en": "delegated cases appear only in the delegating authority's return.",
    },
)
