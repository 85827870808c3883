"""What a sheet's XML holds that intake must know before any reader builds a grid from it: how far
its cells reach, the shared strings its cells name, its formulas.

python-calamine places every cell by its own reference (or, without one, after the cell before it)
and allocates the whole grid at once: a sheet whose extent is misjudged here aborts the process.
Spreadsheet programs write every row and cell start tag as `<row r="12"` / `<c r="C12"`; for such
a sheet, every `r="…"` in it is searched (an over-estimate: any attribute r anywhere counts, so a
reference given twice cannot hide) and only a sheet that reaches far is measured exactly. A sheet
spelt any other way XML allows — single quotes, spaces around `=`, a prefix, a character reference,
rows or cells without a reference — is parsed with expat instead, each cell placed as the reader
places it. `measure` is the one door to both; the caps are then the same for every spelling.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import NamedTuple, Optional, Union
from xml.parsers import expat

# The row number of a row's reference (r="12") or a cell's (r="C12"), without leading zeros: a
# cell may name a row beyond its row element's, and the reader places it by its own reference.
# Column letters may be lower case: the reader takes "xfd1048576" too.
_ROW = re.compile(rb"\sr=\"[A-Za-z]*0*(\d+)\"")
_COLUMNS_3 = re.compile(rb"r=\"([A-Za-z]{3,})\d")  # three letters or more (no real column has four)
_COLUMNS_2 = re.compile(rb"r=\"([A-Za-z]{2})\d")
# A reference with a column of three letters or more, or a row number of four digits or more: a
# sheet without one is at most 702 columns by 999 rows and need not be measured exactly where the
# caps are wider. An attribute r, plain or prefixed (x:r), is named after white space or a colon:
# an attribute whose name only ends in r — the operator="greaterThanOrEqual" of every data
# validation Excel writes — is none, and sent every such sheet to be measured piece by piece; nor
# are letters without a digit — the xmlns:r="http://…" of every sheet Excel writes. (It
# starts with a literal so that the regex engine can skip ahead, and its quantifiers are possessive
# — a letter or zero they took is never given back, since no match needs it — which halves the work
# at each of a sheet's hundreds of references.)
_FAR = re.compile(rb"r=\"(?<=[\s:]r=\")(?:[A-Za-z]{3,}+\d|[A-Za-z]{0,2}+0*+[1-9]\d{3})")
NEAR_ROWS, NEAR_COLUMNS = 999, 702
# What no spreadsheet program writes, for which the searches above would not be exact: a row or
# cell start tag whose first attribute is not r="…"; an attribute r spelt otherwise than r="letters
# digits" (spaces around =, single quotes, a character reference); a prefixed row or cell; a
# document type, whose entities could spell a reference. Each is one search (together in one
# pattern they cost five times as much).
_ODD = (
    re.compile(rb'<(?:c|row)(?:[\t\n\r/>]| (?!r="))'),
    re.compile(rb'r(?<=\sr)(?!="[A-Za-z]*[0-9]+")\s*='),
    re.compile(rb":(?:c|row)[\s/>]"),
    re.compile(rb"<!(?:DOCTYPE|ENTITY)"),
)
_DOCTYPE = _ODD[3]
# a shared-string cell (t="s", attributes in any order, either quote) and the index its value gives
_STRING_HINT = re.compile(rb"\st\s*=\s*[\"']s[\"']")
_STRING_CELL = re.compile(
    rb"<(?:\w+:)?c(\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*)>\s*<(?:\w+:)?v(?:\s[^>]*)?>\s*([^<]*?)\s*<"
)
_REFERENCE = re.compile(rb"\br\s*=\s*[\"']([^\"']*)")
_EXCEL_STRING = re.compile(rb't="s"><v>(\d+)</v>')  # as Excel and WPS write a shared-string cell
_SPACED_T, _SPACED_VALUE = re.compile(rb"t\s+="), re.compile(rb"=\s+[\"']")  # t ="s", t= "s"
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")  # an item of the shared-strings table
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")  # a prefix may hold - and . (<x-1.s:f>)
_F_THEN_END = re.compile(rb"f[\s>/]")  # what every match of _FORMULA holds
_PLACE = re.compile(r"([A-Za-z]{0,3})0*([0-9]{1,7})")
_MERGE = re.compile(rb"mergeCell[\s/>]")  # a merged range: every spelling, and more


class Unsafe(Exception):
    """The sheet declares a document type: no spreadsheet program writes one."""


class BadReference(Exception):
    """A reference no reader can place, or XML that does not parse; `text` says what."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


Xml = Union[bytes, bytearray]  # a part as intake inflates it: into one growing buffer

