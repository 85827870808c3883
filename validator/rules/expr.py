"""The rule expression language: a closed grammar, parsed here and never passed to eval.

    expr     := or
    or       := and ('or' and)*            and := not ('and' not)*
    not      := 'not' not | compare        compare := sum (op sum)?   op: < <= > >= == != ≤ ≥ ≠
    sum      := term (('+'|'-') term)*     term := unary (('*'|'/') unary)*
    unary    := '-' unary | primary
    primary  := NUMBER | STRING | true | false | name | func '(' expr (',' expr)* ')' | '(' expr ')'
              | 'if' expr 'then' expr 'else' expr
    name     := field | field.period | form.field | form.field.period      period: prev | cur

Figures carry the rounding their written precision implies (278.49 stands for 278.49 ± 0.005),
and arithmetic carries it along, so comparisons give a rounded figure the benefit of the doubt.
A blank input makes the whole expression "not evaluated" (`BlankInput`); blank is not zero.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional, Union

from validator.model import PERIODS
from validator.numbers import format_number


class ExprError(Exception):
    """A rule's expression is malformed or names something the pack does not define."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


class BlankInput(Exception):
    """An input of the expression is blank, so the rule cannot be evaluated."""

    def __init__(self, cells):
        super().__init__(cells)
        self.cells = tuple(cells)


