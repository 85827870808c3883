"""The JUnit XML report, for CI systems that show test results (Jenkins, GitLab, Azure, …).

It fits the common JUnit schema (Ant's, as published by Windy Road — tests/schemas/JUnit.xsd):
one testsuite per file; in it one testcase per finding (a `failure` whose type is the severity;
a warning the unit explained is `skipped` with its reason) and one per rule of a single return
that found nothing there (passed; `skipped` when the rule could not be evaluated anywhere in the
run, for want of reference data or for blank inputs). A batch adds a suite for the checks across
returns: their findings that name no file (a unit that filed nothing), and those rules that found
nothing anywhere; a finding across returns that names a file (a second return of a unit) is in
that file's suite. The schema knows no warnings, so a warning is a failure of type "warning": a CI system
that should pass on warnings reads the type, or is given `--select`/`--ignore`."""

from __future__ import annotations

import socket
import time
import xml.etree.ElementTree as ET

from validator.i18n import say
from validator.report.common import file_statuses
from validator.shown import for_markup

MESSAGES = {
    "across": {"zh": "跨报表检查", "en": "checks across returns"},
    "whole": {"zh": "整份报表", "en": "whole return"},
    "explained": {"zh": "已说明: {why}", "en": "explained: {why}"},
    "not_evaluated": {"zh": "未评估(缺参考数据或数据空白)", "en": "not evaluated (no reference data, or blank inputs)"},
    "unread": {"zh": "文件无法读取,未检查", "en": "the file could not be read; not checked"},
}


def render(report, pack, lang: str, batch: bool = False, details: bool = False, **_) -> str:
    root = ET.Element("testsuites")
    files = [entry["file"] for entry in report.files]
    by_file: dict = {file: [] for file in files}
    across = []
    for finding in report.findings:
        by_file[finding.file].append(finding) if finding.file in by_file else across.append(finding)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    host = socket.gethostname() or "localhost"
    statuses = file_statuses(report, pack)
    for number, file in enumerate(files):
        suite = _suite(root, for_markup(file) or "-", number, stamp, host)
        unread = statuses[file]["status"] == "unreadable"
        _fill(suite, by_file[file], [r for r in pack.rules if r.scope != "batch"], report, pack, lang, unread)
    if batch:
        suite = _suite(root, say(MESSAGES, "across", lang), len(files), stamp, host)
        found_anywhere = {finding.rule for finding in report.findings}
        quiet = [r for r in pack.rules if r.scope == "batch" and r.id not in found_anywhere]
        _fill(suite, across, quiet, report, pack, lang)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root, name: str, number: int, stamp: str, host: str):
    suite = ET.SubElement(root, "testsuite", name=name, package="formcheck", id=str(number))
    suite.set("timestamp", stamp)
    suite.set("hostname", host)
    ET.SubElement(suite, "properties")
    return suite


def _fill(suite, findings: list, rules: list, report, pack, lang: str, unread: bool = False) -> None:
    """The suite's testcases: its findings, then the rules that found nothing (skipped, all of
    them, on a file that could not be read); its counts."""
    failures = skipped = 0
    for finding in findings:
        case = _case(
            suite, f"{finding.rule} {finding.cells[0]}" if finding.cells else finding.rule, finding.form, pack, lang
        )
        if finding.explained:
            ET.SubElement(
                case, "skipped", message=for_markup(say(MESSAGES, "explained", lang, why=finding.explanation))
            )
            skipped += 1
            continue
        said = for_markup(finding.said(lang))
        failure = ET.SubElement(case, "failure", message=said, type=finding.severity)
        failure.text = "\n".join(
            filter(None, [said, " ".join(map(for_markup, finding.cells)), finding.origin_in(lang)])
        )
        failures += 1
    found = {finding.rule for finding in findings}
    for rule in rules:
        if rule.id in found:
            continue
        case = _case(suite, rule.id, rule.form, pack, lang)
        counts = report.counts.get(rule.id)
        if unread or counts is None or counts.evaluated == 0:
            ET.SubElement(case, "skipped", message=say(MESSAGES, "unread" if unread else "not_evaluated", lang))
            skipped += 1
    ET.SubElement(suite, "system-out")
    ET.SubElement(suite, "system-err")
    tests = len(suite.findall("testcase"))
    for key, value in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", skipped), ("time", 0)):
        suite.set(key, str(value))


def _case(suite, name: str, form_id, pack, lang: str):
    form = pack.forms.get(form_id) if form_id else None
    classname = form.short if form is not None else say(MESSAGES, "whole", lang)
    return ET.SubElement(suite, "testcase", name=for_markup(name), classname=classname, time="0")
