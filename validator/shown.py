"""What a text from outside — a unit name, a file name, a cell's text quoted in a message — becomes
where people see it. Every reporter passes its texts through here, so that no name can steer a
terminal, turn into a formula in a workbook, or stop a report from being written.

- `name`: a file name as the file system has it. Python keeps bytes that are not UTF-8 as lone
  surrogates, which no UTF-8 report can hold; such a name is read as GB 18030 (what Chinese
  Windows writes) where it is that, else shown with its bytes escaped.
- `for_terminal`: control characters (ESC starts a terminal sequence, BEL rings) and the
  invisible direction marks (U+202E turns "exe.xslx" round) are shown as escapes, \\x1b, \\u202e.
- `for_markup`: the same for XML and JSON documents read by other programs (JUnit, SARIF), which
  also cannot hold U+FFFE and U+FFFF.
- `for_workbook`: control characters and direction marks likewise (openpyxl refuses the first;
  Excel reads "_x001B_" as one, so a literal "_x" is escaped as OOXML says); the caller writes the
  result as text, never a formula (see `text_cell`).
"""

from __future__ import annotations

import os
import re

_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if code not in (0x09, 0x0A)}
_MARKS = {code: f"\\u{code:04x}" for code in (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_VISIBLE = str.maketrans({**_CONTROLS, **_MARKS})
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def name(text: str) -> str:
    """A text as people should read it, where it may hold a file name's undecodable bytes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text) if isinstance(text, str) else text
        for codec in ("utf-8", "gb18030"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                continue
        return raw.decode("utf-8", "backslashreplace")


def for_terminal(text) -> str:
    return name(str(text)).translate(_VISIBLE)


def for_markup(text) -> str:
    return for_terminal(text).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")


def for_workbook(text, ooxml_escape: bool = True) -> str:
    """`ooxml_escape=False` for a writer that escapes a literal "_x001B_" itself (XlsxWriter)."""
    shown = name(str(text)).translate(_VISIBLE)
    return _OOXML_ESCAPE.sub(r"_x005F_\1", shown) if ooxml_escape else shown


def text_row(sheet, values) -> None:
    """Append a row to an openpyxl sheet, each text put as `text_cell` puts it. The cells are made
    here and appended: finding the row again (`sheet[sheet.max_row]`) scans every cell of the
    sheet, which made a 1,000-row sheet quadratic."""
    from openpyxl.cell import Cell

    row = []
    for value in values:
        cell = Cell(sheet)
        text_cell(cell, value)
        row.append(cell)
    sheet.append(row)


def text_cell(cell, value) -> None:
    """Put `value` in an openpyxl cell: a text always as text (openpyxl takes "=…" for a formula)."""
    if isinstance(value, str):
        cell.value = for_workbook(value)
        cell.data_type = "s"
    else:
        cell.value = value
