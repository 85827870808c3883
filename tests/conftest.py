"""Shared fixtures: real .xlsx returns written by openpyxl, and the real CLI run in-process."""

from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from validator.cli import run
from validator.read import native
from validator.report.template import apply_changes, write_return
from validator.rules.pack import load_pack

# compiled packs go to a folder of the test run's own, not the user's cache (subprocesses inherit
# it), removed when the run ends
os.environ["FORMCHECK_CACHE"] = tempfile.mkdtemp(prefix="formcheck-cache-")
atexit.register(shutil.rmtree, os.environ["FORMCHECK_CACHE"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BATCH = SAMPLES / "batch"  # the sample city set and its reference data
REFERENCE = [
    "--registry",
    BATCH / "units.yaml",
    "--treasury",
    BATCH / "treasury.csv",
    "--previous",
    f"2023={BATCH / 'previous'}",
    "--previous",
    f"2022={BATCH / 'previous-2022'}",
]


def pytest_report_header(config) -> str:
    """Which path intake takes in this run: the tests marked with `intake_path` take both."""
    if native.path() == "native":
        return "intake: the native pass is built and used; intake's tests run on [native] and on [python]"
    if native.built():
        return "intake: the native pass is built but turned off (FORMCHECK_NATIVE=0): [native] tests skipped"
    return "intake: the Python path only, the native pass was not built: [native] tests skipped"


@pytest.fixture(params=["native", "python"])
def intake_path(request, monkeypatch):
    """Each intake case on both paths, in this process and in the commands it starts, with the
    same expected verdict, message and cell: the native pass where it is built, the Python
    reference alone (FORMCHECK_NATIVE=0). CI builds the extension and requires it here."""
    if request.param == "python":
        monkeypatch.setenv("FORMCHECK_NATIVE", "0")
        with native.python_only():
            yield request.param
        return
    if native.path() != "native":
        if os.environ.get("FORMCHECK_REQUIRE_NATIVE") == "1":
            pytest.fail("FORMCHECK_REQUIRE_NATIVE=1 but intake's native pass was not built or is turned off")
        pytest.skip("intake's native pass was not built, or FORMCHECK_NATIVE=0")
    yield request.param


# each family of rules on one return is tested in its own module, which lists its rules' breaking
# CASES; the id prefix says which module a rule belongs to (across returns: test_rules_across_returns)
FAMILY_OF_PREFIX = {
    "G-": "general",
    "T1-": "case_stats",
    "T2-": "enterprise_stats",
    "T3-": "support",
    "T4-": "two_law_link",
    "X-": "across_forms",
    "R-": "case_register",
    "B-": "across_returns",
}


def clean_figures() -> dict:
    return yaml.safe_load((SAMPLES / "data" / "clean.yaml").read_text(encoding="utf-8"))


def clean_with_register() -> dict:
    """The clean return with a case register that adds up to its figures."""
    from validator.report.template import register_for

    figures = clean_figures()
    figures["forms"]["case_register"] = {"rows": register_for(figures, "XX")}
    return figures


def as_filed_figures() -> dict:
    return yaml.safe_load((SAMPLES / "data" / "as_filed.yaml").read_text(encoding="utf-8"))


def formcheck(*args) -> tuple:
    """(exit code, stdout, stderr) of `formcheck ARGS`. A JSON report it writes, to stdout or -o,
    is validated against the published schema (validator/schemas/report.json) on the way."""
    out, err = io.StringIO(), io.StringIO()
    args = [str(a) for a in args]
    code = run(args, out, err)
    if _option(args, "--format") == "json" and code in (0, 1):
        written = _option(args, "-o") or _option(args, "--output")
        validate_report(json.loads(Path(written).read_text(encoding="utf-8") if written else out.getvalue()))
    return code, out.getvalue(), err.getvalue()


def _option(args: list, name: str):
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def validate_report(document: dict) -> None:
    """Fail unless `document` fits validator/schemas/report.json."""
    import jsonschema

    schema = json.loads((ROOT / "validator" / "schemas" / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)


def check_json(path, *extra) -> dict:
    code, out, err = formcheck("check", path, "--format", "json", *extra)
    assert code in (0, 1), err
    document = json.loads(out)
    document["exit_code"] = code
    return document


@pytest.fixture
def pack_copy(tmp_path):
    """A copy of the default pack, to break on purpose."""
    import shutil

    target = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "default", target)
    return target


@pytest.fixture(scope="session")
def pack():
    return load_pack()


@pytest.fixture
def workbook(tmp_path, pack):
    """write(figures or changes to the clean return, name=..., **write options) -> path of a real .xlsx"""
    counter = iter(range(1000))

    def write(changes=None, figures=None, name=None, base=None, **options):
        base = figures if figures is not None else clean_with_register() if base == "register" else clean_figures()
        path = tmp_path / (name or f"return_{next(counter)}.xlsx")
        write_return(str(path), pack, apply_changes(base, changes or {}), **options)
        return path

    return write


@pytest.fixture
def broken(workbook):
    """broken(changes) -> findings of the clean return with `changes`, as JSON dicts."""

    def findings(changes, base=None, **options):
        return check_json(workbook(changes, base=base, **options))["findings"]

    return findings


@pytest.fixture
def in_memory(tmp_path_factory, pack):
    """in_memory(changes, base=None) -> the findings (rule, message with its hint, cells) of the
    clean return with `changes`, built in memory (tests/memory.py): for the many small cases of
    one rule's logic."""
    from memory import findings

    def found(changes, base=None):
        return findings(tmp_path_factory.getbasetemp(), pack, changes, base or "clean")

    return found


def only(findings: list, rule: str) -> list:
    """The findings, after asserting that they all come from `rule`."""
    assert {f["rule"] for f in findings} == {rule}, [(f["rule"], f["message"]) for f in findings]
    return findings


def grids_of(path):
    """The grids of a workbook, as the reader gets them."""
    from validator.read.grid import grids_of as read

    return read(str(path))


def case_ids(cases: list) -> list:
    return [case[0] for case in cases]


def assert_case_breaks_only_its_rule(broken, case: tuple, base=None) -> None:
    """A CASES entry (rule, changes, message, cells): the clean return so changed breaks that rule
    alone, with that message and those cells (None: any)."""
    rule, changes, message, cells = case
    findings = only(broken(changes, base=base), rule)
    if message is not None:
        said = findings[0]["message"] + ("。" + findings[0]["hint"] if findings[0]["hint"] else "")
        assert said == message
        assert findings[0]["cells"] == cells


def assert_family_covered(pack, prefix: str, cases: list, elsewhere: tuple = ()) -> None:
    """Every rule of the pack whose id starts with `prefix` has a breaking case in `cases`, but
    those `elsewhere`."""
    family = sorted(r.id for r in pack.rules if r.id.startswith(prefix) and r.id not in elsewhere)
    assert sorted({case[0] for case in cases}) == family


def edit_member(path, member: str, edit) -> None:
    """Rewrite one member of a workbook in place through `edit(bytes) -> bytes`, which must change it."""
    from hostile_corpus import edited_copy

    edited_copy(path, path, member, edit)
