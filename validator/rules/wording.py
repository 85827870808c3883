"""An expression said in words: each field by its printed label (and year), operators as people
write them (≥, ≠, 且). It gives a rule without a `message` its default one — the assertion with
the figures read ("不成立: 移送案件数 (0) ≥ 刑事立案数 (2) + …") — and `formcheck rules explain`
the assertion without figures.

The words are message parts as rules/checks/expression.py fills them: a text, ("label", Field),
("year", period), ("expr", Expression) for a figure read from the return."""

from __future__ import annotations

from validator.i18n import say
from validator.numbers import format_number
from validator.rules.expr import Expression
from validator.rules.syntax import Node

MESSAGES = {
    "failed": {"zh": "不成立: ", "en": "does not hold: "},
    "when": {"zh": "当 {guard} 时,", "en": "where {guard}, "},
}
_SHOWN = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "="}
_WORDS: dict[str, dict] = {
    "and": {"zh": " 且 ", "en": " and "},
    "or": {"zh": " 或 ", "en": " or "},
    "not": {"zh": "并非 ", "en": "not "},
    "if": {"zh": ("若 ", " 则 ", " 否则 "), "en": ("if ", " then ", " else ")},
    "blank": {"zh": " 为空白", "en": " is blank"},
    "true": {"zh": "成立", "en": "true"},
    "false": {"zh": "不成立", "en": "false"},
}
# how tightly each kind binds: a part that binds less tightly than where it stands is bracketed
_BINDS = {"if": 0, "or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def default_message(test: Node, pack, lang: str) -> list:
    """The message of a rule that gives none: "不成立: " and the assertion with its figures."""
    return [say(MESSAGES, "failed", lang), *words(test, pack, lang, figures=True)]


def said(test: Node, pack, lang: str, guard=None) -> str:
    """The assertion (and its guard) in words, without figures, as one text."""
    parts = words(test, pack, lang, figures=False)
    twice = _labels_of_two_forms(parts, lang)
    text = _joined(parts, lang, twice)
    if guard is None:
        return text
    return say(MESSAGES, "when", lang, guard=_joined(words(guard, pack, lang, figures=False), lang, twice)) + text


def _labels_of_two_forms(parts: list, lang: str) -> frozenset:
    """The labels the assertion reads from two forms (表1 and 表2 both print 罚没金额): said with
    their form, so that "上年罚没金额 ≤ 上年罚没金额" reads "上年表2 罚没金额 ≤ 上年表1 罚没金额"."""
    forms: dict = {}
    for part in parts:
        if isinstance(part, tuple) and part[0] == "label" and len(part) > 2:
            forms.setdefault(part[1].name(lang), set()).add(part[2])
    return frozenset(name for name, shorts in forms.items() if len(shorts) > 1)


def words(node: Node, pack, lang: str, figures: bool) -> list:
    kind = node.kind
    if kind == "ref":
        return _field(node, pack, lang, figures)
    if kind == "num":
        return [format_number(node.value.value)]
    if kind == "str":
        return [f"“{node.value}”" if lang == "zh" else f'"{node.value}"']
    if kind == "bool":
        return [_WORDS["true" if node.value else "false"][lang]]
    if kind == "call" and node.value == "is_blank":
        return [*words(node.args[0], pack, lang, figures), _WORDS["blank"][lang]]
    if kind == "call":
        inner = [
            part
            for index, arg in enumerate(node.args)
            for part in ([", "] if index else []) + words(arg, pack, lang, False)
        ]
        shown = [f"{node.value}(", *inner, ")"]
        return shown + [" (", ("expr", Expression(node)), ")"] if figures else shown
    if kind in ("neg", "not"):
        return ["-" if kind == "neg" else _WORDS["not"][lang], *_operand(node.args[0], kind, pack, lang, figures)]
    if kind == "if":
        cond, then, other = (words(arg, pack, lang, figures) for arg in node.args)
        first, middle, last = _WORDS["if"][lang]
        return [first, *cond, middle, *then, last, *other]
    op = node.value if kind in ("binop", "compare") else kind
    glue = _WORDS[op][lang] if kind in ("and", "or") else f" {_SHOWN.get(op, op)} "
    left = _operand(node.args[0], op if kind == "binop" else kind, pack, lang, figures)
    right = _operand(node.args[1], op if kind == "binop" else kind, pack, lang, figures, right=True)
    return [*left, glue, *right]


def _operand(node: Node, within: str, pack, lang: str, figures: bool, right: bool = False) -> list:
    binds = _BINDS.get(node.value if node.kind == "binop" else node.kind, 9)
    needed = _BINDS[within]
    parts = words(node, pack, lang, figures)
    # a - (b - c) and a / (b / c) keep their brackets; so does anything binding less tightly
    return ["(", *parts, ")"] if binds < needed or (right and binds == needed and within in "-/") else parts


def _field(node: Node, pack, lang: str, figures: bool) -> list:
    ref = node.value
    label = ("label", pack.forms[ref.form].field(ref.field), pack.forms[ref.form].short)
    year = [("year", ref.period)] if ref.period else []
    named = ([*year, " 年", label] if lang == "zh" else [label, " ", *year]) if year else [label]
    return [*named, " (", ("expr", Expression(node)), ")"] if figures else named


def field_name(ref, pack, lang: str) -> str:
    """A field as the form prints it, with its period: 上年行政处罚, penalties previous year."""
    return _joined(_field(Node("ref", ref), pack, lang, figures=False), lang)


def _joined(parts: list, lang: str, with_form: frozenset = frozenset()) -> str:
    """Parts without figures as text: labels in the language (those `with_form` after their
    form's short name), years as "上年"/"本年"."""
    years = {"prev": {"zh": "上", "en": "previous year"}, "cur": {"zh": "本", "en": "current year"}}
    shown = []
    for part in parts:
        if isinstance(part, str):
            shown.append(part)
        elif part[0] == "label":
            name = part[1].name(lang)
            shown.append(f"{part[2]} {name}" if name in with_form and len(part) > 2 else name)
        elif part[0] == "year":
            shown.append(years[part[1]][lang])
    return "".join(shown).replace("上 年", "上年").replace("本 年", "本年")
