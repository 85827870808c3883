"""Crafted .xls and .ods returns for the hostile corpus (hostile_corpus.CORPUS): each made from the
clean sample as LibreOffice saved it (samples/clean.xls, samples/clean.ods) with one thing broken —
the compound document's structure, a BIFF record, the .ods zip bomb of repeated rows."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SECTOR = 512


def _xls(folder: Path, name: str, edit) -> Path:
    data = bytearray((SAMPLES / "clean.xls").read_bytes())
    edit(data)
    path = folder / name
    path.write_bytes(bytes(data))
    return path


def _workbook_entry(data: bytearray) -> int:
    """The offset in the file of the directory entry of the Workbook stream."""
    first = struct.unpack_from("<I", data, 0x30)[0]
    at = (first + 1) * SECTOR
    name = "Workbook".encode("utf-16-le")
    while data[at : at + len(name)] != name:
        at += 128
    return at


def _stream_start(data: bytearray) -> int:
    return (struct.unpack_from("<I", data, _workbook_entry(data) + 0x74)[0] + 1) * SECTOR


def xls_truncated(folder: Path) -> Path:
    return _xls(folder, "truncated.xls", lambda data: data.__delitem__(slice(len(data) // 2, None)))


def xls_size_past_the_file(folder: Path) -> Path:
    return _xls(
        folder, "declared.xls", lambda data: struct.pack_into("<I", data, _workbook_entry(data) + 0x78, 50_000_000)
    )


def xls_sector_loop(folder: Path) -> Path:
    def edit(data):
        fat = (struct.unpack_from("<I", data, 0x4C)[0] + 1) * SECTOR
        start = struct.unpack_from("<I", data, _workbook_entry(data) + 0x74)[0]
        struct.pack_into("<I", data, fat + 4 * start, start)  # the stream's first sector points to itself

    return _xls(folder, "loop.xls", edit)


def xls_record_past_the_stream(folder: Path) -> Path:
    def edit(data):
        start = _stream_start(data)
        second = start + 4 + struct.unpack_from("<H", data, start + 2)[0]
        struct.pack_into("<H", data, second + 2, 0xFFFF)

    return _xls(folder, "record.xls", edit)


def xls_password(folder: Path) -> Path:
    def edit(data):
        start = _stream_start(data)
        second = start + 4 + struct.unpack_from("<H", data, start + 2)[0]
        struct.pack_into("<H", data, second, 0x002F)  # the record after BOF made a FILEPASS

    return _xls(folder, "password.xls", edit)


def xls_not_a_workbook(folder: Path) -> Path:
    def edit(data):
        at = _workbook_entry(data)
        name = "WordDocument".encode("utf-16-le") + b"\0\0"
        data[at : at + 64] = name + bytes(64 - len(name))
        struct.pack_into("<H", data, at + 0x40, len(name))

    return _xls(folder, "letter.et", edit)


def xls_directory_shifted(folder: Path) -> Path:
    """A byte changed and 30 bytes cut from the directory (found by bench/mutants.py): olefile reads
    the Workbook stream, while python-calamine panics in its own parse (a Rust slice index)."""

    def edit(data):
        data[16698] = 0x60
        at = data.index("\x05SummaryInformation".encode("utf-16-le")) - 2
        del data[at : at + 30]

    return _xls(folder, "shifted.xls", edit)


def _ods(folder: Path, name: str, content=None, manifest=None, drop: str = "") -> Path:
    path = folder / name
    with zipfile.ZipFile(SAMPLES / "clean.ods") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == drop:
                continue
            if info.filename == "content.xml" and content:
                data = content(data)
            if info.filename == "META-INF/manifest.xml" and manifest:
                data = manifest(data)
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, data, compress_type=kind)
    return path


def _in_first_table(extra: bytes):
    return lambda data: data.replace(b"</table:table>", extra + b"</table:table>", 1)


def ods_rows_bomb(folder: Path) -> Path:
    row = b'<table:table-row table:number-rows-repeated="2000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    return _ods(folder, "rows.ods", _in_first_table(row))


def ods_cells_bomb(folder: Path) -> Path:
    row = (
        b'<table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="999"'
        b' office:value-type="float" office:value="1"/></table:table-row>'
    )
    return _ods(folder, "cells.ods", lambda data: data.replace(b"<table:table-row", row + b"<table:table-row", 1))


def ods_merges_bomb(folder: Path) -> Path:
    row = (
        b'<table:table-row><table:table-cell table:number-columns-repeated="30000" table:number-columns-spanned="1"'
        b' table:number-rows-spanned="2"/></table:table-row>'
    )
    return _ods(folder, "merges.ods", _in_first_table(row))


def ods_wide_merge(folder: Path) -> Path:
    """The clean .ods with a first row merged across 20,000 columns: read, but past what a workbook
    (and openpyxl, which makes the annotated copy) can hold."""
    row = (
        b'<table:table-row><table:table-cell table:number-columns-spanned="20000" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    return _ods(folder, "wide_merge.ods", lambda data: data.replace(b"<table:table-row", row + b"<table:table-row", 1))


def ods_entities(folder: Path) -> Path:
    declared = b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return _ods(folder, "entities.ods", lambda data: re.sub(rb"(<\?xml[^>]*\?>)", rb"\1" + declared, data, count=1))


def ods_encrypted(folder: Path) -> Path:
    entry = b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
    return _ods(
        folder,
        "encrypted.ods",
        manifest=lambda data: data.replace(b"</manifest:manifest>", entry + b"</manifest:manifest>"),
    )


def ods_without_content(folder: Path) -> Path:
    return _ods(folder, "hollow.ods", drop="content.xml")


def ods_unbound_prefix(folder: Path) -> Path:
    """Well-formed, yet an element's prefix is declared by no namespace (found by bench/mutants.py)."""
    return _ods(folder, "prefix.ods", _in_first_table(b"<nowhere:cell/>"))


CORPUS = {
    "xls cut in half": (xls_truncated, 2, "文件已损坏: Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误"),
    "xls stream larger than the file": (xls_size_past_the_file, 2, "Workbook declares 50000000 bytes in a file of"),
    "xls sector chain looping": (xls_sector_loop, 2, "文件已损坏: Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误"),
    "xls record past its stream": (xls_record_past_the_stream, 2, "runs past the stream"),
    "xls with a password": (xls_password, 2, "工作簿设置了打开密码"),
    "et that is not a workbook": (xls_not_a_workbook, 2, "是 Office 97-2003 格式的文件,但不是 Excel 工作簿"),
    # after the million empty rows LibreOffice pads every sheet with
    "xls that python-calamine panics on": (xls_directory_shifted, 2, "文件已损坏,无法读取(PanicException: "),
    "ods element of an undeclared prefix": (ods_unbound_prefix, 2, "content.xml: unbound prefix"),
    "ods rows repeated 2,000,000 times": (ods_rows_bomb, 2, "工作表“表1”有 3048576 行,超过 1048576 行上限"),
    "ods 20,000 × 999 cells": (ods_cells_bomb, 2, "工作表“表1”的范围有 19980000 个单元格,超过 10000000 上限"),
    "ods 30,000 merged cells": (ods_merges_bomb, 2, "合并单元格,超过 10000 个上限"),
    "ods entity expansion": (ods_entities, 2, "不是完整的 XML(含有文档类型声明"),
    "ods encrypted": (ods_encrypted, 2, "工作簿设置了打开密码"),
    "ods without content.xml": (ods_without_content, 2, "文件已损坏,无法读取(no content.xml)"),
}
