"""Reporters: each module renders a Report in one format, registered here explicitly.

Text formats offer `render(report, pack, lang, batch=False, details=False) -> str`; the summary
workbook (report/summary_xlsx.py) is written to a file by `write(report, pack, lang, path)`.
A reporter's module is imported only when its format is asked for (the table's libraries take
longer to import than a JSON report takes to write)."""

from importlib import import_module

REPORTERS = {"table": "validator.report.table", "json": "validator.report.json_report"}


def reporter(name: str):
    """The module that renders format `name`."""
    return import_module(REPORTERS[name])
