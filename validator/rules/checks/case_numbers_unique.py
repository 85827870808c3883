"""case_numbers_unique — no case number appears twice across returns' case registers.

    - id: B-CASE-DUP
      check: case_numbers_unique

A case counted in two returns is counted twice in the city's totals (表1 注4). Each later
occurrence is reported, naming the file and cell of the first; a number twice within one register
is R-DUP's (register_unique), found when the return is checked alone, and passes here. Returns without a case register
are not concerned. Workers send each case as an 8-byte hash (rules/digest.py); duplicates are
found among the hashes and confirmed on the numbers read again from the files concerned.
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from validator.i18n import Messages, message
from validator.model import Outcome, Rule
from validator.rules.checks.base import Check, Context
from validator.rules.digest import Digest

MESSAGES = Messages(
    __name__,
    {
        "twice": {
            "zh": "案件编号 {number} 已出现在 {first_file}({first_cell}){first_unit};同一案件不得重复统计",
            "en": "case {number} already appears in {first_file} ({first_cell}){first_unit}; a case is counted once",
        },
        "unit": {"zh": ",该报表的填报单位为“{unit}”", "en": ', the return of "{unit}"'},
    },
)


class Repeat(NamedTuple):
    """A case whose number an earlier case already has: its position in its register, the
    number, and the holder and position of the first case with it."""

    position: int
    number: str
    first: int
    first_position: int


def run(rule: Rule, digests: list[Digest], ctx: Context) -> Iterator[Outcome]:
    register = next((form.id for form in ctx.pack.forms.values() if form.role == "case_register"), None)
    holders = [item for item in digests if len(item.case_hashes)]
    most = ctx.settings.max_findings
    reported = _repeated(holders, ctx, most + 1)  # holder index -> (repeats, the first most + 1 of them)
    for index, item in enumerate(holders):
        count, repeats = reported.get(index, (0, []))
        for described, repeat in enumerate(repeats):
            owner = holders[repeat.first]
            unit = message(MESSAGES, "unit", unit=owner.unit) if owner.file != item.file else ""
            text = message(
                MESSAGES,
                "twice",
                number=repeat.number,
                first_file=owner.file,
                first_cell=owner.case_cell(owner.case_rows[repeat.first_position]),
                first_unit=unit,
            )
            related = (owner.file,) if owner.file != item.file else ()
            cell = (item.case_cell(item.case_rows[repeat.position]),)
            times = count - most if described == most else 1  # past the cap, counted in one
            yield Outcome(
                "failed", text, cell, file=item.file, unit=item.unit, form=register, related=related, times=times
            )
        passed = len(item.case_hashes) - count  # counted, not yielded one by one
        if passed:
            yield Outcome("passed", file=item.file, unit=item.unit, form=register, times=passed)


def _repeated(holders: list[Digest], ctx: Context, described: int) -> dict[int, tuple[int, list[Repeat]]]:
    """Every case whose number a case of an earlier return already has: holder index -> (how
    many, the first `described` of them by position). The hashes that occur more than once are
    found by sorting them all (numpy: 100 million in seconds); only those cases' numbers are read
    again, from their files, and compared exactly — two numbers may share a hash and still differ.
    A number twice in one register is R-DUP's, said when the return is checked alone."""
    if not holders:
        return {}  # before numpy is imported: a batch without registers does not wait for it
    import numpy as np

    every = np.concatenate([np.frombuffer(item.case_hashes, dtype=np.int64) for item in holders])
    order = np.argsort(every, kind="stable")  # equal hashes together, in input order
    hashes = every[order]
    del every
    shared = np.zeros(len(hashes), dtype=bool)
    shared[1:] = hashes[1:] == hashes[:-1]
    shared[:-1] |= shared[1:]
    if not shared.any():
        return {}
    chosen = order[shared]
    sizes = np.array([len(item.case_hashes) for item in holders])
    owners = np.repeat(np.arange(len(holders)), sizes)[chosen]
    positions = chosen - np.repeat(np.cumsum(sizes) - sizes, sizes)[chosen]
    numbers = _numbers(holders, owners.tolist(), positions.tolist(), ctx)
    firsts = _firsts(hashes[shared], numbers)
    repeat = (firsts != np.arange(len(chosen))) & (owners != owners[firsts])
    return _by_holder(owners, positions, firsts, repeat, numbers, described)


def _firsts(hashes: Any, numbers: list[str]) -> Any:
    """For each case (sorted by hash, in input order within a hash), the index of the first case
    with its exact number: its hash's first, unless the numbers under one hash differ."""
    import numpy as np

    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    firsts = np.repeat(starts, np.diff(np.r_[starts, len(hashes)]))
    for start in {int(firsts[i]) for i, number in enumerate(numbers) if number != numbers[firsts[i]]}:
        first_of: dict[str, int] = {}  # a real collision, or a number not read again
        end = start
        while end < len(hashes) and hashes[end] == hashes[start]:
            firsts[end] = first_of.setdefault(numbers[end], end)
            end += 1
    return firsts


def _by_holder(
    owners: Any, positions: Any, firsts: Any, repeat: Any, numbers: list[str], described: int
) -> dict[int, tuple[int, list[Repeat]]]:
    import numpy as np

    at = np.flatnonzero(repeat)
    at = at[np.lexsort((positions[at], owners[at]))]
    reported: dict[int, tuple[int, list[Repeat]]] = {}
    holders, starts, counts = np.unique(owners[at], return_index=True, return_counts=True)
    for holder, start, count in zip(holders.tolist(), starts.tolist(), counts.tolist()):
        shown = at[start : start + min(count, described)].tolist()
        first = firsts[shown].tolist()
        reported[holder] = (
            count,
            [Repeat(int(positions[i]), numbers[i], int(owners[f]), int(positions[f])) for i, f in zip(shown, first)],
        )
    return reported


def _numbers(holders: list[Digest], owners: list[int], positions: list[int], ctx: Context) -> list[str]:
    """The case numbers of the cases (holder index and position each), read again from their
    files; a number that cannot be read again is "?" — its hash stands for it, never a silent pass."""
    wanted: dict[int, list[int]] = {}
    for index, position in zip(owners, positions):
        wanted.setdefault(index, []).append(holders[index].case_rows[position])
    if ctx.case_numbers_at is None:
        return ["?"] * len(owners)
    read_again = dict(zip(wanted, ctx.case_numbers_at([(holders[index].file, rows) for index, rows in wanted.items()])))
    return [
        read_again[index].get(holders[index].case_rows[position], "?") for index, position in zip(owners, positions)
    ]


CHECK = Check(
    "case_numbers_unique",
    run,
    scope="batch",
    summary={
        "zh": "同一案件编号在各单位的案件清单之间只出现一次(一份清单之内的重复见 R-DUP)",
        "en": "no case number appears twice across returns' case registers.",
    },
)
