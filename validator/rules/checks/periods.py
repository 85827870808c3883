"""periods — the two period columns of forms 1 and 2 are the year before and the year itself.

    - id: G-PERIOD
      check: periods

For the return of 2024 the sub-columns must read 2023 | 2024 (notes: 1 Jan – 31 Dec of each).
Where the header reads 2024 | 2023 but the 同比增减 row shows the figures in the template's order,
the reader took them so (FormData.order_evidence), and the one finding here says what each shows.
"""

from __future__ import annotations

from typing import Iterator

from validator.i18n import Messages, message
from validator.model import Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "wrong": {
            "zh": "{form} 表头期别为 {prev}|{cur},按标题年度 {year} 应为 {want_prev}|{want_cur}",
            "en": "{form}: the period columns read {prev}|{cur}; for {year} they must read {want_prev}|{want_cur}",
        },
        "order": {
            "zh": "{form} 表头年份写为 {prev}|{cur},但同比增减行有 {agree} 项与数字按 {want_prev}|{want_cur} 排列相符"
            "(按表头顺序相符 {against} 项);已按 {want_prev}|{want_cur} 检查数字,请把表头改为 {want_prev}|{want_cur}",
            "en": "{form}: the year header reads {prev}|{cur}, but {agree} changes in the year-on-year row agree with "
            "figures in the order {want_prev}|{want_cur} ({against} with the header's order); the figures were checked "
            "in that order: correct the header to {want_prev}|{want_cur}",
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    for data in ret.forms.values():
        if not data.form.kind.periods or not data.year or len(data.header_years) < 2:
            continue
        (prev, prev_cell), (cur, cur_cell) = data.header_years["prev"], data.header_years["cur"]
        if (prev, cur) == (data.year - 1, data.year):
            yield Outcome("passed", form=data.form.id)
            continue
        evidence = data.order_evidence or (0, 0)
        text = message(
            MESSAGES,
            "order" if data.order_evidence else "wrong",
            agree=evidence[0],
            against=evidence[1],
            form=data.form.short,
            prev=prev or "?",
            cur=cur or "?",
            year=data.year,
            want_prev=data.year - 1,
            want_cur=data.year,
        )
        yield Outcome("failed", text, (prev_cell, cur_cell), form=data.form.id)


CHECK = Check(
    "periods",
    run,
    summary={
        "zh": "表1、表2 的两个期别列是上一年和本年",
        "en": "the two period columns of forms 1 and 2 are the year before and the year itself.",
    },
)