class EvalError(Exception):
    """The expression could not be evaluated on these figures (division by zero, text in sums)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


MESSAGES = {
    "syntax": {"zh": "表达式第 {pos} 个字符处无法理解: {near}", "en": "cannot parse the expression at character {pos}: {near}"},
    "unknown_form": {"zh": "规则包中没有表 \"{name}\"{suggest}", "en": "the pack has no form \"{name}\"{suggest}"},
    "unknown_field": {"zh": "表 {form} 中没有字段 \"{name}\"{suggest}", "en": "form {form} has no field \"{name}\"{suggest}"},
    "unknown_function": {"zh": "没有函数 \"{name}\"{suggest}", "en": "no function \"{name}\"{suggest}"},
    "needs_period": {"zh": "\"{name}\" 须写明期别 .prev 或 .cur", "en": "\"{name}\" needs a period: .prev or .cur"},
    "no_period": {"zh": "表 {form} 只有一个期别,\"{name}\" 不能带 .{period}", "en": "form {form} has one period; \"{name}\" cannot take .{period}"},
    "needs_form": {"zh": "\"{name}\" 须写明所属的表(如 case_stats.{name}.cur)", "en": "\"{name}\" must name its form (e.g. case_stats.{name}.cur)"},
    "many_rows": {"zh": "\"{name}\" 有多行,须放在 sum()/min()/max()/count() 中", "en": "\"{name}\" has several rows: use it inside sum()/min()/max()/count()"},
    "suggest": {"zh": ",是否应为 \"{name}\"?", "en": "; did you mean \"{name}\"?"},
    "div_zero": {"zh": "除数为 0", "en": "division by zero"},
    "not_number": {"zh": "\"{text}\" 不是数字", "en": "\"{text}\" is not a number"},
    "arity": {"zh": "函数 {name} 的参数个数不对", "en": "wrong number of arguments to {name}"},
    "too_deep": {"zh": "表达式嵌套超过 {most} 层(括号、not、负号或连续运算过多),请拆成几条规则",
                 "en": "the expression nests more than {most} deep (brackets, not, minus or chained operators); split the rule"},
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[<>+\-*/(),.≤≥≠]))"
)
_KEYWORDS = {"and", "or", "not", "if", "then", "else", "true", "false"}
_OPS = {"≤": "<=", "≥": ">=", "≠": "!="}


# ---- values -------------------------------------------------------------------------------

class Quantity(NamedTuple):
    """A figure and the half-width of its rounding: 278.49 written with 2 decimals -> ±0.005.
    (A named tuple: every rule on every return makes a few, and a tuple is the cheapest to make.)"""

    value: float
    error: float = 0.0

    def __str__(self) -> str:
        return format_number(self.value)


def compare(op: str, a: Quantity, b: Quantity) -> bool:
    """True when the comparison could hold for the exact figures behind the rounded ones.

    Exact figures (no rounding) are compared exactly, allowing only for float noise."""
    return _holds(_COMPARISONS[op], a, b)


def _holds(comparison: Callable, a: Quantity, b: Quantity) -> bool:
    noise = 1e-9 * max(1.0, abs(a.value), abs(b.value))
    rounding = a.error + b.error
    loose = rounding + noise  # for <=, >=, ==
    strict = rounding if rounding > 0 else -noise  # for <, >: 3 < 3 is false
    return comparison(a.value - b.value, strict, loose)


_COMPARISONS = {
    "<": lambda diff, strict, loose: diff < strict, "<=": lambda diff, strict, loose: diff <= loose,
    ">": lambda diff, strict, loose: diff > -strict, ">=": lambda diff, strict, loose: diff >= -loose,
    "==": lambda diff, strict, loose: abs(diff) <= loose, "!=": lambda diff, strict, loose: abs(diff) > loose,
}


def arithmetic(op: str, a: Quantity, b: Quantity) -> Quantity:
    if op == "+":
        return Quantity(a.value + b.value, a.error + b.error)
    if op == "-":
        return Quantity(a.value - b.value, a.error + b.error)
    if op == "*":
        return Quantity(a.value * b.value, abs(a.value) * b.error + abs(b.value) * a.error + a.error * b.error)
    if b.value == 0:
        raise EvalError("div_zero")
    value = a.value / b.value
    room = abs(b.value) - b.error
    error = (abs(a.value) * b.error + abs(b.value) * a.error) / (abs(b.value) * room) if room > 0 else float("inf")
    return Quantity(value, error)


# ---- syntax tree --------------------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """A resolved name: a field of a form, in a period (None for single-period forms)."""

    form: str
    field: str
    period: Optional[str]
    many: bool  # refers to every unit row of a several-unit form

    def __str__(self) -> str:
        return ".".join(p for p in (self.form, self.field, self.period) if p)


@dataclass(frozen=True)
class Node:
    kind: str  # num str bool name neg binop compare and or not if call
    value: Any = None
    args: tuple = ()
    pos: int = 0


def tokenize(text: str) -> list:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExprError("syntax", pos=pos + 1, near=text[pos:pos + 12])
        kind = match.lastgroup
        value, start = match.group(kind), match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        tokens.append((kind, _OPS.get(value, value), start + 1))
        pos = match.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


MAX_DEPTH = 40  # how deep an expression may nest: brackets, not, minus, and operators chained


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def deeper(self) -> None:
        """One level of nesting more, refused past MAX_DEPTH: the parser and every walk over the
        tree recurse once per level, and a crafted rule must not exhaust Python's stack."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("too_deep", most=MAX_DEPTH, suggest="")

    def peek(self, *values) -> bool:
        kind, value, _ = self.tokens[self.i]
        return kind in ("op", "kw") and value in values

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, value: str):
        kind, got, pos = self.take()
        if got != value or kind not in ("op", "kw"):
            raise ExprError("syntax", pos=pos, near=got or "(end)")

    def parse(self) -> Node:
        node = self.expr()
        kind, value, pos = self.tokens[self.i]
        if kind != "end":
            raise ExprError("syntax", pos=pos, near=value)
        return node

    def expr(self) -> Node:
        return self.boolean("or", lambda: self.boolean("and", self.negation))

    def conditional(self, pos: int) -> Node:
        cond = self.expr()
        self.expect("then")
        then = self.expr()
        self.expect("else")
        return Node("if", args=(cond, then, self.expr()), pos=pos)

    def boolean(self, op: str, operand: Callable) -> Node:
        node, links = operand(), 0
        while self.peek(op):
            pos = self.take()[2]
            node, links = Node(op, args=(node, operand()), pos=pos), links + 1
            if links + self.depth > MAX_DEPTH:
                raise ExprError("too_deep", most=MAX_DEPTH, suggest="")
        return node

    def negation(self) -> Node:
        if self.peek("not"):
            pos = self.take()[2]
            self.deeper()
            node = Node("not", args=(self.negation(),), pos=pos)
            self.depth -= 1
            return node
        node = self.sum()
        if self.peek("<", "<=", ">", ">=", "==", "!="):
            _, op, pos = self.take()
            node = Node("compare", op, (node, self.sum()), pos)
        return node

    def sum(self) -> Node:
        return self.chain(("+", "-"), self.term)

    def term(self) -> Node:
        return self.chain(("*", "/"), self.unary)

    def chain(self, ops, operand: Callable) -> Node:
        node, links = operand(), 0
        while self.peek(*ops):
            _, op, pos = self.take()
            node, links = Node("binop", op, (node, operand()), pos), links + 1
            if links + self.depth > MAX_DEPTH:  # each link is a level of the tree
                raise ExprError("too_deep", most=MAX_DEPTH, suggest="")
        return node

    def unary(self) -> Node:
        if self.peek("-"):
            pos = self.take()[2]
            self.deeper()
            node = Node("neg", args=(self.unary(),), pos=pos)
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return Node("num", Quantity(float(value)), pos=pos)
        if kind == "str":
            return Node("str", value[1:-1], pos=pos)
        if kind == "kw" and value == "if":
            self.deeper()
            node = self.conditional(pos)
            self.depth -= 1
            return node
        if kind == "kw" and value in ("true", "false"):
            return Node("bool", value == "true", pos=pos)
        if kind == "op" and value == "(":
            self.deeper()
            node = self.expr()
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name":
            return self.name_or_call(value, pos)
        raise ExprError("syntax", pos=pos, near=value or "(end)")

    def name_or_call(self, first: str, pos: int) -> Node:
        if self.peek("("):
            self.take()
            self.deeper()
            args = [] if self.peek(")") else [self.expr()]
            while self.peek(","):
                self.take()
                args.append(self.expr())
            self.expect(")")
            self.depth -= 1
            return Node("call", first, tuple(args), pos)
        parts = [first]
        while self.peek("."):
            self.take()
            kind, value, where = self.take()
            if kind != "name":
                raise ExprError("syntax", pos=where, near=value or "(end)")
            parts.append(value)
        return Node("name", tuple(parts), pos=pos)


