"""How a written form looks and guards its input, as the official forms do: a bold title, the
header block bordered, wrapped and centred, columns wide enough that nothing overlaps, panes frozen
below the header, data validation on every input cell (whole numbers ≥ 0 for counts, at most two
decimals for money, 是/否 lists), and print setup (A4 landscape, one page wide, header rows repeated)."""

from __future__ import annotations

from typing import NamedTuple

from validator.model import Form
from validator.report.common import print_setup

THIN = "thin"


class Block(NamedTuple):
    """Where a form was written on its sheet: the title row, the header block, the unit rows."""

    top: int
    header: int  # the header block's first row
    data: int  # the first unit row
    end: int  # the row after the last row of the table (its 同比增减 and explanation included)
    last_col: int


def dress(sheet, form: Form, columns: dict, block: Block) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    side = Side(style=THIN)
    border = Border(left=side, right=side, top=side, bottom=side)
    sheet.cell(block.top, 1).font = Font(bold=True, size=14)
    sheet.cell(block.top, 1).alignment = Alignment(horizontal="center")
    for row in range(block.header, block.data):
        for col in range(1, block.last_col + 1):
            cell = sheet.cell(row, col)
            cell.border, cell.font = border, Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    if block.end > block.data:
        first = sheet.cell(block.data, 1)
        first.border, first.alignment = border, Alignment(wrap_text=True, vertical="center")
        _alike(first, ((row, col) for row in range(block.data, block.end) for col in range(1, block.last_col + 1)))
    for row in range(block.header, block.data):
        sheet.row_dimensions[row].height = 48
    _widths(sheet, form, columns)
    _validate(sheet, form, columns, block)
    sheet.freeze_panes = sheet.cell(block.data, 3)
    print_setup(sheet, f"{block.header}:{block.data - 1}")


def _alike(first, places) -> None:
    """Every cell at `places` framed and aligned as `first`: its style's indices copied, as
    openpyxl's own copy_worksheet does, rather than each style object looked up again in the
    workbook's lists (a consolidated 表3 of 1,000 units took 4.4 s in that look-up); a cell's own
    number format (a date's) is put back."""
    from copy import copy

    sheet, general = first.parent, first.number_format
    for row, col in places:
        cell = sheet.cell(row, col)
        shown = cell.number_format
        cell._style = copy(first._style)
        if shown != general:
            cell.number_format = shown


def _widths(sheet, form: Form, columns: dict) -> None:
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions["A"].width = 6
    for field in form.fields:
        for col in columns[field.id]:
            wide = 24 if field.type == "text" else 12 if field.type in ("money", "wan", "date") else 10
            sheet.column_dimensions[get_column_letter(col)].width = wide


def _validate(sheet, form: Form, columns: dict, block: Block) -> None:
    """Data validation on the unit rows' input cells (the 同比增减 and explanation rows are text)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = block.data if form.kind.one_unit else block.end - 1
    for field in form.fields:
        for col in columns[field.id]:
            letter = get_column_letter(col)
            cells = f"{letter}{block.data}:{letter}{last}"
            rule = _rule(field, f"{letter}{block.data}", DataValidation)
            if rule is not None:
                rule.add(cells)
                sheet.add_data_validation(rule)


def _rule(field, first: str, DataValidation):
    if field.type == "count":
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            error=f"{field.label}: 请填写不小于 0 的整数",
        )
    if field.type in ("money", "wan"):
        return DataValidation(
            type="custom",
            formula1=f"AND(ISNUMBER({first}),{first}>=0,ROUND({first},2)={first})",
            allow_blank=True,
            showErrorMessage=True,
            error=f"{field.label}: 不小于 0,至多两位小数",
        )
    if field.type == "choice" and field.choices:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(field.choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            error=f"{field.label}: 请从 {'/'.join(field.choices)} 中选择",
        )
    return None


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


def add_review_sheet(book):
    """The 审核说明 sheet a unit explains its warnings on (validator/read/review_notes.py): what to
    write in row 1, the header in row 2 (the reader looks for it in the top rows), an input prompt
    on each column, printed A4 with the header on every page. Returned."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from validator.read.review_notes import COLUMNS, SHEET

    sheet = book.create_sheet(SHEET)
    sheet["A1"] = GUIDANCE
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A1:C1")
    sheet.row_dimensions[1].height = 62
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (12, 16, 80)):
        sheet.column_dimensions[letter].width = width
    for letter, (title, prompt) in zip("ABC", PROMPTS):
        hint = DataValidation(type=None, showInputMessage=True, promptTitle=title, prompt=prompt)
        hint.add(f"{letter}3:{letter}500")
        sheet.add_data_validation(hint)
    sheet.freeze_panes = "A3"
    print_setup(sheet, "2:2")
    return sheet
