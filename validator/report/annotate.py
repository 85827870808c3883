"""The annotated copy of a return (`formcheck check FILE --annotate OUT.xlsx`): the filer's own
workbook with each finding on its cell — the cell to change filled (red for an error, amber for a
warning, blue for a warning the unit explained) and carrying a comment with the rule and what to
do, the finding's other cells outlined — a first sheet 审核结果 listing every finding with a link to
its cell, and a 审核说明 sheet with a row to complete for each warning not yet explained.

The copy is made from the parts intake read and measured (the workbook, its sheets, styles and
shared strings), through openpyxl, which keeps values, formulas, merges, widths, heights, styles,
hidden sheets and data validation, but not pictures, charts or the values Excel cached for
formulas (Excel and WPS calculate them again on opening). The input file is never written.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from validator.i18n import say
from validator.read.review_notes import RESULTS_SHEET as RESULTS
from validator.read.review_notes import SHEET as REVIEW_SHEET
from validator.report import located, marks
from validator.report.common import print_setup, severity_name
from validator.report.dress import add_review_sheet
from validator.shown import for_workbook, text_cell

FILLS, OUTLINE = marks.FILLS, marks.OUTLINE
CHANGE = "FFC00000"  # the frame of a cell the fewest changes change
MESSAGES: dict[str, dict[str, Any]] = {
    "head": {
        "zh": ["级别", "规则", "依据", "改此单元格", "相关单元格", "问题与改正方法", "说明"],
        "en": ["severity", "rule", "origin", "cell to change", "related cells", "problem and remedy", "explanation"],
    },
    "title": {
        "zh": "审核结果: 错误 {errors} 项,警告 {warnings} 项,已说明 {explained} 项。红色单元格须改正;黄色单元格请核实,属实的在“审核说明”表中说明原因。",
        "en": "Result: {errors} errors, {warnings} warnings, {explained} explained. Red cells must be corrected; "
        "amber ones checked, and if right, explained on the 审核说明 sheet.",
    },
    "clean": {"zh": "审核结果: 未发现问题。", "en": "Result: no problems found."},
    "comment": {"zh": "{severity} {rule}({origin})\n{message}", "en": "{severity} {rule} ({origin})\n{message}"},
    "explained": {"zh": "已说明: {text}", "en": "explained: {text}"},
    "not_annotated": {
        "zh": "{file} 的标注副本未能生成: 工作簿中有生成副本所用的程序(openpyxl)读不懂的内容({detail});检查结果不受影响。用 Excel 或 WPS 打开、重新保存后,可再生成标注副本",
        "en": "no annotated copy of {file}: the workbook holds something the library that writes the copy (openpyxl) cannot read ({detail}); the check's results stand. Open it in Excel or WPS, save it again, and ask for the copy again",
    },
}
_ADDRESS = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


class NotAnnotated(Exception):
    """openpyxl could not load a return the reader read (it checks what python-calamine lets
    pass: an attribute it does not know, a style out of range); `said(lang)` tells the user."""

    def __init__(self, path: str, cause: Exception):
        lines = str(cause).strip().splitlines()  # openpyxl explains over several lines: the first says it
        self.path, self.detail = path, f"{type(cause).__name__}: {lines[0] if lines else ''}"
        super().__init__(self.detail)

    def said(self, lang: str) -> str:
        return say(MESSAGES, "not_annotated", lang, file=self.path, detail=self.detail[:200])


def annotate_file(
    handle,
    path: str,
    findings: list,
    limits,
    lang: str,
    review_notes: Optional[dict] = None,
    localisation=None,
    before_save=None,
) -> None:
    """Write the annotated copy of the return at `path` to a binary file, made from the parts intake
    reads and measures. `review_notes` ({(rule, cell): text}, typed by the unit in the web page)
    fill the 说明 column of their warnings' rows on the 审核说明 sheet. The cells a `localisation`
    changes (rules/localise.py) get a thick red frame and, in their comment, what to write.
    `before_save(book)` adds what a caller adds (the 审核意见 sheet a reviewer sends back)."""
    from validator.read.gate import inspect

    with inspect(path, limits) as inspection:
        book = _loaded(inspection, path)
    marks.clear(book)  # an annotated copy annotated again: the unit's workbook, then today's marks
    ledger = marks.Ledger(book)
    for finding in findings:
        _mark(book, finding, lang, ledger)
    if localisation is not None and localisation.sets:
        _mark_changes(book, localisation, lang, ledger)
    _results_sheet(book, findings, lang)
    _explanation_rows(book, findings, review_notes or {}, ledger)
    ledger.save()
    if before_save is not None:
        before_save(book)
    book.save(handle)


def _loaded(inspection, path: str):
    """The workbook to mark: an .xlsx as openpyxl loads the parts intake read; an .xls or .ods,
    which openpyxl cannot open, made anew as .xlsx from what the reader read — its values, merged
    ranges and hidden sheets (its styles stay in the original)."""
    from openpyxl import Workbook, load_workbook

    if inspection.kind == "xlsx":
        with inspection.opened() as archive:
            try:
                return load_workbook(archive)
            except Exception as exc:  # noqa: BLE001 - openpyxl is stricter than the reader, in many ways
                raise NotAnnotated(path, exc) from None
    from validator.read.grid import read_grids

    book = Workbook()
    book.remove(book.active)
    try:
        for grid in read_grids(inspection):
            sheet = book.create_sheet(grid.sheet)
            sheet.sheet_state = grid.state
            for row, line in enumerate(grid.rows, 1):
                for col, value in enumerate(line, 1):
                    if value is not None and value != "":
                        _put(sheet.cell(row, col), value)
            for row, col, value, _ in grid.covered:
                _put(sheet.cell(row, col), value)
            for r1, c1, r2, c2 in grid.merges:
                sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    except ValueError as exc:  # what an .ods may hold and a workbook may not (a range past column ZZZ)
        raise NotAnnotated(path, exc) from None
    return book


def _put(cell, value) -> None:
    """A value as the reader read it; a text always as text, never as a formula, a control
    character shown (an .xls may hold one in a title, which a workbook cannot)."""
    text_cell(cell, value)


def is_copied_anew(path: str) -> bool:
    """Whether a return's annotated copy is made anew as .xlsx (an .xls, .et or .ods return)."""
    return not str(path).lower().endswith((".xlsx", ".xlsm"))


