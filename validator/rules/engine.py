"""Running a pack's rules over returns and turning outcomes into stamped findings.

A check yields Outcomes and knows nothing of severity; here each failed outcome becomes a
Finding with the rule's severity and origin, and every outcome is counted per rule (evaluated,
passed, failed, not evaluated). A check that crashes is a failed outcome naming the rule, never a
pass and never a traceback. Rules on one return run in `add_return` (those whose check runs after
the others last, on the return's findings); rules across returns run once over the digests of a
batch in `add_batch`; the rules on a file refused at intake run in `add_refusal`. Which rules run
where is read from each check's contract (its scope and phase), never from a check's name; every
outcome is counted in `_record`, the one place counts and the findings cap are kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Optional

from validator.i18n import Joined, Messages, Rope, Text, aside, message
from validator.model import FileEntry, Finding, Outcome, Report, Return, Rule, RuleCount
from validator.rules.checks import CHECKS
from validator.rules.checks.base import Context, Finished, Intake

if TYPE_CHECKING:
    from validator.rules.pack import Pack

MESSAGES = Messages(
    __name__,
    {
        "instead": {
            "zh": "(按最少改动应改 {cell}:只改 {own} 会使 {rules} 不成立)",
            "en": " (the fewest changes go through {cell}: changing {own} alone breaks {rules})",
        },
        "instead_more": {
            "zh": "(按最少改动应改 {cell}:只改 {own} 还须另改几处)",
            "en": " (the fewest changes go through {cell}: changing {own} needs more changes besides)",
        },
        "more": {
            "zh": "……本规则另有 {count} 处同类问题未逐一列出(每个文件最多列出 {most} 处)",
            "en": "… and {count} more of this rule not listed one by one (at most {most} a file)",
        },
        "crashed": {
            "zh": "规则 {rule} 执行出错({error}),本项未能检查,请将此信息反馈给规则包维护人",
            "en": "rule {rule} failed to run ({error}); this item was not checked, please report it",
        },
    },
)


def check_return(ret: Return, pack: "Pack", reference: Any = None) -> Report:
    report = Report()
    add_return(report, ret, pack, reference)
    return report


def add_return(report: Report, ret: Return, pack: "Pack", reference: Any = None) -> None:
    ctx = Context(pack, reference)
    unit = ret.unit
    report.files.append({"file": ret.path, "unit": unit, "year": ret.year})
    first = len(report.findings)
    for rule in file_rules(pack):
        _record(report, rule, Intake(ret.path), ctx, ret.path, unit)
    rules, after = _on_one_return(pack)
    for rule in rules:
        _record(report, rule, ret, ctx, ret.path, unit, ret)
    for rule in after:  # the return's findings are all made: the 审核说明 rows are judged against them
        _record(report, rule, Finished(ret, report.findings[first:]), ctx, ret.path, unit, ret, first)
    _localise(report, ret, ctx, first)


def _localise(report: Report, ret: Return, ctx: Context, first: int) -> None:
    """Where to fix a return that breaks a hard rule; each finding of a rule broken there names
    first the cell the localisation changes, so that the two never disagree."""
    if not any(f.severity == "error" for f in report.findings[first:]):
        return  # a return that passes pays nothing: not even the import
    from validator.rules import localise

    found = localise.of_return(ret, ctx.pack, ctx, report.findings[first:])
    if found is None or not found.sets:
        return
    report.localisations[ret.path] = found
    located = set(found.cells)
    for at in range(first, len(report.findings)):
        finding = report.findings[at]
        if finding.rule in found.broken and located.intersection(finding.cells) and finding.cells[0] not in located:
            cells = sorted(finding.cells, key=lambda cell: cell not in located)  # stable: the rest keep their order
            here = Joined(cell for cell in cells if cell in located)
            said = _instead(here, finding.cells[0], found.instead.get(finding.cells[0], ()))
            report.findings[at] = replace(
                finding, cells=tuple(cells), written=_reordered(finding, cells), message=Rope([finding.message, said])
            )


def _instead(cell: Joined, own: str, breaks: tuple[str, ...]) -> Text:
    """Why the finding names another cell than its rule would: the fewest changes go through it."""
    if breaks:
        return aside(MESSAGES, "instead", cell=cell, own=own, rules=Joined(breaks))
    return aside(MESSAGES, "instead_more", cell=cell, own=own)


_ON_ONE_RETURN: dict[int, tuple["Pack", tuple[list[Rule], list[Rule]]]] = {}


def _on_one_return(pack: "Pack") -> tuple[list[Rule], list[Rule]]:
    """(the rules on one return that run in turn, those whose check runs after them)."""
    if id(pack) not in _ON_ONE_RETURN:
        on_one = [r for r in pack.rules if r.scope == "return"]
        after = [r for r in on_one if CHECKS[r.check].phase == "after"]
        _ON_ONE_RETURN[id(pack)] = (pack, ([r for r in on_one if r not in after], after))
    return _ON_ONE_RETURN[id(pack)][1]


def file_rules(pack: "Pack", refused: bool = False) -> list[Rule]:
    """The rules on each file as a file, read or refused by intake (G-FILE in the default pack).
    For a refused file a pack that has none (one that disables G-FILE) still gets one, an error
    named as its check: an unread file never passes."""
    found = [r for r in pack.rules if r.scope == "file"]
    if found or not refused:
        return found
    check = next(c for c in CHECKS.values() if c.scope == "file")
    return [Rule(check.name, check.name, "error", "", None, None, "", scope="file")]


def add_refusal(report: Report, path: str, refusal: Any, pack: "Pack") -> None:
    """A file that intake refused: a row of its own in the report, and the rules on files."""
    report.files.append({"file": str(path), "unit": "", "year": None})
    ctx = Context(pack)
    for rule in file_rules(pack, refused=True):
        _record(report, rule, Intake(str(path), refusal), ctx, str(path), "")


def add_batch(
    report: Report,
    digests: list[Any],
    pack: "Pack",
    reference: Any = None,
    case_numbers_at: Optional[Callable[[list[tuple[str, list[int]]]], list[dict[int, str]]]] = None,
) -> None:
    """The rules across returns, over the digests; `case_numbers_at([(file, rows)])` reads case
    numbers again where their hashes agree, each file's in turn (batch.case_numbers_at)."""
    unreadable = {r.id for r in file_rules(pack, refused=True)}
    refused = tuple(f.file for f in report.findings if f.rule in unreadable)
    ctx = Context(pack, reference, refused, case_numbers_at)
    for rule in pack.rules:
        if rule.scope == "batch":
            _record(report, rule, digests, ctx, "", "")


