"""Intake's native pass (validator/read/_scan.c): whether a part is well-formed XML, how far its cell
references reach, its merged ranges, formulas and shared-string cells, in one pass in C, where the
extension was built with the package.

It answers only where it is certain, and for a plain subset of XML — UTF-8, no document type, no
comment — which is what Excel, WPS and LibreOffice write. Anything else, damaged or merely unusual,
is left to the Python reference (expat in wellformed.py, the searches in sheetscan.py), which also
words every refusal; so the verdict, the message and the cell are the same with the extension or
without it (as PyYAML falls back from libyaml). FORMCHECK_NATIVE=0 leaves the extension unused.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import NamedTuple, Optional

try:
    from validator.read import _scan  # type: ignore[attr-defined]
except ImportError:  # built without a compiler, or by a plain copy of the sources
    _scan = None

_active = _scan is not None and os.environ.get("FORMCHECK_NATIVE", "") != "0"


class Scanned(NamedTuple):
    """A part the native pass found well-formed, and what intake's searches would find in it:
    where `plain`, the highest row and column its references r="…" name; the merged ranges
    intake counts; whether sheetscan.may_hold_formula would say yes; the shared-string indexes of
    its cells as sheetscan reads Excel's spelling of them, or None where sheetscan must read them."""

    plain: bool
    max_row: int
    max_column: int
    merges: int
    formula: bool
    strings: Optional[list]


def scan(xml) -> Optional[Scanned]:
    """What the native pass is certain of in a part, or None: damaged, unusual, or no extension."""
    if not _active:
        return None
    found = _scan.scan(xml)
    if found is None:
        return None
    row, column, merges, formula, strings = found
    return Scanned(row >= 0, max(row, 0), max(column, 0), merges, formula, strings)


def path() -> str:
    """Which path intake takes here: "native" or "python"."""
    return "native" if _active else "python"


def said() -> str:
    """Which path intake takes, for `formcheck --version`."""
    if _active:
        return "intake: the native pass"
    if built():
        return "intake: the Python path (FORMCHECK_NATIVE=0)"
    return "intake: the Python path (the native pass was not built: no C compiler or Python headers at install)"


def built() -> bool:
    """Whether the extension was built with the package (FORMCHECK_NATIVE=0 or not)."""
    return _scan is not None


@contextmanager
def python_only():
    """Intake on the Python reference alone, for as long as the block runs (tests, benchmarks)."""
    global _active
    before, _active = _active, False
    try:
        yield
    finally:
        _active = before
