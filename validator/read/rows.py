"""A form's unit rows read into a Table, column by column: the one unit row of a two-period form
with its 同比增减 and its explanation, or every unit row in use of a several-unit form down to its
notes — its 合计 and 小计 rows set apart."""

from __future__ import annotations

import math
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple, Optional

from validator.fold import norm
from validator.model import Form, FormData, Problem, Settings
from validator.numbers import NotAFigure, is_blank, parse_figure, parse_percent, pct, rounding
from validator.read.cells import parse_column, parse_one_cell_columns
from validator.read.grid import Grid
from validator.read.layout import Layout, left_to_right
from validator.table import Column, Table, Value


class TotalLabels(NamedTuple):
    """The words that mark a row of a several-unit form as a total rather than a unit (pack
    settings `total_labels`, `subtotal_labels`), normalised."""

    total: tuple
    subtotal: tuple

    @classmethod
    def of(cls, settings: Settings) -> "TotalLabels":
        return cls(tuple(map(norm, settings.total_labels)), tuple(map(norm, settings.subtotal_labels)))

    def kind(self, *texts) -> Optional[str]:
        """ "total", "subtotal" or None for a row whose 序号 and unit name read as given. A label
        may stand alone ("合 计") or end a short name ("全市合计")."""
        for text in texts:
            if text.__class__ is not str or not text:
                continue
            flat = norm(text)
            for kind, words in (("total", self.total), ("subtotal", self.subtotal)):
                if any(flat.endswith(word) and len(flat) <= len(word) + 4 for word in words):
                    return kind
        return None


def split_totals(table: Table, labels: TotalLabels) -> tuple:
    """(the unit rows, the total rows or None): a 合计 row is not a unit, and is not summed with
    them across forms."""
    names = table.played_by("unit_name")
    serials, named = table._serials, names.raws if names is not None else [None] * len(table)
    worded = sorted({*_positions(serials, str), *_positions(named, str)})  # only words can say 合计
    kinds = {i: labels.kind(serials[i], named[i]) for i in worded}
    totals = [i for i in worded if kinds[i] is not None]
    if not totals:
        return table, None
    units = [i for i in range(len(table)) if kinds.get(i) is None]
    return table.subset(units), table.subset(totals, [kinds[i] for i in totals], units)


def _positions(values: list, wanted: type):
    """The positions of the values of the given type, found by a search in C: a register's
    100,000 序号 are numbers, and only a text can be a label."""
    kinds = list(map(type, values))
    at = _index(kinds, wanted, 0)
    while at < len(kinds):
        yield at
        at = _index(kinds, wanted, at + 1)


def read_periodic(grid: Grid, header: tuple, layout: Layout, data: FormData, problems: list) -> int:
    """Read the unit row, its 同比增减 and its explanation; the last row of them."""
    _, unit_row, serial_col = header
    found: list = []  # the unit row's problems, kept until the order of its figures is settled
    data.table = _read_table(grid, layout, unit_row, unit_row + 1, serial_col, data.form, found, keep_blank=True)
    columns, form = layout.columns, data.form
    yoy_row, reason_row = _labelled_rows(
        grid, unit_row, serial_col, (norm(form.yoy_label), norm(form.change_note_label))
    )
    if yoy_row:
        data.yoy = {fid: _read_yoy(grid, yoy_row, cols) for fid, cols in columns.items() if "prev" in cols}
    if reason_row:
        data.change_note = _read_change_note(grid, reason_row, serial_col, columns)
    reordered = left_to_right(layout) if data.yoy else None
    if reordered is not None:
        found = _settle_order(grid, header, reordered, data, found)
    problems.extend(found)
    return max(unit_row, yoy_row or 0, reason_row or 0)


def _settle_order(grid: Grid, header: tuple, reordered: Layout, data: FormData, found: list) -> list:
    """A year header typed the wrong way round (2024 | 2023) over figures in the template's order:
    where the 同比增减 row agrees with the figures read left to right in more fields (two at
    least) than with the header, they are read so and only the header is wrong (G-PERIOD says
    which order the changes show), instead of a cascade of findings on correct figures. The unit
    row's problems, as finally read, are returned."""
    again: list = []
    table = _read_table(grid, reordered, header[1], header[1] + 1, header[2], data.form, again, keep_blank=True)
    header_only = _agreeing(data.table, data.yoy) if data.table is not None else set()
    position_only = _agreeing(table, data.yoy)
    # a change that fits both orders (0% of two zeros) says nothing about the order
    by_header, by_position = len(header_only - position_only), len(position_only - header_only)
    if by_position < 2 or by_position <= by_header:
        return found
    data.table, data.order_evidence = table, (by_position, by_header)
    years = data.header_years
    if len(years) == 2:  # each period column shows the other's year
        data.header_years = {"prev": years["cur"], "cur": years["prev"]}
    return again