def copy_name(folder: str, path: str) -> str:
    """Where a return's annotated copy goes in `batch --annotate-dir`: its name with 审核 added."""
    import os

    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(folder, f"{stem}_审核.xlsx")


def split_address(address: str):
    """(sheet, "C7") of "表1!C7" or "'表1 (2)'!C7"; None for anything else."""
    match = _ADDRESS.match(address)
    if match is None:
        return None
    sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
    return sheet, f"{match.group(3)}{match.group(4)}"


def _mark(book, finding, lang: str, ledger) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, PatternFill, Side

    for index, address in enumerate(finding.cells):
        place = split_address(address)
        if place is None or place[0] not in book.sheetnames:
            continue
        cell = _shown_cell(book[place[0]], place[1])
        if cell is None:
            continue
        ledger.keep(place[0], cell)
        if index == 0:
            kind = "explained" if finding.explained else finding.severity
            cell.fill = PatternFill("solid", fgColor=FILLS.get(kind, FILLS["info"]))
            cell.comment = _comment(cell.comment, finding, lang, Comment)
        else:
            side = Side(style="medium", color=OUTLINE)
            cell.border = Border(left=side, right=side, top=side, bottom=side)


def _mark_changes(book, found, lang: str, ledger) -> None:
    """The cells of the fewest changes, apart from those merely involved: a thick red frame, and
    in the comment the range each may take (and the likely slip, on its cell)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, Side

    said = {change.cell: located.change_note(change, lang) for change in found.sets[0]}
    if found.slip is not None:
        said[found.slip.cell] = located.slip_text(found.slip, lang)
    for address, text in said.items():
        place = split_address(address)
        cell = _shown_cell(book[place[0]], place[1]) if place is not None and place[0] in book.sheetnames else None
        if cell is None:
            continue
        ledger.keep(place[0], cell)
        side = Side(style="thick", color=CHANGE)
        cell.border = Border(left=side, right=side, top=side, bottom=side)
        text = for_workbook(text if cell.comment is None else cell.comment.text + "\n\n" + text)
        cell.comment = Comment(text, marks.AUTHOR)
        cell.comment.width, cell.comment.height = 360, 40 + 18 * (len(text) // 24 + text.count("\n"))


def _shown_cell(sheet, coordinate: str):
    """The cell at `coordinate` as the filer sees it: for one a merged range covers (a finding on
    a figure hidden there), the range's top-left cell, which shows and can carry a comment; None
    where every range over it starts under another (overlapping ranges, which Excel repairs)."""
    from openpyxl.cell.cell import MergedCell

    cell = sheet[coordinate]
    if not isinstance(cell, MergedCell):
        return cell
    for merged in sheet.merged_cells.ranges:
        if coordinate in merged:
            top_left = sheet.cell(merged.min_row, merged.min_col)
            if not isinstance(top_left, MergedCell):
                return top_left
    return None


def _comment(existing, finding, lang: str, Comment):
    text = say(
        MESSAGES,
        "comment",
        lang,
        severity=severity_name(finding.severity, lang),
        rule=finding.rule,
        origin=finding.origin_in(lang),
        message=finding.said(lang),
    )
    if finding.explained:
        text += "\n" + say(MESSAGES, "explained", lang, text=finding.explanation)
    if existing is not None:
        text = existing.text + "\n\n" + text  # the unit's own note, or another finding on the cell: both said
    comment = Comment(for_workbook(text), marks.AUTHOR)  # a unit's name may hold control characters
    comment.width, comment.height = 360, 40 + 18 * (len(text) // 24 + text.count("\n"))
    return comment


def _results_sheet(book, findings: list, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if RESULTS in book.sheetnames:
        del book[RESULTS]
    sheet = book.create_sheet(RESULTS, 0)
    counts = {
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning" and not f.explained),
        "explained": sum(1 for f in findings if f.explained),
    }
    text_cell(sheet.cell(1, 1), say(MESSAGES, "title", lang, **counts) if findings else say(MESSAGES, "clean", lang))
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    sheet.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A1:G1")
    sheet.row_dimensions[1].height = 36
    for col, head in enumerate(MESSAGES["head"][lang], 1):
        text_cell(sheet.cell(3, col), head)
        sheet.cell(3, col).font = Font(bold=True)
    order = {"error": 0, "warning": 1, "info": 2}
    for row, finding in enumerate(sorted(findings, key=lambda f: (f.explained, order.get(f.severity, 3))), 4):
        kind = "explained" if finding.explained else finding.severity
        values = [
            severity_name(finding.severity, lang),
            finding.rule,
            finding.origin_in(lang),
            finding.cells[0] if finding.cells else "",
            "\n".join(finding.cells[1:]),
            finding.said(lang),
            finding.explanation,
        ]
        for col, value in enumerate(values, 1):
            cell = sheet.cell(row, col)
            text_cell(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS.get(kind, FILLS["info"]))
        place = split_address(finding.cells[0]) if finding.cells else None
        if place is not None and place[0] in book.sheetnames:
            link = sheet.cell(row, 4)
            quoted = place[0].replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{place[1]}")
            link.style = "Hyperlink"
            link.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * max(2, len(finding.message_in(lang)) // 30 + 1)
    for letter, width in zip("ABCDEFG", (8, 12, 22, 14, 14, 60, 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    print_setup(sheet, "3:3")
    book.active = 0


def _explanation_rows(book, findings: list, review_notes: dict, ledger) -> None:
    """A row to complete on the 审核说明 sheet for each warning not yet explained, completed where
    `review_notes` gives its text (an empty 说明 already there is filled in too)."""
    waiting = [f for f in findings if f.severity == "warning" and not f.explained and f.cells]
    sheet = book[REVIEW_SHEET] if REVIEW_SHEET in book.sheetnames else add_review_sheet(book)
    listed = {
        (str(row[0].value), str(row[1].value)): row[2] for row in sheet.iter_rows(min_row=2, max_col=3) if len(row) == 3
    }
    for finding in waiting:
        key = (finding.rule, finding.cells[0])
        if key not in listed:
            sheet.append([None, None, None])
            text_cell(sheet.cell(sheet.max_row, 1), finding.rule)
            text_cell(sheet.cell(sheet.max_row, 2), finding.cells[0])
            listed[key] = sheet.cell(sheet.max_row, 3)
            ledger.row_added(*key)
        text = str(review_notes.get(key, "")).strip()
        if text and not listed[key].value:
            text_cell(listed[key], text)
