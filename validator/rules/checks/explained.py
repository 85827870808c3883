"""explained — the unit's explanations of its warnings (the 审核说明 sheet) are sound.

    - id: G-EXPLAIN
      check: explained

A warning (核实性审核) may stand if the unit explains it: a row of the 审核说明 sheet naming the
rule and the cell, with an explanation that is not boilerplate and has at least the pack's
`explanation_min_chars`. The engine marks such a warning explained (validator/rules/explain.py).
This rule reports the rows that cannot stand: one that explains an error (an error must be fixed,
never explained away) and one whose explanation explains nothing.
"""

from __future__ import annotations

from validator.model import Outcome
from validator.rules.checks.base import Check


def run(rule, ret, ctx):
    yield Outcome("passed")  # the rows are judged against the findings, after every rule has run


CHECK = Check("explained", run, summary="审核说明表对警告的说明成立(错误不能以说明代替,说明须写明原因)")
