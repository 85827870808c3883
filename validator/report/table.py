"""The terminal report.

`check`: per file, the findings grouped by form in a table, then a summary line.
`batch`: one row per return (unit, file, errors, warnings, status), the findings across returns and
against reference data, each file's findings with --details, then the summary line.
"""

from __future__ import annotations

from typing import Any

from tabulate import tabulate
from wcwidth import wcswidth, wcwidth

from validator.i18n import say
from validator.report.common import across_returns, file_statuses, severity_name, status_name, totals
from validator.shown import for_terminal

MESSAGES: dict[str, dict[str, Any]] = {
    "file": {
        "zh": "文件: {file}    填报单位: {unit}    年度: {year}",
        "en": "File: {file}    unit: {unit}    year: {year}",
    },
    "clean": {"zh": "未发现问题。", "en": "No problems found."},
    "whole": {"zh": "整个报表", "en": "The whole return"},
    "head": {
        "zh": ["级别", "规则", "依据", "单元格", "问题与改正方法"],
        "en": ["severity", "rule", "origin", "cells", "problem and remedy"],
    },
    "returns": {
        "zh": ["序号", "填报单位", "文件", "错误", "警告", "状态"],
        "en": ["#", "unit", "file", "errors", "warnings", "status"],
    },
    "across_head": {
        "zh": ["级别", "规则", "依据", "单位", "文件", "问题"],
        "en": ["severity", "rule", "origin", "unit", "file", "problem"],
    },
    "across": {"zh": "【跨报表及参考数据检查】", "en": "【Across returns and against reference data】"},
    "no_across": {
        "zh": "跨报表及参考数据检查未发现问题。",
        "en": "No problems across returns or against reference data.",
    },
    "more": {
        "zh": "各报表的具体问题: 加 --details 在此列出,或用 --summary 汇总工作簿 / --format json。",
        "en": "Each return's findings: add --details, or use --summary WORKBOOK / --format json.",
    },
    "summary": {
        "zh": "错误 {errors} 项,警告 {warnings} 项,提示 {infos} 项。规则检查 {checked} 次: 通过 {passed},未通过 {failed},"
        "需参考数据未评估 {not_evaluated_no_reference},数据空白未评估 {not_evaluated_blank}。",
        "en": "{errors} errors, {warnings} warnings, {infos} notes. Rule checks: {checked} evaluated, {passed} passed, "
        "{failed} failed, {not_evaluated_no_reference} not evaluated for want of reference data, "
        "{not_evaluated_blank} not evaluated for blank inputs.",
    },
    "explained": {"zh": "(已说明)", "en": "(explained)"},
    "fix": {"zh": "改 {cell}", "en": "fix {cell}"},
    "related": {"zh": "相关 {cell}", "en": "see {cell}"},
    "explained_count": {"zh": "(已说明 {count})", "en": " ({count} explained)"},
    "reason": {"zh": "说明: {text}", "en": "explanation: {text}"},
    "ok_explained": {"zh": "(其中警告已说明 {count})", "en": " ({count} with explained warnings)"},
    "batch_summary": {
        "zh": "共 {count} 份报表: 通过 {ok}{explained},有警告 {warning},有错误 {error},无法读取 {unreadable}。",
        "en": "{count} returns: {ok} ok{explained}, {warning} with warnings, {error} with errors, {unreadable} unreadable.",
    },
}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def render(report, pack, lang: str, batch: bool = False, details: bool = False) -> str:
    statuses = file_statuses(report, pack)
    if batch:
        blocks = [_returns_table(report, statuses, lang), _across(report, pack, lang)]
        blocks += (
            [_file_block(report, e, pack, lang, statuses) for e in report.files]
            if details
            else [say(MESSAGES, "more", lang)]
        )
        blocks.append(_batch_line(statuses, lang))
    else:
        blocks = [_file_block(report, entry, pack, lang, statuses) for entry in report.files]
    total = totals(report)
    blocks.append(say(MESSAGES, "summary", lang, checked=total["evaluated"], **total))
    # every text from a return or a file name was escaped where it was laid out; this pass makes sure
    return for_terminal("\n\n".join(blocks)) + "\n"


def _returns_table(report, statuses: dict, lang: str) -> str:
    rows = [
        [
            i,
            for_terminal(e["unit"] or "—"),
            for_terminal(e["file"]),
            statuses[e["file"]]["errors"],
            statuses[e["file"]]["warnings"],
            status_name(statuses[e["file"]]["status"], lang),
        ]
        for i, e in enumerate(report.files, 1)
    ]
    return tabulate(rows, headers=MESSAGES["returns"][lang], tablefmt="simple")


