"""The SARIF 2.1.0 report, for code-scanning dashboards (GitHub code scanning, Azure DevOps, GitLab).

The driver lists every rule of the pack with what it checks, its origin and the notes it comes
from; each finding is a result whose artifact is the workbook and whose location is the cell to
change — as a logical location ("表4!D6") and as a region (its row and column) — with the related
cells as related locations. A warning the unit explained carries an external suppression with
the unit's reason. A finding about a unit that filed nothing has no location."""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from validator.i18n import said
from validator.numbers import format_number
from validator.report import located
from validator.report.annotate import split_address
from validator.rules.describe import cited_notes, summary
from validator.shown import for_markup

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report, pack, lang: str, batch: bool = False, details: bool = False, **_) -> str:
    import validator

    rules = list(pack.rules)
    index = {rule.id: number for number, rule in enumerate(rules)}
    files = list(dict.fromkeys([entry["file"] for entry in report.files] + [f.file for f in report.findings if f.file]))
    run = {
        "tool": {
            "driver": {
                "name": "formcheck",
                "version": validator.__version__,
                "semanticVersion": validator.__version__,
                "rules": [_rule(rule, pack, lang) for rule in rules],
            }
        },
        "artifacts": [{"location": {"uri": _uri(file)}} for file in files],
        "results": [
            _with_fixes(_result(f, lang, index, {n: k for k, n in enumerate(files)}), f, report, lang, files)
            for f in report.findings
        ],
        "properties": {"pack": pack.name, "lang": lang},
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"


def _rule(rule, pack, lang: str) -> dict:
    what = said(summary(rule, pack), lang)
    notes = [f"{note.form.short} 注{note.number}: {note.text}" for note in cited_notes(rule, pack)]
    help_text = "\n".join([what, *notes, f"formcheck rules explain {rule.id}"])
    return {
        "id": rule.id,
        "shortDescription": {"text": what},
        "fullDescription": {"text": "\n".join([what, *notes])},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "note")},
        "properties": {"origin": rule.origin_in(lang), "form": rule.form or "", "tags": [rule.origin_in(lang)]},
    }


def _result(finding, lang: str, rules: dict, artifacts: dict) -> dict:
    result: dict = {
        "ruleId": finding.rule,
        "level": LEVEL.get(finding.severity, "note"),
        "message": {"text": for_markup(finding.said(lang))},
        "properties": {"unit": for_markup(finding.unit), "origin": finding.origin_in(lang)},
    }
    if finding.rule in rules:
        result["ruleIndex"] = rules[finding.rule]
    if finding.file:
        cells = finding.cells or ("",)
        result["locations"] = [_location(finding.file, cells[0], artifacts)]
        related = [_location(finding.file, cell, artifacts) for cell in finding.cells[1:]]
        if related:
            result["relatedLocations"] = [{**place, "id": number} for number, place in enumerate(related)]
    if finding.explained:
        result["suppressions"] = [{"kind": "external", "justification": for_markup(finding.explanation)}]
    return result


def _with_fixes(result: dict, finding, report, lang: str, files: list) -> dict:
    """A result of a rule the localisation mends gets its proposals as SARIF `fixes`: a cell's
    figure replaced where one value is known (a likely slip, or a range of one value)."""
    found = report.localisations.get(finding.file)
    if found is None or finding.rule not in found.broken or not finding.cells or finding.cells[0] not in found.cells:
        return result
    proposals = {c.cell: c.low for c in found.sets[0] if c.low is not None and c.low == c.high}
    if found.slip is not None:
        proposals[found.slip.cell] = found.slip.proposed
    changes = []
    for cell, value in proposals.items():
        place = _location(finding.file, cell, {finding.file: files.index(finding.file)})["physicalLocation"]
        if "region" in place:
            replaced = {"deletedRegion": place["region"], "insertedContent": {"text": format_number(value)}}
            changes.append({"artifactLocation": place["artifactLocation"], "replacements": [replaced]})
    if changes:
        described = {"text": for_markup(located.lines(found, lang)[0])}
        result["fixes"] = [{"description": described, "artifactChanges": changes}]
    return result


def _location(file: str, cell: str, artifacts: dict) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(file), "index": artifacts[file]}}
    place = split_address(cell) if cell else None
    if place is not None:
        letters = place[1].rstrip("0123456789")
        row = place[1][len(letters) :]
        if letters and row.isdigit():
            physical["region"] = {"startLine": int(row), "startColumn": _column_number(letters)}
    location: dict = {"physicalLocation": physical}
    if cell:
        location["logicalLocations"] = [{"name": for_markup(cell), "kind": "element"}]
    return location


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _uri(file: str) -> str:
    """A file name as a URI reference: relative names stay relative (CI systems resolve them
    against the checkout), absolute ones become file: URIs; every other character is escaped."""
    text = for_markup(file)
    path = PurePath(text)
    return "file://" + quote(path.as_posix()) if path.is_absolute() else quote(path.as_posix())
