"""Hostile input, round two: whole runs of formcheck built on the spot — crafted files, special files,
reference files and packs, output paths, names — each with the answer it must give.

Used by test_hostile.py (answers, exit codes, inputs unchanged, no traceback) and by
bench/hostile.py (time and peak memory of each under a 1 GiB cap). A maker takes a folder and
returns the command's arguments after `formcheck`.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from hostile_corpus import SAMPLES, edited_copy

BATCH = SAMPLES / "batch"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _first_cell(reference: bytes):
    return lambda xml: xml.replace(b'<c r="A1"', b"<c " + reference, 1)


def single_quotes(folder: Path) -> list:
    return [
        "check",
        edited_copy(
            SAMPLES / "clean.xlsx", folder / "quotes.xlsx", "xl/worksheets/sheet1.xml", _first_cell(b"r='XFD1048576'")
        ),
    ]


def spaces_around_equals(folder: Path) -> list:
    return [
        "check",
        edited_copy(
            SAMPLES / "clean.xlsx", folder / "spaces.xlsx", "xl/worksheets/sheet1.xml", _first_cell(b'r = "XFD1048576"')
        ),
    ]


def rows_and_cells_without_references(folder: Path) -> list:
    def edit(xml: bytes) -> bytes:
        start, end = xml.index(b"<sheetData>") + len(b"<sheetData>"), xml.index(b"</sheetData>")
        return xml[:start] + b"<row/>" * 1_048_000 + b"<row>" + b"<c/>" * 16_384 + b"</row>" + xml[end:]

    return ["check", edited_copy(SAMPLES / "clean.xlsx", folder / "no_refs.xlsx", "xl/worksheets/sheet1.xml", edit)]


def two_end_records(folder: Path) -> list:
    path = folder / "two_ends.xlsx"
    data = (SAMPLES / "clean.xlsx").read_bytes()
    path.write_bytes(data + data[data.rindex(b"PK\x05\x06") :])
    return ["check", path]


def _shared_string_bomb(folder: Path, name: str) -> Path:
    """One 20 MB shared string named by 200 cells: 32 KB on disk, 4 GB to a reader that copies it."""
    big = b"<si><t>" + b"x" * (20 << 20) + b"</t></si>"
    cells = b"".join(b'<c r="Z%d" t="s"><v>0</v></c>' % row for row in range(1, 201))
    rel = (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    path = folder / name
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                data = data.replace(b"</sheetData>", b'<row r="300">' + cells + b"</row></sheetData>")
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", rel)
            copy.writestr(info.filename, data)
        copy.writestr("xl/sharedStrings.xml", f"<sst {NS}>".encode() + big + b"</sst>")
    return path


def shared_string_named_200_times(folder: Path) -> list:
    return ["check", _shared_string_bomb(folder, "strings.xlsx")]


def reader_that_dies(folder: Path) -> list:
    """The same, with intake's cap on named text raised past it: python-calamine then aborts."""
    return ["check", _shared_string_bomb(folder, "strings_let_through.xlsx"), "--max-text", "100000"]


def merged_ranges_to_the_last_row(folder: Path) -> list:
    merges = b"".join(b'<mergeCell ref="A%d:B1048576"/>' % n for n in range(6, 206))
    return [
        "check",
        edited_copy(
            SAMPLES / "clean.xlsx",
            folder / "merges.xlsx",
            "xl/worksheets/sheet4.xml",
            lambda xml: xml.replace(b"</mergeCells>", merges + b"</mergeCells>"),
        ),
        "--format",
        "json",
    ]


def one_case_number_5000_times(folder: Path) -> list:
    from openpyxl import load_workbook

    path = folder / "register.xlsx"
    book = load_workbook(SAMPLES / "clean.xlsx")
    sheet = book.create_sheet("案件清单")
    sheet.append(["2024 年案件清单"])
    sheet.append(["填报单位: 湘乡市应急管理局"])
    sheet.append(["序号", "案件编号", "案件类别", "办结日期", "是否涉企", "罚没金额(元)", "委托机关"])
    for number in range(1, 5001):
        sheet.append([number, "XX-2024-0001", "行政检查", "2024-03-01", "否", None, None])
    book.save(path)
    return ["batch", path, "--format", "json"]


def unit_filed_60_times(folder: Path) -> list:
    city = folder / "copies"
    city.mkdir()
    for number in range(60):
        shutil.copy(SAMPLES / "clean.xlsx", city / f"{number:02d}_湘乡市应急管理局.xlsx")
    return ["batch", city, "--format", "json"]


def named_pipe(folder: Path) -> list:
    path = folder / "pipe.xlsx"
    os.mkfifo(path)
    return ["check", path]


def dev_zero(folder: Path) -> list:
    return ["check", "/dev/zero"]


def special_entries_in_a_batch_folder(folder: Path) -> list:
    city = folder / "city"
    city.mkdir()
    shutil.copy(SAMPLES / "clean.xlsx", city / "01_clean.xlsx")
    os.symlink(city / "02_loop.xlsx", city / "02_loop.xlsx")
    os.symlink(city / "absent.xlsx", city / "03_dangling.xlsx")
    os.mkfifo(city / "04_pipe.xlsx")
    (city / "05_folder.xlsx").mkdir()
    os.symlink("/dev/urandom", city / "06_random.xlsx")
    return ["batch", city, "--format", "json"]


BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
        f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(8)
    )
    + "units: *i\n"
)


