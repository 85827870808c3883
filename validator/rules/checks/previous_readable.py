"""previous_readable — every one of the past years' returns (`--previous`) could be read and is
of the year its folder was given as.

    - id: B-PREVIOUS
      check: previous_readable

A past return that cannot be read is one finding, naming it and why: the units it would have been
compared with are otherwise left "not evaluated" without a word. So is each past return that no
return of this year is compared with: one whose title states another year than its folder's
(`--previous 2023=DIR` holding a 2022 return), a second of the same unit and year (the first given
is used), one of the year under review or later, one of a unit the registry does not know.
Without `--previous`: not evaluated.
"""

from __future__ import annotations

from typing import Any, Iterator

from validator.i18n import Messages, message
from validator.model import NO_REFERENCE, Outcome, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "unreadable": {
            "zh": "上年报表无法读取({why}),与上年的比较未包括它;请换一份可读的上年报表",
            "en": "last year's return cannot be read ({why}), so nothing was compared with it; give a readable copy",
        },
        "misdated": {
            "zh": "这份报表是 {stated} 年的,而它所在的文件夹指明为 {given} 年(--previous {given}=…),未用于比较;请把它放入 {stated} 年的文件夹",
            "en": "this return is of {stated}, but its folder was given as {given}'s (--previous {given}=…), so nothing was compared with it; put it in the folder of {stated}",
        },
        "twice": {
            "zh": "同一单位“{unit}”{year} 年的往年报表有两份,比较只用了 {used};请只保留一份",
            "en": "“{unit}” has two past returns of {year}: only {used} was compared; keep one",
        },
        "same_year": {
            "zh": "这份报表是 {year} 年的,与本次审核的报表同年或更晚,不是往年报表,未用于比较;请给出往年的报表",
            "en": "this return is of {year}, the year under review or later, not a past one, so nothing was compared with it",
        },
        "unknown": {
            "zh": "往年报表的填报单位“{unit}”不在单位名录中,未能与本年的报表对应;如为同一单位,请在名录中为它加上别名",
            "en": "the unit of this past return, “{unit}”, is not in the registry, so no return of this year was compared with it; add it as an alias if it is the same unit",
        },
    },
)


def run(rule: Rule, digests: list[Any], ctx: Context) -> Iterator[Outcome]:
    reference = ctx.reference
    if reference is None or not (reference.previous or reference.previous_refused or reference.previous_aside):
        yield Outcome("not_evaluated", reason=NO_REFERENCE)
        return
    for path, why in reference.previous_refused:
        yield Outcome("failed", message(MESSAGES, "unreadable", why=why), (), file=path, unit="")
    for aside in reference.previous_aside:
        said = message(MESSAGES, aside.why, unit=aside.unit, **aside.params)
        yield Outcome("failed", said, (), file=aside.file, unit=aside.unit)
    yield from _unmatched(reference, min((d.year for d in digests if d.year), default=0))


def _unmatched(reference: Any, under_review: int) -> Iterator[Outcome]:
    """A past return of the year under review or later, or of a unit the registry does not know:
    kept, but no return of this year can be compared with it."""
    registry, matched = reference.registry, 0
    for years in reference.previous.values():
        for year, digest in years.items():
            if under_review and year and year >= under_review:
                said = message(MESSAGES, "same_year", year=year)
            elif registry is not None and registry.find(digest.unit) is None:
                said = message(MESSAGES, "unknown", unit=digest.unit)
            else:
                matched += 1
                continue
            yield Outcome("failed", said, (), file=digest.file, unit=digest.unit)
    yield Outcome("passed", times=matched)


CHECK = Check(
    "previous_readable",
    run,
    scope="batch",
    uses_reference=True,
    summary={"zh": "上年报表均可读取", "en": "every one of last year's returns could be read (`--previous`)."},
)
