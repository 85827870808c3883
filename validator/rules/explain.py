"""Matching the unit's explanations (审核说明) to its warnings, after every other rule has run on a
return: one judgement of each row, which the `explained` check (G-EXPLAIN) counts and reports and
the engine uses to mark the warnings explained — so the two never disagree.

A row names a finding by its rule and one of its cells, written as the unit may write them: the
rule in any case or width, the cell as 表3!H6, '表3'!H6, 表３!H6, "表3 H6", $H$6, or H6 alone."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import replace
from typing import NamedTuple, Optional

from validator.model import Finding
from validator.rules.checks.explanation import boilerplate

_SPACED = re.compile(r"^(.+?)\s+([A-Z]{1,3}\d+)$")


class Judgement(NamedTuple):
    """What one row of the 审核说明 sheet comes to: `key` None where it explains the warning at
    `at` (an index into the findings); else "error", "empty" (explains nothing) or "unmatched"
    (names no finding: `nearest` is the finding it most likely meant, or None)."""

    row: object  # read.explanations.Explanation
    key: Optional[str]
    at: Optional[int]
    nearest: Optional[Finding] = None


def judge(rows: list, findings: list, settings: dict) -> list:
    """A Judgement of each completed row, against this return's findings."""
    judged = []
    for row in rows:
        if not row.text:
            continue  # a row the annotated copy set out, not yet completed
        at = next((i for i, finding in enumerate(findings) if names(row, finding)), None)
        if at is None:
            judged.append(Judgement(row, "unmatched", None, _nearest(row, findings)))
        elif findings[at].severity == "error":
            judged.append(Judgement(row, "error", at))
        elif boilerplate(row.text, settings):
            judged.append(Judgement(row, "empty", at))
        else:
            judged.append(Judgement(row, None, at))
    return judged


def mark_explained(findings: list, first: int, judged: list) -> None:
    """Give each warning of findings[first:] that a row soundly explains its explanation."""
    for judgement in judged:
        if judgement.key is None and judgement.at is not None:
            at = first + judgement.at
            findings[at] = replace(findings[at], explanation=judgement.row.text)


def names(row, finding: Finding) -> bool:
    return canonical_rule(row.rule) == canonical_rule(finding.rule) and any(
        same_cell(row.cell, cell) for cell in finding.cells
    )


def canonical_rule(written: str) -> str:
    return "".join(unicodedata.normalize("NFKC", written).split()).upper()


def canonical_cell(written: str) -> str:
    """A cell as compared: half-width, upper case, no $, the sheet unquoted and joined by "!"."""
    text = unicodedata.normalize("NFKC", written).strip().replace("$", "").upper()
    spaced = _SPACED.match(text)
    if "!" not in text and spaced:
        text = f"{spaced.group(1)}!{spaced.group(2)}"
    sheet, bang, cell = text.rpartition("!")
    sheet = sheet.strip()
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return f"{sheet}!{cell.strip()}" if bang else cell.strip()


def same_cell(written: str, cell: str) -> bool:
    """Whether an explanation's cell names a finding's cell: in full or on its own ("H6")."""
    written, cell = canonical_cell(written), canonical_cell(cell)
    return written == cell or ("!" not in written and cell.rsplit("!", 1)[-1] == written)


def _nearest(row, findings: list) -> Optional[Finding]:
    """The warning a row most likely meant: one on its cell, else the closest rule id."""
    warnings = [f for f in findings if f.severity != "error"] or findings
    on_cell = [f for f in warnings if any(same_cell(row.cell, cell) for cell in f.cells)]
    if on_cell:
        return on_cell[0]
    ids = {canonical_rule(f.rule): f for f in warnings}
    close = difflib.get_close_matches(canonical_rule(row.rule), list(ids), n=1, cutoff=0.6)
    return ids[close[0]] if close else None
