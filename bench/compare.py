"""Two versions of formcheck timed against each other in one process, file by file: the way to
tell whether a change to the code made a return faster on a VM whose speed drifts by half within
minutes, where two whole runs taken a minute apart compare the machine, not the code.

    python bench/compare.py 2ada2ba              # that commit against the working tree
    python bench/compare.py HEAD~3 --returns 300 --runs 5

The older version is taken from git (`git archive`) into a temporary folder, its package renamed
so that both can be imported side by side. Each file then goes through both — intake, the grids,
the forms, the rules, the digest, as a batch worker takes it — in alternating order, and the time
of each is summed. One line a run: the mean time a return took with each, and the difference.
Nothing here is asserted. Needs the returns of bench/run.py (bench/out/returns_1000).
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENAMED = "formcheck_base"


def export(revision: str, into: Path) -> None:
    """The package and default pack at `revision`, the package renamed to RENAMED."""
    archive = subprocess.run(["git", "archive", revision, "validator", "rules"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "validator").rename(into / RENAMED)
    for source in (into / RENAMED).rglob("*.py"):
        source.write_text(re.sub(r"\bvalidator\b", RENAMED, source.read_text(encoding="utf-8")), encoding="utf-8")


def pipeline(package: str):
    """review(path): one return through every stage of a batch worker, with `package`."""
    stage = {name: importlib.import_module(f"{package}.{name}") for name in ("intake", "grid", "reader", "engine", "digest")}
    pack = importlib.import_module(f"{package}.pack").load_pack()
    report = importlib.import_module(f"{package}.model").Report

    def review(path: str) -> None:
        grids = stage["grid"].read_grids(path, stage["intake"].inspect(path))
        ret = stage["reader"].build_return(path, grids, pack)
        stage["engine"].add_return(report(), ret, pack, "zh")
        stage["digest"].digest(ret)

    return review


def compare(base, current, files: list) -> tuple:
    """Mean seconds a return took with each, the two taken in turn file by file."""
    spent = [0.0, 0.0]
    clock = time.perf_counter
    for k, path in enumerate(files):
        for which in ((0, 1) if k % 2 else (1, 0)):
            start = clock()
            (base, current)[which](path)
            spent[which] += clock() - start
    return spent[0] / len(files), spent[1] / len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the version to compare the working tree with (a commit, a tag, HEAD~2)")
    parser.add_argument("--returns", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=ROOT / "bench" / "out" / "returns_1000")
    args = parser.parse_args()
    files = sorted(map(str, args.folder.glob("*.xlsx")))[:args.returns]
    if not files:
        sys.exit(f"no returns in {args.folder}: run python bench/run.py first")
    with tempfile.TemporaryDirectory() as folder:
        export(args.revision, Path(folder))
        sys.path[:0] = [folder, str(ROOT)]
        base, current = pipeline(RENAMED), pipeline("validator")
        import validator

        validator.tune_collector()
        compare(base, current, files[:30])  # warm: caches filled, code paged in
        for _ in range(args.runs):
            before, now = compare(base, current, files)
            print(f"{args.revision}: {before * 1e6:6.0f} µs a return   working tree: {now * 1e6:6.0f} µs"
                  f"   ({(now / before - 1) * 100:+.1f} %)", flush=True)


if __name__ == "__main__":
    main()
