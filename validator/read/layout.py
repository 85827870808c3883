"""A form's header block read: which columns hold which field, and for a two-period form which
column is which year. Returns made from one template share their header blocks, so a block is
worked out once and then looked up."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple, Optional

from validator.fold import norm
from validator.model import Field, Form, FormData, Problem
from validator.read.grid import Grid


def _column_paths(grid: Grid, header: tuple) -> dict:
    first, data_row, _ = header
    paths = {}
    for col in range(1, grid.max_col + 1):
        path: list = []
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


class Scale(NamedTuple):
    """A figure column whose header shows another unit than the form's (罚没金额(万元) over a 元
    column): the unit written, the factor taking a figure so written into the form's unit, and
    the header cell (row, column) that shows it."""

    written: str
    factor: float
    row: int
    col: int


# (the form's unit, the unit a header shows) -> the factor from the second to the first
SCALES = {("元", "万元"): 10000.0, ("万元", "元"): 0.0001}
_BRACKETED_UNIT = re.compile(r"\(([^()]*)\)")


class Layout(NamedTuple):
    """Where a form's fields are, as its header block shows."""

    columns: dict  # field id -> {period: column}
    missing: list  # the fields whose header is not there
    years: dict  # period -> (the year printed above its columns, its row, a column)
    cells: list  # (field, (field id, period), column) for every cell of a unit row
    positions: dict  # (field id, period) -> its place in `cells`, shared by the tables read with it
    scales: dict  # field id -> Scale, for the columns whose header shows another unit


def match_fields(grid: Grid, header: tuple, form: Form, data: FormData, problems: list) -> Layout:
    """The layout of the form's fields; a header that cannot be found is a Problem."""
    layout = _layout(grid, header, form, data.year)
    for field in layout.missing:
        if form.kind.one_unit and field.role == "unit_name":
            continue  # a one-unit form may leave its unit to the 填报单位 line
        problems.append(
            Problem(
                "header_missing",
                grid.address(header[0], header[2]),
                form.id,
                {"field": field.id, "label": field.label, "under": field.under},
            )
        )
    for period, (year, row, col) in layout.years.items():
        data.header_years[period] = (year, grid.address(row, col))
    data.scales = {
        fid: (scale.written, scale.factor, grid.address(scale.row, scale.col)) for fid, scale in layout.scales.items()
    }
    return layout


def field_columns(grid: Grid, header: tuple, form: Form) -> dict:
    """field id -> a column of each of the form's figures whose header the block shows."""
    layout = _layout(grid, header, form, None)
    return {field.id: col for field, _, col in layout.cells if field.numeric}


def left_to_right(layout: Layout) -> Optional[Layout]:
    """The layout with each field's two period columns taken left to right (the template's order),
    where its year header put them the other way round; None where it did not."""
    if not any(cols.get("prev", 0) > cols.get("cur", 1 << 20) for cols in layout.columns.values()):
        return None
    columns = {
        fid: ({"prev": min(cols.values()), "cur": max(cols.values())} if len(cols) == 2 else cols)
        for fid, cols in layout.columns.items()
    }
    cells = [(field, (field.id, period), columns[field.id][period]) for field, (_, period), _ in layout.cells]
    return layout._replace(columns=columns, cells=cells)


_LAYOUTS: dict = {}


def _layout(grid: Grid, header: tuple, form: Form, year: Optional[int]) -> Layout:
    """The Layout of a header block. Returns made from one template share their header blocks, so
    a layout is worked out once per distinct block (its texts relative to the 序号 row) and then
    looked up."""
    first, data_row, _ = header
    block = tuple(map(tuple, grid.rows[first - 1 : data_row - 1]))
    # the form itself, not its id: two packs may define a form of one id with other fields; merges:
    # one shared object for sheets alike (grid._merge_layout)
    key = (id(form), year, first, block, grid.merges)
    kept = _LAYOUTS.get(key)
    if kept is None or kept[0] is not form:  # kept with its form, so that an id is never reused
        if len(_LAYOUTS) > 256:
            _LAYOUTS.clear()
        kept = _LAYOUTS[key] = (form, _work_out_layout(grid, header, form, year))
    return kept[1]


def _work_out_layout(grid: Grid, header: tuple, form: Form, year: Optional[int]) -> Layout:
    paths = _column_paths(grid, header)
    columns_of: dict = {}  # header text -> the columns showing it
    for col, path in paths.items():
        for text in path:
            columns_of.setdefault(text, []).append(col)
    columns: dict = {}
    missing: list = []
    years: dict = {}
    scales: dict = {}
    for field in form.fields:
        names, under = _header_names(field)
        found = sorted({col for name in names for col in columns_of.get(name, ())})
        found = [col for col in found if not under or under in paths[col]]
        scale = _scale_of(grid, header, field, found[0], names) if found and field.numeric and field.unit else None
        if scale is not None:
            scales[field.id] = scale
        if not found:
            missing.append(field)
        elif form.kind.periods and field.numeric:
            columns[field.id] = _periods(grid, header, found, year, years)
        else:
            columns[field.id] = {None: found[0]}
    cells = [
        (field, (field.id, period), col) for field in form.fields for period, col in columns.get(field.id, {}).items()
    ]
    return Layout(columns, missing, years, cells, {key: k for k, (_, key, _) in enumerate(cells)}, scales)


def _scale_of(grid: Grid, header: tuple, field: Field, col: int, names: frozenset) -> Optional[Scale]:
    """The Scale of a field's column whose header cell shows a unit other than the field's, where
    the two convert (万元 and 元); None where it shows the field's own unit, or none."""
    first, data_row, _ = header
    for row in range(first, data_row):
        text = grid.shown(row, col)
        if isinstance(text, str) and norm(text) in names:
            flat = "".join(unicodedata.normalize("NFKC", text).split())
            for written in _BRACKETED_UNIT.findall(flat):
                factor = SCALES.get((field.unit, written))
                if factor is not None:
                    return Scale(written, factor, *grid.origin(row, col))
            return None
    return None


def _periods(grid: Grid, header: tuple, found: list, year: Optional[int], years: dict) -> dict:
    """prev/cur columns of a field: by the year printed under it, else first and second."""
    printed = {col: _printed_year(grid, header, col) for col in found}
    by_year = {}
    if year:
        by_year = {p: c for c in found for p, y in (("prev", year - 1), ("cur", year)) if printed[c][0] == y}
    chosen = by_year if len(by_year) == 2 else dict(zip(("prev", "cur"), found))
    for period, col in chosen.items():
        years.setdefault(period, (*printed[col], col))
    return chosen


def _printed_year(grid: Grid, header: tuple, col: int) -> tuple:
    """(the year printed over a period column, or None; its row): the lowest written cell of the
    column in the header block, so that a blank or spacer row between the years and the figures
    does not hide them."""
    first, data_row, _ = header
    for row in range(data_row - 1, first, -1):
        value = grid.raw(row, col)
        if value is not None and str(value).strip():
            return _year_of(value), row
    return None, data_row - 1


_YEAR = re.compile(r"((?:19|20)\d{2})(?:年度?|年份)?(?:\(.*\))?")


@lru_cache(maxsize=256)
def _year_of(value) -> Optional[int]:
    """The year a period header says, as offices write it: 2023, 2023.0, "2023年", "2023 年",
    "2023年度", "２０２３", "2023年(上年)"; None for any other text."""
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 1900 <= value < 2100 else None
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    match = _YEAR.fullmatch(text)
    return int(match.group(1)) if match else None
