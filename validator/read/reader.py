"""Reading a return: grids in, a `Return` out, guided by the pack's form definitions.

Forms are found by their title (never by sheet name or position) and fields by their header
text, after normalising white space, line breaks, full-width characters, quotes and bracketed
units; so inserted rows and columns and renamed or reordered sheets do not matter. What cannot be
understood becomes a `Problem` naming the cell, never a crash and never a silent zero.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple, Optional

from validator.read.cells import parse_column, parse_one_cell_columns
from validator.fold import fold, norm
from validator.read.grid import Grid, read_grids
from validator.read.headerlines import read_lines, settle
from validator.read.intake import Limits, inspect
from validator.model import Column, Field, Form, FormCopy, FormData, Problem, Return, Table, Value
from validator.numbers import NotAFigure, format_number, is_blank, parse_percent, rounding

_YEAR = re.compile(r"(\d{4})\s*年")
TITLE_ROWS = 12  # the title must be within this many rows of the top
FOOTER_ROWS = 40  # a footer (填表人, 联系电话 ...) is looked for this many rows below the figures


def read_return(path: str, pack, limits: Optional[Limits] = None, extractor: str = "calamine") -> Return:
    """The return in the workbook at `path`; raises intake.Refused for a file that is not taken."""
    inspection = inspect(path, limits or Limits())
    return build_return(path, read_grids(path, inspection, extractor), pack)


def build_return(path: str, grids: list, pack) -> Return:
    ret = Return(path=str(path))
    sheet_forms = {}
    titles = _Titles(grids)
    labels = TotalLabels.of(pack.settings)
    for form in pack.forms.values():
        found = titles.find_all(norm(form.title))
        if not found:
            continue
        grid, row, col = _chosen_copy(found)
        if len(found) > 1:
            ret.copies[form.id] = [FormCopy(g.sheet, g.state, g.address(r, c)) for g, r, c in found]
        ret.forms[form.id] = data = _read_form(grid, row, col, form, ret.problems)
        if not form.periodic and data.table is not None:
            data.table, data.totals = _split_totals(data.table, labels)
        sheet_forms.setdefault(grid.sheet, form.id)
    for grid in grids:
        form_id = sheet_forms.get(grid.sheet)
        for row, col, value, merge in grid.covered:
            ret.problems.append(Problem("under_merge", grid.address(row, col), form_id,
                                        {"merge": grid.range_address(merge), "text": _shown_text(value)}))
        reported = {p.cell for p in ret.problems if p.kind == "formula_uncached"}
        for row, col in sorted(grid.uncached):
            if grid.address(row, col) not in reported:
                ret.problems.append(Problem("formula_uncached", grid.address(row, col), form_id, {}))
    return ret


def _chosen_copy(found: list) -> tuple:
    """The copy of a form the rules run on when a workbook holds several: the first the filer can
    see, in sheet order; the first of all if every copy is hidden."""
    return next((copy for copy in found if copy[0].state == "visible"), found[0])


def _shown_text(value) -> str:
    return format_number(value) if isinstance(value, float) else str(value)


class TotalLabels(NamedTuple):
    """The words that mark a row of a several-unit form as a total rather than a unit (pack
    settings `total_labels`, `subtotal_labels`), normalised."""

    total: tuple
    subtotal: tuple

    @classmethod
    def of(cls, settings: dict) -> "TotalLabels":
        return cls(tuple(map(norm, settings.get("total_labels", ()))), tuple(map(norm, settings.get("subtotal_labels", ()))))

    def kind(self, *texts) -> Optional[str]:
        """"total", "subtotal" or None for a row whose 序号 and unit name read as given. A label
        may stand alone ("合 计") or end a short name ("全市合计")."""
        for text in texts:
            if text.__class__ is not str or not text:
                continue
            flat = norm(text)
            for kind, words in (("total", self.total), ("subtotal", self.subtotal)):
                if any(flat.endswith(word) and len(flat) <= len(word) + 4 for word in words):
                    return kind
        return None


def _split_totals(table: Table, labels: TotalLabels) -> tuple:
    """(the unit rows, the total rows or None): a 合计 row is not a unit, and is not summed with
    them across forms."""
    names = table.column("unit_name")
    kinds = [labels.kind(table._serials[i], names.raws[i] if names is not None else None) for i in range(len(table))]
    if not any(kinds):
        return table, None
    units = [i for i, kind in enumerate(kinds) if kind is None]
    totals = [i for i, kind in enumerate(kinds) if kind is not None]
    return table.subset(units), table.subset(totals, [kinds[i] for i in totals], units)


class _Titles:
    """The rows near the top of each sheet, in reading order, where forms' titles are looked for.

    Their texts are joined into one string, so that finding a title is one search in C rather
    than a test per row and form."""

    def __init__(self, grids: list):
        self.rows = [(grid, row, _texts_of_row(tuple(line))) for grid in grids
                     for row, line in enumerate(grid.rows[:_title_rows(grid)], 1)]
        joined = [texts[0] for _, _, texts in self.rows]
        self.text = "\0\0".join(joined)  # no title holds NUL, so none is found across two rows
        self.starts = list(accumulate((len(j) + 2 for j in joined[:-1]), initial=0))

    def find_all(self, wanted: str) -> list:
        """(grid, row, col) of the first cell whose text holds `wanted` on each sheet that has one,
        in sheet order."""
        found, at = [], self.text.find(wanted) if wanted else -1
        while at >= 0:
            grid, row, (_, texts) = self.rows[bisect_right(self.starts, at) - 1]
            if not found or found[-1][0] is not grid:
                found.append((grid, row, next(col for col, text in texts if wanted in text)))
            at = self.text.find(wanted, at + 1)
        return found


def _title_rows(grid: Grid) -> int:
    """How many rows at the top of a sheet may hold a form's title: those above its first 序号
    header, so that an explanation or a note quoting another form's title is never taken for it
    (and the rows of figures below need not be searched)."""
    for row, line in enumerate(grid.rows[:TITLE_ROWS], 1):
        if any(map(_is_serial_header, line[:10])):
            return row - 1
    return TITLE_ROWS


def _is_serial_header(value) -> bool:
    # only a text can read 序号, and only one that holds 号 (no character normalises to it), which
    # most cells of the rows searched do not
    return value.__class__ is str and "号" in value and fold(value) == "序号"


@lru_cache(maxsize=1024)
def _texts_of_row(line: tuple) -> tuple:
    """(all of them joined, ((col, normalised text), ...)) of a row's text cells; the rows above a
    form's figures repeat from return to return, so each distinct row is worked out once."""
    texts = tuple((col, fold(value)) for col, value in enumerate(line, 1) if value.__class__ is str and value)
    return "\0".join(text for _, text in texts), texts


