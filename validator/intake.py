"""The gate every file passes before any reader touches it.

A reader that aborts the process (python-calamine on a sheet claiming cell XFD1048576) or eats
all memory (openpyxl on a zip bomb) cannot be caught afterwards, so this module looks first:

- the file is a zip holding an OOXML workbook; an old .xls, a password-protected workbook (both
  OLE2 files), a WPS .et or an .xlsb gets a message saying what it is and how to save it as .xlsx;
  an empty, truncated or random file says so;
- no member may inflate past a cap, never trusting the sizes the zip declares: where the
  compressed sizes alone prove it cannot (DEFLATE expands at most 1032-fold), only the sheets
  are inflated; otherwise every member is inflated while streaming and what comes out counted;
- each sheet's rows and columns are read from its XML and capped before a dense grid is built;
- formula cells without a cached value (never calculated by Excel or WPS) are listed, so they
  become findings instead of silent blanks.

A small file is handed on with the members inflated here stored inflated, so that the reader does
not inflate them again; its bytes are otherwise as they came.

XML is parsed with defusedxml; nothing in a workbook is executed; the file is only read.
"""

from __future__ import annotations

import io
import math
import os
import re
import struct
import zlib
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple, Optional

if TYPE_CHECKING:
    import zipfile

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHUNK = 1 << 16
HEAD = 1 << 20  # files smaller than this are read whole, once
KEEP_INFLATED = 16 << 20  # the most inflated bytes of such a file kept for its reader (_PlainArchive.stored)
DEFLATE_MOST = 1032  # DEFLATE's largest expansion: a 258-byte match in 2 bits
STORED, DEFLATED, MAX_EXTRACT_VERSION = 0, 8, 63  # zipfile's ZIP_STORED, ZIP_DEFLATED and the newest version it reads
UTF8_NAMES, DOS_1980 = 0x800, 0x21  # a member's flag for UTF-8 names; 1 January 1980 as a DOS date
# The row number of a row's reference (r="12") or a cell's (r="C12"), without leading zeros: a
# cell may name a row beyond its row element's, and the reader places it by its own reference.
# Column letters may be lower case: the reader takes "xfd1048576" too.
_ROW = re.compile(rb"\sr=\"[A-Za-z]*0*(\d+)\"")
_COLUMNS_3 = re.compile(rb"r=\"([A-Za-z]{3,})\d")  # three letters or more (no real column has four)
_COLUMNS_2 = re.compile(rb"r=\"([A-Za-z]{2})\d")
# a zip member's local header: signature, version, flags, method, time, date, CRC, sizes, name and
# extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_F_THEN_END = re.compile(rb"f[\s>/]")  # what every match of _FORMULA holds
# A reference with a column of three letters or more, or a row number of four digits or more: a
# sheet without one is at most 702 columns by 999 rows, far inside every cap, and need not be
# measured exactly. (It starts with a literal so that the regex engine can skip ahead, and its
# quantifiers are possessive — a letter or zero they took is never given back, since no match needs
# it — which halves the work at each of a sheet's hundreds of references; a match inside another
# attribute's name only costs an exact measurement, never a missed one.)
# A cell of type shared string (t="s") and the index its value gives; the attributes in any order
# and either quote. The hint is the cheap test most sheets of figures and inline text fail.
_STRING_CELL_HINT = re.compile(rb"\st\s*=\s*[\"']s[\"']")
_STRING_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*<(?:\w+:)?v(?:\s[^>]*)?>\s*([^<]*?)\s*<")
_STRING_CELL_AT = re.compile(rb"<(?:\w+:)?c(\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*)>\s*<(?:\w+:)?v(?:\s[^>]*)?>\s*([^<]*?)\s*<")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")  # an item of the shared-strings table
_FAR = re.compile(rb"r=\"[A-Za-z]{0,2}+(?:[A-Za-z]|0*+[1-9]\d{3})")


