"""expression — the rule's `assert` must hold.

    - id: T4-5
      form: two_law_link          # optional: the rule runs on each unit row of this form
      for_each: {period: [prev, cur]}   # optional: one instance per combination; $period in the text
      when: monitor_count > 0     # optional: evaluated only where this holds
      assert: transferred >= criminal_filed + criminal_not_filed + not_prosecuted
      message: {zh: "移送案件数 ({transferred}) ...", en: "..."}   # optional
      hint: {zh: ..., en: ...}    # what would make it right

In `message`, `{expression}` prints a figure, `{label:form.field}` a field's printed label, and
`{year:prev}` / `{year:cur}` the year. Without a message, the assertion is said with its labels and
figures (validator/rules/wording.py). A blank input makes the instance "not evaluated"; an
expression that cannot be computed (division by zero) fails, naming why. Where the `when` guard
does not hold the rule does not apply: nothing is counted; a blank in the guard is "not evaluated".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from validator.i18n import Messages, Text, message
from validator.model import FormData, Outcome, Return, Rule
from validator.numbers import format_number, rounding
from validator.rules.checks.base import Check, Context, home_rows, row_prefix
from validator.rules.expr import BlankInput, Expression
from validator.rules.linear import BLANK, Cell, NotLinear, System, cell_of, constraints_of
from validator.rules.quantity import EvalError, Quantity
from validator.rules.syntax import MESSAGES as EXPR_MESSAGES
from validator.rules.syntax import ExprError, compile_expression, find_field, refs
from validator.rules.wording import Filled, default_message

if TYPE_CHECKING:
    from validator.rules.syntax import Node, Ref
    from validator.table import Column, Row, Table

MESSAGES = Messages(
    __name__,
    {
        "eval_failed": {"zh": "无法计算本规则: {why}", "en": "this rule cannot be computed: {why}"},
    },
)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Instance:
    binding: dict[str, str]
    test: Expression  # run(Scope) -> True, False or None
    # language -> [str | Text | ("expr", Expression) | ("label", Field) | ("year", period) ...]
    message: dict[str, list[Any]]
    hint: dict[str, list[Any]]
    form: Optional[str] = None  # the form the finding is filed under: the rule's, else the first one named
    guard: Optional[Expression] = None  # `when`: the instance applies only where this holds


def bindings(for_each: Optional[dict[str, list[str]]]) -> list[dict[str, str]]:
    """Every combination of a rule's for_each variables: {field: [a, b], period: [prev, cur]}."""
    if not for_each:
        return [{}]
    names = list(for_each)
    return [dict(zip(names, combo)) for combo in itertools.product(*(for_each[n] for n in names))]


def substitute(text: str, binding: dict[str, str]) -> str:
    for name in sorted(binding, key=len, reverse=True):
        text = text.replace(f"${name}", binding[name])
    return text


def prepare(spec: dict[str, Any], pack: Any) -> list[Instance]:
    instances = []
    for binding in bindings(spec.get("for_each")):
        test = _compiled(spec, "assert", binding, pack)
        guard = _compiled(spec, "when", binding, pack) if spec.get("when") else None
        message = _compile_text(spec.get("message"), binding, pack, spec.get("form"))
        if not message:
            message = {"zh": default_message(test, pack)}  # said in each language as it is filled
        hint = _compile_text(spec.get("hint"), binding, pack, spec.get("form"))
        named = refs(test)
        form = spec.get("form") or (named[0].form if named else None)
        instances.append(Instance(binding, Expression(test), message, hint, form, guard and Expression(guard)))
    return instances


def _compiled(spec: dict[str, Any], key: str, binding: dict[str, str], pack: Any) -> Node:
    """The rule's `assert` or `when`, bound to the pack; ExprError saying which key is wrong."""
    try:
        return compile_expression(substitute(spec[key], binding), pack.forms, spec.get("form"))
    except ExprError as exc:
        exc.params["key"] = key
        raise


def _compile_text(
    text: Union[None, str, dict[str, str]], binding: dict[str, str], pack: Any, home: Optional[str]
) -> dict[str, list[Any]]:
    if text is None:
        return {}
    texts = {"zh": text} if isinstance(text, str) else text
    try:
        return {language: _template(substitute(value, binding), pack, home) for language, value in texts.items()}
    except ExprError as exc:
        exc.params["key"] = "message"
        raise


def _template(text: str, pack: Any, home: Optional[str]) -> list[Any]:
    parts: list[Any]
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(text[last : match.start()])
        parts.append(_placeholder(match.group(1).strip(), pack, home))
        last = match.end()
    parts.append(text[last:])
    return parts


