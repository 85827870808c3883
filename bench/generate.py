"""Makes the benchmark's inputs: N returns with varied figures, and one return with a large case register.

    python bench/generate.py --returns 1000 --out bench/out

Files already there with the same parameters are kept, so repeated benchmark runs start at once.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from validator.report.template import register_for, scale_figures, write_return  # noqa: E402
from validator.rules.pack import load_pack  # noqa: E402


def clean() -> dict:
    return yaml.safe_load((ROOT / "samples" / "data" / "clean.yaml").read_text(encoding="utf-8"))


def returns(folder: Path, count: int, seed: int = 7) -> list:
    """`count` returns of made-up units, figures scaled 0.05–3× from the clean sample."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "made.json"
    wanted = {"count": count, "seed": seed}
    paths = [folder / f"return_{i:05d}.xlsx" for i in range(count)]
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and all(p.exists() for p in paths):
        return paths
    pack, base, rng = load_pack(), clean(), random.Random(seed)
    for i, path in enumerate(paths):
        write_return(str(path), pack, scale_figures(base, f"测试单位{i:05d}", rng.uniform(0.05, 3.0)))
    stamp.write_text(json.dumps(wanted))
    return paths


def register_return(path: Path, rows: int) -> Path:
    """The clean return with a case register of about `rows` cases (figures scaled to match)."""
    stamp = path.with_suffix(".json")
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == {"rows": rows}:
        return path
    base = clean()
    per_factor = len(register_for(base, "X"))
    figures = scale_figures(base, "湘乡市应急管理局", rows / per_factor)
    figures["forms"]["case_register"] = {"rows": register_for(figures, "BIG")}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(str(path), load_pack(), figures)
    stamp.write_text(json.dumps({"rows": rows}))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--register-rows", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    out = Path(args.out)
    print(len(returns(out / f"returns_{args.returns}", args.returns)), "returns")
    print(register_return(out / "register" / f"register_{args.register_rows}.xlsx", args.register_rows))


if __name__ == "__main__":
    main()
