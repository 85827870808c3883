"""history — the previous-year column equals what the unit filed as its current year last year.

    - id: B-HISTORY
      check: history
      with: {forms: [case_stats, enterprise_stats]}

Past returns come from `--previous 2023=DIR` (one folder a year; a plain `--previous DIR`
takes each return's own year), matched by unit (registry names and aliases count as the same
unit); the return of the year before this one's is the one compared. Counts must match exactly,
money within the pack's `money_tolerance`. Without that return of the unit: not evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Field, FormData, Outcome, Return, Rule
from validator.numbers import WAN, about_times, format_number
from validator.rules.checks.base import FIELD_LIST, Check, Context, forms_given

if TYPE_CHECKING:
    from validator.rules.digest import Digest

MESSAGES = Messages(
    __name__,
    {
        "differs": {
            "zh": "{form} {year} 年{label}填 {value},而去年报送的同一数字为 {before}({file} {cell});如有更正请说明原因",
            "en": "{form} {label} for {year} is {value}, but last year's return gave {before} ({file} {cell}); explain any revision",
        },
        "wan_before": {
            "zh": "{form} {year} 年{label}填 {value},而去年报送的同一数字为 {before}({file} {cell}),只有它的万分之一左右:"
            "疑为去年报表按万元填写;本表数字如按元填写则无须改动,请在审核说明中注明",
            "en": "{form} {label} for {year} is {value}, but last year's return gave {before} ({file} {cell}), about a "
            "ten-thousandth of it: last year's was apparently typed in 万元; if this one is in 元, explain rather than change it",
        },
        "wan_here": {
            "zh": "{form} {year} 年{label}填 {value},而去年报送的同一数字为 {before}({file} {cell}),是它的一万倍左右:"
            "疑为本表按万元填写,按元应为 {scaled}",
            "en": "{form} {label} for {year} is {value}, but last year's return gave {before} ({file} {cell}), about ten "
            "thousand times as much: this one was apparently typed in 万元; in 元 it is {scaled}",
        },
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> list[str]:
    return forms_given(spec.get("with", {}), pack)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    year = ret.year - 1 if ret.year else None
    previous = ctx.reference.filed(ret.unit, year) if ctx.reference and ret.unit else None
    for form_id in rule.params:
        data = ret.forms.get(form_id)
        if data is None or not data.rows:
            continue
        figures = [field for field in data.form.fields if field.numeric]
        if previous is None:  # no return of last year to compare with: none of them can be
            yield Outcome("not_evaluated", form=form_id, times=len(figures), reason=NO_REFERENCE)
            continue
        for field in figures:
            yield _compare(data, field, previous, ret, ctx)


def _compare(data: FormData, field: Field, previous: Digest, ret: Return, ctx: Context) -> Outcome:
    value = data.rows[0].get(field.id, "prev")
    before = previous.figures.get((data.form.id, field.id, "cur"))
    if before is None:
        return Outcome("not_evaluated", form=data.form.id, reason=NO_REFERENCE)
    if value is None or value.number is None or before[0] is None:
        return Outcome("not_evaluated", form=data.form.id)
    tolerance = ctx.settings.money_tolerance if field.type != "count" else 0.0
    if abs(value.number - before[0]) <= tolerance + 1e-9:
        return Outcome("passed", form=data.form.id)
    key = "differs"
    if field.type == "money" and about_times(before[0], value.number):
        key = "wan_before"
    elif field.type == "money" and about_times(value.number, before[0]):
        key = "wan_here"
    text = message(
        MESSAGES,
        key,
        form=data.form.short,
        year=ret.year - 1 if ret.year else previous.year,
        label=field.named,
        value=format_number(value.number),
        before=format_number(before[0]),
        file=previous.file,
        cell=before[1],
        **({"scaled": format_number(round(value.number * WAN, 2))} if key == "wan_here" else {}),
    )
    return Outcome("failed", text, (value.cell,), form=data.form.id, related=(previous.file,))


CHECK = Check(
    "history",
    run,
    uses_reference=True,
    options={"forms": FIELD_LIST},
    prepare=prepare,
    summary={
        "zh": "上年列的数字等于该单位上年报表中的本年数",
        "en": "the previous-year column equals what the unit filed as its current year last year.",
    },
)
