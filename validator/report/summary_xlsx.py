"""The reviewer's summary workbook (--summary out.xlsx): returns with their status, every finding
(with an autofilter to sort and filter), counts per rule, and a native Excel bar chart of the
findings per rule."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

from validator.i18n import say
from validator.report import located, summary_cover
from validator.report.common import file_statuses, severity_name, status_name, wrapped_height
from validator.shown import for_workbook

MESSAGES: dict[str, dict[str, Any]] = {
    "returns": {"zh": "报表", "en": "Returns"},
    "findings": {"zh": "问题清单", "en": "Findings"},
    "rules": {"zh": "规则统计", "en": "Rules"},
    "returns_head": {
        "zh": ["序号", "填报单位", "年度", "文件", "错误", "警告", "状态", "改哪里(最少改动、可能是笔误)"],
        "en": ["#", "unit", "year", "file", "errors", "warnings", "status", "where to fix"],
    },
    "findings_head": {
        "zh": ["文件", "填报单位", "表", "规则", "级别", "依据", "单元格", "问题与改正方法", "说明", "相关文件"],
        "en": [
            "file",
            "unit",
            "form",
            "rule",
            "severity",
            "origin",
            "cells",
            "problem and remedy",
            "explanation",
            "related files",
        ],
    },
    "rules_head": {
        "zh": ["规则", "级别", "依据", "检查次数", "通过", "未通过", "未评估", "问题数"],
        "en": ["rule", "severity", "origin", "evaluated", "passed", "failed", "not evaluated", "findings"],
    },
    "chart": {"zh": "各规则发现的问题数", "en": "Findings per rule"},
    "axis_rule": {"zh": "规则", "en": "rule"},
    "axis_count": {"zh": "问题数", "en": "findings"},
}


def write(report, pack, lang: str, path, used: Optional[dict] = None, registry=None, level: str = "") -> None:
    """Write the workbook to `path`, a file name or a binary file. Every text is written as text:
    a unit or file name "=HYPERLINK(…)" stays a name, never a formula.

    Written by XlsxWriter row by row with formats shared by every cell (its constant-memory mode:
    each row goes to disk as written, so a province's summary does not sit in memory). openpyxl
    made a styled cell object per value and serialised each through its generic XML writer: 3.7 s
    of a 10,000-return run (issue 18), several times what XlsxWriter takes."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False})
    formats = _formats(book)
    statuses = file_statuses(report, pack)
    summary_cover.write(book, report, pack, lang, statuses, used or {}, registry, level)
    widths = [6, 28, 8, 48, 8, 8, 10, 70]
    returns = _sheet(book, "returns", "returns_head", widths, len(report.files), lang, formats)
    folder = _folder_of(path)
    for number, entry in enumerate(report.files, 1):
        status = statuses[entry["file"]]
        values = [number, entry["unit"], entry["year"], entry["file"], status["errors"], status["warnings"]]
        where = "\n".join(located.lines(report.localisations.get(entry["file"]), lang))
        _row(returns, number, [*values, status_name(status["status"], lang), where], formats["body"])
        if where:  # said whole, wrapped
            returns.set_row(number, wrapped_height([*values, "", where], widths))
        returns.write_string(number, 6, status_name(status["status"], lang), formats.get(status["status"]))
        if folder is not None and number <= MOST_LINKS:
            _link(returns, number, entry["file"], folder, formats["link"])
    widths = [36, 22, 6, 11, 7, 22, 12, 60, 30, 30]
    findings = _sheet(book, "findings", "findings_head", widths, len(report.findings), lang, formats)
    for number, finding in enumerate(report.findings, 1):
        values = _finding_row(finding, pack, lang)
        findings.set_row(number, wrapped_height(values, widths))
        _row(findings, number, values, formats["body"])
    per_rule = _per_rule(report, pack, lang)
    rules = _sheet(book, "rules", "rules_head", [12, 8, 32, 10, 8, 8, 8, 8], len(per_rule), lang, formats)
    for number, values in enumerate(per_rule, 1):
        _row(rules, number, values, formats["body"])
    _chart(book, rules, per_rule, lang)
    book.close()


STATUS_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "DDEBF7", "ok": "C6EFCE", "unreadable": "D9D9D9"}
MOST_LINKS = 65_000  # Excel holds at most 65,530 links a sheet: the files after that are plain text


