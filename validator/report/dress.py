"""How a written form looks and guards its input, as the official forms do: a bold title, the
header block bordered, wrapped and centred, columns wide enough that nothing overlaps, panes frozen
below the header, data validation on every input cell (whole numbers ≥ 0 for counts, at most two
decimals for money, 是/否 lists), and print setup (A4 landscape, one page wide, header rows repeated).
A form is drawn first (`Drawn`: values, merged ranges, heights) and written here through
XlsxWriter, which takes a cell's format as it is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from validator.model import Form
from validator.report.common import print_setup
from validator.shown import for_workbook


class Block(NamedTuple):
    """Where a form was written on its sheet: the title row, the header block, the unit rows."""

    top: int
    header: int  # the header block's first row
    data: int  # the first unit row
    end: int  # the row after the last row of the table (its 同比增减 and explanation included)
    last_col: int


@dataclass
class Drawn:
    """A form as drawn, before it is written: its values and merged ranges by (row, column), from
    1, and the heights of rows that need more than one line."""

    cells: dict = field(default_factory=dict)
    merges: list = field(default_factory=list)  # (first row, first column, last row, last column)
    heights: dict = field(default_factory=dict)


STYLES = {
    "title": {"bold": True, "font_size": 14, "align": "center"},
    "header": {"border": 1, "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter"},
    "body": {"border": 1, "text_wrap": True, "valign": "vcenter"},
}
DATES = {datetime.datetime: "yyyy-mm-dd hh:mm:ss", datetime.date: "yyyy-mm-dd"}


def dress(worksheet, formats: Formats, drawn: Drawn, form: Form, columns: dict, block: Block) -> None:
    """Write a drawn form on an XlsxWriter sheet as the official form looks and guards its input."""
    covered: set = set()
    for first_row, first_col, last_row, last_col in drawn.merges:
        value = drawn.cells.get((first_row, first_col))
        style = formats(_region(block, first_row, first_col), value)
        worksheet.merge_range(first_row - 1, first_col - 1, last_row - 1, last_col - 1, "", style)
        covered.update((r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1))
        if value is not None:
            _write(worksheet, first_row, first_col, value, style)
    for (row, col), value in drawn.cells.items():
        if (row, col) not in covered:
            _write(worksheet, row, col, value, formats(_region(block, row, col), value))
    for row in range(block.header, block.end):  # the table's empty cells framed too
        for col in range(1, block.last_col + 1):
            if (row, col) not in covered and (row, col) not in drawn.cells:
                worksheet.write_blank(row - 1, col - 1, None, formats(_region(block, row, col), None))
    for row in range(block.header, block.data):
        worksheet.set_row(row - 1, 48)
    for row, height in drawn.heights.items():
        worksheet.set_row(row - 1, height)
    _widths(worksheet, form, columns)
    _validate(worksheet, form, columns, block)
    worksheet.freeze_panes(block.data - 1, 2)
    _print_setup(worksheet, block.header - 1, block.data - 2)


class Formats:
    """A workbook's formats by region and date kind, each made once (XlsxWriter keeps every format
    it is asked for): one for all the forms of a workbook."""

    def __init__(self, book):
        self._book = book
        self._made: dict = {}

    def __call__(self, region: Optional[str], value: Any):
        shown = next((DATES[kind] for kind in DATES if isinstance(value, kind)), None)
        if region is None and shown is None:
            return None
        key = (region, shown)
        if key not in self._made:
            style = {**STYLES.get(region or "", {}), **({"num_format": shown} if shown else {})}
            self._made[key] = self._book.add_format(style)
        return self._made[key]


def _region(block: Block, row: int, col: int) -> Optional[str]:
    if (row, col) == (block.top, 1):
        return "title"
    if block.header <= row < block.data:
        return "header"
    if block.data <= row < block.end and col <= block.last_col:
        return "body"
    return None


def _write(worksheet, row: int, col: int, value: Any, style) -> None:
    """A value as what it is: a text always as text ("=…" is a name, never a formula; a control
    character shown), a number, a date."""
    if isinstance(value, bool):
        worksheet.write_boolean(row - 1, col - 1, value, style)
    elif isinstance(value, (int, float)):
        worksheet.write_number(row - 1, col - 1, value, style)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        worksheet.write_datetime(row - 1, col - 1, value, style)
    else:
        worksheet.write_string(row - 1, col - 1, for_workbook(str(value), ooxml_escape=False), style)


def _print_setup(worksheet, first: int, last: int) -> None:
    """A4 landscape, one page wide, the rows `first`..`last` (from 0) on every page."""
    worksheet.set_landscape()
    worksheet.set_paper(9)
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(first, last)


def _widths(worksheet, form: Form, columns: dict) -> None:
    worksheet.set_column(0, 0, 6)
    for item in form.fields:
        wide = 24 if item.type == "text" else 12 if item.type in ("money", "wan", "date") else 10
        for col in columns[item.id]:
            worksheet.set_column(col - 1, col - 1, wide)


def _validate(worksheet, form: Form, columns: dict, block: Block) -> None:
    """Data validation on the unit rows' input cells (the 同比增减 and explanation rows are text)."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    last = block.data if form.kind.one_unit else block.end - 1
    for item in form.fields:
        for col in columns[item.id]:
            rule = _rule(item, xl_rowcol_to_cell(block.data - 1, col - 1))
            if rule is not None:
                worksheet.data_validation(block.data - 1, col - 1, last - 1, col - 1, rule)


