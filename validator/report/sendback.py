"""What a reviewer sends back to each unit (`formcheck batch --send-back DIR`): a folder named by
the unit holding its annotated copy — the findings across returns and against reference data on
the cells they concern too — whose first sheet, 审核意见, says who reviewed it and when, its
status, each finding with what to do and the reviewer's remark, and leaves room for more; and
名单.csv, every registered unit in registry order with its status (未报送 for one that filed
nothing, which gets no folder) and its folder."""

from __future__ import annotations

import csv
import datetime
import io
import os
from typing import Any

from validator.i18n import say
from validator.report.common import severity_name, status_name, units_in_order, wrapped_height
from validator.report.csv_report import safe_cell
from validator.shown import name, text_row

MESSAGES: dict[str, dict[str, Any]] = {
    "sheet": {"zh": "审核意见", "en": "Review"},
    "title": {"zh": "{year} 年行政执法统计年报审核意见", "en": "Review of the {year} return"},
    "who": {"zh": "审核单位: {reviewer}    审核日期: {date}", "en": "reviewed by {reviewer} on {date}"},
    "whose": {
        "zh": "填报单位: {unit}    报表: {file}    状态: {status}",
        "en": "unit: {unit}   file: {file}   status: {status}",
    },
    "head": {
        "zh": ["级别", "规则", "单元格", "问题与改正方法", "审核人意见"],
        "en": ["severity", "rule", "cell", "problem and remedy", "reviewer's remark"],
    },
    "none": {"zh": "未发现问题。", "en": "No problem found."},
    "more": {"zh": "审核人其他意见:", "en": "Further remarks:"},
    "list_head": {"zh": ["填报单位", "状态", "文件夹"], "en": ["unit", "status", "folder"]},
    "missing": {"zh": "未报送", "en": "not filed"},
    "bad_remarks": {
        "zh": "{path} 第 {line} 行: 审核意见文件每行应为 单位,单元格,意见 三列",
        "en": "{path} line {line}: each row of the remarks is unit, cell, remark",
    },
}
ROOM = 5  # empty rows left for the reviewer's own remarks
WIDTHS = (8, 12, 12, 70, 36)


class BadRemarks(Exception):
    def __init__(self, path: str, line: int):
        super().__init__(path, line)
        self.path, self.line = path, line

    def said(self, lang: str) -> str:
        return say(MESSAGES, "bad_remarks", lang, path=self.path, line=self.line)


def read_remarks(path: str) -> dict[tuple[str, str], str]:
    """{(unit, cell): remark} of a CSV of unit, cell, remark (a header row of other words is skipped)."""
    from validator.files import read_text

    remarks: dict[tuple[str, str], str] = {}
    for line, row in enumerate(csv.reader(io.StringIO(read_text(path).lstrip("\ufeff"))), 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise BadRemarks(path, line)
        unit, cell, text = (cell.strip() for cell in row)
        if line == 1 and cell in ("单元格", "cell"):
            continue
        remarks[(unit, cell)] = text
    return remarks


def folder_of(root: str, unit: str, file: str) -> str:
    """The unit's folder: its name as a file name may hold it (the file's own name without one)."""
    shown = "".join(c if c.isalnum() or c in "()()-_·" else "_" for c in (unit or os.path.basename(file)))
    return os.path.join(root, shown[:80] or "_")


def opinion(entry: dict, findings: list, status: str, remarks: dict, reviewer: str, lang: str):
    """What puts the 审核意见 sheet first in a unit's copy (annotate_file's `before_save`)."""

    def add(book: Any) -> None:
        from openpyxl.styles import Alignment, Font

        sheet = book.create_sheet(MESSAGES["sheet"][lang], 0)
        book.active = 0
        today = datetime.date.today().isoformat()
        text_row(sheet, [say(MESSAGES, "title", lang, year=entry.get("year") or "")])
        text_row(sheet, [say(MESSAGES, "who", lang, reviewer=reviewer or "—", date=today)])
        whose = say(
            MESSAGES,
            "whose",
            lang,
            unit=entry["unit"] or "?",
            file=name(os.path.basename(entry["file"])),
            status=status_name(status, lang),
        )
        text_row(sheet, [whose])
        text_row(sheet, MESSAGES["head"][lang])
        for finding in findings or ():
            cell = finding.cells[0] if finding.cells else ""
            remark = remarks.get((entry["unit"], cell), "")
            row = [severity_name(finding.severity, lang), finding.rule, cell, finding.said(lang), remark]
            text_row(sheet, [str(value) for value in row])
            sheet.row_dimensions[sheet.max_row].height = wrapped_height(row, WIDTHS)
        if not findings:
            text_row(sheet, [MESSAGES["none"][lang]])
        text_row(sheet, [MESSAGES["more"][lang]])
        for number in (1, 2, 3, sheet.max_row):  # the lines said across the sheet
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(WIDTHS))
        for _ in range(ROOM):
            sheet.append([])
            sheet.row_dimensions[sheet.max_row].height = 30
        sheet["A1"].font = Font(bold=True, size=14)
        for column, width in zip("ABCDE", WIDTHS):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=5):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.sheet_properties.pageSetUpPr.fitToPage = 1, True
        sheet.page_setup.fitToHeight = 0
        sheet.print_title_rows = "4:4"

    return add


def listing(registry: Any, statuses: dict, folders: dict, lang: str) -> str:
    """名单.csv: every registered unit with its status and folder, then the returns of units the
    registry does not know."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MESSAGES["list_head"][lang])
    for unit, _, files in units_in_order([(file, unit) for file, (unit, _) in statuses.items()], registry):
        if not files:
            writer.writerow([safe_cell(unit), MESSAGES["missing"][lang], ""])
        for file in files:
            writer.writerow([safe_cell(unit), status_name(statuses[file][1], lang), safe_cell(folders.get(file, ""))])
    return "\ufeff" + out.getvalue()
