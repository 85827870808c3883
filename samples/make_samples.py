"""Writes the sample returns from the figures in samples/data/.

    python samples/make_samples.py

samples/*.xlsx are the seed as filed, the clean return and the broken ones; samples/batch/ is the
city set (with previous/ for 2023, previous-2022/ and treasury.csv; units.yaml is written by hand). The files are committed
so a newcomer can open them; run this after changing the data or the form definitions.
tests/test_samples.py and tests/test_batch.py check the committed files match.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from validator.report.template import apply_changes, previous_year, register_for, scale_figures, write_return  # noqa: E402
from validator.rules.pack import load_pack  # noqa: E402

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load(name: str):
    return yaml.safe_load((HERE / "data" / name).read_text(encoding="utf-8"))


def main() -> None:
    pack = load_pack()
    for name in ("as_filed", "clean"):
        write_return(str(HERE / f"{name}.xlsx"), pack, load(f"{name}.yaml"))
    clean = load("clean.yaml")
    for broken in load("broken.yaml"):
        write_return(str(HERE / f"{broken['name']}.xlsx"), pack, apply_changes(clean, broken["set"]))
    make_batch(pack, clean, load("batch.yaml"), HERE / "batch")


def batch_figures(clean: dict, spec: dict) -> dict:
    """One return of the city set, as its spec in batch.yaml says."""
    figures = scale_figures(clean, spec["unit"], spec["factor"])
    if spec.get("register"):
        rows = register_for(figures, spec["register"])
        figures["forms"]["case_register"] = {"rows": rows}
        figures = apply_changes(
            figures, {f"forms.case_register.rows.{k}": v for k, v in spec.get("register_set", {}).items()}
        )
    return apply_changes(figures, spec.get("set", {}))


def make_batch(pack, clean: dict, plan: dict, folder: Path) -> None:
    previous, earlier = folder / "previous", folder / "previous-2022"
    for old in list(folder.glob("*.xls*")) + list(previous.glob("*.xlsx")) + list(earlier.glob("*.xlsx")):
        old.unlink()
    previous.mkdir(parents=True, exist_ok=True)
    earlier.mkdir(parents=True, exist_ok=True)
    treasury = []
    for spec in plan["returns"]:
        figures = batch_figures(clean, spec)
        write_return(str(folder / spec["file"]), pack, figures)
        if spec.get("previous"):
            before = apply_changes(previous_year(figures), spec.get("previous_set", {}))
            write_return(str(previous / spec["file"]), pack, before)
        if spec.get("earlier"):
            before = apply_changes(previous_year(previous_year(figures)), spec.get("earlier_set", {}))
            write_return(str(earlier / spec["file"]), pack, before)
        fines = figures["forms"]["case_stats"]["cur"]["fines"]
        entry = [spec["unit"], plan["year"], fines + spec.get("treasury_off", 0)]
        if entry not in treasury:
            treasury.append(entry)
    (folder / plan["old_xls"]).write_bytes(OLE2_MAGIC + bytes(4088))
    with open(folder / "treasury.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", "年度", "入库金额"])
        writer.writerows(treasury)


if __name__ == "__main__":
    main()
