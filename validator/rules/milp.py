"""The mixed-integer programs of the localisation, solved by HiGHS (highspy): the fewest cells,
weighted, whose change lets every constraint hold (Fellegi–Holt, as R's errorlocate writes it:
de Waal 2003; van der Loo & de Jonge 2018, ch. 7), and the range each such cell may take.

Each cell j is a variable x_j and a binary δ_j "changed": |x_j − written_j| ≤ M_j·δ_j, the
weighted sum of δ minimised. A set the program proposes is then checked exactly, the cells
outside it fixed by their bounds, not by M (a solver's tolerance times a large M would let a cell
"unchanged" move by some units): only a set that holds so is given. Imported only when a return
breaks a hard rule: highspy costs some 15 ms to import.
"""

from __future__ import annotations

import math
import time
from typing import Any, Optional

from validator.rules.linear import Cell, Constraint, System

TIE_BREAK = 1e-6  # a set equally small within this is listed beside the first
MOST_SETS = 3
# seconds HiGHS may spend on a return's sets: a crafted 表4 of 400 units joined by a wrong 合计
# took 8.6 s; one a program cannot finish in time gets the sets found by then, or none
MOST_SECONDS = 2.0


def smallest_sets(system: System, weights: dict[str, float]) -> tuple[list[tuple[str, ...]], float]:
    """The equally small sets of cells to change (at most MOST_SETS), and their weight; none if
    no change of the cells lets every constraint hold."""
    import highspy

    names = list(system.cells)
    solver = _solver(highspy)
    read = {cell for constraint in system.constraints for cell in constraint.terms}
    _add_cells(solver, highspy, [system.cells[n] for n in names], weights, read)
    index = {name: j for j, name in enumerate(names)}
    for constraint in system.constraints:
        _add_constraint(solver, highspy, constraint, index)
    _add_ties(solver, system, index, len(names))
    found: list[tuple[str, ...]] = []
    best: Optional[float] = None
    deadline = time.monotonic() + MOST_SECONDS
    for _ in range(MOST_SETS * 3):  # a set refused on the exact check costs a turn
        left = deadline - time.monotonic()
        if left <= 0:
            break  # the sets found so far, or none: a return is not held for its localisation
        solver.setOptionValue("time_limit", left)
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        weight = solver.getInfo().objective_function_value
        if best is not None and weight > best + TIE_BREAK:
            break
        chosen = tuple(n for j, n in enumerate(names) if solver.getSolution().col_value[len(names) + j] > 0.5)
        _exclude(solver, highspy, [len(names) + index[n] for n in chosen])
        if holds_with(system, chosen):
            found.append(chosen)
            best = weight if best is None else best
            if len(found) == MOST_SETS:
                break
    return found, best or 0.0


def holds_with(system: System, chosen: tuple[str, ...]) -> bool:
    """Whether some change of the chosen cells, every other as written, lets every constraint hold."""
    values, moved = system.values(), set(chosen)
    if not all(c.holds(values) for c in system.constraints if not moved.intersection(c.terms)):
        return False
    alone = _bounds_alone(system, chosen)
    if alone is not None:
        return all(low is None or high is None or low <= high for low, high in alone.values())
    import highspy  # only here: with numpy, 100 ms a worker that most returns never need

    return _feasible(_exact(system, chosen, highspy), highspy)


def _bounds_alone(
    system: System, chosen: tuple[str, ...]
) -> Optional[dict[str, tuple[Optional[float], Optional[float]]]]:
    """The ranges where no constraint reads two chosen cells: each then bounds its one chosen cell
    by itself, the others as written (most sets are so: no program need be solved). None where
    one reads two."""
    values = system.values()
    found: dict[str, list[Optional[float]]] = {
        name: [0.0 if system.cells[name].value >= 0 else None, None] for name in chosen
    }
    for constraint in system.constraints:
        inside = [cell for cell in constraint.terms if cell in found]
        if len(inside) > 1:
            return None
        if inside:
            _bound(found[inside[0]], constraint, inside[0], values)
    read = {cell for constraint in system.constraints for cell in constraint.terms}
    return {
        name: _whole(bounds, system.cells[name].whole) if name in read else (None, None)
        for name, bounds in found.items()
    }


