"""The gate of an .xlsx workbook (read/gate.py sends each file to its format's gate).

A reader that aborts the process (python-calamine on a sheet claiming cell XFD1048576) or eats
all memory cannot be caught afterwards, so this module looks first:

- the file is a zip holding an OOXML workbook; a password-protected workbook or an .xlsb gets a
  message saying what it is and how to save it as .xlsx; a truncated or random zip says so;
- the parts a reader reads (the workbook, its relationships, styles, shared strings and sheets)
  are inflated against a cap, never trusting the sizes the zip declares, and refused if damaged:
  bytes that do not match their CRC, a name given twice, a shared-string index naming no string,
  a part that is not well-formed XML (validator/read/wellformed.py: python-calamine reads some
  damaged XML without a word, where Excel offers to repair the file and drops what it cannot read);
- each sheet's extent, merged ranges and the text its cells name are measured from its XML, for
  every spelling XML allows (validator/sheetscan.py), and capped before any grid is built;
- formula cells without a cached value (never calculated by Excel or WPS) are listed, so they
  become findings instead of silent blanks; cells formatted as percentages too (read/formats.py).

The reader then gets a fresh archive (zipview.StoredArchive; in memory, or for a large workbook a
temporary file) of exactly the parts measured here, and the unit's cell comments for the annotated
copy (read/notes.py, never a reason to refuse): no other part, no second copy, no other end
record. Parts are inflated, measured and written one at a time, so intake holds at most one part of
a workbook. XML is parsed with defusedxml or expat without entities; nothing in a workbook is
executed; the file is only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Optional

from validator import isolate
from validator.read import formats, native, notes, sheetscan, wellformed, zipview

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DEFLATE_MOST = 1032  # DEFLATE's largest expansion: a 258-byte match in 2 bits
BOOK, BOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
ALWAYS_READ = ("[Content_Types].xml", "_rels/.rels")  # besides the workbook's own parts
# A sheet this large is measured in a child of its own while intake counts its strings here; a
# smaller one costs less to measure than a child costs to start.
BESIDE, MEASURE_TIMEOUT = 32 << 20, 600.0


class Refused(Exception):
    """The file is not taken; `key` says why, for the user's language."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Limits:
    """Caps no real return comes near; each changeable on the command line."""

    max_inflated_mb: int = 512  # a register of a million cases as Excel writes it inflates to ~270 MB
    max_rows: int = 1_048_576  # what Excel holds; the register's own cap is max_cases
    max_columns: int = 1_000
    max_cells: int = 10_000_000  # a register of a million cases in its seven columns, and room
    max_members: int = 2_000
    max_merges: int = 10_000
    max_text_mb: int = 256  # the shared strings a workbook's cells name, each cell counted: ~75 MB for
    # a million cases with three text columns
    max_cases: int = 1_000_000  # the data rows of a case register (read/reader.py)


@dataclass
class SheetFacts:
    name: str
    member: str
    state: str = "visible"  # visible | hidden | veryHidden, as workbook.xml says
    max_row: int = 0  # counted exactly only where a row past the caps was seen; else at most that
    max_column: int = 0
    uncached: set = field(default_factory=set)  # (row, col) of formulas without a cached value
    # the workbook asks to be calculated afresh when opened (calcPr fullCalcOnLoad): no cached value
    # of a formula is what Excel will show
    recalculated: bool = False
    percent: Optional[set] = None  # (row, col) of cells formatted as percentages; None: not searched


