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
from typing import Optional

from validator.fold import fold, norm
from validator.model import Form, FormCopy, FormData, Problem, Return
from validator.numbers import format_number
from validator.read.grid import Grid, grids_of
from validator.read.headerlines import read_lines, settle
from validator.read.intake import Limits, Refused
from validator.read.layout import field_columns, match_fields
from validator.read.review_notes import RESULTS_SHEET, SHEET, read_review_notes
from validator.read.rows import TotalLabels, read_list, read_periodic, split_totals

_YEAR = re.compile(r"(\d{4})\s*年")
TITLE_ROWS = 12  # the title must be within this many rows of the top
FOOTER_ROWS = 40  # a footer (填表人, 联系电话 ...) is looked for this many rows below the figures


def read_return(path: str, pack, limits: Optional[Limits] = None, extractor: str = "calamine") -> Return:
    """The return in the workbook at `path`; raises intake.Refused for a file that is not taken."""
    limits = limits or Limits()
    ret = build_return(path, grids_of(path, limits, extractor), pack)
    register = ret.register
    if register is not None and register.table is not None and len(register.table) > limits.max_cases:
        raise Refused("too_many_cases", sheet=register.sheet, count=len(register.table), cap=limits.max_cases)
    return ret


def build_return(path: str, grids: list, pack) -> Return:
    ret = Return(path=str(path), review_notes=read_review_notes(grids))
    sheet_forms: dict = {}
    titles = _Titles([grid for grid in grids if norm(grid.sheet) not in (norm(SHEET), norm(RESULTS_SHEET))])
    labels = TotalLabels.of(pack.settings)
    for form in pack.forms.values():
        found = _real_copies(titles.find_all(norm(form.title)), form)
        if not found:
            continue
        grid, row, col = _chosen_copy(found)
        if len(found) > 1:
            ret.copies[form.id] = [FormCopy(g.sheet, g.state, g.address(r, c)) for g, r, c in found]
        ret.forms[form.id] = data = _read_form(grid, row, col, form, ret.problems, labels)
        if not form.kind.one_unit and data.table is not None:  # 合计/小计 rows stand among units
            data.table, data.totals = split_totals(data.table, labels)
        sheet_forms.setdefault(grid.sheet, form.id)
    for grid in grids:
        form_id = sheet_forms.get(grid.sheet)
        for row, col, value, merge in grid.covered:
            ret.problems.append(
                Problem(
                    "under_merge",
                    grid.address(row, col),
                    form_id,
                    {"merge": grid.range_address(merge), "text": _shown_text(value)},
                )
            )
        reported = {p.cell for p in ret.problems if p.kind == "formula_uncached"}
        for row, col in sorted(grid.uncached):
            if grid.address(row, col) not in reported:
                ret.problems.append(Problem("formula_uncached", grid.address(row, col), form_id, {}))
    return ret


def _real_copies(found: list, form: Form) -> list:
    """The places where the form itself stands, of those where its title is written: a title with
    the form's header block below it. A cover, a contents page or a 填报说明 sheet lists the
    titles with nothing under them, and is neither the form nor a copy of it. Where no title has a
    header block the places are kept as found, so that the form's missing header is said."""
    if len(found) < 2:
        return found
    real = [(grid, row, col) for grid, row, col in found if _has_header(grid, row, form)]
    return real or found


def _has_header(grid: Grid, title_row: int, form: Form) -> bool:
    """Whether a 序号 header below the title heads at least one of the form's figure columns."""
    header = _find_header(grid, title_row, form.kind.header_rows)
    if header is None:
        return False
    return bool(field_columns(grid, header, form))


def _chosen_copy(found: list) -> tuple:
    """The copy of a form the rules run on when a workbook holds several: the first the filer can
    see, in sheet order; the first of all if every copy is hidden."""
    return next((copy for copy in found if copy[0].state == "visible"), found[0])


def _shown_text(value) -> str:
    return format_number(value) if isinstance(value, float) else str(value)