def parse(text: str) -> Node:
    return _Parser(str(text)).parse()


# ---- names --------------------------------------------------------------------------------

def _suggest(name: str, choices) -> dict:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return {"name": name, "suggest": close[0] if close else ""}


def find_field(parts: list, forms: dict, home: Optional[str]) -> tuple:
    """(form id, field id) for `field` (in the rule's own form) or `form.field`."""
    if len(parts) == 1:
        if home is None:
            raise ExprError("needs_form", name=parts[0], suggest="")
        form_id, field_id = home, parts[0]
    elif len(parts) == 2:
        form_id, field_id = parts
        if form_id not in forms:
            raise no_such_form(forms, form_id)
    else:
        raise no_such_form(forms, ".".join(parts[:-1]))
    if forms[form_id].field(field_id) is None:
        raise no_such_field(forms[form_id], field_id)
    return form_id, field_id


def no_such_form(forms: dict, form_id: str) -> ExprError:
    return ExprError("unknown_form", **_suggest(form_id, forms))


def no_such_field(form, field_id: str) -> ExprError:
    return ExprError("unknown_field", form=form.id, **_suggest(field_id, [f.id for f in form.fields]))


def resolve(parts: tuple, forms: dict, home: Optional[str]) -> Ref:
    """Turn a dotted name into a Ref, or say which part the pack does not define."""
    parts = list(parts)
    period = parts.pop() if len(parts) > 1 and parts[-1] in PERIODS else None
    form_id, field_id = find_field(parts, forms, home)
    form = forms[form_id]
    dotted = f"{form_id}.{field_id}"
    if form.periodic and period is None and form.field(field_id).numeric:
        raise ExprError("needs_period", name=dotted, suggest="")
    if not form.periodic and period is not None:
        raise ExprError("no_period", form=form_id, name=dotted, period=period, suggest="")
    many = not form.periodic and form_id != home
    return Ref(form_id, field_id, period, many)


