"""The first sheet of the summary workbook, 审核报告, which makes it a document to print and file:
the title (the reviewing level, the year, the date), what the review used — the pack and
formcheck's version, the registry, the treasury's figures, past years' returns, each file with
its SHA-256 — and every registered unit in registry order, townships indented under their county,
with its status (通过, 有警告, 已说明, 有错误, 无法读取, 未报送), then the returns of units the
registry does not know."""

from __future__ import annotations

import datetime
import os
from typing import Any, Optional

from validator.files import sha256
from validator.report.common import status_name, units_in_order
from validator.shown import for_workbook
from validator.sources import values_of

MESSAGES: dict[str, dict[str, Any]] = {
    "sheet": {"zh": "审核报告", "en": "Report"},
    "of_year": {"zh": "{label}({year} 年)", "en": "{label} ({year})"},
    "title": {"zh": "{level} {year} 年行政执法统计年报审核报告", "en": "{level} review of the {year} returns"},
    "when": {
        "zh": "审核日期: {date}    formcheck {version}    规则包: {pack}",
        "en": "{date}, formcheck {version}, pack {pack}",
    },
    "used": {"zh": "所用资料", "en": "What was used"},
    "used_head": {"zh": ["资料", "文件", "SHA-256"], "en": ["source", "file", "SHA-256"]},
    "units": {"zh": "各单位报送情况", "en": "The units"},
    "units_head": {
        "zh": ["填报单位", "级别", "状态", "文件", "错误", "警告"],
        "en": ["unit", "level", "status", "file", "errors", "warnings"],
    },
    "missing": {"zh": "未报送", "en": "not filed"},
    "explained": {"zh": "已说明", "en": "explained"},
    "sources": {
        "registry": {"zh": "单位名录", "en": "registry"},
        "treasury": {"zh": "财政入库数", "en": "treasury"},
        "previous": {"zh": "往年报表", "en": "past returns"},
    },
    "levels": {
        "county": {"zh": "县级", "en": "county"},
        "township": {"zh": "乡镇", "en": "township"},
        "department": {"zh": "部门", "en": "department"},
    },  # fmt: skip
}
WIDTHS = [34, 10, 12, 56, 8, 8]
USED_COLUMNS = (0, 3, 4)


def write(book: Any, report: Any, pack: Any, lang: str, statuses: dict, used: dict, registry: Any, level: str) -> None:
    """Add the 审核报告 sheet to an XlsxWriter workbook (first: call before the other sheets)."""
    import validator

    sheet = book.add_worksheet(MESSAGES["sheet"][lang])
    bold, head = book.add_format({"bold": True, "font_size": 14}), book.add_format({"bold": True, "bottom": 1})
    indented = book.add_format({"indent": 2})
    year = max((entry.get("year") or 0 for entry in report.files), default=0) or ""
    sheet.write_string(0, 0, for_workbook(_say("title", lang, level=level, year=year).strip()), bold)
    when = _say("when", lang, date=datetime.date.today().isoformat(), version=validator.__version__, pack=pack.name)
    sheet.write_string(1, 0, for_workbook(when))
    row = _used(sheet, used, lang, head, 3)
    _units(sheet, report, statuses, registry, lang, head, indented, row + 1)
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _used(sheet: Any, used: dict, lang: str, head: Any, row: int) -> int:
    """The sources block; the row after it."""
    sheet.write_string(row, 0, MESSAGES["used"][lang], head)
    for column, text in zip(USED_COLUMNS, MESSAGES["used_head"][lang]):  # the file and its hash where they fit
        sheet.write_string(row + 1, column, text, head)
    row += 2
    for value in values_of(used):
        label = MESSAGES["sources"].get(value.source.name, {}).get(lang, value.source.name)
        if value.year:
            label = _say("of_year", lang, label=label, year=value.year)
        for file in _files(value.path):
            for column, text in zip(USED_COLUMNS, (label, for_workbook(file), _sha256(file))):
                sheet.write_string(row, column, text)
            row += 1
    return row


def _files(path: str) -> list[str]:
    """The file, or each file of a folder (last year's returns), sorted."""
    if os.path.isdir(path):
        return [
            os.path.join(path, name) for name in sorted(os.listdir(path)) if os.path.isfile(os.path.join(path, name))
        ]
    return [path]


def _sha256(path: str) -> str:
    try:
        return sha256(path).hex()
    except OSError:
        return ""


def _units(
    sheet: Any, report: Any, statuses: dict, registry: Any, lang: str, head: Any, indented: Any, row: int
) -> None:
    sheet.write_string(row, 0, MESSAGES["units"][lang], head)
    for column, text in enumerate(MESSAGES["units_head"][lang]):
        sheet.write_string(row + 1, column, text, head)
    row += 2
    for name, unit, files in units_in_order([(e["file"], e["unit"]) for e in report.files], registry):
        level = MESSAGES["levels"].get(unit.level, {}).get(lang, unit.level) if unit is not None else ""
        style = indented if unit is not None and unit.parent else None
        for file in files or [""]:
            status = statuses.get(file) if file else None
            said = _status(status, lang)
            values = [name, level, said, file, *(_counts(status))]
            for column, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(row, column, value)
                else:
                    sheet.write_string(row, column, for_workbook(str(value)), style if column == 0 else None)
            row += 1


def _status(status: Optional[dict], lang: str) -> str:
    if status is None:
        return MESSAGES["missing"][lang]
    if status["status"] == "explained":
        return MESSAGES["explained"][lang]
    return status_name(status["status"], lang)


def _counts(status: Optional[dict]) -> list:
    return [status["errors"], status["warnings"]] if status is not None else ["", ""]


def _say(key: str, lang: str, **params: Any) -> str:
    return str(MESSAGES[key].get(lang) or MESSAGES[key]["zh"]).format(**params)
