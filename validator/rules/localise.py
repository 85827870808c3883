"""Where to fix a return that breaks a hard rule: 最少改动, the fewest cells (weighted) whose change
lets every rule that can be said linearly hold at once, with the range each may take; and 可能是
笔误, one typing slip in one cell that makes them all hold, when no other single slip does (as R's
deductive: two digits swapped, a digit typed twice or left out, a sign, 万元 for 元).

Rules taking part: every error rule, and every warning the return has not explained — a change
that mends one rule must not break another. A rule that cannot be said linearly (an `or`, a
ratio, a rule on words or on other returns) is left out, and the localisation says which. Only
the cells connected through the rules to a broken one are looked at: the rest hold as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from validator.model import Finding, Return
from validator.rules.checks import CHECKS
from validator.rules.linear import NotLinear, System, broken, cells_of

MOST_SLIP_DIGITS = 15  # a figure longer than this is not a typed one


@dataclass(frozen=True)
class Change:
    """A cell of a set to change: written `now`, to take a value from `low` to `high` (None: no
    bound that side; both None: a derived cell computed again from the figures)."""

    cell: str
    now: float
    low: Optional[float]
    high: Optional[float]
    kind: str = "figure"


@dataclass(frozen=True)
class Slip:
    """A typing slip that explains every broken rule: `kind` swapped | extra | missing | sign |
    wan (written in 万元 under a 元 header) | yuan (in 元 under a 万元 header)."""

    cell: str
    now: float
    proposed: float
    kind: str


@dataclass(frozen=True)
class Localisation:
    """Where to fix one return: the equally small sets of changes (the first is the one shown
    first), their weight, a slip if one alone explains it, the rules broken now that took part,
    and the rules left out, each with why."""

    sets: tuple[tuple[Change, ...], ...]
    weight: float
    slip: Optional[Slip] = None
    broken: tuple[str, ...] = ()
    left_out: dict[str, str] = field(default_factory=dict)
    # a cell a finding named to change that the first set does not: the rules changing it alone breaks
    instead: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def cells(self) -> tuple[str, ...]:
        """The cells of the first set: those to change."""
        return tuple(change.cell for change in self.sets[0]) if self.sets else ()


def of_return(ret: Return, pack: Any, ctx: Any, findings: list[Finding]) -> Optional[Localisation]:
    """The localisation of a return whose `findings` hold an error of a rule that can be said
    linearly; None otherwise (a return that passes pays nothing more)."""
    taking_part = _taking_part(pack, findings)
    failing = {f.rule for f in findings if f.severity == "error"}
    if not failing & {rule.id for rule in taking_part}:
        return None
    system = System()
    for rule in taking_part:
        try:
            linear = CHECKS[rule.check].linear
            if linear is not None:  # _taking_part: every one has it
                linear(rule, ret, ctx, system)
        except NotLinear as exc:
            system.left_out[rule.id] = exc.reason
    concerned = {f.rule for f in findings}
    left_out = {
        rule: why for rule, why in {**_not_linear(pack, findings), **system.left_out}.items() if rule in concerned
    }
    if not any(True for _ in broken(system)):
        return None
    part = connected(system)
    named = frozenset(f.cells[0] for f in findings if f.cells)
    return locate(part, pack.settings.fix_weights, left_out, named)


def locate(
    part: System, weights: dict[str, float], left_out: dict[str, str], named: frozenset[str] = frozenset()
) -> Localisation:
    """The localisation of the part of a return joined to what it breaks; `named`, the cells its
    findings name to change, come first among equally small sets."""
    from validator.rules import fewest, milp

    sets, weight = fewest.smallest_sets(part, weights, named)
    shown = []
    for at, chosen in enumerate(sets):  # the range of the first set's cells; the others' are named
        bounds = (milp.ranges(fewest.bounded(part, chosen), chosen) or {}) if at == 0 else {}
        shown.append(tuple(_change(part, name, bounds.get(name, (None, None))) for name in chosen))
    rules = tuple(dict.fromkeys(item.rule for item in broken(part)))
    first = set(sets[0]) if sets else set()
    instead = {cell: _blocking(part, cell) for cell in sorted(named - first) if cell in part.cells}
    return Localisation(tuple(shown), round(weight, 6), slip(part), rules, left_out, instead)


def _blocking(part: System, cell: str) -> tuple[str, ...]:
    """The rules that changing `cell` alone would break (each alone: without it, the cell suffices)."""
    from validator.rules import fewest, milp

    always = [tie.cell for tie in part.ties if not tie.fits(part.values())]
    chosen = fewest.closed(part, (cell,), always)
    found = []
    mending = {item.rule for item in broken(part)}
    for rule in dict.fromkeys(c.rule for c in part.constraints if c.rule not in mending):
        without = System(part.cells, [c for c in part.constraints if c.rule != rule], part.ties)
        if milp.holds_with(without, chosen):
            found.append(rule)
    return tuple(found)


def _change(part: System, name: str, bounds: tuple[Optional[float], Optional[float]]) -> Change:
    cell = part.cells[name]
    return Change(name, cell.value, bounds[0], bounds[1], cell.kind)


def _taking_part(pack: Any, findings: list[Finding]) -> list[Any]:
    explained = {f.rule for f in findings if f.explanation}
    return [
        rule
        for rule in pack.rules
        if rule.scope == "return"
        and CHECKS[rule.check].linear is not None
        and (rule.severity == "error" or (rule.severity == "warning" and rule.id not in explained))
    ]


def _not_linear(pack: Any, findings: list[Finding]) -> dict[str, str]:
    """The rules broken here that no linear form says: left out, said."""
    sayable = {rule.id for rule in pack.rules if CHECKS[rule.check].linear is not None}
    return {f.rule: "check" for f in findings if f.severity == "error" and f.rule not in sayable}


def connected(system: System) -> System:
    """The part of the system joined through its constraints and ties to what is broken now: its
    independent parts that hold something broken (fewest.parts), together."""
    from validator.rules import fewest

    reached = {name for piece in fewest.parts(system) for name in piece.cells}
    part = System(left_out=dict(system.left_out))  # in the system's own order
    part.cells = {name: cell for name, cell in system.cells.items() if name in reached}
    part.constraints = [c for c in system.constraints if reached.intersection(c.terms)]
    part.ties = [t for t in system.ties if t.cell in reached]
    return part


def slip(part: System) -> Optional[Slip]:
    """The one slip in one cell that makes every constraint and tie hold; None if none does, or
    if two do (then it is no more likely than the other)."""
    values = part.values()
    found: list[Slip] = []
    derived = {tie.cell for tie in part.ties}
    # one cell mends every broken constraint and tie only if each of them reads it
    suspects = set.intersection(*(set(cells_of(item)) for item in broken(part)))
    for name, cell in part.cells.items():
        if name in derived or name not in suspects:
            continue
        for kind, proposed in candidates(cell.value, cell.whole):
            if (proposed < 0) != (cell.value < 0) and kind != "sign":
                continue
            trial = dict(values)
            trial[name] = proposed
            if _holds(part, trial):
                found.append(Slip(name, cell.value, proposed, kind))
                if len({(s.cell, s.proposed) for s in found}) > 1:
                    return None
    return found[0] if found else None


def _holds(part: System, values: dict[str, float]) -> bool:
    return all(c.holds(values) for c in part.constraints) and all(t.fits(values) for t in part.ties)


def candidates(value: float, whole: bool) -> Iterator[tuple[str, float]]:
    """What a figure may have been meant as, slip by slip."""
    if value < 0:
        yield "sign", -value  # counts and money are not negative: a minus typed
    if value:
        yield "wan", value * 10000
        yield "yuan", value / 10000
    digits = str(int(abs(value))) if whole else ""
    if not digits or len(digits) > MOST_SLIP_DIGITS:
        return
    sign = -1.0 if value < 0 else 1.0
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            yield from _number("swapped", digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :], sign)
    for i in range(len(digits)):
        yield from _number("extra", digits[:i] + digits[i + 1 :], sign)
    for i in range(len(digits) + 1):
        for digit in "0123456789":
            yield from _number("missing", digits[:i] + digit + digits[i:], sign)


def _number(kind: str, digits: str, sign: float) -> Iterator[tuple[str, float]]:
    if digits and (digits == "0" or not digits.startswith("0")):
        yield kind, sign * float(digits)
