"""The Workbook stream of an Excel 97-2003 (.xls) or WPS (.et) file, walked record by record
before any reader sees it: what the gate (read/legacy.py) measures and vouches for.

A BIFF8 stream is a run of records, each a 2-byte type, a 2-byte length (at most 8224) and its
data: the workbook's globals (sheets, formats, cell formats, shared strings), then each sheet
between its BOF and EOF. The walk keeps what the checks need — each sheet's name, state, the
extent its cells really reach (the DIMENSIONS record may say otherwise), its merged ranges and
the cells whose format shows a percentage — and the text its cells name; it raises Broken on a
record that runs past the stream, an offset that points nowhere, or a file protected by a
password."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Optional

MOST_RECORD = 8224
BOF, EOF, BOUNDSHEET, FILEPASS, FORMAT, XF, SST, CONTINUE = (
    0x0809,
    0x000A,
    0x0085,
    0x002F,
    0x041E,
    0x00E0,
    0x00FC,
    0x003C,
)
MERGEDCELLS, NUMBER, RK, MULRK, FORMULA, LABELSST, LABEL, BLANK, MULBLANK, BOOLERR = (
    0x00E5,
    0x0203,
    0x027E,
    0x00BD,
    0x0006,
    0x00FD,
    0x0204,
    0x0201,
    0x00BE,
    0x0205,
)
STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}
BUILTIN_PERCENT = {9, 10}


class Broken(Exception):
    """The stream is not what it claims: `detail` says where."""


class Protected(Exception):
    """The workbook is encrypted (a FILEPASS record)."""


@dataclass
class Sheet:
    name: str
    state: str
    offset: int  # of its BOF in the stream
    max_row: int = 0  # the last row and column a cell record reaches, 1-based
    max_column: int = 0
    cells: int = 0
    merges: list = field(default_factory=list)  # (first_row, first_col, last_row, last_col), 1-based
    percent: set = field(default_factory=set)  # (row, col) of cells formatted as percentages
    text: int = 0  # characters of shared strings its cells name, each cell counted


@dataclass
class Book:
    sheets: list
    strings: list  # the characters of each shared string
    worksheets: list = field(default_factory=list)  # the sheets that are worksheets, as readers list them


def walk(stream: bytes) -> Book:
    """The workbook's sheets as its records show them; Broken or Protected."""
    try:
        return _walk(stream)
    except struct.error as exc:  # a record too short for what its type holds
        raise Broken(str(exc)) from None


def _walk(stream: bytes) -> Book:
    records = list(_records(stream))
    sheets, formats, styles, strings = _globals(records)
    by_offset = {sheet.offset: sheet for sheet in sheets}
    percent_styles = {i for i, fmt in enumerate(styles) if fmt in formats}
    current: Optional[Sheet] = None
    for at, kind, data in records:
        if kind == BOF and at in by_offset:
            current = by_offset.pop(at)
        elif kind == EOF:
            current = None
        elif current is not None:
            _cell_record(current, kind, data, percent_styles, strings)
    if by_offset:
        raise Broken(f"sheet offset {min(by_offset)} holds no BOF record")
    return Book(sheets, strings)


def _records(stream: bytes):
    at, end = 0, len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        if length > MOST_RECORD or at + 4 + length > end:
            raise Broken(f"record 0x{kind:04X} at offset {at} runs past the stream")
        if kind == FILEPASS:
            raise Protected()
        yield at, kind, stream[at + 4 : at + 4 + length]
        at += 4 + length


def _globals(records: list) -> tuple:
    """(sheets, percent number formats, each XF's number format, shared-string lengths) from the
    records before the first sheet."""
    sheets, formats, styles, strings = [], set(BUILTIN_PERCENT), [], []
    for index, (_, kind, data) in enumerate(records):
        if kind == EOF:
            break
        if kind == BOUNDSHEET and len(data) >= 8:
            offset, state, sheet_type = struct.unpack_from("<IBB", data)
            if sheet_type == 0:
                sheets.append(Sheet(_short_text(data, 6), STATES.get(state & 3, "visible"), offset))
        elif kind == FORMAT and len(data) >= 5:
            code = _long_text(data, 2)
            if "%" in _unquoted(code):
                formats.add(struct.unpack_from("<H", data)[0])
        elif kind == XF and len(data) >= 4:
            styles.append(struct.unpack_from("<H", data, 2)[0])
        elif kind == SST:
            strings = _string_lengths(records, index)
    return sheets, formats, styles, strings