def _read_form(grid: Grid, title_row: int, title_col: int, form: Form, problems: list) -> FormData:
    title = str(grid.raw(title_row, title_col))
    match = _YEAR.search(unicodedata.normalize("NFKC", title))
    data = FormData(form=form, sheet=grid.sheet, state=grid.state, year=int(match.group(1)) if match else None,
                    year_cell=grid.address(title_row, title_col))
    header = _find_header(grid, title_row, 3 if form.periodic else 2)
    lines: dict = {}
    read_lines(grid, range(title_row + 1, header[0] if header else title_row + 4), form.lines,
               form.lines.kinds_at("above"), lines)
    if header is None:
        problems.append(Problem("no_header", grid.address(title_row, title_col), form.id, {"label": "序号"}))
    else:
        layout = _match_fields(grid, header, form, data, problems)
        read = _read_periodic if form.periodic else _read_list
        last = read(grid, header, layout, data, problems)
        below = tuple(kind for kind in form.lines.kinds_at("below") if kind not in lines)  # a footer only says what is missing
        if below:
            read_lines(grid, range(last + 1, min(grid.max_row, last + FOOTER_ROWS) + 1), form.lines, below, lines)
    _settle_lines(data, settle(lines))
    return data


def _settle_lines(data: FormData, found) -> None:
    """The unit, contact and year the form's lines give; the year of a 年度 line is the form's
    where its title has none, and is kept apart to be compared with the title's."""
    data.unit, data.unit_cell, data.contact, data.contact_cell = found.unit, found.unit_cell, found.contact, found.contact_cell
    data.line_year, data.line_year_cell = found.year, found.year_cell
    if data.year is None and found.year is not None:
        data.year, data.year_cell = found.year, found.year_cell


def _find_header(grid: Grid, title_row: int, header_rows: int) -> Optional[tuple]:
    """(first header row, first data row, 序号 column), found from the 序号 header cell."""
    for row, line in enumerate(grid.rows[title_row:title_row + TITLE_ROWS - 1], title_row + 1):
        for col, value in enumerate(line[:10], 1):
            if _is_serial_header(value):
                return row, _first_data_row(grid, row, col, header_rows), col
    return None


