"""Reporters: each module renders a Report in one format, registered here explicitly.

Text formats offer `render(report, pack, lang, batch=False, details=False) -> str`; the summary
workbook (report/summary_xlsx.py) is written to a file by `write(report, pack, lang, path)`.
A reporter's module is imported only when its format is asked for (the table's libraries take
longer to import than a JSON report takes to write)."""

from importlib import import_module
from typing import Optional

REPORTERS = {
    "table": "validator.report.table",
    "json": "validator.report.json_report",
    "csv": "validator.report.csv_report",
    "github": "validator.report.github",
    "junit": "validator.report.junit",
    "sarif": "validator.report.sarif",
}


def reporter(name: str):
    """The module that renders format `name`."""
    return import_module(REPORTERS[name])


def chosen_format(given) -> str:
    """The format asked for; without one, github inside GitHub Actions and the table elsewhere."""
    import os

    return given or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table")


def _entries(given) -> list:
    return [part.strip() for item in given or () for part in item.split(",") if part.strip()]


SELECTION = {
    "unknown_rule": {
        "zh": '{option} 中的 "{entry}" 不是规则包中任何规则的编号或前缀{suggest}',
        "en": '{option}: "{entry}" is neither the id nor a prefix of any rule of the pack{suggest}',
    },
    "suggest": {"zh": ',是否应为 "{rule}"?', "en": '; did you mean "{rule}"?'},
}


def unknown_selection(select, ignore, rule_ids: list, lang: str) -> Optional[str]:
    """What is wrong with the first --select or --ignore entry that is neither a rule id nor a
    prefix of one (a typo would silently turn a check off, and CI go green), with the nearest id;
    None where every entry names some rule."""
    import difflib

    from validator.i18n import say

    for option, given in (("--select", select), ("--ignore", ignore)):
        for entry in _entries(given):
            if not any(rule.startswith(entry) for rule in rule_ids):
                close = difflib.get_close_matches(entry, rule_ids, n=1, cutoff=0.5)
                suggest = say(SELECTION, "suggest", lang, rule=close[0]) if close else ""
                return say(SELECTION, "unknown_rule", lang, option=option, entry=entry, suggest=suggest)
    return None


def selected(findings: list, select, ignore) -> list:
    """The findings of the rules --select names (ids or prefixes, several or comma-separated; all
    without it), less those --ignore names."""
    chosen, dropped = _entries(select), _entries(ignore)
    return [
        finding
        for finding in findings
        if (not chosen or finding.rule.startswith(tuple(chosen)))
        and not finding.rule.startswith(tuple(dropped or ["\0"]))
    ]
