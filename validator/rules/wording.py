"""An expression said in words: each field by its printed label (and year), operators as people
write them (≥, ≠, 且). It gives a rule without a `message` its default one — the assertion with
the figures read ("不成立: 移送案件数 (0) ≥ 刑事立案数 (2) + …") — and `formcheck rules explain`
the assertion without figures.

The words are message parts as rules/checks/expression.py fills them, in no language yet: a text
(a str, or an i18n.Text said in the language), ("label", Field, form's short name), ("dated",
period, label part) for a field of a year — "上年移送案件数", "transferred previous year" —,
("expr", Expression) for a figure read from the return. `Words` says the parts without figures."""

from __future__ import annotations

from typing import Any

from validator.i18n import Messages, Phrase, Text, message
from validator.numbers import format_number
from validator.rules.expr import Expression
from validator.rules.syntax import Node

MESSAGES = Messages(
    __name__,
    {
        "failed": {"zh": "不成立: ", "en": "does not hold: "},
        "when": {"zh": "当 {guard} 时,", "en": "where {guard}, "},
    },
)
_SHOWN = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "="}
_WORDS = {
    "and": Phrase({"zh": " 且 ", "en": " and "}),
    "or": Phrase({"zh": " 或 ", "en": " or "}),
    "not": Phrase({"zh": "并非 ", "en": "not "}),
    "if": Phrase({"zh": "若 ", "en": "if "}),
    "then": Phrase({"zh": " 则 ", "en": " then "}),
    "else": Phrase({"zh": " 否则 ", "en": " else "}),
    "blank": Phrase({"zh": " 为空白", "en": " is blank"}),
    "true": Phrase({"zh": "成立", "en": "true"}),
    "false": Phrase({"zh": "不成立", "en": "false"}),
}
_YEARS = {"prev": {"zh": "上年", "en": "previous year"}, "cur": {"zh": "本年", "en": "current year"}}
# how tightly each kind binds: a part that binds less tightly than where it stands is bracketed
_BINDS = {"if": 0, "or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def default_message(test: Node, pack: Any) -> list[Any]:
    """The message of a rule that gives none: "不成立: " and the assertion with its figures."""
    return [message(MESSAGES, "failed"), *words(test, pack, figures=True)]


class Worded(Text):
    """Message parts said in a language: texts as they are, a label by the field's printed name (after
    its form's short name where the parts read one label from two forms), a field of a year with
    its year where the language puts it."""

    __slots__ = ()

    def _joined(self, parts: list[Any], lang: str, with_form: frozenset[str]) -> str:
        return "".join(self._part(part, lang, with_form) for part in parts)

    def _part(self, part: Any, lang: str, with_form: frozenset[str]) -> str:
        if isinstance(part, str):
            return part
        if isinstance(part, Text):
            return part.render(lang)
        if part[0] == "label":
            name = part[1].name(lang)
            return f"{part[2]} {name}" if len(part) > 2 and name in with_form else name
        year, label = self._year(part[1], lang), self._part(part[2], lang, with_form)
        return f"{year}{label}" if lang == "zh" else f"{label} {year}"

    def _year(self, year: str, lang: str) -> str:
        raise NotImplementedError


class Words(Worded):
    """An assertion (and its guard) in words, without figures, years as "上年"/"本年"."""

    __slots__ = ("parts", "guard")

    def __init__(self, parts: list[Any], guard: Any = None):
        self.parts, self.guard = parts, guard

    def render(self, lang: str) -> str:
        twice = _labels_of_two_forms(self.parts, lambda field: field.name(lang))
        text = self._joined(self.parts, lang, twice)
        if self.guard is None:
            return text
        return message(MESSAGES, "when", guard=self._joined(self.guard, lang, twice)).render(lang) + text

    def _year(self, year: str, lang: str) -> str:
        return _YEARS[year][lang]


class Filled(Worded):
    """A rule's message with the figures read from a return, in each language its pack gives it
    (`texts`: language -> parts, a figure or a year already a text; ("dated", year, label) for a
    field of a year). `params`: the figures, for the JSON report."""

    __slots__ = ("texts", "_params")

    def __init__(self, texts: dict[str, list[Any]], params: dict[str, Any]):
        self.texts, self._params = texts, params

    @property
    def params(self) -> dict[str, Any]:
        return self._params

    def render(self, lang: str) -> str:
        parts = self.texts.get(lang) or self.texts.get("zh") or next(iter(self.texts.values()))
        return self._joined(parts, lang, frozenset())

    def _year(self, year: str, lang: str) -> str:
        return f"{year} 年" if lang == "zh" else year

    def __reduce__(self) -> tuple[Any, ...]:
        return (Filled, (self.texts, self._params))


def said(test: Node, pack: Any, guard: Any = None) -> Text:
    """The assertion (and its guard) in words, without figures."""
    return Words(words(test, pack, figures=False), None if guard is None else words(guard, pack, figures=False))


def _labels_of_two_forms(parts: list[Any], name_of: Any) -> frozenset[str]:
    """The labels the assertion reads from two forms (表1 and 表2 both print 罚没金额): said with
    their form, so that "上年罚没金额 ≤ 上年罚没金额" reads "上年表2 罚没金额 ≤ 上年表1 罚没金额"."""
    forms: dict[str, set[str]] = {}
    for part in parts:
        label = part[2] if isinstance(part, tuple) and part[0] == "dated" else part
        if isinstance(label, tuple) and label[0] == "label":
            forms.setdefault(name_of(label[1]), set()).add(label[2])
    return frozenset(name for name, shorts in forms.items() if len(shorts) > 1)


def words(node: Node, pack: Any, figures: bool) -> list[Any]:
    kind = node.kind
    if kind == "ref":
        return _field(node, pack, figures)
    if kind == "num":
        return [format_number(node.value.value)]
    if kind == "str":
        return [Phrase({"zh": f"“{node.value}”", "en": f'"{node.value}"'})]
    if kind == "bool":
        return [_WORDS["true" if node.value else "false"]]
    if kind == "call" and node.value == "is_blank":
        return [*words(node.args[0], pack, figures), _WORDS["blank"]]
    if kind == "call":
        inner = [
            part for index, arg in enumerate(node.args) for part in ([", "] if index else []) + words(arg, pack, False)
        ]
        shown = [f"{node.value}(", *inner, ")"]
        return shown + [" (", ("expr", Expression(node)), ")"] if figures else shown
    if kind in ("neg", "not"):
        return ["-" if kind == "neg" else _WORDS["not"], *_operand(node.args[0], kind, pack, figures)]
    if kind == "if":
        cond, then, other = (words(arg, pack, figures) for arg in node.args)
        return [_WORDS["if"], *cond, _WORDS["then"], *then, _WORDS["else"], *other]
    op = node.value if kind in ("binop", "compare") else kind
    glue = _WORDS[op] if kind in ("and", "or") else f" {_SHOWN.get(op, op)} "
    left = _operand(node.args[0], op if kind == "binop" else kind, pack, figures)
    right = _operand(node.args[1], op if kind == "binop" else kind, pack, figures, right=True)
    return [*left, glue, *right]


def _operand(node: Node, within: str, pack: Any, figures: bool, right: bool = False) -> list[Any]:
    binds = _BINDS.get(node.value if node.kind == "binop" else node.kind, 9)
    needed = _BINDS[within]
    parts = words(node, pack, figures)
    # a - (b - c) and a / (b / c) keep their brackets; so does anything binding less tightly
    return ["(", *parts, ")"] if binds < needed or (right and binds == needed and within in "-/") else parts


def _field(node: Node, pack: Any, figures: bool) -> list[Any]:
    ref = node.value
    label = ("label", pack.forms[ref.form].field(ref.field), pack.forms[ref.form].short)
    named = [("dated", ref.period, label)] if ref.period else [label]
    return [*named, " (", ("expr", Expression(node)), ")"] if figures else named


def field_name(ref: Any, pack: Any) -> Text:
    """A field as the form prints it, with its period: 上年行政处罚, penalties previous year."""
    return Words(_field(Node("ref", ref), pack, figures=False))
