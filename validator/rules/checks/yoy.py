"""yoy — the 同比增减 row says what the figures say.

    - id: T1-YOY
      form: case_stats
      check: yoy

For each figure, the written change must equal (cur − prev) / prev to the precision it was
written with ("+10.9%" stands for 10.85–10.95 %). A positive change without "+" is the same
number; a number is judged as Excel shows it: 0.109 in a cell with a % format is 10.9 %, and 10.9
in a General cell is 10.9 too, but 0.109 there is 0.109 % (read/rows.py, read/formats.py). Where prev is 0 and cur is
not, there is no percentage: "—", "/", blank or a word ("新增", "不适用") say so, and only a
figure written there is wrong. 0 → 0 may be "0%" or "—".
A change that can be computed but is left blank fails too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple, Optional

from validator.i18n import Messages, message
from validator.model import Field, FormData, Outcome, Return, Rule
from validator.numbers import NotAFigure, format_number, parse_figure, pct, rounding, signed
from validator.rules.checks.base import Check, Context
from validator.table import Table, Value

if TYPE_CHECKING:
    from validator.rules.linear import System

MESSAGES = Messages(
    __name__,
    {
        "from_zero": {
            "zh": "{label} 同比增减填了“{written}”,但 {prev_year} 年为 0(基数为 0),无法计算百分比,应填“—”",
            "en": '{label}: the change is written "{written}" but {prev_year} was 0 (no base); write "—"',
        },
        "both_zero": {
            "zh": "{label} 两年均为 0,同比增减应为“0%”或“—”,现填“{written}”",
            "en": '{label} is 0 in both years; the change is 0% or "—", not "{written}"',
        },
        "wrong": {
            "zh": "{label} 同比增减填了“{written}”,按 {prev} → {cur} 计算应为 {expected}",
            "en": '{label}: the change is written "{written}"; from {prev} to {cur} it is {expected}',
        },
        "missing": {
            "zh": "{label} 同比增减未填,按 {prev} → {cur} 计算应为 {expected}",
            "en": "{label}: the change is blank; from {prev} to {cur} it is {expected}",
        },
        "no_row": {"zh": "{form} 未找到“{row}”行", "en": '{form}: the row "{row}" was not found'},
    },
)


class TwoYears(NamedTuple):
    """A figure of a two-period form's unit row: its field, the two numbers (None where blank or
    unreadable), and the table their cells are in (spelt out only for a finding)."""

    field: Field
    prev: Optional[float]
    cur: Optional[float]
    table: Table

    def cells(self) -> tuple[str, ...]:
        found = (self.table.get(self.field.id, period) for period in ("prev", "cur"))
        return tuple(value.cell for value in found if value is not None)


def figures_of(data: FormData) -> list[TwoYears]:
    """A TwoYears for each figure of a two-period form's unit row."""
    table = data.table
    if table is None or not len(table):
        return []
    found = []
    for field in data.form.figures:
        prev, cur = table.column(field.id, "prev"), table.column(field.id, "cur")
        if prev is not None and cur is not None:
            # a figure's column holds numbers
            found.append(TwoYears(field, prev.numbers[0], cur.numbers[0], table))  # type: ignore[index]
    return found


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    data = ret.forms.get(rule.form or "")  # needs_form: a rule using it names one
    if data is None or not data.rows:
        return
    if not data.yoy:
        first = next(data.rows[0].items(), (None, None))[1]
        yield Outcome(
            "failed",
            message(MESSAGES, "no_row", form=data.form.short, row=data.form.yoy_label),
            (first.cell,) if first is not None else (),
            form=rule.form,
        )
        return
    passed = unknown = 0
    for figure in figures_of(data):
        field, prev, cur = figure.field, figure.prev, figure.cur
        written = data.yoy.get(field.id)
        if prev is None or cur is None or written is None or not written.readable:
            unknown += 1
            continue
        key, params = _judge(prev, cur, written)
        if key is None:
            passed += 1
            continue
        params.update(
            label=field.named,
            prev=format_number(prev),
            cur=format_number(cur),
            prev_year=(ret.year - 1) if ret.year else "上一",
        )
        yield Outcome("failed", message(MESSAGES, key, **params), (written.cell, *figure.cells()), form=rule.form)
    if passed:
        yield Outcome("passed", form=rule.form, times=passed)
    if unknown:
        yield Outcome("not_evaluated", form=rule.form, times=unknown)


