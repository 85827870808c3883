"""Makes the benchmark's inputs: N returns with varied figures, and one return with a large case register.

    python bench/generate.py --returns 1000 --out bench/out

Files already there with the same parameters are kept, so repeated benchmark runs start at once.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from validator.report.template import register_for, scale_figures, write_return  # noqa: E402
from validator.rules.pack import load_pack  # noqa: E402

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def clean() -> dict:
    return yaml.safe_load((ROOT / "samples" / "data" / "clean.yaml").read_text(encoding="utf-8"))


def returns(folder: Path, count: int, seed: int = 7) -> list:
    """`count` returns of made-up units, figures scaled 0.05–3× from the clean sample."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "made.json"
    wanted = {"count": count, "seed": seed}
    paths = [folder / f"return_{i:05d}.xlsx" for i in range(count)]
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and all(p.exists() for p in paths):
        return paths
    pack, base, rng = load_pack(), clean(), random.Random(seed)
    for i, path in enumerate(paths):
        write_return(str(path), pack, scale_figures(base, f"测试单位{i:05d}", rng.uniform(0.05, 3.0)))
    stamp.write_text(json.dumps(wanted))
    return paths


def register_return(path: Path, rows: int) -> Path:
    """The clean return with a case register of about `rows` cases (figures scaled to match)."""
    stamp = path.with_suffix(".json")
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == {"rows": rows}:
        return path
    base = clean()
    per_factor = len(register_for(base, "X"))
    figures = scale_figures(base, "湘乡市应急管理局", rows / per_factor)
    figures["forms"]["case_register"] = {"rows": register_for(figures, "BIG")}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(str(path), load_pack(), figures)
    stamp.write_text(json.dumps({"rows": rows}))
    return path


def large_register_return(path: Path, rows: int) -> Path:
    """The same return with a register of about `rows` cases, for 300,000 and 1,000,000: written
    with a one-case register by write_return, whose register sheet is then written again case by
    case straight into the archive (a workbook writer would hold every cell of a million rows in
    memory), its texts added to the shared-strings table as Excel and WPS write them."""
    import datetime
    import zipfile
    from xml.sax.saxutils import escape

    from validator.report.template import register_rows

    stamp = path.with_suffix(".json")
    if (
        path.exists()
        and stamp.exists()
        and json.loads(stamp.read_text()) == {"rows": rows, "text": "shared", "drafted": "xlsxwriter"}
    ):
        return path
    base = clean()
    figures = scale_figures(base, "湘乡市应急管理局", rows / len(register_for(base, "X")))
    small = dict(figures, forms={**figures["forms"], "case_register": {"rows": register_for(base, "BIG")[:1]}})
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_suffix(".draft.xlsx")
    write_return(str(draft), load_pack(), small)
    epoch = datetime.date(1899, 12, 30)

    with zipfile.ZipFile(draft) as source:
        table = source.read("xl/sharedStrings.xml").decode("utf-8")
        sheet_xml = source.read("xl/worksheets/sheet5.xml").decode("utf-8")
    known = re.findall(r"<si>.*?</si>", table, re.S)  # the draft's own texts keep their indices
    first = sheet_xml[sheet_xml.index('<row r="6"') : sheet_xml.index("</row>", sheet_xml.index('<row r="6"'))]
    style = dict(re.findall(r'<c r="([A-F])6" s="(\d+)"', first))  # the one case's cells' formats
    shared: dict = {}  # text -> index in the shared-strings table

    def text(value: str) -> str:
        return str(len(known) + shared.setdefault(value, len(shared)))

    def row_xml(number: int, case: dict) -> str:
        r = number + 5  # the first case is on row 6, below the header block
        fine = f"<v>{case['fine']}</v>" if case["fine"] is not None else ""
        return (
            f'<row r="{r}"><c r="A{r}" s="{style["A"]}"><v>{number}</v></c>'
            f'<c r="B{r}" s="{style["B"]}" t="s"><v>{text(case["case_no"])}</v></c>'
            f'<c r="C{r}" s="{style["C"]}" t="s"><v>{text(case["category"])}</v></c>'
            f'<c r="D{r}" s="{style["D"]}"><v>{(case["concluded"] - epoch).days}</v></c>'
            f'<c r="E{r}" s="{style["E"]}" t="s"><v>{text(case["enterprise"])}</v></c>'
            f'<c r="F{r}" s="{style["F"]}">{fine}</c></row>'
        )

    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in ("xl/worksheets/sheet5.xml", "xl/sharedStrings.xml"):
                target.writestr(item, source.read(item.filename))
        head, tail = sheet_xml[: sheet_xml.index('<row r="6"')], sheet_xml[sheet_xml.index("</sheetData>") :]
        with target.open("xl/worksheets/sheet5.xml", "w") as sheet:
            sheet.write(head.encode("utf-8"))
            block: list = []
            for number, case in enumerate(register_rows(figures, "BIG"), 1):
                block.append(row_xml(number, case))
                if len(block) == 10_000:
                    sheet.write("".join(block).encode("utf-8"))
                    block = []
            sheet.write(("".join(block) + tail).encode("utf-8"))
        with target.open("xl/sharedStrings.xml", "w") as strings:
            count = len(known) + len(shared)
            strings.write(f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">'.encode())
            strings.write("".join(known).encode("utf-8"))
            for value in shared:
                strings.write(f"<si><t>{escape(value)}</t></si>".encode("utf-8"))
            strings.write(b"</sst>")
    draft.unlink()
    stamp.write_text(json.dumps({"rows": rows, "text": "shared", "drafted": "xlsxwriter"}))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--register-rows", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    out = Path(args.out)
    print(len(returns(out / f"returns_{args.returns}", args.returns)), "returns")
    print(register_return(out / "register" / f"register_{args.register_rows}.xlsx", args.register_rows))


if __name__ == "__main__":
    main()
