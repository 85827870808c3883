"""What a client uploads, into a temporary folder of the request's own.

No name from the client reaches the file system as it was sent: each file is stored as
`u0001-<salt>-<name>` where <name> is the last part of the client's name with everything but
letters, digits and `-_.()` replaced (so no separator, no dot-dot, no control character), because
some rules read a unit's name in its file's name (a registered unit whose file could not be read);
the suffix is kept where it is one a workbook has (so intake names an old .xls as such). The
client's own name is kept apart, for the report. A .zip of returns is opened here: its entries are
inflated against what is left of the request's size cap and counted against its file cap, and
their names (GBK from Chinese Windows, where the zip does not say UTF-8) are read for the report
only. Reports are renamed back (`rename`) before any reporter sees them."""

from __future__ import annotations

import os
import re
import secrets
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from validator.batch import WORKBOOK_SUFFIXES  # .xlsx first
from validator.i18n import Lazy, Text

MESSAGES = {
    "too_many": {
        "zh": "上传的文件超过 {most} 个(含 .zip 中的文件);请分批上传",
        "en": "more than {most} files uploaded (counting those inside a .zip); upload them in parts",
    },
    "too_big": {
        "zh": "上传内容超过 {most} MB(含 .zip 解压后的大小);请分批上传",
        "en": "the upload is larger than {most} MB (counting a .zip inflated); upload it in parts",
    },
    "bad_zip": {
        "zh": "上传的 {name} 不是完好的 .zip 文件({why});请重新压缩后上传",
        "en": "the uploaded {name} is not a sound .zip file ({why}); zip it again",
    },
    "zip_entries": {
        "zh": "上传的 {name} 含 {count} 个条目,超过 {most} 个,未解压;请只压缩报表所在的文件夹,或分批上传",
        "en": "the uploaded {name} holds {count} entries, more than {most}; not unpacked: zip only the returns' folder",
    },
    "zip_directory": {
        "zh": "上传的 {name} 的文件目录有 {size} MB,超过 {most} MB,未解压;请重新压缩后上传",
        "en": "the uploaded {name} has a {size} MB list of entries, more than {most} MB; not unpacked: zip it again",
    },
    "damaged_entry": {
        "zh": "上传的 {name} 中的 {entry} 已损坏,无法解压;请重新压缩后上传",
        "en": "{entry} in the uploaded {name} is damaged and cannot be unpacked; zip it again",
    },
    "bad_entry_name": {
        "zh": "上传的 {name} 中有文件名标明为 UTF-8 编码却不是;请用系统自带的压缩功能重新压缩后上传",
        "en": "a name in the uploaded {name} claims to be UTF-8 but is not; zip it again with the system's own tool",
    },
}
# what a .zip may declare before zipfile lists it (the list is held whole): a folder of returns and
# the odd other file, never a million entries
ENTRIES_PER_FILE, MOST_DIRECTORY = 4, 32 << 20
_END = struct.Struct("<4s4H2LH")  # end of central directory: signature, disks, counts, size, offset, comment
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


class Zipped(NamedTuple):
    """An uploaded .zip stored as it came, to be unpacked in the request's worker (`Folder.unpack`):
    where it is, its name, the folder its returns go to, and how many entries it declares."""

    stored: str
    client_name: str
    subfolder: str
    entries: int


