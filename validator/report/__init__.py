"""Reporters: each module renders a Report in one format, registered here explicitly."""

from validator.report import json_report, table

REPORTERS = {"table": table, "json": json_report}