def _bound(bounds: list[Optional[float]], constraint: Constraint, cell: str, values: dict[str, float]) -> None:
    """Narrow [low, high] of `cell` by `constraint`, the other cells as written."""
    coefficient = constraint.terms[cell]
    rest = sum(k * values[c] for c, k in constraint.terms.items() if c != cell)
    low = (constraint.bound - constraint.slack - rest) / coefficient
    high = (constraint.bound + constraint.slack - rest) / coefficient
    if coefficient < 0:
        low, high = high, low
    if constraint.op in ("==", ">=") if coefficient > 0 else constraint.op in ("==", "<="):
        bounds[0] = low if bounds[0] is None else max(bounds[0], low)
    if constraint.op in ("==", "<=") if coefficient > 0 else constraint.op in ("==", ">="):
        bounds[1] = high if bounds[1] is None else min(bounds[1], high)


def _whole(bounds: list[Optional[float]], whole: bool) -> tuple[Optional[float], Optional[float]]:
    low, high = bounds
    if whole:
        low = None if low is None else float(math.ceil(low - 1e-9))
        high = None if high is None else float(math.floor(high + 1e-9))
    return low, high


def ranges(system: System, chosen: tuple[str, ...]) -> Optional[dict[str, tuple[Optional[float], Optional[float]]]]:
    """{cell: (lowest, highest)} each chosen cell may take, the others chosen free and every other
    cell as written; None if no such change lets every constraint hold. A cell no constraint
    reads (a 同比增减) has (None, None): it is computed again, not bounded."""
    if not holds_with(system, chosen):
        return None
    alone = _bounds_alone(system, chosen)
    if alone is not None:
        return alone
    import highspy

    names = list(system.cells)
    index = {name: j for j, name in enumerate(names)}
    solver = _exact(system, chosen, highspy)
    read = {cell for constraint in system.constraints for cell in constraint.terms}
    found: dict[str, tuple[Optional[float], Optional[float]]] = {}
    for name in chosen:
        if name not in read:
            found[name] = (None, None)
            continue
        low, high = (_extreme(solver, highspy, index[name], len(names), sense) for sense in (1.0, -1.0))
        if low is False or high is False:
            return None
        found[name] = (low, high)
    return found


def extreme_of(system: System, terms: dict[str, float], sense: float) -> Any:
    """The least (sense 1) or greatest (sense −1) value of Σ terms × cells, every cell free (at
    least 0): None where unbounded, False where the constraints cannot hold."""
    import highspy

    names = list(system.cells)
    solver = _exact(system, tuple(names), highspy)
    solver.changeColsCost(len(names), list(range(len(names))), [0.0] * len(names))
    for name, coefficient in terms.items():
        solver.changeColCost(names.index(name), sense * coefficient)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return sense * float(solver.getInfo().objective_function_value) + 0.0
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    return None if _feasible(solver, highspy) else False


def _exact(system: System, chosen: tuple[str, ...], highspy: Any) -> Any:
    """The constraints with the chosen cells free and every other fixed as written."""
    names = list(system.cells)
    index = {name: j for j, name in enumerate(names)}
    solver = _solver(highspy)
    for name in names:
        cell = system.cells[name]
        free = name in chosen
        low = (0.0 if cell.value >= 0 else -highspy.kHighsInf) if free else cell.value
        solver.addVar(low, highspy.kHighsInf if free else cell.value)
        if free and cell.whole:
            solver.changeColIntegrality(index[name], highspy.HighsVarType.kInteger)
    for constraint in system.constraints:
        _add_constraint(solver, highspy, constraint, index)
    return solver


