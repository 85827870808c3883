"""file_readable — the file is a workbook formcheck can read.

    - id: G-FILE
      check: file_readable

validator.read.intake refuses a file before any reader touches it (a password, a zip bomb, an
.xlsb, a sheet of a million rows ...). The check runs on every file (scope "file"): passed for
one intake let through, failed for one it refused, saying why as validator/read/refusals.py words it. `formcheck check` also answers such a file with
exit code 2 (0 under --exit-zero); `formcheck batch` goes on with the rest.
"""

from __future__ import annotations

from typing import Iterator

from validator.model import Outcome, Rule
from validator.read.refusals import describe
from validator.rules.checks.base import Check, Context, Intake


def run(rule: Rule, subject: Intake, ctx: Context) -> Iterator[Outcome]:
    if subject.refusal is None:
        yield Outcome("passed")
    else:
        yield Outcome("failed", describe(subject.refusal), form=None, file=subject.path, unit="")


CHECK = Check(
    "file_readable",
    run,
    scope="file",
    summary={
        "zh": "文件是 formcheck 能读取的工作簿(.xlsx、.xls、.et、.ods)",
        "en": "the file is a workbook formcheck can read.",
    },
)
