"""A simulated national review's parent, run as its own process so that its peak memory is its
own: N returns' results — each a file entry, about 1.2 findings, a digest with the figures of a
real return and its share of M case hashes, generated directly as the workers would send them,
with some cases planted twice — merged into the report as `batch` merges them, then every rule
across returns run over the digests (B-DUP, consolidation, B-CASE-DUP …). Prints a JSON line.

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
    import random

    import numpy as np

    from validator.model import Finding, Report
    from validator.read.reader import read_return
    from validator.rules import engine
    from validator.rules.digest import Digest, Figures, digest
    from validator.rules.pack import load_pack

    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, default=150_000)
    parser.add_argument("--cases", type=int, default=100_000_000)
    args = parser.parse_args()
    rng, chance = np.random.default_rng(18), random.Random(18)
    pack = load_pack()
    sample = digest(read_return(str(ROOT / "samples" / "clean.xlsx"), pack))
    keys = [key for key, _ in sample.figures.items()]
    per_return = args.cases // args.returns
    planted = rng.integers(-(2**63), 2**63 - 1, size=PLANTED, dtype=np.int64)
    rules = [rule for rule in pack.rules if rule.scope == "return"]
    report, digests = Report(), []
    started = time.perf_counter()
    for number in range(args.returns):
        file, unit = f"r{number:06d}.xlsx", f"单位{number:06d}"
        findings = [
            Finding(
                file, unit, rule.id, rule.severity, rule.origin, rule.form, f"{unit} 的一个问题 ({number})", ("表1!C8",)
            )
            for rule in chance.sample(rules, chance.choice([0, 0, 1, 2, 3]))
        ]
        engine.merge(
            report,
            [{"file": file, "unit": unit, "year": 2024}],
            findings,
            engine.tallies(Report(), pack.rules),
            pack.rules,
        )
        hashes = rng.integers(-(2**63), 2**63 - 1, size=per_return, dtype=np.int64)
        if per_return and number < 2 * PLANTED:  # the planted cases: in returns k and k + PLANTED
            hashes[0] = planted[number % PLANTED]
        figures = Figures([(key, float(chance.randint(0, 999)), "表1!C7") for key in keys])
        rows = array("i", range(6, 6 + per_return))
        digests.append(Digest(file, unit, 2024, figures, array("q", hashes.tobytes()), rows, "案件清单!B"))
    merged = time.perf_counter() - started
    merged_peak = _peak_mb()

    def case_numbers_at(file: str, rows: list) -> dict:  # the planted cases, read "again"
        index = int(file[1:7])
        return {row: f"AJ-{index % PLANTED:06d}" for row in rows}

    started = time.perf_counter()
    engine.add_batch(report, digests, pack, "zh", None, case_numbers_at)
    across = time.perf_counter() - started
    print(
        json.dumps(
            {
                "returns": args.returns,
                "cases": per_return * args.returns,
                "findings": len(report.findings),
                "duplicates_found": sum(1 for f in report.findings if f.rule == "B-CASE-DUP"),
                "planted": PLANTED,
                "merge_s": merged,
                "merged_mb": merged_peak,
                "across_s": across,
                "peak_mb": _peak_mb(),
            }
        )
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