def yaml_bomb_registry(folder: Path) -> list:
    path = folder / "units.yaml"
    path.write_text(BOMB, encoding="utf-8")
    return ["check", SAMPLES / "clean.xlsx", "--registry", path]


def yaml_bomb_pack(folder: Path) -> list:
    pack = folder / "pack"
    shutil.copytree(SAMPLES.parent / "rules" / "default", pack)
    manifest = pack / "pack.yaml"
    manifest.write_text(BOMB.replace("units: *i\n", "") + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return ["check", SAMPLES / "clean.xlsx", "--pack", pack]


def deep_expression(folder: Path) -> list:
    pack = folder / "deep"
    shutil.copytree(SAMPLES.parent / "rules" / "default", pack)
    rules = pack / "rules" / "two_law_link.yaml"
    deep = "(" * 90 + "transferred" + ")" * 90
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "assert: transferred >= criminal_filed", f"assert: {deep} >= criminal_filed"
        ),
        encoding="utf-8",
    )
    return ["check", SAMPLES / "clean.xlsx", "--pack", pack]


def long_sum(folder: Path) -> list:
    pack = folder / "long"
    shutil.copytree(SAMPLES.parent / "rules" / "default", pack)
    rules = pack / "rules" / "two_law_link.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "assert: transferred >= criminal_filed", "assert: transferred" + " + 1" * 332 + " >= criminal_filed"
        ),
        encoding="utf-8",
    )
    return ["check", SAMPLES / "clean.xlsx", "--pack", pack]


def report_over_the_registry(folder: Path) -> list:
    registry = folder / "units.yaml"
    shutil.copy(BATCH / "units.yaml", registry)
    return ["batch", BATCH, "--registry", registry, "-o", registry]


def report_and_summary_to_one_file(folder: Path) -> list:
    return ["batch", BATCH, "-o", folder / "out.xlsx", "--summary", folder / "out.xlsx"]


def report_into_a_missing_folder(folder: Path) -> list:
    return ["batch", BATCH, "-o", folder / "no" / "such" / "report.json"]


def report_to_a_full_disk(folder: Path) -> list:
    return ["check", SAMPLES / "clean.xlsx", "-o", "/dev/full"]


def names_not_utf8_and_formulas(folder: Path) -> list:
    """A file name in GB 18030 bytes, unit names that are formulas and control characters."""
    from openpyxl import load_workbook

    city = folder / "names"
    city.mkdir()
    gbk = os.fsdecode("湘乡市报表".encode("gbk") + b".xlsx")
    shutil.copy(SAMPLES / "clean.xlsx", os.path.join(city, gbk))
    for name, unit in (
        ("formula.xlsx", '=HYPERLINK("http://example.invalid","点此查看")'),
        ("dde.xlsx", "=cmd|' /C calc'!A0"),
        # openpyxl writes no control character; a reader decodes this OOXML escape into ESC and BEL
        ("escape.xlsx", "某单位_x001B_[31m_x0007_\u202eslx.exe"),
    ):
        book = load_workbook(SAMPLES / "clean.xlsx")
        for sheet in book.worksheets:
            sheet["A2"] = f"填报单位: {unit}"
        book.save(city / name)
    return ["batch", city, "--summary", folder / "summary.xlsx"]


# name -> (maker, expected exit code, what the output must say, or None)
RUNS = {
    "reference in single quotes": (single_quotes, 2, "工作表“表1”用到第 16384 列"),
    "spaces around = in a reference": (spaces_around_equals, 2, "工作表“表1”用到第 16384 列"),
    "rows and cells without references": (rows_and_cells_without_references, 2, "超过 1000 列上限"),
    "two end-of-directory records": (two_end_records, 2, "文件已损坏或不完整"),
    "20 MB shared string named 200 times": (shared_string_named_200_times, 2, "超过 256 MB 上限"),
    "a reader that dies on a file": (reader_that_dies, 2, "读取程序在此文件上异常退出"),
    "200 merged ranges to row 1048576": (merged_ranges_to_the_last_row, 1, "被合并单元格"),
    "one case number 5,000 times": (one_case_number_5000_times, 1, "……本规则另有"),
    "one unit filed 60 times": (unit_filed_60_times, 1, "共报送了 60 份报表"),
    "a named pipe": (named_pipe, 2, "命名管道"),
    "/dev/zero": (dev_zero, 2, "设备文件"),
    "links, pipes and folders in a batch folder": (special_entries_in_a_batch_folder, 1, "循环链接"),
    "YAML bomb as the registry": (yaml_bomb_registry, 2, "YAML 炸弹"),
    "YAML bomb in pack.yaml": (yaml_bomb_pack, 2, "YAML 炸弹"),
    "90 nested brackets in a rule": (deep_expression, 2, "嵌套超过 40 层"),
    "a sum of 333 terms in a rule": (long_sum, 2, "嵌套超过 40 层"),
    "the report over the registry": (report_over_the_registry, 2, "是本次检查的输入文件"),
    "-o and --summary one file": (report_and_summary_to_one_file, 2, "被指定为两个输出"),
    "-o into a missing folder": (report_into_a_missing_folder, 2, "不存在"),
    "-o /dev/full": (report_to_a_full_disk, 2, "无法写入 /dev/full"),
    "names in GBK, formulas and escapes": (names_not_utf8_and_formulas, 0, "湘乡市报表.xlsx"),
}
