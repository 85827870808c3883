"""Writing a return workbook from a form definition and figures, the way the blank template looks.

Used to make the bundled samples and the tests' workbooks, and later the blank template itself.
`figures` is a mapping as in samples/data/*.yaml:

    year: 2024
    unit: 湘乡市应急管理局
    contact: 张某 13800000000
    forms:
      case_stats: {prev: {licensing: 256, ...}, cur: {...}, yoy: {licensing: "+10.9%"}, explanation: "..."}
      support: {rows: [{unit_name: ..., staff_admin: 25, ...}]}

Values are written as given, so a sample can hold "1,032,283" as text or "—" for none.
"""

from __future__ import annotations

from typing import Optional

from validator.model import Form
from validator.report.dress import Block, Drawn, Formats, dress
from validator.report.dress import review_sheet as write_review_sheet
from validator.shown import for_workbook


def write_return(
    path,
    pack,
    figures: dict,
    sheet_names: Optional[dict] = None,
    order: Optional[list] = None,
    offset: int = 0,
    review_sheet: bool = False,
    before_save=None,
) -> None:
    """Write one workbook to a path or a binary file. `sheet_names` renames sheets, `order`
    reorders forms and `offset` inserts that many blank rows above every form: the ways real files
    drift from the template. `review_sheet` adds the 审核说明 sheet, as the blank template has it;
    `before_save(book)` adds what a caller adds to the XlsxWriter workbook (a consolidation's 明细
    sheet). XlsxWriter, as the summary is written: openpyxl's object model took four times as long
    for a consolidated 表3 and 表4 of 1,000 units."""
    import xlsxwriter

    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
    book = xlsxwriter.Workbook(path, options)
    forms, formats = figures.get("forms", {}), Formats(book)
    shown = []
    for form_id in order or list(pack.forms):
        form = pack.forms[form_id]
        if form.optional and form_id not in forms:
            continue
        sheet = book.add_worksheet(for_workbook((sheet_names or {}).get(form_id, form.short), ooxml_escape=False))
        state = forms.get(form_id, {}).get("state", "visible")
        if state != "visible":
            sheet.very_hidden() if state == "veryHidden" else sheet.hide()
        else:
            shown.append(sheet)
        _write_form(sheet, formats, form, figures, forms.get(form_id, {}), 1 + offset)
    if review_sheet:
        write_review_sheet(book)
    if shown:  # Excel opens on a visible sheet: a hidden first one is never the active one
        shown[0].activate()
    if before_save is not None:
        before_save(book)
    book.close()


def blank_figures(pack, year: int, unit: str = "") -> dict:
    """The figures of a blank return (`formcheck template`, the page's download): the year, and
    the unit's name wherever the forms ask for it — the 填报单位 lines and each form's unit-name
    cell (表3 and 表4 in their first row), as a workbook can hold it."""
    from validator.shown import for_workbook

    unit = for_workbook(unit) if unit else ""
    forms: dict = {}
    for form_id, form in pack.forms.items():
        name_field = form.roles.get("unit_name")
        if not unit or not name_field or form.optional:
            continue
        forms[form_id] = {"unit_name": unit} if form.kind.one_unit else {"rows": [{name_field: unit}]}
    return {"year": year, "unit": unit, "forms": forms}


def _write_form(worksheet, formats: Formats, form: Form, figures: dict, data: dict, top: int) -> None:
    year = int(figures.get("year", 2024))
    columns = layout_columns(form)
    last_col = max(max(cols) for cols in columns.values())
    sheet = Drawn()
    title = data.get("title", f"{year} 年{form.title}")
    _put(sheet, top, 1, title, merge_to=(top, last_col))
    _put(
        sheet, top + 1, 1, f"填报单位: {data.get('unit', figures.get('unit', ''))} (盖章)", merge_to=(top + 1, last_col)
    )
    _put(
        sheet,
        top + 2,
        1,
        f"联系人和联系方式: {data.get('contact', figures.get('contact', ''))}",
        merge_to=(top + 2, last_col),
    )
    header = top + 3
    if form.kind.one_unit:
        data_row = _periodic_header(sheet, form, columns, header, year, data.get("header_years"))
        end = _periodic_body(sheet, form, columns, data_row, data)
    else:
        data_row = _list_header(sheet, form, columns, header)
        end = _list_body(sheet, form, columns, data_row, data)
    _notes(sheet, form, end + 1, year, last_col)
    dress(worksheet, formats, sheet, form, columns, Block(top, header, data_row, end, last_col))


