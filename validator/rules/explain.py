"""Matching the unit's explanations (审核说明) to its warnings, after every rule has run on a return.

A warning whose rule and cell a row names, with an adequate explanation, is marked explained: it is
reported with its reason and no longer counts for `--fail-on warning`. A row naming an error, or
explaining nothing, is itself a finding of the rule whose check is `explained` (G-EXPLAIN)."""

from __future__ import annotations

from dataclasses import replace

from validator.i18n import say
from validator.model import Finding, Return
from validator.read.explanations import same_cell
from validator.rules.checks.explanation import boilerplate

MESSAGES = {
    "error": {
        "zh": "审核说明为错误 {rule}({cell})作了说明,但错误须改正,不能以说明代替",
        "en": "the 审核说明 sheet explains the error {rule} ({cell}); errors must be fixed, not explained",
    },
    "empty": {
        "zh": "审核说明对 {rule}({cell})的说明“{text}”未说明具体原因;请写明这一数字为何属实",
        "en": 'the explanation of {rule} ({cell}), "{text}", explains nothing; say why the figure stands',
    },
}


def apply_explanations(findings: list, first: int, ret: Return, pack, lang: str) -> None:
    """Mark the warnings among findings[first:] (this return's) that the return explains; add a
    finding for each row that cannot stand."""
    rule = next((r for r in pack.rules if r.check == "explained"), None)
    if not ret.explanations or rule is None:
        return
    for row in ret.explanations:
        if not row.text:
            continue  # a row the annotated copy set out, not yet completed
        at = next((i for i in range(first, len(findings)) if _names(row, findings[i])), None)
        if at is None:
            continue  # the warning it explained is gone: nothing to say
        finding = findings[at]
        key = "error" if finding.severity == "error" else "empty" if boilerplate(row.text, pack.settings) else None
        if key is None:
            findings[at] = replace(finding, explanation=row.text)
            continue
        text = say(MESSAGES, key, lang, rule=row.rule, cell=row.cell, text=row.text)
        findings.append(Finding(ret.path, ret.unit, rule.id, rule.severity, rule.origin, None, text, (row.where,)))


def _names(row, finding: Finding) -> bool:
    return row.rule.upper() == finding.rule.upper() and any(same_cell(row.cell, cell) for cell in finding.cells)
