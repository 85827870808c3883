"""one_return_per_unit — each unit files one return (across the batch).

    - id: B-DUP
      check: one_return_per_unit

Returns are matched by unit (registry names and aliases count as the same unit). Each later
return from the same unit is reported on its own file, naming the first and how many there are:
each file is named once, however many copies a batch holds.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Rule
from validator.rules.checks.base import Check, Context, unit_key
from validator.rules.digest import Digest

MESSAGES = Messages(
    __name__,
    {
        "twice": {
            "zh": "同一单位“{unit}”共报送了 {count} 份报表,第一份为 {first};请核实后只保留一份",
            "en": 'the unit "{unit}" filed {count} returns, the first being {first}; keep one',
        },
    },
)


def run(rule: Rule, digests: list[Digest], ctx: Context) -> Iterator[Outcome]:
    by_unit: dict[str, list[Digest]] = {}
    for item in digests:
        if item.unit:
            by_unit.setdefault(unit_key(ctx, item.unit), []).append(item)
    for group in by_unit.values():
        if len(group) == 1:
            yield Outcome("passed", file=group[0].file, unit=group[0].unit)
            continue
        first = group[0].file
        text = message(MESSAGES, "twice", unit=group[0].unit, count=len(group), first=first)
        for later in group[1:]:
            yield Outcome("failed", text, (), file=later.file, unit=later.unit, related=(first,))


CHECK = Check(
    "one_return_per_unit",
    run,
    about_filing=True,
    scope="batch",
    summary={"zh": "每个单位只报送一份报表", "en": "each unit files one return (across the batch)."},
)
