"""Reporters: each module renders a Report in one format, registered here explicitly.

Text formats offer `render(report, pack, lang, batch=False, details=False) -> str`; the summary
workbook (report/summary_xlsx.py) is written to a file by `write(report, pack, lang, path)`."""

from validator.report import json_report, table

REPORTERS = {"table": table, "json": json_report}
