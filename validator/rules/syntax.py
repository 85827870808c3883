"""The rule expression language, its syntax: a closed grammar, parsed here and never passed to eval;
every name resolved against the pack's forms when the pack loads (validator/rules/expr.py evaluates).

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
from typing import Any, Callable, Collection, Iterable, Mapping, Optional, final

from validator.i18n import Joined, Messages, message
from validator.model import PERIODS, Form
from validator.rules.quantity import Quantity


class ExprError(Exception):
    """A rule's expression is malformed or names something the pack does not define."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


MESSAGES = Messages(
    __name__,
    {
        "syntax": {
            "zh": "表达式第 {pos} 个字符处无法理解: {near};请检查那里的括号、运算符(+ - * / < <= == != >= >)和字段名",
            "en": "cannot parse the expression at character {pos}: {near}; check the brackets, operators "
            "(+ - * / < <= == != >= >) and field names there",
        },
        "unknown_form": {"zh": '规则包中没有表 "{name}"{suggest}', "en": 'the pack has no form "{name}"{suggest}'},
        "unknown_field": {
            "zh": '表 {form} 中没有字段 "{name}"{suggest}',
            "en": 'form {form} has no field "{name}"{suggest}',
        },
        "unknown_function": {"zh": '没有函数 "{name}"{suggest}', "en": 'no function "{name}"{suggest}'},
        "needs_period": {"zh": '"{name}" 须写明期别 .prev 或 .cur', "en": '"{name}" needs a period: .prev or .cur'},
        "no_period": {
            "zh": '表 {form} 只有一个期别,"{name}" 不能带 .{period}',
            "en": 'form {form} has one period; "{name}" cannot take .{period}',
        },
        "needs_form": {
            "zh": '"{name}" 须写明所属的表(如 case_stats.{name}.cur)',
            "en": '"{name}" must name its form (e.g. case_stats.{name}.cur)',
        },
        "many_rows": {
            "zh": '"{name}" 有多行,须放在 sum()/min()/max()/count() 中',
            "en": '"{name}" has several rows: use it inside sum()/min()/max()/count()',
        },
        "suggest": {"zh": ',是否应为 "{name}"?', "en": '; did you mean "{name}"?'},
        "known": {"zh": "(可用的有: {names})", "en": " (there are: {names})"},
        "div_zero": {"zh": "除数为 0", "en": "division by zero"},
        "not_number": {"zh": '"{text}" 不是数字', "en": '"{text}" is not a number'},
        "arity": {
            "zh": "函数 {name} 的参数个数不对,应为 {wanted} 个",
            "en": "wrong number of arguments to {name}: it takes {wanted}",
        },
        "too_deep": {
            "zh": "表达式嵌套超过 {most} 层(括号、not、负号或连续运算过多),请拆成几条规则",
            "en": "the expression nests more than {most} deep (brackets, not, minus or chained operators); split the rule",
        },
    },
)

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[<>+\-*/(),.≤≥≠]))"
)
_KEYWORDS = {"and", "or", "not", "if", "then", "else", "true", "false"}
_OPS = {"≤": "<=", "≥": ">=", "≠": "!="}


@dataclass(frozen=True)
class Ref:
    """A resolved name: a field of a form, in a period (None for single-period forms)."""

    form: str
    field: str
    period: Optional[str]
    many: bool  # refers to every unit row of a several-unit form

    def __str__(self) -> str:
        return ".".join(p for p in (self.form, self.field, self.period) if p)


@final
@dataclass(frozen=True)
class Node:
    kind: str  # num str bool name neg binop compare and or not if call
    value: Any = None
    args: tuple[Node, ...] = ()
    pos: int = 0


def tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExprError("syntax", pos=pos + 1, near=text[pos : pos + 12])
        kind = match.lastgroup or ""
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

    def peek(self, *values: str) -> bool:
        kind, value, _ = self.tokens[self.i]
        return kind in ("op", "kw") and value in values

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, value: str) -> None:
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
        return self.chain(("or",), lambda: self.chain(("and",), self.negation, binop=False), binop=False)

    def conditional(self, pos: int) -> Node:
        cond = self.expr()
        self.expect("then")
        then = self.expr()
        self.expect("else")
        return Node("if", args=(cond, then, self.expr()), pos=pos)

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

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Node], binop: bool = True) -> Node:
        """Operands joined by any of `ops`, left to right: arithmetic ("binop" nodes) or, unless
        `binop`, `and`/`or` (a node of that kind)."""
        node, links = operand(), 0
        while self.peek(*ops):
            _, op, pos = self.take()
            right = operand()
            node = Node("binop", op, (node, right), pos) if binop else Node(op, args=(node, right), pos=pos)
            links += 1
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


