"""cells_readable — the reader could take every cell of the return as what it should be.

    - id: G-READ
      check: cells_readable

Reports what the reader could not understand: text where a figure belongs (quoted, with its
cell), a header that cannot be found (naming the form and the header looked for), a form without
its 序号 header row. The rules that need such a cell are "not evaluated" rather than failed again.
"""

from __future__ import annotations

from typing import Iterator, Optional

from validator.i18n import Message, Messages, message
from validator.model import Outcome, Problem, Return, Rule
from validator.rules.checks.base import Check, Context, when

MESSAGES = Messages(
    __name__,
    {
        "not_a_number": {
            "zh": "{label} 应填数字,现为“{text}”;请只填数字(没有发生填 0)",
            "en": '{label} must be a figure, not "{text}"; write digits only (0 where there were none)',
        },
        "not_a_date": {
            "zh": "{label} 应填日期(如 2024-03-05),现为“{text}”",
            "en": '{label} must be a date (e.g. 2024-03-05), not "{text}"',
        },
        "header_missing": {
            "zh": "{form} 未找到表头“{label}”{under};请勿改动模板表头",
            "en": '{form}: the header "{label}"{under} was not found; keep the template\'s headers',
        },
        "under": {"zh": "(位于“{under}”之下)", "en": ' (under "{under}")'},
        "formula_uncached": {
            "zh": "该单元格是公式,但没有计算结果(文件未经 Excel/WPS 计算保存);请用 Excel 或 WPS 打开本文件,保存后再检查",
            "en": "this cell holds a formula that was never calculated; open the file in Excel or WPS, save it, and check again",
        },
        "formula_uncached_field": {
            "zh": "{period}{label} 是公式,但没有计算结果(文件未经 Excel/WPS 计算保存);请用 Excel 或 WPS 打开本文件,保存后再检查",
            "en": "{period}{label} holds a formula that was never calculated; open the file in Excel or WPS, save it, and check again",
        },
        "under_merge": {
            "zh": "单元格被合并单元格 {merge} 遮住,Excel/WPS 中看不到其中的“{text}”,本数未参与检查;请取消合并后把数字填在应填的单元格",
            "en": 'this cell lies under the merged range {merge}: Excel and WPS do not show the "{text}" it holds, so it was not checked; unmerge and write the figure in its own cell',
        },
        "no_header": {
            "zh": "{form} 未找到“序号”表头行,无法读取数据",
            "en": '{form}: no "序号" header row, so no figures can be read',
        },
    },
)


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    if not ret.problems:
        yield Outcome("passed")
        return
    for problem in ret.problems:
        yield Outcome("failed", describe(problem, ctx, ret), (problem.cell,) if problem.cell else (), form=problem.form)


def describe(problem: Problem, ctx: Context, ret: Optional[Return] = None) -> Message:
    params = dict(problem.params)
    kind = problem.kind
    if kind == "formula_uncached" and "label" in params:
        kind = "formula_uncached_field"
        params["period"] = when(params.get("period"), ret) if ret is not None else ""
    form = ctx.pack.forms.get(problem.form)
    params["form"] = form.short if form else ""
    field = form.field(params.pop("field", "")) if form else None
    if field is not None:
        params["label"] = field.named
    under = params.get("under")
    params["under"] = message(MESSAGES, "under", under=under) if under else ""
    return message(MESSAGES, kind, **params)


CHECK = Check(
    "cells_readable",
    run,
    summary={
        "zh": "每个单元格都能按应有的内容读出(数字格中的文字、合并区域下的数字、未计算的公式都指明单元格)",
        "en": "the reader could take every cell of the return as what it should be.",
    },
)
