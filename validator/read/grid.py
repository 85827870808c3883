"""A workbook as plain grids: cell values, merged ranges and addresses, nothing else.

The reader works only on `Grid`, so the library that extracts the grid can be swapped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable, NamedTuple, Optional


@lru_cache(maxsize=4096)
def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Grid:
    """One sheet: its rows as lists of values from A1 (None or "" for an empty cell), and its
    merged ranges as (first_row, first_col, last_row, last_col), 1-based.

    Rows are kept as the extractor gives them rather than as a dict of cells: a case register
    of 100 000 rows would otherwise cost a dict entry and a tuple key per cell."""

    def __init__(
        self,
        sheet: str,
        rows: list,
        merges: Optional[Iterable] = None,
        uncached: Optional[set] = None,
        state: str = "visible",
        max_merged: int = 5_000_000,
        percent: Optional[set] = None,
    ):
        self.sheet = sheet
        self.rows = rows
        self.state = state  # visible | hidden | veryHidden
        self.max_row = len(rows)
        # the merged ranges and, worked out once per distinct set: row -> the ranges crossing it
        # (to find a cell's origin), the cells they cover, the area; shared, never changed
        ranges = tuple(merges or ())
        area = _merged_area(ranges, self.max_row)
        if area > max_merged:  # each covered cell is looked at: 200 ranges A{n}:B1048576 are refused here
            from validator.read.intake import Refused

            raise Refused("too_much_merged", sheet=sheet, count=area, cap=max_merged)
        layout = _merge_layout(ranges, self.max_row)
        self.merges, self._merged_rows = layout.merges, layout.crossing
        self.uncached = uncached or set()  # (row, col) of formulas never calculated
        # (row, col) of the cells formatted as percentages; None where unknown (a hand-made grid)
        self.percent = percent
        self.covered = self._clear_covered(layout.covered)
        self.max_col = max(map(len, rows), default=0)
        self._quoted = sheet_reference(sheet)
        self._prefixes = _prefixes_of(self._quoted)  # column -> "sheet!C"

    def _clear_covered(self, layout: tuple) -> list:
        """Covered cells holding something, as (row, col, value, merge); their values are taken
        out of the grid. Excel and WPS show only the top-left cell of a merged range, so a figure
        stored in another of its cells is one the filer cannot see and must not be checked. Each
        row's covered cells are taken at once (`layout`: (row, columns, their getter, merges)),
        and only a row where one holds something is looked at cell by cell."""
        covered, rows = [], self.rows
        for row, columns, take, merges in layout:
            line = rows[row - 1]
            if len(line) >= columns[-1]:
                values = take(line)
                if len(columns) == 1:
                    values = (values,)
                if values.count("") + values.count(None) == len(values):
                    continue
            for col, merge in zip(columns, merges):
                value = line[col - 1] if col <= len(line) else None
                if value is not None and value != "":
                    covered.append((row, col, value, merge))
                    line[col - 1] = None
        return covered

    @classmethod
    def from_cells(cls, sheet: str, cells: dict, merges: Optional[list] = None) -> "Grid":
        """A grid from {(row, col): value}, for hand-made grids."""
        height = max((r for r, _ in cells), default=0)
        width = max((c for _, c in cells), default=0)
        rows = [[None] * width for _ in range(height)]
        for (r, c), value in cells.items():
            rows[r - 1][c - 1] = value
        return cls(sheet, rows, [tuple(merge) for merge in merges or ()])

    @property
    def cells(self) -> dict:
        """{(row, col): value} of the non-empty cells (for comparisons; the reader uses `raw`)."""
        return {
            (r, c): v for r, row in enumerate(self.rows, 1) for c, v in enumerate(row, 1) if v is not None and v != ""
        }

    def row_texts(self, row: int) -> list:
        """((col, text), ...) of the cells of a row that hold text."""
        if not 1 <= row <= self.max_row:
            return []
        return [(c, v) for c, v in enumerate(self.rows[row - 1], 1) if v.__class__ is str and v]

    def raw(self, row: int, col: int) -> Any:
        try:
            value = self.rows[row - 1][col - 1] if row > 0 and col > 0 else None
        except IndexError:
            return None
        return None if value == "" else value

    def shown(self, row: int, col: int) -> Any:
        """What a person sees at the cell: a merged range shows its top-left value everywhere."""
        return self.raw(*self.origin(row, col))

    def origin(self, row: int, col: int) -> tuple:
        """The top-left cell of the merged range holding this cell, or the cell itself."""
        for r1, c1, _, c2 in self._merged_rows.get(row, ()):
            if c1 <= col <= c2:
                return r1, c1
        return row, col

    def range_address(self, merge: tuple) -> str:
        """ "F7:G7" for a merged range (r1, c1, r2, c2)."""
        r1, c1, r2, c2 = merge
        return f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"

    def address(self, row: int, col: int) -> str:
        return self.column_prefix(col) + str(row)

    def column_prefix(self, col: int) -> str:
        """ "sheet!C": an address without its row, the same string for every cell of the column."""
        prefix = self._prefixes.get(col)
        if prefix is None:
            prefix = self._prefixes[col] = f"{self._quoted}!{column_letter(col)}"
        return prefix


class MergeLayout(NamedTuple):
    merges: tuple  # (first_row, first_col, last_row, last_col), 1-based
    crossing: dict  # row -> the ranges crossing it
    covered: tuple  # (row, columns, a getter of their values, the range of each) of covered cells


@lru_cache(maxsize=256)
def _merged_area(merges: tuple, height: int) -> int:
    """The cells the ranges cover within a sheet's rows (a range past the last row counts to it)."""
    return sum(max(0, min(r2, height) - r1 + 1) * max(0, c2 - c1 + 1) for r1, c1, r2, c2 in merges)