class UploadProblem(Exception):
    """The upload as a whole cannot be taken; `key` and `params` say why (MESSAGES)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class Folder:
    """A request's temporary folder, the files stored in it and the names the client gave them."""

    path: str
    most_files: int
    most_bytes: int
    names: dict = field(default_factory=dict)  # stored name -> the client's name
    stored: int = 0  # bytes written so far
    zips: int = 0  # .zip files stored, unpacked later: each named by its number
    salt: str = field(default_factory=lambda: secrets.token_hex(4))

    def add(self, client_name: str, source, subfolder: str = "", suffixes: tuple = WORKBOOK_SUFFIXES) -> str:
        """Store the bytes read from `source` (a file object); the path, relative to the folder.
        Its suffix is the client's where it is one of `suffixes`, else the first of them."""
        if len(self.names) >= self.most_files:
            raise UploadProblem("too_many", most=self.most_files)
        stem, suffix = os.path.splitext(shown_name(client_name))
        suffix = suffix.lower() if suffix.lower() in suffixes else suffixes[0]
        stored = f"u{len(self.names) + 1:04d}-{self.salt}-{_plain(stem)}{suffix}"
        relative = os.path.join(subfolder, stored) if subfolder else stored
        self._write(source, relative)
        self.names[stored] = shown_name(client_name)
        return relative

    def _write(self, source, relative: str) -> int:
        """Copy `source` to `relative`, counted against the cap on bytes; how many it wrote."""
        os.makedirs(os.path.dirname(os.path.join(self.path, relative)), exist_ok=True)
        written = 0
        with open(os.path.join(self.path, relative), "xb") as handle:
            while True:
                piece = source.read(1 << 20)
                if not piece:
                    return written
                written += len(piece)
                self.stored += len(piece)
                if self.stored > self.most_bytes:
                    raise UploadProblem("too_big", most=self.most_bytes >> 20)
                handle.write(piece)

    def folder_for(self, client_name: str, within: str) -> str:
        """A new folder for the returns of an uploaded .zip, named by it inside the field's own
        (previous/2023 for 2023.zip), so that a finding names them as the client knows them and no
        client's name meets a file of the request's own (its answer); a second .zip of one name:
        previous/2023-2."""
        stem = _plain(os.path.splitext(shown_name(client_name))[0])
        folder, number = os.path.join(within, stem), 1
        while os.path.exists(os.path.join(self.path, folder)):
            number += 1
            folder = os.path.join(within, f"{stem}-{number}")
        os.makedirs(os.path.join(self.path, folder))
        return folder

    def add_zipped(self, client_name: str, source, subfolder: str = "") -> Zipped:
        """Store an uploaded .zip as it came, its declared entries counted first: the request's
        worker unpacks it (`unpack`), so that inflating it costs that process, under its time."""
        name = shown_name(client_name)
        entries, directory = _declared(source)
        self._refuse_declared(name, entries, directory)
        self.zips += 1
        relative = f"z{self.zips:04d}-{self.salt}.zip"
        self._write(source, relative)
        return Zipped(relative, name, subfolder, entries)

    def unpack(self, zipped: Zipped) -> list:
        """The returns of a stored .zip, stored in their turn (add_zip); the .zip itself removed
        and no longer counted."""
        path = os.path.join(self.path, zipped.stored)
        size = os.path.getsize(path)
        with open(path, "rb") as source:
            found = self.add_zip(zipped.client_name, source, zipped.subfolder)
        os.remove(path)
        self.stored -= size
        return found

    def add_zip(self, client_name: str, source, subfolder: str = "") -> list:
        """Store each workbook inside an uploaded .zip; their paths, relative to the folder. The
        entries it declares are counted before zipfile lists them."""
        name = shown_name(client_name)
        self._refuse_declared(name, *_declared(source))
        try:
            archive = zipfile.ZipFile(source)
            entries = [e for e in archive.infolist() if not e.is_dir() and _is_return(_entry_name(e))]
            return [self._add_entry(archive, entry, subfolder, name) for entry in _top_level(entries)]
        except UnicodeDecodeError:  # a name flagged UTF-8 that is not
            raise UploadProblem("bad_entry_name", name=name) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
            raise UploadProblem("bad_zip", name=name, why=str(exc)[:200]) from None

    def _refuse_declared(self, name: str, entries: int, directory: int) -> None:
        most = ENTRIES_PER_FILE * self.most_files + 64
        if entries > most:
            raise UploadProblem("zip_entries", name=name, count=entries, most=most)
        if directory > MOST_DIRECTORY:
            raise UploadProblem("zip_directory", name=name, size=directory >> 20, most=MOST_DIRECTORY >> 20)

    def _add_entry(self, archive, entry, subfolder: str, name: str) -> str:
        try:
            with archive.open(entry) as inflating:
                return self.add(_entry_name(entry), inflating, subfolder)
        except (zlib.error, zipfile.BadZipFile, EOFError):  # deflate, bzip2 or lzma data that is not
            raise UploadProblem("damaged_entry", name=name, entry=shown_name(_entry_name(entry))) from None