def _first_data_row(grid: Grid, header_row: int, serial_col: int, header_rows: int) -> int:
    """The row numbered 1; where no row is numbered, the row after the template's header rows."""
    for row in range(header_row + 1, header_row + TITLE_ROWS):
        if norm(grid.raw(row, serial_col)) in ("1", "1.0"):
            return row
    return header_row + header_rows


def _column_paths(grid: Grid, header: tuple) -> dict:
    first, data_row, _ = header
    paths = {}
    for col in range(1, grid.max_col + 1):
        path = []
        for row in range(first, data_row):
            text = norm(grid.shown(row, col))
            if text and (not path or path[-1] != text):
                path.append(text)
        if path:
            paths[col] = path
    return paths


@lru_cache(maxsize=1024)
def _header_names(field: Field) -> tuple:
    """The normalised labels a field's header may show, and the group header above it."""
    return frozenset({norm(field.label), *(norm(a) for a in field.aliases)}), norm(field.under)


class Layout(NamedTuple):
    """Where a form's fields are, as its header block shows."""

    columns: dict  # field id -> {period: column}
    missing: list  # the fields whose header is not there
    years: dict  # period -> (the year printed above its columns, a column)
    cells: list  # (field, (field id, period), column) for every cell of a unit row
    positions: dict  # (field id, period) -> its place in `cells`, shared by the tables read with it


def _match_fields(grid: Grid, header: tuple, form: Form, data: FormData, problems: list) -> Layout:
    """The layout of the form's fields; a header that cannot be found is a Problem."""
    layout = _layout(grid, header, form, data.year)
    for field in layout.missing:
        problems.append(Problem("header_missing", grid.address(header[0], header[2]), form.id,
                                {"field": field.id, "label": field.label, "under": field.under}))
    year_row = header[1] - 1
    for period, (year, col) in layout.years.items():
        data.header_years[period] = (year, grid.address(year_row, col))
    return layout


_LAYOUTS: dict = {}


def _layout(grid: Grid, header: tuple, form: Form, year: Optional[int]) -> Layout:
    """The Layout of a header block. Returns made from one template share their header blocks, so
    a layout is worked out once per distinct block (its texts relative to the 序号 row) and then
    looked up."""
    first, data_row, _ = header
    block = tuple(map(tuple, grid.rows[first - 1:data_row - 1]))
    key = (form.id, year, first, block, grid.merges)  # merges: one shared object for sheets alike (grid._merge_layout)
    if key not in _LAYOUTS:
        if len(_LAYOUTS) > 256:
            _LAYOUTS.clear()
        _LAYOUTS[key] = _work_out_layout(grid, header, form, year)
    return _LAYOUTS[key]


def _work_out_layout(grid: Grid, header: tuple, form: Form, year: Optional[int]) -> Layout:
    paths = _column_paths(grid, header)
    columns_of: dict = {}  # header text -> the columns showing it
    for col, path in paths.items():
        for text in path:
            columns_of.setdefault(text, []).append(col)
    columns, missing, years = {}, [], {}
    for field in form.fields:
        names, under = _header_names(field)
        found = sorted({col for name in names for col in columns_of.get(name, ())})
        found = [col for col in found if not under or under in paths[col]]
        if not found:
            missing.append(field)
        elif form.periodic and field.numeric:
            columns[field.id] = _periods(grid, header, found, year, years)
        else:
            columns[field.id] = {None: found[0]}
    cells = [(field, (field.id, period), col) for field in form.fields for period, col in columns.get(field.id, {}).items()]
    return Layout(columns, missing, years, cells, {key: k for k, (_, key, _) in enumerate(cells)})


def _periods(grid: Grid, header: tuple, found: list, year: Optional[int], years: dict) -> dict:
    """prev/cur columns of a field: by the year printed under it, else first and second."""
    printed = {col: _year_of(grid.raw(header[1] - 1, col)) for col in found}
    by_year = {}
    if year:
        by_year = {p: c for c in found for p, y in (("prev", year - 1), ("cur", year)) if printed[c] == y}
    chosen = by_year if len(by_year) == 2 else dict(zip(("prev", "cur"), found))
    for period, col in chosen.items():
        years.setdefault(period, (printed.get(col), col))
    return chosen


def _year_of(value) -> Optional[int]:
    try:
        return int(float(str(value).strip().rstrip("年")))
    except (TypeError, ValueError):
        return None


