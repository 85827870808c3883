"""What the three case-register checks share: the register's rows, and which of them count."""

from __future__ import annotations

from datetime import date


def register_rows(ret) -> list:
    data = ret.forms.get("case_register")
    return data.rows if data is not None else []


def concluded_in(row, year) -> bool:
    """Whether the case was concluded within the year (表1 注1); unknown dates do not count."""
    value = row.get("concluded")
    if value is None or value.text is None or year is None:
        return False
    return date.fromisoformat(value.text).year == year


def text_of(row, field_id: str) -> str:
    value = row.get(field_id)
    return value.text if value is not None and value.text else ""