def _across(report, pack, lang: str) -> str:
    found = sorted((f for f in report.findings if across_returns(f, pack)), key=lambda f: _ORDER[f.severity])
    if not found:
        return say(MESSAGES, "no_across", lang)
    rows = [
        [
            severity_name(f.severity, lang),
            f.rule,
            wrap(f.origin, 14),
            wrap(f.unit or "—", 16),
            wrap("\n".join((f.file, *f.related)) if f.file else "—", 28),
            wrap(f.message, 56),
        ]
        for f in found
    ]
    return (
        say(MESSAGES, "across", lang)
        + "\n"
        + tabulate(rows, headers=MESSAGES["across_head"][lang], tablefmt="simple_grid")
    )


def _batch_line(statuses: dict, lang: str) -> str:
    counts = {
        key: sum(1 for s in statuses.values() if s["status"] == key)
        for key in ("ok", "explained", "warning", "error", "unreadable")
    }
    explained = counts.pop("explained")
    counts["ok"] += explained
    said = say(MESSAGES, "ok_explained", lang, count=explained) if explained else ""
    return say(MESSAGES, "batch_summary", lang, count=len(statuses), explained=said, **counts)


def _file_block(report, entry: dict, pack, lang: str, statuses: dict) -> str:
    head = say(
        MESSAGES,
        "file",
        lang,
        file=for_terminal(entry["file"]),
        unit=for_terminal(entry["unit"] or "?"),
        year=entry["year"] or "?",
    )
    mine = [f for f in report.findings if f.file == entry["file"]]
    if not mine:
        return f"{head}\n{say(MESSAGES, 'clean', lang)}"
    parts = [head]
    for form_id in list(pack.forms) + [None]:
        group = sorted((f for f in mine if f.form == form_id), key=lambda f: _ORDER[f.severity])
        if group:
            parts.append(_group_title(pack, form_id, lang))
            parts.append(_table(group, lang))
    status = statuses[entry["file"]]
    explained = say(MESSAGES, "explained_count", lang, count=status["explained"]) if status["explained"] else ""
    return (
        "\n".join(parts)
        + f"\n→ {severity_name('error', lang)} {status['errors']}, {severity_name('warning', lang)} {status['warnings']}"
        + explained
    )


def _group_title(pack, form_id, lang: str) -> str:
    if form_id is None or form_id not in pack.forms:
        return f"\n【{say(MESSAGES, 'whole', lang)}】"
    form = pack.forms[form_id]
    return f"\n【{form.short} {form.name(lang)}】"


def _table(findings: list, lang: str) -> str:
    rows = [
        [_severity(f, lang), f.rule, wrap(f.origin, 16), _cells(f.cells, lang), wrap(_message(f, lang), 64)]
        for f in findings
    ]
    return tabulate(rows, headers=MESSAGES["head"][lang], tablefmt="simple_grid")


def _cells(cells: tuple, lang: str) -> str:
    """The cell to change, then the related ones: "改 表2!O8" / "相关 表2!O7"."""
    if not cells:
        return ""
    lines = [say(MESSAGES, "fix", lang, cell=cells[0])]
    lines += [say(MESSAGES, "related", lang, cell=cell) for cell in cells[1:]]
    return "\n".join(lines)


def _severity(finding, lang: str) -> str:
    name = severity_name(finding.severity, lang)
    return name + ("\n" + say(MESSAGES, "explained", lang) if finding.explained else "")


def _message(finding, lang: str) -> str:
    """The message, and for an explained warning the unit's reason."""
    if not finding.explained:
        return finding.message
    return finding.message + "\n" + say(MESSAGES, "reason", lang, text=finding.explanation)


def wrap(text: str, width: int) -> str:
    """Lines of at most `width` terminal columns; Chinese characters are two columns wide and
    may break anywhere, Latin words only at spaces. Existing line breaks are kept; control
    characters and direction marks are shown as escapes (validator/shown.py)."""
    return "\n".join(_wrap_line(line, width) for line in for_terminal(text).split("\n"))


def _wrap_line(text: str, width: int) -> str:
    lines, line, used = [], "", 0
    for word in _words(text):
        size = max(wcswidth(word), 0)
        if used + max(wcswidth(word.rstrip()), 0) > width and line.strip():
            lines.append(line.rstrip())
            line, used = word.lstrip(), max(wcswidth(word.lstrip()), 0)
        else:
            line, used = line + word, used + size
    lines.append(line.rstrip())
    return "\n".join(lines)


def _words(text: str) -> list:
    """Each wide character on its own; runs of narrow characters kept together with their space."""
    words, run = [], ""
    for char in text:
        if wcwidth(char) == 2:
            if run:
                words.append(run)
                run = ""
            words.append(char)
        elif char == " ":
            words.append(run + char)
            run = ""
        else:
            run += char
    if run:
        words.append(run)
    return words