def _agreeing(table: Table, yoy: dict) -> set:
    """The fields whose written change equals the change between the table's two periods."""
    agreeing: set = set()
    for fid, written in yoy.items():
        prev, cur = table.get(fid, "prev"), table.get(fid, "cur")
        if written.number is None or prev is None or cur is None or prev.number is None or cur.number is None:
            continue
        change = pct(prev.number, cur.number)
        if change is not None and abs(written.number - change) <= written.slack + 1e-9:
            agreeing.add(fid)
    return agreeing


def _labelled_rows(grid: Grid, after: int, serial_col: int, labels: tuple) -> list:
    """The first row below `after` labelled with each (normalised) label in its first three
    columns, or None."""
    found: list = [None] * len(labels)
    for row in range(after + 1, after + 8):
        for col in range(serial_col, serial_col + 3):
            text = norm(grid.shown(row, col))
            if text in labels:
                found = [row if mine is None and label == text else mine for label, mine in zip(labels, found)]
                if None not in found:
                    return found
    return found


def _read_yoy(grid: Grid, row: int, cols: dict) -> Value:
    for col in (cols.get("prev"), cols.get("cur")):
        if col is None:
            continue
        origin = grid.origin(row, col)
        if origin in grid.uncached:
            return Value(cell=grid.address(*origin), readable=False)
        raw = grid.raw(*origin)
        if raw is not None:
            written = _percent(raw, grid.percent is None or origin in grid.percent)
            if written is not None:
                return Value(grid.address(*origin), raw, *written)
    return Value(cell=grid.address(row, cols.get("prev") or cols["cur"]))


@lru_cache(maxsize=4096, typed=True)  # typed: True == 1.0, yet only 1.0 is a percentage
def _percent(raw, formatted: bool = True) -> Optional[tuple]:
    """(number, text, decimals, rounding) of a written change, worked out once per distinct value
    ("+10.9%" and "0%" come back return after return); None if it is blank. A number in a cell
    not `formatted` as a percentage is judged as Excel shows it: 15 is 15 (points), not 1500 %."""
    if is_blank(raw):
        return None
    if not formatted and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        shown = parse_figure(raw)
        return (shown.number, None, shown.decimals, rounding(shown.decimals)) if shown is not None else None
    try:
        figure = parse_percent(raw)
    except NotAFigure:
        return None, str(raw).strip(), 0, 0.0
    if figure is None:
        return None, None, 0, 0.0
    return figure.number, None, figure.decimals, rounding(figure.decimals)


def _read_change_note(grid: Grid, row: int, serial_col: int, columns: dict) -> Value:
    label_cols = {serial_col, serial_col + 1}
    first_field = min(
        (c for cols in columns.values() for c in cols.values() if c not in label_cols), default=serial_col + 2
    )
    for col in range(first_field, grid.max_col + 1):
        origin = grid.origin(row, col)
        if origin in grid.uncached:
            return Value(cell=grid.address(*origin), readable=False)
        raw = grid.raw(*origin)
        if not is_blank(raw):
            return Value(cell=grid.address(*origin), raw=raw, text=str(raw).strip())
    return Value(cell=grid.address(row, first_field))


def read_list(grid: Grid, header: tuple, layout: Layout, data: FormData, problems: list) -> int:
    """Every unit row in use, down to the notes (注, 填表说明) or the end of the sheet; the last
    row read."""
    _, first, serial_col = header
    end = first + _rows_before_notes(_column_raws(grid.rows[first - 1 :], serial_col))
    while end > first and _numbered_only(grid.rows[end - 2], serial_col):
        end -= 1  # the template's unused rows at the end: not read at all
    data.table = _read_table(grid, layout, first, end, serial_col, data.form, problems, keep_blank=False)
    return end - 1


def _rows_before_notes(serials: list) -> int:
    """How many rows come before the first whose 序号 cell starts the notes (注, 填表说明). Only
    texts can, and a register's 100,000 序号 are numbers: the texts are found by a search in C."""
    return next(
        (at for at in _positions(serials, str) if serials[at] and norm(serials[at])[:1] in ("注", "填")), len(serials)
    )


def _index(items: list, wanted, start: int) -> int:
    """The position of the first `wanted` in items from `start`, or len(items)."""
    try:
        return items.index(wanted, start)
    except ValueError:
        return len(items)


