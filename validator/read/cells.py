"""Taking a column of raw cell values as figures, dates or words, for the reader.

A column is parsed in one pass over a list, not cell by cell through a Value each: a case register
has 100,000 rows and six columns. Each function fills the column's parsed lists and returns what
could not be taken, {position: (problem kind, the text as written)}; the reader turns those into
Problems naming the cell. Blank — nothing, or a mark such as "—" or "无数据" — is None.
"""

from __future__ import annotations

from typing import Optional

from validator.model import NUMERIC
from validator.numbers import BLANK_MARK_LENGTH as SHORT
from validator.numbers import NotAFigure, decimals_of_float, is_blank, is_blank_mark, parse_date, parse_figure, word
from validator.table import Column


def parse_column(column: Column) -> dict:
    """Fill `column` by its field's type; the positions that could not be taken, with why."""
    kind = column.field.type
    if len(column.raws) == 1:  # a one-unit form: most columns of most returns
        return _one(column, kind)
    if kind == "date":
        return _dates(column)
    if column.field.numeric:
        return _figures(column)
    return _words(column)


def parse_one_cell_columns(columns: list) -> list:
    """parse_column of each column of a one-unit form's row, in one loop, a figure written as a
    number taken straight: a return's one-unit forms hold some seventy cells, most of them such."""
    found: list = []
    for column in columns:
        raw = column.raws[0]
        if raw.__class__ is float and raw - raw == 0.0 and column.field.type in NUMERIC:  # not NaN, not infinite
            column.numbers, column.decimals = [raw], [0 if raw.is_integer() else decimals_of_float(raw)]
            found.append({})
        else:
            found.append(_one(column, column.field.type))
    return found


def _one(column: Column, kind: str) -> dict:
    """parse_column for a column of one cell, without the passes over lists."""
    raw = column.raws[0]
    if column.field.numeric:
        number, decimals, problem = _figure(raw)
        column.numbers, column.decimals = [number], [decimals]
        why = "not_a_number"
    elif kind == "date":
        day, problem = _day(raw)
        column.texts, why = [day], "not_a_date"
    else:
        column.texts, problem = [_word(raw)], None
    if problem is None:
        return {}
    column.unreadable.add(0)
    return {0: (why, problem)}


def _words(column: Column) -> dict:
    raws = column.raws
    if not set(map(type, raws)) <= {str}:
        column.texts = _by_distinct(raws, _word)
        return {}
    # strip in C; every blank mark is a few characters, so a column of case numbers, all longer,
    # has none, and other columns hold few distinct texts to look up
    texts = list(map(str.strip, raws))
    if not texts or min(map(len, texts)) > SHORT:
        column.texts = texts
        return {}
    blanks = {text for text in set(texts) if len(text) <= SHORT and (not text or is_blank_mark(text))}
    column.texts = [None if text in blanks else text for text in texts] if blanks else texts
    return {}


def _figures(column: Column) -> dict:
    column.numbers, column.decimals, problems = _read_each(column.raws, _figure, 3)
    return _unreadable(column, problems, "not_a_number")


def _dates(column: Column) -> dict:
    column.texts, problems = _read_each(column.raws, _day, 2)
    return _unreadable(column, problems, "not_a_date")


def _read_each(raws: list, read, width: int) -> list:
    """[[read(raw)[0] for each raw], [read(raw)[1] ...] ...], `read` giving `width` parts.
    Each distinct raw is read once: a register's blanks, dates and round fines repeat thousands
    of times, and each part is then looked up in C rather than unpacked in Python."""
    if not raws:
        return [[] for _ in range(width)]
    if _mixes_bools(raws):
        return [list(part) for part in zip(*map(read, raws))]
    seen = {raw: read(raw) for raw in set(raws)}
    return [list(map({raw: parts[k] for raw, parts in seen.items()}.__getitem__, raws)) for k in range(width)]


def _by_distinct(raws: list, read) -> list:
    """read(raw) for every raw, worked out once per distinct value."""
    if _mixes_bools(raws):
        return list(map(read, raws))
    seen = {raw: read(raw) for raw in set(raws)}
    return list(map(seen.__getitem__, raws))


def _mixes_bools(raws: list) -> bool:
    """True == 1 == 1.0 as keys, yet they read differently: such a column is read cell by cell."""
    return bool in set(map(type, raws))


def _unreadable(column: Column, problems: list, kind: str) -> dict:
    """{position: (kind, text)} of the cells whose problem text is not None; marks them unreadable."""
    if problems.count(None) == len(problems):
        return {}
    bad = {i: (kind, text) for i, text in enumerate(problems) if text is not None}
    column.unreadable.update(bad)
    return bad


def _word(raw) -> Optional[str]:
    return None if is_blank(raw) else word(raw)


def _figure(raw) -> tuple:
    """(number, decimals written, None); (None, 0, None) if blank; (None, 0, text) if not a figure."""
    if raw.__class__ is float and raw - raw == 0.0:  # what most cells hold; not NaN, not infinite
        return raw, 0 if raw.is_integer() else decimals_of_float(raw), None
    if raw == "" or raw is None:
        return None, 0, None
    try:
        figure = parse_figure(raw)
    except NotAFigure as exc:
        return None, 0, exc.text
    return (None, 0, None) if figure is None else (figure.number, figure.decimals, None)


def _day(raw) -> tuple:
    """(ISO day, None); (None, None) if blank; (None, text) if it is not a date."""
    if is_blank(raw):
        return None, None
    day = parse_date(raw)
    return (None, word(raw)) if day is None else (day.isoformat(), None)