class Refused(Exception):
    """The file is not taken; `key` says why, for the user's language."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Limits:
    """Caps no real return comes near; changeable on the command line."""

    max_inflated_mb: int = 128
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 5_000_000
    max_members: int = 2_000


@dataclass
class SheetFacts:
    name: str
    member: str
    state: str = "visible"  # visible | hidden | veryHidden, as workbook.xml says
    max_row: int = 0  # counted only where a row past the caps was seen; else 0
    max_column: int = 0
    rows_checked_to: int = 0  # the loosest row limit a piece was checked against
    max_string: int = -1  # the highest shared-string index a cell refers to
    bad_string: bool = False  # a shared-string cell whose index is not a number
    uncached: set = field(default_factory=set)  # (row, col) of formulas without a cached value


@dataclass
class Inspection:
    sheets: list = field(default_factory=list)
    # the whole file, where it was small enough to be read at once: as it came, or with the members
    # intake inflated stored inflated (see _PlainArchive.stored)
    content: Optional[bytes] = None

    def source(self, path: str):
        """What a reader should open: the bytes already read, or the path."""
        return io.BytesIO(self.content) if self.content is not None else path

    def uncached(self, sheet: str) -> set:
        return next((s.uncached for s in self.sheets if s.name == sheet), set())

    def state(self, sheet: str) -> str:
        """visible, hidden or veryHidden, as the workbook says of the sheet."""
        return next((s.state for s in self.sheets if s.name == sheet), "visible")


def inspect(path: str, limits: Optional[Limits] = None) -> Inspection:
    """Check the file as described above; return what was learnt or raise Refused."""
    head = _check_magic(path)
    # a small file is read once, here; a large one is streamed from disk
    content = head if len(head) < HEAD else None
    try:
        plain = _plain_archive(content) if content is not None else None
        with plain or _zip_file(io.BytesIO(content) if content is not None else path) as archive:
            sheets = _inspect_zip(archive, limits or Limits(), content)
        return Inspection(sheets, plain.stored() if plain is not None else content)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - sorted by _damage; anything else is raised again
        refusal = _damage(exc)
        if refusal is None:
            raise
        raise refusal from None


def _zip_file(source):
    """zipfile.ZipFile(source): zipfile is imported only where it is used (a return read with
    struct needs none of it, and importing it costs `formcheck check` a tenth of its start-up)."""
    import zipfile

    return zipfile.ZipFile(source)


def _damage(exc: Exception) -> Optional[Refused]:
    """The refusal for what a damaged archive raises in zipfile, zlib or struct; None otherwise."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        crc = re.match(r"Bad CRC-32 for file '(.*)'$", str(exc))
        return Refused("bad_crc", member=crc.group(1)) if crc else Refused("truncated")
    if isinstance(exc, (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, RuntimeError, zlib.error,
                        struct.error)):
        return Refused("damaged", detail=str(exc) or type(exc).__name__)
    return None


def _check_magic(path: str) -> bytes:
    try:
        with open(path, "rb", buffering=0) as handle:  # read once: a buffer would only be copied from
            # a small file is read in one go, without a 1 MB buffer for a 20 KB file
            head = handle.readall() if os.fstat(handle.fileno()).st_size < HEAD else handle.read(HEAD)
    except FileNotFoundError:
        raise Refused("missing") from None
    except IsADirectoryError:
        raise Refused("directory") from None
    except OSError as exc:
        raise Refused("unreadable", detail=exc.strerror or str(exc)) from None
    if not head:
        raise Refused("empty")
    if head.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in head:
            raise Refused("encrypted")
        raise Refused("wps_et" if path.lower().endswith(".et") else "xls")
    if not head.startswith(b"PK"):
        raise Refused("not_zip")
    return head


def _inspect_zip(archive: zipfile.ZipFile, limits: Limits, content: Optional[bytes]) -> list:
    """The sheets' facts, or Refused. `content` is the file's bytes, if it was read whole."""
    names = archive.namelist()
    if len(names) > limits.max_members:
        raise Refused("too_many_members", count=len(names), cap=limits.max_members)
    if len(set(names)) < len(names):  # which copy a reader takes differs from reader to reader
        twice = next(name for name in names if names.count(name) > 1)
        raise Refused("duplicate_member", member=twice)
    if "xl/workbook.bin" in names:
        raise Refused("xlsb")
    if "xl/workbook.xml" not in names:
        raise Refused("not_workbook")
    members = archive.infolist()
    if any(info.flag_bits & 0x1 for info in members):
        raise Refused("encrypted")
    cap = limits.max_inflated_mb * 1024 * 1024
    bounded = _most_inflated(members) <= cap
    budget = [cap]
    read = _member_reader(archive, content if bounded else None)
    sheets, strings_member = _sheet_members(read)
    by_member = {s.member: s for s in sheets}
    strings = 0
    for info in members:
        facts = by_member.get(info.filename)
        if bounded and facts is None and info.filename != strings_member:
            continue  # it cannot inflate past the cap, and holds nothing to measure
        chunks = (read(info),) if bounded else _inflate(archive, info, budget, limits)
        if info.filename == strings_member:
            strings = sum(len(_STRING_ITEM.findall(chunk)) for chunk in chunks)
            continue
        has_formula = _scan(chunks, facts, limits, exact=not bounded)
        if facts is not None:
            if facts.max_row <= _row_limit(facts, limits) < facts.rows_checked_to:
                # the sheet widened after its first pieces, whose rows met a looser limit
                _scan(_inflate(archive, info, [math.inf], limits), facts, limits, exact=True)
            _check_size(facts, limits)
            if has_formula:
                facts.uncached = _uncached_formulas(archive, info.filename)
    for facts in sheets:
        _check_string_indexes(archive, facts, strings)
    return sheets