def _numbered_only(line: list, serial_col: int) -> bool:
    """Whether a row holds nothing but (perhaps) its 序号."""
    written = len(line) - line.count("") - line.count(None)
    return written == 0 or (written == 1 and len(line) >= serial_col and line[serial_col - 1] not in ("", None))


def _read_table(
    grid: Grid, layout: Layout, first: int, end: int, serial_col: int, form: Form, problems: list, keep_blank: bool
) -> Table:
    """The unit rows first..end-1 as a Table; unless `keep_blank`, rows with nothing written
    (unused template rows, inserted blank rows) are left out."""
    cells, lines = layout.cells, grid.rows[first - 1 : end - 1]
    *raws, serials = _take_columns(lines, [col for _, _, col in cells] + [serial_col])
    prefix = grid.column_prefix
    columns = [
        Column(field, period, prefix(col), column_raws) for (field, (_, period), col), column_raws in zip(cells, raws)
    ]
    bad = parse_one_cell_columns(columns) if len(lines) == 1 else list(map(parse_column, columns))
    if layout.scales:
        _rescale(columns, layout.scales)
    used = list(range(len(lines))) if keep_blank else _rows_in_use(columns)
    if len(used) < len(lines):
        serials = [serials[i] for i in used]
        for column in columns:
            column.keep(used)
        renumber = {old: new for new, old in enumerate(used)}
        bad = [{renumber[i]: why for i, why in found.items()} for found in bad]
    excel_rows = [first + i for i in used]
    _mark_uncached(grid, columns, cells, excel_rows, bad, problems, form)
    found = sorted((i, k, why) for k, positions in enumerate(bad) for i, why in positions.items())
    for i, k, (kind, text) in found:
        field = columns[k].field
        problems.append(
            Problem(
                kind,
                f"{columns[k].prefix}{excel_rows[i]}",
                form.id,
                {"field": field.id, "label": field.label, "text": text},
            )
        )
    return Table(columns, excel_rows, serials, layout.positions, form.roles)


def _rescale(columns: list, scales: dict) -> None:
    """Figures under a header that shows another unit (罚没金额(万元)) taken into the form's unit,
    with the places they were written to: 103.23 万元 is 1032300 元 to the nearest 100."""
    for column in columns:
        scale = scales.get(column.field.id)
        if scale is None or column.numbers is None:
            continue
        shift = round(math.log10(scale.factor))
        column.numbers = [None if n is None else round(n * scale.factor, 10) for n in column.numbers]
        if column.decimals is not None:
            column.decimals = [max(0, d - shift) for d in column.decimals]


def _take_columns(lines: list, cols: list) -> list:
    """The values of the given columns (1-based) of the rows, each column a list; None past a
    short row's end. Taken in C, column by column, where every row is long enough."""
    if len(lines) == 1:  # a one-unit form
        line = lines[0]
        return [[line[col - 1] if col <= len(line) else None] for col in cols]
    if lines and min(map(len, lines)) >= max(cols):
        return [list(map(itemgetter(col - 1), lines)) for col in cols]
    return [_column_raws(lines, col) for col in cols]


def _column_raws(lines: list, col: int) -> list:
    """The values of one column (1-based) of the rows; None past a short row's end."""
    if lines and min(map(len, lines)) >= col:
        return list(map(itemgetter(col - 1), lines))
    return [line[col - 1] if len(line) >= col else None for line in lines]


def _rows_in_use(columns: list) -> list:
    """Positions of the rows with something written, or something that could not be read."""
    nothing = None  # positions blank in every column so far
    for column in columns:
        blank = {i for i, v in enumerate(column.parsed) if v is None} - column.unreadable
        nothing = blank if nothing is None else nothing & blank
        if not nothing:
            break
    count = len(columns[0].raws) if columns else 0
    return [i for i in range(count) if i not in nothing] if nothing else list(range(count))


def _mark_uncached(
    grid: Grid, columns: list, cells: list, excel_rows: list, bad: list, problems: list, form: Form
) -> None:
    """A formula never calculated holds no figure; it is reported once, as formula_uncached,
    naming the field and period whose cell it is."""
    if not grid.uncached or not excel_rows:
        return
    position = {row: i for i, row in enumerate(excel_rows)}
    for k, (field, (_, period), col) in enumerate(cells):
        for row, uncached_col in sorted(grid.uncached):
            i = position.get(row)
            if uncached_col == col and i is not None:
                columns[k].forget(i)
                bad[k].pop(i, None)
                problems.append(
                    Problem(
                        "formula_uncached",
                        grid.address(row, col),
                        form.id,
                        {"field": field.id, "label": field.label, "period": period},
                    )
                )
