"""Where a return's time goes, by direct timers around each stage in one process — not cProfile,
which adds its cost to every Python call and so inflates the pure-Python stages — against
python-calamine's bare read of the same file:

    python bench/stages.py                # the 1,000 returns of bench/run.py, three turns
    python bench/stages.py --turns 5

Each turn takes every return through intake, calamine and the grids, reading the forms, the rules
and the digest, timing each with `perf_counter_ns`, then reads the same file bare with
python-calamine (every sheet's values), so that both meet the same speed of the machine. It prints
each stage's median share and milliseconds a return over the turns. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import returns  # noqa: E402

STAGES = ("intake", "calamine and grids", "forms", "rules", "digest", "bare calamine read")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    paths = [str(p) for p in returns(ROOT / "bench" / "out" / f"returns_{args.returns}", args.returns)]
    import validator
    from validator.rules.pack import load_pack

    pack = load_pack()
    validator.tune_collector()
    turns = [_turn(paths, pack) for _ in range(args.turns)]
    checked = [sum(t[:5]) for t in turns]
    print(f"{len(paths)} returns, {args.turns} turns, one process")
    for index, name in enumerate(STAGES):
        each = [t[index] / len(paths) * 1000 for t in turns]
        share = [t[index] / total * 100 for t, total in zip(turns, checked)] if index < 5 else None
        said = f"{statistics.median(share):5.1f} %" if share else "       "
        print(f"  {name:20s} {said}  {statistics.median(each):.3f} ms a return")
    ratio = statistics.median(total / t[5] for t, total in zip(turns, checked))
    print(f"  a return checked: {statistics.median(checked) / len(paths) * 1000:.3f} ms, {ratio:.2f}× the bare read")


def _turn(paths: list, pack) -> list:
    """Seconds spent in each stage over all returns, then the bare reads'."""
    from python_calamine import CalamineWorkbook

    from validator.model import Report
    from validator.read import gate, grid, reader
    from validator.rules import digest, engine

    spent = [0] * 6
    for path in paths:
        marks = [time.perf_counter_ns()]
        with gate.inspect(path) as found:
            marks.append(time.perf_counter_ns())
            grids = grid.read_grids(found)
        marks.append(time.perf_counter_ns())
        ret = reader.build_return(path, grids, pack)
        marks.append(time.perf_counter_ns())
        engine.add_return(Report(), ret, pack, None)
        marks.append(time.perf_counter_ns())
        digest.digest(ret)
        marks.append(time.perf_counter_ns())
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        marks.append(time.perf_counter_ns())
        for index in range(6):
            spent[index] += marks[index + 1] - marks[index]
    return [ns / 1e9 for ns in spent]


if __name__ == "__main__":
    main()