def layout_columns(form: Form) -> dict:
    """field id -> its columns: one, or two (prev, cur) for figures of a periodic form."""
    columns, col = {"serial": [1]}, 2
    for field in form.fields:
        width = form.kind.columns_of(field.numeric)
        columns[field.id] = list(range(col, col + width))
        col += width
    return columns


def _label(field) -> str:
    """A header: the label, and its unit on a line of its own where the label itself wraps (a
    lone ")" at the start of a line is what a narrow column makes of "…办案数(件)")."""
    if not field.unit:
        return field.label
    return f"{field.label}\n({field.unit})" if len(field.label) > 4 else f"{field.label}({field.unit})"


def _periodic_header(sheet, form: Form, columns: dict, row: int, year: int, header_years) -> int:
    figures = [f for f in form.fields if f.numeric]
    first, last = columns[figures[0].id][0], columns[figures[-1].id][-1]
    _put(sheet, row, 1, "序号", merge_to=(row + 2, 1))
    for field in form.fields:
        if not field.numeric:
            _put(sheet, row, columns[field.id][0], _label(field), merge_to=(row + 2, columns[field.id][0]))
    _put(sheet, row, first, form.banner or form.title, merge_to=(row, last))
    prev, cur = header_years or (year - 1, year)
    for field in figures:
        a, b = columns[field.id]
        _put(sheet, row + 1, a, _label(field), merge_to=(row + 1, b))
        _put(sheet, row + 2, a, prev)
        _put(sheet, row + 2, b, cur)
    return row + 3


def _periodic_body(sheet, form: Form, columns: dict, row: int, data: dict) -> int:
    figures = [f for f in form.fields if f.numeric]
    _put(sheet, row, 1, 1)
    _put(sheet, row, columns[form.roles["unit_name"]][0], data.get("unit_name"))
    for field in figures:
        a, b = columns[field.id]
        _put(sheet, row, a, data.get("prev", {}).get(field.id))
        _put(sheet, row, b, data.get("cur", {}).get(field.id))
        _put(sheet, row + 1, a, data.get("yoy", {}).get(field.id), merge_to=(row + 1, b))
    _put(sheet, row + 1, 1, 2)
    _put(sheet, row + 1, columns[form.roles["unit_name"]][0], form.yoy_label)
    _put(sheet, row + 2, 1, 3)
    _put(sheet, row + 2, columns[form.roles["unit_name"]][0], form.change_note_label)
    first, last = columns[figures[0].id][0], columns[figures[-1].id][-1]
    _put(sheet, row + 2, first, data.get("explanation"), merge_to=(row + 2, last))
    sheet.heights[row + 2] = 90  # the 简析: a few sentences, not one line
    return row + 3


def _list_header(sheet, form: Form, columns: dict, row: int) -> int:
    _put(sheet, row, 1, "序号", merge_to=(row + 1, 1))
    groups: dict = {}
    for field in form.fields:
        col = columns[field.id][0]
        if field.under:
            groups.setdefault(field.under, []).append(col)
            _put(sheet, row + 1, col, _label(field))
        else:
            _put(sheet, row, col, _label(field), merge_to=(row + 1, col))
    for under, cols in groups.items():
        _put(sheet, row, cols[0], under, merge_to=(row, cols[-1]))
    return row + 2


def _list_body(sheet, form: Form, columns: dict, row: int, data: dict) -> int:
    units = data.get("rows", [])
    count = len(units) if data.get("exact") else max(form.template_rows, len(units))
    for index in range(count):
        _put(sheet, row + index, 1, units[index].get("serial", index + 1) if index < len(units) else index + 1)
        for field in form.fields:
            value = units[index].get(field.id) if index < len(units) else None
            _put(sheet, row + index, columns[field.id][0], value)
    return row + count


def _notes(sheet, form: Form, row: int, year: int, last_col: int) -> None:
    if not form.notes:
        return
    lead = form.kind.notes_lead
    for index, note in enumerate(form.notes):
        text = note.text.format(prev=year - 1, cur=year)
        _put(
            sheet,
            row + index,
            1,
            f"{lead if index == 0 else ''}{note.number}. {text}",
            merge_to=(row + index, last_col),
        )


def _put(sheet: Drawn, row: int, col: int, value, merge_to=None) -> None:
    if value is not None:
        sheet.cells[row, col] = value
    if merge_to and merge_to != (row, col):
        sheet.merges.append((row, col, *merge_to))