def _read_periodic(grid: Grid, header: tuple, layout: Layout, data: FormData, problems: list) -> int:
    """Read the unit row, its 同比增减 and its explanation; the last row of them."""
    _, unit_row, serial_col = header
    data.table = _read_table(grid, layout, unit_row, unit_row + 1, serial_col, data.form, problems, keep_blank=True)
    columns, form = layout.columns, data.form
    yoy_row, reason_row = _labelled_rows(grid, unit_row, serial_col, (norm(form.yoy_label), norm(form.explanation_label)))
    if yoy_row:
        data.yoy = {fid: _read_yoy(grid, yoy_row, cols) for fid, cols in columns.items() if "prev" in cols}
    if reason_row:
        data.explanation = _read_explanation(grid, reason_row, serial_col, columns)
    return max(unit_row, yoy_row or 0, reason_row or 0)


def _labelled_rows(grid: Grid, after: int, serial_col: int, labels: tuple) -> list:
    """The first row below `after` labelled with each (normalised) label in its first three
    columns, or None."""
    found = [None] * len(labels)
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
            written = _percent(raw)
            if written is not None:
                return Value(grid.address(*origin), raw, *written)
    return Value(cell=grid.address(row, cols.get("prev") or cols.get("cur")))


@lru_cache(maxsize=4096, typed=True)  # typed: True == 1.0, yet only 1.0 is a percentage
def _percent(raw) -> Optional[tuple]:
    """(number, text, decimals, rounding) of a written change, worked out once per distinct value
    ("+10.9%" and "0%" come back return after return); None if it is blank."""
    if is_blank(raw):
        return None
    try:
        figure = parse_percent(raw)
    except NotAFigure:
        return None, str(raw).strip(), 0, 0.0
    if figure is None:
        return None, None, 0, 0.0
    return figure.number, None, figure.decimals, rounding(figure.decimals)


def _read_explanation(grid: Grid, row: int, serial_col: int, columns: dict) -> Value:
    label_cols = {serial_col, serial_col + 1}
    first_field = min((c for cols in columns.values() for c in cols.values() if c not in label_cols), default=serial_col + 2)
    for col in range(first_field, grid.max_col + 1):
        origin = grid.origin(row, col)
        if origin in grid.uncached:
            return Value(cell=grid.address(*origin), readable=False)
        raw = grid.raw(*origin)
        if not is_blank(raw):
            return Value(cell=grid.address(*origin), raw=raw, text=str(raw).strip())
    return Value(cell=grid.address(row, first_field))


def _read_list(grid: Grid, header: tuple, layout: Layout, data: FormData, problems: list) -> int:
    """Every unit row in use, down to the notes (注, 填表说明) or the end of the sheet; the last
    row read."""
    _, first, serial_col = header
    end = first + _rows_before_notes(_column_raws(grid.rows[first - 1:], serial_col))
    while end > first and _numbered_only(grid.rows[end - 2], serial_col):
        end -= 1  # the template's unused rows at the end: not read at all
    data.table = _read_table(grid, layout, first, end, serial_col, data.form, problems, keep_blank=False)
    return end - 1


def _rows_before_notes(serials: list) -> int:
    """How many rows come before the first whose 序号 cell starts the notes (注, 填表说明). Only
    texts can, and a register's 100,000 序号 are numbers: the texts are found by a search in C."""
    kinds = list(map(type, serials))
    at = _index(kinds, str, 0)
    while at < len(serials):
        if serials[at] and norm(serials[at])[:1] in ("注", "填"):
            return at
        at = _index(kinds, str, at + 1)
    return len(serials)


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


def _read_table(grid: Grid, layout: Layout, first: int, end: int, serial_col: int, form: Form, problems: list,
                keep_blank: bool) -> Table:
    """The unit rows first..end-1 as a Table; unless `keep_blank`, rows with nothing written
    (unused template rows, inserted blank rows) are left out."""
    cells, lines = layout.cells, grid.rows[first - 1:end - 1]
    *raws, serials = _take_columns(lines, [col for _, _, col in cells] + [serial_col])
    prefix = grid.column_prefix
    columns = [Column(field, period, prefix(col), column_raws) for (field, (_, period), col), column_raws in zip(cells, raws)]
    bad = parse_one_cell_columns(columns) if len(lines) == 1 else list(map(parse_column, columns))
    used = range(len(lines)) if keep_blank else _rows_in_use(columns)
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
        problems.append(Problem(kind, f"{columns[k].prefix}{excel_rows[i]}", form.id,
                                {"field": field.id, "label": field.label, "text": text}))
    return Table(columns, excel_rows, serials, layout.positions)


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


def _mark_uncached(grid: Grid, columns: list, cells: list, excel_rows: list, bad: list, problems: list,
                   form: Form) -> None:
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
                problems.append(Problem("formula_uncached", grid.address(row, col), form.id,
                                        {"field": field.id, "label": field.label, "period": period}))