def _judge(prev: float, cur: float, written: Value) -> tuple[Optional[str], dict[str, Any]]:
    """(message key, params) when the written change is wrong; (None, {}) when it is right."""
    if written.number is None and written.text is None:  # blank or "—"
        expected = pct(prev, cur)
        if expected is None or (prev == 0 and cur == 0):
            return None, {}
        return "missing", {"expected": signed(expected, 1)}
    expected = pct(prev, cur)
    if expected is None:  # no base: "新增", "不适用" say so as well as "—"; only a figure is wrong
        if written.number is None and not _is_figure(written.raw):
            return None, {}
        return "from_zero", {"written": _shown(written)}
    if written.number is None:
        return "wrong", {"written": _shown(written), "expected": signed(expected, 1)}
    if prev == 0 and cur == 0:
        return (None, {}) if written.number == 0 else ("both_zero", {"written": _shown(written)})
    if abs(written.number - expected) <= rounding(written.decimals) + 1e-9:
        return None, {}
    return "wrong", {"written": _written(written), "expected": signed(expected, max(written.decimals, 1))}


def _is_figure(raw: Any) -> bool:
    """Whether a text that is not a percentage is a bare figure ("1500")."""
    try:
        return parse_figure(raw) is not None
    except NotAFigure:
        return False


def _shown(written: Value) -> str:
    """The written change as the clerk sees it: a number in a General cell shows as 15, not 15.0."""
    if isinstance(written.raw, (int, float)) and not isinstance(written.raw, bool):
        return format_number(written.raw)
    return str(written.raw).strip() if written.raw is not None else ""


def _written(written: Value) -> str:
    """The change as the clerk sees it: the text typed, a number in a General cell as it stands
    (read as shown: its number is the raw value), one in a percent cell as a percentage."""
    if isinstance(written.raw, str):
        return written.raw.strip()
    if written.number == written.raw:
        return format_number(written.raw)
    return signed(written.number, written.decimals)  # type: ignore[arg-type]  # _judge passes a figure


def linear(rule: Rule, ret: Return, ctx: Context, system: System) -> None:
    """Each written change, tied to the two figures it is computed from."""
    from validator.rules.linear import Cell, Tie  # for a return that breaks a rule only: not at start-up

    data = ret.forms.get(rule.form or "")
    if data is None or not data.rows or not data.yoy:
        return
    for figure in figures_of(data):
        written = data.yoy.get(figure.field.id)
        if figure.prev is None or figure.cur is None or written is None or not written.readable:
            continue
        prev, cur = figure.cells()
        system.add_cell(Cell(prev, figure.prev, whole=float(figure.prev).is_integer()))
        system.add_cell(Cell(cur, figure.cur, whole=float(figure.cur).is_integer()))
        system.add_cell(Cell(written.cell, written.number or 0.0, kind="derived"))
        fits, within = _fits(prev, cur, written), _within(prev, cur, written)
        system.ties.append(Tie(rule.id, written.cell, (prev, cur), fits, within))


def _fits(prev: str, cur: str, written: Value) -> Callable[[dict[str, float]], bool]:
    return lambda values: _judge(values[prev], values[cur], written)[0] is None


def _within(prev: str, cur: str, written: Value) -> Callable[[dict[str, float], str], Optional[tuple[float, float]]]:
    """The values of one year's figure, the other's as given, that the written change says."""

    def within(values: dict[str, float], source: str) -> Optional[tuple[float, float]]:
        if written.number is None:
            return None
        low, high = (1 + (written.number + side * rounding(written.decimals)) / 100 for side in (-1, 1))
        if source == cur and values[prev] > 0:
            return values[prev] * low, values[prev] * high
        if source == prev and low > 0 and values[cur] > 0:
            return values[cur] / high, values[cur] / low
        return None

    return within


CHECK = Check(
    "yoy",
    run,
    linear=linear,
    needs_form=True,
    summary={
        "zh": "同比增减行与两年数字算出的变化一致,并按所写精度核对",
        "en": "the 同比增减 row says what the figures say.",
    },
)
