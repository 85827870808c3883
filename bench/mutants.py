"""Mutants of the sample returns through the real commands: every one must get an answer — a
report, a refusal naming what is wrong, a copy or a reason for none — and never an internal error.

    python bench/mutants.py                   # 600 mutants, seed 1
    python bench/mutants.py --count 2000 --seed 7 --annotate 200

Each mutant is a sample return (samples/*.xlsx, samples/batch/*.xlsx, a 300-case register, and
samples/clean.xls and clean.ods, a third of them) with
one to three edits inside a part — a range of bytes deleted or repeated, a byte changed, a cell
inserted (past the caps, a string index past the table, a formula, an error value), a number, a
text or an attribute changed, two values swapped — zipped again with good checksums, or with a
few raw bytes of the file changed. They are checked in one `formcheck batch`, and the first
`--annotate` of them with `check --annotate`; the mutants stay in bench/out/mutants/seed_N/ and
those that got an internal error or a traceback are listed. This found a shared-string index of -1
crashing intake, sheets whose damaged XML python-calamine read without a word, and the annotated
copy failing on covered cells and on workbooks openpyxl will not load. The batch runs twice, on
intake's native pass and on its Python path (FORMCHECK_NATIVE=0), and a finding one gives and the
other not is listed too. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import register_return  # noqa: E402

CELLS = [
    b'<c r="A1" t="s"><v>99999</v></c>', b'<c r="N14" t="s"><v>-1</v></c>', b'<c r="B2"><v>1e308</v></c>',
    b'<c r="D4" t="b"><v>1</v></c>', b'<c r="E5" t="e"><v>#DIV/0!</v></c>', b'<c r="F6"><f>SUM(A1:A2)</f></c>',
    b'<c r="G7" t="inlineStr"><is><t>-</t></is></c>', b'<c r="H8"><v>NaN</v></c>', b'<mergeCell ref="A1:C3"/>',
    b'<c r="J10" s="9999"><v>45000</v></c>', b'<c r="M13" t="n"><v></v></c>', b'<row r="0">', b"</row>",
    b'<c r="XFD1"><v>1</v></c>', b'<c r="A1048576"><v>1</v></c>', b"&#0;", b"<![CDATA[x]]>",
]  # fmt: skip
TEXTS = ["合计", "", " ", "—", "无", "1,234.5", "12%", "+10.9%", "序号", "填报单位:", "2024年", "x" * 300, "\u200b"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One edit of a part's XML."""
    if not data:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randrange(1, 200))
    kind = rng.randrange(8)
    if kind == 0:
        return data[:start] + data[end:]
    if kind == 1:
        return data[:start] + data[start:end] + data[start:]
    if kind == 2:
        return data[:start] + bytes([rng.randrange(256)]) + data[start + 1 :]
    if kind == 3:
        after = data.find(b">", start) + 1 or start
        return data[:after] + rng.choice(CELLS) + data[after:]
    return _replace(data, rng, kind)


def _replace(data: bytes, rng: random.Random, kind: int) -> bytes:
    pattern = {4: rb"\d+", 5: rb"<v>[^<]*</v>", 6: rb'\s\w+="[^"]*"'}.get(kind, rb">[^<]{1,40}<")
    found = list(re.finditer(pattern, data))
    if not found:
        return data
    match = rng.choice(found)
    if kind == 4:
        new = str(rng.choice([0, 1, -1, 10**9, 10**20, rng.randrange(10**6)])).encode()
    elif kind == 5:
        new = rng.choice(found).group()
    elif kind == 6:
        new = b""
    else:
        new = b">" + rng.choice(TEXTS).encode() + b"<"
    return data[: match.start()] + new + data[match.end() :]


ODS_CELLS = [
    b'<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value="1" office:value-type="float"/></table:table-row>',
    b'<table:table-cell table:number-columns-repeated="20000" office:value-type="float" office:value="1"/>',
    b'<table:table-cell table:number-columns-spanned="9999" table:number-rows-spanned="9999"/>',
    b'<table:table-cell table:formula="of:=1/0"/>', b'<table:table-cell office:value-type="percentage" office:value="x"/>',
    b'<table:table-row table:number-rows-repeated="-5"/>', b'<table:covered-table-cell office:value="3"/>',
]  # fmt: skip


