"""A workbook as plain grids: cell values, merged ranges and addresses, nothing else.

The reader works only on `Grid`, so the library that extracts the grid can be swapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Grid:
    """One sheet: {(row, col): value} for non-empty cells (1-based) and merged ranges."""

    sheet: str
    cells: dict
    merges: list = field(default_factory=list)  # (first_row, first_col, last_row, last_col)
    max_row: int = 0
    max_col: int = 0
    uncached: set = field(default_factory=set)  # (row, col) of formulas never calculated
    _origin: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._quoted = f"'{self.sheet}'" if any(ch in self.sheet for ch in " !'-") else self.sheet
        for r1, c1, r2, c2 in self.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._origin[(r, c)] = (r1, c1)
        if self.cells:
            self.max_row = max(self.max_row, max(r for r, _ in self.cells))
            self.max_col = max(self.max_col, max(c for _, c in self.cells))

    def raw(self, row: int, col: int) -> Any:
        return self.cells.get((row, col))

    def shown(self, row: int, col: int) -> Any:
        """What a person sees at the cell: a merged range shows its top-left value everywhere."""
        return self.cells.get(self._origin.get((row, col), (row, col)))

    def origin(self, row: int, col: int) -> tuple:
        return self._origin.get((row, col), (row, col))

    def address(self, row: int, col: int) -> str:
        return f"{self._quoted}!{column_letter(col)}{row}"


def read_grids(path: str, inspection, extractor: str = "calamine") -> list:
    """Every sheet of an .xlsx workbook as a Grid of cached values (never formulas).

    `inspection` is what validator.intake learnt; only files it let through come here, because
    python-calamine builds a dense grid and aborts the process on a sheet claiming XFD1048576.
    `extractor` picks the library: python-calamine (fast, the default) or openpyxl; the findings are
    the same either way (tests/test_grid.py)."""
    from validator.intake import Refused

    read = _calamine_grids if extractor == "calamine" else _openpyxl_grids
    try:
        return read(path, inspection)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - the readers raise many kinds on malformed parts
        raise Refused("damaged", detail=f"{type(exc).__name__}: {exc}") from None


def _calamine_grids(path: str, inspection) -> list:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    grids = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        cells = {}
        for r, row in enumerate(sheet.to_python(skip_empty_area=False) if sheet.height else [], 1):
            for c, value in enumerate(row, 1):
                if value != "" and value is not None:
                    cells[(r, c)] = value
        merges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
        grids.append(Grid(name, cells, merges, uncached=inspection.uncached(name)))
    return grids


def _openpyxl_grids(path: str, inspection) -> list:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    grids = []
    for sheet in book.worksheets:
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[(cell.row, cell.column)] = cell.value
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
        grids.append(Grid(sheet.title, cells, merges, uncached=inspection.uncached(sheet.title)))
    book.close()
    return grids
