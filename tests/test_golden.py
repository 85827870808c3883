"""Behaviour held still: the JSON report of every sample and of the sample city set, compared with
the reports kept in tests/golden/ (findings, cells, counts). A change that means to alter a report
rewrites them on purpose: `python tests/test_golden.py` — and the diff shows what changed."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import REFERENCE, ROOT, SAMPLES, formcheck  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
BATCH = SAMPLES / "batch"
RUNS = {f"check_{path.stem}": ["check", path] for path in sorted(SAMPLES.glob("*.xlsx"))}
RUNS["batch_city"] = ["batch", BATCH, *REFERENCE]


def report(args: list) -> dict:
    """The JSON report of a run, with the repository's path taken out of every text."""
    _, out, _ = formcheck(*args, "--format", "json")
    return json.loads(out.replace(str(ROOT) + "/", ""))


@pytest.mark.parametrize("name", list(RUNS))
def test_the_report_is_what_it_was(name):
    assert report(RUNS[name]) == json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    import os
    import tempfile

    os.environ.setdefault("FORMCHECK_CACHE", tempfile.mkdtemp())
    GOLDEN.mkdir(exist_ok=True)
    for name, args in RUNS.items():
        text = json.dumps(report(args), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"{len(RUNS)} reports written to {GOLDEN}")
