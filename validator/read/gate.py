"""Which gate a file goes through, by what its bytes are: an .xlsx workbook (read/intake.py), an
Excel 97-2003 .xls or WPS .et compound document (read/legacy.py), an OpenDocument .ods
spreadsheet (read/ods.py). Only a regular file is read, its size known before reading: a folder,
a named pipe, a device, a broken or looping link gets a message saying what it is; an empty or
random file says so. Each gate measures what its readers will read and refuses what it cannot
vouch for; what it returns (an intake.Inspection, or a Vouched here) is what the reader reads."""

from __future__ import annotations

import io
from typing import Optional

from validator import files
from validator.read.intake import Limits, Refused, SheetFacts, check_size, inspect_workbook

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def inspect(path: str, limits: Optional[Limits] = None):
    """What the file's gate learnt of it (used in a with-block), or Refused."""
    limits = limits or Limits()
    content = _read_regular(path, limits)
    if not content:
        raise Refused("empty")
    if content.startswith(OLE2_MAGIC):
        from validator.read import legacy

        return legacy.inspect(content, limits)
    if not content.startswith(b"PK"):
        raise Refused("not_zip")
    if _is_ods(content):
        from validator.read import ods

        return ods.inspect(content, limits)
    return inspect_workbook(content, limits)


def _is_ods(content: bytes) -> bool:
    """An OpenDocument file begins with its stored `mimetype` member (ODF 1.2, part 3, 3.3)."""
    return content[30:38] == b"mimetype" and ODS_MIMETYPE in content[38 : 38 + 80]


def _read_regular(path: str, limits: Limits) -> bytes:
    """The bytes of a regular file (validator/files.py); anything else is refused saying what it is."""
    try:
        return files.read_bytes(path, limits.max_inflated_mb)
    except files.UnreadableInput as exc:
        raise Refused("file_too_big" if exc.key == "too_big" else exc.key, **exc.params) from None


class Vouched:
    """What the .xls or .ods gate learnt of a workbook, with the same questions as an
    intake.Inspection, and the bytes the reader reads (the file as read once)."""

    def __init__(self, kind: str, content: bytes, sheets: list, limits: Limits, merges: Optional[dict] = None):
        self.kind, self.content, self.sheets = kind, content, sheets
        self.max_merged = limits.max_cells
        self._merges = merges  # sheet -> ranges, where the reader cannot give them (.ods)

    def __enter__(self) -> "Vouched":
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        self.content = b""

    def source(self):
        return io.BytesIO(self.content)

    def uncached(self, sheet: str) -> set:
        return next((s.uncached for s in self.sheets if s.name == sheet), set())

    def state(self, sheet: str) -> str:
        return next((s.state for s in self.sheets if s.name == sheet), "visible")

    def percent(self, sheet: str) -> Optional[set]:
        return next((s.percent for s in self.sheets if s.name == sheet), None)

    def merges(self, sheet: str) -> Optional[tuple]:
        return None if self._merges is None else tuple(self._merges.get(sheet, ()))


def check_extent(facts: SheetFacts, limits: Limits, merges: int, text: int) -> None:
    """Refuse a sheet past a cap, as intake refuses an .xlsx sheet."""
    check_size(facts, limits)
    if merges > limits.max_merges:
        raise Refused("too_many_merges", sheet=facts.name, count=merges, cap=limits.max_merges)
    if text > limits.max_text_mb << 20:
        raise Refused("too_much_text", sheet=facts.name, size=text >> 20, cap=limits.max_text_mb)