_AGGREGATES = {"sum", "min", "max", "count"}


def bind(node: Node, forms: dict, home: Optional[str], inside_aggregate: bool = False) -> Node:
    """Resolve every name in the tree against the pack's forms; refuse unknown ones."""
    if node.kind == "name":
        ref = resolve(node.value, forms, home)
        if ref.many and not inside_aggregate:
            raise ExprError("many_rows", name=str(ref), suggest="")
        return Node("ref", ref, pos=node.pos)
    if node.kind == "call":
        if node.value not in FUNCTIONS:
            raise ExprError("unknown_function", **_suggest(node.value, FUNCTIONS))
        inner = inside_aggregate or node.value in _AGGREGATES
        args = tuple(bind(a, forms, home, inner) for a in node.args)
        _check_arity(node.value, len(args))
        return Node("call", node.value, args, node.pos)
    args = tuple(bind(a, forms, home, inside_aggregate) for a in node.args)
    return Node(node.kind, node.value, args, node.pos)


def refs(node: Node) -> list:
    """Every field reference in a bound tree, in reading order."""
    found = [node.value] if node.kind == "ref" else []
    for arg in node.args:
        found.extend(refs(arg))
    return found


def compile_expression(text: str, forms: dict, home: Optional[str]) -> Node:
    return bind(parse(text), forms, home)


# ---- evaluation ---------------------------------------------------------------------------

class Scope:
    """What a bound expression reads: `lookup(ref)` gives a Value, or a list of them if `ref.many`."""

    def __init__(self, lookup: Callable):
        self.lookup = lookup
        self.read: list = []  # the Values read, in order; their cells are spelt out only for a finding

    @property
    def cells(self) -> list:
        return [value.cell for value in self.read]

    def quantity(self, value) -> Union[Quantity, str, None]:
        if value is None or value.blank:
            return None
        self.read.append(value)
        if value.number is not None:
            return Quantity(value.number, value.error)
        return value.text

    def figure(self, ref) -> Union[Quantity, str, None]:
        """What a reference to one cell gives the expression."""
        return self.quantity(self.lookup(ref))

    def figures(self, ref) -> Optional[list]:
        """What a reference to every row of a form gives; None where the return lacks the form."""
        found = self.lookup(ref)
        return None if found is None else [self.quantity(v) for v in found]


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

    def __reduce__(self):
        return Expression, (self.tree,)


def closure(node: Node) -> Callable:
    return _COMPILERS[node.kind](node)


def _constant(node: Node) -> Callable:
    value = node.value
    return lambda scope: value


def _ref(node: Node) -> Callable:
    ref = node.value
    if not ref.many:
        return lambda scope: scope.figure(ref)

    return lambda scope: scope.figures(ref)


def _needed(node: Node) -> Callable:
    """The node's function, refusing a blank with the cells left blank."""
    inner = closure(node)

    def run(scope):
        value = inner(scope)
        if value is None:
            raise BlankInput(_cells_of(node, scope))
        return value

    return run


def _numeric(node: Node) -> Callable:
    """The node's function, refusing a blank or anything but a figure."""
    inner = closure(node)
    return lambda scope: _number(inner(scope), node, scope)


