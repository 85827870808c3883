"""Intake's native pass (validator/read/_scan.c) against its Python reference: it is certain only
of what expat and sheetscan's searches would also say, and certain of what spreadsheet programs
write. Every other intake test runs on both paths (conftest `intake_path`); these compare the two
directly, on the sample returns, on parts each one construct at a time, and on mutants of both."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest
from conftest import BATCH, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.read import sheetscan
from validator.read.intake import Limits, Refused, SheetFacts, check_size
from validator.read.wellformed import damage, parsed_damage

try:
    from validator.read import _scan  # the extension itself, FORMCHECK_NATIVE=0 or not
except ImportError:
    _scan = None
# CI builds the extension and requires it (FORMCHECK_REQUIRE_NATIVE=1): there, its absence fails
pytestmark = pytest.mark.skipif(
    _scan is None and os.environ.get("FORMCHECK_REQUIRE_NATIVE") != "1", reason="intake's native pass was not built"
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [str(ROOT / "validator" / "read" / name) for name in ("_scan.c", "_scan_raw.c")]
CAPS = [
    Limits(),
    Limits(max_rows=100, max_columns=30, max_cells=1000),
    Limits(max_rows=5, max_columns=3, max_cells=10),
    Limits(max_rows=2_000_000, max_columns=20_000, max_cells=10**9),
]


def _parts(paths) -> list:
    found = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            found += [archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels"))]
    return found


def _with_shared_strings() -> io.BytesIO:
    """A return's first rows as Excel spells them, with shared strings and a merged title (the
    samples are written with inline strings), by XlsxWriter."""
    import xlsxwriter

    written = io.BytesIO()
    book = xlsxwriter.Workbook(written, {"in_memory": True})
    sheet = book.add_worksheet("表1")
    sheet.merge_range("A1:F1", "行政执法案件数据情况统计表")
    for row, name in enumerate(["湘乡市应急管理局", "合计", "湘乡市林业局", "合计"], start=2):
        sheet.write_row(row, 0, [name, 12, 3.5, "=B3+C3", "", "万元"])
    book.close()
    return written


def _long_sheet(rows: int = 3000) -> bytes:
    """A register's sheet of `rows` rows, long enough (about 300 KB) for sheetscan to measure it
    piece by piece."""
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>\xe6\xa1\x88 %d</t></is></c><c r="AB%d"><v>%d</v></c></row>'
        % (n, n, n, n, n)
        for n in range(1, rows + 1)
    )
    return b'<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>' + body + b"</sheetData></worksheet>"


SAMPLE_PARTS = [_long_sheet()] + _parts(
    sorted(SAMPLES.glob("*.xlsx")) + sorted(BATCH.glob("*.xlsx"))[:6] + [_with_shared_strings()]
)


def _refusal(xml: bytes, caps: Limits, scanned) -> tuple | None:
    """check_size's refusal of a sheet measured by sheetscan (scanned None) or by the native pass."""
    facts = SheetFacts("表1", "xl/worksheets/sheet1.xml")
    if scanned is None:
        extent = sheetscan.measure(xml, caps)
        facts.max_row, facts.max_column = extent.max_row, extent.max_column
    else:
        facts.max_row, facts.max_column = scanned[0], scanned[1]
    try:
        check_size(facts, caps)
    except Refused as refused:
        return refused.key, refused.params
    return None


TABLES = [sheetscan.SharedStrings(b"<sst>" + b"<si><t>x</t></si>" * n + b"</sst>") for n in (0, 4, 5000)]


def assert_agrees(xml: bytes) -> None:
    """What the native pass is certain of, the Python reference says too: well-formed; the
    extent, by check_size's verdict under several caps; the merged ranges intake counts; whether
    a formula may be held; the shared strings named, against tables of several sizes."""
    scanned = _scan.scan(xml)
    if scanned is None:
        return
    assert parsed_damage(xml) is None, xml
    max_row, max_column, merges, formula, strings = scanned
    assert merges == len(sheetscan._MERGE.findall(xml)), xml
    assert formula == sheetscan.may_hold_formula(xml), xml
    if strings is not None:
        for table in TABLES:
            assert sheetscan.strings_at(xml, strings, table) == sheetscan.strings(xml, table), xml
    if (max_row, max_column) == (-1, -1):
        return
    for caps in CAPS:
        assert _refusal(xml, caps, scanned) == _refusal(xml, caps, None), (caps, scanned, xml)


