"""The speed and memory benchmark: formcheck against the bare readers, in one run, as whole processes.

    python bench/run.py                      # 1,000 returns, a 100,000-case register
    python bench/run.py --returns 200 --register-rows 20000

Generates the inputs once (bench/generate.py, kept in bench/out/), then measures each command as
a separate process — wall time, and the peak resident memory of its largest process — and prints a
table with each time's ratio to the bare python-calamine read of the same files. The bare read, the
batch and the register are measured in turns (three by default, `--repeat`) before anything else,
and their medians shown: this VM's speed drifts from minute to minute.

- a bare python-calamine read of every sheet of every file;
- a bare openpyxl read (merged cells included, as formcheck needs them) — of a sample of the
  files, scaled up to all of them, since it is the slow one;
- frictionless validating every sheet (optional: only if frictionless[excel] is installed);
- `formcheck batch` end to end, on all files and on a quarter of them (memory must not grow);
- `formcheck check` of one return (start-up included; median of 5);
- `formcheck check` of one return with a large case register.

Nothing here is asserted: the numbers go in README.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import register_return, returns  # noqa: E402

# Runs a command as a child and prints its wall time and the peak RSS of its largest process.
PROBE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(json.dumps({"wall": time.perf_counter() - start, "code": done.returncode,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "err": done.stderr.decode(errors="replace")[-300:]}))
"""

CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        sheet.to_python(skip_empty_area=False)
        sheet.merged_cell_ranges
"""

OPENPYXL = """
import sys
import openpyxl
for path in sys.argv[1:]:
    book = openpyxl.load_workbook(path, data_only=True)
    for sheet in book.worksheets:
        list(sheet.iter_rows(values_only=True))
        sheet.merged_cells.ranges
"""

FRICTIONLESS = """
import sys
from frictionless import Resource, formats
for path in sys.argv[1:]:
    for name in ("表1", "表2", "表3", "表4"):
        Resource(path, control=formats.ExcelControl(sheet=name)).validate()
"""


def measure(command: list, allow_refusal: bool = False) -> dict:
    # run from outside the repository, so `-m validator` is the installed formcheck, as users run it
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, cwd=ROOT.parent
    ).stdout
    result = json.loads(out)
    if result["code"] not in (0, 1) and not (allow_refusal and result["code"] == 2):
        raise SystemExit(f"{command[:4]} failed: {result['err']}")
    return result


def script(source: str, files: list) -> list:
    return [sys.executable, "-c", source, *map(str, files)]


def formcheck(*args) -> list:
    return [sys.executable, "-m", "validator", *map(str, args)]


def warm(sample) -> None:
    """What any run after the first finds, made before anything is timed: the package's bytecode
    (where PYTHONDONTWRITEBYTECODE is set, as on the development VM, every run of an editable
    install compiled some seventy modules again: 0.1 s a run, half of a one-return `check`) and
    the compiled-pack cache."""
    compiling = [sys.executable, "-m", "compileall", "-q", str(ROOT / "validator")]
    subprocess.run(compiling, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(formcheck("check", sample), capture_output=True, cwd=ROOT.parent)


def has_frictionless() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import frictionless, openpyxl"], capture_output=True)
    return probe.returncode == 0


def run(args) -> list:
    out = Path(args.out)
    files = returns(out / f"returns_{args.returns}", args.returns)
    register = register_return(out / "register" / f"register_{args.register_rows}.xlsx", args.register_rows)
    sample = files[: max(1, min(len(files), args.sample))]
    quarter = out / f"returns_{args.returns}_quarter"
    quarter.mkdir(exist_ok=True)
    for path in files[: len(files) // 4]:
        link = quarter / path.name
        if not link.exists():
            os.symlink(path, link)
    warm(files[0])
    # the bare read, the batch and the register in turns, before the slow readers load the machine:
    # medians of turns taken minutes apart on this VM would each meet a different speed
    whole_batch = formcheck("batch", out / f"returns_{args.returns}", "--format", "json", "-o", os.devnull)
    big_check = formcheck("check", register, "--format", "json", "-o", os.devnull)
    turns = [[measure(script(CALAMINE, files)), measure(whole_batch), measure(big_check)] for _ in range(args.repeat)]
    bare, whole, big = (_median([turn[k] for turn in turns]) for k in range(3))
    part = measure(formcheck("batch", quarter, "--format", "json", "-o", os.devnull))
    single = _median([measure(formcheck("check", files[0], "-o", os.devnull)) for _ in range(5)])
    slow = measure(script(OPENPYXL, sample))
    fric = measure(script(FRICTIONLESS, sample)) if has_frictionless() else None
    times = f"median of {args.repeat}"
    rows = [
        (f"python-calamine, bare read ({times})", len(files), bare["wall"], bare["peak_mb"], ""),
        (
            f"openpyxl, bare read (of {len(sample)}, scaled)",
            len(files),
            slow["wall"] * len(files) / len(sample),
            slow["peak_mb"],
            "",
        ),
    ]
    if fric is not None:
        rows.append(
            (
                f"frictionless validate, 4 sheets (of {len(sample)}, scaled)",
                len(files),
                fric["wall"] * len(files) / len(sample),
                fric["peak_mb"],
                "",
            )
        )
    else:
        rows.append(("frictionless (not installed: pip install 'frictionless[excel]')", len(files), None, None, ""))
    rows += [
        (f"formcheck batch, end to end ({times})", len(files), whole["wall"], whole["peak_mb"], "≤ 2 s, ≤ 5× calamine"),
        ("formcheck batch, a quarter of the files", len(files) // 4, part["wall"], part["peak_mb"], "same peak memory"),
        ("formcheck check, one return (median of 5)", 1, single["wall"], single["peak_mb"], "≤ 0.3 s"),
        (
            f"formcheck check, {args.register_rows:,}-case register ({times})",
            1,
            big["wall"],
            big["peak_mb"],
            "≤ 2 s, ≤ 200 MB",
        ),
    ]
    return [_row(r, bare["wall"], len(files)) for r in rows]


def _median(results: list) -> dict:
    """The median wall time of several measurements of one command, and the largest peak memory."""
    return {"wall": statistics.median(r["wall"] for r in results), "peak_mb": max(r["peak_mb"] for r in results)}


def _row(row: tuple, baseline: float, all_files: int) -> list:
    """A table row; the ratio to the bare calamine read only where the same files were read."""
    name, count, wall, peak, target = row
    if wall is None:
        return [name, count, "—", "—", "—", "—", target]
    ratio = f"{wall / baseline:.1f}×" if count == all_files else "—"
    return [name, count, f"{wall:.2f} s", f"{wall / count * 1000:.2f} ms", ratio, f"{peak:.0f} MB", target]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--register-rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=100, help="files read by the slow readers, scaled up")
    parser.add_argument("--repeat", type=int, default=3, help="turns of the bare read, the batch and the register")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    rows = run(args)
    print(f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(tabulate(rows, headers=["what", "files", "wall", "per file", "× calamine", "peak RSS", "target"]))


if __name__ == "__main__":
    main()
