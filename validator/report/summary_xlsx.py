"""The reviewer's summary workbook (--summary out.xlsx): returns with their status, every finding
(with an autofilter to sort and filter), counts per rule, and a native Excel bar chart of the
findings per rule."""

from __future__ import annotations

from typing import Any

from validator.i18n import say
from validator.report.common import file_statuses, print_setup, severity_name, status_name, wrapped_height
from validator.shown import text_cell

MESSAGES: dict[str, dict[str, Any]] = {
    "returns": {"zh": "报表", "en": "Returns"},
    "findings": {"zh": "问题清单", "en": "Findings"},
    "rules": {"zh": "规则统计", "en": "Rules"},
    "returns_head": {
        "zh": ["序号", "填报单位", "年度", "文件", "错误", "警告", "状态"],
        "en": ["#", "unit", "year", "file", "errors", "warnings", "status"],
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


def write(report, pack, lang: str, path) -> None:
    """Write the workbook to `path`, a file name or a binary file. Every text is written as text:
    a unit or file name "=HYPERLINK(…)" stays a name, never a formula."""
    from openpyxl import Workbook

    book = Workbook()
    returns = book.active
    returns.title = say(MESSAGES, "returns", lang)
    statuses = file_statuses(report, pack)
    _fill(
        returns,
        MESSAGES["returns_head"][lang],
        [
            [
                i,
                e["unit"],
                e["year"],
                e["file"],
                statuses[e["file"]]["errors"],
                statuses[e["file"]]["warnings"],
                status_name(statuses[e["file"]]["status"], lang),
            ]
            for i, e in enumerate(report.files, 1)
        ],
        [6, 28, 8, 48, 8, 8, 10],
    )
    _colour_statuses(returns, statuses, report)
    findings = book.create_sheet(say(MESSAGES, "findings", lang))
    _fill(
        findings,
        MESSAGES["findings_head"][lang],
        [_finding_row(f, pack, lang) for f in report.findings],
        [36, 22, 6, 11, 7, 22, 12, 60, 30, 30],
    )
    rules = book.create_sheet(say(MESSAGES, "rules", lang))
    per_rule = _per_rule(report, pack, lang)
    _fill(rules, MESSAGES["rules_head"][lang], per_rule, [12, 8, 32, 10, 8, 8, 8, 8])
    _chart(rules, len(per_rule), lang)
    book.save(path)


def _fill(sheet, head: list, rows: list, widths: list) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for number, row in enumerate([head, *rows], 1):
        for column, value in enumerate(row, 1):
            text_cell(sheet.cell(number, column), value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(sheet.iter_rows(min_row=2), 2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[number].height = wrapped_height([cell.value for cell in row], widths)
    sheet.freeze_panes = "A2"
    print_setup(sheet, "1:1")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, len(rows) + 1)}"


STATUS_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "DDEBF7", "ok": "C6EFCE", "unreadable": "D9D9D9"}


def _colour_statuses(sheet, statuses: dict, report) -> None:
    """Each return's status cell coloured, and its file a link that opens it."""
    from pathlib import Path

    from openpyxl.styles import Alignment, PatternFill

    for number, entry in enumerate(report.files, 2):
        status = statuses[entry["file"]]["status"]
        sheet.cell(number, 7).fill = PatternFill("solid", fgColor=STATUS_FILLS.get(status, "FFFFFF"))
        link = sheet.cell(number, 4)
        try:
            link.hyperlink = Path(entry["file"]).resolve().as_uri()
            link.style = "Hyperlink"
            link.alignment = Alignment(wrap_text=True, vertical="top")
        except ValueError:  # a name no URI can hold: the text stays
            continue


def _finding_row(finding, pack, lang: str) -> list:
    form = pack.forms.get(finding.form) if finding.form else None
    return [
        finding.file,
        finding.unit,
        form.short if form else "",
        finding.rule,
        severity_name(finding.severity, lang),
        finding.origin,
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
                rule.origin,
                counts.evaluated,
                counts.passed,
                counts.failed,
                counts.not_evaluated,
                found.get(rule.id, 0),
            ]
        )
    return sorted(rows, key=lambda r: -r[-1])


def _chart(sheet, count: int, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = say(MESSAGES, "chart", lang)
    chart.x_axis.title = say(MESSAGES, "axis_rule", lang)
    chart.y_axis.title = say(MESSAGES, "axis_count", lang)
    chart.legend = None
    shown = max(1, sum(1 for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8, values_only=True) if row[0]))
    chart.add_data(Reference(sheet, min_col=8, min_row=1, max_row=1 + shown), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + shown))
    chart.height, chart.width = max(7.5, 0.6 * shown + 3), 18
    most = max((row[0] or 0 for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8, values_only=True)), default=1)
    chart.y_axis.majorUnit = max(1, -(-most // 8))  # whole numbers: findings are counted
    chart.y_axis.number_format = "0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    # below the table, so that it prints with the rules it counts
    sheet.add_chart(chart, f"A{sheet.max_row + 3}")
