"""The unit's explanations of its warnings (核实性审核): a sheet named 审核说明 with the columns
规则 | 单元格 | 说明 — the rule id, the cell (表3!H6, or H6 on the form's own sheet) and why the
figure stands. Read here as the unit wrote them; the engine matches them to its warnings."""

from __future__ import annotations

from typing import NamedTuple, Optional

from validator.fold import norm

SHEET = "审核说明"
COLUMNS = ("规则", "单元格", "说明")
RESULTS_SHEET = "审核结果"  # what an annotated copy lists first: read again, it holds no form


class ReviewNote(NamedTuple):
    """One row of the 审核说明 sheet."""

    rule: str
    cell: str  # as written: "表3!H6" or "H6"
    text: str
    where: str  # the row's 说明 cell, for a finding about the explanation itself


def read_review_notes(grids: list) -> list:
    """Every filled row of the 审核说明 sheet, in order; [] without one."""
    grid = next((g for g in grids if norm(g.sheet) == norm(SHEET)), None)
    if grid is None:
        return []
    header = _header(grid)
    if header is None:
        return []
    row, columns = header
    found = []
    for number in range(row + 1, grid.max_row + 1):
        rule, cell, text = (_text(grid.raw(number, col)) for col in columns)
        if rule and (cell or text):
            found.append(ReviewNote(rule, cell, text, grid.address(number, columns[2])))
    return found


def _header(grid) -> Optional[tuple]:
    """(row, the columns of 规则, 单元格, 说明) of the header, looked for in the top five rows."""
    wanted = [norm(name) for name in COLUMNS]
    for row in range(1, min(grid.max_row, 5) + 1):
        texts = {norm(text): col for col, text in grid.row_texts(row)}
        if all(name in texts for name in wanted):
            return row, tuple(texts[name] for name in wanted)
    return None


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())
