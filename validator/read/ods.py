"""The gate of an OpenDocument spreadsheet (.ods, as LibreOffice saves a return).

An .ods is a zip, taken through the same checks as an .xlsx (its members counted, each inflated
against the size cap, never trusting what the zip declares; a name given twice, an encrypted part
refused). Its sheets are all in content.xml, which must be well-formed XML without a document
type (read/wellformed.py) and is then walked once by expat for what the checks need:

- each table's real extent, counting `table:number-rows-repeated` and `number-columns-repeated`
  only where the repeated cells hold something: LibreOffice pads every sheet with a million empty
  rows, while a million repeated rows that hold a figure are the .ods zip bomb, refused by the
  same caps as an .xlsx sheet's (rows, columns, cells);
- merged ranges (`number-columns-spanned`, `number-rows-spanned`), which python-calamine does not
  give for .ods: the reader takes them from here, capped in number;
- hidden tables (a table style with table:display="false"), cells formatted as percentages
  (office:value-type="percentage") and formulas without a calculated value.

The reader then reads a fresh archive of the parts vouched for (mimetype, content.xml, styles.xml,
META-INF/manifest.xml), stored, nothing else.
"""

from __future__ import annotations

import io
from typing import Optional
from xml.parsers import expat

from validator.read import wellformed, zipview
from validator.read.gate import Vouched, check_extent
from validator.read.intake import Limits, Refused, SheetFacts

CONTENT = "content.xml"
PARTS = ("mimetype", CONTENT, "styles.xml", "META-INF/manifest.xml")
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_VALUES = tuple(f"{OFFICE} {name}" for name in ("value", "string-value", "boolean-value", "date-value", "time-value"))


def inspect(content: bytes, limits: Limits) -> Vouched:
    parts = _parts(content, limits)
    manifest = bytes(parts.get("META-INF/manifest.xml", b""))
    if b"encryption-data" in manifest:
        raise Refused("encrypted")
    if CONTENT not in parts:
        raise Refused("damaged", detail="no content.xml")
    damage = wellformed.damage(parts[CONTENT])
    if damage is not None:
        raise Refused("damaged_part", member=CONTENT, damage=damage)
    walk = _Walk(limits)
    walk.run(parts[CONTENT])
    sheets = []
    for table in walk.tables:
        facts = SheetFacts(table.name, "", table.state(walk.hidden_styles), table.max_row, table.max_column)
        facts.uncached, facts.percent = table.uncached, table.percent
        check_extent(facts, limits, len(table.merges), 0)
        sheets.append(facts)
    if not sheets:
        raise Refused("damaged", detail="no table in content.xml")
    return Vouched("ods", _stored(parts), sheets, limits, {t.name: t.merges for t in walk.tables})


def _parts(content: bytes, limits: Limits) -> dict:
    """The parts the reader reads, inflated against the cap; Refused for a damaged archive."""
    budget = [limits.max_inflated_mb << 20]
    try:
        with zipview.open_archive(content) as archive:
            members = archive.infolist()
            names = [info.filename for info in members]
            if len(names) > limits.max_members:
                raise Refused("too_many_members", count=len(names), cap=limits.max_members)
            if len(set(names)) < len(names):
                raise Refused("duplicate_member", member=next(n for n in names if names.count(n) > 1))
            if any(info.flag_bits & 0x1 for info in members):
                raise Refused("encrypted")
            return {
                info.filename: zipview.member_bytes(archive, info, budget) for info in members if info.filename in PARTS
            }
    except Refused:
        raise
    except zipview.TooBig:
        raise Refused("too_big", cap=limits.max_inflated_mb) from None
    except zipview.Damaged as exc:
        raise Refused(exc.key, **exc.params) from None
    except Exception as exc:  # noqa: BLE001 - zipfile and zlib raise many kinds on a damaged archive
        raise Refused("damaged", detail=f"{type(exc).__name__}: {exc}"[:200]) from None