def make_xls(seed: Path, target: Path, rng: random.Random) -> None:
    """Bytes of an .xls changed, most inside its Workbook stream: a record's type or length, a
    cell's row, column or string index, a piece deleted or repeated."""
    raw = bytearray(seed.read_bytes())
    start = 1536 if rng.random() < 0.8 else 0  # where LibreOffice puts the Workbook stream
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(start, len(raw))
        kind = rng.randrange(4)
        if kind == 0:
            raw[at] = rng.randrange(256)
        elif kind == 1:
            raw[at : at + 2] = rng.choice([b"\xff\xff", b"\x00\x00", b"\x2f\x00", b"\x00\x20"])
        elif kind == 2:
            del raw[at : at + rng.randrange(1, 64)]
        else:
            raw[at:at] = raw[at : at + rng.randrange(1, 64)]
    target.write_bytes(bytes(raw))


def make(seed: Path, target: Path, rng: random.Random) -> None:
    if seed.suffix == ".xls":
        make_xls(seed, target, rng)
        return
    if rng.random() < 0.15:  # raw bytes changed: the checksums no longer match
        raw = bytearray(seed.read_bytes())
        for _ in range(rng.randrange(1, 6)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        target.write_bytes(bytes(raw))
        return
    with zipfile.ZipFile(seed) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    names = [name for name in parts if name.endswith((".xml", ".rels"))]
    weights = [
        5 if "worksheets" in name or name == "content.xml" else 3 if "sharedStrings" in name else 1 for name in names
    ]
    for _ in range(rng.randrange(1, 4)):
        name = rng.choices(names, weights)[0]
        parts[name] = mutate(parts[name], rng)
        if name == "content.xml" and rng.random() < 0.5:  # an .ods: repeats, spans, formulas
            at = parts[name].find(b"<table:table-row", rng.randrange(len(parts[name])))
            parts[name] = parts[name][:at] + rng.choice(ODS_CELLS) + parts[name][at:] if at > 0 else parts[name]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():  # an .ods keeps its mimetype first and stored
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else None)
    target.write_bytes(buffer.getvalue())


def formcheck(*args, path: str = "native") -> subprocess.CompletedProcess:
    """The real command, on intake's native pass where it is built, or (path "python") without it."""
    env = {**os.environ, "FORMCHECK_NATIVE": "0" if path == "python" else "1"}
    return subprocess.run([sys.executable, "-m", "validator", *map(str, args)], capture_output=True, text=True, env=env)


def broke(done: subprocess.CompletedProcess) -> bool:
    return "Traceback" in done.stderr or "内部错误" in done.stderr or "内部出错" in done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--annotate", type=int, default=100, help="how many mutants also go through check --annotate")
    args = parser.parse_args()
    out = ROOT / "bench" / "out" / "mutants"
    folder = out / f"seed_{args.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted([*ROOT.glob("samples/*.xlsx"), *ROOT.glob("samples/batch/*.xlsx")])
    seeds.append(register_return(out / "register_300.xlsx", 300))
    seeds += [ROOT / "samples" / "clean.xls", ROOT / "samples" / "clean.ods"] * max(1, len(seeds) // 4)
    rng = random.Random(args.seed)
    mutants = []
    for number in range(args.count):
        seed = rng.choice(seeds)
        mutants.append(folder / f"m{number:05d}{seed.suffix}")
        make(seed, mutants[-1], rng)
    bad, reports = [], {}
    for path in ("native", "python"):  # intake's two paths: the same answer for every mutant
        written = out / f"seed_{args.seed}_{path}.json"
        done = formcheck("batch", folder, "--format", "json", "-o", written, path=path)
        if broke(done):
            bad.append((f"batch ({path})", done.stderr.strip()[-300:]))
            continue
        reports[path] = json.loads(written.read_text(encoding="utf-8"))["findings"]
        bad += [(f["file"], f["message"]) for f in reports[path] if "内部出错" in f["message"]]
    if len(reports) == 2:
        differ = [f for f in reports["native"] if f not in reports["python"]]
        differ += [f for f in reports["python"] if f not in reports["native"]]
        bad += [(f"{f['file']} (one path only)", f["message"]) for f in differ]
    for target in mutants[: args.annotate]:
        done = formcheck("check", target, "--annotate", out / "copy.xlsx", "-o", "/dev/null")
        if broke(done):
            bad.append((str(target), done.stderr.strip()[-300:]))
    print(
        f"{args.count} mutants (seed {args.seed}) through batch on intake's native and Python paths, "
        f"{min(args.annotate, args.count)} annotated: {len(bad)} broke or differ"
    )
    for where, said in bad:
        print(f"  {where}: {said}")


if __name__ == "__main__":
    main()
