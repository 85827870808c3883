"""One return saved as .xlsx, .xls (Excel 97-2003) and .ods, read and checked in interleaved turns
in one process: what each format's gate and reader cost against the .xlsx (issue 31 asks an .xls
within 1.5×). The samples' clean return is used as committed (samples/clean.*).

    python bench/formats.py               # 200 turns
    python bench/formats.py --turns 500

Medians of the turns; nothing is asserted."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from validator.read.reader import read_return  # noqa: E402
from validator.rules import engine  # noqa: E402
from validator.rules.pack import load_pack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    pack = load_pack()
    files = {kind: str(ROOT / "samples" / f"clean.{kind}") for kind in ("xlsx", "xls", "ods")}
    times: dict = {kind: [] for kind in files}
    for turn in range(args.turns + 5):
        for kind, path in files.items() if turn % 2 else reversed(list(files.items())):
            start = time.perf_counter()
            engine.check_return(read_return(path, pack), pack)
            if turn >= 5:  # the first turns warm the caches
                times[kind].append(time.perf_counter() - start)
    base = statistics.median(times["xlsx"])
    for kind, taken in times.items():
        median = statistics.median(taken)
        print(f"{kind:5} {median * 1000:7.2f} ms a return  {median / base:5.2f}× the .xlsx")


if __name__ == "__main__":
    main()