def _most_inflated(members: list) -> float:
    """The most bytes the members can inflate to, whatever sizes they declare. Readers take at
    most a member's compressed size from the archive, and DEFLATE expands at most 1032-fold;
    other methods (bzip2, LZMA) have no such bound."""
    if any(info.compress_type not in (STORED, DEFLATED) for info in members):
        return math.inf
    return sum(info.compress_size for info in members) * DEFLATE_MOST


def _inflate(archive, info, budget: list, limits: Limits):
    """A member's bytes, piece by piece, counted against the cap as they come out."""
    with archive.open(info) as member:
        while True:
            chunk = member.read(CHUNK)
            if not chunk:
                return
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise Refused("too_big", cap=limits.max_inflated_mb)
            yield chunk


def _scan(chunks, facts, limits: Limits, exact: bool) -> bool:
    """Read a member through; for a sheet, note its extent, the shared strings it refers to and
    whether it holds formulas.

    Unless `exact`, a sheet is measured only if it reaches far (see _FAR): that suffices when
    the whole sheet comes as one piece, since nothing short of far can break a cap."""
    has_formula, measuring, tail = False, exact, b""
    for chunk in chunks:
        if facts is None:
            continue
        window = tail + chunk
        if not measuring and _FAR.search(window) is not None:
            measuring = True
        if measuring:
            _measure(window, facts, limits)
        has_formula = has_formula or _may_hold_formula(window)
        _note_string_indexes(window, facts)
        tail = window[-256:]
    return has_formula


def _note_string_indexes(window: bytes, facts: SheetFacts) -> None:
    """Note the highest shared-string index a piece of sheet XML refers to, and whether any is not
    a number: python-calamine reads "abc" as string 0 and an empty index shifts the row's cells
    left, so such a file would be read as something other than what it holds."""
    if _STRING_CELL_HINT.search(window) is None:
        return
    indexes = _STRING_CELL.findall(window)
    if not indexes:
        return
    if not all(map(bytes.isdigit, indexes)):
        facts.bad_string = True
        indexes = [index for index in indexes if index.isdigit()]
    facts.max_string = max(facts.max_string, max(map(int, indexes), default=-1))


def _check_string_indexes(archive, facts: SheetFacts, strings: int) -> None:
    """Refuse a sheet whose shared-string cells name no string of the workbook."""
    if not facts.bad_string and facts.max_string < strings:
        return
    with archive.open(facts.member) as stream:  # only for a refusal: to name the cell
        data = stream.read()
    for match in _STRING_CELL_AT.finditer(data):
        index = match.group(2)
        if not index.isdigit() or int(index) >= strings:
            cell = re.search(rb"\br\s*=\s*[\"']([^\"']*)", match.group(1))
            raise Refused("bad_shared_string", sheet=facts.name, cell=cell.group(1).decode() if cell else "?",
                          index=index.decode(errors="replace"), count=strings)
    raise Refused("bad_shared_string", sheet=facts.name, cell="?", index=facts.max_string, count=strings)


def _may_hold_formula(window: bytes) -> bool:
    """Whether a piece of sheet XML holds a formula element. Every one has a letter f followed by
    a space, > or /, which the rest of a sheet of figures and CJK text seldom has: the regex engine
    finds that from its literal f at a third of the cost of looking for "<f" and ":f"."""
    return _F_THEN_END.search(window) is not None and _FORMULA.search(window) is not None


