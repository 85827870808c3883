"""The rule set analysed as a whole, as R's validatetools does (`formcheck rules lint`): hard rules
that contradict each other (no return can pass them all: the smallest such set is named and the
pack refused), rules the others imply, and fields the rules fix to one value.

Each `assert` without a `when` is read over the fields themselves — one unit row of each form, a
sum over a form's rows read as its one row, every figure at least 0 — so `transferred >=
criminal_filed` is a constraint between two fields, whatever a return holds. Rules that are not
linear, or that need a return's data (同比增减, 合计, the treasury), take no part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from validator.rules.linear import Cell, Constraint, NotLinear, System, constraints_of


@dataclass
class Analysis:
    """What the rules say together: `conflict`, the smallest set of hard rules no return can pass
    together (empty if none); `implied`, rule -> the rules that imply it; `fixed`, field -> the one
    value the rules leave it."""

    conflict: tuple[str, ...] = ()
    implied: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fixed: dict[str, float] = field(default_factory=dict)


def analyse(pack: Any) -> Analysis:
    by_rule = rule_constraints(pack)
    hard = {rule: found for rule, found in by_rule.items() if pack.rule(rule).severity == "error"}
    conflict = _smallest_conflict(hard)
    if conflict:
        return Analysis(conflict=conflict)
    return Analysis(implied=_implied(by_rule, hard), fixed=_fixed(hard))


def rule_constraints(pack: Any) -> dict[str, System]:
    """Each rule said linearly over the fields (a System each), the rules that cannot be left out."""
    found: dict[str, System] = {}
    for rule in pack.rules:
        if rule.check != "expression" or rule.guard:
            continue
        system = System()
        try:
            for instance in rule.params:
                figure = _field_of(pack)
                system.constraints.extend(constraints_of(rule.id, instance.test.tree, figure, system))
        except NotLinear:
            continue
        found[rule.id] = system
    return found


def _field_of(pack: Any) -> Any:
    def figure(ref: Any) -> Cell:
        form = pack.forms[ref.form]
        kind = form.field(ref.field).type
        return Cell(".".join(p for p in (ref.form, ref.field, ref.period) if p), 0.0, whole=kind == "count")

    return figure


def _together(systems: list[System]) -> System:
    whole = System()
    for system in systems:
        for cell in system.cells.values():
            whole.add_cell(cell)
        whole.constraints.extend(system.constraints)
    return whole


def _feasible(systems: list[System]) -> bool:
    from validator.rules import milp

    together = _together(systems)
    return milp.holds_with(together, tuple(together.cells))


def _smallest_conflict(hard: dict[str, System]) -> tuple[str, ...]:
    """The rules of a smallest set no return passes (a deletion filter: each rule dropped in turn
    and kept only if the rest then pass); () when all can hold together."""
    if not hard or _feasible(list(hard.values())):
        return ()
    kept = dict(hard)
    for rule in list(hard):
        rest = {other: system for other, system in kept.items() if other != rule}
        if not _feasible(list(rest.values())):
            kept = rest
    return tuple(kept)


def _implied(by_rule: dict[str, System], hard: dict[str, System]) -> dict[str, tuple[str, ...]]:
    """Rule -> the hard rules that imply it: with them every constraint of the rule holds."""
    from validator.rules import milp

    found: dict[str, tuple[str, ...]] = {}
    for rule, system in by_rule.items():
        others = [s for other, s in hard.items() if other != rule]
        given = _together(others)
        if not given.constraints or not set(system.cells) <= set(given.cells):
            continue
        if all(_always(given, constraint, milp) for constraint in system.constraints):
            found[rule] = tuple(other for other in hard if other != rule and set(hard[other].cells) & set(system.cells))
    return found


def _always(given: System, constraint: Constraint, milp: Any) -> bool:
    """Whether `constraint` holds wherever the `given` constraints do."""
    senses = {"<=": (-1.0,), ">=": (1.0,), "==": (1.0, -1.0)}[constraint.op]
    for sense in senses:
        extreme = milp.extreme_of(given, constraint.terms, sense)
        if extreme is None or extreme is False:
            return False
        if sense > 0 and extreme < constraint.bound - constraint.slack - 1e-9:
            return False
        if sense < 0 and extreme > constraint.bound + constraint.slack + 1e-9:
            return False
    return True


def _fixed(hard: dict[str, System]) -> dict[str, float]:
    from validator.rules import milp

    together = _together(list(hard.values()))
    found = {}
    for name in together.cells:
        low, high = (milp.extreme_of(together, {name: 1.0}, sense) for sense in (1.0, -1.0))
        if isinstance(low, float) and isinstance(high, float) and abs(high - low) < 1e-9:
            found[name] = low
    return found


def fields_in(pack: Any, wanted: str) -> Optional[list[str]]:
    """The rules a field takes part in ("form.field" or a field's id): those whose assertion or
    condition reads it, whose options name it, and the checks over its whole form (同比增减,
    required …); None for no such field."""
    names = {f"{form.id}.{f.id}" for form in pack.forms.values() for f in form.fields}
    matching = {name for name in names if name == wanted or name.split(".", 1)[1] == wanted}
    if not matching:
        return None
    forms = {name.split(".", 1)[0] for name in matching}
    return [
        rule.id
        for rule in pack.rules
        if matching & _fields_of(rule) or (rule.check != "expression" and rule.form in forms)  # over the whole form
    ]


def _fields_of(rule: Any) -> set[str]:
    from validator.rules.syntax import refs

    found: set[str] = set()
    for instance in rule.params if isinstance(rule.params, list) else ():
        for tree in (getattr(instance, "test", None), getattr(instance, "guard", None)):
            if tree is not None:
                found.update(f"{ref.form}.{ref.field}" for ref in refs(tree.tree))
    if isinstance(rule.params, dict):
        found.update(_names_in(rule.params))
    return found


def _names_in(options: Any) -> set[str]:
    """Every string in a check's options, keys too (`figures: {case_stats.fines: …}`)."""
    if isinstance(options, str):
        return {options}
    if isinstance(options, dict):
        return set().union(*(_names_in(k) | _names_in(v) for k, v in options.items())) if options else set()
    if isinstance(options, (list, tuple)):
        joined = {".".join(options)} if options and all(isinstance(part, str) for part in options) else set()
        return joined.union(*map(_names_in, options))  # a field kept as [form, field] too
    return set()