def test_every_part_spreadsheet_programs_wrote_is_certain():
    """The pass is used at all: the sample returns (openpyxl, XlsxWriter, LibreOffice) are within
    its subset, and every sheet of them is plain."""
    assert len(SAMPLE_PARTS) > 40
    for xml in SAMPLE_PARTS:
        assert _scan.scan(xml) is not None, xml[:300]
        assert_agrees(xml)
    sheets = [x for x in SAMPLE_PARTS if b"<sheetData" in x]
    assert sheets and all(_scan.scan(x)[:2] != (-1, -1) for x in sheets)
    assert any(_scan.scan(x)[4] for x in sheets), "no sheet with shared strings read natively"


UNCERTAIN = [
    b'<?xml version="1.0" encoding="GBK"?><a/>',
    b'<?xml version="1.1"?><a/>',
    b' <?xml version="1.0"?><a/>',
    b"<a><?xml version='1.0'?></a>",
    b"<!DOCTYPE a><a/>",
    b"<a><!-- a comment --></a>",
    b"<a><![CDATA[x]]></a>",
    b"<a><?pi x?></a>",
    b"<a>&nbsp;</a>",
    b"<a>&#0;</a>",
    b"<a>&#xD800;</a>",
    b"<a>&#x110000;</a>",
    b"<a>&#99999999999;</a>",
    b"<a>&amp</a>",
    b"<a>]]></a>",
    b"<a>\x00</a>",
    b"<a>\x0c</a>",
    b"<a>\xef\xbf\xbe</a>",  # U+FFFE
    b"<a>\xed\xa0\x80</a>",  # a surrogate
    b"<a>\xc0\xaf</a>",  # overlong
    b"<a>\xe4\xb8</a>",  # cut short
    b"<\xe8\xa1\xa8/>",  # a name that is not ASCII: valid, but left to expat
    b"<a></b>",
    b"<a>",
    b"<a/><b/>",
    b"x<a/>",
    b"<a/>x",
    b"",
    b'<a b="1" b="2"/>',
    b'<a b="1"c="2"/>',
    b'<a b="<"/>',
    b"<a b=1/>",
    b"</a>",
    b"<a></ a>",
    b"<" + b"<a>" * 300,
    b"<a>" * 300 + b"</a>" * 300,
    b"<a " + b" ".join(b'k%d="1"' % i for i in range(65)) + b"/>",
]


@pytest.mark.parametrize("xml", UNCERTAIN)
def test_what_is_not_certain_is_left_to_expat(xml):
    """Damaged, or outside the subset: expat judges and words it, the same with the pass or without."""
    assert _scan.scan(xml) is None
    assert damage(xml) == parsed_damage(xml)


