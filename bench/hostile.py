"""Times formcheck on every hostile input under a 1 GiB address-space cap: each file of the corpus
(`formcheck check`), then each hostile run (tests/hostile_runs.py: crafted files, special files,
reference files and packs, output paths, names).

    python bench/hostile.py

Prints, per case: exit code (and the one expected), wall time, peak resident memory, and the first
line of the answer. The same cases are asserted on by tests/test_hostile.py (answers, exit codes,
no traceback, inputs unchanged); this script is where their time and memory are measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hostile_corpus import CORPUS  # noqa: E402
from hostile_runs import RUNS  # noqa: E402

# Runs one command in a child capped at 1 GiB and reports its wall time and peak RSS.
PROBE = """
import json, resource, subprocess, sys, time
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, preexec_fn=cap)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "wall": wall, "peak_kb": peak,
                  "says": (done.stderr.strip() or done.stdout.strip()).splitlines()[:1]}))
"""


def measure(args: list) -> dict:
    command = [sys.executable, "-c", PROBE, sys.executable, "-m", "validator", *map(str, args)]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        cases = [
            (name, lambda where, make=maker: ["check", make(where)], expected)
            for name, (maker, expected, _) in CORPUS.items()
        ]
        cases += [(name, maker, expected) for name, (maker, expected, _) in RUNS.items()]
        for number, (name, make, expected) in enumerate(cases):
            where = Path(folder) / str(number)
            where.mkdir()
            result = measure(make(where))
            says = result["says"][0] if result["says"] else ""
            rows.append(
                [
                    name,
                    result["code"],
                    expected,
                    f"{result['wall']:.2f} s",
                    f"{result['peak_kb'] / 1024:.0f} MB",
                    says[:56],
                ]
            )
    print(tabulate(rows, headers=["case", "exit", "expected", "wall", "peak RSS", "answer"]))
    slowest = max(rows, key=lambda row: float(row[3].split()[0]))
    print(
        f"\n{len(rows)} cases; slowest {slowest[0]} ({slowest[3]}); "
        f"wrong exit codes: {sum(1 for row in rows if row[1] != row[2])}"
    )


if __name__ == "__main__":
    main()