def _placeholder(inner: str, pack: Any, home: Optional[str]) -> tuple[str, Any]:
    if inner.startswith("label:"):
        form_id, field_id = find_field(inner[6:].split("."), pack.forms, home)
        return ("label", pack.forms[form_id].field(field_id))
    if inner.startswith("year:"):
        return ("year", inner[5:])
    return ("expr", Expression(compile_expression(inner, pack.forms, home)))


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    # one scope a unit row, shared by the instances: one that does not note keeps nothing
    homes = [(data, row, ReturnScope(ret, rule.form, row)) for data, row in home_rows(rule, ret)]
    for instance in rule.params:
        for data, row, scope in homes:
            applies = _applies(instance, scope) if instance.guard is not None else True
            if applies:
                yield _evaluate(rule, instance, ret, data, row, scope, ctx)
            elif applies is None:
                yield Outcome("not_evaluated", form=instance.form, values=instance.binding)


def _applies(instance: Instance, scope: ReturnScope) -> Optional[bool]:
    """Whether the rule's `when` holds on this row: None where its inputs are blank (or it cannot
    be computed), so that the rule is counted as not evaluated, never as passed."""
    try:
        held = instance.guard.run(scope) if instance.guard is not None else True
    except (BlankInput, EvalError):
        return None
    return None if held is None else bool(held)


def _cell_of(
    forms: dict[str, FormData], home: Optional[str], row: Optional[Row], ref: Ref
) -> Optional[tuple[Table, int]]:
    """(table, row position) where a reference to one cell reads: the rule's own unit row for its
    own form, the first unit row of another; None where the return lacks the form or its rows."""
    if row is not None and ref.form == home:
        return row.table, row.position
    data = forms.get(ref.form)
    table = data.table if data is not None else None
    return (table, 0) if table is not None and table.excel_rows else None


class ReturnScope:
    """What an expression reads on a return: the figures straight from the forms' columns (its own
    unit row for its own form, the first row of another, every row of a form named in an
    aggregate), no Value made. A scope that is `noting` notes where it read, as (column,
    spreadsheet row), spelt out as cells for a finding: an instance is run noting only when it did
    not pass, since most pass and need nothing more."""

    __slots__ = ("_forms", "_home", "_row", "read", "_noting")

    def __init__(self, ret: Return, home: Optional[str], row: Optional[Row], noting: bool = False):
        self._forms, self._home, self._row = ret.forms, home, row
        self.read: list[tuple[Column, int]] = []
        self._noting = noting

    @property
    def cells(self) -> list[str]:
        return [f"{column.prefix}{excel_row}" for column, excel_row in self.read]

    def figure(self, ref: Ref) -> Union[Quantity, str, None]:
        """A figure (Quantity), a word, or None for a blank or a cell the return lacks."""
        found = self._column(ref)
        if found is None:
            return None
        column, table, position = found
        written = _written(column, position)
        if self._noting and written is not None:
            self.read.append((column, table.excel_rows[position]))
        return written

    def figures(self, ref: Ref) -> Optional[list[Union[Quantity, str, None]]]:
        """Every row's; None for a form the return lacks, blanks as None."""
        data = self._forms.get(ref.form)
        if data is None:
            return None
        table = data.table
        if table is None:
            return []
        column = table.column(ref.field, ref.period)
        if column is None:
            return [None] * len(table)
        found = [_written(column, position) for position in range(len(table))]
        if self._noting:
            self.read.extend((column, row) for row, written in zip(table.excel_rows, found) if written is not None)
        return found

    def blank_cells(self, ref: Ref) -> list[str]:
        if ref.many:
            data = self._forms.get(ref.form)
            table = data.table if data is not None else None
            column = table.column(ref.field, ref.period) if table is not None else None
            if table is None or column is None:
                return []
            return [
                f"{column.prefix}{row}"
                for position, row in enumerate(table.excel_rows)
                if _written(column, position) is None
            ]
        found = self._column(ref)
        if found is None:
            return []
        column, table, position = found
        return [f"{column.prefix}{table.excel_rows[position]}"] if _written(column, position) is None else []

    def _column(self, ref: Ref) -> Optional[tuple[Column, Table, int]]:
        """(column, table, row position) of a reference to one cell; None where the return lacks it."""
        found = _cell_of(self._forms, self._home, self._row, ref)
        if found is None:
            return None
        table, position = found
        column = table.column(ref.field, ref.period)
        return None if column is None else (column, table, position)


def _written(column: Any, position: int) -> Union[Quantity, str, None]:
    """A cell as an expression takes it: a Quantity with its rounding for a figure (万元 carry
    theirs), the text for a word, None for a blank or a cell that could not be read."""
    number = column.numbers[position] if column.numbers is not None else None
    if number is not None:
        slack = rounding(column.decimals[position]) if column.field.type == "wan" else 0.0
        return Quantity(number, slack)
    return column.texts[position] if column.texts is not None else None


