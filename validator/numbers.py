"""Reading figures as county staff type them: "1,032,283", "１２３", "+10.9%", "—" for none.

Every function here either returns a result or raises `NotAFigure` with the text it could not
read; nothing else escapes (the property tests in tests/test_numbers.py hold it to that).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Optional

# Marks that county staff write for "nothing to report" in a figure cell.
BLANK_MARKS = {"", "-", "--", "—", "——", "–", "/", "\\", "无数据", "空"}
BLANK_MARK_LENGTH = 4  # no mark is longer, written with spaces or full-width characters
_PLAIN = re.compile(r"[+-]?(\d+)(\.(\d+))?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


class NotAFigure(ValueError):
    """The cell holds something that is not a figure; `text` is what it holds."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Figure:
    number: float
    decimals: int


def normalise_text(raw: str) -> str:
    """Full-width to half-width, and no white space anywhere (line breaks included)."""
    text = unicodedata.normalize("NFKC", raw)
    text = text.replace("−", "-").replace("－", "-").replace("﹣", "-")
    return "".join(text.split())


def word(raw: Any) -> str:
    """A cell's content as text: a whole number without its ".0", nothing for an empty cell."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if not isinstance(raw, str):
        return False
    # every mark is a few characters: longer text is never blank, and need not be normalised
    stripped = raw.strip()
    return len(stripped) <= BLANK_MARK_LENGTH and is_blank_mark(stripped)


@lru_cache(maxsize=4096)
def is_blank_mark(text: str) -> bool:
    return normalise_text(text) in BLANK_MARKS


def decimals_of_float(number: float) -> int:
    text = repr(float(number))
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        places = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, places - int(exponent))
    whole, _, fraction = text.partition(".")
    return 0 if fraction in ("", "0") else len(fraction)


def parse_figure(raw: Any) -> Optional[Figure]:
    """A figure from a cell value; None when the cell is blank; NotAFigure otherwise."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool) or isinstance(raw, (datetime, date, time, timedelta)):
        raise NotAFigure(str(raw))
    if isinstance(raw, int):
        return Figure(float(raw), 0)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            raise NotAFigure(str(raw))
        return Figure(raw, decimals_of_float(raw))
    if not isinstance(raw, str):
        raise NotAFigure(str(raw))
    return _parse_text(raw)


def _parse_text(raw: str) -> Figure:
    text = normalise_text(raw)
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    match = _PLAIN.fullmatch(text)
    if not match:
        raise NotAFigure(raw)
    decimals = len(match.group(3) or "")
    try:
        number = float(text)
    except (ValueError, OverflowError):  # pragma: no cover - the regex admits only digits
        raise NotAFigure(raw) from None
    if math.isinf(number):
        raise NotAFigure(raw)
    return Figure(number, decimals)


def parse_percent(raw: Any) -> Optional[Figure]:
    """A percentage in points: "+10.9%" -> 10.9 (1 decimal); a stored 0.109 -> 10.9.

    A number without a % sign is how Excel stores a cell formatted as a percentage, so it is
    read as a fraction. A positive change written without "+" is the same number.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        figure = parse_figure(raw)
        assert figure is not None  # a number is never blank
        return Figure(round(figure.number * 100, 12), max(0, figure.decimals - 2))
    if not isinstance(raw, str):
        raise NotAFigure(str(raw))
    text = normalise_text(raw)
    if not text.endswith("%"):
        raise NotAFigure(raw)
    figure = _parse_text(text[:-1])
    return figure


def rounding(decimals: int) -> float:
    """Half a unit of the last written place: 2 decimals -> 0.005."""
    return 0.5 * 10 ** (-decimals)


def format_number(number: float, decimals: Optional[int] = None) -> str:
    """A figure as county staff would write it: no trailing ".0", no exponent."""
    if decimals is None:
        decimals = 0 if float(number).is_integer() else min(decimals_of_float(number), 4)
    text = f"{number:.{decimals}f}"
    return "0" if text in ("-0", "-0." + "0" * decimals) else text


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(raw: Any) -> Optional[date]:
    """A day from a date cell, "2024-03-05", "2024/3/5", "2024年3月5日" or an Excel serial; None otherwise."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    if not isinstance(raw, str):
        return None
    match = _DATE.fullmatch(normalise_text(raw))
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def pct(prev: float, cur: float) -> Optional[float]:
    """The change from prev to cur in percent; None where the base is 0 and there is no percentage."""
    if prev == 0:
        return 0.0 if cur == 0 else None
    return (cur - prev) / prev * 100


def signed(points: float, decimals: int) -> str:
    """A change in percent as a unit should write it: "+10.9%", "-40%", "0%"."""
    text = format_number(points, decimals)
    return f"+{text}%" if points > 0 and text.strip("0.") else f"{text}%"


WAN = 10_000  # 元 in a 万元: a figure typed in the wrong one of the two is this many times off


def about_times(small: float, large: float, factor: float = WAN) -> bool:
    """Whether `large` is about `factor` times `small` (within a factor of two either way, so that
    万元 rounded to two decimals still counts): a figure typed in 万元 under a 元 header."""
    return 0 < small and factor / 2 <= large / small <= factor * 2
