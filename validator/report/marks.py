"""What an annotated copy remembers of its own marks, so that annotating it again starts from the
unit's workbook: the fill, border and comment each marked cell had before, the comment formcheck
wrote there, and the rows set out on the 审核说明 sheet. They are kept on a very hidden sheet of the
copy (Excel, WPS and LibreOffice keep such a sheet when they save), read back and undone before
the copy is marked afresh — but only where the mark is still ours: a cell the clerk coloured, a
comment the clerk wrote to or added to, stays as the clerk left it (less formcheck's own words).

The sheet comes back inside an uploaded workbook, so it is read as untrusted: a row that does not
name a sheet and cell of the book, or whose colours are not colours, is passed over, and at most
MOST_ROWS rows are read. A copy made before the ledger existed is cleared by its signature: the
comments formcheck wrote, the fills it put under them and the outlines it drew."""

from __future__ import annotations

import json
import re
from typing import Optional

from validator.read.review_notes import RESULTS_SHEET
from validator.read.review_notes import SHEET as REVIEW_SHEET

SHEET = "formcheck"
MOST_ROWS = 100_000
HEAD = ("sheet", "cell", "fill", "border", "comment", "author", "ours")
ROW_ADDED = "审核说明"  # the `sheet` of a row set out on the 审核说明 sheet: its rule and cell follow
AUTHOR = "formcheck"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "DDEBF7", "info": "E2EFDA"}
OUTLINE = "C00000"


class Ledger:
    """The cells an annotation is about to mark, with what they were; written to the copy by save()."""

    def __init__(self, book):
        self.book, self.rows, self.kept = book, [], {}

    def keep(self, sheet_name: str, cell) -> None:
        """Remember a cell as it is, before its first mark."""
        key = (sheet_name, cell.coordinate)
        if key in self.kept:
            return
        comment = cell.comment
        self.kept[key] = cell  # its comment as formcheck leaves it is read when the ledger is saved
        self.rows.append(
            [
                sheet_name,
                cell.coordinate,
                json.dumps(_fill_of(cell.fill)),
                json.dumps(_border_of(cell.border)),
                comment.text if comment is not None else None,
                comment.author if comment is not None else None,
                None,
            ]
        )

    def row_added(self, rule: str, cell: str) -> None:
        self.rows.append([ROW_ADDED, "", rule, cell, None, None, None])

    def save(self) -> None:
        from validator.shown import text_cell

        for row in self.rows:
            cell = self.kept.get((row[0], row[1]))
            if cell is not None and cell.comment is not None and cell.comment.author == AUTHOR:
                row[6] = cell.comment.text
        sheet = self.book.create_sheet(SHEET)
        sheet.sheet_state = "veryHidden"
        for row, values in enumerate([list(HEAD), *self.rows], 1):
            for col, value in enumerate(values, 1):
                if value is not None:
                    text_cell(sheet.cell(row, col), value)


def clear(book) -> None:
    """Undo the marks of an earlier annotation of this workbook, if it is an annotated copy."""
    if _is_ledger(book):
        ledger = book[SHEET]
        added = set()
        last = min(ledger.max_row, MOST_ROWS + 1)  # iter_rows makes every cell up to max_row it is given
        for values in ledger.iter_rows(min_row=2, max_row=last, max_col=len(HEAD), values_only=True):
            values = tuple(values) + (None,) * (len(HEAD) - len(values))
            if values[0] == ROW_ADDED:
                added.add((str(values[2]), str(values[3])))
            else:
                _restore(book, values)
        del book[SHEET]
        _drop_rows_left_empty(book, added)
    elif RESULTS_SHEET in book.sheetnames:  # a copy made before the ledger: every one has this sheet
        _clear_signature(book)


def _is_ledger(book) -> bool:
    """Whether the workbook holds our ledger: a very hidden sheet of that name headed as we head
    it. A sheet of the unit's own that happens to be named so is the unit's, and left alone."""
    if SHEET not in book.sheetnames:
        return False
    sheet = book[SHEET]
    head = next(sheet.iter_rows(min_row=1, max_row=1, max_col=len(HEAD), values_only=True), ())
    # LibreOffice saves a very hidden sheet as hidden: either is ours, with our head row
    return sheet.sheet_state != "visible" and tuple(head) == HEAD


def _restore(book, values: tuple) -> None:
    from openpyxl.comments import Comment

    from validator.shown import for_workbook

    sheet_name, coordinate, fill, border, text, author, ours = values
    cell = _cell(book, sheet_name, coordinate)
    if cell is None:
        return
    fill, border = _fill_from(fill), _border_from(border)
    if fill is not None and _rgb(cell.fill.fgColor) in FILLS.values():  # still our colour
        cell.fill = fill
    left = cell.border.left
    if border is not None and left is not None and left.style == "medium" and _rgb(left.color) == OUTLINE:
        cell.border = border
    now = cell.comment
    if now is None or now.text == ours or (not isinstance(ours, str) and _is_ours(now)):
        words = text  # ours as we left it (or removed): the unit's note from before
    elif isinstance(ours, str) and _said(ours, text) in now.text:
        words = _clerks_words(now.text, text, ours)
    else:
        return  # a comment the clerk wrote over ours: it stays
    # as text_cell writes a text: a control character from the workbook would break the XML
    cell.comment = Comment(for_workbook(str(words)), for_workbook(str(author or ""))) if words else None


