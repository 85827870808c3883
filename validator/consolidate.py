"""Consolidating a level's returns into its own return (`formcheck consolidate`): what the notes
say is added, and how.

表1 and 表2 carry the sums of the returns counted, under the level's own name, 同比增减 worked
out again from the sums; 表3 and 表4 a row for each unit counted, in registry order, and a 合计
row. The notes decide what is counted: a delegated unit's cases are its authority's (表1 注2); a
consolidated county's return already holds its townships' (表1 注4), so a township under a county
that filed is not added again — for the case figures (表1, 表2, 表4); its staff and equipment (表3)
are its own and are set out. A unit that filed twice counts once (the later file); a return with
errors is counted only when asked (`include_failing`), and said so; a file that could not be read,
and a unit the registry does not know, are not counted. Every return is listed with whether it
was counted and why not (`Taken`), for the 明细 sheet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional

from validator.numbers import pct, signed

CASE_FORMS = ("case_stats", "enterprise_stats", "two_law_link")  # forms counting cases (注2, 注4)
WHY = {
    "counted": {"zh": "计入", "en": "counted"},
    "counted_failing": {"zh": "计入(有错误,按 --include-failing 计入)", "en": "counted (with errors, as asked)"},
    "failing": {"zh": "未计入:有错误", "en": "not counted: errors"},
    "in_county": {
        "zh": "案件数未计入:已含在{parent}的报表中(表1 注4)",
        "en": "cases not counted: in {parent}'s return",
    },
    "delegated": {
        "zh": "案件数未计入:由委托机关{parent}统计(表1 注2)",
        "en": "cases not counted: {parent} counts them",
    },
    "in_county_failing": {
        "zh": "未计入:案件数已含在{parent}的报表中,人员装备因有错误未计入",
        "en": "not counted: cases in {parent}'s return, staff not for its errors",
    },
    "delegated_failing": {
        "zh": "未计入:案件数由委托机关{parent}统计,人员装备因有错误未计入",
        "en": "not counted: {parent} counts its cases, staff not for its errors",
    },
    "twice": {
        "zh": "未计入:同一单位的较早报表,按较晚的 {later} 计",
        "en": "not counted: an earlier file; {later} counts",
    },
    "unknown": {"zh": "未计入:名录中没有此单位", "en": "not counted: not in the registry"},
    "unreadable": {"zh": "未计入:无法读取", "en": "not counted: unreadable"},
}


@dataclass(frozen=True)
class Taken:
    """One return and what the consolidation made of it: `why` a key of WHY (with `parent` or
    `later` named), `cases` whether its case figures are added, `staff` whether its 表3 rows are."""

    file: str
    unit: str
    why: str
    cases: bool = False
    staff: bool = False
    named: str = ""  # the parent, the delegating authority or the later file that `why` names


@dataclass
class Consolidation:
    """The level's own return as the template writes it (`figures`), the returns taken, and the
    figures whose change needs saying in the 简析 (label, change)."""

    figures: dict
    taken: list[Taken]
    changes: list[tuple[str, str]] = field(default_factory=list)


def consolidate(
    digests: list, errors: dict, refused: list, registry: Any, pack: Any, unit: str, include_failing: bool = False
) -> Consolidation:
    """The consolidation of the returns read (`digests`; `errors`: file -> the errors of its own
    figures, not of its filing, which this decides; `refused`: the files that could not be read)
    for `unit`, by the registry's units."""
    taken = _taken(digests, errors, registry, include_failing) + [Taken(f, "", "unreadable") for f in refused]
    by_file = {d.file: d for d in digests}
    counted = [by_file[t.file] for t in taken if t.cases]
    staffed = [by_file[t.file] for t in taken if t.staff]
    year = max((d.year for d in digests if d.year), default=None)
    forms: dict[str, Any] = {}
    changes: list[tuple[str, str]] = []
    for form in pack.forms.values():
        if form.optional:
            continue
        if form.kind.one_unit:
            forms[form.id] = _summed(form, counted, unit, pack.settings.yoy_threshold, changes)
        else:
            rows = [
                row for d in (counted if form.id in CASE_FORMS else staffed) for row in (d.rows or {}).get(form.id, [])
            ]
            # the units and their 合计, no blank template rows after it
            forms[form.id] = {"rows": [*rows, _total(form, rows)], "exact": True} if rows else {"rows": []}
    return Consolidation({"year": year, "unit": unit, "contact": "", "forms": forms}, taken, changes)