def _declared(source) -> tuple[int, int]:
    """(entries, bytes of the central directory) a zip's end record declares, ZIP64's where it
    defers to it; (0, 0) where there is none (zipfile then says what is wrong)."""
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(max(0, size - _END.size - 0xFFFF))  # the end record, after at most a 64 KB comment
    tail = source.read()
    at = tail.rfind(b"PK\x05\x06")
    found = (0, 0)
    if 0 <= at <= len(tail) - _END.size:
        _, _, _, _, entries, directory, _, _ = _END.unpack_from(tail, at)
        found = (entries, directory)
        locator = at - _ZIP64_LOCATOR.size
        if (
            (entries == 0xFFFF or directory == 0xFFFFFFFF)
            and locator >= 0
            and tail[locator : locator + 4] == b"PK\x06\x07"
        ):
            source.seek(_ZIP64_LOCATOR.unpack_from(tail, locator)[2])
            record = source.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                found = struct.unpack_from("<QQ", record, 32)
    source.seek(0)
    return found


def _top_level(entries: list) -> list:
    """The workbooks at the top of a .zip — of the folder zipped, as `batch` takes a folder's own
    files — and not those in folders below (last year's returns in previous/ are not this year's)."""
    depths = [len(re.split(r"[/\\]", _entry_name(entry))) for entry in entries]
    top = min(depths, default=0)
    return [entry for entry, depth in zip(entries, depths) if depth == top]


def shown_name(name: str) -> str:
    """The last part of a client's file name, without control characters or separators."""
    name = re.split(r"[/\\]", name or "")[-1]
    return _UNSAFE.sub("_", name)[:200] or "upload.xlsx"


def _plain(stem: str) -> str:
    """A file name's stem with nothing but letters, digits and -_.() kept, in at most 120 bytes of
    UTF-8 (a file system holds 255 a name, and a Chinese character takes three)."""
    plain = "".join(ch if ch.isalnum() or ch in "-_.()" else "_" for ch in stem).lstrip(".")
    while len(plain.encode("utf-8")) > 120:
        plain = plain[:-1]
    return plain or "file"


def _entry_name(entry) -> str:
    """A zip entry's name as its maker meant it: a zip that does not flag UTF-8 names holds them in
    the maker's code page (GBK from Chinese Windows), which zipfile reads as cp437."""
    if entry.flag_bits & 0x800:
        return entry.filename
    raw = entry.filename.encode("cp437", "replace")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return entry.filename


def _is_return(name: str) -> bool:
    base = shown_name(name)
    return base.lower().endswith(WORKBOOK_SUFFIXES) and not base.startswith("~$") and "__MACOSX" not in name


def client_names(text: str, names: dict) -> str:
    """A text with each stored name it holds replaced by the name the client gave."""
    for stored, given in names.items():
        if stored in text:
            text = text.replace(stored, given)
    return text


def rename(report, names: dict) -> None:
    """Put the client's names in a report in place of the stored ones: the files, where to fix
    each, each finding's file and related files, and a stored name a message quotes."""

    def client(text: str) -> str:
        return client_names(text, names)

    def client_text(text: Any) -> Any:  # a message is said later, in the page's language
        if isinstance(text, Text):
            return Lazy(lambda lang: client(text.render(lang)))
        return client(text) if isinstance(text, str) else text

    for entry in report.files:
        entry["file"] = client(entry["file"])
    report.localisations = {client(path): found for path, found in report.localisations.items()}
    report.findings = [
        replace(
            finding,
            file=client(finding.file),
            related=tuple(client(path) for path in finding.related),
            message=client_text(finding.message),
            hint=client_text(finding.hint),
            params={key: client_text(value) for key, value in finding.params.items()},
        )
        for finding in report.findings
    ]
