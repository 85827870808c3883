"""The scale benchmark (issue 18), in one run: batches of 1,000 and 10,000 varied returns against
the two-process python-calamine floor; registers of 300,000 and 1,000,000 cases with default
options; a simulated national review's case step (bench/national.py: 150,000 returns' digests,
100,000,000 case hashes); the summary workbook of 10,000 returns, against the openpyxl writer it
replaced (from git, in the same run); one-return `check` against `python -c pass`.

    python bench/scale.py [--national-returns 150000 --national-cases 100000000]
    python bench/scale.py --only batches --batches 1000 --repeat 6

Each command runs as its own process (wall time; peak RSS of its largest process). Nothing is
asserted: the figures, with the machine, go in README.md ("Speed") and docs/performance.md."""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import large_register_return, returns  # noqa: E402
from run import CALAMINE, formcheck, measure, script, warm  # noqa: E402

OLD_SUMMARY = "fa2ef20"  # the last commit with the openpyxl summary writer
PARTS = ("batches", "registers", "national", "summary", "start-up")


def floor(files: list) -> dict:
    """The bare python-calamine read of the files over two processes, as `batch` uses two."""
    halves = [files[0::2], files[1::2]]
    started = time.perf_counter()
    running = [subprocess.Popen(script(CALAMINE, half)) for half in halves]
    for process in running:
        process.wait()
    return {"wall": time.perf_counter() - started}


def batches(out: Path, counts: list, repeat: int) -> list:
    rows = []
    for count in counts:
        folder = out / f"returns_{count}"
        files = returns(folder, count)
        run = formcheck("batch", folder, "--format", "json", "-o", os.devnull)
        turns = [(floor(files), measure(run)) for _ in range(repeat)]
        bare = statistics.median(turn[0]["wall"] for turn in turns)
        wall = statistics.median(turn[1]["wall"] for turn in turns)
        peak = max(turn[1]["peak_mb"] for turn in turns)
        rows.append(
            [
                f"batch, {count:,} returns",
                f"{wall:.2f} s",
                f"{wall / bare:.2f}× floor ({bare:.2f} s)",
                f"{peak:.0f} MB",
                "≤ 3× floor",
            ]
        )
    return rows


def registers(out: Path, sizes: list, repeat: int) -> list:
    """Each register checked and read bare by python-calamine in turns, `repeat` times: medians of
    each and of their ratio turn by turn (the VM's speed drifts by a third within minutes)."""
    rows = []
    for size in sizes:
        path = large_register_return(out / "register" / f"large_{size}.xlsx", size)
        run = formcheck("check", path, "--format", "json", "-o", os.devnull)
        turns = [(measure(script(CALAMINE, [path])), measure(run, allow_refusal=True)) for _ in range(repeat)]
        bare, done = (statistics.median(turn[k]["wall"] for turn in turns) for k in (0, 1))
        ratios = sorted(turn[1]["wall"] / turn[0]["wall"] for turn in turns)
        code, err = turns[-1][1]["code"], turns[-1][1]["err"]
        said = "" if code in (0, 1) else " — refused: " + err.strip().split("无法读取: ")[-1][:60]
        rows.append(
            [
                f"check, {size:,}-case register{said}",
                f"{done:.2f} s",
                f"{statistics.median(ratios):.2f}× calamine ({bare:.2f} s, "
                f"{max(t[0]['peak_mb'] for t in turns):.0f} MB); turn by turn {ratios[0]:.2f}–{ratios[-1]:.2f}×",
                f"{max(t[1]['peak_mb'] for t in turns):.0f} MB",
                "≤ 2× calamine, ≤ 1 GB",
            ]
        )
    return rows


