"""file_readable — the file is a workbook formcheck can read.

    - id: G-FILE
      check: file_readable

validator.read.intake refuses a file before any reader touches it (an old .xls, a password, a zip
bomb, a sheet of a million rows ...). `formcheck check` answers such a file with exit code 2 and
one line; `formcheck batch` makes it one finding row of this rule and goes on with the rest.
What each refusal says is in validator/read/refusals.py.
"""

from __future__ import annotations

from validator.model import Outcome
from validator.rules.checks.base import Check


def run(rule, ret, ctx):
    yield Outcome("passed")


CHECK = Check("file_readable", run, summary="文件是 formcheck 能读取的 .xlsx 工作簿")
