"""What the three case-register checks share: the register's columns, and whose cases count."""

from __future__ import annotations

from collections import Counter
from itertools import repeat
from operator import eq, itemgetter
from typing import TYPE_CHECKING, Optional

from validator.rules.checks.base import Context, unit_key

if TYPE_CHECKING:
    from validator.model import Return
    from validator.table import Table

_YEAR_OF = itemgetter(slice(0, 5))  # "2024-03-05" -> "2024-"


def register_table(ret: Return) -> Optional[Table]:
    """The case register's rows in use (the form with the role case_register), column by column;
    None if the return has none."""
    data = ret.register
    return data.table if data is not None and data.table is not None and len(data.table) else None


def texts(table: Table, role: str) -> list[Optional[str]]:
    """The texts top to bottom of the column playing `role`, None where blank; all None if the
    form has no such column."""
    column = table.played_by(role)
    return column.parsed if column is not None else [None] * len(table)


class Owners:
    """Whether a case's 委托机关 is the filing unit itself; each name is looked up once."""

    known: dict[str, bool]

    def __init__(self, ret: Return, ctx: Context):
        self.ctx, self.own, self.known = ctx, unit_key(ctx, ret.unit), {}

    def own_cases(self, delegating: list[Optional[str]]) -> Optional[list[bool]]:
        """For each case, whether it is the unit's own; None when all are (the usual register),
        found from the distinct names alone."""
        others = {by for by in set(delegating) if not self.own_case(by)}
        return None if not others else [by not in others for by in delegating]

    def own_case(self, delegating: Optional[str]) -> bool:
        if not delegating:
            return True
        if delegating not in self.known:
            self.known[delegating] = unit_key(self.ctx, delegating) == self.own
        return self.known[delegating]


def in_year(days: list[Optional[str]], year: Optional[int]) -> list[bool]:
    """For each ISO day (None where unknown), whether it falls within the year; worked out in C."""
    return list(map(eq, map(_YEAR_OF, map(str, days)), repeat(f"{year}-")))


def year_tally(days: list[Optional[str]], year: Optional[int]) -> Counter[str]:
    """How many cases fall in each year, by "2024-"; "None" counts the unknown days."""
    return Counter(map(_YEAR_OF, map(str, days))) if year is not None else Counter({"None": len(days)})
