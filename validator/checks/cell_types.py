"""cell_types — each figure is of its field's kind.

    - id: G-TYPES
      check: cell_types        # every form; or `form: support` for one

counts (件, 次, 人, 台 …) are non-negative whole numbers; money in 元 is non-negative with at most two
decimals; money in 万元 is non-negative with at most two decimals; a choice is one of its choices.
"""

from __future__ import annotations

from validator.checks.base import row_prefix, when
from validator.i18n import say
from validator.model import Outcome
from validator.numbers import format_number

MESSAGES = {
    "negative": {"zh": "{label} 填了 {value},不能为负数", "en": "{label} is {value}; it cannot be negative"},
    "whole": {"zh": "{label} 填了 {value},件(次、人)数应为整数", "en": "{label} is {value}; counts are whole numbers"},
    "decimals": {"zh": "{label} 填了 {value},金额至多保留两位小数", "en": "{label} is {value}; money takes at most two decimals"},
    "choice": {"zh": "{label} 填了“{value}”,应填 {choices}", "en": "{label} is \"{value}\"; write one of {choices}"},
}


def prepare(spec: dict, pack) -> list:
    return [spec["form"]] if spec.get("form") else list(pack.forms)


def run(rule, ret, ctx):
    for form_id in rule.params:
        data = ret.forms.get(form_id)
        if data is None:
            continue
        passed = 0
        for row in data.rows:
            for (field_id, period), value in row.items():
                field = data.form.field(field_id)
                if value.blank or field.type in ("text", "date"):
                    continue
                problem = _problem(field, value)
                if problem is None:
                    passed += 1
                    continue
                text = _message(problem, field, value, period, ret, ctx)
                yield Outcome("failed", row_prefix(data, row, ctx.lang) + text, (value.cell,), form=form_id)
        if passed:
            yield Outcome("passed", form=form_id, times=passed)


def _problem(field, value):
    if field.type == "choice":
        return None if value.text in field.choices else "choice"
    if value.number < 0:
        return "negative"
    if field.type == "count" and not float(value.number).is_integer():
        return "whole"
    if field.type in ("money", "wan") and value.decimals > 2:
        return "decimals"
    return None


def _message(problem: str, field, value, period, ret, ctx) -> str:
    label = when(period, ret, ctx.lang) + field.name(ctx.lang)
    shown = value.text if value.number is None else format_number(value.number, value.decimals)
    return say(MESSAGES, problem, ctx.lang, label=label, value=shown, choices="/".join(field.choices))
