"""forms_present — every form of the pack is in the workbook, found by its title.

    - id: G-FORMS
      check: forms_present

Sheet names and order do not matter; a form whose title cannot be found is reported with the
title looked for. Rules on a missing form are "not evaluated". A form found on several sheets (a
stale copy "表1 (2)", an old sheet hidden rather than deleted) fails too, naming every sheet and
which copy the other rules were run on: the first visible one.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Joined, Messages, message
from validator.model import Form, FormCopy, Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "missing": {
            "zh": "工作簿中未找到{short}“{title}”(按表格标题查找,各表标题须保留“{title}”字样)",
            "en": '{short} "{title}" is not in the workbook (forms are found by their title)',
        },
        "copies": {
            "zh": "{short}“{title}”在工作簿中出现 {count} 次,在工作表{sheets};已按工作表“{used}”检查,请删除多余的表后再检查",
            "en": '{short} "{title}" is in the workbook {count} times, on sheets {sheets}; sheet "{used}" was checked. '
            "Delete the extra copies and check again",
        },
        "sheet": {"zh": "“{sheet}”{state}", "en": '"{sheet}"{state}'},
        "hidden": {"zh": "(隐藏)", "en": " (hidden)"},
        "veryHidden": {"zh": "(深度隐藏)", "en": " (very hidden)"},
        "visible": {"zh": "", "en": ""},
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    for form in ctx.pack.forms.values():
        if form.optional:
            continue
        copies = ret.copies.get(form.id)
        if copies:
            yield _copies(form, copies, ret.forms[form.id].sheet, ctx)
        elif form.id in ret.forms:
            yield Outcome("passed", form=form.id)
        else:
            text = message(MESSAGES, "missing", short=form.short, title=form.title)
            yield Outcome("failed", text, (), form=form.id)


def _copies(form: Form, copies: list[FormCopy], used: str, ctx: Context) -> Outcome:
    sheets = Joined(
        [message(MESSAGES, "sheet", sheet=copy.sheet, state=message(MESSAGES, copy.state)) for copy in copies],
    )
    text = message(MESSAGES, "copies", short=form.short, title=form.title, count=len(copies), sheets=sheets, used=used)
    return Outcome("failed", text, tuple(copy.cell for copy in copies), form=form.id)


CHECK = Check(
    "forms_present",
    run,
    summary={
        "zh": "规则包的各张表都在工作簿中(按表题查找),且各只有一份",
        "en": "every form of the pack is in the workbook, found by its title.",
    },
)