PIECE = 1 << 16  # a long sheet is searched piece by piece: a row past the caps is sought only where one may be


class Extent:
    """How far a sheet's cells reach, as far as the caps need to know: `max_row` is exact once it
    passes what the caps allow at the sheet's width, and 0 while nothing needed counting."""

    __slots__ = ("max_row", "max_column", "rows_checked_to")

    def __init__(self):
        self.max_row = 0
        self.max_column = 0
        self.rows_checked_to = 0  # the loosest row limit a piece was checked against


def measure(xml: Xml, caps) -> Extent:
    """The extent of a sheet, for `caps` (max_rows, max_columns, max_cells), however it is spelt."""
    found = Extent()
    if _DOCTYPE.search(xml):
        raise Unsafe()
    if any(pattern.search(xml) for pattern in _ODD[:3]):
        found.max_row, found.max_column = _parsed(xml)
    elif _FAR.search(xml) or not _near_fits(caps):
        _measure_pieces(xml, found, caps)
        if _row_limit(found, caps) < found.rows_checked_to:  # it widened after its first pieces,
            _measure_pieces(xml, found, caps)  # checked at a looser limit: a row they hold may pass it
    return found


def _measure_pieces(xml: Xml, found: Extent, caps) -> None:
    """_measure each 64 KB piece (with the end of the one before, so no reference is cut): on a
    long sheet the costly search for a row past the caps runs only on pieces whose row numbers are
    that long, which most pieces' are not."""
    for start in range(0, max(len(xml), 1), PIECE):
        _measure(xml[max(0, start - 256) : start + PIECE], found, caps)


def _near_fits(caps) -> bool:
    """Whether a sheet of at most 999 rows and 702 columns is within the caps."""
    return (
        caps.max_rows >= NEAR_ROWS and caps.max_columns >= NEAR_COLUMNS and caps.max_cells >= NEAR_ROWS * NEAR_COLUMNS
    )


def _measure(window: Xml, facts, limits) -> None:
    """Widen the sheet's known columns to this piece's, then look for a row past what the caps
    allow at that width. Rows are counted exactly only from a piece that has one — the file is
    refused then, and the message gives the count — since counting every reference of a long
    sheet costs more than reading it."""
    limit = _row_limit(facts, limits)
    if (
        facts.max_column <= 26
        and facts.max_row <= limit
        and _nothing_past(facts.max_column, limit).search(window) is None
    ):
        facts.rows_checked_to = max(facts.rows_checked_to, limit)  # what most pieces of a long sheet come to
        return
    if facts.max_column > 26 or _past(facts.max_column).search(window):
        facts.max_column = max(facts.max_column, _widest(window))
    limit = _row_limit(facts, limits)
    facts.rows_checked_to = max(facts.rows_checked_to, limit)
    if facts.max_row > limit or _row_past(window, limit):
        facts.max_row = max(facts.max_row, _highest_row(window))


