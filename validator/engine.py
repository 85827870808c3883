"""Running a pack's rules over returns and turning outcomes into stamped findings.

A check yields Outcomes and knows nothing of severity; here each failed outcome becomes a
Finding with the rule's severity and origin, and every outcome is counted per rule (evaluated,
passed, failed, not evaluated). A check that crashes is a failed outcome naming the rule, never a
pass and never a traceback.
"""

from __future__ import annotations

from validator.checks import CHECKS
from validator.checks.base import Context
from validator.i18n import say
from validator.model import Finding, Outcome, Report, Return, RuleCount

MESSAGES = {
    "crashed": {"zh": "规则 {rule} 执行出错({error}),本项未能检查,请将此信息反馈给规则包维护人",
                "en": "rule {rule} failed to run ({error}); this item was not checked, please report it"},
}


def check_return(ret: Return, pack, lang: str = "zh") -> Report:
    report = Report()
    add_return(report, ret, pack, lang)
    return report


def add_return(report: Report, ret: Return, pack, lang: str) -> None:
    ctx = Context(pack, lang)
    report.files.append({"file": ret.path, "unit": ret.unit, "year": ret.year})
    for rule in pack.rules:
        counts = report.counts.setdefault(rule.id, RuleCount())
        for outcome in _outcomes(rule, ret, ctx):
            _count(counts, outcome)
            if outcome.status == "failed":
                report.findings.append(_finding(rule, ret, outcome))


def _outcomes(rule, ret: Return, ctx: Context) -> list:
    try:
        return list(CHECKS[rule.check].run(rule, ret, ctx))
    except Exception as exc:  # noqa: BLE001 - a broken check must be reported, not crash the run
        text = say(MESSAGES, "crashed", ctx.lang, rule=rule.id, error=f"{type(exc).__name__}: {exc}")
        return [Outcome("failed", text, (), form=rule.form)]


def _count(counts: RuleCount, outcome: Outcome) -> None:
    if outcome.status == "not_evaluated":
        counts.not_evaluated += 1
        return
    counts.evaluated += 1
    if outcome.status == "passed":
        counts.passed += 1
    else:
        counts.failed += 1


def _finding(rule, ret: Return, outcome: Outcome) -> Finding:
    return Finding(
        file=ret.path, unit=ret.unit, rule=rule.id, severity=rule.severity, origin=rule.origin,
        form=outcome.form or rule.form, message=outcome.message, cells=outcome.cells, values=outcome.values,
    )
