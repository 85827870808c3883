"""forms_present — every form of the pack is in the workbook, found by its title.

    - id: G-FORMS
      check: forms_present

Sheet names and order do not matter; a form whose title cannot be found is reported with the
title looked for. Rules on a missing form are "not evaluated".
"""

from __future__ import annotations

from validator.i18n import say
from validator.model import Outcome

MESSAGES = {
    "missing": {"zh": "工作簿中未找到{short}“{title}”(按表格标题查找,各表标题须保留“{title}”字样)",
                "en": "{short} \"{title}\" is not in the workbook (forms are found by their title)"},
}


def run(rule, ret, ctx):
    for form in ctx.pack.forms.values():
        if form.optional:
            continue
        if form.id in ret.forms:
            yield Outcome("passed", form=form.id)
        else:
            text = say(MESSAGES, "missing", ctx.lang, short=form.short, title=form.title)
            yield Outcome("failed", text, (), form=form.id)
