"""What a return costs, in CPU instructions per stage, counted by valgrind: a measure that does not
drift with the machine's speed, for comparing two versions of the code.

    python bench/instructions.py             # 40 returns of bench/out/returns_1000 (run bench/run.py first)
    python bench/instructions.py --returns 60

Each stage is counted as the difference between two runs under `valgrind --tool=callgrind` that
stop after it (intake, calamine and the grids, reading the forms, the rules, the digest), over the
same returns, after 30 returns that warm the caches; the start-up is counted once and taken off.
Needs valgrind (`apt install valgrind`); takes a few minutes. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["intake", "grid", "read", "rules", "digest"]
WARM = 30

# One run: warm up on WARM returns, then take the next `count` returns through the stages up to `last`.
RUN = """
import glob, sys
import validator
from validator.read import gate, grid, reader
from validator.rules import digest, engine
from validator.model import Report
from validator.rules.pack import load_pack

folder, last, count, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
files = sorted(glob.glob(folder + "/*.xlsx"))
pack = load_pack()
validator.tune_collector()

def through(path, last):
    with gate.inspect(path) as found:
        if last < 1: return
        grids = grid.read_grids(found)
    if last < 2: return
    ret = reader.build_return(path, grids, pack)
    if last < 3: return
    engine.add_return(Report(), ret, pack, "zh")
    if last < 4: return
    digest.digest(ret)

for path in files[:warm]: through(path, 4)
for path in files[warm:warm + count]: through(path, last)
"""


def instructions(folder: Path, last: int, count: int) -> int:
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            RUN,
            str(folder),
            str(last),
            str(count),
            str(WARM),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None or done.returncode != 0:  # a run that failed would count a part of the work
        sys.exit(f"the run under valgrind failed: {done.stderr[-800:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=40)
    parser.add_argument("--folder", type=Path, default=ROOT / "bench" / "out" / "returns_1000")
    args = parser.parse_args()
    if len(list(args.folder.glob("*.xlsx"))) < WARM + args.returns:
        sys.exit(f"{args.folder} has too few returns: run python bench/run.py first")
    subprocess.run(
        [sys.executable, "-c", "from validator.rules.pack import load_pack; load_pack()"], check=True
    )  # cache the pack
    before = instructions(args.folder, 0, 0)
    total = 0
    for last, stage in enumerate(STAGES):
        after = instructions(args.folder, last, args.returns)
        print(f"{stage:8s} {(after - before) / args.returns / 1e6:6.2f} M instructions a return", flush=True)
        total += after - before
        before = after
    print(f"{'total':8s} {total / args.returns / 1e6:6.2f} M instructions a return")


if __name__ == "__main__":
    main()
