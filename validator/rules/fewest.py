"""The fewest changes, weighted, that mend a return's broken constraints: the system split into
its independent parts, each part's equally small sets found, and the sets of the whole made of
them.

A part with few cells that can change is solved by trying its sets in order of size, each checked
exactly; a larger one by HiGHS (rules/milp.py). Both give the same sets (tests/test_localise.py
compares them on random systems): the enumeration is there because HiGHS's branch and bound
costs some 5 ms a solve however small the program, three solves a return, and a city's batch of
1,000 returns of which 300 fail would spend four times its own time there; a part of a return
rarely has more than a dozen cells.
"""

from __future__ import annotations

from itertools import combinations
from typing import Optional, Union

from validator.rules import milp
from validator.rules.linear import Constraint, System, Tie, broken, cells_of

TIE_BREAK = milp.TIE_BREAK
MOST_SETS = milp.MOST_SETS
MOST_TRIED_CELLS = 14  # a part with more cells that can change goes to HiGHS
MOST_TRIED_SIZE = 3  # nor are sets of more cells than this tried one by one


def smallest_sets(
    system: System, weights: dict[str, float], preferred: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, ...]], float]:
    """The equally small sets of cells whose change mends every broken constraint and tie (at most
    MOST_SETS, the first the first of each part), and their weight; none if nothing mends them.
    Of equally small sets, those holding more `preferred` cells (the cells the findings name to
    change) come first: the rules' authors chose them."""
    found: list[tuple[list[tuple[str, ...]], float]] = []
    for part in parts(system):
        sets, weight = _of_part(part, weights)
        if not sets:
            return [], 0.0
        sets.sort(key=lambda chosen: -len(preferred.intersection(chosen)))  # stable: else as found
        found.append((sets, weight))
    first = tuple(cell for sets, _ in found for cell in sets[0])
    combined = [first]
    for at, (sets, _) in enumerate(found):  # another set of one part, the first of every other
        for other in sets[1:]:
            if len(combined) < MOST_SETS:
                combined.append(tuple(c for k, (s, _) in enumerate(found) for c in (other if k == at else s[0])))
    return combined, sum(weight for _, weight in found)


def parts(system: System) -> list[System]:
    """The independent parts of a system that hold something broken: cells joined through a
    constraint or a tie are in one part."""
    owner: dict[str, str] = {}

    def root(cell: str) -> str:
        while owner.setdefault(cell, cell) != cell:
            owner[cell] = owner[owner[cell]]
            cell = owner[cell]
        return cell

    links: list[Union[Constraint, Tie]] = [*system.constraints, *system.ties]
    for cells in map(cells_of, links):
        for cell in cells[1:]:
            owner[root(cell)] = root(cells[0])
    wanted = {root(cells_of(item)[0]) for item in broken(system)}
    found = []
    for key in sorted(wanted):
        part = System(left_out=system.left_out)
        part.cells = {n: c for n, c in system.cells.items() if root(n) == key}
        part.constraints = [c for c in system.constraints if root(next(iter(c.terms))) == key]
        part.ties = [t for t in system.ties if root(t.cell) == key]
        found.append(part)
    return found


def _of_part(part: System, weights: dict[str, float]) -> tuple[list[tuple[str, ...]], float]:
    tied = {tie.cell for tie in part.ties}
    free = [name for name in part.cells if name not in tied]
    if len(free) > MOST_TRIED_CELLS:
        return milp.smallest_sets(part, weights)
    tried = _tried(part, free, weights)
    return tried if tried is not None else milp.smallest_sets(part, weights)


def _tried(part: System, free: list[str], weights: dict[str, float]) -> Optional[tuple[list[tuple[str, ...]], float]]:
    """The sets, tried in order of size: None where none of MOST_TRIED_SIZE cells or fewer does."""
    values = part.values()
    always = [tie.cell for tie in part.ties if not tie.fits(values)]  # a wrong 同比增减 changes anyway
    cost = {name: weights.get(cell.kind, 1.0) for name, cell in part.cells.items()}
    cheapest = min((cost[name] for name in free), default=0.0)
    found: list[tuple[float, tuple[str, ...]]] = []
    best: Optional[float] = None
    for size in range(min(MOST_TRIED_SIZE, len(free)) + 1):
        # the least a set of this size can weigh (a wrong 同比 may be left, mended by its figure)
        if best is not None and size * cheapest > best + TIE_BREAK:
            break
        for chosen in combinations(free, size):
            for changed in (lighter(part, closed(part, chosen, always)), closed(part, chosen, always)):
                weight = sum(cost[c] for c in changed)
                if (best is None or weight <= best + TIE_BREAK) and milp.holds_with(bounded(part, changed), changed):
                    best = weight if best is None else min(best, weight)
                    found.append((weight, changed))
                    break
    size = min(MOST_TRIED_SIZE, len(free)) + 1
    if best is None or (size <= len(free) and size * cheapest <= best + TIE_BREAK):
        return None  # a larger set might weigh no more: not proven here
    kept = sorted((w, s) for w, s in found if w <= best + TIE_BREAK)
    return [s for _, s in kept[:MOST_SETS]], best


def lighter(part: System, changed: tuple[str, ...]) -> tuple[str, ...]:
    """The set without the derived cells wrong now that one changed figure of theirs could put
    right (a 同比增减 worked out from the right figure): `bounded` then holds that figure to it."""
    values = part.values()
    dropped = {tie.cell for tie in part.ties if _mended_through(tie, changed, values)}
    return tuple(cell for cell in changed if cell not in dropped)


def bounded(part: System, changed: tuple[str, ...]) -> System:
    """The part, with each derived cell wrong now and left unchanged bounding the one changed
    figure it is worked out from to the values it says."""
    values, bounds = part.values(), []
    for tie in part.ties:
        if tie.cell not in changed and not tie.fits(values) and tie.within is not None:
            moved = [s for s in tie.sources if s in changed]
            span = tie.within(values, moved[0]) if len(moved) == 1 else None
            if span is not None:
                source = moved[0]
                bounds.append(Constraint(tie.rule, {source: 1.0}, ">=", span[0]))
                bounds.append(Constraint(tie.rule, {source: 1.0}, "<=", span[1]))
    if not bounds:
        return part
    return System(part.cells, [*part.constraints, *bounds], part.ties, part.left_out)


def _mended_through(tie: Tie, changed: tuple[str, ...], values: dict[str, float]) -> bool:
    moved = [source for source in tie.sources if source in changed]
    return (
        not tie.fits(values) and len(moved) == 1 and tie.within is not None and tie.within(values, moved[0]) is not None
    )


def closed(part: System, chosen: tuple[str, ...], always: list[str]) -> tuple[str, ...]:
    """The chosen cells, with every derived cell computed from one of them and every wrong one."""
    moved = set(chosen)
    derived = [tie.cell for tie in part.ties if moved.intersection(tie.sources)]
    return tuple(dict.fromkeys([*chosen, *always, *derived]))