def _measure(window: bytes, facts, limits: Limits) -> None:
    """Widen the sheet's known columns to this piece's, then look for a row past what the caps
    allow at that width. Rows are counted exactly only from a piece that has one — the file is
    refused then, and the message gives the count — since counting every reference of a long
    sheet costs more than reading it."""
    limit = _row_limit(facts, limits)
    if facts.max_column <= 26 and facts.max_row <= limit and _nothing_past(facts.max_column, limit).search(window) is None:
        facts.rows_checked_to = max(facts.rows_checked_to, limit)  # what most pieces of a long sheet come to
        return
    if facts.max_column > 26 or _past(facts.max_column).search(window):
        facts.max_column = max(facts.max_column, _widest(window))
    limit = _row_limit(facts, limits)
    facts.rows_checked_to = max(facts.rows_checked_to, limit)
    if facts.max_row > limit or _row_past(window, limit):
        facts.max_row = max(facts.max_row, _highest_row(window))


def _row_limit(facts, limits: Limits) -> int:
    """The highest row a sheet of its known width may reach within the row and cell caps."""
    return min(limits.max_rows, limits.max_cells // max(facts.max_column, 1))


def _row_past(window: bytes, limit: int) -> bool:
    """Whether a reference, a row's or a cell's, names a row past `limit`."""
    as_long, past = _rows_past(limit)
    return as_long.search(window) is not None and past.search(window) is not None


@lru_cache(maxsize=64)
def _rows_past(limit: int) -> tuple:
    """(a reference whose row number is as long as `limit`'s — a quick test most pieces fail —,
    a reference whose row number is past `limit`: longer, or as long and greater at its first
    differing digit). The second wants white space before `r`: firstPageNumber="4294967295" is
    no reference."""
    digits = str(limit)
    longer = rf"[1-9]\d{{{len(digits)},}}"
    greater = [rf"{digits[:i]}[{int(d) + 1}-9]\d{{{len(digits) - i - 1}}}" for i, d in enumerate(digits) if d != "9"]
    as_long = re.compile(rf'r="[A-Za-z]*0*[1-9]\d{{{len(digits) - 1}}}'.encode())
    return as_long, re.compile(rb'\sr="[A-Za-z]*0*(?:' + "|".join([longer, *greater]).encode() + rb')"')


def _highest_row(window: bytes) -> int:
    """The highest row a piece of sheet XML refers to, in a row's reference or a cell's."""
    rows = _ROW.findall(window)  # without leading zeros, so the longest number is the highest
    return int(max(zip(map(len, rows), rows))[1]) if rows else 0


@lru_cache(maxsize=64)
def _nothing_past(column: int, limit: int) -> re.Pattern:
    """_past(column) and the quick test of _rows_past(limit) in one search: a long sheet's pieces
    pass both, and one pass over 64 KB costs half of two."""
    wider, as_long = _past(column).pattern, _rows_past(limit)[0].pattern
    return re.compile(b'r="(?:' + wider[len(b'r="'):] + b"|" + as_long[len(b'r="'):] + b")")


@lru_cache(maxsize=None)
def _past(column: int) -> re.Pattern:
    """A reference to a column past the given one (at most Z). A long sheet's pieces rarely widen
    it, and one failed search costs less than measuring each piece afresh."""
    later = b"" if column == 26 else b"|[" + bytes([65 + column]) + b"-Z" + bytes([97 + column]) + b"-z]"
    return re.compile(b'r="(?:[A-Za-z]{2,}' + later + b")\\d")


def _widest(window: bytes) -> int:
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
    return re.compile(b'r="[' + bytes([64 + letter]) + b"-Z" + bytes([96 + letter]) + b'-z]\\d')


def _widest_single(window: bytes) -> int:
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


def _check_size(facts: SheetFacts, limits: Limits) -> None:
    if facts.max_row > limits.max_rows:
        raise Refused("too_many_rows", sheet=facts.name, count=facts.max_row, cap=limits.max_rows)
    if facts.max_column > limits.max_columns:
        raise Refused("too_many_columns", sheet=facts.name, count=facts.max_column, cap=limits.max_columns)
    if facts.max_row * facts.max_column > limits.max_cells:
        raise Refused("too_many_cells", sheet=facts.name, count=facts.max_row * facts.max_column, cap=limits.max_cells)


def _member_reader(archive: zipfile.ZipFile, content: Optional[bytes]):
    """read(info or name) -> a member's bytes, capped at 8 MB for a name. From a file in memory
    whose members cannot inflate past the cap they are inflated straight from its bytes: for the
    few kilobytes of a sheet, zipfile's reader costs more than the inflating."""
    if content is None:
        return lambda member: _small(archive, member) if isinstance(member, str) else archive.read(member)
    if isinstance(archive, _PlainArchive):
        return archive.read

    def read(member) -> bytes:
        info = archive.getinfo(member) if isinstance(member, str) else member
        return _inflated(info, _packed(content, info))

    return read


def _packed(content: bytes, info) -> bytes:
    """A member's bytes as they lie in the archive, found through its local header."""
    signature, *_, name_length, extra_length = _LOCAL_HEADER.unpack_from(content, info.header_offset)
    if signature != b"PK\x03\x04":
        raise Refused("truncated")
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    return content[start:start + info.compress_size]


def _inflated(info, packed: bytes) -> bytes:
    """A member's bytes, refused if they do not match the CRC its directory entry records: readers
    differ in whether they check it, so a damaged part could be read as sound."""
    data = packed if info.compress_type == STORED else zlib.decompress(packed, -15)
    if zlib.crc32(data) != info.CRC:
        raise Refused("bad_crc", member=info.filename)
    return data


class Member(NamedTuple):
    """A zip member as its central directory entry gives it: the parts of a ZipInfo intake uses."""

    filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int


def _name_bytes(info) -> bytes:
    """A member's name as its archive spells it (ASCII, as most are, is the same in both)."""
    name = info.filename
    return name.encode("utf-8" if name.isascii() or info.flag_bits & UTF8_NAMES else "cp437")


class _PlainArchive:
    """The members of a zip held in memory, from its central directory read with struct: a
    workbook's dozen members cost zipfile more to list than its sheets cost to inflate. Only a
    plain archive is read so (see _plain_archive); anything that needs a member streamed goes
    to zipfile, opened on first use."""

    def __init__(self, members: list, content: bytes):
        self._members, self._content, self._zip = members, content, None
        self._by_name = {member.filename: member for member in members}
        self._inflated: dict = {}  # name -> the bytes read() gave, while they come to KEEP_INFLATED
        self._kept = 0

    def read(self, member) -> bytes:
        """A member's bytes, inflated from the file in memory."""
        info = self._by_name[member] if isinstance(member, str) else member
        data = _inflated(info, _packed(self._content, info))
        if self._kept + len(data) <= KEEP_INFLATED:
            self._inflated[info.filename] = data
            self._kept += len(data)
        return data

    def stored(self) -> bytes:
        """The archive again, with a stored copy of each member read() inflated, appended after
        the members and pointed to by a new central directory: the reader then does not inflate the
        sheets a second time (python-calamine would inflate each twice more: once for its merged
        cells, once for its cells). The other members stay where they were, as they were."""
        if not self._inflated:
            return self._content
        content = self._content
        offset = _END.unpack_from(content, len(content) - _END.size)[6]  # the old directory's start
        appended, directory = [content[:offset]], []
        for info in self._members:
            data = self._inflated.get(info.filename)
            if data is None:
                name = _name_bytes(info)
                fields = (info.flag_bits, info.compress_type, 0, DOS_1980, info.CRC, info.compress_size,
                          info.file_size, len(name))
                directory += (_ENTRY.pack(b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, info.header_offset), name)
                continue
            name = info.filename.encode()
            fields = (UTF8_NAMES, STORED, 0, DOS_1980, info.CRC, len(data), len(data), len(name))
            appended += (_LOCAL_HEADER.pack(b"PK\x03\x04", 20, *fields, 0), name, data)
            directory += (_ENTRY.pack(b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset), name)
            offset += _LOCAL_HEADER.size + len(name) + len(data)
        directory = b"".join(directory)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(self._members), len(self._members), len(directory), offset, 0)
        return b"".join(appended) + directory + end

    def __enter__(self):
        return self

    def __exit__(self, *_):
        if self._zip is not None:
            self._zip.close()

    def namelist(self) -> list:
        return [member.filename for member in self._members]

    def infolist(self) -> list:
        return self._members

    def getinfo(self, name: str) -> Member:
        return self._by_name[name]

    def open(self, member):
        if self._zip is None:
            self._zip = _zip_file(io.BytesIO(self._content))
        return self._zip.open(member if isinstance(member, str) else member.filename)


