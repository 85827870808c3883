"""The documentation: the README short and pointing into docs/, the site building strictly (every
page in the nav, every link and picture found), every picture a page shows present."""

import os
import re
import subprocess
import sys

from conftest import ROOT


def test_the_readme_is_short_and_its_links_and_pictures_are_there():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        assert (ROOT / target).exists(), target


def test_the_site_builds_strictly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = {path.relative_to(tmp_path / "site").parts[0] for path in (tmp_path / "site").rglob("index.html")}
    assert pages >= {"index.html", "web", "checking", "reviewing", "ci", "packs", "json", "security", "performance"}
    for page in (ROOT / "docs").glob("*.md"):
        for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
            assert (ROOT / "docs" / picture).exists(), (page.name, picture)