class Inspection:
    """What intake learnt of a workbook, and the reader's archive (zipview.ReaderArchive): the
    parts measured here, stored; gone when the inspection is closed."""

    kind = "xlsx"  # the format read: the other gates' inspections say theirs (read/gate.py)

    def __init__(self, sheets: list, max_merged: int = 5_000_000):
        self.sheets = sheets
        self.max_merged = max_merged  # the cells a sheet's merged ranges may cover, within its rows
        self.archive = zipview.ReaderArchive()
        self.verdicts = wellformed.Verdicts()  # large parts still being parsed, beside the read

    def __enter__(self) -> "Inspection":
        return self

    def __exit__(self, raised, *_) -> None:
        """Close; and where the work on the workbook went well, refuse it after all if a large
        part parsed beside the read was not well-formed XML."""
        try:
            found = self.verdicts.first_damaged(self._part) if raised is None else None
        finally:
            self.close()
        if found is not None:
            (key, names), damage = found
            raise Refused(key, damage=damage, **names)

    def close(self) -> None:
        self.verdicts.stop()
        self.archive.close()

    def _part(self, member: str) -> bytes:
        import zipfile

        with self.opened() as handle, zipfile.ZipFile(handle) as stored:
            return stored.read(member)

    def source(self):
        """What python-calamine opens: the archive's path, or the archive in memory."""
        return self.archive.source()

    def opened(self):
        """The archive as a binary file (openpyxl judges a path by its suffix, and ours has none)."""
        return self.archive.opened()

    def uncached(self, sheet: str) -> set:
        return next((s.uncached for s in self.sheets if s.name == sheet), set())

    def percent(self, sheet: str) -> Optional[set]:
        return next((s.percent for s in self.sheets if s.name == sheet), None)

    def state(self, sheet: str) -> str:
        """visible, hidden or veryHidden, as the workbook says of the sheet."""
        return next((s.state for s in self.sheets if s.name == sheet), "visible")

    def merges(self, sheet: str) -> None:
        """The merged ranges, where the reader cannot give them: it reads those of an .xlsx."""
        return None


def inspect_workbook(content: bytes, limits: Limits) -> Inspection:
    """Check an .xlsx file's bytes as described above; return what was learnt or raise Refused.
    Use what is returned in a with-block: a large part's damage, found beside the read, is refused
    as the block ends."""
    try:
        with zipview.open_archive(content) as archive:
            return _inspect_zip(archive, limits)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - sorted by _damage; anything else is raised again
        refusal = _damage(exc, limits)
        if refusal is None:
            raise
        raise refusal from None


def _damage(exc: Exception, limits: Limits) -> Optional[Refused]:
    """The refusal for what a damaged archive raises in zipview, zipfile, zlib, expat or struct."""
    import struct
    import zipfile
    import zlib

    if isinstance(exc, zipview.TooBig):
        return Refused("too_big", cap=limits.max_inflated_mb)
    if isinstance(exc, zipview.Damaged):
        return Refused(exc.key, **exc.params)
    if isinstance(exc, sheetscan.Unsafe):
        return Refused("unsafe_xml", detail="DOCTYPE")
    if isinstance(exc, zipfile.BadZipFile):
        crc = re.match(r"Bad CRC-32 for file '(.*)'$", str(exc))
        return Refused("bad_crc", member=crc.group(1)) if crc else Refused("truncated")
    if isinstance(
        exc,
        (
            zipfile.LargeZipFile,
            NotImplementedError,
            EOFError,
            ValueError,
            RuntimeError,
            zlib.error,
            struct.error,
            sheetscan.BadReference,
        ),
    ):
        return Refused("damaged", detail=str(exc) or type(exc).__name__)
    return None


def _inspect_zip(archive, limits: Limits) -> Inspection:
    """The sheets' facts and the reader's archive, or Refused."""
    names = archive.namelist()
    if len(names) > limits.max_members:
        raise Refused("too_many_members", count=len(names), cap=limits.max_members)
    if len(set(names)) < len(names):  # which copy a reader takes differs from reader to reader
        raise Refused("duplicate_member", member=next(name for name in names if names.count(name) > 1))
    if "xl/workbook.bin" in names:
        raise Refused("xlsb")
    if BOOK not in names or BOOK_RELS not in names:
        raise Refused("not_workbook")
    members = archive.infolist()
    if any(info.flag_bits & 0x1 for info in members):
        raise Refused("encrypted")
    budget = [limits.max_inflated_mb << 20]
    by_name = {info.filename: info for info in members}
    book = {name: zipview.member_bytes(archive, by_name[name], budget) for name in (BOOK, BOOK_RELS)}
    listed, strings_member, styles_member, afresh = _sheet_list(bytes(book[BOOK]), bytes(book[BOOK_RELS]))
    sheets = [SheetFacts(name, member, state, recalculated=afresh) for name, member, state in listed]
    inspection = Inspection(sheets, limits.max_cells)
    try:
        _copy_parts(archive, by_name, budget, book, (strings_member, styles_member), inspection, limits)
    except BaseException:
        inspection.close()
        raise
    return inspection