CERTAIN = [
    (b'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<a/>', (0, 0)),
    (b"\xef\xbb\xbf<a>\xe8\xa1\xa8 &lt;&#x4E00;&#20013;\t</a>", (0, 0)),
    (b'<s><row r="12"><c r="AB12" s="1"/><c r="c0013"/></row></s>', (13, 28)),
    (b'<s><c r="XFD1048576"/><e r="A0"/></s>', (1048576, 16384)),
    (b'<s><c r="A1"/><d operator="between" header="0.3" ref="A1:ZZZ9"/></s>', (1, 1)),
    (b"<s><f>IF(A1&gt;=0,&quot;x&quot;,SUM(C5:C9))</f></s>", (0, 0)),
    (b"<s " + b" ".join(b'k%d="1"' % i for i in range(64)) + b"/>", (0, 0)),
    (b"<a>" * 256 + b"</a>" * 256, (0, 0)),
    # spelt otherwise than the searches read exactly: sheetscan measures these
    (b'<s><c  r="A1"/></s>', (-1, -1)),
    (b'<s><c s="1" r="A1"/></s>', (-1, -1)),
    (b"<s><c/></s>", (-1, -1)),
    (b"<s><row r='1'/></s>", (-1, -1)),
    (b'<s><row r ="1"/></s>', (-1, -1)),
    (b'<s><x:c r="A1"/></s>', (-1, -1)),
    (b'<s><c r="A1" x:r="B5"/></s>', (-1, -1)),
    (b'<s xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>', (0, 0)),
    (b'<s><d xr="AB5"/></s>', (-1, -1)),
    (b'<s><e r="A1B"/></s>', (-1, -1)),
    (b'<s><e r="A00000000000000000001"/></s>', (-1, -1)),
    (b'<s><e r="ABCDEFG1"/></s>', (-1, -1)),
    (b'<s><t> r="A99"</t></s>', (-1, -1)),
    (b"<s><t>x r = 5</t></s>", (-1, -1)),
    (b"<s><t>a:c b</t></s>", (-1, -1)),
    (b"<s><t>a:row/</t></s>", (-1, -1)),
    (b"<s q=' r=\"AAA9\"'/>", (-1, -1)),
    (b'<s a:c ="1"/>', (-1, -1)),
]


@pytest.mark.parametrize("xml, scanned", CERTAIN)
def test_what_the_pass_is_certain_of(xml, scanned):
    assert _scan.scan(xml)[:2] == scanned
    assert_agrees(xml)


def test_a_bytearray_and_a_memoryview_are_read_as_bytes():
    xml = b'<s><c r="B7"/></s>'
    assert _scan.scan(bytearray(xml)) == _scan.scan(memoryview(xml)) == (7, 2, 0, False, [])
    with pytest.raises(TypeError):
        _scan.scan("<s/>")


# pieces a part is cut, grown and spliced with: damage, the subset's edges, the searches' spellings
PIECES = [
    b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x10FFFF;", b"&#xD800;", b"&#65;", b"&lt", b"]]>", b"\x00",
    b"\x0c", b"\xef\xbf\xbe", b"\xed\xa0\x80", b"\xc0\x80", b"\xc2\x80", b"\xf4\x90\x80\x80", b"\xe4\xb8",
    b'"', b"'", b"=", b" r=\"A1\"", b" r='A1'", b' r ="A1"', b' r="AAAA99999"', b":c ", b":row>",
    b"<!-- x -->", b"<?pi x?>", b"<![CDATA[x]]>", b"<!DOCTYPE x>", b"</c>", b"<c>", b" ", b"\t", b'x:r="B5"',
    b' xr="AB5"', b'r="', b' r="0"', b"\xef\xbb\xbf", b'<?xml version="1.0"?>', b' t="s"', b" t='s'",
    b' t ="s"', b' t= "s"', b'"s"', b"'s'", b"<v>", b"</v>", b"mergeCell", b"mergeCell ", b"mergeCell>",
]  # fmt: skip
WHOLE = [
    b'<c r="A1"/>', b'<c r="ZZZ5"/>', b'<c r="AAAA5"/>', b'<row r="1048577"/>', b'<c r="B999999"/>',
    b'<c r="a07"/>', b'<c  r="A5"/>', b'<c s="1" r="A5"/>', b"<c/>", b"<row/>", b'<x:c r="A1"/>',
    b'<c x:r="A1"/>', b'<d xr="AB1"/>', b'<d header="AB1"/>', b'<d operator="between"/>',
    b'<t> r="A99"</t>', b"<t>x r = 5</t>", b"<t>a:c b</t>", b'<e r="XFD1048576"/>', b'<e r="XFE1"/>',
    b'<e r="A0"/>', b'<e r="1000"/>', b'<e r="999"/>', b'<e r="ZZ999"/>', b'<e r="AAA1"/>', b'<e r="AB"/>',
    b'<e r="A99999999999999999999"/>', b'<e r="ABCDEFG1"/>', b'<e r="A-1"/>', b'<e r=""/>',
    b'<c r="B2" t="s"><v>3</v></c>', b'<c r="B3" t="s"><v>4</v></c>', b'<c r="B4" t="s"><v>007</v></c>',
    b'<c r="B5" t="s"><v>99999</v></c>', b'<c r="B6" t="s"><v>-1</v></c>', b'<c r="B7" t="s"><v> 2 </v></c>',
    b'<c r="B8" t="s"><v>0000000000000000000001</v></c>', b'<c r="B9" t="s" s="1"><v>1</v></c>',
    b'<c t="s" r="B10"><v>1</v></c>', b"<c r='B11' t='s'><v>1</v></c>", b'<c r="B12" t="s"/>',
    b'<c r="B13" t="s"><is><t>1</t></is></c>', b'<mergeCell ref="A1:B2"/>', b"<mergeCells/>",
    b"<x:mergeCell/>", b"<mergeCell></mergeCell>", b"<t>mergeCell /</t>", b"<f>1</f>", b"<x:f/>", b"<a.b-c_1:f/>",
    b"<:f/>", b"<a:b:f/>", b"<xf/>", b"<f1/>", b"<t>f f</t>", b'<d t ="s"/>', b'<d a= "1"/>',
]  # fmt: skip


