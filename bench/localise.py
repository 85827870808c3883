"""What the localisation (最少改动, 可能是笔误: validator/rules/localise.py) costs, measured against
the same work without it in one run — nothing asserted:

    python bench/localise.py                 # 1,000 returns, 300 of them failing, three turns
    python bench/localise.py --turns 5

1. Each failing return checked in this process (read once), with and without the localisation
   in turns: the added time per return, median and 95th percentile.
2. A returns that passes, the same: what it pays (nothing should show).
3. `batch` of all 1,000 (two workers), with and without in turns: the medians and their ratio.

Without it is the engine with its `_localise` step replaced by nothing; the workers are forked
from this process, so they run the same. The failing returns break one of four rules each — an
outcome too many in 表4 (T4-5), 表2 above 表1 (X-SUBSET), 表3 certified (T3-1), a fine with two
digits swapped and its 同比 as written (T1-YOY) — as a city's returns do.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import clean  # noqa: E402
from turns import alternate, what_it_adds  # noqa: E402

from validator.report.template import scale_figures, write_return  # noqa: E402
from validator.rules.pack import load_pack  # noqa: E402

BREAKS = [
    {"forms.two_law_link.rows.0.criminal_filed": 2},
    {"forms.enterprise_stats.cur.inspection": 100_000},
    {"forms.support.rows.0.cert_comprehensive": 500},
    {"forms.case_stats.cur.fines": "swap"},
]


def made(folder: Path, count: int, failing: int, seed: int = 11) -> tuple[list, list]:
    """The returns, and which of them fail (cached in `folder`)."""
    from validator.report.template import apply_changes

    folder.mkdir(parents=True, exist_ok=True)
    stamp, wanted = folder / "made.json", {"count": count, "failing": failing, "seed": seed}
    paths = [folder / f"return_{i:05d}.xlsx" for i in range(count)]
    failing_paths = paths[:: max(1, count // failing)][:failing]
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and all(p.exists() for p in paths):
        return paths, failing_paths
    pack, base, rng = load_pack(), clean(), random.Random(seed)
    for i, path in enumerate(paths):
        figures = scale_figures(base, f"测试单位{i:05d}", rng.uniform(0.5, 3.0))
        if path in failing_paths:
            change = dict(BREAKS[i % len(BREAKS)])
            if change.get("forms.case_stats.cur.fines") == "swap":
                digits = str(int(figures["forms"]["case_stats"]["cur"]["fines"]))
                change["forms.case_stats.cur.fines"] = int(digits[0] + digits[2] + digits[1] + digits[3:])
            figures = apply_changes(figures, change)
        write_return(str(path), pack, figures)
    stamp.write_text(json.dumps(wanted))
    return paths, failing_paths


def per_return(paths: list, pack, turns: int) -> tuple[list, int]:
    """The time the localisation adds to each return checked in-process (median of turns), and
    how many got one."""
    from validator.read.intake import Limits
    from validator.read.reader import read_return
    from validator.rules import engine

    with_it, bare = engine._localise, lambda *args: None
    added, located = [], 0
    for path in paths:
        ret = read_return(str(path), pack, Limits())
        times = {"with": [], "without": []}
        for _ in range(turns):
            for name, step in (("with", with_it), ("without", bare)):
                engine._localise = step
                started = time.perf_counter()
                report = engine.check_return(ret, pack)
                times[name].append(time.perf_counter() - started)
                located += name == "with" and bool(report.localisations)
        engine._localise = with_it
        added.append((statistics.median(times["with"]) - statistics.median(times["without"])) * 1000)
    return added, located // turns


def batch_turns(paths: list, pack, turns: int) -> dict:
    from validator import batch
    from validator.rules import engine

    with_it = engine._localise

    def run(step):
        def review() -> None:
            engine._localise = step
            batch.review([str(p) for p in paths], pack, None, jobs=2)

        return review

    try:
        return alternate({"with": run(with_it), "without": run(lambda *args: None)}, turns)
    finally:
        engine._localise = with_it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--failing", type=int, default=300)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    pack = load_pack()
    paths, failing = made(ROOT / "bench" / "out" / f"localise_{args.returns}", args.returns, args.failing)
    added, located = per_return(failing, pack, 5)
    added.sort()
    print(f"failing returns: {len(failing)}, localised {located}")
    print(
        f"added per failing return: median {statistics.median(added):.2f} ms, p95 {added[int(len(added) * 0.95)]:.2f} ms"
    )
    passing = [p for p in paths if p not in failing][:100]
    spent, _ = per_return(passing, pack, 5)
    print(f"added per passing return: median {statistics.median(spent):.3f} ms (of 100)")
    print(what_it_adds(f"batch of {len(paths)}", batch_turns(paths, pack, args.turns), "without", "with"))


if __name__ == "__main__":
    main()
