"""The house's habits, kept by the test run itself (so `.ci/run` keeps them): ruff's lint and format
and mypy over the package are clean, as configured in pyproject.toml."""

import subprocess
import sys

from conftest import ROOT

CODE = ["validator", "tests", "bench", "samples"]


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted():
    result = _run("ruff", "format", "--check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run("mypy", "validator")
    assert result.returncode == 0, result.stdout + result.stderr


# the rules (engine, pack, expressions, every check) and the records and messages they pass on
STRICT = [
    *sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "validator" / "rules").rglob("*.py")),
    "validator/model.py",
    "validator/i18n.py",
]


def test_the_contracts_pass_mypy_strict():
    """All of validator/rules/ — the engine, the pack loader, the expression language and every
    check (checks/base.py: their contract and context) — with the records every layer passes on
    (model.py: Return, Outcome, Finding, Report, Settings …) and the messages they say
    (i18n.py) are held to mypy --strict; the rest of the package to the configured checks above."""
    result = _run("mypy", "--strict", "--follow-imports=silent", *STRICT)
    assert result.returncode == 0, result.stdout + result.stderr
