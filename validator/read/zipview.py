"""A workbook's zip archive, held in memory, as intake reads it — and the archive the reader gets.

A plain archive (one disk, no comment, no ZIP64, nothing before it, no extra fields, unique names)
is listed from its central directory with struct: a workbook's dozen members cost zipfile more to
list than its sheets cost to inflate. Anything else goes to zipfile, so that its refusals stay
zipfile's. Either way a member is inflated against a budget of bytes, never trusting the sizes the
archive declares, and refused if its bytes do not match the CRC its entry records.

`StoredArchive` writes the members intake read, stored, into a fresh archive with one directory:
the reader opens that, so it reads exactly the bytes intake measured — never another member of the
same name, another end record, or a part intake did not look at.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from typing import Any, NamedTuple, Optional, Union

STORED, DEFLATED, MAX_EXTRACT_VERSION = 0, 8, 63  # zipfile's ZIP_STORED, ZIP_DEFLATED and the newest version it reads
UTF8_NAMES, DOS_1980 = 0x800, 0x21  # a member's flag for UTF-8 names; 1 January 1980 as a DOS date
CHUNK = 1 << 16
# a zip member's local header: signature, version, flags, method, time, date, CRC, sizes, name and
# extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_END = struct.Struct("<4s4H2LH")  # end of central directory: signature, disks, counts, size, offset, comment
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry, as zipfile reads it
# a central directory entry as `StoredArchive` writes it: signature, "made by", then a local header's
# fields, extra and comment lengths, disk, attributes and the local header's offset
_ENTRY = struct.Struct("<4s6H3L5H2L")


class Damaged(Exception):
    """The archive cannot be read as it claims; `key` and `params` say how, for intake's refusal."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class TooBig(Exception):
    """A member inflates past the budget left."""


class Member(NamedTuple):
    """A zip member as its central directory entry gives it: the parts of a ZipInfo intake uses."""

    filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int


def open_archive(content: bytes):
    """The archive in `content`: a PlainArchive where it is plain, else a zipfile.ZipFile."""
    plain = _plain_archive(content)
    if plain is not None:
        return plain
    import zipfile  # only where a file needs it: importing it costs `check` a tenth of its start-up

    return zipfile.ZipFile(io.BytesIO(content))


def member_bytes(archive, info, budget: list) -> Union[bytes, bytearray]:
    """A member's bytes, inflated while `budget[0]` (bytes left) allows, CRC checked."""
    if isinstance(archive, PlainArchive) and info.compress_type in (STORED, DEFLATED):
        return archive.inflate(info, budget)
    data = bytearray()
    with archive.open(info) as member:  # zipfile checks the CRC when the member is read through
        while True:
            piece = member.read(CHUNK)
            if not piece:
                return data
            budget[0] -= len(piece)
            if budget[0] < 0:
                raise TooBig()
            data += piece


class PlainArchive:
    """The members of a plain zip held in memory, from its central directory read with struct."""

    def __init__(self, members: list, content: bytes):
        self._members, self._content = members, content
        self._by_name = {member.filename: member for member in members}

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def namelist(self) -> list:
        return [member.filename for member in self._members]

    def infolist(self) -> list:
        return self._members

    def getinfo(self, name: str) -> Member:
        return self._by_name[name]

    def open(self, member):
        import zipfile

        return zipfile.ZipFile(io.BytesIO(self._content)).open(member if isinstance(member, str) else member.filename)

    def inflate(self, info: Member, budget: list) -> Union[bytes, bytearray]:
        packed = self._packed(info)
        data = packed if info.compress_type == STORED else _inflated(packed, budget[0])
        budget[0] -= len(data)
        if budget[0] < 0:
            raise TooBig()
        if zlib.crc32(data) != info.CRC:
            raise Damaged("bad_crc", member=info.filename)
        return data

    def _packed(self, info: Member) -> bytes:
        """A member's bytes as they lie in the archive, found through its local header."""
        content = self._content
        if info.header_offset + _LOCAL_HEADER.size > len(content):
            raise Damaged("damaged", detail=f"{info.filename}: past the end of the file")
        signature, *_, name_length, extra_length = _LOCAL_HEADER.unpack_from(content, info.header_offset)
        if signature != b"PK\x03\x04":
            raise Damaged("truncated")
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        return content[start : start + info.compress_size]


def _inflated(packed: bytes, most: int) -> Union[bytes, bytearray]:
    """Raw DEFLATE data inflated, fed in pieces into one growing buffer (a part of 500 MB never has
    a second copy made of it); TooBig past `most`. A part of one piece is inflated in one call."""
    inflater = zlib.decompressobj(-15)
    if len(packed) <= CHUNK:
        whole = inflater.decompress(packed, max(most, 0) + 1)
        if inflater.unconsumed_tail or len(whole) > most:
            raise TooBig()
        return whole
    data, view = bytearray(), memoryview(packed)
    for start in range(0, len(packed), CHUNK):
        data += inflater.decompress(view[start : start + CHUNK], max(most - len(data), 0) + 1)
        if inflater.unconsumed_tail or len(data) > most:
            raise TooBig()
    data += inflater.flush()
    if len(data) > most:
        raise TooBig()
    return data


