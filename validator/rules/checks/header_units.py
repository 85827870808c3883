"""header_units — a figure column whose header shows another unit than the template's.

    - id: G-SCALE
      check: header_units

A clerk who changes "罚没金额(元)" to "罚没金额(万元)" and types 万元 has told the truth: the reader
reads those figures in the unit the header shows and converts them into the form's (×10000), so
every rule sees 元 (read/layout.py, Scale). This check says so, once per column, naming the header
cell, so that the conversion is never silent and the unit can put the template's header back.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.numbers import format_number
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "scaled": {
            "zh": "{form} {label}的表头单位写为“{written}”,模板为“{unit}”;已按{written}读取并换算为{unit}(×{factor})后检查,"
            "请按模板单位填写并恢复表头",
            "en": '{form}: the header of {label} says "{written}" where the template says "{unit}"; its figures were read in '
            "{written} and converted (×{factor}) before checking: write them in {unit} under the template's header",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    scaled = [(data, fid, scale) for data in ret.forms.values() for fid, scale in data.scales.items()]
    if not scaled:
        yield Outcome("passed")
    for data, fid, (written, factor, cell) in scaled:
        field = data.form.field(fid)
        text = message(
            MESSAGES,
            "scaled",
            form=data.form.short,
            label=field.named,
            written=written,
            unit=field.unit,
            factor=format_number(factor),
        )
        yield Outcome("failed", text, (cell,), form=data.form.id)


CHECK = Check(
    "header_units",
    run,
    summary={
        "zh": "表头单位与模板不同(如 罚没金额(万元))时,按所写单位读取、换算并指明",
        "en": "a figure column whose header shows another unit than the template's.",
    },
)