def _cells_of(node: Node, scope: Scope) -> list:
    cells = []
    for ref in refs(node):
        found = scope.lookup(ref)
        for value in (found if isinstance(found, list) else [found]):
            if value is not None and value.blank:
                cells.append(value.cell)
    return cells


def _number(value, node: Node, scope: Scope) -> Quantity:
    if value.__class__ is Quantity:
        return value
    if value is None:
        raise BlankInput(_cells_of(node, scope))
    raise EvalError("not_number", text=value)


def _binop(node: Node) -> Callable:
    op, (left, right) = node.value, map(_numeric, node.args)
    return lambda scope: arithmetic(op, left(scope), right(scope))


def _negation(node: Node) -> Callable:
    inner = closure(node.args[0])
    return lambda scope: arithmetic("-", Quantity(0.0), _number(inner(scope), node, scope))


def _compare(node: Node) -> Callable:
    # what _needed does for each side, inline: most rules are one comparison, run on every return
    op, (left_node, right_node) = node.value, node.args
    left, right, comparison = closure(left_node), closure(right_node), _COMPARISONS[op]

    def run(scope):
        a = left(scope)
        if a is None:
            raise BlankInput(_cells_of(left_node, scope))
        b = right(scope)
        if b is None:
            raise BlankInput(_cells_of(right_node, scope))
        if a.__class__ is Quantity and b.__class__ is Quantity:
            return _holds(comparison, a, b)
        if op in ("==", "!="):
            return (str(a) == str(b)) == (op == "==")
        raise EvalError("not_number", text=a if a.__class__ is not Quantity else b)

    return run


def _truth(node: Node) -> Callable:
    inner = _needed(node)

    def run(scope) -> bool:
        value = inner(scope)
        return value.value != 0 if value.__class__ is Quantity else bool(value)

    return run


def _if(node: Node) -> Callable:
    condition, then, other = _truth(node.args[0]), closure(node.args[1]), closure(node.args[2])
    return lambda scope: then(scope) if condition(scope) else other(scope)


def _and(node: Node) -> Callable:
    left, right = map(_truth, node.args)
    return lambda scope: left(scope) and right(scope)


def _or(node: Node) -> Callable:
    left, right = map(_truth, node.args)
    return lambda scope: left(scope) or right(scope)


def _not(node: Node) -> Callable:
    inner = _truth(node.args[0])
    return lambda scope: not inner(scope)


def _call(node: Node) -> Callable:
    if node.value == "is_blank":
        inner = closure(node.args[0])
        return lambda scope: inner(scope) in (None, [])
    function, parts = FUNCTIONS[node.value], [(closure(arg), arg) for arg in node.args]

    def run(scope):
        values = []
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
    return Quantity(change.value * 100, change.error * 100)


def _round(value: Quantity, places: Quantity = Quantity(0.0)) -> Quantity:
    digits = int(places.value)
    return Quantity(round(value.value, digits), value.error)


FUNCTIONS = {
    "sum": _sum,
    "count": lambda *values: Quantity(float(len(values))),
    "min": lambda *values: min(values, key=lambda q: q.value),
    "max": lambda *values: max(values, key=lambda q: q.value),
    "abs": lambda value: Quantity(abs(value.value), value.error),
    "round": _round,
    "pct_change": _pct_change,
    "is_blank": None,  # handled before its argument is evaluated: blank is its input
}
_ARITY = {"abs": (1, 1), "round": (1, 2), "pct_change": (2, 2), "is_blank": (1, 1)}


def _check_arity(name: str, count: int) -> None:
    low, high = _ARITY.get(name, (1, 99))
    if not low <= count <= high:
        raise ExprError("arity", name=name, suggest="")


_COMPILERS = {
    "num": _constant, "str": _constant, "bool": _constant, "ref": _ref, "neg": _negation, "binop": _binop,
    "compare": _compare, "and": _and, "or": _or, "not": _not, "if": _if, "call": _call,
}
