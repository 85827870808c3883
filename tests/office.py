"""LibreOffice headless, for tests that need a workbook as a real spreadsheet program saves it:
`convert` re-saves files in another format, each run with a profile of its own (a shared one
locks up). Tests that use it are skipped where there is no soffice, unless
FORMCHECK_REQUIRE_OFFICE is set (.ci/run installs LibreOffice and sets it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
}


def needed() -> None:
    """Skip the calling test where LibreOffice is absent and not required."""
    if SOFFICE is None and not os.environ.get("FORMCHECK_REQUIRE_OFFICE"):
        pytest.skip("no LibreOffice here (.ci/run installs it)")


def convert(paths: list, kind: str, folder: Path) -> list:
    """The files re-saved by LibreOffice as `kind` (xlsx, xls, ods) into `folder`, in order."""
    assert SOFFICE is not None, "FORMCHECK_REQUIRE_OFFICE is set but there is no soffice"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="formcheck-office-") as profile:
        command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        command += ["--convert-to", FILTERS[kind], "--outdir", str(folder), *map(str, paths)]
        subprocess.run(command, check=True, capture_output=True, timeout=240)
    converted = [folder / f"{Path(path).stem}.{kind}" for path in paths]
    missing = [str(path) for path in converted if not path.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return converted