class _Titles:
    """The rows near the top of each sheet, in reading order, where forms' titles are looked for.

    Their texts are joined into one string, so that finding a title is one search in C rather
    than a test per row and form."""

    def __init__(self, grids: list):
        self.rows = [
            (grid, row, _texts_of_row(tuple(line)))
            for grid in grids
            for row, line in enumerate(grid.rows[: _title_rows(grid)], 1)
        ]
        joined = [texts[0] for _, _, texts in self.rows]
        self.text = "\0\0".join(joined)  # no title holds NUL, so none is found across two rows
        self.starts = list(accumulate((len(j) + 2 for j in joined[:-1]), initial=0))

    def find_all(self, wanted: str) -> list:
        """(grid, row, col) of the first cell whose text holds `wanted` on each sheet that has one,
        in sheet order."""
        found: list = []
        at = self.text.find(wanted) if wanted else -1
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
    """Whether a cell heads the column that numbers or names the rows: 序号 in the template, 项目
    where an office's two-period form labels its rows (数值, 同比增减, 数据变化原因简析) instead."""
    # only a text can, and only one that holds 号 or 项 (no other character normalises to them),
    # which most cells of the rows searched do not
    return value.__class__ is str and ("号" in value or "项" in value) and fold(value) in ("序号", "项目")


@lru_cache(maxsize=1024)
def _texts_of_row(line: tuple) -> tuple:
    """(all of them joined, ((col, normalised text), ...)) of a row's text cells; the rows above a
    form's figures repeat from return to return, so each distinct row is worked out once."""
    texts = tuple((col, fold(value)) for col, value in enumerate(line, 1) if value.__class__ is str and value)
    return "\0".join(text for _, text in texts), texts


def _read_form(grid: Grid, title_row: int, title_col: int, form: Form, problems: list, labels) -> FormData:
    title = str(grid.raw(title_row, title_col))
    match = _YEAR.search(unicodedata.normalize("NFKC", title))
    data = FormData(
        form=form,
        sheet=grid.sheet,
        state=grid.state,
        year=int(match.group(1)) if match else None,
        year_cell=grid.address(title_row, title_col),
    )
    header = _find_header(grid, title_row, form.kind.header_rows, labels)
    lines: dict = {}
    read_lines(
        grid,
        range(title_row + 1, header[0] if header else title_row + 4),
        form.lines,
        form.lines.kinds_at("above"),
        lines,
    )
    if header is None:
        problems.append(Problem("no_header", grid.address(title_row, title_col), form.id, {"label": "序号"}))
    else:
        layout = match_fields(grid, header, form, data, problems)
        read = read_periodic if form.kind.one_unit else read_list
        last = read(grid, header, layout, data, problems)
        below = tuple(
            kind for kind in form.lines.kinds_at("below") if kind not in lines
        )  # a footer only says what is missing
        if below:
            read_lines(grid, range(last + 1, min(grid.max_row, last + FOOTER_ROWS) + 1), form.lines, below, lines)
    _settle_lines(data, settle(lines))
    return data


def _settle_lines(data: FormData, found) -> None:
    """The unit, contact and year the form's lines give; the year of a 年度 line is the form's
    where its title has none, and is kept apart to be compared with the title's."""
    data.unit, data.unit_cell, data.contact, data.contact_cell = (
        found.unit,
        found.unit_cell,
        found.contact,
        found.contact_cell,
    )
    data.line_year, data.line_year_cell = found.year, found.year_cell
    if data.year is None and found.year is not None:
        data.year, data.year_cell = found.year, found.year_cell


def _find_header(grid: Grid, title_row: int, header_rows: int, labels=None) -> Optional[tuple]:
    """(first header row, first data row, 序号 column), found from the 序号 header cell."""
    for row, line in enumerate(grid.rows[title_row : title_row + TITLE_ROWS - 1], title_row + 1):
        for col, value in enumerate(line[:10], 1):
            if _is_serial_header(value):
                data_row = _first_data_row(grid, row, col, header_rows)
                while labels is not None and data_row - 1 > row and _is_total_row(grid, data_row - 1, col, labels):
                    data_row -= 1  # a 合计 above the unit rows is a row of figures, not of the header
                return row, data_row, col
    return None


def _is_total_row(grid: Grid, row: int, serial_col: int, labels: TotalLabels) -> bool:
    return labels.kind(grid.shown(row, serial_col), grid.shown(row, serial_col + 1)) is not None


def _first_data_row(grid: Grid, header_row: int, serial_col: int, header_rows: int) -> int:
    """The row numbered 1; where no row is numbered, the first row after the template's header
    rows that holds anything (a blank spacer row above the figures is not the unit row)."""
    for row in range(header_row + 1, header_row + TITLE_ROWS):
        if norm(grid.raw(row, serial_col)) in ("1", "1.0"):
            return row
    first = header_row + header_rows
    for row in range(first, min(first + TITLE_ROWS, grid.max_row) + 1):
        if any(v is not None and v != "" for v in grid.rows[row - 1]):
            return row
    return first