_END = struct.Struct("<4s4H2LH")  # end of central directory: signature, disks, counts, size, offset, comment
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry, as zipfile reads it
# a central directory entry as stored() writes it: signature, "made by", then a local header's
# fields, extra and comment lengths, disk, attributes and the local header's offset
_ENTRY = struct.Struct("<4s6H3L5H2L")


def _plain_archive(content: bytes) -> Optional[_PlainArchive]:
    """The archive, if it is plain: one disk, no comment, no ZIP64, nothing before it, no extra
    fields, unique names without NUL, versions zipfile takes. Anything else — and every damaged
    file — is None and goes to zipfile, so that its refusals stay zipfile's."""
    try:
        members = _central_directory(content)
    except (struct.error, UnicodeDecodeError):
        return None
    return _PlainArchive(members, content) if members is not None else None


def _central_directory(content: bytes) -> Optional[list]:
    end = len(content) - _END.size
    if end < 0:
        return None
    signature, disk, first_disk, on_disk, count, size, offset, comment = _END.unpack_from(content, end)
    if (signature != b"PK\x05\x06" or comment or disk or first_disk or on_disk != count or end - size != offset
            or content[end - 20:end - 16] == b"PK\x06\x07"):
        return None
    members, position = [], offset
    while position < end:
        (signature, _, _, version, _, flags, method, _, _, crc, compressed, inflated, name_length, extra_length,
         comment_length, _, _, _, header_offset) = _CENTRAL.unpack_from(content, position)
        start = position + _CENTRAL.size
        if signature != b"PK\x01\x02" or version > MAX_EXTRACT_VERSION or extra_length:
            return None
        raw = content[start:start + name_length]  # ASCII, as most names are, reads the same either way
        name = raw.decode("ascii") if raw.isascii() else raw.decode("utf-8" if flags & UTF8_NAMES else "cp437")
        members.append(Member(name, flags, method, crc, compressed, inflated, header_offset))
        position = start + name_length + comment_length
    names = {member.filename for member in members}
    if position != end or not len(names) == len(members) == count or any(map(_renamed_by_zipfile, names)):
        return None
    return members