def _solver(highspy: Any) -> Any:
    class Quiet(highspy.Highs):  # type: ignore[misc,unused-ignore]  # highspy is untyped under --strict
        def enableCallbacks(self) -> None:
            """None: we use no callbacks, and highspy's print HiGHS's banner on standard output."""

    solver = Quiet()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_feasibility_tolerance", 1e-9)
    # no threads of HiGHS's own: a process forked after they started (every file is read in a
    # child) found them gone and spun for ever in its first solve; these programs are small
    solver.setOptionValue("threads", 1)
    return solver


def _add_cells(solver: Any, highspy: Any, cells: list[Cell], weights: dict[str, float], read: set[str]) -> None:
    count = len(cells)
    largest = max([abs(cell.value) for cell in cells if cell.name in read] + [1.0])
    for j, cell in enumerate(cells):
        solver.addVar(0.0 if cell.value >= 0 else -highspy.kHighsInf, highspy.kHighsInf)
        if cell.whole:
            solver.changeColIntegrality(j, highspy.HighsVarType.kInteger)
    for j, cell in enumerate(cells):
        solver.addVar(0.0, 1.0)
        solver.changeColIntegrality(count + j, highspy.HighsVarType.kInteger)
        solver.changeColCost(count + j, weights.get(cell.kind, 1.0))
    for j, cell in enumerate(cells):
        if cell.name not in read:
            continue  # a 同比增减: only whether it changes counts
        bound = 10 * largest + 1000  # M: any change a sum of the return's figures could ask for
        solver.addRow(-highspy.kHighsInf, cell.value, 2, [j, count + j], [1.0, -bound])
        solver.addRow(cell.value, highspy.kHighsInf, 2, [j, count + j], [1.0, bound])


def _add_constraint(solver: Any, highspy: Any, constraint: Constraint, index: dict[str, int]) -> None:
    columns = [index[cell] for cell in constraint.terms]
    low = constraint.bound - constraint.slack if constraint.op in (">=", "==") else -highspy.kHighsInf
    high = constraint.bound + constraint.slack if constraint.op in ("<=", "==") else highspy.kHighsInf
    solver.addRow(low, high, len(columns), columns, list(constraint.terms.values()))


def _add_ties(solver: Any, system: System, index: dict[str, int], count: int) -> None:
    """A derived cell changes where a cell it is computed from does, and where it is wrong now."""
    import highspy

    values = system.values()
    for tie in system.ties:
        derived = count + index[tie.cell]
        sources = [count + index[source] for source in tie.sources]
        for source in sources:
            solver.addRow(0.0, highspy.kHighsInf, 2, [derived, source], [1.0, -1.0])
        if not tie.fits(values):
            solver.addRow(1.0, highspy.kHighsInf, 1, [derived], [1.0])


def _exclude(solver: Any, highspy: Any, columns: list[int]) -> None:
    """No more this set (nor any set holding it, which would weigh more)."""
    solver.addRow(-highspy.kHighsInf, len(columns) - 1, len(columns), columns, [1.0] * len(columns))


def _extreme(solver: Any, highspy: Any, column: int, count: int, sense: float) -> Any:
    """The least (sense 1) or greatest (sense −1) value of a column: None where unbounded, False
    where nothing is feasible."""
    solver.changeColsCost(count, list(range(count)), [0.0] * count)
    solver.changeColCost(column, sense)
    solver.run()
    status = solver.getModelStatus()
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return None if _feasible(solver, highspy) else False
    if status != highspy.HighsModelStatus.kOptimal:
        return False
    return float(solver.getSolution().col_value[column]) + 0.0  # not -0.0


def _feasible(solver: Any, highspy: Any) -> bool:
    count = solver.getNumCol()
    solver.changeColsCost(count, list(range(count)), [0.0] * count)
    solver.run()
    return bool(solver.getModelStatus() == highspy.HighsModelStatus.kOptimal)
