"""register_unique — no case number appears twice in one return's case register.

    - id: R-DUP
      form: case_register
      check: register_unique

A case listed twice is counted twice in the return's own figures (R-TOTALS adds it up twice).
Each later occurrence is reported on its cell, naming the cell of the first, so that `check` and
the self-check page find it before the return is filed; across returns B-CASE-DUP does the same.
Numbers are compared as written (spaces at either end aside), as B-CASE-DUP compares them.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.rules.checks.base import Check, Context
from validator.rules.checks.register import register_table, texts

MESSAGES = Messages(
    __name__,
    {
        "twice": {
            "zh": "案件编号 {number} 在案件清单中出现两次(第一次在 {first});同一案件只统计一次,请删除重复的一行",
            "en": "case {number} is listed twice (first at {first}); a case is counted once: delete the repeated row",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    table: Any = register_table(ret)  # a Table: its rows have the cells of the roles it declares
    if table is None:
        return
    column = table.played_by("case_number")
    first_at: dict[str, int] = {}
    passed = unknown = 0
    for i, number in enumerate(texts(table, "case_number")):
        if number is None:
            unknown += 1
            continue
        key = str(number).strip()
        if key not in first_at:
            first_at[key] = i
            passed += 1
            continue
        first = table.row(first_at[key]).get(column.field.id).cell
        text = message(MESSAGES, "twice", number=key, first=first)
        yield Outcome("failed", text, (table.row(i).get(column.field.id).cell, first), form=rule.form)
    if passed:
        yield Outcome("passed", form=rule.form, times=passed)
    if unknown:
        yield Outcome("not_evaluated", form=rule.form, times=unknown)


CHECK = Check(
    "register_unique",
    run,
    needs_form=True,
    summary={
        "zh": "一份案件清单内同一案件编号只出现一次",
        "en": "no case number appears twice in one return's case register.",
    },
)
