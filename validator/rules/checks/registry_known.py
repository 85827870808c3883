"""registry_known — the reporting unit is in the registry (`--registry`).

    - id: B-UNKNOWN
      check: registry_known

A unit the registry does not know (under its name or an alias) is reported with the nearest
registered name. Without a registry: not evaluated.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "unknown": {
            "zh": "填报单位“{unit}”不在单位名录中{nearest};如为同一单位,请按名录填写单位全称",
            "en": 'the reporting unit "{unit}" is not in the registry{nearest}; use the registered name',
        },
        "nearest": {"zh": "(最接近的是“{name}”)", "en": ' (nearest: "{name}")'},
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    registry = ctx.reference.registry if ctx.reference else None
    if registry is None or not ret.unit:
        yield Outcome("not_evaluated", reason=NO_REFERENCE if registry is None else "")
        return
    if registry.find(ret.unit) is not None:
        yield Outcome("passed")
        return
    near = registry.nearest(ret.unit)
    nearest = message(MESSAGES, "nearest", name=near) if near else ""
    cells = tuple(d.unit_cell for d in ret.forms.values() if d.unit_cell)[:1]
    yield Outcome("failed", message(MESSAGES, "unknown", unit=ret.unit, nearest=nearest), cells)


CHECK = Check(
    "registry_known",
    run,
    about_filing=True,
    uses_reference=True,
    summary={"zh": "填报单位在单位名录中", "en": "the reporting unit is in the registry (`--registry`)."},
)
