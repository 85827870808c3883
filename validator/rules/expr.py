"""The rule expression language, its evaluation: a bound tree (validator/rules/syntax.py) becomes
nested Python functions of a Scope once, when the pack compiles; a blank input makes the whole
expression "not evaluated" (`BlankInput`) — blank is not zero."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Union

from validator.rules.quantity import COMPARISONS, EvalError, Quantity, arithmetic, holds
from validator.rules.syntax import Node, refs

if TYPE_CHECKING:
    from validator.rules.syntax import Ref
    from validator.table import Value


class BlankInput(Exception):
    """An input of the expression is blank, so the rule cannot be evaluated."""

    def __init__(self, cells: Iterable[str]):
        super().__init__(cells)
        self.cells = tuple(cells)


class Scope:
    """What a bound expression reads, from Values: `lookup(ref)` gives a Value, or a list of them if
    `ref.many`. A rule on a return reads its columns instead (checks/expression.py: ReturnScope),
    with the same four methods: figure, figures, blank_cells, cells."""

    def __init__(self, lookup: Callable[[Ref], Any]):
        self.lookup = lookup
        self.read: list[Value] = []  # the Values read, in order; their cells are spelt out only for a finding

    @property
    def cells(self) -> list[str]:
        return [value.cell for value in self.read]

    def quantity(self, value: Optional[Value]) -> Union[Quantity, str, None]:
        if value is None or value.blank:
            return None
        self.read.append(value)
        if value.number is not None:
            return Quantity(value.number, value.slack)
        return value.text

    def figure(self, ref: Ref) -> Union[Quantity, str, None]:
        """What a reference to one cell gives the expression."""
        return self.quantity(self.lookup(ref))

    def figures(self, ref: Ref) -> Optional[list[Union[Quantity, str, None]]]:
        """What a reference to every row of a form gives; None where the return lacks the form."""
        found = self.lookup(ref)
        return None if found is None else [self.quantity(v) for v in found]

    def blank_cells(self, ref: Ref) -> list[str]:
        """The cells a reference reads that are blank."""
        found = self.lookup(ref)
        return [
            value.cell for value in (found if isinstance(found, list) else [found]) if value is not None and value.blank
        ]


def evaluate(node: Node, scope: Scope) -> Any:
    """The value of a bound tree; None stands for blank and is refused by arithmetic."""
    return closure(node)(scope)


class Expression:
    """A bound tree and `run`, the same as nested functions of a Scope: a rule runs on every
    return, and walking the tree would look up each node's kind every time. Pickled as its tree
    (the pack cache cannot keep functions); `run` is made again when it is loaded."""

    __slots__ = ("tree", "run")

    def __init__(self, tree: Node):
        self.tree, self.run = tree, closure(tree)

    def __reduce__(self) -> tuple[type[Expression], tuple[Node]]:
        return Expression, (self.tree,)


def closure(node: Node) -> Callable[[Any], Any]:
    return _COMPILERS[node.kind](node)


def _constant(node: Node) -> Callable[[Any], Any]:
    value = node.value
    return lambda scope: value


def _ref(node: Node) -> Callable[[Any], Any]:
    ref = node.value
    if not ref.many:
        return lambda scope: scope.figure(ref)

    return lambda scope: scope.figures(ref)


def _needed(node: Node) -> Callable[[Any], Any]:
    """The node's function, refusing a blank with the cells left blank."""
    inner = closure(node)

    def run(scope: Any) -> Any:
        value = inner(scope)
        if value is None:
            raise BlankInput(_cells_of(node, scope))
        return value

    return run


def _numeric(node: Node) -> Callable[[Any], Quantity]:
    """The node's function, refusing a blank or anything but a figure."""
    inner = closure(node)
    return lambda scope: _number(inner(scope), node, scope)


def _cells_of(node: Node, scope: Any) -> list[str]:
    """The blank cells a node reads, for "not evaluated" (the scope knows where it reads)."""
    return [cell for ref in refs(node) for cell in scope.blank_cells(ref)]


def _number(value: Any, node: Node, scope: Scope) -> Quantity:
    if value.__class__ is Quantity:
        return value
    if value is None:
        raise BlankInput(_cells_of(node, scope))
    raise EvalError("not_number", text=value)