def _cell_record(sheet: Sheet, kind: int, data: bytes, percent_styles: set, strings: list) -> None:
    if kind == MERGEDCELLS and len(data) >= 2:
        count = min(struct.unpack_from("<H", data)[0], (len(data) - 2) // 8)
        for k in range(count):
            r1, r2, c1, c2 = struct.unpack_from("<HHHH", data, 2 + 8 * k)
            sheet.merges.append((r1 + 1, c1 + 1, r2 + 1, c2 + 1))
        return
    if kind in (NUMBER, RK, FORMULA, LABELSST, LABEL, BOOLERR, BLANK) and len(data) >= 6:
        row, col, style = struct.unpack_from("<HHH", data)
        _reach(sheet, row, col, style, percent_styles)
        if kind == LABELSST and len(data) >= 10:
            index = struct.unpack_from("<I", data, 6)[0]
            if index >= len(strings):
                raise Broken(f"a cell names shared string {index} of {len(strings)}")
            sheet.text += strings[index]
    elif kind in (MULRK, MULBLANK) and len(data) >= 6:
        row, first = struct.unpack_from("<HH", data)
        step = 6 if kind == MULRK else 2
        for k in range((len(data) - 6) // step):
            _reach(sheet, row, first + k, struct.unpack_from("<H", data, 4 + step * k)[0], percent_styles)


def _reach(sheet: Sheet, row: int, col: int, style: int, percent_styles: set) -> None:
    sheet.cells += 1
    sheet.max_row, sheet.max_column = max(sheet.max_row, row + 1), max(sheet.max_column, col + 1)
    if style in percent_styles:
        sheet.percent.add((row + 1, col + 1))


def _string_lengths(records: list, index: int) -> list:
    """The length in characters of each shared string, walking the SST record and the CONTINUE
    records after it: a string's characters may run on into the next record (which then starts
    with a byte of flags), and so may its formatting runs."""
    head = records[index][2]
    chunks = [head[8:]]
    for _, kind, data in records[index + 1 :]:
        if kind != CONTINUE:
            break
        chunks.append(data)
    total = struct.unpack_from("<I", head, 4)[0] if len(head) >= 8 else 0
    lengths: list = []
    chunk, at = 0, 0
    while len(lengths) < total:
        while chunk < len(chunks) and at >= len(chunks[chunk]):
            at -= len(chunks[chunk])
            chunk += 1
        if chunk >= len(chunks):
            raise Broken(f"the string table holds {len(lengths)} of the {total} strings it declares")
        data = chunks[chunk]
        count, flags = struct.unpack_from("<HB", data, at)
        at += 3
        runs = struct.unpack_from("<H", data, at)[0] if flags & 0x8 else 0
        at += 2 if flags & 0x8 else 0
        extra = struct.unpack_from("<I", data, at)[0] if flags & 0x4 else 0
        at += 4 if flags & 0x4 else 0
        left, wide = count, flags & 0x1
        while True:
            taken = min(left, max(0, len(data) - at) // (2 if wide else 1))
            left, at = left - taken, at + taken * (2 if wide else 1)
            if not left:
                break
            chunk += 1  # the characters go on in the next CONTINUE, after its byte of flags
            if chunk >= len(chunks) or not chunks[chunk]:
                raise Broken("a shared string runs past the end of the string table")
            data, at = chunks[chunk], 1
            wide = data[0] & 0x1
        at += 4 * runs + extra
        lengths.append(count)
    return lengths


def _short_text(data: bytes, at: int) -> str:
    count, flags = data[at], data[at + 1] if at + 1 < len(data) else 0
    raw = data[at + 2 : at + 2 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _long_text(data: bytes, at: int) -> str:
    count, flags = struct.unpack_from("<HB", data, at)
    raw = data[at + 3 : at + 3 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _unquoted(code: str) -> str:
    out, quoted, escaped = [], False, False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted:
            out.append(char)
    return "".join(out)
