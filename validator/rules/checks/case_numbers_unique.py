"""case_numbers_unique — no case number appears twice, in one register or across returns.

    - id: B-CASE-DUP
      check: case_numbers_unique

A case counted in two returns is counted twice in the city's totals (表1 注4). Each later
occurrence is reported, naming the file and cell of the first. Returns without a case register
are not concerned.
"""

from __future__ import annotations

from validator.i18n import say
from validator.model import Outcome
from validator.rules.checks.base import Check

MESSAGES = {
    "twice": {
        "zh": "案件编号 {number} 已出现在 {first_file}({first_cell}){first_unit};同一案件不得重复统计",
        "en": "case {number} already appears in {first_file} ({first_cell}){first_unit}; a case is counted once",
    },
    "unit": {"zh": ",该报表的填报单位为“{unit}”", "en": ', the return of "{unit}"'},
}


def run(rule, digests: list, ctx):
    register = next((form.id for form in ctx.pack.forms.values() if form.role == "case_register"), None)
    first: dict = {}  # case number -> (digest, row) where it first appears
    for item in digests:
        passed = 0  # counted, not yielded one by one: a register holds 100,000 cases
        for number, row in zip(item.case_numbers, item.case_rows):
            if number not in first:
                first[number] = (item, row)
                passed += 1
                continue
            owner, where = first[number]
            unit = say(MESSAGES, "unit", ctx.lang, unit=owner.unit) if owner.file != item.file else ""
            text = say(
                MESSAGES,
                "twice",
                ctx.lang,
                number=number,
                first_file=owner.file,
                first_cell=owner.case_cell(where),
                first_unit=unit,
            )
            related = (owner.file,) if owner.file != item.file else ()
            yield Outcome(
                "failed", text, (item.case_cell(row),), file=item.file, unit=item.unit, form=register, related=related
            )
        if passed:
            yield Outcome("passed", file=item.file, unit=item.unit, form=register, times=passed)


CHECK = Check(
    "case_numbers_unique", run, scope="batch", summary="同一案件编号在一份案件清单内、在各单位的案件清单之间只出现一次"
)
