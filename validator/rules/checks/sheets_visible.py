"""sheets_visible — every form is read from a sheet the filer can see.

    - id: G-HIDDEN
      check: sheets_visible

A form on a hidden sheet (or a very hidden one, which only VBA can show) is checked like any
other, but the filer cannot see the figures being checked: a warning naming the sheet.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "hidden": {
            "zh": "{short} 所在的工作表“{sheet}”是隐藏的,填报人看不到被检查的数字;请在 Excel/WPS 中取消隐藏并核对",
            "en": '{short} is on the hidden sheet "{sheet}": the filer cannot see the figures checked; unhide it and check them',
        },
        "veryHidden": {
            "zh": "{short} 所在的工作表“{sheet}”被深度隐藏(只能用 VBA 取消隐藏),填报人看不到被检查的数字;请删除或取消隐藏后再报送",
            "en": '{short} is on the very hidden sheet "{sheet}" (only VBA can show it): the filer cannot see the figures checked',
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    for data in ret.forms.values():
        if data.state == "visible":
            yield Outcome("passed", form=data.form.id)
        else:
            text = message(MESSAGES, data.state, short=data.form.short, sheet=data.sheet)
            yield Outcome("failed", text, (data.year_cell,), form=data.form.id)


CHECK = Check(
    "sheets_visible",
    run,
    summary={
        "zh": "各表都读自填报人看得见的工作表(不是隐藏的工作表)",
        "en": "every form is read from a sheet the filer can see.",
    },
)
