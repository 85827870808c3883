"""What the reporters share: severity names, status of a file, the run's totals."""

from __future__ import annotations

from validator.i18n import say

SEVERITY = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}


def severity_name(severity: str, lang: str) -> str:
    return say(SEVERITY, severity, lang)


def totals(report) -> dict:
    counts = report.counts.values()
    return {
        "errors": report.severity_count("error"),
        "warnings": report.severity_count("warning"),
        "infos": report.severity_count("info"),
        "evaluated": sum(c.evaluated for c in counts),
        "passed": sum(c.passed for c in counts),
        "failed": sum(c.failed for c in counts),
        "not_evaluated": sum(c.not_evaluated for c in counts),
    }


def file_status(report, path: str) -> dict:
    mine = [f for f in report.findings if f.file == path]
    errors = sum(1 for f in mine if f.severity == "error")
    warnings = sum(1 for f in mine if f.severity == "warning")
    status = "error" if errors else "warning" if warnings else "ok"
    return {"errors": errors, "warnings": warnings, "status": status}