def _reordered(finding: Finding, cells: list[str]) -> tuple[Any, ...]:
    if len(finding.written) != len(finding.cells):
        return finding.written
    written = dict(zip(finding.cells, finding.written))
    return tuple(written[cell] for cell in cells)


def _record(
    report: Report,
    rule: Rule,
    subject: object,
    ctx: Context,
    path: str,
    unit: str,
    ret: Optional[Return] = None,
    first: int = 0,
) -> None:
    """Count every outcome of the rule's check on `subject` and keep its failures as findings, at
    most the pack's `max_findings` of a rule for one file (the rest are counted, and said in one
    more finding). The outcomes are taken one by one, never all held: a register with one case
    number repeated 200,000 times gives as many. A check that breaks is one failure saying so.
    `ret`, the return the rule ran on (None across returns), gives each finding the values of its
    cells; a passed outcome that explains a finding (an after-phase check's) marks the finding at
    `first` + its index explained."""
    run = CHECKS[rule.check].run
    counts = report.counts.setdefault(rule.id, RuleCount())
    most = ctx.settings.max_findings
    kept: dict[tuple[str, str], int] = {}  # (file, unit) -> failures of this rule
    try:
        for outcome in run(rule, subject, ctx):  # counted inline: a return gives some hundred outcomes
            status = outcome.status
            if status == "passed":
                counts.evaluated += outcome.times
                counts.passed += outcome.times
                if outcome.explains is not None:
                    at = first + outcome.explains.at
                    report.findings[at] = replace(report.findings[at], explanation=outcome.explains.text)
            elif status == "not_evaluated":
                counts.not_evaluated += outcome.times
                if outcome.reason:
                    counts.no_reference += outcome.times
            else:
                counts.evaluated += outcome.times
                counts.failed += outcome.times
                _keep(report, rule, outcome, (path, unit), kept, most, ret)
    except Exception as exc:  # noqa: BLE001 - a broken check must be reported, not crash the run
        text = message(MESSAGES, "crashed", rule=rule.id, error=f"{type(exc).__name__}: {exc}")
        counts.evaluated += 1
        counts.failed += 1
        report.findings.append(
            _finding(rule, Outcome("failed", text, (), form=rule.form, code="formcheck.crashed"), path, unit)
        )
    for (file, file_unit), count in kept.items():
        if count > most:
            text = message(MESSAGES, "more", count=count - most, most=most)
            report.findings.append(
                _finding(
                    rule,
                    Outcome("failed", text, (), form=rule.form, file=file, unit=file_unit, code="formcheck.more"),
                    path,
                    unit,
                )
            )