def national(returns_count: int, cases: int) -> list:
    started = time.perf_counter()
    line = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "national.py"), "--returns", str(returns_count), "--cases", str(cases)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(line)
    return [
        [
            f"national review's parent: {result['returns']:,} returns, {result['findings']:,} findings, "
            f"{result['cases']:,} cases ({result['duplicates_found']} of {result['planted']} planted repeats found)",
            f"merge {result['merge_s']:.1f} s + across {result['across_s']:.1f} s (process {time.perf_counter() - started:.0f} s)",
            f"after the merge {result['merged_mb']:.0f} MB",
            f"{result['peak_mb']:.0f} MB",
            "≤ 2 min, ≤ 4 GB",
        ]
    ]


def summaries(count: int) -> list:
    """The summary of `count` returns, the writer now and the openpyxl one it replaced."""
    import importlib.util
    import tempfile

    report, pack = _report(count)
    from validator.report import summary_xlsx

    old_source = subprocess.run(
        ["git", "show", f"{OLD_SUMMARY}:validator/report/summary_xlsx.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(old_source)
    spec = importlib.util.spec_from_file_location("old_summary", handle.name)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    times: dict = {"now": [], "openpyxl": []}
    for _ in range(3):
        for name, module in (("now", summary_xlsx), ("openpyxl", old)):
            started = time.perf_counter()
            module.write(report, pack, "zh", io.BytesIO())
            times[name].append(time.perf_counter() - started)
    now, before = statistics.median(times["now"]), statistics.median(times["openpyxl"])
    return [
        [
            f"summary workbook, {count:,} returns, {len(report.findings):,} findings",
            f"{now:.2f} s",
            f"openpyxl writer {before:.2f} s ({before / now:.1f}× slower)",
            "—",
            "≤ 1.2 s",
        ]
    ]


def _report(count: int):
    """A report as a batch of `count` returns makes: their files, about 1.2 findings each."""
    import random

    from validator.model import Finding, Report, RuleCount
    from validator.rules.pack import load_pack

    pack, rng, report = load_pack(), random.Random(18), Report()
    rules = list(pack.rules)
    for number in range(count):
        file, unit = f"returns/return_{number:05d}.xlsx", f"测试单位{number:05d}"
        report.files.append({"file": file, "unit": unit, "year": 2024})
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            rule = rng.choice(rules)
            message = "行政许可 同比增减填了“+12.9%”,按 256 → 284 计算应为 +10.9%"
            report.findings.append(
                Finding(file, unit, rule.id, rule.severity, rule.origin, rule.form, message, ("表1!C8",), hint="请核对")
            )
    report.counts = {rule.id: RuleCount(count, count - 10, 10) for rule in rules}
    return report, pack


def start_up(sample: Path) -> list:
    check = [measure(formcheck("check", sample, "-o", os.devnull))["wall"] for _ in range(7)]
    bare = [measure([sys.executable, "-c", "pass"])["wall"] for _ in range(7)]
    ratio = statistics.median(check) / statistics.median(bare)
    return [
        [
            "check, one return, against python -c pass",
            f"{statistics.median(check):.3f} s",
            f"{ratio:.1f}× ({statistics.median(bare):.3f} s)",
            "—",
            "≤ 5×",
        ]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--batches", default="1000,10000")
    parser.add_argument("--registers", default="300000,1000000")
    parser.add_argument("--national-returns", type=int, default=150_000)
    parser.add_argument("--national-cases", type=int, default=100_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only these parts (repeatable)")
    args = parser.parse_args()
    out, only = Path(args.out), args.only or PARTS
    warm(ROOT / "samples" / "clean.xlsx")
    parts = {
        "batches": lambda: batches(out, [int(n) for n in args.batches.split(",")], args.repeat),
        "registers": lambda: registers(out, [int(n) for n in args.registers.split(",")], args.repeat),
        "national": lambda: national(args.national_returns, args.national_cases),
        "summary": lambda: summaries(10_000),
        "start-up": lambda: start_up(ROOT / "samples" / "clean.xlsx"),
    }
    rows = [row for part in PARTS if part in only for row in parts[part]()]
    print(f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(tabulate(rows, headers=["what", "wall", "against", "peak RSS", "target"]))


if __name__ == "__main__":
    main()
