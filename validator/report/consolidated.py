"""The consolidated return as a workbook: the official template with the level's figures
(validator/consolidate.py), and a 明细 sheet — every return, whether it was counted and why not,
its 表1 and 表2 figures, and the changes the 简析 must explain."""

from __future__ import annotations

from typing import Any

from validator.consolidate import said
from validator.report.template import write_return
from validator.shown import for_workbook

MESSAGES: dict[str, dict[str, Any]] = {
    "sheet": {"zh": "明细", "en": "Details"},
    "head": {"zh": ["填报单位", "文件", "是否计入"], "en": ["unit", "file", "counted"]},
    "periods": {"zh": ["上年", "本年"], "en": ["previous year", "current year"]},  # where no year is known
    "changes": {
        "zh": "数据变化原因简析待审核人填写;变化较大、须说明的:{changes}",
        "en": "the 简析 is for the reviewer to write; changes that need saying: {changes}",
    },
    "no_changes": {"zh": "数据变化原因简析待审核人填写", "en": "the 简析 is for the reviewer to write"},
}


def write(handle, pack: Any, consolidation: Any, digests: list, lang: str) -> None:
    """Write the consolidated return to a binary file."""
    write_return(
        handle, pack, consolidation.figures, before_save=lambda book: _details(book, pack, consolidation, digests, lang)
    )


def _details(book: Any, pack: Any, consolidation: Any, digests: list, lang: str) -> None:
    """The 明细 sheet, added to the XlsxWriter workbook of the consolidated return."""
    sheet = book.add_worksheet(MESSAGES["sheet"][lang])
    changes = "、".join(f"{label} {change}" for label, change in consolidation.changes)
    key = "changes" if changes else "no_changes"
    columns = [(form, item) for form in pack.forms.values() if form.kind.one_unit for item in form.figures]
    year = int(consolidation.figures.get("year") or 0)
    years = dict(zip(("prev", "cur"), (year - 1, year) if year else MESSAGES["periods"][lang]))
    head = [f"{form.short} {item.label} {years[period]}" for form, item in columns for period in ("prev", "cur")]
    rows = [[MESSAGES[key][lang].format(changes=changes)], [*MESSAGES["head"][lang], *head]]
    by_file = {d.file: d for d in digests}
    for taken in consolidation.taken:
        found = by_file.get(taken.file)
        figures = [_figure(found, form.id, item.id, period) for form, item in columns for period in ("prev", "cur")]
        rows.append([taken.unit, taken.file, said(taken, lang), *figures])
    for index, values in enumerate(rows):
        for col, value in enumerate(values):
            if isinstance(value, (int, float)):
                sheet.write_number(index, col, value)
            elif value is not None:  # a unit's name "=…" is a name; a control character shown
                sheet.write_string(index, col, for_workbook(str(value), ooxml_escape=False))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 40)
    # A4 landscape, the head row on every page, its figures on as many pages across as they need
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(1)


def _figure(found: Any, form: str, item: str, period: str) -> Any:
    if found is None:
        return None
    entry = found.figures.get((form, item, period))
    return entry[0] if entry is not None else None
