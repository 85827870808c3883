"""The package as pip builds it: with intake's native pass where a compiler exists, and without it —
a line said, the install done, the same answers — where none does (setup.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow


def _wheel(folder, **env) -> tuple:
    """(the wheel pip builds from a copy of the working tree, what the build said): a copy, since
    setuptools would take a module built before from the tree's build/ folder."""
    source = _source(folder)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(folder), "-v"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = folder.glob("formcheck-*.whl")
    return wheel, built.stdout + built.stderr


def _source(folder):
    """The package's sources copied to `folder`/source, without anything built."""
    source = folder / "source"
    for name in ("validator", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    for name in ("setup.py", "setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    return source


def _run(unpacked, *args) -> subprocess.CompletedProcess:
    """`formcheck ARGS` from an unpacked wheel, its dependencies from this environment."""
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    env.pop("FORMCHECK_NATIVE", None)
    return subprocess.run(
        [sys.executable, "-m", "validator", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=unpacked,
    )


def test_without_a_compiler_the_python_path_serves_with_the_same_answers(tmp_path):
    wheel, said = _wheel(tmp_path / "plain", CC="/bin/false", FORMCHECK_REQUIRE_NATIVE="0")
    assert "intake's native pass not built" in said
    with zipfile.ZipFile(wheel) as archive:
        assert not [name for name in archive.namelist() if "_scan" in name and not name.endswith(".c")]
        archive.extractall(tmp_path / "plain" / "unpacked")
    plain = _run(tmp_path / "plain" / "unpacked", "check", SAMPLES / "as_filed.xlsx", "--lang", "en")
    probe = "from validator.read import native; print(native.path())"
    path = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path / "plain" / "unpacked"
    )
    assert path.stdout.strip() == "python"
    version = _run(tmp_path / "plain" / "unpacked", "--version").stdout
    assert version.endswith(
        "intake: the Python path (the native pass was not built: no C compiler or Python headers at install)\n"
    )
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        return
    wheel, _ = _wheel(tmp_path / "native")
    with zipfile.ZipFile(wheel) as archive:
        assert [name for name in archive.namelist() if name.startswith("validator/read/_scan.")]
        archive.extractall(tmp_path / "native" / "unpacked")
    built = _run(tmp_path / "native" / "unpacked", "check", SAMPLES / "as_filed.xlsx", "--lang", "en")
    path = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path / "native" / "unpacked"
    )
    assert path.stdout.strip() == "native"
    assert _run(tmp_path / "native" / "unpacked", "--version").stdout.endswith("; intake: the native pass\n")
    assert (plain.returncode, plain.stdout) == (built.returncode, built.stdout)
    assert plain.returncode == 1 and "9 failed" in plain.stdout


def test_a_build_required_to_be_native_fails_without_a_compiler(tmp_path):
    """CI's FORMCHECK_REQUIRE_NATIVE=1: no silent fall back to the Python path."""
    source = _source(tmp_path)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "CC": "/bin/false", "FORMCHECK_REQUIRE_NATIVE": "1"},
        timeout=600,
    )
    assert built.returncode != 0 and not list(tmp_path.glob("*.whl"))
