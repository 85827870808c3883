"""The JSON report, for programs: the structure is documented in docs/json.md."""

from __future__ import annotations

import json

from validator.i18n import quoted
from validator.report import located
from validator.report.common import file_statuses, totals
from validator.shown import name

FORMAT_VERSION = 1


def render(report, pack, lang: str, batch: bool = False, details: bool = False, **_) -> str:
    statuses = file_statuses(report, pack)
    document = {
        "format_version": FORMAT_VERSION,
        "lang": lang,
        "pack": pack.name,
        "files": [
            {
                **entry,
                "file": name(entry["file"]),
                "unit": name(entry["unit"]),
                **statuses[entry["file"]],
                "localisation": located.as_json(report.localisations.get(entry["file"]), lang),
            }
            for entry in report.files
        ],
        "findings": [_finding(f, pack, lang) for f in report.findings],
        "rules": {rule.id: _rule(rule, report, lang) for rule in pack.rules},
        "summary": totals(report),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _finding(finding, pack, lang: str) -> dict:
    form = pack.forms.get(finding.form) if finding.form else None
    return {
        "file": name(finding.file),
        "unit": name(finding.unit),
        "rule": finding.rule,
        "severity": finding.severity,
        "origin": finding.origin_in(lang),
        "form": finding.form,
        "form_short": form.short if form else None,
        "form_title": form.name(lang) if form else None,
        "message": name(finding.message_in(lang)),
        "hint": name(finding.hint_in(lang)),
        "code": finding.code,
        "params": {
            key: name(value) if isinstance(value, str) else value for key, value in finding.params_in(lang).items()
        },
        "cells": list(finding.cells),
        "cell_details": _cell_details(finding, lang),
        "related_files": [name(path) for path in finding.related],
        "values": finding.values,
        "explanation": name(finding.explanation),
    }


def _rule(rule, report, lang: str) -> dict:
    counts = report.counts.get(rule.id)
    return {
        "severity": rule.severity,
        "origin": rule.origin_in(lang),
        "form": rule.form,
        "evaluated": counts.evaluated if counts else 0,
        "passed": counts.passed if counts else 0,
        "failed": counts.failed if counts else 0,
        "not_evaluated": counts.not_evaluated if counts else 0,
        "not_evaluated_no_reference": counts.no_reference if counts else 0,
    }


def _cell_details(finding, lang: str) -> list:
    """Each cell of a finding: where it is, what it holds as read, and its role — the first is the
    cell to change ("fix"), the others only related."""
    from validator.report.annotate import split_address

    details = []
    for index, address in enumerate(finding.cells):
        place = split_address(address)
        sheet, coordinate = place if place is not None else ("", address)
        letters = coordinate.rstrip("0123456789")
        written = finding.written[index] if index < len(finding.written) else None
        details.append(
            {
                "sheet": name(sheet),
                "row": int(coordinate[len(letters) :]) if coordinate[len(letters) :].isdigit() else None,
                "column": letters,
                "address": name(address),
                "value": written
                if isinstance(written, (int, float, bool)) or written is None
                else name(quoted(str(written), lang)),
                "role": "fix" if index == 0 else "related",
            }
        )
    return details
