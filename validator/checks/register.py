"""What the three case-register checks share: the register's columns, and whose cases count."""

from __future__ import annotations

from validator.checks.base import unit_key


def register_table(ret):
    """The case register's rows in use, column by column; None if the return has none."""
    data = ret.forms.get("case_register")
    return data.table if data is not None and data.table is not None and len(data.table) else None


def texts(table, field_id: str) -> list:
    """A column's texts top to bottom, None where blank; all None if the form lacks the column."""
    column = table.column(field_id)
    return column.parsed if column is not None else [None] * len(table)


class Owners:
    """Whether a case's 委托机关 is the filing unit itself; each name is looked up once."""

    def __init__(self, ret, ctx):
        self.ctx, self.own, self.known = ctx, unit_key(ctx, ret.unit), {}

    def own_case(self, delegating) -> bool:
        if not delegating:
            return True
        if delegating not in self.known:
            self.known[delegating] = unit_key(self.ctx, delegating) == self.own
        return self.known[delegating]
