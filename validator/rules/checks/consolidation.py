"""consolidation — a county's consolidated return includes its townships' (表1 注4, 表2 注4).

    - id: B-COUNTY
      check: consolidation
      with:
        forms: [case_stats, enterprise_stats]
        equal: []            # fields whose county figure must equal the townships' sum

For each registry unit with `consolidated: true`, every figure of the listed forms, both years,
must be at least the sum of the returns of the units whose `parent` it is. Without a registry,
or without the county's or any township's return: not evaluated.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Rule
from validator.numbers import format_number
from validator.rules.checks.base import FIELD_LIST, Check, Context, check_names, forms_given, unit_key
from validator.rules.digest import Digest

MESSAGES = Messages(
    __name__,
    {
        "below": {
            "zh": "{form} {year} 年{label} {county} 小于所辖乡镇(街道)合计 {total}({count} 份报表);县市区数据应含乡镇(街道)数据",
            "en": "{form} {label} for {year} is {county}, below the {total} of its {count} townships' returns; the county figure includes theirs",
        },
        "unequal": {
            "zh": "{form} {year} 年{label} {county} 不等于所辖乡镇(街道)合计 {total}({count} 份报表)",
            "en": "{form} {label} for {year} is {county}, not the {total} of its {count} townships' returns",
        },
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, Any]:
    options = spec.get("with", {})
    forms = forms_given(options, pack)
    check_names(pack, fields=options.get("equal", []))
    return {"forms": forms, "equal": set(options.get("equal", []))}


def run(rule: Rule, digests: list[Digest], ctx: Context) -> Iterator[Outcome]:
    registry = ctx.reference.registry if ctx.reference else None
    if registry is None:
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    by_unit = {unit_key(ctx, d.unit): d for d in digests if d.unit}
    for county in (u for u in registry.units if u.consolidated):
        mine = by_unit.get(unit_key(ctx, county.name))
        towns = [
            by_unit[k]
            for k in (
                unit_key(ctx, u.name)
                for u in registry.units
                if u.parent and unit_key(ctx, u.parent) == unit_key(ctx, county.name)
            )
            if k in by_unit
        ]
        if mine is None or not towns:
            yield Outcome("not_evaluated", unit=county.name, reason=NO_REFERENCE)
            continue
        yield from _compare(rule, mine, towns, ctx)


def _compare(rule: Rule, county: Digest, towns: list[Digest], ctx: Context) -> Iterator[Outcome]:
    for (form_id, field_id, period), (number, cell) in county.figures.items():
        if form_id not in rule.params["forms"]:
            continue
        parts = [t.figures.get((form_id, field_id, period), (None, ""))[0] for t in towns]
        if number is None or any(p is None for p in parts):
            yield Outcome("not_evaluated", file=county.file, unit=county.unit, form=form_id)
            continue
        total = sum(parts)
        equal = f"{form_id}.{field_id}" in rule.params["equal"]
        if (number == total) if equal else (number >= total):
            yield Outcome("passed", file=county.file, unit=county.unit, form=form_id)
            continue
        form = ctx.pack.forms[form_id]
        text = message(
            MESSAGES,
            "unequal" if equal else "below",
            form=form.short,
            year=(county.year or 0) - (1 if period == "prev" else 0),
            label=form.field(field_id).named,
            county=format_number(number),
            total=format_number(total),
            count=len(towns),
        )
        yield Outcome(
            "failed",
            text,
            (cell,),
            file=county.file,
            unit=county.unit,
            form=form_id,
            related=tuple(t.file for t in towns),
        )


CHECK = Check(
    "consolidation",
    run,
    scope="batch",
    options={"forms": FIELD_LIST, "equal": FIELD_LIST},
    prepare=prepare,
    summary={
        "zh": "汇总了乡镇数据的县级报表各项数字不小于其所辖乡镇之和(表1 注4)",
        "en": "a county's consolidated return includes its townships' (表1 注4, 表2 注4).",
    },
)
