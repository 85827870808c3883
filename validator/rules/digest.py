"""The digest of a return: what the checks across returns need, taken before the return is dropped.

A batch of thousands keeps one digest per return, so a digest is kept small: the figures' keys are
shared by all digests, the numbers sit in one array and the cells in one string (some 5 KB a return
with its file and unit names, against some 19 KB as a dict of tuples).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from itertools import compress
from typing import Any, Iterator, Optional

from validator.files import blake2b
from validator.model import Return

# one tuple of keys per layout of figures, shared by every digest that has it
_KEYS: dict[tuple[Any, ...], tuple[Any, ...]] = {}


@dataclass(frozen=True)
class Digest:
    """What the checks across returns need of one return. Small, so that a batch of thousands
    holds digests and findings, never workbooks."""

    file: str
    unit: str
    year: Optional[int]
    figures: Any  # a mapping (form id, field id, period) -> (number or None, cell): digest.Figures
    # the case register's case numbers as 8-byte hashes (array "q"), and their rows (array "i"), if
    # the return has one: 12 bytes a case, so that a country's 100 million cases fit in a parent;
    # the numbers themselves are read again only where two hashes agree (case_numbers_unique)
    case_hashes: Any = ()
    case_rows: Any = ()
    case_column: str = ""  # the case numbers' column, "案件清单!B": with a row, a case's cell
    # the unit rows of the several-unit forms (表3, 表4), {form id: [{field id: value}]}: what a
    # consolidation sets out row by row (validator/consolidate.py)
    rows: Any = None

    def case_cell(self, row: int) -> str:
        return f"{self.case_column}{row}"


class Figures:
    """A read-only mapping (form id, field id, period) -> (number or None, cell)."""

    __slots__ = ("keys", "numbers", "cells")

    def __init__(self, entries: list[tuple[tuple[str, str, str], Optional[float], str]]):
        keys = tuple(key for key, _, _ in entries)
        self.keys = _KEYS.setdefault(keys, keys)
        self.numbers = array("d", (math.nan if n is None else n for _, n, _ in entries))
        self.cells = "\n".join(cell for _, _, cell in entries)  # one string: cells are read only for findings

    def get(
        self, key: tuple[str, str, str], default: Optional[tuple[Optional[float], str]] = None
    ) -> Optional[tuple[Optional[float], str]]:
        try:
            index = self.keys.index(key)
        except ValueError:
            return default
        return self._entry(index)

    def _entry(self, index: int) -> tuple[Optional[float], str]:
        number = self.numbers[index]
        return (None if math.isnan(number) else number, self.cells.split("\n")[index])

    def items(self) -> Iterator[tuple[tuple[str, str, str], tuple[Optional[float], str]]]:
        for index, key in enumerate(self.keys):
            yield key, self._entry(index)

    def __len__(self) -> int:
        return len(self.keys)


def case_hash(number: str) -> int:
    """A case number as the signed 8-byte integer the check across registers compares."""
    return int.from_bytes(blake2b(number.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def digest(ret: Return, cases: bool = True) -> Digest:
    """What the checks across returns keep of `ret`; without `cases` (a return checked alone, or
    last year's), not its case numbers, whose hashing costs a second a million cases."""
    entries: list[tuple[tuple[str, str, str], Optional[float], str]] = []
    for data in ret.forms.values():
        table = data.table
        if data.form.kind.one_unit and table is not None and len(table):
            row = table.excel_rows[0]
            entries.extend(
                ((data.form.id, column.field.id, column.period), column.numbers[0], f"{column.prefix}{row}")
                for column in table.columns
                if column.period is not None
            )
    rows = _unit_rows(ret)
    register = ret.register
    table = register.table if register is not None else None
    column = table.played_by("case_number") if table is not None else None
    if column is None or table is None or not cases:
        return Digest(ret.path, ret.unit, ret.year, Figures(entries), rows=rows)
    # hashes and rows side by side in arrays, not cells: a cell's address is spelt out only for a
    # finding, and an object a case would be 100,000 more objects for a register
    written = column.texts or []  # a text column: its texts are always there
    return Digest(
        ret.path,
        ret.unit,
        ret.year,
        Figures(entries),
        array("q", map(case_hash, compress(written, written))),
        array("i", compress(table.excel_rows, written)),
        column.prefix,
        rows,
    )


def _unit_rows(ret: Return) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for data in ret.forms.values():
        table = data.table
        if data.form.kind.one_unit or data.form.optional or table is None:
            continue
        columns = [c for c in table.columns if c.period is None]
        found[data.form.id] = [{c.field.id: c.parsed[i] for c in columns} for i in range(len(table))]
    return found