def _stored(parts: dict) -> bytes:
    """The reader's archive: the parts vouched for, stored, the mimetype first as ODF asks."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in PARTS:
            if name in parts:
                archive.writestr(name, bytes(parts[name]))
    return buffer.getvalue()


class _Table:
    def __init__(self, name: str, style: str):
        self.name, self.style = name, style
        self.max_row = self.max_column = 0
        self.merges: list = []
        self.percent: set = set()
        self.uncached: set = set()

    def state(self, hidden_styles: set) -> str:
        return "hidden" if self.style in hidden_styles else "visible"


class _Walk:
    """content.xml walked once (expat, namespaces resolved): the tables and what they hold."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.tables: list = []
        self.hidden_styles: set = set()
        self._style = ""  # the table style being read
        self._row = self._rows = self._col = 0  # the row (1-based), its repeat, the next column
        self._cell: Optional[list] = None  # [row, col, rows, cols, held] of the cell being read

    def run(self, xml) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.CharacterDataHandler = self._text
        try:
            parser.Parse(bytes(xml), True)
        except expat.ExpatError as exc:  # well-formed, yet a prefix no namespace declares
            raise Refused("damaged", detail=f"{CONTENT}: {exc}"[:200]) from None

    def _start(self, tag: str, attributes: dict) -> None:
        if tag == f"{STYLE} style" and attributes.get(f"{STYLE} family") == "table":
            self._style = attributes.get(f"{STYLE} name", "")
        elif tag == f"{STYLE} table-properties" and attributes.get(f"{TABLE} display") == "false":
            self.hidden_styles.add(self._style)
        elif tag == f"{TABLE} table":
            self.tables.append(_Table(attributes.get(f"{TABLE} name", ""), attributes.get(f"{TABLE} style-name", "")))
            self._row = self._rows = 0
        elif tag == f"{TABLE} table-row" and self.tables:
            self._row += self._rows
            self._rows, self._col = _count(attributes, "number-rows-repeated"), 1
            self._row = max(self._row, 1)
        elif tag in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell") and self.tables:
            self._open_cell(attributes)

    def _open_cell(self, attributes: dict) -> None:
        table, cols = self.tables[-1], _count(attributes, "number-columns-repeated")
        row, col = self._row, self._col
        self._col += cols
        held = any(name in attributes for name in _VALUES) or f"{OFFICE} value-type" in attributes
        self._cell = [row, col, self._rows, cols, held]
        spans = (_count(attributes, "number-rows-spanned"), _count(attributes, "number-columns-spanned"))
        if spans != (1, 1):
            for k in range(min(cols, self.limits.max_merges + 1)):
                table.merges.append((row, col + k, row + spans[0] - 1, col + k + spans[1] - 1))
            if len(table.merges) > self.limits.max_merges:
                raise Refused("too_many_merges", sheet=table.name, count=len(table.merges), cap=self.limits.max_merges)
        if attributes.get(f"{OFFICE} value-type") == "percentage" and cols * self._rows <= 1024:
            table.percent.update((row + r, col + c) for r in range(self._rows) for c in range(cols))
        if f"{TABLE} formula" in attributes and not any(name in attributes for name in _VALUES):
            table.uncached.add((row, col))

    def _text(self, data: str) -> None:
        if self._cell is not None and data.strip():
            self._cell[4] = True

    def _end(self, tag: str) -> None:
        if tag in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell") and self._cell is not None:
            row, col, rows, cols, held = self._cell
            self._cell = None
            if held:
                table = self.tables[-1]
                table.max_row = max(table.max_row, row + rows - 1)
                table.max_column = max(table.max_column, col + cols - 1)
                if table.max_row > self.limits.max_rows or table.max_row * table.max_column > self.limits.max_cells:
                    check_extent(SheetFacts(table.name, "", "", table.max_row, table.max_column), self.limits, 0, 0)


def _count(attributes: dict, name: str) -> int:
    try:
        return max(1, int(attributes.get(f"{TABLE} {name}", "1")))
    except ValueError:
        return 1
