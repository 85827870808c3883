"""Broken and hostile files, made on the spot: what real offices and careless tools send.

Used by test_hostile.py and by bench/hostile.py (which times each under a 1 GiB memory cap).
Each maker takes a folder and returns the path it wrote.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import openpyxl
from hostile_legacy import CORPUS as LEGACY

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def random_bytes(folder: Path) -> Path:
    path = folder / "random.xlsx"
    path.write_bytes(random.Random(1).randbytes(4096))
    return path


def empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def old_xls(folder: Path) -> Path:
    path = folder / "old.xls"
    path.write_bytes(OLE2_MAGIC + bytes(4088))
    return path


def wps_et(folder: Path) -> Path:
    path = folder / "report.et"
    path.write_bytes(OLE2_MAGIC + bytes(4088))
    return path


def password_protected(folder: Path) -> Path:
    path = folder / "locked.xlsx"
    path.write_bytes(OLE2_MAGIC + bytes(1000) + "EncryptedPackage".encode("utf-16-le") + bytes(3000))
    return path


def truncated_zip(folder: Path) -> Path:
    path = folder / "truncated.xlsx"
    data = (SAMPLES / "clean.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_bomb(folder: Path, gib: float = 1.0) -> Path:
    """The clean return plus a picture that inflates to `gib` GiB of zeros (about 1 MB on disk):
    no reader reads it, so it is never inflated and the return is checked."""
    path = folder / "bomb.xlsx"
    shutil.copy(SAMPLES / "clean.xlsx", path)
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(int(gib * 1024)):
                member.write(zeros)
    return path


def sheet_bomb(folder: Path, gib: float = 1.0) -> Path:
    """The clean return whose first sheet is followed by `gib` GiB of white space (legal XML)."""
    path = folder / "sheet_bomb.xlsx"
    spaces = b" " * (1 << 20)
    with (
        zipfile.ZipFile(SAMPLES / "clean.xlsx") as source,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(source.read(info))
                for _ in range(int(gib * 1024)):
                    member.write(spaces)
    return path


def not_a_workbook_zip(folder: Path) -> Path:
    path = folder / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def missing_forms(folder: Path) -> Path:
    path = folder / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "2024 年某某情况统计表"
    book.save(path)
    return path


def _edit_clean(folder: Path, name: str, edits: dict) -> Path:
    path = folder / name
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    for address, value in edits.items():
        sheet, cell = address.split("!")
        book[sheet][cell] = value
    book.save(path)
    return path


def formula_never_calculated(folder: Path) -> Path:
    # openpyxl writes formulas without cached values, as other tools' exports do
    return _edit_clean(folder, "formula.xlsx", {"表4!D6": "=E6+F6+G6"})


def text_in_numbers(folder: Path) -> Path:
    return _edit_clean(folder, "text.xlsx", {"表1!M7": "一百二十二"})


def negative_count(folder: Path) -> Path:
    return _edit_clean(folder, "negative.xlsx", {"表4!H6": -1})


def header_renamed(folder: Path) -> Path:
    return _edit_clean(folder, "renamed.xlsx", {"表4!D5": "移交案件数"})


def stray_far_cell(folder: Path) -> Path:
    return _edit_clean(folder, "stray.xlsx", {"表1!XFD1048576": 1})


def one_text_everywhere(folder: Path) -> Path:
    """The clean return and a sheet 附表 whose 150 × 40 cells all name one shared text of 10,000
    characters: 60 million characters to draw, from a file of some 40 KB (the page's grid, bench/serve.py)."""
    path = folder / "one_text_everywhere.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{_column(c)}{r}" t="s"><v>0</v></c>' for c in range(40)) + "</row>"
        for r in range(1, 151)
    )
    added = {
        "xl/worksheets/sheet5.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>{"长" * 10_000}</t></si></sst>',
    }
    edits = {
        "xl/workbook.xml": (b"</sheets>", '<sheet name="附表" sheetId="5" state="visible" r:id="rId9" /></sheets>'),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Type="{relationship}/worksheet" Target="/xl/worksheets/sheet5.xml" Id="rId9" />'
            f'<Relationship Type="{relationship}/sharedStrings" Target="sharedStrings.xml" Id="rId10" />'
            "</Relationships>",
        ),
        "[Content_Types].xml": (
            b"</Types>",
            '<Override PartName="/xl/worksheets/sheet5.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml" /><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
        ),
    }
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename in edits:
                old, new = edits[info.filename]
                data = data.replace(old, new.encode())
            copy.writestr(info.filename, data)
        for name, text in added.items():
            copy.writestr(name, text.encode())
    return path


def _column(index: int) -> str:
    return chr(65 + index) if index < 26 else "A" + chr(65 + index - 26)