def _rule(item, first: str) -> Optional[dict]:
    if item.type == "count":
        rule = {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_message": f"{item.label}: 请填写不小于 0 的整数",
        }
    elif item.type in ("money", "wan"):
        formula = f"AND(ISNUMBER({first}),{first}>=0,ROUND({first},2)={first})"
        rule = {"validate": "custom", "value": formula, "error_message": f"{item.label}: 不小于 0,至多两位小数"}
    elif item.type == "choice" and item.choices:
        rule = {
            "validate": "list",
            "source": list(item.choices),
            "error_message": f"{item.label}: 请从 {'/'.join(item.choices)} 中选择",
        }
    else:
        return None
    return {**rule, "ignore_blank": True, "show_error": True}


GUIDANCE = (
    "怎样填写本表: 审核中“属实”的警告(数据确实如此、无须改动),在此逐条说明原因,每条一行。"
    "“规则”填警告的规则编号(如 T3-STAFF);“单元格”填警告所指的单元格(如 表3!H6);"
    "“说明”写明数据属实的原因(如 含 18 名已划转人员)。"
    "再次检查时,说明过的警告记为“已说明”;错误不能说明,须改正。"
)
PROMPTS = (
    ("规则", "警告的规则编号,如 T3-STAFF"),
    ("单元格", "警告所指的单元格,如 表3!H6"),
    ("说明", "数据属实的原因,写清楚,审核人据此判断"),
)


WIDTHS = (12, 16, 80)
GUIDANCE_HEIGHT = 62


def review_sheet(book) -> None:
    """The 审核说明 sheet a unit explains its warnings on (validator/read/review_notes.py), added
    to an XlsxWriter workbook (the blank template): what to write in row 1, the header in row 2
    (the reader looks for it in the top rows), an input prompt on each column, printed A4 with the
    header on every page. `add_review_sheet` adds the same sheet to a copy of a return."""
    from validator.read.review_notes import COLUMNS, SHEET

    sheet = book.add_worksheet(SHEET)
    sheet.merge_range(0, 0, 0, 2, GUIDANCE, book.add_format({"text_wrap": True, "valign": "top"}))
    sheet.set_row(0, GUIDANCE_HEIGHT)
    bold = book.add_format({"bold": True})
    for col, (title, width) in enumerate(zip(COLUMNS, WIDTHS)):
        sheet.write_string(1, col, title, bold)
        sheet.set_column(col, col, width)
    for col, (title, prompt) in enumerate(PROMPTS):
        sheet.data_validation(2, col, 499, col, {"validate": "any", "input_title": title, "input_message": prompt})
    sheet.freeze_panes(2, 0)
    _print_setup(sheet, 1, 1)


def add_review_sheet(book):
    """The 审核说明 sheet (`review_sheet`) added to an openpyxl workbook: a copy of a return the
    unit explains its warnings in. Returned."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from validator.read.review_notes import COLUMNS, SHEET

    sheet = book.create_sheet(SHEET)
    sheet["A1"] = GUIDANCE
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A1:C1")
    sheet.row_dimensions[1].height = GUIDANCE_HEIGHT
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", WIDTHS):
        sheet.column_dimensions[letter].width = width
    for letter, (title, prompt) in zip("ABC", PROMPTS):
        hint = DataValidation(type=None, showInputMessage=True, promptTitle=title, prompt=prompt)
        hint.add(f"{letter}3:{letter}500")
        sheet.add_data_validation(hint)
    sheet.freeze_panes = "A3"
    print_setup(sheet, "2:2")
    return sheet
