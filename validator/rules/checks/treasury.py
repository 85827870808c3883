"""treasury — fines equal what reached the treasury (表2 注7: 以年底财政入库数额为准).

    - id: B-TREASURY
      check: treasury
      with: {equal: [case_stats.fines], not_above: [enterprise_stats.fines]}

Compares the figures named in `equal` with the unit's treasury amount for the year (`--treasury`),
allowing the pack's `money_tolerance` (元), and those in `not_above` must not exceed it: the
current year always (without treasury data for the unit and year: not evaluated), and the year
before too wherever the treasury file has that year for the unit.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Return, Rule
from validator.numbers import format_number
from validator.rules.checks.base import FIELD_LIST, Check, Context, check_names, unit_key
from validator.rules.linear import Cell, Constraint, System

MESSAGES = Messages(
    __name__,
    {
        "equal": {
            "zh": "{form} {year} 年{label} {value} 元与财政入库数 {amount} 元不一致(相差 {diff} 元);罚没金额以年底财政入库数额为准",
            "en": "{form} {label} for {year} is {value} yuan but the treasury received {amount} yuan (off by {diff}); the treasury figure counts",
        },
        "above": {
            "zh": "{form} {year} 年{label} {value} 元超过财政入库数 {amount} 元;涉企罚没金额不应大于入库总额",
            "en": "{form} {label} for {year} is {value} yuan, above the {amount} yuan the treasury received",
        },
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, list[str]]:
    options = spec.get("with", {})
    check_names(pack, fields=options.get("equal", []) + options.get("not_above", []))
    return {"equal": options.get("equal", []), "not_above": options.get("not_above", [])}


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    treasury = ctx.reference.treasury if ctx.reference else {}
    for period, year in (("cur", ret.year), ("prev", ret.year - 1 if ret.year else None)):
        amount = treasury.get((unit_key(ctx, ret.unit), year)) if treasury and ret.unit and year else None
        if period == "prev" and amount is None:
            continue  # the year before is compared only where the treasury file has it
        for kind in ("equal", "not_above"):
            for name in rule.params[kind]:
                yield _compare(kind, name, (period, year, amount), ret, ctx)


def _compare(
    kind: str, name: str, against: tuple[str, Optional[int], Optional[float]], ret: Return, ctx: Context
) -> Outcome:
    form_id, field_id = name.split(".")
    period, year, amount = against
    data: Any = ret.forms.get(form_id)  # a FormData wherever `value` is read from it
    value = data.rows[0].get(field_id, period) if data is not None and data.rows else None
    if amount is None:
        return Outcome("not_evaluated", form=form_id, reason=NO_REFERENCE)
    if value is None or value.number is None:
        return Outcome("not_evaluated", form=form_id)
    tolerance = ctx.settings.money_tolerance
    diff = value.number - amount
    wrong = abs(diff) > tolerance if kind == "equal" else diff > tolerance
    if not wrong:
        return Outcome("passed", form=form_id)
    params = dict(
        form=data.form.short,
        year=year,
        label=data.form.field(field_id).named,
        value=format_number(value.number),
        amount=format_number(amount),
        diff=format_number(abs(diff)),
    )
    return Outcome(
        "failed",
        message(MESSAGES, "equal" if kind == "equal" else "above", **params),
        (value.cell,),
        form=form_id,
    )


def linear(rule: Rule, ret: Return, ctx: Context, system: System) -> None:
    """Each figure named equals (or does not exceed) the treasury's amount: a bound, not a cell."""
    treasury = ctx.reference.treasury if ctx.reference else {}
    for period, year in (("cur", ret.year), ("prev", ret.year - 1 if ret.year else None)):
        amount = treasury.get((unit_key(ctx, ret.unit), year)) if treasury and ret.unit and year else None
        if amount is None:
            continue
        for kind in ("equal", "not_above"):
            for name in rule.params[kind]:
                form_id, field_id = name.split(".")
                data: Any = ret.forms.get(form_id)
                value = data.rows[0].get(field_id, period) if data is not None and data.rows else None
                if value is None or value.number is None:
                    continue
                op = "==" if kind == "equal" else "<="
                bound = Constraint(rule.id, {value.cell: 1.0}, op, amount, ctx.settings.money_tolerance)
                confirmed = bound.holds({value.cell: value.number})  # the treasury backs it: dearer to change
                whole = float(value.number).is_integer()
                system.add_cell(
                    Cell(value.cell, value.number, whole=whole, kind="referenced" if confirmed else "figure")
                )
                system.constraints.append(bound)


CHECK = Check(
    "treasury",
    run,
    linear=linear,
    uses_reference=True,
    options={"equal": FIELD_LIST, "not_above": FIELD_LIST},
    prepare=prepare,
    summary={
        "zh": "罚没金额与财政入库数一致(表2 注7)",
        "en": "fines equal what reached the treasury (表2 注7: 以年底财政入库数额为准).",
    },
)