def edited_copy(source: Path, target: Path, member: str, edit) -> Path:
    """`source` copied to `target` (which may be `source` itself) with one member rewritten by
    `edit(bytes) -> bytes`, which must change it."""
    with zipfile.ZipFile(source) as original:
        parts = [(info.filename, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts:
            if name == member:
                edited = edit(data)
                assert edited != data
                data = edited
            copy.writestr(name, data)
    return target


def _edit_clean_part(folder: Path, name: str, member: str, edit) -> Path:
    return edited_copy(SAMPLES / "clean.xlsx", folder / name, member, edit)


def cell_beyond_its_row(folder: Path, reference: bytes = b"XFD1048576", name: str = "beyond.xlsx") -> Path:
    """The clean return with its title cell moved to XFD1048576 inside row 1: python-calamine
    places a cell by its own reference, so this would be a grid of 1048576 × 16384."""
    return _edit_clean_part(
        folder, name, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<c r="A1"', b'<c r="' + reference + b'"', 1)
    )


def negative_string_index(folder: Path) -> Path:
    """A cell naming shared string -1 in a workbook with none: an index Python would take from the end."""
    cell = b'<c r="X7" t="s"><v>-1</v></c>'
    return _edit_clean_part(
        folder,
        "negative_index.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</row>", cell + b"</row>", 1),
    )


def end_tag_misnamed(folder: Path) -> Path:
    """The end tag of cell A1's text names another element: python-calamine reads the sheet as if
    it did not, Excel offers to repair the file."""
    return _edit_clean_part(
        folder, "misnamed.xlsx", "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</is>", b"</rs>", 1)
    )


def content_types_damaged(folder: Path) -> Path:
    return _edit_clean_part(
        folder, "types.xlsx", "[Content_Types].xml", lambda xml: xml.replace(b"<Default ", b"<Default< ", 1)
    )


def lower_case_reference(folder: Path) -> Path:
    """The same, written in lower case, which python-calamine reads as well."""
    return cell_beyond_its_row(folder, b"xfd1048576", "lower.xlsx")


def million_rows(folder: Path) -> Path:
    """A workbook by hand: one sheet of 1,100,000 rows — more than Excel holds — a few MB on disk."""
    path = folder / "million.xlsx"
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} {rel}><sheets>'
            '<sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><worksheet {ns}><sheetData>'.encode())
            for start in range(1, 1_100_001, 10_000):
                member.write(
                    "".join(
                        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, start + 10_000)
                    ).encode()
                )
            member.write(b"</sheetData></worksheet>")
    return path


# name -> (maker, expected exit code, what stderr or a finding must say)
CORPUS = {
    "random bytes": (random_bytes, 2, "不是 Excel 或 WPS 工作簿(.xlsx、.xls、.et、.ods)文件"),
    "empty": (empty, 2, "文件为空(0 字节)"),
    "OLE2 header and nothing else, as .xls": (old_xls, 2, "Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误"),
    "OLE2 header and nothing else, as .et": (wps_et, 2, "Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误"),
    "password-protected": (password_protected, 2, "工作簿设置了打开密码"),
    "truncated zip": (truncated_zip, 2, "文件已损坏或不完整"),
    "zip bomb in a picture": (zip_bomb, 0, None),
    "zip bomb in a sheet": (sheet_bomb, 2, "解压后超过 512 MB 上限"),
    "zip without a workbook": (not_a_workbook_zip, 2, "是压缩包但不是 Excel 工作簿"),
    "1,100,000 rows": (million_rows, 2, "工作表“表1”有 1100000 行,超过 1048576 行上限"),
    "stray cell at XFD1048576": (stray_far_cell, 2, "工作表“表1”用到第 16384 列,超过 1000 列上限"),
    "cell beyond its row": (cell_beyond_its_row, 2, "工作表“表1”用到第 16384 列,超过 1000 列上限"),
    "lower-case reference": (lower_case_reference, 2, "工作表“表1”用到第 16384 列,超过 1000 列上限"),
    "negative shared-string index": (
        negative_string_index,
        2,
        "文件已损坏: 工作表“表1”的单元格 X7 引用第 -1 个共享字符串,而工作簿只有 0 个",
    ),
    "end tag naming another element": (
        end_tag_misnamed,
        2,
        "文件已损坏: 工作表“表1”的内部文件 xl/worksheets/sheet1.xml 不是完整的 XML(标记不配对,在单元格 A1 处或其后)",
    ),
    "content types not XML": (
        content_types_damaged,
        2,
        "文件已损坏: 内部文件 [Content_Types].xml 不是完整的 XML(有不合规则的标记或字符,在该文件第 ",
    ),
    "workbook missing forms": (missing_forms, 1, "工作簿中未找到表1“行政执法案件数据情况统计表”"),
    "formula never calculated": (formula_never_calculated, 1, "移送案件数 是公式,但没有计算结果"),
    "text in number cells": (text_in_numbers, 1, "行政处罚 应填数字,现为“一百二十二”"),
    "negative count": (negative_count, 1, "反向衔接受案数 填了 -1,不能为负数"),
    "header renamed": (header_renamed, 1, "表4 未找到表头“移送案件数”(位于“正向衔接”之下)"),
}
CORPUS.update(LEGACY)  # crafted .xls, .et and .ods returns
