"""Versions of formcheck timed against each other in one process, file by file: the way to tell
whether a change to the code made a return faster on a VM whose speed drifts by half within
minutes, where two whole runs taken a minute apart compare the machine, not the code.

    python bench/compare.py 2ada2ba              # that commit against the working tree
    python bench/compare.py 2ada2ba 56ff9cb      # both, and the working tree, in one run
    python bench/compare.py HEAD~3 --returns 300 --runs 5

Each older version is taken from git (`git archive`) and the working tree copied, each into a
temporary folder with its package renamed, so that all can be imported side by side and are
treated alike (the working tree's own `validator` ran 2 % faster than an identical renamed copy of
it; renamed copies of one version come out within about 1 % of each other, which is this tool's
noise). Each file then goes through every version —
intake, the grids, the forms, the rules, the digest, as a batch worker takes it — in an order that
turns from file to file, and the time of each is summed. One line a run: the mean time a return
took with each version, and its difference from the working tree. Keep the versions to compare in
one run: the differences between them hold within a run, but move by a point or two from one run
to the next as the machine's speed does. Nothing here is asserted. Needs the returns of
bench/run.py (bench/out/returns_1000).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "formcheck_now"


def export(revision: str, into: Path, name: str) -> None:
    """The package and default pack at `revision`, the package renamed to `name`."""
    archive = subprocess.run(
        ["git", "archive", revision, "validator", "rules"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    rename(into, name)


def copy_working_tree(into: Path) -> None:
    """The package and default pack as they are now, the package renamed to NOW."""
    for folder in ("validator", "rules"):
        shutil.copytree(ROOT / folder, into / folder, ignore=shutil.ignore_patterns("__pycache__"))
    rename(into, NOW)


def rename(into: Path, name: str) -> None:
    (into / "validator").rename(into / name)
    for source in (into / name).rglob("*.py"):
        source.write_text(re.sub(r"\bvalidator\b", name, source.read_text(encoding="utf-8")), encoding="utf-8")


def pipeline(package: str):
    """review(path): one return through every stage of a batch worker, with `package`."""
    stage = {name: _module(package, name) for name in ("intake", "grid", "reader", "engine", "digest")}
    pack = _module(package, "pack").load_pack()
    report = importlib.import_module(f"{package}.model").Report
    # a language was passed down to the engine until messages were said at the edge
    said_in = ("zh",) if "lang" in inspect.signature(stage["engine"].add_return).parameters else ()

    def review(path: str) -> None:
        grids = _grids(stage, path)
        ret = stage["reader"].build_return(path, grids, pack)
        stage["engine"].add_return(report(), ret, pack, *said_in)
        stage["digest"].digest(ret)

    return review


def _grids(stage: dict, path: str) -> list:
    """The grids as the version reads them: by grids_of, which closes the reader's archive (since
    that archive may be a temporary file), or by inspect and read_grids (before)."""
    if hasattr(stage["grid"], "grids_of"):
        return stage["grid"].grids_of(path)
    return stage["grid"].read_grids(path, stage["intake"].inspect(path))


def _module(package: str, name: str):
    """A stage's module in a version of either layout: validator/read/, validator/rules/ (since
    the house was rebuilt) or validator/ (before)."""
    for place in ("read.", "rules.", ""):
        try:
            return importlib.import_module(f"{package}.{place}{name}")
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(f"{package}: no module {name}")


def compare(reviews: list, files: list) -> list:
    """Mean seconds a return took with each version, the versions taken in turn file by file."""
    spent = [0.0] * len(reviews)
    clock = time.perf_counter
    for k, path in enumerate(files):
        for which in range(len(reviews)):
            which = (which + k) % len(reviews)
            start = clock()
            reviews[which](path)
            spent[which] += clock() - start
    return [total / len(files) for total in spent]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "revisions", nargs="+", help="versions to compare with the working tree (commits, tags, HEAD~2)"
    )
    parser.add_argument("--returns", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=ROOT / "bench" / "out" / "returns_1000")
    args = parser.parse_args()
    files = sorted(map(str, args.folder.glob("*.xlsx")))[: args.returns]
    if not files:
        sys.exit(f"no returns in {args.folder}: run python bench/run.py first")
    with tempfile.TemporaryDirectory() as folder:
        names = [f"formcheck_{k}" for k in range(len(args.revisions))]
        for k, (revision, name) in enumerate(zip(args.revisions, names)):
            export(revision, Path(folder) / str(k), name)
        copy_working_tree(Path(folder) / "now")
        sys.path[:0] = [str(Path(folder) / str(k)) for k in range(len(names))] + [str(Path(folder) / "now")]
        reviews = [pipeline(name) for name in names + [NOW]]
        importlib.import_module(NOW).tune_collector()
        compare(reviews, files[:30])  # warm: caches filled, code paged in
        for _ in range(args.runs):
            *before, now = compare(reviews, files)
            versions = "   ".join(
                f"{revision}: {mean * 1e6:5.0f} µs ({(now / mean - 1) * 100:+.1f} %)"
                for revision, mean in zip(args.revisions, before)
            )
            print(f"working tree: {now * 1e6:5.0f} µs a return   {versions}", flush=True)


if __name__ == "__main__":
    main()
