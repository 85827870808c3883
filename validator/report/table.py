"""The terminal report.

`check`: per file, the findings grouped by form in a table, then a summary line.
`batch`: one row per return (unit, file, errors, warnings, status), the findings across returns and
against reference data, each file's findings with --details, then the summary line.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tabulate import tabulate
from wcwidth import wcswidth, wcwidth

from validator.i18n import say
from validator.report import located
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
        "zh": ["级别", "规则", "依据", "单位", "文件与单元格", "问题"],
        "en": ["severity", "rule", "origin", "unit", "file and cell", "problem"],
    },
    "across": {"zh": "【跨报表及参考数据检查】", "en": "【Across returns and against reference data】"},
    "at": {"zh": "单元格 {cell}", "en": "cell {cell}"},
    "no_across": {
        "zh": "跨报表及参考数据检查未发现问题。",
        "en": "No problems across returns or against reference data.",
    },
    "more": {
        "zh": "各报表的具体问题: 加 --details 在此列出,或用 --summary 汇总工作簿 / --format json。",
        "en": "Each return's findings: add --details, or use --summary WORKBOOK / --format json.",
    },
    "summary": {
        "zh": "错误 {errors} 项,警告 {warnings} 项{explained},提示 {infos} 项。规则检查 {checked} 次: 通过 {passed},未通过 {failed},"
        "需参考数据未评估 {not_evaluated_no_reference},数据空白未评估 {not_evaluated_blank}。",
        "en": "{errors} errors, {warnings} warnings{explained}, {infos} notes. Rule checks: {checked} evaluated, {passed} passed, "
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
WIDEST = 200  # the layout for a file or a pipe: every column as wide as it ever is
_NO_LINE_START = set("、,，。.;；:：)）】」』”’!！?？%")


def render(
    report, pack, lang: str, batch: bool = False, details: bool = False, width: int = WIDEST, quiet: bool = False
) -> str:
    """The report laid out for `width` columns (a terminal's): the widest columns take what is left,
    up to what they take in a file or a pipe."""
    statuses = file_statuses(report, pack)
    width = max(width, 60)
    if quiet:  # the findings alone, a table a file that has any: no totals, and no banner but the
        # file's name where there are several (the pre-commit hook's -q checks every staged return)
        named = batch or len(report.files) > 1
        groups = [(e, [f for f in report.findings if f.file == e["file"]]) for e in report.files]
        groups += [(None, [f for f in report.findings if not f.file])] if batch else []
        return "".join(
            for_terminal((_named(entry, lang) if named and entry else "") + _table(group, lang, width)) + "\n"
            for entry, group in groups
            if group
        )

    several = batch or len(report.files) > 1  # one file: its totals are the summary's, said once
    if batch:
        blocks = [_returns_table(report, statuses, lang, width), _across(report, pack, lang, width)]
        blocks += (
            [_file_block(report, e, pack, lang, statuses, several, width) for e in report.files]
            if details
            else [say(MESSAGES, "more", lang)]
        )
        blocks.append(_batch_line(statuses, lang))
    else:
        blocks = [_file_block(report, entry, pack, lang, statuses, several, width) for entry in report.files]
    total = totals(report)
    count = total.pop("explained")
    explained = say(MESSAGES, "explained_count", lang, count=count) if count else ""
    blocks.append(say(MESSAGES, "summary", lang, checked=total["evaluated"], explained=explained, **total))
    # every text from a return or a file name was escaped where it was laid out; this pass makes sure
    return for_terminal("\n\n".join(blocks)) + "\n"


def _named(entry: dict, lang: str) -> str:
    return say(MESSAGES, "file", lang, file=entry["file"], unit=entry["unit"] or "?", year=entry["year"] or "?") + "\n"


def _returns_table(report, statuses: dict, lang: str, width: int) -> str:
    # the number, the counts, the status and the gaps take 40 columns; unit and file share the rest
    unit = max(10, min(40, (width - 40) // 3))
    file = max(16, width - 40 - unit)
    rows = [
        [
            i,
            wrap(e["unit"] or "—", unit),
            wrap(e["file"], file),
            statuses[e["file"]]["errors"],
            statuses[e["file"]]["warnings"],
            status_name(statuses[e["file"]]["status"], lang),
        ]
        for i, e in enumerate(report.files, 1)
    ]
    return tabulate(rows, headers=MESSAGES["returns"][lang], tablefmt="simple")


class _AcrossRoom(NamedTuple):
    origin: int
    unit: int
    file: int
    message: int

    @classmethod
    def of(cls, width: int) -> "_AcrossRoom":
        """Severity, rule, borders and padding take 38 columns; the rest is shared out."""
        rest = width - 38
        origin, unit = max(6, min(14, rest * 16 // 100)), max(6, min(16, rest * 18 // 100))
        file = max(10, min(28, rest * 28 // 100))
        return cls(origin, unit, file, max(16, min(56, rest - origin - unit - file)))


def _across(report, pack, lang: str, width: int) -> str:
    found = sorted((f for f in report.findings if across_returns(f, pack)), key=lambda f: _ORDER[f.severity])
    if not found:
        return say(MESSAGES, "no_across", lang)
    room = _AcrossRoom.of(width)
    rows = [
        [
            severity_name(f.severity, lang),
            f.rule,
            wrap(f.origin_in(lang), room.origin),
            wrap(f.unit or "—", room.unit),
            wrap("\n".join(filter(None, (f.file, _at(f.cells, lang), *f.related))) or "—", room.file),
            wrap(f.said(lang), room.message),
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


def _file_block(report, entry: dict, pack, lang: str, statuses: dict, several: bool, width: int) -> str:
    file, unit = for_terminal(entry["file"]), for_terminal(entry["unit"] or "?")
    head = say(MESSAGES, "file", lang, file=file, unit=unit, year=entry["year"] or "?")
    mine = [f for f in report.findings if f.file == entry["file"]]
    if not mine:
        return f"{head}\n{say(MESSAGES, 'clean', lang)}"
    parts = [head]
    for form_id in list(pack.forms) + [None]:
        group = sorted((f for f in mine if f.form == form_id), key=lambda f: _ORDER[f.severity])
        if group:
            parts.append(_group_title(pack, form_id, lang))
            parts.append(_table(group, lang, width))
    where = located.lines(report.localisations.get(entry["file"]), lang)
    if where:  # sentences, not a table: the terminal wraps them where it wraps
        parts.append("\n".join(where))
    if not several:
        return "\n".join(parts)
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


def _table(findings: list, lang: str, width: int) -> str:
    # the severity, rule and cell columns, the borders and padding take 46 columns; origin and
    # message share the rest, one to three
    rest = width - 46
    origin = max(8, min(16, rest // 4))
    rows = [
        [
            _severity(f, lang),
            f.rule,
            wrap(f.origin_in(lang), origin),
            _cells(f.cells, lang),
            wrap(_message(f, lang), max(20, min(64, rest - origin))),
        ]
        for f in findings
    ]
    return tabulate(rows, headers=MESSAGES["head"][lang], tablefmt="simple_grid")


def _at(cells: tuple, lang: str) -> str:
    """The cell a finding across returns is on (to change, or to explain a warning at), or ""."""
    return say(MESSAGES, "at", lang, cell=cells[0]) if cells else ""


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
        return finding.said(lang)
    return finding.said(lang) + "\n" + say(MESSAGES, "reason", lang, text=finding.explanation)


def wrap(text: str, width: int) -> str:
    """Lines of at most `width` terminal columns; Chinese characters are two columns wide and
    may break anywhere, Latin words only at spaces. Existing line breaks are kept; control
    characters and direction marks are shown as escapes (validator/shown.py)."""
    return "\n".join(_wrap_line(line, width) for line in for_terminal(text).split("\n"))


def _wrap_line(text: str, width: int) -> str:
    lines, line, used = [], "", 0
    for word in _fitted(_words(text), width):
        size = max(wcswidth(word), 0)
        if used + max(wcswidth(word.rstrip()), 0) > width and line.strip():
            lines.append(line.rstrip())
            line, used = word.lstrip(), max(wcswidth(word.lstrip()), 0)
        else:
            line, used = line + word, used + size
    lines.append(line.rstrip())
    for k in range(1, len(lines)):  # no line starts with a closing mark: it goes back to the line before
        while lines[k][:1] in _NO_LINE_START and lines[k]:
            lines[k - 1], lines[k] = lines[k - 1] + lines[k][0], lines[k][1:]
    return "\n".join(line for line in lines if line)


def _fitted(words: list, width: int) -> list:
    """The words, any wider than a line (a long path) cut into pieces that fit."""
    fitted = []
    for word in words:
        while wcswidth(word) > width:
            fitted.append(word[:width])
            word = word[width:]
        fitted.append(word)
    return fitted


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


def terminal_width(stream) -> int:
    """A terminal's columns where the report goes to one; else the width a report file is laid out for."""
    import shutil

    if hasattr(stream, "isatty") and stream.isatty():
        return shutil.get_terminal_size((WIDEST, 24)).columns
    return WIDEST
