"""registry_missing — every unit in the registry that files has filed (across the batch).

    - id: B-MISSING
      check: registry_missing

Units with `delegated_by` (their figures are reported by the delegating authority) or
`files: false` are not expected. A unit whose file could not be read (its name or an alias in the
file's name) has filed, but nothing could be checked: said so, naming the file. Without a
registry: not evaluated.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Rule
from validator.rules.checks.base import Check, Context, unit_key
from validator.rules.digest import Digest

if TYPE_CHECKING:
    pass

MESSAGES = Messages(
    __name__,
    {
        "missing": {"zh": "名录中的“{unit}”未报送报表", "en": '"{unit}" is in the registry but filed no return'},
        "unreadable": {
            "zh": "名录中的“{unit}”报送的文件无法读取: {file}",
            "en": 'the file "{unit}" filed cannot be read: {file}',
        },
    },
)


def run(rule: Rule, digests: list[Digest], ctx: Context) -> Iterator[Outcome]:
    registry = ctx.reference.registry if ctx.reference else None
    if registry is None:
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    filed = {unit_key(ctx, d.unit) for d in digests if d.unit}
    for unit in registry.units:
        if unit.delegated_by or not unit.files:
            continue
        if unit_key(ctx, unit.name) in filed:
            yield Outcome("passed", unit=unit.name)
            continue
        sent = next((path for path in ctx.refused if registry.named_in(path) is unit), "")
        if sent:
            yield Outcome(
                "failed",
                message(MESSAGES, "unreadable", unit=unit.name, file=PurePath(sent).name),
                file=sent,
                unit=unit.name,
            )
        else:
            yield Outcome("failed", message(MESSAGES, "missing", unit=unit.name), file="", unit=unit.name)


CHECK = Check(
    "registry_missing",
    run,
    about_filing=True,
    scope="batch",
    summary={
        "zh": "名录中应报送的单位都已报送",
        "en": "every unit in the registry that files has filed (across the batch).",
    },
)
