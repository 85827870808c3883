"""A return's hard rules as linear constraints on its cells, for finding where to fix it
(rules/localise.py).

A check that can say its rule linearly gives, for one return, `Constraint`s — Σ coefficient ×
cell compared with a bound, within the rounding its figures carry — and `Tie`s: a derived cell
(a 同比增减) that must change when a cell it is computed from changes, and must change anyway
where it is wrong now. A rule that cannot be said so (an `or`, a ratio of two cells, a rule on
words) raises `NotLinear` and is left out, said in the localisation's note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Union

from validator.rules.quantity import Quantity
from validator.rules.syntax import Node

_RANK = {"figure": 0, "derived": 1, "referenced": 2}
BLANK = "blank"  # NotLinear's reason for an instance with a blank input: not evaluated, not left out


class NotLinear(Exception):
    """The rule (or this instance of it) cannot be said as linear constraints; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Cell:
    """A figure of the return the constraints read: its value as written, its rounding, whether it
    counts things (whole numbers), and what it is: a figure the unit counted, one derived from
    others (cheaper to change) or one reference data confirms (dearer): pack setting fix_weights."""

    name: str  # "表4!D6"
    value: float
    slack: float = 0.0
    whole: bool = False
    kind: str = "figure"  # figure | derived | referenced


@dataclass(frozen=True)
class Constraint:
    """Σ terms[cell] × cell  `op`  bound, allowing `slack` (the rounding of the figures read)."""

    rule: str
    terms: dict[str, float]
    op: str  # "<=", ">=", "=="
    bound: float
    slack: float = 0.0

    def holds(self, values: dict[str, float]) -> bool:
        total = sum(coefficient * values[cell] for cell, coefficient in self.terms.items())
        loose = self.slack + 1e-9 * max(1.0, abs(total), abs(self.bound))
        if self.op == "<=":
            return total <= self.bound + loose
        if self.op == ">=":
            return total >= self.bound - loose
        return abs(total - self.bound) <= loose


@dataclass(frozen=True)
class Tie:
    """A derived cell computed from others (a 同比增减 from the two years): it changes when they
    do; `fits(values)` says whether its written value still agrees with theirs."""

    rule: str
    cell: str
    sources: tuple[str, ...]
    fits: Callable[[dict[str, float]], bool]
    # the values one source may take, the others as in `values`, for the written cell to fit; None
    # where that is not known (a word written, no base)
    within: Optional[Callable[[dict[str, float], str], Optional[tuple[float, float]]]] = None


@dataclass
class System:
    """What the localisation works on: the cells, the constraints and ties, and the rules left out."""

    cells: dict[str, Cell] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # rule id -> why

    def values(self) -> dict[str, float]:
        return {name: cell.value for name, cell in self.cells.items()}

    def add_cell(self, cell: Cell) -> None:
        """A cell read by a constraint; one read by several is of the dearest kind said of it."""
        known = self.cells.get(cell.name)
        if known is None or _RANK[cell.kind] > _RANK[known.kind]:
            self.cells[cell.name] = cell


class Linear:
    """A linear form Σ terms[cell] × cell + constant, with the rounding its figures carry."""

    __slots__ = ("terms", "constant", "slack")

    def __init__(self, terms: Optional[dict[str, float]] = None, constant: float = 0.0, slack: float = 0.0):
        self.terms, self.constant, self.slack = terms or {}, constant, slack

    def plus(self, other: Linear, sign: float = 1.0) -> Linear:
        terms = dict(self.terms)
        for cell, coefficient in other.terms.items():
            terms[cell] = terms.get(cell, 0.0) + sign * coefficient
        return Linear(terms, self.constant + sign * other.constant, self.slack + other.slack)

    def times(self, factor: float) -> Linear:
        return Linear(
            {cell: c * factor for cell, c in self.terms.items()}, self.constant * factor, self.slack * abs(factor)
        )


Figure = Callable[[Any], Union[Cell, list[Cell]]]  # a Ref -> its cell, or every row's for a ref to many


def constraints_of(rule: str, tree: Node, figure: Figure, system: System) -> list[Constraint]:
    """The constraints an assertion says, its cells added to `system`; NotLinear if it cannot."""
    if tree.kind == "and":
        return [c for part in tree.args for c in constraints_of(rule, part, figure, system)]
    if tree.kind != "compare" or tree.value not in ("<=", ">=", "==", "<", ">"):
        raise NotLinear(tree.kind if tree.kind != "compare" else tree.value)
    left, right = (_linear(arg, figure, system) for arg in tree.args)
    difference = left.plus(right, -1.0)
    op = {"<": "<=", ">": ">="}.get(tree.value, tree.value)
    # a strict comparison of whole numbers is the non-strict one moved by one
    moved = {"<": -1.0, ">": 1.0}.get(tree.value, 0.0) if _whole(difference, system) else 0.0
    return [Constraint(rule, difference.terms, op, moved - difference.constant, difference.slack)]


def _whole(form: Linear, system: System) -> bool:
    return all(system.cells[c].whole and float(k).is_integer() for c, k in form.terms.items())


def _linear(node: Node, figure: Figure, system: System) -> Linear:
    if node.kind == "num":
        return Linear(constant=node.value.value)
    if node.kind == "ref":
        return _cells(figure(node.value), system)
    if node.kind == "neg":
        return _linear(node.args[0], figure, system).times(-1.0)
    if node.kind == "call" and node.value == "sum":
        total = Linear()
        for arg in node.args:
            total = total.plus(_cells(figure(arg.value), system) if arg.kind == "ref" else _linear(arg, figure, system))
        return total
    if node.kind == "binop" and node.value in ("+", "-"):
        left, right = (_linear(arg, figure, system) for arg in node.args)
        return left.plus(right, 1.0 if node.value == "+" else -1.0)
    if node.kind == "binop" and node.value in ("*", "/"):
        left, right = (_linear(arg, figure, system) for arg in node.args)
        if node.value == "*" and not left.terms:
            return right.times(left.constant)
        if not right.terms and (node.value == "*" or right.constant):
            return left.times(right.constant if node.value == "*" else 1.0 / right.constant)
        raise NotLinear(node.value)
    raise NotLinear(str(node.value if node.kind == "call" else node.kind))


def _cells(found: Union[Cell, list[Cell]], system: System) -> Linear:
    total = Linear()
    for cell in found if isinstance(found, list) else [found]:
        system.add_cell(cell)
        total = total.plus(Linear({cell.name: 1.0}, slack=cell.slack))
    return total


def cell_of(name: str, quantity: Any, kind: str = "figure") -> Cell:
    """A cell read as a figure; NotLinear(BLANK) for a blank, NotLinear for a word."""
    if quantity is None:
        raise NotLinear(BLANK)
    if not isinstance(quantity, Quantity):
        raise NotLinear("text")
    whole = quantity.slack == 0 and float(quantity.value).is_integer()
    return Cell(name, float(quantity.value), quantity.slack, whole, kind)


def cells_of(item: Union[Constraint, Tie]) -> tuple[str, ...]:
    """The cells a constraint or a tie joins."""
    return tuple(item.terms) if isinstance(item, Constraint) else (item.cell, *item.sources)


def broken(system: System) -> Iterator[Union[Constraint, Tie]]:
    """The constraints and ties the return breaks as written."""
    values = system.values()
    yield from (c for c in system.constraints if not c.holds(values))
    yield from (t for t in system.ties if not t.fits(values))
