"""explained — the unit's explanations of its warnings (the 审核说明 sheet) are sound.

    - id: G-EXPLAIN
      check: explained

A warning (核实性审核) may stand if the unit explains it: a row of the 审核说明 sheet naming the
rule and the cell, with an explanation that is not boilerplate and has at least the pack's
`explanation_min_chars`. The check runs after every other rule of the return (phase "after"), on
the return and its findings (`Finished`). Each completed row is one outcome: passed where it
explains a warning — the outcome names that warning (`Explains`), and the engine marks it
explained from the same outcome, so the count and the mark never disagree — failed where it
cannot stand: it explains an error (an error must be fixed, never explained away), it explains
nothing, or it names no finding at all (a mistyped rule or cell, a rule that passed), said with
the finding it most likely meant, so that nobody believes a warning explained when it is not.

A row names a finding by its rule and one of its cells, written as the unit may write them: the
rule in any case or width, the cell as 表3!H6, '表3'!H6, 表３!H6, "表3 H6", $H$6, or H6 alone.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Optional

from validator.i18n import Messages, message
from validator.model import Explains, Finding, Outcome, Rule, Settings
from validator.rules.checks.base import Check, Context, Finished
from validator.rules.checks.change_note import boilerplate

if TYPE_CHECKING:
    from validator.read.review_notes import ReviewNote

MESSAGES = Messages(
    __name__,
    {
        "error": {
            "zh": "审核说明为错误 {rule}({cell})作了说明,但错误须改正,不能以说明代替",
            "en": "the 审核说明 sheet explains the error {rule} ({cell}); errors must be fixed, not explained",
        },
        "empty": {
            "zh": "审核说明对 {rule}({cell})的说明“{text}”未说明具体原因;请写明这一数字为何属实",
            "en": 'the explanation of {rule} ({cell}), "{text}", explains nothing; say why the figure stands',
        },
        "unmatched": {
            "zh": "审核说明中的规则“{rule}”、单元格“{cell}”没有对应的警告,这条说明未起作用{nearest}",
            "en": 'the 审核说明 row for rule "{rule}", cell "{cell}", matches no warning, so it explains nothing{nearest}',
        },
        "nearest": {
            "zh": ";最接近的是 {rule}({cell}),请按“审核结果”中的规则编号和单元格填写",
            "en": "; the nearest is {rule} ({cell}): copy the rule and cell from the 审核结果 sheet",
        },
        "none": {
            "zh": ";本报表在这里没有需要说明的警告,可删除这一行",
            "en": "; there is no warning to explain there: the row may be deleted",
        },
    },
)


def run(rule: Rule, subject: Finished, ctx: Context) -> Iterator[Outcome]:
    judged = judge(subject.ret.review_notes, subject.findings, ctx.settings)
    if not judged:
        yield Outcome("passed")  # nothing explained: nothing that cannot stand
    for judgement in judged:
        if judgement.key is None:
            # judge gives the index of the finding wherever the key is None
            yield Outcome("passed", explains=Explains(judgement.at, judgement.row.text))  # type: ignore[arg-type]
            continue
        row = judgement.row
        nearest: Any = ""
        if judgement.key == "unmatched":
            near = judgement.nearest
            nearest = (
                message(MESSAGES, "nearest", rule=near.rule, cell=near.cells[0] if near.cells else "")
                if near is not None
                else message(MESSAGES, "none")
            )
        text = message(MESSAGES, judgement.key, rule=row.rule, cell=row.cell, text=row.text, nearest=nearest)
        yield Outcome("failed", text, (row.where,))


_SPACED = re.compile(r"^(.+?)\s+([A-Z]{1,3}\d+)$")


class Judgement(NamedTuple):
    """What one row of the 审核说明 sheet comes to: `key` None where it explains the warning at
    `at` (an index into the findings); else "error", "empty" (explains nothing) or "unmatched"
    (names no finding: `nearest` is the finding it most likely meant, or None)."""

    row: ReviewNote
    key: Optional[str]
    at: Optional[int]
    nearest: Optional[Finding] = None


def judge(rows: list[ReviewNote], findings: list[Finding], settings: Settings) -> list[Judgement]:
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


def names(row: ReviewNote, finding: Finding) -> bool:
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


def _nearest(row: ReviewNote, findings: list[Finding]) -> Optional[Finding]:
    """The warning a row most likely meant: one on its cell, else the closest rule id."""
    warnings = [f for f in findings if f.severity != "error"] or findings
    on_cell = [f for f in warnings if any(same_cell(row.cell, cell) for cell in f.cells)]
    if on_cell:
        return on_cell[0]
    ids = {canonical_rule(f.rule): f for f in warnings}
    close = difflib.get_close_matches(canonical_rule(row.rule), list(ids), n=1, cutoff=0.6)
    return ids[close[0]] if close else None


CHECK = Check(
    "explained",
    run,
    phase="after",
    summary={
        "zh": "审核说明表对警告的说明成立(错误不能以说明代替,说明须写明原因,须对应一条警告)",
        "en": "the unit's explanations of its warnings (the 审核说明 sheet) are sound.",
    },
)