def _binop(node: Node) -> Callable[[Any], Quantity]:
    op, (left, right) = node.value, map(_numeric, node.args)
    return lambda scope: arithmetic(op, left(scope), right(scope))


def _negation(node: Node) -> Callable[[Any], Quantity]:
    inner = closure(node.args[0])
    return lambda scope: arithmetic("-", Quantity(0.0), _number(inner(scope), node, scope))


def _compare(node: Node) -> Callable[[Any], bool]:
    # what _needed does for each side, inline: most rules are one comparison, run on every return
    op: str
    op, (left_node, right_node) = node.value, node.args
    left, right, comparison = closure(left_node), closure(right_node), COMPARISONS[op]

    def run(scope: Any) -> bool:
        a = left(scope)
        if a is None:
            raise BlankInput(_cells_of(left_node, scope))
        b = right(scope)
        if b is None:
            raise BlankInput(_cells_of(right_node, scope))
        if a.__class__ is Quantity and b.__class__ is Quantity:
            return holds(comparison, a, b)
        if op in ("==", "!="):
            return (str(a) == str(b)) == (op == "==")
        raise EvalError("not_number", text=a if a.__class__ is not Quantity else b)

    return run


def _truth(node: Node) -> Callable[[Any], bool]:
    inner = _needed(node)

    def run(scope: Any) -> bool:
        value = inner(scope)
        return value.value != 0 if value.__class__ is Quantity else bool(value)

    return run


def _if(node: Node) -> Callable[[Any], Any]:
    condition, then, other = _truth(node.args[0]), closure(node.args[1]), closure(node.args[2])
    return lambda scope: then(scope) if condition(scope) else other(scope)


def _and(node: Node) -> Callable[[Any], bool]:
    left, right = map(_truth, node.args)
    return lambda scope: left(scope) and right(scope)


def _or(node: Node) -> Callable[[Any], bool]:
    left, right = map(_truth, node.args)
    return lambda scope: left(scope) or right(scope)


def _not(node: Node) -> Callable[[Any], bool]:
    inner = _truth(node.args[0])
    return lambda scope: not inner(scope)


def _call(node: Node) -> Callable[[Any], Any]:
    if node.value == "is_blank":
        inner = closure(node.args[0])
        return lambda scope: inner(scope) in (None, [])
    # is_blank, the one None, is above
    function: Callable[..., Quantity] = FUNCTIONS[node.value]  # type: ignore[assignment]
    parts = [(closure(arg), arg) for arg in node.args]

    def run(scope: Any) -> Quantity:
        values: list[Quantity] = []
        for inner, arg in parts:
            got = inner(scope)
            values.extend(_number(v, arg, scope) for v in (got if isinstance(got, list) else [got]))
        return function(*values)

    return run


def _sum(*values: Quantity) -> Quantity:
    total = Quantity(0.0)
    for value in values:
        total = arithmetic("+", total, value)
    return total


def _pct_change(prev: Quantity, cur: Quantity) -> Quantity:
    change = arithmetic("/", arithmetic("-", cur, prev), prev)
    return Quantity(change.value * 100, change.slack * 100)


def _round(value: Quantity, places: Quantity = Quantity(0.0)) -> Quantity:
    digits = int(places.value)
    return Quantity(round(value.value, digits), value.slack)


FUNCTIONS: dict[str, Optional[Callable[..., Quantity]]] = {
    "sum": _sum,
    "count": lambda *values: Quantity(float(len(values))),
    "min": lambda *values: min(values, key=lambda q: q.value),
    "max": lambda *values: max(values, key=lambda q: q.value),
    "abs": lambda value: Quantity(abs(value.value), value.slack),
    "round": _round,
    "pct_change": _pct_change,
    "is_blank": None,  # handled before its argument is evaluated: blank is its input
}


_COMPILERS: dict[str, Callable[[Node], Callable[[Any], Any]]] = {
    "num": _constant,
    "str": _constant,
    "bool": _constant,
    "ref": _ref,
    "neg": _negation,
    "binop": _binop,
    "compare": _compare,
    "and": _and,
    "or": _or,
    "not": _not,
    "if": _if,
    "call": _call,
}
