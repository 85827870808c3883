"""What the reporters share: severity and status names, the run's totals, which findings are across returns."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from validator.i18n import say

SEVERITY = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}
STATUS = {
    "ok": {"zh": "通过", "en": "ok"},
    "warning": {"zh": "有警告", "en": "warnings"},
    "error": {"zh": "有错误", "en": "errors"},
    "unreadable": {"zh": "无法读取", "en": "unreadable"},
    "explained": {"zh": "通过(已说明)", "en": "ok (explained)"},
}


def severity_name(severity: str, lang: str) -> str:
    return say(SEVERITY, severity, lang)


def status_name(status: str, lang: str) -> str:
    return say(STATUS, status, lang)


def totals(report) -> dict:
    counts = report.counts.values()
    return {
        "errors": report.severity_count("error"),
        "warnings": sum(1 for f in report.findings if f.severity == "warning" and not f.explained),
        "explained": sum(1 for f in report.findings if f.explained),
        "infos": report.severity_count("info"),
        "evaluated": sum(c.evaluated for c in counts),
        "passed": sum(c.passed for c in counts),
        "failed": sum(c.failed for c in counts),
        "not_evaluated": sum(c.not_evaluated for c in counts),
        "not_evaluated_no_reference": sum(c.no_reference for c in counts),
        "not_evaluated_blank": sum(c.not_evaluated - c.no_reference for c in counts),
    }


def exit_code(report, fail_on: str = "error", exit_zero: bool = False) -> int:
    """1 for an error, or (with fail_on "warning") a warning the unit did not explain; else 0 (and
    always 0 with exit_zero). The command and the web service answer with it alike."""
    failing = ("error",) if fail_on == "error" else ("error", "warning")
    found = any(f.severity in failing and not f.explained for f in report.findings)
    return 1 if found and not exit_zero else 0


def file_statuses(report, pack) -> dict:
    """file -> {errors, warnings, status}, counted in one pass over the findings."""
    from validator.rules.engine import file_rules

    unreadable = {r.id for r in file_rules(pack, refused=True)}
    statuses: dict[str, dict[str, Any]] = {
        entry["file"]: {"errors": 0, "warnings": 0, "explained": 0, "status": "ok"} for entry in report.files
    }
    for finding in report.findings:
        status = statuses.get(finding.file)
        if status is None:
            continue
        if finding.explained:
            status["explained"] += 1
        elif finding.severity in ("error", "warning"):
            status[finding.severity + "s"] += 1
        if finding.rule in unreadable:
            status["status"] = "unreadable"
    for status in statuses.values():
        if status["status"] != "unreadable":
            status["status"] = (
                "error"
                if status["errors"]
                else "warning"
                if status["warnings"]
                else "explained"
                if status["explained"]
                else "ok"
            )
    return statuses


def across_returns(finding, pack) -> bool:
    """Whether a finding comes from a check across returns or against reference data."""
    rule = pack.rule(finding.rule)
    return rule is not None and (rule.scope == "batch" or rule.uses_reference)


def print_setup(sheet, header_rows: str) -> None:
    """An openpyxl sheet printed A4 landscape, one page wide, its header rows on every page."""
    sheet.page_setup.paperSize = "9"  # A4 (openpyxl: Worksheet.PAPERSIZE_A4)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows


@lru_cache(maxsize=1)
def _wide() -> re.Pattern:
    """Characters a column shows two wide (CJK and beyond): compiled when a workbook is written,
    not at every `check`'s start (its class of a million code points takes 3 ms to compile)."""
    return re.compile("[\u2e80-\U0010ffff]")


def wrapped_height(texts, widths) -> float:
    """A row's height in points for its texts wrapped in columns of these widths (characters; a
    Chinese character counts two), so that a wrapped message is read whole."""
    lines = 1
    for text, width in zip(texts, widths):
        if isinstance(text, str) and text:
            columns = max(int(width) - 1, 4)
            if len(text) * 2 <= columns and "\n" not in text:
                continue  # one line, however wide its characters: most of a summary's cells
            lines = max(
                lines,
                sum(max(1, -(-(len(part) + len(_wide().findall(part))) // columns)) for part in text.split("\n")),
            )
    return 15.0 * lines + 3


def units_in_order(filed: list, registry: Any) -> list:
    """(name, registry unit or None, [files]) for every registered unit in registry order — no
    files for one that filed nothing — then for each unit the registry does not know; `filed` is
    [(file, unit as written)]; a file that could not be read is its sender's where its name names
    a registered unit. Shared by the review report and the send-back list."""
    files: dict = {}
    for file, unit in filed:
        known = (registry.find(unit) if unit else registry.named_in(file)) if registry is not None else None
        files.setdefault(known.name if known is not None else unit or file, []).append(file)
    listed = [unit.name for unit in registry.units] if registry is not None else []
    names = listed + [name for name in files if name not in listed]
    return [(name, registry.find(name) if registry is not None else None, files.get(name, [])) for name in names]
