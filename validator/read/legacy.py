"""The gate of an Excel 97-2003 (.xls) or WPS (.et) return: a compound document whose Workbook
stream holds the workbook as BIFF8 records.

The compound document's structure — its sector chains, FAT and DIFAT, the directory, the stream
sizes — is read by olefile, which refuses chains that loop or point past the file; the Workbook
stream is then walked record by record (read/biff.py: lengths, offsets, the shared-string table)
and each sheet's real extent, merged ranges and the text its cells name are capped as an .xlsx
sheet's are. A file protected by a password (an EncryptedPackage stream, a FILEPASS record), one
that is not a workbook (a .doc), and BIFF5 (Excel 95) are refused saying what they are.

python-calamine then reads the file as read once here. It parses the compound document again,
natively: a file on which it and olefile would disagree is contained where every read is (in a
child process, read/grid.py's callers), and the checks above bound what it can be asked to build.
"""

from __future__ import annotations

import io

from validator.read import biff
from validator.read.gate import Vouched, check_extent
from validator.read.intake import Limits, Refused, SheetFacts


def inspect(content: bytes, limits: Limits) -> Vouched:
    stream = _workbook_stream(content, limits)
    try:
        book = biff.walk(stream)
    except biff.Protected:
        raise Refused("encrypted") from None
    except biff.Broken as exc:
        raise Refused("damaged_ole", detail=str(exc)[:200]) from None
    if not book.sheets:
        raise Refused("damaged_ole", detail="no worksheet")
    if len(book.sheets) > limits.max_members:
        raise Refused("too_many_members", count=len(book.sheets), cap=limits.max_members)
    sheets = []
    for sheet in book.sheets:
        facts = SheetFacts(sheet.name, "", sheet.state, sheet.max_row, sheet.max_column, percent=sheet.percent)
        check_extent(facts, limits, len(sheet.merges), sheet.text)
        sheets.append(facts)
    return Vouched("xls", content, sheets, limits)


def _workbook_stream(content: bytes, limits: Limits) -> bytes:
    import olefile

    if "EncryptedPackage".encode("utf-16-le") in content:  # an .xlsx locked with a password
        raise Refused("encrypted")
    try:
        document = olefile.OleFileIO(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - olefile raises many kinds on a damaged structure
        raise Refused("damaged_ole", detail=f"{exc}"[:200]) from None
    with document:
        names = {"/".join(entry) for entry in document.listdir(streams=True, storages=False)}
        name = next((n for n in ("Workbook", "WORKBOOK", "workbook") if n in names), None)
        if name is None:
            raise Refused("old_biff" if "Book" in names else "not_xls")
        size = document.get_size(name)
        if size > limits.max_inflated_mb << 20:
            raise Refused("too_big", cap=limits.max_inflated_mb)
        if size > len(content):  # nothing in a compound document is compressed
            raise Refused("damaged_ole", detail=f"Workbook declares {size} bytes in a file of {len(content)}")
        try:
            stream = document.openstream(name).read()
        except Exception as exc:  # noqa: BLE001 - a chain olefile cannot follow to the stream's size
            raise Refused("damaged_ole", detail=f"Workbook: {exc}"[:200]) from None
    if len(stream) != size:
        raise Refused("damaged_ole", detail=f"Workbook: {len(stream)} of {size} bytes")
    return stream
