"""The lines around a form that say who filed it, for which year and whom to call: 填报单位, 年度,
联系人 / 填表人 / 联系电话 / 审核人 — above the header block, in a footer below the figures, one
label to a cell or several in one ("填报单位:X(盖章)    年度:2024年    单位:件").

Which labels a form uses and where they stand is declared in its YAML (`lines:`), with the
defaults below; a value runs from its label's colon to the next known label, so "单位:件" or a
年度 in the same cell never becomes part of the unit's name. A label alone in its cell takes its
value from the next cell to the right.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

KINDS = ("unit", "year", "contact")
DEFAULT_LINES = {
    "unit": {"labels": ["填报单位"], "where": "above"},
    "year": {"labels": ["年度", "统计年度", "报告年度"], "where": "above"},
    "contact": {
        "labels": ["联系人和联系方式", "联系人", "填表人", "填报人", "联系电话", "联系方式", "审核人"],
        "where": "both",
    },
    # labels that end a value but say nothing formcheck reads: a measure, a date, a seal
    "other": ["计量单位", "单位", "填报日期", "报送日期", "填表日期", "日期", "负责人", "单位负责人", "盖章"],
}
_YEAR = re.compile(r"((?:19|20)\d{2})")


class LineSpec(NamedTuple):
    """Where a form's lines stand and what labels they carry, as the pack declares them
    (tuples, so that a spec can key the caches of split lines)."""

    labels: tuple  # ((kind, (label, ...)), ...)
    where: tuple  # ((kind, "above" | "below" | "both"), ...)
    other: tuple  # labels that only end a value

    @classmethod
    def of(cls, spec) -> "LineSpec":
        merged = {**DEFAULT_LINES, **(spec or {})}
        return cls(
            tuple((kind, tuple(merged[kind]["labels"])) for kind in KINDS),
            tuple((kind, merged[kind].get("where", "above")) for kind in KINDS),
            tuple(merged["other"]),
        )

    def kinds_at(self, place: str) -> tuple:
        """The kinds read in the rows above the header block ("above") or below the figures."""
        return tuple(kind for kind, where in self.where if where in (place, "both"))


class Segment(NamedTuple):
    """One labelled value of a line: its kind ("unit", "year", "contact" or "" for another
    label), the label as written, and the value after it ("" if none)."""

    kind: str
    label: str
    value: str


class Found(NamedTuple):
    """What the lines of one form said: each kind's value and the cell it was read from."""

    unit: str = ""
    unit_cell: str = ""
    year: object = None  # int, or None
    year_cell: str = ""
    contact: str = ""
    contact_cell: str = ""


def read_lines(grid, rows, spec: LineSpec, kinds: tuple, found: dict) -> None:
    """Read the given rows' labelled cells into `found` (kind -> [(value, cell)]), for `kinds`."""
    for row in rows:
        for col, text in grid.row_texts(row):
            for segment in segments(text, spec):
                if segment.kind not in kinds:
                    continue
                value = segment.value or _next_cell(grid, row, col)
                found.setdefault(segment.kind, []).append((value, grid.address(row, col)))


def settle(found: dict) -> Found:
    """The unit (first named), the year (first written as a year), the contact (every part joined)."""
    unit = next(((_unit_name(v), c) for v, c in found.get("unit", ()) if _unit_name(v)), ("", ""))
    year = next(((int(m.group(1)), c) for v, c in found.get("year", ()) for m in [_YEAR.search(v)] if m), (None, ""))
    contacts = [(v, c) for v, c in found.get("contact", ()) if v]
    contact = (" ".join(v for v, _ in contacts), contacts[0][1]) if contacts else ("", "")
    return Found(unit[0], unit[1], year[0], year[1], contact[0], contact[1])


@lru_cache(maxsize=4096)
def segments(text: str, spec: LineSpec) -> tuple:
    """The labelled values of a cell whose text starts with a known label; () for any other text.
    A batch's returns repeat their lines, many word for word: each distinct text is split once."""
    flat = " ".join(unicodedata.normalize("NFKC", text).split())
    pattern, kinds = _pattern(spec)
    marks = [m for m in pattern.finditer(flat)]
    if not marks or marks[0].start() != 0:
        return ()
    found = []
    for mark, following in zip(marks, marks[1:] + [None]):
        value = flat[mark.end() : following.start() if following else len(flat)]
        found.append(Segment(kinds[mark.group(1)], mark.group(1), value.strip(" :")))
    return tuple(found)


@lru_cache(maxsize=64)
def _pattern(spec: LineSpec) -> tuple:
    """(a regex finding every label followed by a colon, or standing alone at the end; label -> kind)."""
    kinds = {unicodedata.normalize("NFKC", label): "" for label in spec.other}
    for kind, labels in spec.labels:
        kinds.update({unicodedata.normalize("NFKC", label): kind for label in labels})
    alternatives = "|".join(re.escape(label) for label in sorted(kinds, key=len, reverse=True))
    # a label starts the text or follows a space, a colon or a bracket; a colon follows it, perhaps
    # after a bracketed remark ("填报单位(盖章):"), or it ends the text and its value is in the next cell
    return re.compile(rf"(?<![^\s:(])({alternatives})\s*(?:\([^()]*\))?\s*(?::|$)"), kinds


def _unit_name(value: str) -> str:
    """The unit's name without the seal's place "(盖章)" (full-width brackets are folded by then)."""
    return " ".join(value.replace("(盖章)", "").split())


def _next_cell(grid, row: int, col: int) -> str:
    following = grid.raw(row, col + 1)
    return str(following).strip() if following is not None else ""