def own_errors(report: Any, pack: Any) -> dict[str, int]:
    """file -> the errors of its own figures: not those about who filed (twice, delegated, unknown:
    checks whose contract says `about_filing`), which a consolidation decides itself."""
    from validator.rules.checks import CHECKS

    own = {rule.id for rule in pack.rules if not CHECKS[rule.check].about_filing}
    errors: dict[str, int] = {}
    for finding in report.findings:
        errors[finding.file] = errors.get(finding.file, 0) + (finding.severity == "error" and finding.rule in own)
    return errors


def _taken(digests: list, errors: dict, registry: Any, include_failing: bool) -> list[Taken]:
    """Each readable return, in registry order (the unknown last), and whether it is counted."""
    order = {u.name: k for k, u in enumerate(registry.units)}
    later: dict[str, str] = {}  # unit -> the later of its files
    for d in digests:
        known = registry.find(d.unit)
        if known is not None and (known.name not in later or _later(d.file, later[known.name])):
            later[known.name] = d.file
    filed = set(later)
    found = []
    for d in sorted(digests, key=lambda d: (order.get(_name(registry, d.unit), len(order)), d.file)):
        found.append(_one(d, registry.find(d.unit), later, filed, errors.get(d.file, 0), include_failing))
    return found


def _one(d: Any, known: Any, later: dict, filed: set, errors: int, include_failing: bool) -> Taken:
    if known is None:
        return Taken(d.file, d.unit, "unknown")
    if later[known.name] != d.file:
        return Taken(d.file, d.unit, "twice", named=os.path.basename(later[known.name]))
    staff = not errors or include_failing  # its 表3 rows, which no other return holds
    failing = "" if staff else "_failing"
    if known.delegated_by:
        return Taken(d.file, d.unit, "delegated" + failing, staff=staff, named=known.delegated_by)
    if known.parent and known.parent in filed:
        return Taken(d.file, d.unit, "in_county" + failing, staff=staff, named=known.parent)
    if not staff:
        return Taken(d.file, d.unit, "failing")
    return Taken(d.file, d.unit, "counted_failing" if errors else "counted", cases=True, staff=True)


def _later(one: str, other: str) -> bool:
    """Whether `one` was filed after `other`: the later change to the file, then its name."""
    return (os.path.getmtime(one), one) > (os.path.getmtime(other), other) if os.path.exists(other) else True


def _name(registry: Any, unit: str) -> str:
    known = registry.find(unit)
    return known.name if known is not None else unit


def _summed(form: Any, counted: list, unit: str, threshold: float, changes: list) -> dict:
    """A two-period form: the sums of every figure, 同比增减 from them, the 简析 left empty."""
    sums: dict[str, dict[str, Optional[float]]] = {"prev": {}, "cur": {}}
    for item in form.figures:
        for period in sums:
            found = [d.figures.get((form.id, item.id, period)) for d in counted]
            numbers = [entry[0] for entry in found if entry is not None and entry[0] is not None]
            sums[period][item.id] = round(sum(numbers), 6) if numbers else None
    yoy = {}
    for item in form.figures:
        prev, cur = sums["prev"][item.id], sums["cur"][item.id]
        change = pct(prev, cur) if prev is not None and cur is not None else None
        yoy[item.id] = "—" if change is None else signed(change, 1)
        if change is not None and abs(change) >= threshold:
            changes.append((f"{form.short} {item.label}", signed(change, 1)))
    shown = {period: {k: v for k, v in values.items() if v is not None} for period, values in sums.items()}
    return {"unit_name": unit, **shown, "yoy": yoy, "explanation": ""}


def _total(form: Any, rows: list) -> dict:
    """The 合计 row of a several-unit form: the sum of each figure over the rows."""
    total: dict[str, Any] = {"unit_name": "合计", "serial": None}  # a total has no 序号
    for item in form.fields:
        if item.numeric:
            numbers = [row.get(item.id) for row in rows if isinstance(row.get(item.id), (int, float))]
            total[item.id] = round(sum(numbers), 6) if numbers else None
    return total


def said(taken: Taken, lang: str) -> str:
    """Why a return was or was not counted, in the language."""
    text = WHY[taken.why]
    return (text.get(lang) or text["zh"]).format(parent=taken.named, later=taken.named)
