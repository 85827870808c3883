"""What `batch --consolidate` adds to a batch (issue 29: at most 10 %), measured in one run against
the same batch without it, in turns — nothing asserted:

    python bench/consolidate.py            # the 1,000 returns of bench/run.py, three turns each
    python bench/consolidate.py --turns 5

Each turn runs `formcheck batch` as its own process over the returns with a registry of their
units, once as it is and once writing the consolidated return too; the medians and their ratio
are printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import returns  # noqa: E402
from turns import alternate, what_it_adds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    folder = ROOT / "bench" / "out" / f"returns_{args.returns}"
    paths = returns(folder, args.returns)
    with tempfile.TemporaryDirectory() as work:
        registry = Path(work) / "units.yaml"
        units = "".join(f"  - {{name: 测试单位{i:05d}, level: department}}\n" for i in range(len(paths)))
        registry.write_text("units:\n" + units, encoding="utf-8")
        base = [sys.executable, "-m", "validator", "batch", str(folder), "--registry", str(registry)]
        base += ["--format", "json", "-o", str(Path(work) / "report.json")]
        sums = Path(work) / "sum.xlsx"
        ways = {
            "without": lambda: subprocess.run(base, cwd=ROOT, capture_output=True, check=False),
            "with --consolidate": lambda: subprocess.run(
                [*base, "--consolidate", str(sums), "--unit", "测试市"], cwd=ROOT, capture_output=True, check=False
            ),
        }
        times = alternate(ways, args.turns)
    print(what_it_adds(f"batch of {len(paths)}", times, "without", "with --consolidate"))


if __name__ == "__main__":
    main()
