"""Reporters: each module renders a Report in one format, registered here explicitly.

Text formats offer `render(report, pack, lang, batch=False, details=False) -> str`; the summary
workbook (report/summary_xlsx.py) is written to a file by `write(report, pack, lang, path)`.
A reporter's module is imported only when its format is asked for (the table's libraries take
longer to import than a JSON report takes to write)."""

from importlib import import_module

REPORTERS = {
    "table": "validator.report.table",
    "json": "validator.report.json_report",
    "csv": "validator.report.csv_report",
    "github": "validator.report.github",
    "junit": "validator.report.junit",
    "sarif": "validator.report.sarif",
}


def reporter(name: str):
    """The module that renders format `name`."""
    return import_module(REPORTERS[name])


def chosen_format(given) -> str:
    """The format asked for; without one, github inside GitHub Actions and the table elsewhere."""
    import os

    return given or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table")


def selected(findings: list, select, ignore) -> list:
    """The findings of the rules --select names (ids or prefixes, several or comma-separated; all
    without it), less those --ignore names."""
    chosen = [part.strip() for item in select for part in item.split(",") if part.strip()]
    dropped = [part.strip() for item in ignore for part in item.split(",") if part.strip()]
    return [
        finding
        for finding in findings
        if (not chosen or finding.rule.startswith(tuple(chosen)))
        and not finding.rule.startswith(tuple(dropped or ["\0"]))
    ]