def mutant(rng: random.Random, xml: bytes) -> bytes:
    """A part with one to three edits: a piece put in (whole elements after a tag's end), a range
    cut out or repeated, a byte changed."""
    data = bytearray(xml)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        kind = rng.random()
        if kind < 0.35:
            end = data.find(b">", at)
            if end >= 0:
                data[end + 1 : end + 1] = rng.choice(WHOLE)
        elif kind < 0.45:
            data[at:at] = rng.choice(PIECES)
        elif kind < 0.65:
            del data[at : at + rng.randint(1, 8)]
        elif kind < 0.8 and at < len(data):
            data[at] = rng.randrange(256)
        else:
            data[at:at] = data[rng.randrange(len(data) + 1) :][: rng.randint(1, 40)]
    return bytes(data)


@settings(max_examples=1500, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(range(len(SAMPLE_PARTS))))
def test_mutants_of_real_parts_agree(rng, which):
    assert_agrees(mutant(rng, SAMPLE_PARTS[which]))


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES + WHOLE + [b"<s>", b"</s>", b"x", b"\xe8\xa1\xa8"]), max_size=12))
def test_parts_spliced_from_pieces_agree(pieces):
    assert_agrees(b"<s>" + b"".join(pieces) + b"</s>")


@pytest.mark.slow
def test_under_the_address_and_undefined_behaviour_sanitizers(tmp_path):
    """The C built with -fsanitize=address,undefined, each bad access or overflow an abort, run
    over the sample parts, the cases above and 3,000 mutants in a process of its own."""
    compiler = shutil.which("gcc")
    if compiler is None:
        if os.environ.get("FORMCHECK_REQUIRE_NATIVE") == "1":
            pytest.fail("FORMCHECK_REQUIRE_NATIVE=1 but there is no gcc for the sanitizer build")
        pytest.skip("no gcc")
    library = subprocess.run([compiler, "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    target = tmp_path / ("_scan" + sysconfig.get_config_var("EXT_SUFFIX"))
    flags = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
    built = subprocess.run(
        [compiler, *flags, "-shared", "-fPIC", f"-I{sysconfig.get_paths()['include']}", *SOURCES, "-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    script = textwrap.dedent(
        f"""
        import random, sys
        sys.path[:0] = [{str(tmp_path)!r}, {str(ROOT / "tests")!r}, {str(ROOT)!r}]
        import _scan, test_native as cases
        rng = random.Random(11)
        for xml in cases.SAMPLE_PARTS + [x for x, _ in cases.CERTAIN] + cases.UNCERTAIN:
            _scan.scan(xml)
        for _ in range(3000):
            _scan.scan(cases.mutant(rng, rng.choice(cases.SAMPLE_PARTS)))
        print("scanned")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LD_PRELOAD": library, "ASAN_OPTIONS": "detect_leaks=0", "FORMCHECK_NATIVE": "0"},
    )
    assert run.returncode == 0 and run.stdout.strip() == "scanned", run.stderr[-3000:]
