"""registry_missing — every unit in the registry that files has filed (across the batch).

    - id: B-MISSING
      check: registry_missing

Units with `delegated_by` (their figures are reported by the delegating authority) or
`files: false` are not expected. Without a registry: not evaluated.
"""

from __future__ import annotations

from validator.checks.base import unit_key
from validator.i18n import say
from validator.model import Outcome

SCOPE = "batch"
MESSAGES = {
    "missing": {"zh": "名录中的“{unit}”未报送报表", "en": "\"{unit}\" is in the registry but filed no return"},
}


def run_batch(rule, digests: list, ctx):
    registry = ctx.reference.registry if ctx.reference else None
    if registry is None:
        yield Outcome("not_evaluated")
        return
    filed = {unit_key(ctx, d.unit) for d in digests if d.unit}
    for unit in registry.units:
        if unit.delegated_by or not unit.files:
            continue
        if unit_key(ctx, unit.name) in filed:
            yield Outcome("passed", unit=unit.name)
        else:
            yield Outcome("failed", say(MESSAGES, "missing", ctx.lang, unit=unit.name), file="", unit=unit.name)
