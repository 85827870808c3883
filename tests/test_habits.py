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


STRICT = ["validator/model.py", "validator/rules/engine.py", "validator/rules/checks/base.py"]


def test_the_contracts_pass_mypy_strict():
    """The records every layer passes on (model.py: Return, Outcome, Finding, Report, Settings …),
    the check contract and its context (checks/base.py) and the engine that runs them are held to
    mypy --strict; the rest of the package to the configured checks above."""
    result = _run("mypy", "--strict", "--follow-imports=silent", *STRICT)
    assert result.returncode == 0, result.stdout + result.stderr