@lru_cache(maxsize=256)
def _merge_layout(merges: tuple, height: int) -> MergeLayout:
    """A sheet's merged ranges worked out once per distinct set, which returns made from one
    template share sheet by sheet; a range reaching past the last row is indexed only to it."""
    crossing: dict = {}
    by_row: dict = {}
    for merge in merges:
        r1, c1, r2, c2 = merge
        for row in range(r1, min(r2, height) + 1):
            crossing.setdefault(row, []).append(merge)
            by_row.setdefault(row, []).extend((col, merge) for col in range(c1, c2 + 1) if (row, col) != (r1, c1))
    covered = []
    for row, cells in sorted(by_row.items()):
        cells.sort()
        columns = tuple(col for col, _ in cells)
        if columns:
            covered.append((row, columns, itemgetter(*(col - 1 for col in columns)), tuple(m for _, m in cells)))
    return MergeLayout(merges, crossing, tuple(covered))


@lru_cache(maxsize=256)
def _one_based(ranges: tuple) -> tuple:
    """python-calamine's merged ranges ((r1, c1), (r2, c2)), 0-based, as (r1, c1, r2, c2) from 1."""
    return tuple((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges)


_PREFIXES: dict = {}


_PLAIN_SHEET = re.compile(r"[^\W\d][\w.]*")  # a letter (a Chinese character is one), then letters, digits, _ or .
_LIKE_A_CELL = re.compile(r"(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)")


def sheet_reference(sheet: str) -> str:
    """A sheet's name as a reference writes it, as Excel does: bare where it is a plain name
    ("表1"), else in quotes with each quote doubled ("'it''s 表1'", "'表1 (2)'", "'2023'")."""
    if _PLAIN_SHEET.fullmatch(sheet) and not _LIKE_A_CELL.fullmatch(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _prefixes_of(quoted: str) -> dict:
    """column -> "sheet!C" for a sheet name, one dict for every grid of that name: a batch's
    returns share their sheet names, and each cell address starts with one of these."""
    if quoted not in _PREFIXES and len(_PREFIXES) >= 256:
        _PREFIXES.clear()
    return _PREFIXES.setdefault(quoted, {})


def read_grids(inspection, extractor: str = "calamine") -> list:
    """Every sheet of a workbook (.xlsx, .xls, .ods) as a Grid of cached values (never formulas).

    `inspection` is what validator.read.intake learnt; only files it let through come here, because
    python-calamine builds a dense grid and aborts the process on a sheet claiming XFD1048576.
    `extractor` picks the library: python-calamine (fast, the default) or openpyxl; the findings are
    the same either way (tests/test_grid.py)."""
    from validator.read.intake import Refused

    # openpyxl reads .xlsx only: an .xls or .ods is read by python-calamine whatever is asked
    read = _calamine_grids if extractor == "calamine" or inspection.kind != "xlsx" else _openpyxl_grids
    try:
        return read(inspection)
    except (Refused, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the readers raise many kinds on malformed parts, and a
        # panic in python-calamine's Rust comes as pyo3's PanicException, a BaseException
        raise Refused("damaged", detail=f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _calamine_grids(inspection) -> list:
    from python_calamine import CalamineWorkbook

    source = inspection.source()
    book = CalamineWorkbook.from_path(source) if isinstance(source, str) else CalamineWorkbook.from_filelike(source)
    grids = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False) if sheet.height else []
        found = sheet.merged_cell_ranges
        merges = _one_based(tuple(found)) if found is not None else inspection.merges(name) or ()
        del sheet  # calamine's own copy of a large sheet goes before the next is read
        grids.append(
            Grid(
                name,
                rows,
                merges,
                inspection.uncached(name),
                inspection.state(name),
                inspection.max_merged,
                inspection.percent(name),
            )
        )
    return grids


def _openpyxl_grids(inspection) -> list:
    import openpyxl

    with inspection.opened() as archive:
        book = openpyxl.load_workbook(archive, data_only=True)
    grids = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
        grids.append(
            Grid(
                sheet.title,
                rows,
                merges,
                inspection.uncached(sheet.title),
                inspection.state(sheet.title),
                inspection.max_merged,
                inspection.percent(sheet.title),
            )
        )
    book.close()
    return grids


def grids_of(path: str, limits=None, extractor: str = "calamine") -> list:
    """The sheets of the workbook at `path` as its gate lets them through (or Refused), read by
    `extractor`; the reader's temporary archive is gone when this returns."""
    from validator.read.gate import inspect

    with inspect(path, limits) as inspection:
        return read_grids(inspection, extractor)
