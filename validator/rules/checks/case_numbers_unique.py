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

from typing import Iterator

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


def run(rule: Rule, digests: list[Digest], ctx: Context) -> Iterator[Outcome]:
    register = next((form.id for form in ctx.pack.forms.values() if form.role == "case_register"), None)
    holders = [item for item in digests if len(item.case_hashes)]
    reported = _repeated(holders, ctx)  # holder index -> [(position, number, first holder, first position)]
    for index, item in enumerate(holders):
        # a number twice in one register is R-DUP's, said when the return is checked alone
        repeats = sorted(repeat for repeat in reported.get(index, ()) if repeat[2] != index)
        for position, number, first, first_position in repeats:
            owner = holders[first]
            unit = message(MESSAGES, "unit", unit=owner.unit) if owner.file != item.file else ""
            text = message(
                MESSAGES,
                "twice",
                number=number,
                first_file=owner.file,
                first_cell=owner.case_cell(owner.case_rows[first_position]),
                first_unit=unit,
            )
            related = (owner.file,) if owner.file != item.file else ()
            cell = (item.case_cell(item.case_rows[position]),)
            yield Outcome("failed", text, cell, file=item.file, unit=item.unit, form=register, related=related)
        passed = len(item.case_hashes) - len(repeats)  # counted, not yielded one by one
        if passed:
            yield Outcome("passed", file=item.file, unit=item.unit, form=register, times=passed)


def _repeated(holders: list[Digest], ctx: Context) -> dict[int, list[tuple[int, str, int, int]]]:
    """Every case whose number an earlier case already has: holder index -> [(position, number,
    holder and position of the first)]. The hashes that occur more than once are found by sorting
    them all (numpy: 100 million in seconds); only those cases' numbers are read again, from their
    files, and compared exactly — two numbers may share a hash and still differ."""
    if not holders:
        return {}  # before numpy is imported: a batch without registers does not wait for it
    import numpy as np

    every = np.concatenate([np.frombuffer(item.case_hashes, dtype=np.int64) for item in holders])
    every.sort()
    twice = np.unique(every[1:][every[1:] == every[:-1]])
    del every
    if not twice.size:
        return {}
    candidates: dict[int, list[tuple[int, int]]] = {}  # hash -> [(holder index, position)], in input order
    for index, item in enumerate(holders):
        hashes = np.frombuffer(item.case_hashes, dtype=np.int64)
        for position in np.flatnonzero(np.isin(hashes, twice)).tolist():
            candidates.setdefault(int(hashes[position]), []).append((index, position))
    numbers = _numbers(holders, candidates, ctx)
    reported: dict[int, list[tuple[int, str, int, int]]] = {}
    for members in candidates.values():
        first_of: dict[str, tuple[int, int]] = {}  # exact number -> (holder index, position) where it first appears
        for index, position in members:
            number = numbers.get((index, position), "?")
            if number not in first_of:
                first_of[number] = (index, position)
                continue
            first, first_position = first_of[number]
            reported.setdefault(index, []).append((position, number, first, first_position))
    return reported


def _numbers(
    holders: list[Digest], candidates: dict[int, list[tuple[int, int]]], ctx: Context
) -> dict[tuple[int, int], str]:
    """{(holder index, position): case number} of the candidates, read again from their files;
    a number that cannot be read again stays "?" — its hash stands for it, never a silent pass."""
    wanted: dict[int, list[int]] = {}
    for members in candidates.values():
        for index, position in members:
            wanted.setdefault(index, []).append(position)
    found: dict[tuple[int, int], str] = {}
    asked = [
        (index, [holders[index].case_rows[position] for position in positions]) for index, positions in wanted.items()
    ]
    if ctx.case_numbers_at is None or not asked:
        return found
    read_again = ctx.case_numbers_at([(holders[index].file, rows) for index, rows in asked])
    for (index, rows), read in zip(asked, read_again):
        found.update({(index, position): read[row] for position, row in zip(wanted[index], rows) if row in read})
    return found


CHECK = Check(
    "case_numbers_unique",
    run,
    scope="batch",
    summary={
        "zh": "同一案件编号在各单位的案件清单之间只出现一次(一份清单之内的重复见 R-DUP)",
        "en": "no case number appears twice across returns' case registers.",
    },
)
