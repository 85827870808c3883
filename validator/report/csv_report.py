"""The CSV report, for Excel and for scripts: one finding a row, then for a return that breaks a
hard rule one row of where to fix it (rule "最少改动" / "fewest": the cells to change first, the
localisation said as its problem); UTF-8 with a byte-order mark so that Excel opens the Chinese as
Chinese. Every text that could start a formula in a spreadsheet
(=, +, -, @) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io

from validator.report import located
from validator.report.common import severity_name
from validator.shown import name

FEWEST = {"zh": "最少改动", "en": "fewest"}
HEAD = {
    "zh": ["文件", "填报单位", "表", "规则", "级别", "依据", "改此单元格", "相关单元格", "问题", "改正方法", "说明"],
    "en": [
        "file",
        "unit",
        "form",
        "rule",
        "severity",
        "origin",
        "cell to change",
        "related cells",
        "problem",
        "remedy",
        "explanation",
    ],
}


def render(report, pack, lang: str, batch: bool = False, details: bool = False, **_) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEAD.get(lang, HEAD["zh"]))
    for finding in report.findings:
        form = pack.forms.get(finding.form) if finding.form else None
        writer.writerow(
            [
                safe_cell(text)
                for text in (
                    finding.file,
                    finding.unit,
                    form.short if form else "",
                    finding.rule,
                    severity_name(finding.severity, lang),
                    finding.origin_in(lang),
                    finding.cells[0] if finding.cells else "",
                    " ".join(finding.cells[1:]),
                    finding.message_in(lang),
                    finding.hint_in(lang),
                    finding.explanation,
                )
            ]
        )
    for entry in report.files:
        found = report.localisations.get(entry["file"])
        if found is not None and found.sets:
            cells = found.cells
            text = "\n".join(located.lines(found, lang))
            row = [entry["file"], entry["unit"], "", FEWEST[lang], "", "", cells[0], " ".join(cells[1:]), text, "", ""]
            writer.writerow([safe_cell(item) for item in row])
    return "\ufeff" + out.getvalue()


def safe_cell(text: str) -> str:
    """A text as a CSV cell: a name shown, and one that could start a formula in a spreadsheet quoted."""
    text = name(str(text))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
