"""registry_delegated — a unit registered as delegated (受委托) does not file its own return.

    - id: B-DELEGATED
      check: registry_delegated

表1 注2 / 表2 注5: the figures of delegated enforcement are aggregated and reported by the
delegating authority. A return from a unit whose registry entry has `delegated_by` would count
them twice (表1 注4). Without a registry: not evaluated.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "delegated": {
            "zh": "“{unit}”在名录中为受委托单位(委托机关: {by});委托执法数据应由委托机关汇总报送,本单位单独报送会造成重复统计",
            "en": '"{unit}" is registered as acting under delegation from {by}; its figures are reported by {by}, so filing them here counts them twice',
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    registry = ctx.reference.registry if ctx.reference else None
    unit = registry.find(ret.unit) if registry is not None and ret.unit else None
    if unit is None:
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    if not unit.delegated_by:
        yield Outcome("passed")
        return
    cells = tuple(d.unit_cell for d in ret.forms.values() if d.unit_cell)[:1]
    yield Outcome("failed", message(MESSAGES, "delegated", unit=unit.name, by=unit.delegated_by), cells)


CHECK = Check(
    "registry_delegated",
    run,
    about_filing=True,
    uses_reference=True,
    summary={
        "zh": "名录中登记为受委托的单位不单独报送报表(表1 注2、注4)",
        "en": "a unit registered as delegated (受委托) does not file its own return.",
    },
)
