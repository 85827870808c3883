"""A simulated national review's case step, run as its own process so that its peak memory is its
own: N returns' digests carrying M case hashes in all — generated directly, as the workers would
send them — with some cases planted twice, through the real check across registers
(B-CASE-DUP, validator/rules/checks/case_numbers_unique.py). Prints a JSON line.

    python bench/national.py --returns 150000 --cases 100000000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLANTED = 1_000  # cases filed twice, in two returns


def main() -> None:
    import numpy as np

    from validator.model import Digest
    from validator.rules.checks import CHECKS
    from validator.rules.checks.base import Context
    from validator.rules.digest import Figures
    from validator.rules.pack import load_pack

    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, default=150_000)
    parser.add_argument("--cases", type=int, default=100_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(18)
    per_return = args.cases // args.returns
    started = time.perf_counter()
    digests = []
    planted = rng.integers(-(2**63), 2**63 - 1, size=PLANTED, dtype=np.int64)
    for number in range(args.returns):
        hashes = rng.integers(-(2**63), 2**63 - 1, size=per_return, dtype=np.int64)
        if number < 2 * PLANTED:  # the planted cases: in returns k and k + PLANTED
            hashes[0] = planted[number % PLANTED]
        rows = array("i", range(6, 6 + per_return))
        digests.append(
            Digest(
                f"r{number:06d}.xlsx",
                f"单位{number}",
                2024,
                Figures([]),
                array("q", hashes.tobytes()),
                rows,
                "案件清单!B",
            )
        )
    made = time.perf_counter() - started
    made_peak = _peak_mb()

    def case_numbers_at(file: str, rows: list) -> dict:  # the planted cases read "again"
        index = int(file[1:7])
        return {row: f"AJ-{index % PLANTED:06d}" for row in rows}

    pack = load_pack()
    rule = pack.rule("B-CASE-DUP")
    ctx = Context(pack, "zh", None, (), case_numbers_at)
    started = time.perf_counter()
    found = sum(1 for outcome in CHECKS["case_numbers_unique"].run(rule, digests, ctx) if outcome.status == "failed")
    step = time.perf_counter() - started
    print(
        json.dumps(
            {
                "returns": args.returns,
                "cases": per_return * args.returns,
                "duplicates_found": found,
                "planted": PLANTED,
                "generate_s": made,
                "digests_mb": made_peak,
                "step_s": step,
                "peak_mb": _peak_mb(),
            }
        )
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