def _formats(book) -> dict:
    """The formats every cell shares: the header, a wrapped cell, a link, each status's colour."""
    wrapped = {"text_wrap": True, "valign": "top"}
    formats = {
        "head": book.add_format({**wrapped, "bold": True}),
        "body": book.add_format(wrapped),
        "link": book.add_format({**wrapped, "font_color": "#0563C1", "underline": 1}),
    }
    for status, colour in STATUS_FILLS.items():
        formats[status] = book.add_format({**wrapped, "bg_color": f"#{colour}"})
    return formats


def _sheet(book, title: str, head: str, widths: list, count: int, lang: str, formats: dict):
    """A sheet set out — widths, frozen header, filter, A4 landscape one page wide — with its header."""
    sheet = book.add_worksheet(say(MESSAGES, title, lang))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(widths) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    _row(sheet, 0, MESSAGES[head][lang], formats["head"])
    return sheet


def _row(sheet, number: int, values: list, style) -> None:
    """A row of values: figures as numbers, every text as text (shown as people should read it);
    nothing is written in a blank cell."""
    for column, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(number, column, value, style)
        elif value is not None and value != "":
            sheet.write_string(number, column, _shown(value), style)


@lru_cache(maxsize=4096)
def _shown(value) -> str:
    """A text as the workbook shows it; a summary names the same units, rules and forms on
    thousands of rows."""
    return for_workbook(value, ooxml_escape=False)


def _folder_of(path):
    """The folder the workbook is written in, where links to the returns start; None for a
    workbook written to memory (the web service's: its files' folder is gone when it is read)."""
    import os

    name = path if isinstance(path, (str, os.PathLike)) else getattr(path, "name", None)
    return os.path.dirname(os.path.abspath(name)) if isinstance(name, (str, os.PathLike)) else None


def _link(sheet, number: int, file: str, folder: str, style) -> None:
    """A return's file as a link that opens it, relative to the summary's folder (as Excel keeps a
    link to a nearby file): it still opens when the folder is copied or shared."""
    import os

    target = os.path.relpath(os.path.abspath(file), folder).replace(os.sep, "/")
    if len(target) <= 2000 and target.isprintable():
        sheet.write_url(number, 3, "external:" + target, style, for_workbook(file, ooxml_escape=False))


def _finding_row(finding, pack, lang: str) -> list:
    form = pack.forms.get(finding.form) if finding.form else None
    return [
        finding.file,
        finding.unit,
        form.short if form else "",
        finding.rule,
        severity_name(finding.severity, lang),
        finding.origin_in(lang),
        "\n".join(finding.cells),
        finding.said(lang),
        finding.explanation,
        "\n".join(finding.related),
    ]


def _per_rule(report, pack, lang: str) -> list:
    found: dict = {}
    for finding in report.findings:
        found[finding.rule] = found.get(finding.rule, 0) + 1
    rows = []
    for rule in pack.rules:
        counts = report.counts.get(rule.id)
        if counts is None:
            continue
        rows.append(
            [
                rule.id,
                severity_name(rule.severity, lang),
                rule.origin_in(lang),
                counts.evaluated,
                counts.passed,
                counts.failed,
                counts.not_evaluated,
                found.get(rule.id, 0),
            ]
        )
    return sorted(rows, key=lambda r: -r[-1])


def _chart(book, sheet, per_rule: list, lang: str) -> None:
    shown = max(1, sum(1 for row in per_rule if row[-1]))
    title = say(MESSAGES, "rules", lang)
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": [title, 0, 7],
            "categories": [title, 1, 0, shown, 0],
            "values": [title, 1, 7, shown, 7],
        }
    )
    most = max((row[-1] for row in per_rule), default=1) or 1
    chart.set_title({"name": say(MESSAGES, "chart", lang)})
    chart.set_x_axis(
        {"name": say(MESSAGES, "axis_count", lang), "major_unit": max(1, -(-most // 8)), "num_format": "0"}
    )
    chart.set_y_axis({"name": say(MESSAGES, "axis_rule", lang), "reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 680, "height": max(284, int(22.7 * shown + 113))})
    # below the table, so that it prints with the rules it counts
    sheet.insert_chart(len(per_rule) + 3, 0, chart)
