"""Times `formcheck check` on each file of the hostile corpus under a 1 GiB address-space cap.

    python bench/hostile.py

Prints, per file: exit code, wall time, peak resident memory, and the first line of the answer.
The same corpus is asserted on by tests/test_hostile.py (answers, exit codes, no traceback);
this script is where its time and memory are measured, not the test suite.
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


def measure(path: Path) -> dict:
    command = [sys.executable, "-c", PROBE, sys.executable, "-m", "validator", "check", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, (maker, expected, _) in CORPUS.items():
            path = maker(Path(folder))
            result = measure(path)
            says = result["says"][0] if result["says"] else ""
            rows.append([name, f"{path.stat().st_size / 1024:,.0f} KB", result["code"], expected,
                         f"{result['wall']:.2f} s", f"{result['peak_kb'] / 1024:.0f} MB", says[:60]])
    print(tabulate(rows, headers=["file", "size", "exit", "expected", "wall", "peak RSS", "answer"]))


if __name__ == "__main__":
    main()
