"""The rules run on a return built in memory, for tests of a rule's logic: the clean return's
sheets, read once from a real workbook the template wrote, with the changed cells set in them.

A case costs about 1 ms here against some 75 ms through a written workbook and the command (the
writing is most of it). What the workbook and the command add — intake, the reporters, the
exact message as JSON — is tested through them (conftest's `broken`); this is for the many small
cases of one rule (`test_rules_two_law_link.py`'s note 6), and `test_memory.py` holds it to what
the command says for every family's breaking cases."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, NamedTuple

from validator.read.grid import grids_of
from validator.read.reader import build_return
from validator.report.template import layout_columns, write_return
from validator.rules import engine


class NotInMemory(Exception):
    """A change the helper cannot make in place (the year, a sheet's name, a row the template does
    not have): test it through a written workbook."""


class Clean(NamedTuple):
    path: str
    grids: tuple[Any, ...]
    rows: dict[str, int]  # form id -> how many unit rows the written form has


_CLEAN: dict[tuple[str, int, str], Clean] = {}


def _clean(folder: str, pack: Any, base: str) -> Clean:
    """The clean return's path, sheets and rows, written and read once a test run."""
    from conftest import clean_figures, clean_with_register

    key = (folder, id(pack), base)
    if key not in _CLEAN:
        path = Path(folder) / f"clean_{base}.xlsx"
        figures = clean_with_register() if base == "register" else clean_figures()
        write_return(str(path), pack, figures)
        forms = figures.get("forms", {})
        rows = {f.id: max(f.template_rows, len(forms.get(f.id, {}).get("rows", []))) for f in pack.forms.values()}
        _CLEAN[key] = Clean(str(path), tuple(grids_of(str(path))), rows)
    return _CLEAN[key]


def findings(folder: Path, pack: Any, changes: dict[str, Any], base: str = "clean", rule: str = "") -> list[dict]:
    """The findings (rule, message said in Chinese with its hint, cells) of the clean return (with
    its case register for base="register") with `changes` set, as {"forms.F.rows.0.field": value}
    or {"forms.F.cur.field": value}: every rule's, or one `rule`'s."""
    clean = _clean(str(folder), pack, base)
    grids = {grid.sheet: grid for grid in clean.grids}
    changed: dict[str, Any] = {}
    for where, value in changes.items():
        sheet, row, col = _cell(pack, where, clean.rows)
        grid = changed.get(sheet) or grids[sheet]
        if sheet not in changed:
            grid = changed[sheet] = copy.copy(grid)
            grid.rows = [list(line) for line in grid.rows]
        while len(grid.rows[row - 1]) < col:
            grid.rows[row - 1].append("")
        grid.rows[row - 1][col - 1] = "" if value is None else float(value) if _is_number(value) else value
    ret = build_return(clean.path, [changed.get(grid.sheet, grid) for grid in clean.grids], pack)
    report = engine.check_return(ret, pack)
    return [
        {"rule": f.rule, "message": f.said("zh"), "cells": list(f.cells), "code": f.code}
        for f in report.findings
        if not rule or f.rule == rule
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(pack: Any, where: str, rows: dict[str, int]) -> tuple[str, int, int]:
    """(sheet, row, column) the template writes a figure at: "forms.F.prev|cur|yoy.field",
    "forms.F.explanation", "forms.F.rows.N.field" (a row the template has)."""
    parts = where.split(".")
    form = pack.forms.get(parts[1]) if len(parts) > 2 and parts[0] == "forms" else None
    if form is None:
        raise NotInMemory(where)
    columns, top = layout_columns(form), form.kind.template_data_row
    if form.kind.one_unit:
        first = next(f.id for f in form.fields if f.numeric)
        if parts[2] == "explanation":
            return form.short, top + 2, columns[first][0]
        section = {"prev": (0, 0), "cur": (0, 1), "yoy": (1, 0)}.get(parts[2])
        if section is None or len(parts) != 4 or parts[3] not in columns:
            raise NotInMemory(where)
        return form.short, top + section[0], columns[parts[3]][section[1]]
    if parts[2] != "rows" or len(parts) != 5 or parts[4] not in columns or int(parts[3]) >= rows[form.id]:
        raise NotInMemory(where)
    return form.short, top + int(parts[3]), columns[parts[4]][0]