def _said(ours: str, original) -> str:
    """formcheck's own words in a comment it wrote: after the unit's earlier note, if it had one."""
    return ours[len(original) + 2 :] if isinstance(original, str) and ours.startswith(original) else ours


def _clerks_words(now: str, original, ours: str) -> Optional[str]:
    """A comment of ours the clerk wrote into: what it says less formcheck's own words (the
    unit's earlier note, which ours began with, stays)."""
    return now.replace(_said(ours, original), "").strip() or None


_OURS = re.compile(r"^(错误|警告|提示|error|warning|info) [A-Za-z][A-Za-z0-9_-]*[ (（]")


def _is_ours(comment) -> bool:
    """A comment formcheck wrote: by its author, or — where a program saving the copy dropped the
    author, as LibreOffice does — by its first line, a severity and a rule id."""
    return comment.author == AUTHOR or bool(_OURS.search(comment.text or ""))


def _cell(book, sheet_name, coordinate):
    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils.cell import coordinate_to_tuple

    if not isinstance(sheet_name, str) or sheet_name not in book.sheetnames or not isinstance(coordinate, str):
        return None
    try:
        row, col = coordinate_to_tuple(coordinate)
    except (ValueError, TypeError):
        return None
    sheet = book[sheet_name]
    if not (1 <= row <= 1_048_576 and 1 <= col <= 16_384) or not hasattr(sheet, "cell"):
        return None
    cell = sheet.cell(row, col)
    return None if isinstance(cell, MergedCell) else cell


def _drop_rows_left_empty(book, added: set) -> None:
    """The rows the earlier copy set out on the 审核说明 sheet that the unit left without a 说明."""
    if not added or REVIEW_SHEET not in book.sheetnames:
        return
    sheet = book[REVIEW_SHEET]
    empty = [
        row[0].row
        for row in sheet.iter_rows(min_row=2, max_col=3)
        if len(row) == 3 and (str(row[0].value), str(row[1].value)) in added and row[2].value in (None, "")
    ]
    for number in reversed(empty):
        sheet.delete_rows(number)


def _clear_signature(book) -> None:
    """A copy from before the ledger: formcheck's comments go, with the fill under each; outlines
    in formcheck's colour go too. A unit's own comments and fills stay."""
    from openpyxl.styles import Border, PatternFill

    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and _is_ours(cell.comment):
                    cell.comment = None
                    if _rgb(cell.fill.fgColor) in FILLS.values():
                        cell.fill = PatternFill()
                left = cell.border.left
                if left is not None and left.style == "medium" and _rgb(left.color) == OUTLINE:
                    cell.border = Border()


def _rgb(color) -> Optional[str]:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _colour_of(color) -> Optional[dict]:
    if color is None:
        return None
    if color.type == "rgb":
        return {"rgb": color.rgb}
    if color.type == "theme":
        return {"theme": color.theme, "tint": color.tint}
    if color.type == "indexed":
        return {"indexed": color.indexed}
    return None


def _colour_from(spec):
    from openpyxl.styles.colors import Color

    if not isinstance(spec, dict):
        return None
    try:
        return Color(**{key: spec[key] for key in ("rgb", "theme", "tint", "indexed") if key in spec})
    except (TypeError, ValueError):
        return None


def _fill_of(fill) -> dict:
    if getattr(fill, "tagname", "") != "patternFill":
        return {}  # a gradient: not ours to undo, and never marked over by formcheck's solid fills
    return {"pattern": fill.patternType, "fg": _colour_of(fill.fgColor), "bg": _colour_of(fill.bgColor)}


def _fill_from(text):
    from openpyxl.styles import PatternFill

    spec = _loaded(text)
    if spec is None or "pattern" not in spec:
        return None
    try:
        fg, bg = _colour_from(spec.get("fg")), _colour_from(spec.get("bg"))
        return PatternFill(
            patternType=spec["pattern"], **({"fgColor": fg} if fg else {}), **({"bgColor": bg} if bg else {})
        )
    except (TypeError, ValueError):
        return None


def _border_of(border) -> dict:
    sides = {}
    for name in ("left", "right", "top", "bottom"):
        side = getattr(border, name, None)
        sides[name] = {"style": side.style, "color": _colour_of(side.color)} if side is not None else {}
    return sides


def _border_from(text):
    from openpyxl.styles import Border, Side

    spec = _loaded(text)
    if spec is None:
        return None
    try:
        sides = {}
        for name in ("left", "right", "top", "bottom"):
            side = spec.get(name) or {}
            color = _colour_from(side.get("color"))
            sides[name] = Side(style=side.get("style"), **({"color": color} if color else {}))
        return Border(**sides)
    except (TypeError, ValueError, AttributeError):
        return None


def _loaded(text) -> Optional[dict]:
    if not isinstance(text, str) or len(text) > 2000:
        return None
    try:
        spec = json.loads(text)
    except ValueError:
        return None
    return spec if isinstance(spec, dict) else None