def apply_changes(figures: dict, changes: dict) -> dict:
    """A copy of `figures` with each dotted path set: {"forms.support.rows.0.cert_dept": 30}."""
    import copy

    changed = copy.deepcopy(figures)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = changed
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return changed


# ---- consistent figures for samples and tests ---------------------------------------------


def yoy_text(prev: float, cur: float) -> str:
    """The 同比增减 as a unit should write it: "+10.9%", "0%", or "—" where the base is 0."""
    from validator.numbers import pct, signed

    change = pct(prev, cur)
    return "—" if change is None else signed(change, 1 if round(change, 1) != round(change) else 0)


def scale_figures(base: dict, unit: str, factor: float) -> dict:
    """A return of another unit, its figures `factor` times the base's, every rule still holding."""
    import copy

    figures = copy.deepcopy(base)
    figures["unit"] = unit
    for form_id in ("case_stats", "enterprise_stats"):
        form = figures["forms"][form_id]
        form["unit_name"] = unit
        for period in ("prev", "cur"):
            form[period] = {k: int(round(v * factor)) for k, v in form[period].items()}
        form["yoy"] = {k: yoy_text(form["prev"][k], form["cur"][k]) for k in form["prev"]}
    stats, before = figures["forms"]["enterprise_stats"], base["forms"]["enterprise_stats"]
    if stats.get("explanation") and any(stats[p][k] == 0 != before[p][k] for p in ("prev", "cur") for k in stats[p]):
        stats["explanation"] += "其余均为0,系本单位无此类案件。"  # 表2 注3: the zeros scaling made are said
    for form_id in ("support", "two_law_link"):
        for row in figures["forms"][form_id]["rows"]:
            row["unit_name"] = unit
            for key, value in row.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    row[key] = round(value * factor, 2) if key == "fines_3y" else int(round(value * factor))
    return figures


def previous_year(figures: dict, shrink: float = 0.9) -> dict:
    """Last year's return of the same unit: its current year is this year's previous year."""
    import copy

    before = copy.deepcopy(figures)
    before["year"] = int(figures["year"]) - 1
    before["forms"].pop("case_register", None)
    for form_id in ("case_stats", "enterprise_stats"):
        form = before["forms"][form_id]
        form["cur"] = dict(form["prev"])
        form["prev"] = {k: int(round(v * shrink)) for k, v in form["prev"].items()}
        form["yoy"] = {k: yoy_text(form["prev"][k], form["cur"][k]) for k in form["prev"]}
    return before


REGISTER_CATEGORIES = {
    "licensing": "行政许可",
    "levy": "行政征收",
    "coercion": "行政强制",
    "benefit": "行政给付",
    "inspection": "行政检查",
    "penalty": "行政处罚",
}


def register_for(figures: dict, prefix: str) -> list:
    """Case register rows that add up to the return's current-year figures (R-TOTALS holds)."""
    return list(register_rows(figures, prefix))


def register_rows(figures: dict, prefix: str):
    """The rows of `register_for`, one at a time (bench/generate.py streams a million of them)."""
    import datetime

    year = int(figures["year"])
    cur, ent = figures["forms"]["case_stats"]["cur"], figures["forms"]["enterprise_stats"]["cur"]
    number = 0
    for field_id, category in REGISTER_CATEGORIES.items():
        count, enterprise = cur[field_id], ent.get(field_id, 0)
        fines = (
            _split(ent["fines"], enterprise) + _split(cur["fines"] - ent["fines"], count - enterprise)
            if field_id == "penalty"
            else [None] * count
        )
        for index in range(count):
            number += 1
            yield {
                "case_no": f"{prefix}-{year}-{number:04d}",
                "category": category,
                "concluded": datetime.date(year, 1 + number % 12, 1 + number % 28),
                "enterprise": "是" if index < enterprise else "否",
                "fine": fines[index],
            }


def _split(total: float, parts: int) -> list:
    if parts <= 0:
        return []
    share, rest = divmod(int(total), parts)
    return [share + (1 if i < rest else 0) for i in range(parts)]


def field_cells(form: Form, field_id: str) -> list:
    """Where a field's figures stand in the blank template (`formcheck template`): the previous and
    current year of a two-period form, the first unit row of a several-unit form."""
    from openpyxl.utils import get_column_letter

    data_row = form.kind.template_data_row  # write_return: three header lines, then the header block
    return [f"{form.short}!{get_column_letter(col)}{data_row}" for col in layout_columns(form).get(field_id, [])]
