"""cell_types — each figure is of its field's kind.

    - id: G-TYPES
      check: cell_types        # every form; or `form: support` for one

counts (件, 次, 人, 台 …) are non-negative whole numbers; money in 元 is non-negative with at most two
decimals; money in 万元 is non-negative with at most two decimals; a choice is one of its choices.
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from operator import is_not
from typing import TYPE_CHECKING, Any, Iterator, Optional

from validator.i18n import Message, Messages, message
from validator.model import Outcome, Return, Rule
from validator.numbers import format_number
from validator.rules.checks.base import Check, Context, row_prefix, when

if TYPE_CHECKING:
    from validator.model import Field
    from validator.table import Value

_UNCHECKED = ("text", "date")  # words and days have no kind to be of

MESSAGES = Messages(
    __name__,
    {
        "negative": {"zh": "{label} 填了 {value},不能为负数", "en": "{label} is {value}; it cannot be negative"},
        "whole": {
            "zh": "{label} 填了 {value},件(次、人)数应为整数",
            "en": "{label} is {value}; counts are whole numbers",
        },
        "decimals": {
            "zh": "{label} 填了 {value},金额至多保留两位小数",
            "en": "{label} is {value}; money takes at most two decimals",
        },
        "choice": {"zh": "{label} 填了“{value}”,应填 {choices}", "en": '{label} is "{value}"; write one of {choices}'},
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> list[str]:
    return [spec["form"]] if spec.get("form") else list(pack.forms)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    for form_id in rule.params:
        data = ret.forms.get(form_id)
        if data is None or data.table is None:
            continue
        table = data.table
        checked = [(k, column) for k, column in enumerate(table.columns) if column.field.type not in _UNCHECKED]
        fit = _all_fit([column for _, column in checked])
        wrong = [] if fit else sorted((i, k, problem) for k, column in checked for i, problem in _problems(column))
        for i, k, problem in wrong:
            column, value = table.columns[k], table.value(k, i)
            text = _message(problem, column.field, value, column.period, ret, ctx)
            yield Outcome("failed", row_prefix(data, table.row(i)) + text, (value.cell,), form=form_id)
        written = sum(len(column.parsed) - column.parsed.count(None) for _, column in checked)
        if written > len(wrong):
            yield Outcome("passed", form=form_id, times=written - len(wrong))


def _all_fit(columns: list[Any]) -> bool:
    """Whether no cell of these columns can be of the wrong kind: the form's figures and choices
    judged together, in C, before any cell is looked at in Python (a case register's columns hold
    100,000 cells, nearly always all of their kind)."""
    if any(not set(c.texts) - {None} <= set(c.field.choices) for c in columns if c.field.type == "choice"):
        return False
    written = partial(filter, partial(is_not, None))
    figures = list(written(chain.from_iterable(c.numbers for c in columns if c.numbers is not None)))
    if figures and min(figures) < 0:
        return False
    counts = written(chain.from_iterable(c.numbers for c in columns if c.field.type == "count"))
    if not all(map(float.is_integer, map(float, counts))):
        return False
    money = chain.from_iterable(c.decimals for c in columns if c.field.type in ("money", "wan"))
    return max(money, default=0) <= 2


def _problems(column: Any) -> list[tuple[int, str]]:
    """(position, what is wrong) for each written cell of the column that is not of its kind."""
    field = column.field
    if field.type == "choice":
        return [(i, "choice") for i, text in enumerate(column.texts) if text is not None and text not in field.choices]
    found = ((i, _figure_problem(field.type, number, column.decimals[i])) for i, number in enumerate(column.numbers))
    return [(i, problem) for i, problem in found if problem is not None]


def _figure_problem(kind: str, number: Optional[float], decimals: int) -> Optional[str]:
    if number is None:
        return None
    if number < 0:
        return "negative"
    if kind == "count" and not float(number).is_integer():
        return "whole"
    if kind in ("money", "wan") and decimals > 2:
        return "decimals"
    return None


def _message(problem: str, field: Field, value: Value, period: Optional[str], ret: Return, ctx: Context) -> Message:
    label = when(period, ret) + field.named
    shown = value.text if value.number is None else format_number(value.number, value.decimals)
    return message(MESSAGES, problem, label=label, value=shown, choices="/".join(field.choices))


CHECK = Check(
    "cell_types",
    run,
    prepare=prepare,
    summary={
        "zh": "每个数字符合其字段的类型:件数为非负整数,金额非负且至多两位小数,是/否为可选值",
        "en": "each figure is of its field's kind.",
    },
)
