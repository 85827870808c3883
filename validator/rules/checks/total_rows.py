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
from validator.rules.linear import Cell, Constraint, System
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


def linear(rule: Rule, ret: Return, ctx: Context, system: System) -> None:
    """Each total figure equals the sum of the unit figures it covers; the total is derived."""
    for data in ret.forms.values():
        totals = data.totals
        if totals is None or data.table is None:
            continue
        for k, column in enumerate(totals.columns):
            for position in range(len(totals)) if column.field.numeric else ():
                _total(rule, data, totals, k, position, system)


def _total(rule: Rule, data: FormData, totals: Table, k: int, position: int, system: System) -> None:
    units: Table = data.table  # type: ignore[assignment]  # linear: it has a table
    covered, wan = totals.counts[position], totals.columns[k].field.type == "wan"
    figures = [(units.value(k, i).cell, units.columns[k].numbers[i], units.columns[k].decimals[i]) for i in covered]
    total = totals.columns[k].numbers[position]
    if total is None or any(number is None for _, number, _ in figures):
        return
    cells = [_cell(totals.value(k, position).cell, total, totals.columns[k].decimals[position], wan, True)]
    cells += [_cell(name, number, decimals, wan, False) for name, number, decimals in figures]
    for cell in cells:
        system.add_cell(cell)
    terms = {cells[0].name: 1.0}
    for cell in cells[1:]:
        terms[cell.name] = terms.get(cell.name, 0.0) - 1.0
    system.constraints.append(Constraint(rule.id, terms, "==", 0.0, sum(cell.slack for cell in cells)))


def _cell(name: str, number: float, decimals: int, wan: bool, derived: bool) -> Cell:
    slack = rounding(decimals) if wan else 0.0
    kind = "derived" if derived else "figure"
    return Cell(name, float(number), slack, slack == 0 and float(number).is_integer(), kind)


CHECK = Check(
    "total_rows",
    run,
    linear=linear,
    summary={
        "zh": "合计(小计)行的每一列等于各单位行之和",
        "en": "a 合计 (or 小计) row of a several-unit form equals the sum of its unit rows.",
    },
)