def _copy_parts(
    archive, by_name: dict, budget: list, book: dict, wanted: tuple, inspection: Inspection, limits: Limits
) -> None:
    """Inflate each part a reader reads, measure it, write it into the reader's archive; one at a
    time (`book`: the workbook's two parts, read already). The shared strings come before the
    sheets: a sheet's cells are checked against them."""
    strings_member, styles_member = wanted
    writer = zipview.StoredArchive(inspection.archive)
    table, percent = sheetscan.SharedStrings(), frozenset[int]()
    text = [0]
    names = (BOOK, BOOK_RELS, *ALWAYS_READ, styles_member, strings_member, *(s.member for s in inspection.sheets))
    for name in dict.fromkeys(names):
        if name not in by_name:
            continue
        data = book.pop(name) if name in book else zipview.member_bytes(archive, by_name[name], budget)
        if name == strings_member:
            table = sheetscan.SharedStrings(data)
        percent = formats.percent_styles(data) if name == styles_member else percent
        sheets = [facts for facts in inspection.sheets if facts.member == name]
        for facts in sheets:
            _check_sheet(facts, data, table, text, limits, inspection.verdicts)
            facts.percent = formats.percent_cells(data, percent)
        if not sheets and name not in (BOOK, BOOK_RELS):  # those two intake parsed already
            _judge(inspection.verdicts, data, name, ("damaged_part", {"member": name}))
        try:
            writer.add(name, data, by_name[name].CRC)
        except OSError as exc:
            raise Refused("no_scratch", detail=exc.strerror or type(exc).__name__) from None
        del data
    for part in notes.parts(archive, by_name, budget, [facts.member for facts in inspection.sheets]):
        try:
            writer.add(part.name, part.data, part.crc)
        except OSError as exc:
            raise Refused("no_scratch", detail=exc.strerror or type(exc).__name__) from None
    try:
        writer.finish()
    except OSError as exc:
        raise Refused("no_scratch", detail=exc.strerror or type(exc).__name__) from None


def _check_sheet(
    facts: SheetFacts,
    xml: sheetscan.Xml,
    table: sheetscan.SharedStrings,
    text: list,
    limits: Limits,
    verdicts: wellformed.Verdicts,
) -> None:
    """Measure a sheet and refuse one past a cap or naming a shared string that is not there;
    `text` counts the bytes of text the sheets so far name. A large sheet is measured in a child
    of its own while this process counts its merged ranges and strings: on a register of a million
    cases each takes about 2 s — unless the native pass has measured it, and found it well-formed,
    in a fraction of that. The refusals come in the same order either way."""
    scanned = native.scan(xml)
    exact = scanned if scanned is not None and scanned.plain else None
    measuring = isolate.start(_measure, (xml, limits)) if len(xml) >= BESIDE and exact is None else None
    try:
        merges, named = sheetscan.merges_and_strings(xml, table, scanned)
    except BaseException:
        if measuring is not None:
            measuring.stop()
        raise
    # the native pass counts exactly; the searches exactly once past a cap: check_size says the same
    extent = exact if exact is not None else _extent(measuring, xml, limits)
    facts.max_row, facts.max_column = extent.max_row, extent.max_column
    check_size(facts, limits)
    if merges > limits.max_merges:
        raise Refused("too_many_merges", sheet=facts.name, count=merges, cap=limits.max_merges)
    if named.bad is not None:
        raise Refused(
            "bad_shared_string", sheet=facts.name, cell=named.bad[0], index=named.bad[1], count=len(table.sizes)
        )
    text[0] += named.text
    if text[0] > limits.max_text_mb << 20:
        raise Refused("too_much_text", sheet=facts.name, size=text[0] >> 20, cap=limits.max_text_mb)
    if scanned is None:
        _judge(verdicts, xml, facts.member, ("damaged_sheet", {"sheet": facts.name, "member": facts.member}))
    formula = scanned.formula if scanned is not None else sheetscan.may_hold_formula(xml)
    if formula:
        facts.uncached = _uncached(facts, xml)


