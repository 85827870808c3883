"""A rule told to a pack author: one line for `formcheck rules list`, and for `formcheck rules
explain` the notes its origin cites, its assertion in words, the fields it reads, and figures that
pass it and figures that do not (found by trying small figures until each answer turns up)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

from validator.i18n import Phrase, Text
from validator.rules.checks import CHECKS
from validator.rules.expr import BlankInput
from validator.rules.quantity import EvalError, Quantity
from validator.rules.syntax import refs
from validator.rules.wording import said

if TYPE_CHECKING:
    from validator.model import Field, Form, Rule
    from validator.rules.checks.expression import Instance
    from validator.rules.expr import Expression
    from validator.rules.pack import Pack
    from validator.rules.syntax import Ref

# figures tried for an example, in order: ones that show the rule at work before 0
TRIED = {"numeric": (1, 2, 3, 5, 10, 0), "text": ("视频监控", None)}
MOST_TRIES = 20_000


class CitedNote(NamedTuple):
    form: Form
    number: int
    text: str


class Example(NamedTuple):
    figures: tuple[tuple[Ref, Any], ...]  # ((Ref, figure or text or None), ...) in the order the rule reads them
    holds: bool


def summary(rule: Rule, pack: Pack) -> Text:
    """What the rule checks, in one line: the pack's description, else the assertion in words,
    else what its named check checks."""
    if rule.description:
        return Phrase({"zh": rule.description, **{k: v for k, v in rule.descriptions.items() if v}})
    if rule.check == "expression" and rule.params:
        return _in_words(rule.params[0], pack)
    check = CHECKS[rule.check]
    return Phrase(check.summary or {"zh": check.name})


def every_case(rule: Rule, pack: Pack) -> list[Text]:
    """What the rule checks, a line for each case of a `for_each` rule (each field, each period);
    the one line of `summary` for any other. Cases said alike in Chinese are one line."""
    if rule.description or rule.check != "expression" or len(rule.params) < 2:
        return [summary(rule, pack)]
    return list({str(case): case for case in (_in_words(instance, pack) for instance in rule.params)}.values())


def _in_words(instance: Instance, pack: Pack) -> Text:
    """One case of an expression rule (its guard, then its assertion) in words."""
    guard = instance.guard.tree if instance.guard is not None else None
    return said(instance.test.tree, pack, guard)


def cited_notes(rule: Rule, pack: Pack) -> list[CitedNote]:
    """The notes (填表说明) the rule's origin cites, with their text."""
    found = []
    for form_id, number in rule.notes:
        form = pack.forms[form_id]
        text = next((note.text for note in form.notes if note.number == number), "")
        found.append(CitedNote(form, number, text))
    return found


def fields_read(rule: Rule) -> list[Ref]:
    """The field references an expression rule reads (its guard's too), each once, in order."""
    if rule.check != "expression" or not rule.params:
        return []
    instance = rule.params[0]
    trees = [instance.test.tree] + ([instance.guard.tree] if instance.guard is not None else [])
    return list(dict.fromkeys(ref for tree in trees for ref in refs(tree)))


def examples(rule: Rule, pack: Pack) -> list[Example]:
    """A set of figures on which the rule holds and one on which it does not (either may be
    missing if none of the figures tried gives it); none for a named check."""
    read = fields_read(rule)
    if not read:
        return []
    instance = rule.params[0]
    # every field a rule reads was found when the pack loaded
    choices = [_tried(pack.forms[ref.form].field(ref.field)) for ref in read]  # type: ignore[arg-type]
    found: dict[bool, Example] = {}
    for figures in itertools.islice(itertools.product(*choices), MOST_TRIES):
        scope = _Figures(dict(zip(read, figures)))
        if instance.guard is not None and _answer(instance.guard, scope) is not True:
            continue
        answer = _answer(instance.test, scope)
        if answer is not None and answer not in found:
            found[answer] = Example(tuple(zip(read, figures)), answer)
        if len(found) == 2:
            break
    return [found[answer] for answer in (True, False) if answer in found]


def _tried(field: Field) -> tuple[Any, ...]:
    if field.numeric:
        return TRIED["numeric"]
    if field.choices:
        return (*field.choices, None)
    return TRIED["text"]


def _answer(expression: Expression, scope: _Figures) -> Optional[bool]:
    try:
        answer = expression.run(scope)
    except (BlankInput, EvalError):
        return None
    return None if answer is None else bool(answer)


class _Figures:
    """A scope that reads figures from a dict: the one unit row of an example."""

    def __init__(self, figures: dict[Ref, Any]):
        self._figures = figures

    def figure(self, ref: Ref) -> Union[Quantity, str, None]:
        value = self._figures.get(ref)
        return Quantity(float(value)) if isinstance(value, (int, float)) else value

    def figures(self, ref: Ref) -> list[Union[Quantity, str, None]]:
        return [self.figure(ref)]

    def blank_cells(self, ref: Ref) -> list[str]:
        return []
