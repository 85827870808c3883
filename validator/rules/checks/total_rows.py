"""total_rows — a 合计 (or 小计) row of a several-unit form equals the sum of its unit rows.

    - id: G-TOTAL
      check: total_rows

The reader sets total rows apart by their label (pack settings `total_labels`, `subtotal_labels`):
they are not units. Here each figure of a total row is compared, column by column, with the sum of
the unit rows it covers (all of them for a 合计, those since the previous 小计 for a 小计), allowing
the rounding that 万元 figures carry. A blank total, or a blank unit figure, is not evaluated; a
return without total rows passes once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from validator.i18n import Messages, message
from validator.model import FormData, Outcome, Return, Rule
from validator.numbers import format_number, rounding
from validator.rules.checks.base import Check, Context
from validator.rules.quantity import Quantity, compare

if TYPE_CHECKING:
    from validator.table import Table

MESSAGES = Messages(
    __name__,
    {
        "differs": {
            "zh": "{label}行的{field}为 {total},而 {count} 个单位之和为 {sum};请改正{label}行或核对各单位数字",
            "en": "{label} row: {field} is {total}, but the {count} units add up to {sum}; correct the total or the units",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    with_totals = [data for data in ret.forms.values() if data.totals is not None and data.table is not None]
    if not with_totals:
        yield Outcome("passed")  # no total row disagrees, as cells_readable passes a return with no problem
    for data in with_totals:
        totals = data.totals
        for k, column in enumerate(totals.columns):
            if column.field.numeric:
                for position in range(len(totals)):
                    yield _judge(data, totals, k, position, ctx)


def _judge(data: FormData, totals: Table, k: int, position: int, ctx: Context) -> Outcome:
    form, column = data.form.id, totals.columns[k]
    units: Table
    units, covered = data.table, totals.counts[position]  # type: ignore[assignment]  # run: it has a table
    unit_column = units.columns[k]
    total = column.numbers[position]
    figures = [unit_column.numbers[i] for i in covered]
    if total is None or None in figures:
        return Outcome("not_evaluated", form=form)
    wan = column.field.type == "wan"
    written = Quantity(total, rounding(column.decimals[position]) if wan else 0.0)
    summed = Quantity(sum(figures), sum(rounding(unit_column.decimals[i]) for i in covered) if wan else 0.0)
    if compare("==", written, summed):
        return Outcome("passed", form=form)
    cell = totals.value(k, position).cell
    text = message(
        MESSAGES,
        "differs",
        label=totals.serial(position) if _named_by_serial(totals, position) else _unit(totals, position),
        field=column.field.named,
        total=format_number(total),
        count=len(covered),
        sum=format_number(round(summed.value, 6)),
    )
    return Outcome("failed", text, (cell, *(units.value(k, i).cell for i in covered)), form=form)


def _named_by_serial(totals: Table, position: int) -> bool:
    serial = totals.serial(position)
    return bool(serial) and not serial.replace(".", "").isdigit()


def _unit(totals: Table, position: int) -> str:
    return totals.row(position).unit or totals.serial(position)


CHECK = Check(
    "total_rows",
    run,
    summary={
        "zh": "合计(小计)行的每一列等于各单位行之和",
        "en": "a 合计 (or 小计) row of a several-unit form equals the sum of its unit rows.",
    },
)
