"""GitHub Actions workflow commands, one a finding: `::error file=…,title=…::message` (warnings as
::warning, notes as ::notice), so that a workflow run shows each finding as an annotation. Picked
when GITHUB_ACTIONS=true and no --format is given. Values are escaped as the workflow-command
grammar says (%, CR and LF everywhere; also : and , in properties)."""

from __future__ import annotations

from validator.shown import name

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render(report, pack, lang: str, batch: bool = False, details: bool = False, **_) -> str:
    lines = []
    for finding in report.findings:
        level = "notice" if finding.explained else LEVEL.get(finding.severity, "notice")
        cell = f" {finding.cells[0]}" if finding.cells else ""
        properties = (
            f"file={_property(finding.file)},title={_property(finding.rule + cell)}"
            if finding.file
            else f"title={_property(finding.rule + cell)}"
        )
        lines.append(f"::{level} {properties}::{_data(finding.said(lang))}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return name(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
