"""How texts from a workbook are compared: a header, a title, a unit's name is folded to
half-width, without spaces, quotes or bracketed units, in lower case — "移送案件\n数（件）" and
"移送案件数" are one header, "湘乡市 应急管理局" and "湘乡市应急管理局" one unit."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BRACKETED = re.compile(r"\([^()]*\)")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』《》")


def norm(text) -> str:
    """Header text as compared: half-width, no spaces or quotes, no bracketed units, lower case."""
    if text is None:
        return ""
    return fold(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """norm of a text (cached: the same headers and titles come back in every return of a batch)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split()).translate(_QUOTES)
    return _BRACKETED.sub("", text).lower()
