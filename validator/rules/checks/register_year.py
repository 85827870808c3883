"""register_year — every case in the register was concluded within the return's year (表1 注1).

    - id: R-YEAR
      form: case_register
      check: register_year

Cases concluded in another year belong to that year's return. A case without a readable date is
not evaluated.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.rules.checks.base import Check, Context
from validator.rules.checks.register import register_table, texts, year_tally

MESSAGES = Messages(
    __name__,
    {
        "outside": {
            "zh": "案件 {number} 办结日期为 {day},不在 {year} 年内;只统计当年已办结的案件(表1 注1),请移出本年清单",
            "en": "case {number} was concluded on {day}, outside {year}; only cases concluded in the year count",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    table: Any = register_table(ret)  # a Table: its rows have the cells of the roles it declares
    if table is None:
        return
    year, days = ret.year, texts(table, "concluded")
    within, tally = f"{year}-", year_tally(days, year)
    passed, unknown = tally[within], tally["None"]
    if passed + unknown < len(days):  # some case of another year: find it
        numbers = texts(table, "case_number")
        for i, day in enumerate(days):
            if day is not None and not day.startswith(within):
                text = message(MESSAGES, "outside", number=numbers[i] or table.serial(i), day=day, year=year)
                yield Outcome("failed", text, (table.row(i).get(table.roles["concluded"]).cell,), form=rule.form)
    if passed:
        yield Outcome("passed", form=rule.form, times=passed)
    if unknown:
        yield Outcome("not_evaluated", form=rule.form, times=unknown)


CHECK = Check(
    "register_year",
    run,
    needs_form=True,
    summary={
        "zh": "案件清单中每件案件都在本年度内办结(表1 注1)",
        "en": "every case in the register was concluded within the return's year (表1 注1).",
    },
)
