"""Renders what formcheck writes for people to look at — the annotated copy of the as-filed sample,
that copy annotated again after the clerk fixed two cells in it, the blank template, the sample
city's summary workbook — through LibreOffice headless to PNG pages
in docs/pictures/, installing LibreOffice and the CJK fonts from the system's packages if absent.

    python bench/render.py

Look at the pictures before calling a change to a workbook writer done.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "pictures"
PACKAGES = ["libreoffice-calc-nogui", "fonts-noto-cjk", "poppler-utils"]


def ensure_tools() -> None:
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        return
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True)


def formcheck(writes: Path, *args) -> None:
    """Runs formcheck; its exit status says whether the return passed, so a missing output is the failure."""
    result = subprocess.run([sys.executable, "-m", "validator", *map(str, args)], cwd=ROOT, capture_output=True)
    if not writes.exists():
        sys.exit(
            f"formcheck {args[0]} wrote no {writes.name} (is formcheck installed in this Python?)\n{result.stderr.decode()}"
        )


def render(workbook: Path, name: str, pages: int, folder: Path) -> list:
    profile = folder / "profile"  # a fresh profile per run: a shared one locks up
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / f"{workbook.stem}.pdf"
    for old in OUT.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages), str(pdf), str(OUT / name)], check=True)
    for page in OUT.glob(f"{name}-*.png"):  # pdftoppm pads the number as long as the PDF's page count
        page.rename(OUT / f"{name}-{int(page.stem.rsplit('-', 1)[1])}.png")
    return sorted(OUT.glob(f"{name}-*.png"))


def reannotated(annotated: Path, folder: Path) -> Path:
    """The clerk's second round: 表2's two impossible 同比 (O8, Q8) put right in the annotated copy
    itself, which is checked and annotated again."""
    import openpyxl

    book = openpyxl.load_workbook(annotated)
    book["表2"]["O8"], book["表2"]["Q8"] = "—", "—"
    fixed, again = folder / "fixed.xlsx", folder / "reannotated.xlsx"
    book.save(fixed)
    formcheck(again, "check", fixed, "--annotate", again)
    return again


def main() -> None:
    ensure_tools()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        annotated, template, summary = folder / "annotated.xlsx", folder / "template.xlsx", folder / "summary.xlsx"
        formcheck(annotated, "check", ROOT / "samples" / "as_filed.xlsx", "--annotate", annotated)
        formcheck(template, "template", template, "--year", "2024", "--unit", "某县应急管理局")
        batch = ROOT / "samples" / "batch"
        formcheck(
            summary,
            "batch",
            batch,
            "--registry",
            batch / "units.yaml",
            "--treasury",
            batch / "treasury.csv",
            "--previous",
            batch / "previous",
            "--summary",
            summary,
        )
        again = reannotated(annotated, folder)
        written = render(annotated, "annotated", 2, folder) + render(template, "template", 1, folder)
        written += render(again, "reannotated", 3, folder)
        written += render(summary, "summary", 2, folder)
    print("\n".join(str(path.relative_to(ROOT)) for path in written))


if __name__ == "__main__":
    main()
