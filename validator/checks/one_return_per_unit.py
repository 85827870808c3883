"""one_return_per_unit — each unit files one return (across the batch).

    - id: B-DUP
      check: one_return_per_unit

Returns are matched by unit (registry names and aliases count as the same unit). A second
return from the same unit is reported on the later file, naming every file of that unit.
"""

from __future__ import annotations

from validator.checks.base import unit_key
from validator.i18n import join, say
from validator.model import Outcome

SCOPE = "batch"
MESSAGES = {
    "twice": {"zh": "同一单位“{unit}”报送了 {count} 份报表: {files};请核实后只保留一份",
              "en": "the unit \"{unit}\" filed {count} returns: {files}; keep one"},
}


def run_batch(rule, digests: list, ctx):
    by_unit: dict = {}
    for item in digests:
        if item.unit:
            by_unit.setdefault(unit_key(ctx, item.unit), []).append(item)
    for group in by_unit.values():
        if len(group) == 1:
            yield Outcome("passed", file=group[0].file, unit=group[0].unit)
            continue
        files = [g.file for g in group]
        text = say(MESSAGES, "twice", ctx.lang, unit=group[0].unit, count=len(group), files=join(files, ctx.lang))
        for later in group[1:]:
            yield Outcome("failed", text, (), file=later.file, unit=later.unit, related=tuple(f for f in files if f != later.file))