def _keep(
    report: Report,
    rule: Rule,
    outcome: Outcome,
    where: tuple[str, str],
    kept: dict[tuple[str, str], int],
    most: int,
    ret: Optional[Return] = None,
) -> None:
    """Keep a failure as a finding (`where`: the file and unit of the run); one past the cap is
    only counted. A failure `times` over is that many alike, the first described: a check that
    knows the cap sends the rest so (a batch of copies of one register fails B-CASE-DUP 1.4
    million times)."""
    path, unit = where
    key = (outcome.file if outcome.file is not None else path, outcome.unit if outcome.unit is not None else unit)
    before = kept.get(key, 0)
    kept[key] = before + outcome.times
    if before < most:
        finding = _finding(rule, outcome, path, unit)
        if ret is not None and finding.cells:
            finding = replace(finding, written=tuple(ret.written_at(cell) for cell in finding.cells))
        report.findings.append(finding)


def _finding(rule: Rule, outcome: Outcome, path: str, unit: str) -> Finding:
    return Finding(
        file=outcome.file if outcome.file is not None else path,
        unit=outcome.unit if outcome.unit is not None else unit,
        rule=rule.id,
        severity=rule.severity,
        origin=rule.cited,
        form=outcome.form or rule.form,
        message=outcome.message,
        cells=outcome.cells,
        values=outcome.values,
        related=outcome.related,
        hint=outcome.hint,
        code=outcome.code or _code(rule, outcome.message),
        params=_params(outcome.message),
    )


def _code(rule: Rule, said: Any) -> str:
    """The kind of a finding: its check, and the message it says where the check has several."""
    key = said.key if isinstance(said, Text) else ""
    return f"{rule.check}.{key}" if key else rule.check


def _params(message: Any) -> dict[str, Any]:
    """What the message was made from: numbers, and texts (said in a language by the reporter)."""
    given = message.params if isinstance(message, Text) else {}
    return {
        name: value if value is None or isinstance(value, (bool, int, float, str, Text)) else str(value)
        for name, value in given.items()
    }


def tallies(report: Report, rules: list[Rule]) -> tuple[int, ...]:
    """A report's counts as a worker sends them: (evaluated, passed, failed, not evaluated, of those
    for want of reference data) of each of the pack's rules in turn, -1 five times for a rule that
    did not run. Small integers cost
    next to nothing to unpickle; a RuleCount, or even a dict keyed by rule id, costs more than all
    the rest of a result."""
    counts = report.counts
    return tuple(number for rule in rules for number in _tally(counts.get(rule.id)))


def _tally(count: Optional[RuleCount]) -> tuple[int, int, int, int, int]:
    if count is None:
        return -1, -1, -1, -1, -1
    return count.evaluated, count.passed, count.failed, count.not_evaluated, count.no_reference


def merge(
    report: Report, files: list[FileEntry], findings: list[Finding], counts: tuple[int, ...], rules: list[Rule]
) -> None:
    """Add a worker's files, findings and tallies (from `tallies`, with the same rules) to the whole report."""
    report.files.extend(files)
    report.findings.extend(findings)
    for k, rule in enumerate(rules):
        evaluated, passed, failed, not_evaluated, no_reference = counts[5 * k : 5 * k + 5]
        if evaluated < 0:
            continue
        total = report.counts.get(rule.id)
        if total is None:
            total = report.counts[rule.id] = RuleCount()
        total.evaluated += evaluated
        total.passed += passed
        total.failed += failed
        total.not_evaluated += not_evaluated
        total.no_reference += no_reference