def _evaluate(
    rule: Rule,
    instance: Instance,
    ret: Return,
    data: Optional[FormData],
    row: Optional[Row],
    scope: ReturnScope,
    ctx: Context,
) -> Outcome:
    form = instance.form
    try:
        if instance.test.run(scope):
            return _passed(form)
    except (BlankInput, EvalError):
        pass
    # not a pass: run again noting the cells it reads, for the finding (the same run, so the same answer)
    scope = ReturnScope(ret, rule.form, row, noting=True)
    try:
        held = instance.test.run(scope)
    except BlankInput:
        return Outcome("not_evaluated", form=form, values=instance.binding)
    except EvalError as exc:
        why = message(EXPR_MESSAGES, exc.key, **exc.params)
        return Outcome("failed", message(MESSAGES, "eval_failed", why=why), _unique(scope.cells), form=form)
    if held is None:
        return Outcome("not_evaluated", form=form, values=instance.binding)
    if held:
        return _passed(form)
    if instance.guard is not None:
        _applies(instance, scope)  # the cells of the guard, read again noting them: related to the cell to fix
    text, hint = _fill(instance.message, ret, rule.form, row), _fill(instance.hint, ret, rule.form, row)
    prefix = row_prefix(data, row) if data is not None else ""  # type: ignore[arg-type]  # set with data
    return Outcome("failed", prefix + text, _unique(scope.cells), dict(instance.binding), form, hint=hint)


_PASSED: dict[Optional[str], Outcome] = {}


def _passed(form: Optional[str]) -> Outcome:
    """One passed outcome per form, shared: most instances pass, and the engine only counts them."""
    outcome = _PASSED.get(form)
    if outcome is None:
        outcome = _PASSED[form] = Outcome("passed", form=form)
    return outcome


def _fill(template: dict[str, list[Any]], ret: Return, home: Optional[str], row: Optional[Row]) -> Any:
    """The message with its figures, in every language the template has; it keeps them by the
    field each is of (or figure_1 …, for a sum or a difference) for the JSON report's `params`,
    as the first language's message names them."""
    if not template:
        return ""
    shown: dict[int, str] = {}  # a figure read once, whichever languages show it
    figures: dict[str, str] = {}
    texts: dict[str, list[Any]] = {}
    for language, parts in template.items():
        filled: list[Any] = []
        for part in parts:
            if isinstance(part, (str, Text)) or part[0] == "label":
                filled.append(part)
            elif part[0] == "year":
                filled.append(_year(ret, part[1]))
            elif part[0] == "dated":
                filled.append(("dated", _year(ret, part[1]), part[2]))
            else:
                figure = shown.get(id(part[1]))
                if figure is None:
                    figure = shown[id(part[1])] = _figure(part[1], ret, home, row)
                tree = part[1].tree
                if not texts:  # the figures as the first language names them
                    figures[str(tree.value) if tree.kind == "ref" else f"figure_{len(figures) + 1}"] = figure
                filled.append(figure)
        texts[language] = filled
    return Filled(texts, figures)


def _year(ret: Return, period: str) -> str:
    if ret.year is None:
        return period
    return str(ret.year - 1 if period == "prev" else ret.year)


def _figure(figure: Expression, ret: Return, home: Optional[str], row: Optional[Row]) -> str:
    try:
        value = figure.run(ReturnScope(ret, home, row))
    except (BlankInput, EvalError):
        return "—"
    if value is None:
        return "—"
    return format_number(value.value) if hasattr(value, "value") else str(value)


def _unique(cells: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(cells))


def linear(rule: Rule, ret: Return, ctx: Context, system: System) -> None:
    """The rule's assertion on each row, as constraints (where its `when` holds as written)."""
    for instance in rule.params:
        for _, row in home_rows(rule, ret):
            scope = ReturnScope(ret, rule.form, row, noting=True)
            if instance.guard is not None and not _applies(instance, scope):
                continue
            try:
                system.constraints.extend(constraints_of(rule.id, instance.test.tree, _cells_read(scope), system))
            except NotLinear as exc:
                if exc.reason != BLANK:  # a blank input is not evaluated: nothing to fix on it
                    raise


def _cells_read(scope: ReturnScope) -> Any:
    def figure(ref: Ref) -> Union[Cell, list[Cell]]:
        before = len(scope.read)
        if not ref.many:
            value = scope.figure(ref)
            return cell_of(scope.cells[before] if len(scope.read) > before else "", value)
        found = scope.figures(ref)
        if found is None or any(value is None for value in found):
            raise NotLinear(BLANK)
        return [cell_of(name, value) for name, value in zip(scope.cells[before:], found)]

    return figure


CHECK = Check(
    "expression",
    run,
    prepare=prepare,
    linear=linear,
    summary={"zh": "规则的 assert 表达式成立", "en": "the rule's `assert` must hold."},
)
