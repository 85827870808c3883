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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import returns  # noqa: E402


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
        times: dict = {"without": [], "with": []}
        for turn in range(args.turns):
            order = ("without", "with") if turn % 2 == 0 else ("with", "without")
            for name in order:
                extra = (
                    ["--consolidate", str(Path(work) / f"sum{turn}.xlsx"), "--unit", "测试市"] if name == "with" else []
                )
                started = time.perf_counter()
                subprocess.run(base + extra, cwd=ROOT, capture_output=True, check=False)
                times[name].append(time.perf_counter() - started)
    without, with_it = statistics.median(times["without"]), statistics.median(times["with"])
    print(
        f"batch of {len(paths)}: without {without:.2f} s, with --consolidate {with_it:.2f} s, +{(with_it / without - 1) * 100:.1f} %"
    )
    print(f"  turns without {[round(t, 2) for t in times['without']]}, with {[round(t, 2) for t in times['with']]}")


if __name__ == "__main__":
    main()