def _renamed_by_zipfile(name: str) -> bool:
    """zipfile cuts a name at NUL and turns the system's separator into "/"."""
    return "\0" in name or (os.sep != "/" and os.sep in name)


def _sheet_members(read) -> tuple:
    """([SheetFacts] in workbook order, the shared-strings member or ""), from workbook.xml and
    its relationships."""
    try:
        book, rels = read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise Refused("not_workbook") from None
    sheets, strings = _sheet_list(book, rels)
    return [SheetFacts(name, member, state) for name, member, state in sheets], strings


@lru_cache(maxsize=64)
def _sheet_list(book: bytes, rels: bytes) -> tuple:
    """Parsed once per distinct pair: returns made from one template carry the same two parts."""
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
        sheets.append((sheet.get("name", ""), _member_of(targets.get(sheet.get(f"{{{REL_NS}}}id"), "")),
                       state if state in ("hidden", "veryHidden") else "visible"))
    strings = next((_member_of(r.get("Target", "")) for r in rels_root if r.get("Type", "").endswith("/sharedStrings")),
                   "xl/sharedStrings.xml")
    return tuple(sheets), strings


def _member_of(target: str) -> str:
    """The zip member a relationship of workbook.xml points to."""
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member that must be small (workbook.xml, its rels), read with a cap of its own."""
    with archive.open(name) as member:
        data = member.read(8 << 20)
        if member.read(1):
            raise Refused("too_big", cap=8)
    return data


def _uncached_formulas(archive: zipfile.ZipFile, member: str) -> set:
    """(row, col) of every cell that holds a formula but no cached value. Elements are known by
    their local names: a sheet written with another namespace (Strict OOXML's, say) still holds
    formulas."""
    from defusedxml import DefusedXmlException, ElementTree

    found = set()
    try:
        with archive.open(member) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if _local(element.tag) != "c":
                    continue
                parts = {_local(child.tag): child for child in element}
                value = parts.get("v")
                if "f" in parts and (value is None or not (value.text or "").strip()):
                    found.add(_address(element.get("r", "")))
                element.clear()
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise Refused("bad_xml", member=member, detail=str(exc) or type(exc).__name__) from None
    return {cell for cell in found if cell}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _address(ref: str):
    match = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
    return (int(match.group(2)), _column_number(match.group(1))) if match else None
