"""Writes the sample returns (samples/*.xlsx) from the figures in samples/data/.

    python samples/make_samples.py

The .xlsx files are committed so a newcomer can open them; run this after changing the data
or the form definitions. tests/test_samples.py checks the committed files match.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from validator.pack import load_pack  # noqa: E402
from validator.template import apply_changes, write_return  # noqa: E402


def main() -> None:
    pack = load_pack()
    for name in ("as_filed", "clean"):
        figures = yaml.safe_load((HERE / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
        write_return(str(HERE / f"{name}.xlsx"), pack, figures)
    clean = yaml.safe_load((HERE / "data" / "clean.yaml").read_text(encoding="utf-8"))
    for broken in yaml.safe_load((HERE / "data" / "broken.yaml").read_text(encoding="utf-8")):
        write_return(str(HERE / f"{broken['name']}.xlsx"), pack, apply_changes(clean, broken["set"]))


if __name__ == "__main__":
    main()
