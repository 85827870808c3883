"""same_unit_year — every form names the same reporting unit (填报单位) and the same year.

    - id: G-UNIT
      check: same_unit_year

The unit is read from the 填报单位 line (without "(盖章)"), the year from each title
("2024 年……统计表") or, where the title has none, from a 年度 line; a 年度 line that disagrees with
its title fails. A form without a unit or a year fails too. Where the lines are is declared in
the form's YAML (`lines:`, validator/headerlines.py).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from validator.fold import norm
from validator.i18n import Joined, Messages, message
from validator.model import FormData, Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "no_unit": {"zh": "{form} 未填写填报单位", "en": "{form}: no reporting unit (填报单位)"},
        "no_year": {"zh": "{form} 标题中没有年度(如“2024 年{title}”)", "en": "{form}: the title has no year"},
        "units": {"zh": "各表填报单位不一致: {items}", "en": "the forms name different units: {items}"},
        "years": {"zh": "各表标题年度不一致: {items}", "en": "the forms' titles give different years: {items}"},
        "line_year": {
            "zh": "{form} 表头年度为 {line},而标题年度为 {title};请改为同一年度",
            "en": "{form}: the 年度 line says {line} but the title says {title}; make them agree",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    forms = list(ret.forms.values())
    if not forms:
        return
    yield from _missing(forms, ctx)
    yield _agree([(d, d.unit, d.unit_cell) for d in forms if d.unit], "units", norm, ctx)
    yield _agree([(d, d.year, d.year_cell) for d in forms if d.year], "years", lambda y: y, ctx)


def _missing(forms: list[FormData], ctx: Context) -> Iterator[Outcome]:
    for data in forms:
        if not data.unit:
            yield Outcome(
                "failed",
                message(MESSAGES, "no_unit", form=data.form.short),
                (data.unit_cell or data.year_cell,),
                form=data.form.id,
            )
        if not data.year:
            yield Outcome(
                "failed",
                message(MESSAGES, "no_year", form=data.form.short, title=data.form.title),
                (data.year_cell,),
                form=data.form.id,
            )
        elif data.line_year is not None and data.line_year != data.year:
            text = message(MESSAGES, "line_year", form=data.form.short, line=data.line_year, title=data.year)
            yield Outcome("failed", text, (data.line_year_cell, data.year_cell), form=data.form.id)


def _agree(entries: list[tuple[FormData, Any, str]], key: str, same: Callable[[Any], Any], ctx: Context) -> Outcome:
    if len({same(value) for _, value, _ in entries}) <= 1:
        return Outcome("passed")
    items = Joined([f"{d.form.short}“{value}”" for d, value, _ in entries])
    return Outcome("failed", message(MESSAGES, key, items=items), tuple(c for _, _, c in entries))


CHECK = Check(
    "same_unit_year",
    run,
    summary={
        "zh": "各表的填报单位和年度一致",
        "en": "every form names the same reporting unit (填报单位) and the same year.",
    },
)
