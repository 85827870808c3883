"""A workbook's zip archive, held in memory, as intake reads it — and the archive the reader gets.

A plain archive (one disk, no comment, no ZIP64, nothing before it, no extra fields, unique names)
is listed from its central directory with struct: a workbook's dozen members cost zipfile more to
list than its sheets cost to inflate. Anything else goes to zipfile, so that its refusals stay
zipfile's. Either way a member is inflated against a budget of bytes, never trusting the sizes the
archive declares, and refused if its bytes do not match the CRC its entry records.

`normalized` writes the members intake read, stored, into a fresh archive with one directory: the
reader opens that, so it reads exactly the bytes intake measured — never another member of the
same name, another end record, or a part intake did not look at.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from typing import NamedTuple, Optional

STORED, DEFLATED, MAX_EXTRACT_VERSION = 0, 8, 63  # zipfile's ZIP_STORED, ZIP_DEFLATED and the newest version it reads
UTF8_NAMES, DOS_1980 = 0x800, 0x21  # a member's flag for UTF-8 names; 1 January 1980 as a DOS date
CHUNK = 1 << 16
# a zip member's local header: signature, version, flags, method, time, date, CRC, sizes, name and
# extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_END = struct.Struct("<4s4H2LH")  # end of central directory: signature, disks, counts, size, offset, comment
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry, as zipfile reads it
# a central directory entry as `normalized` writes it: signature, "made by", then a local header's
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


def member_bytes(archive, info, budget: list) -> bytes:
    """A member's bytes, inflated while `budget[0]` (bytes left) allows, CRC checked."""
    if isinstance(archive, PlainArchive) and info.compress_type in (STORED, DEFLATED):
        return archive.inflate(info, budget)
    pieces: list = []
    with archive.open(info) as member:  # zipfile checks the CRC when the member is read through
        while True:
            piece = member.read(CHUNK)
            if not piece:
                return b"".join(pieces)
            budget[0] -= len(piece)
            if budget[0] < 0:
                raise TooBig()
            pieces.append(piece)


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

    def inflate(self, info: Member, budget: list) -> bytes:
        packed = self._packed(info)
        if info.compress_type == STORED:
            data = packed
        else:
            inflater = zlib.decompressobj(-15)
            data = inflater.decompress(packed, max(budget[0], 0) + 1)
            if inflater.unconsumed_tail:
                raise TooBig()
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


def normalized(parts: list) -> bytes:
    """A fresh archive of the given (name, bytes), each stored, with one central directory."""
    body: list = []
    directory: list = []
    offset = 0
    for name, data in parts:
        encoded = name.encode()
        fields = (UTF8_NAMES, STORED, 0, DOS_1980, zlib.crc32(data), len(data), len(data), len(encoded))
        body += (_LOCAL_HEADER.pack(b"PK\x03\x04", 20, *fields, 0), encoded, data)
        directory += (_ENTRY.pack(b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset), encoded)
        offset += _LOCAL_HEADER.size + len(encoded) + len(data)
    listing = b"".join(directory)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), offset, 0)
    return b"".join(body) + listing + end
