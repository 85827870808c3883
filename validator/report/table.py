"""The terminal report: per file, findings grouped by form in a table, then a summary line."""

from __future__ import annotations

from tabulate import tabulate
from wcwidth import wcswidth, wcwidth

from validator.i18n import say
from validator.report.common import file_status, severity_name, totals

MESSAGES = {
    "file": {"zh": "文件: {file}    填报单位: {unit}    年度: {year}", "en": "File: {file}    unit: {unit}    year: {year}"},
    "clean": {"zh": "未发现问题。", "en": "No problems found."},
    "whole": {"zh": "整个报表", "en": "The whole return"},
    "head": {"zh": ["级别", "规则", "依据", "单元格", "问题与改正方法"], "en": ["severity", "rule", "origin", "cells", "problem and remedy"]},
    "summary": {"zh": "错误 {errors} 项,警告 {warnings} 项,提示 {infos} 项。规则检查 {checked} 次: 通过 {passed},未通过 {failed},未评估(数据空白) {not_evaluated}。",
                "en": "{errors} errors, {warnings} warnings, {infos} notes. Rule checks: {checked} evaluated, {passed} passed, {failed} failed, {not_evaluated} not evaluated (blank inputs)."},
}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def render(report, pack, lang: str) -> str:
    blocks = [_file_block(report, entry, pack, lang) for entry in report.files]
    total = totals(report)
    blocks.append(say(MESSAGES, "summary", lang, checked=total["evaluated"], **total))
    return "\n\n".join(blocks) + "\n"


def _file_block(report, entry: dict, pack, lang: str) -> str:
    head = say(MESSAGES, "file", lang, file=entry["file"], unit=entry["unit"] or "?", year=entry["year"] or "?")
    mine = [f for f in report.findings if f.file == entry["file"]]
    if not mine:
        return f"{head}\n{say(MESSAGES, 'clean', lang)}"
    parts = [head]
    order = list(pack.forms) + [None]
    for form_id in order:
        group = sorted((f for f in mine if f.form == form_id), key=lambda f: _ORDER[f.severity])
        if group:
            parts.append(_group_title(pack, form_id, lang))
            parts.append(_table(group, lang))
    return "\n".join(parts) + f"\n{_status_line(report, entry, lang)}"


def _group_title(pack, form_id, lang: str) -> str:
    if form_id is None or form_id not in pack.forms:
        return f"\n【{say(MESSAGES, 'whole', lang)}】"
    form = pack.forms[form_id]
    return f"\n【{form.short} {form.name(lang)}】"


def _table(findings: list, lang: str) -> str:
    rows = [[severity_name(f.severity, lang), f.rule, wrap(f.origin, 16), "\n".join(f.cells), wrap(f.message, 64)]
            for f in findings]
    return tabulate(rows, headers=MESSAGES["head"][lang], tablefmt="simple_grid")


def wrap(text: str, width: int) -> str:
    """Lines of at most `width` terminal columns; Chinese characters are two columns wide and
    may break anywhere, Latin words only at spaces."""
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


def _status_line(report, entry: dict, lang: str) -> str:
    status = file_status(report, entry["file"])
    return f"→ {severity_name('error', lang)} {status['errors']}, {severity_name('warning', lang)} {status['warnings']}"