def _row_limit(facts, limits) -> int:
    """The highest row a sheet of its known width may reach within the row and cell caps."""
    return min(limits.max_rows, limits.max_cells // max(facts.max_column, 1))


def _row_past(window: Xml, limit: int) -> bool:
    """Whether a reference, a row's or a cell's, names a row past `limit`."""
    as_long, past = _rows_past(limit)
    return as_long.search(window) is not None and past.search(window) is not None


@lru_cache(maxsize=64)
def _rows_past(limit: int) -> tuple:
    """(a reference whose row number is as long as `limit`'s — a quick test most pieces fail —,
    a reference whose row number is past `limit`: longer, or as long and greater at its first
    differing digit). The second wants white space before `r`: firstPageNumber="4294967295" is
    no reference. The quantifiers are possessive (as _FAR's): no match needs a letter or zero
    given back, and a register's seven million references are tried a third faster."""
    digits = str(limit)
    longer = rf"[1-9]\d{{{len(digits)},}}"
    greater = [rf"{digits[:i]}[{int(d) + 1}-9]\d{{{len(digits) - i - 1}}}" for i, d in enumerate(digits) if d != "9"]
    as_long = re.compile(rf'r="[A-Za-z]*+0*+[1-9]\d{{{len(digits) - 1}}}'.encode())
    return as_long, re.compile(rb'\sr="[A-Za-z]*+0*+(?:' + "|".join([longer, *greater]).encode() + rb')"')


def _highest_row(window: Xml) -> int:
    """The highest row a piece of sheet XML refers to, in a row's reference or a cell's."""
    rows = _ROW.findall(window)  # without leading zeros, so the longest number is the highest
    return int(max(zip(map(len, rows), rows))[1]) if rows else 0


@lru_cache(maxsize=64)
def _nothing_past(column: int, limit: int) -> re.Pattern:
    """_past(column) and the quick test of _rows_past(limit) in one search: a long sheet's pieces
    pass both, and one pass over 64 KB costs half of two."""
    wider, as_long = _past(column).pattern, _rows_past(limit)[0].pattern
    return re.compile(b'r="(?:' + wider[len(b'r="') :] + b"|" + as_long[len(b'r="') :] + b")")


@lru_cache(maxsize=None)
def _past(column: int) -> re.Pattern:
    """A reference to a column past the given one (at most Z). A long sheet's pieces rarely widen
    it, and one failed search costs less than measuring each piece afresh."""
    later = b"" if column == 26 else b"|[" + bytes([65 + column]) + b"-Z" + bytes([97 + column]) + b"-z]"
    return re.compile(b'r="(?:[A-Za-z]{2,}+' + later + b")\\d")


def _widest(window: Xml) -> int:
    """The highest column referred to in a piece of sheet XML. Long sheets (a case register of
    100 000 rows) have a handful of narrow columns: those are found by substring search, without
    making an object per cell."""
    for pattern in (_COLUMNS_3, _COLUMNS_2):
        found = set(pattern.findall(window))
        if found:
            return max(_column_number(x.decode().upper()) for x in found)
    return _widest_single(window)


@lru_cache(maxsize=None)
def _at_least(letter: int) -> re.Pattern:
    """A reference in a column from the given letter (1 = A) to Z."""
    return re.compile(b'r="[' + bytes([64 + letter]) + b"-Z" + bytes([96 + letter]) + b"-z]\\d")


def _widest_single(window: Xml) -> int:
    """The highest one-letter column referred to, by halving the range of letters."""
    low, high = 0, 26
    while low < high:
        middle = (low + high + 1) // 2
        if _at_least(middle).search(window):
            low = middle
        else:
            high = middle - 1
    return low


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _parsed(xml: Xml) -> tuple:
    """(rows, columns) from a full parse, each cell placed as the reader places it: by its
    reference, or (without one) after the cell before it in its row, in the row after the row
    before. A reference written with a prefix is taken as a reference too: whichever the reader
    heeds, the answer is never low."""
    state = {"row": 0, "col": 0, "rows": 0, "columns": 0}

    def start(name: str, attributes: dict) -> None:
        local = name.rpartition("}")[2]
        if local not in ("row", "c"):
            return
        given = [value for key, value in attributes.items() if key.rpartition("}")[2] == "r"]
        if local == "row":
            rows = [_place(value)[0] for value in given]
            state["row"] = max(rows) if rows else state["row"] + 1
            state["col"] = 0
            state["rows"] = max(state["rows"], state["row"])
            return
        places = [_place(value) for value in given] or [(state["row"], state["col"] + 1)]
        state["col"] = max(col for _, col in places)
        state["rows"] = max(state["rows"], *(row for row, _ in places))
        state["columns"] = max(state["columns"], state["col"])

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise BadReference(str(exc)) from None
    return state["rows"], state["columns"]


def _place(reference: str) -> tuple:
    """(row, column) of a reference as the reader takes it (letters in either case; a row's has none)."""
    match = _PLACE.fullmatch(reference.strip())
    if match is None:
        raise BadReference(reference[:40])
    return int(match.group(2)), _column_number(match.group(1).upper()) if match.group(1) else 0


class Strings(NamedTuple):
    """A sheet's shared-string cells: the first (cell, index as written) that is not a number or
    names no string of the workbook, or None; and the bytes of text they name, each cell counted
    (what a reader that makes a string per cell makes of them)."""

    bad: Optional[tuple]
    text: int


class SharedStrings:
    """A workbook's shared-strings table, the size of each item worked out when first asked for:
    while a large sheet is measured in a child, or never, for sheets without shared-string cells."""

    def __init__(self, xml: Xml = b""):
        self._xml: Xml = xml
        self._sizes: Optional[list] = None

    @property
    def sizes(self) -> list:
        if self._sizes is None:
            self._sizes, self._xml = string_sizes(self._xml), b""
        return self._sizes


def strings(xml: Xml, table: SharedStrings) -> Strings:
    """Check each shared-string cell's index against the workbook's strings (their sizes, the bytes
    of each): python-calamine reads "abc" as string 0 and an empty index shifts the row's cells
    left, so such a sheet would be read as something other than what it holds."""
    if (b'"s"' not in xml and b"'s'" not in xml) or _STRING_HINT.search(xml) is None:  # the first: C's find
        return Strings(None, 0)
    return _as_excel_writes(xml, table.sizes) or _any_spelling(xml, table.sizes)


def merges_and_strings(xml: Xml, table: SharedStrings, scanned=None) -> tuple:
    """(the merged ranges, strings()) of a sheet: from what the native pass read, where it did
    (`scanned`, validator/read/native.py), else by the searches it follows."""
    if scanned is None:
        return len(_MERGE.findall(xml)), strings(xml, table)
    named = strings(xml, table) if scanned.strings is None else strings_at(xml, scanned.strings, table)
    return scanned.merges, named


def strings_at(xml: Xml, indexes: list, table: SharedStrings) -> Strings:
    """strings() for a sheet whose shared-string cells' indexes the native pass has read, as
    _as_excel_writes reads them (validator/read/native.py); the bad cell named as strings() names it."""
    if not indexes:
        return Strings(None, 0)
    sizes = table.sizes
    if max(indexes) < len(sizes):
        return Strings(None, sum(map(sizes.__getitem__, indexes)))
    return _any_spelling(xml, sizes)


def _as_excel_writes(xml: Xml, sizes: list) -> Optional[Strings]:
    """The shared-string cells of a sheet spelt as Excel and WPS spell them (t="s"><v>12</v>),
    every index within the table; None for any other sheet, which _any_spelling then reads. A
    register of a million cases has three million such cells: their indexes are taken piece by
    piece, never all at once, and without the general pattern (a quarter of its time)."""
    if b"'s'" in xml or _SPACED_T.search(xml) or _SPACED_VALUE.search(xml):
        return None
    text, found = 0, 0
    for piece in _row_pieces(xml):
        indexes = _EXCEL_STRING.findall(piece)
        found += len(indexes)
        try:
            text += sum(map(sizes.__getitem__, map(int, indexes)))
        except IndexError:  # past the table: _any_spelling names the cell
            return None
    return Strings(None, text) if found == xml.count(b't="s"') else None


def _row_pieces(xml: Xml):
    """The sheet in pieces of about a megabyte, each cut just before a row's start tag: no cell is cut."""
    start = 0
    while start < len(xml):
        cut = xml.find(b"<row", start + (1 << 20))
        end = len(xml) if cut < 0 else cut
        yield xml[start:end]
        start = end


def _any_spelling(xml: Xml, sizes: list) -> Strings:
    """strings() for a sheet spelt any way XML allows: attributes in any order, either quote,
    white space, prefixes; the first bad cell named."""
    indexes = [match[1] for match in _STRING_CELL.findall(xml)]
    count = len(sizes)
    if all(map(bytes.isdigit, indexes)):  # digits only: "-5" or "1_0" would index, and wrongly
        numbers = list(map(int, indexes))
        if not numbers or max(numbers) < count:
            return Strings(None, sum(map(sizes.__getitem__, numbers)))
    for match in _STRING_CELL.finditer(xml):  # only for a refusal: to name the cell
        index = match.group(2)
        if not index.isdigit() or int(index) >= count:
            cell = _REFERENCE.search(match.group(1))
            return Strings((cell.group(1).decode(errors="replace") if cell else "?", index.decode(errors="replace")), 0)
    return Strings(None, 0)


def string_sizes(shared: Xml) -> list:
    """The size in bytes of each item of the shared-strings table, in order."""
    starts = [match.start() for match in _STRING_ITEM.finditer(shared)]
    return [end - start for start, end in zip(starts, starts[1:] + [len(shared)])]


def may_hold_formula(xml: Xml) -> bool:
    """Whether sheet XML holds a formula element. Every one has a letter f followed by a space, >
    or /, which the rest of a sheet of figures and CJK text seldom has: the regex engine finds that
    from its literal f at a third of the cost of looking for "<f" and ":f"."""
    return _F_THEN_END.search(xml) is not None and _FORMULA.search(xml) is not None


def uncached_formulas(xml: Xml, every: bool = False) -> set:
    """(row, col) of every cell holding a formula but no cached value (`every`: of every cell
    holding a formula, in a workbook calculated afresh on opening). Elements are known by their
    local names: a sheet written with another namespace, or a prefix, still holds formulas."""
    from defusedxml import ElementTree

    found = set()
    for _, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        if _local(element.tag) != "c":
            continue
        parts = {_local(child.tag): child for child in element}
        value = parts.get("v")
        if "f" in parts and (every or value is None or not (value.text or "").strip()):
            match = _PLACE.fullmatch(element.get("r", ""))
            if match and match.group(1):
                found.add((int(match.group(2)), _column_number(match.group(1).upper())))
        element.clear()
    return found


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