def _plain_archive(content: bytes) -> Optional[PlainArchive]:
    """The archive, if it is plain; anything else — and every damaged file — is None and goes to
    zipfile, so that its refusals stay zipfile's."""
    try:
        members = central_directory(content)
    except (struct.error, UnicodeDecodeError):
        return None
    return PlainArchive(members, content) if members is not None else None


def central_directory(content: bytes) -> Optional[list]:
    end = len(content) - _END.size
    if end < 0:
        return None
    signature, disk, first_disk, on_disk, count, size, offset, comment = _END.unpack_from(content, end)
    if (
        signature != b"PK\x05\x06"
        or comment
        or disk
        or first_disk
        or on_disk != count
        or end - size != offset
        or content[end - 20 : end - 16] == b"PK\x06\x07"
    ):
        return None
    members, position = [], offset
    while position < end:
        (
            signature,
            _,
            _,
            version,
            _,
            flags,
            method,
            _,
            _,
            crc,
            compressed,
            inflated,
            name_length,
            extra_length,
            comment_length,
            _,
            _,
            _,
            header_offset,
        ) = _CENTRAL.unpack_from(content, position)
        start = position + _CENTRAL.size
        if signature != b"PK\x01\x02" or version > MAX_EXTRACT_VERSION or extra_length:
            return None
        raw = content[start : start + name_length]  # ASCII, as most names are, reads the same either way
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


SPILL = 16 << 20  # bytes of the reader's archive held in memory; past them it goes to a file


class ReaderArchive:
    """The archive the reader gets, as StoredArchive writes it: in memory while it is small (a
    return's is some 60 KB, and a temporary file cost a batch 9 % a return), in a temporary file
    past SPILL bytes (a register of a million cases is some 270 MB stored: python-calamine copies
    an archive it is handed in memory, and builds the whole sheet besides). On Linux the file has
    no name, and goes when it is closed or the process ends, however it ends. Making or writing the
    file raises OSError (no room, no temporary folder)."""

    def __init__(self):
        self._memory: Optional[io.BytesIO] = io.BytesIO()
        self._file: Any = None
        self._path = ""

    def write(self, data) -> None:
        if self._memory is None:
            self._file.write(data)
        elif self._memory.tell() + len(data) > SPILL:
            self._spill(self._memory.getbuffer())
            self._memory = None
            self._file.write(data)
        else:
            self._memory.write(data)

    def _spill(self, held) -> None:
        import tempfile

        if os.path.isdir("/proc/self/fd"):
            self._file = tempfile.TemporaryFile(prefix="formcheck-")
            self._path = f"/proc/self/fd/{self._file.fileno()}"
        else:
            self._file = tempfile.NamedTemporaryFile(prefix="formcheck-", suffix=".xlsx", delete=False)
            self._path = self._file.name
        self._file.write(held)
        held.release()

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def source(self):
        """A path for a file, else the archive in memory as a new binary stream."""
        return self._path or self.opened()

    def opened(self):
        """The archive as a new binary stream of its own."""
        if self._memory is not None:
            return io.BytesIO(self._memory.getvalue())
        return open(self._path, "rb")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            if not self._path.startswith("/proc/") and os.path.exists(self._path):
                os.unlink(self._path)
        self._memory = None


class StoredArchive:
    """The reader's archive, written member by member to a binary file as intake measures each:
    every member stored, one central directory. Intake holds one part at a time, never the whole."""

    def __init__(self, handle):
        self._handle, self._directory, self._offset, self._count = handle, [], 0, 0

    def add(self, name: str, data: Union[bytes, bytearray], crc: int) -> None:
        """Write a member whose bytes intake checked against `crc`."""
        encoded = name.encode()
        fields = (UTF8_NAMES, STORED, 0, DOS_1980, crc, len(data), len(data), len(encoded))
        self._handle.write(_LOCAL_HEADER.pack(b"PK\x03\x04", 20, *fields, 0) + encoded)
        self._handle.write(data)
        self._directory += (_ENTRY.pack(b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, self._offset), encoded)
        self._offset += _LOCAL_HEADER.size + len(encoded) + len(data)
        self._count += 1

    def finish(self) -> None:
        listing = b"".join(self._directory)
        count = self._count
        self._handle.write(listing + _END.pack(b"PK\x05\x06", 0, 0, count, count, len(listing), self._offset, 0))
        self._handle.flush()