def _measure(job: tuple):
    """sheetscan.measure in a child: what it finds wrong comes back as a value, to be raised here."""
    try:
        return sheetscan.measure(*job)
    except (sheetscan.Unsafe, sheetscan.BadReference) as exc:
        return exc


def _extent(measuring, xml: sheetscan.Xml, limits: Limits) -> sheetscan.Extent:
    """The sheet's extent: from the child measuring it, or (without one, or if it could not say)
    measured here."""
    found = None
    if measuring is not None:
        try:
            found = measuring.result(MEASURE_TIMEOUT)
        except (isolate.Died, isolate.TimedOut, isolate.Failed):
            found = None
    if found is None:
        found = sheetscan.measure(xml, limits)
    if isinstance(found, Exception):
        raise found
    return found


def _judge(verdicts: wellformed.Verdicts, xml: sheetscan.Xml, member: str, refusal: tuple) -> None:
    """Refuse a part that is not well-formed XML (`refusal`: the key and what it names): a small
    one here and now, a large one after the read (Inspection.__exit__), parsed beside it."""
    if len(xml) >= wellformed.BESIDE:
        verdicts.parse_beside(refusal, member, xml)
        return
    found = wellformed.damage(xml)
    if found is not None:
        raise Refused(refusal[0], damage=found, **refusal[1])


def _uncached(facts: SheetFacts, xml: sheetscan.Xml) -> set:
    from defusedxml import DefusedXmlException, ElementTree

    try:
        return sheetscan.uncached_formulas(xml, every=facts.recalculated)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise Refused("bad_xml", member=facts.member, detail=str(exc) or type(exc).__name__) from None


def check_size(facts: SheetFacts, limits: Limits) -> None:
    """Refuse a sheet past the caps on rows, columns and cells (the .xls and .ods gates too)."""
    if facts.max_row > limits.max_rows:
        raise Refused("too_many_rows", sheet=facts.name, count=facts.max_row, cap=limits.max_rows)
    if facts.max_column > limits.max_columns:
        raise Refused("too_many_columns", sheet=facts.name, count=facts.max_column, cap=limits.max_columns)
    if facts.max_row * facts.max_column > limits.max_cells:
        raise Refused("too_many_cells", sheet=facts.name, count=facts.max_row * facts.max_column, cap=limits.max_cells)


@lru_cache(maxsize=64)
def _sheet_list(book: bytes, rels: bytes) -> tuple:
    """((sheet name, member, state) in workbook order, the shared-strings member, the styles
    member, whether it is calculated afresh on opening), from workbook.xml and its relationships. Parsed once per distinct pair: returns made
    from one template carry the same two parts."""
    from defusedxml import ElementTree

    try:
        book_root, rels_root = ElementTree.fromstring(book), ElementTree.fromstring(rels)
    except ElementTree.ParseError:
        raise Refused("not_workbook") from None
    except Exception as exc:  # defusedxml's refusals: entities, DTDs
        raise Refused("unsafe_xml", detail=type(exc).__name__) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels_root}
    sheets = []
    for sheet in book_root.iter(f"{{{MAIN_NS}}}sheet"):
        state = sheet.get("state", "visible")
        sheets.append(
            (
                sheet.get("name", ""),
                _member_of(targets.get(sheet.get(f"{{{REL_NS}}}id"), "")),
                state if state in ("hidden", "veryHidden") else "visible",
            )
        )
    calculation = book_root.find(f"{{{MAIN_NS}}}calcPr")
    afresh = calculation is not None and calculation.get("fullCalcOnLoad", "").lower() in ("1", "true")
    return (
        tuple(sheets),
        _target(rels_root, "/sharedStrings", "xl/sharedStrings.xml"),
        _target(rels_root, "/styles", "xl/styles.xml"),
        afresh,
    )


def _target(rels_root, kind: str, usual: str) -> str:
    return next((_member_of(r.get("Target", "")) for r in rels_root if r.get("Type", "").endswith(kind)), usual)


def _member_of(target: str) -> str:
    """The zip member a relationship of workbook.xml points to."""
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
