"""register_year — every case in the register was concluded within the return's year (表1 注1).

    - id: R-YEAR
      form: case_register
      check: register_year

Cases concluded in another year belong to that year's return.
"""

from __future__ import annotations

from validator.checks.register import register_rows
from validator.i18n import say
from validator.model import Outcome

NEEDS_FORM = True
MESSAGES = {
    "outside": {"zh": "案件 {number} 办结日期为 {day},不在 {year} 年内;只统计当年已办结的案件(表1 注1),请移出本年清单",
                "en": "case {number} was concluded on {day}, outside {year}; only cases concluded in the year count"},
}


def prepare(spec: dict, pack) -> None:
    return None


def run(rule, ret, ctx):
    year, counts = ret.year, {"passed": 0, "not_evaluated": 0}
    for row in register_rows(ret):
        day = row.get("concluded")
        if day is None or day.text is None or year is None:
            counts["not_evaluated"] += 1
        elif day.text.startswith(f"{year}-"):
            counts["passed"] += 1
        else:
            number = row.get("case_no").text if row.get("case_no") is not None else row.serial
            text = say(MESSAGES, "outside", ctx.lang, number=number, day=day.text, year=year)
            yield Outcome("failed", text, (day.cell,), form=rule.form)
    for status, times in counts.items():
        if times:
            yield Outcome(status, form=rule.form, times=times)