def nearest(name: str, choices: Iterable[str]) -> dict[str, Any]:
    """The parameters of a message about a name the pack does not define: the name, the nearest
    one it does (if any is near), and those it does, for `suggestion`."""
    known = tuple(choices)
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return {"name": name, "suggest": close[0] if close else "", "known": known}


def suggestion(suggest: str, known: Collection[str]) -> Any:
    """What to write instead: the nearest name, else the names there are (the first eight)."""
    if suggest:
        return message(MESSAGES, "suggest", name=suggest)
    if not known:
        return ""
    names = list(known)
    return message(MESSAGES, "known", names=Joined(names[:8]) + (" …" if len(names) > 8 else ""))


def find_field(parts: list[str], forms: Mapping[str, Form], home: Optional[str]) -> tuple[str, str]:
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


def no_such_form(forms: Mapping[str, Form], form_id: str) -> ExprError:
    return ExprError("unknown_form", **nearest(form_id, forms))


def no_such_field(form: Form, field_id: str) -> ExprError:
    return ExprError("unknown_field", form=form.id, **nearest(field_id, [f.id for f in form.fields]))


def resolve(dotted: tuple[str, ...], forms: Mapping[str, Form], home: Optional[str]) -> Ref:
    """Turn a dotted name into a Ref, or say which part the pack does not define."""
    parts = list(dotted)
    period = parts.pop() if len(parts) > 1 and parts[-1] in PERIODS else None
    form_id, field_id = find_field(parts, forms, home)
    form = forms[form_id]
    name = f"{form_id}.{field_id}"
    # find_field has refused a field the form lacks
    if form.kind.periods and period is None and form.field(field_id).numeric:  # type: ignore[union-attr]
        raise ExprError("needs_period", name=name, suggest="")
    if not form.kind.periods and period is not None:
        raise ExprError("no_period", form=form_id, name=name, period=period, suggest="")
    many = not form.kind.one_unit and form_id != home
    return Ref(form_id, field_id, period, many)


_AGGREGATES = {"sum", "min", "max", "count"}


def bind(node: Node, forms: Mapping[str, Form], home: Optional[str], inside_aggregate: bool = False) -> Node:
    """Resolve every name in the tree against the pack's forms; refuse unknown ones."""
    if node.kind == "name":
        ref = resolve(node.value, forms, home)
        if ref.many and not inside_aggregate:
            raise ExprError("many_rows", name=str(ref), suggest="")
        return Node("ref", ref, pos=node.pos)
    if node.kind == "call":
        if node.value not in FUNCTION_NAMES:
            raise ExprError("unknown_function", **nearest(node.value, FUNCTION_NAMES))
        inner = inside_aggregate or node.value in _AGGREGATES
        args = tuple(bind(a, forms, home, inner) for a in node.args)
        _check_arity(node.value, len(args))
        return Node("call", node.value, args, node.pos)
    args = tuple(bind(a, forms, home, inside_aggregate) for a in node.args)
    return Node(node.kind, node.value, args, node.pos)


def refs(node: Node) -> list[Ref]:
    """Every field reference in a bound tree, in reading order."""
    found = [node.value] if node.kind == "ref" else []
    for arg in node.args:
        found.extend(refs(arg))
    return found


def compile_expression(text: str, forms: Mapping[str, Form], home: Optional[str]) -> Node:
    return bind(parse(text), forms, home)


FUNCTION_NAMES = ("sum", "count", "min", "max", "abs", "round", "pct_change", "is_blank")


_ARITY = {"abs": (1, 1), "round": (1, 2), "pct_change": (2, 2), "is_blank": (1, 1)}


def _check_arity(name: str, count: int) -> None:
    low, high = _ARITY.get(name, (1, 99))
    if not low <= count <= high:
        raise ExprError("arity", name=name, wanted=str(low) if low == high else f"{low}–{high}", suggest="")
