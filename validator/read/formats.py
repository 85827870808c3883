"""Which cells show their number as a percentage — the one part of a cell's number format the
reader needs. A 同比增减 cell holding 15 shows "15" in a General cell and "1500%" in a percent
cell; typed "15%" Excel stores 0.15 with a percent format. The change is judged as Excel shows it,
so the reader must know which it is (read/rows.py).

Only sheets under `MOST` bytes are searched: larger ones are case registers, which have no 同比
row, and searching their cells would cost a second a million."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Union

BUILTIN_PERCENT = {9, 10}  # 0% and 0.00%, the number formats every spreadsheet program knows
MOST = 8 << 20
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s([^<>]*)>")
_ATTRIBUTE = re.compile(rb'\b([rs])\s*=\s*"([^"]*)"')
_PLACE = re.compile(r"([A-Za-z]{1,3})0*([0-9]{1,7})")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def percent_styles(styles: Union[bytes, bytearray]) -> frozenset:
    """The indices (the cells' s="…") of the cell formats whose number format shows a percentage.
    Returns made from one template share their styles part: each distinct one is parsed once."""
    return _percent_styles(bytes(styles))


@lru_cache(maxsize=64)
def _percent_styles(styles: bytes) -> frozenset:
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(styles)
    except Exception:  # noqa: BLE001 - a damaged styles part is intake's to refuse; here it shows nothing
        return frozenset()
    percent = set(BUILTIN_PERCENT)
    for element in root.iter():
        if _local(element.tag) == "numFmt" and "%" in _QUOTED.sub("", element.get("formatCode", "")):
            percent.add(_number(element.get("numFmtId")))
    found = set()
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                if _number(xf.get("numFmtId")) in percent:
                    found.add(index)
    return frozenset(found)


def percent_cells(xml: Union[bytes, bytearray], styles: frozenset) -> Optional[set]:
    """(row, col) of the sheet's cells whose format shows a percentage; None for a sheet too large
    to search (whose numbers are then taken as percent-formatted, as before formats were read).
    Only the style attributes naming a percent format are searched for (a form has a few such
    cells among hundreds), and the cell tag around each is read."""
    if len(xml) >= MOST:
        return None
    found: set = set()
    if not styles:
        return found
    for match in _style_pattern(styles).finditer(xml):
        start, end = xml.rfind(b"<", 0, match.start()), xml.find(b">", match.end())
        tag = _CELL.fullmatch(xml[start : end + 1]) if start >= 0 and end >= 0 else None
        place = dict(_ATTRIBUTE.findall(tag.group(1))).get(b"r") if tag else None
        cell = _PLACE.fullmatch(place.decode("ascii", "replace")) if place else None
        if cell:
            found.add((int(cell.group(2)), _column(cell.group(1).upper())))
    return found


@lru_cache(maxsize=64)
def _style_pattern(styles: frozenset):
    return re.compile(rb'\ss\s*=\s*"(?:' + b"|".join(str(i).encode() for i in sorted(styles)) + rb')"')


def _number(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def _column(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
