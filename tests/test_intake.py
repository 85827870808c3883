"""intake: what it lets through, what it refuses, and the archive it hands the reader.

A sheet's extent guards the dense-grid reader, so its measurement must be exact, never low, for
every spelling XML allows; the reader must get exactly the parts intake measured."""

import zipfile
from pathlib import Path

import pytest
from conftest import formcheck
from hostile_corpus import formula_never_calculated, stray_far_cell

from validator.read import sheetscan
from validator.read.gate import inspect
from validator.read.intake import Limits, Refused
from validator.read.zipview import central_directory as _central_directory

pytestmark = pytest.mark.usefixtures("intake_path")  # every case on both paths (conftest)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# caps below the defaults, for the tests of how a sheet's extent is measured: the defaults admit
# all the rows Excel holds (a register of a million cases), so a far row is caught only by a tighter cap
TIGHT = Limits(max_rows=200_000, max_cells=5_000_000)


@pytest.mark.parametrize(
    "xml, widest",
    [
        (b'<row r="1"><c r="A1"/><c r="G1"/></row>', 7),
        (b'<row r="9"><c r="Z9"/></row>', 26),
        (b'<c r="AB5"/><c r="Z1"/>', 28),
        (b'<c r="ZZ5"/>', 702),
        (b'<c r="XFD1048576"/>', 16384),
        (b"<sheetData/>", 0),
    ],
)
def test_widest_column(xml, widest):
    assert sheetscan._widest(xml) == widest


@pytest.mark.parametrize(
    "xml, holds",
    [
        (b'<c r="B2"><f>SUM(B3:B9)</f><v>5</v></c>', True),
        (b'<x:c r="B2"><x:f>B3*2</x:f></x:c>', True),
        (b'<c r="B4"><f t="shared" si="0"/></c>', True),
        (b'<c r="B4"><f\tt="shared" ref="B4:B9" si="0">B3+1</f></c>', True),
        (b'<sheetFormatPr defaultRowHeight="15"/><c r="F2" t="inlineStr"><is><t>of the fee</t></is></c>', False),
        (b'<c r="A1" t="inlineStr"><is><t>Jeff &amp; self</t></is></c><filterColumn colId="0"/>', False),
    ],
)
def test_a_formula_element_is_found_with_or_without_a_prefix(xml, holds):
    assert sheetscan.may_hold_formula(xml) is holds


def test_row_numbers_are_found_in_any_attribute_order_and_in_cells():
    assert sheetscan._highest_row(b'<row spans="1:3" r="12"><c r="A12"/></row><x:row ht="15" r="1048576"/>') == 1048576
    # a cell placed beyond its row element, its number written with leading zeros
    assert sheetscan._highest_row(b'<row r="1"><c r="XFD0001048577" t="n"><v>1</v></c></row>') == 1048577


# Every spelling of a far cell XML allows is measured the same: the spreadsheet programs' own by
# searches, any other by a full parse placing each cell as python-calamine does.
FAR = "XFD1048576"


@pytest.mark.parametrize(
    "cells",
    [
        [f'<row r="1"><c r="{FAR}" t="n"><v>1</v></c></row>'],  # a cell beyond its row
        [f"<row r='1'><c r='{FAR}' t='n'><v>1</v></c></row>"],  # single quotes
        [f'<row r = "1"><c r = "{FAR}"><v>1</v></c></row>'],  # spaces around =
        [f'<row r="1"><c r="A1" r="{FAR}"><v>1</v></c></row>'],  # r given twice (the reader takes the last)
        ['<row r="1"><c r="&#88;FD1048576"><v>1</v></c></row>'],  # a character reference
        [f'<row r="1"><c s="0" r="{FAR}"><v>1</v></c></row>'],  # r not first
        [f'<row r="1"><c\tr="{FAR}"><v>1</v></c></row>'],  # a tab before it
        ["<row/>" * 1_048_575 + "<row><c/></row>"],  # rows without references
        ['<row r="1">' + "<c/>" * 16_384 + "</row>"],  # cells without references
    ],
)
def test_a_far_cell_is_found_however_it_is_spelt(tmp_path, cells):
    path = _sheet_zip(tmp_path / "far.xlsx", cells)
    with pytest.raises(Refused) as caught:
        inspect(str(path), TIGHT)
    assert caught.value.key in ("too_many_rows", "too_many_columns"), caught.value.params
    assert caught.value.params["sheet"] == "表1"


def test_a_prefixed_sheet_is_measured_by_parsing(tmp_path):
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    path = _sheet_zip(
        tmp_path / "prefixed.xlsx",
        [],
        root=f'<x:worksheet {ns}><x:sheetData><x:row r="1">'
        f'<x:c r="A1"/></x:row><x:row r="300000"><x:c r="B300000"/></x:row></x:sheetData></x:worksheet>',
    )
    with pytest.raises(Refused) as caught:
        inspect(str(path), TIGHT)
    assert (caught.value.key, caught.value.params) == (
        "too_many_rows",
        {"sheet": "表1", "count": 300000, "cap": 200_000},
    )


def test_a_document_type_in_a_sheet_is_refused(tmp_path):
    path = _sheet_zip(tmp_path / "dtd.xlsx", ['<row r="1"><c r="A1"><v>1</v></c></row>'])
    data = path.read_bytes()
    with zipfile.ZipFile(path) as source:
        parts = [(i.filename, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts:
            if name.endswith("sheet1.xml"):
                data = b'<!DOCTYPE w [<!ENTITY far "XFD1048576">]>' + data
            target.writestr(name, data)
    with pytest.raises(Refused) as caught:
        inspect(str(path))
    assert caught.value.key == "unsafe_xml"


def test_far_cell_is_caught(tmp_path):
    with pytest.raises(Refused) as caught:
        inspect(str(stray_far_cell(tmp_path)), TIGHT)
    assert (caught.value.key, caught.value.params) == (
        "too_many_rows",
        {"sheet": "表1", "count": 1048576, "cap": 200_000},
    )
    with pytest.raises(Refused) as caught:  # with the default caps, its column is too far
        inspect(str(stray_far_cell(tmp_path)))
    assert (caught.value.key, caught.value.params) == (
        "too_many_columns",
        {"sheet": "表1", "count": 16384, "cap": 1000},
    )


@pytest.mark.parametrize("child", ["measures", "dies"])
def test_a_large_sheet_measured_in_a_child_gives_the_same_answers(tmp_path, monkeypatch, child):
    """intake measures a sheet of 32 MB or more in a child while it counts the strings; every
    sheet is large here. A child that dies leaves the measuring to intake itself."""
    import os
    import signal

    from validator.read import intake

    with inspect(str(SAMPLES / "clean.xlsx")) as found:
        measured_here = [(s.name, s.max_column) for s in found.sheets]
    monkeypatch.setattr(intake, "BESIDE", 0)
    measured_by = tmp_path / "pids"
    measure = intake._measure

    def in_child(job):
        with open(measured_by, "a") as pids:
            pids.write(f"{os.getpid()}\n")
        return measure(job) if child == "measures" else os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(intake, "_measure", in_child)
    with pytest.raises(Refused) as caught:
        inspect(str(stray_far_cell(tmp_path)))
    assert (caught.value.key, caught.value.params) == (
        "too_many_columns",
        {"sheet": "表1", "count": 16384, "cap": 1000},
    )
    doctype = _sheet_zip(tmp_path / "dtd.xlsx", [], root='<!DOCTYPE w [<!ENTITY far "XFD1048576">]><worksheet/>')
    with pytest.raises(Refused) as caught:
        inspect(str(doctype))
    assert caught.value.key == "unsafe_xml"
    with inspect(str(SAMPLES / "clean.xlsx")) as found:
        assert [(s.name, s.max_column) for s in found.sheets] == measured_here
    pids = set(measured_by.read_text().split())
    assert pids and str(os.getpid()) not in pids


@pytest.mark.parametrize("child", ["parses", "dies"])
def test_a_large_part_parsed_beside_the_read_is_refused_when_the_work_ends(tmp_path, monkeypatch, child):
    """A part of 4 MB or more is parsed in a child while the reader reads (every part is large
    here): its damage refuses the workbook when the inspection ends, and a child that dies leaves
    the parse to intake, on the part as the reader's archive holds it."""
    import os
    import signal

    from validator.read import wellformed

    monkeypatch.setattr(wellformed, "BESIDE", 0)
    parent, parse = os.getpid(), wellformed.damage

    def in_child(xml):
        if child == "dies" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return parse(xml)

    monkeypatch.setattr(wellformed, "damage", in_child)
    damaged = _sheet_zip(tmp_path / "damaged.xlsx", ['<row r="1"><c r="B1" t="inlineStr"><is><t>x</t></rs></c></row>'])
    inspection = inspect(str(damaged))  # the parse goes on beside
    with pytest.raises(Refused) as caught, inspection:
        assert [s.name for s in inspection.sheets] == ["表1"]
    assert (caught.value.key, caught.value.params["member"], caught.value.params["damage"].said.render("zh")) == (
        "damaged_sheet",
        "xl/worksheets/sheet1.xml",
        "标记不配对,在单元格 B1 处或其后",
    )
    with inspect(str(SAMPLES / "clean.xlsx")) as found:
        assert len(found.sheets) == 4


def test_uncalculated_formula_is_found(tmp_path):
    assert inspect(str(formula_never_calculated(tmp_path))).uncached("表4") == {(6, 4)}


def test_a_member_compressed_without_a_bound_is_inflated_against_the_cap(tmp_path):
    path = tmp_path / "bzip2_bomb.xlsx"
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as original, zipfile.ZipFile(path, "w") as bomb:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data += b" " * (8 << 20)  # white space after the root: still XML, 8 MB of it
            bomb.writestr(info.filename, data, compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(Refused) as caught:
        inspect(str(path), Limits(max_inflated_mb=4))
    assert (caught.value.key, caught.value.params) == ("too_big", {"cap": 4})


def test_a_part_no_reader_reads_is_never_inflated(tmp_path):
    """A picture of 1 GiB of zeros is not read: it is not in the archive the reader gets."""
    from hostile_corpus import zip_bomb

    with inspect(str(zip_bomb(tmp_path))) as found, zipfile.ZipFile(found.source()) as given:
        assert "xl/media/image1.png" not in given.namelist()


def _sheet_zip(path: Path, rows, after: str = "", root: str = "") -> Path:
    """A workbook of one sheet whose XML is the given rows, by hand: what no spreadsheet writes."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rels = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} {rel}><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships {rels}><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            root or f"<worksheet {ns}><sheetData>{''.join(rows)}</sheetData>{after}</worksheet>",
        )
    return path


def test_rows_before_a_sheet_widens_are_counted_at_its_full_width(tmp_path):
    # 60,000 rows of one column pass the caps; a cell in column CV (100), written last, makes them
    # 6,000,000 cells
    order = [*range(30_001, 60_001), *range(1, 30_001)]
    rows = [f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c></row>' for r in order]
    path = _sheet_zip(tmp_path / "widens.xlsx", rows + ['<row r="2"><c r="CV2" t="n"><v>1</v></c></row>'])
    with pytest.raises(Refused) as caught:
        inspect(str(path), TIGHT)
    assert (caught.value.key, caught.value.params) == (
        "too_many_cells",
        {"sheet": "表1", "count": 6_000_000, "cap": 5_000_000},
    )


def test_a_high_row_before_the_sheet_widens_is_counted_though_a_later_row_passes_the_caps(tmp_path):
    # row 1,048,576 in column A passes the caps at one column; column ALL (1,000) comes 64 KB later
    # and row 20,000 after it: the count is of the highest row, whatever passed the caps first
    pad = '<row r="2"><c r="B2" t="inlineStr"><is><t>' + "x" * 70_000 + "</t></is></c></row>"
    rows = ['<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>', pad]
    rows += ['<row r="3"><c r="ALL3" t="n"><v>1</v></c></row>', pad, '<row r="20000"><c r="A20000"/></row>']
    with pytest.raises(Refused) as caught:
        inspect(str(_sheet_zip(tmp_path / "late.xlsx", rows)))
    assert (caught.value.key, caught.value.params) == (
        "too_many_cells",
        {"sheet": "表1", "count": 1_048_576_000, "cap": 10_000_000},
    )


def test_a_large_number_in_another_attribute_is_no_row(tmp_path):
    # Excel and WPS write firstPageNumber="4294967295" (that is, -1): its "r=" is no reference
    rows = [f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c></row>' for r in range(1, 1501)]
    path = _sheet_zip(tmp_path / "pages.xlsx", rows, '<pageSetup paperSize="9" firstPageNumber="4294967295"/>')
    assert inspect(str(path)).sheets[0].name == "表1"


def test_low_caps_apply_to_a_near_sheet_too(tmp_path):
    rows = [f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c></row>' for r in range(1, 21)]
    with pytest.raises(Refused) as caught:
        inspect(str(_sheet_zip(tmp_path / "twenty.xlsx", rows)), Limits(max_rows=10))
    assert (caught.value.key, caught.value.params) == ("too_many_rows", {"sheet": "表1", "count": 20, "cap": 10})


# A small file's central directory is read with struct (intake._central_directory) only where the
# archive is plain; everything else goes to zipfile, so both must agree member for member.
def _zipfile_members(path: Path) -> list:
    with zipfile.ZipFile(path) as archive:
        return [
            (i.filename, i.flag_bits, i.compress_type, i.CRC, i.compress_size, i.file_size, i.header_offset)
            for i in archive.infolist()
        ]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_a_plain_archive_is_listed_as_zipfile_lists_it(name):
    path = SAMPLES / name
    assert [tuple(m) for m in _central_directory(path.read_bytes())] == _zipfile_members(path)


def _with_comment(path: Path) -> Path:
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = b"saved by a tool"
    return path


def _copied(path: Path, change) -> Path:
    """The sample copied member by member, each ZipInfo changed first."""
    with zipfile.ZipFile(SAMPLES / "as_filed.xlsx") as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            change(info)
            copy.writestr(info, original.read(info))
    return path


def _with_extra_field(path: Path) -> Path:
    return _copied(path, lambda info: setattr(info, "extra", b"\xfe\xca\x00\x00"))  # the marker jar tools write


def _cut_inside_the_directory(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[:-30])
    return path


@pytest.mark.parametrize(
    "make, verdict",
    [
        (_with_comment, ["表1", "表2", "表3", "表4"]),
        (_with_extra_field, ["表1", "表2", "表3", "表4"]),
        (_cut_inside_the_directory, "truncated"),
    ],
)
def test_any_other_archive_goes_to_zipfile(tmp_path, make, verdict):
    path = tmp_path / "odd.xlsx"
    path.write_bytes((SAMPLES / "as_filed.xlsx").read_bytes())
    make(path)
    assert _central_directory(path.read_bytes()) is None
    try:
        found = [s.name for s in inspect(path).sheets]
    except Refused as refusal:
        found = refusal.key
    assert found == verdict


def test_a_member_said_to_start_past_the_end_of_the_file_is_damaged_not_a_crash(tmp_path):
    content = bytearray((SAMPLES / "as_filed.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = content.rindex(name) - 46  # its central directory entry: the name follows 46 bytes of fields
    assert content[entry : entry + 4] == b"PK\x01\x02"
    content[entry + 42 : entry + 46] = (len(content) + 1000).to_bytes(4, "little")  # where its local header starts
    path = tmp_path / "offset.xlsx"
    path.write_bytes(bytes(content))
    with pytest.raises(Refused) as refused:
        inspect(str(path))
    assert refused.value.key == "damaged"


# The reader gets a fresh archive of exactly the parts intake read, stored.
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_the_reader_gets_the_parts_intake_read_stored_and_reads_the_same_grids(name):
    from python_calamine import CalamineWorkbook

    path = SAMPLES / name
    found = inspect(str(path))
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(found.source()) as given:
        assert given.testzip() is None  # every member's CRC holds
        assert all(info.compress_type == zipfile.ZIP_STORED for info in given.infolist())
        assert all(given.read(name) == original.read(name) for name in given.namelist())
        assert {s.member for s in found.sheets} | {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= set(
            given.namelist()
        )
    ours, theirs = CalamineWorkbook.from_filelike(found.opened()), CalamineWorkbook.from_path(str(path))
    assert [ours.get_sheet_by_name(n).to_python() for n in ours.sheet_names] == [
        theirs.get_sheet_by_name(n).to_python() for n in theirs.sheet_names
    ]


def test_two_end_records_give_one_archive_to_both(tmp_path):
    """A second end-of-directory record appended: whichever a reader would find, it gets ours."""
    path = tmp_path / "two_ends.xlsx"
    data = (SAMPLES / "clean.xlsx").read_bytes()
    path.write_bytes(data + data[data.rindex(b"PK\x05\x06") :])
    try:
        found = inspect(str(path))
    except Refused as refusal:
        assert refusal.key in ("truncated", "damaged")
        return
    assert zipfile.ZipFile(found.source()).testzip() is None


def test_a_member_named_in_the_old_dos_code_page_keeps_its_name(tmp_path):
    path = tmp_path / "dos.xlsx"
    with zipfile.ZipFile(SAMPLES / "as_filed.xlsx") as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        copy.writestr("docProps/cafX.xml", b"<x/>")
    # "é" in code page 437, in the local header and the directory, without the UTF-8 flag
    path.write_bytes(path.read_bytes().replace(b"docProps/cafX.xml", b"docProps/caf\x82.xml"))
    assert "docProps/café.xml" in [m.filename for m in _central_directory(path.read_bytes())]
    assert [tuple(m) for m in _central_directory(path.read_bytes())] == _zipfile_members(path)
    assert [s.name for s in inspect(str(path)).sheets] == ["表1", "表2", "表3", "表4"]


# ---- damaged parts a reader would take as sound ----------------------------------------------


def _copy_clean(target: Path, edit=None, extra=(), method=zipfile.ZIP_DEFLATED) -> Path:
    """clean.xlsx member by member, `edit(name, bytes)` applied, `extra` (name, bytes) appended."""
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as source, zipfile.ZipFile(target, "w", method) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info.filename, edit(info.filename, data) if edit else data)
        for name, data in extra:
            copy.writestr(name, data)
    return target


@pytest.mark.parametrize("size", ["128", "1"], ids=["whole", "streamed"])
def test_a_member_whose_bytes_do_not_match_its_crc_is_refused(tmp_path, size):
    path = _copy_clean(tmp_path / "crc.xlsx", method=zipfile.ZIP_STORED)
    data = path.read_bytes()
    at = data.index("湘乡市应急管理局".encode())  # inside the first sheet, stored as is
    path.write_bytes(data[:at] + "湖".encode() + data[at + 3 :])  # one character changed, CRC not
    code, _, err = formcheck("check", path, "--max-size", size)
    assert code == 2
    assert err.strip() == (
        f"{path}: 无法读取: 文件已损坏: 内部文件 xl/worksheets/sheet1.xml 的校验码(CRC)与内容不符;"
        "请用 Excel 或 WPS 打开后重新保存"
    )


def test_a_member_name_given_twice_is_refused(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
        path = _copy_clean(tmp_path / "twice.xlsx", extra=[("xl/worksheets/sheet1.xml", b"<worksheet/>")])
    code, _, err = formcheck("check", path)
    assert code == 2
    assert err.strip() == (
        f"{path}: 无法读取: 文件已损坏: 内部文件 xl/worksheets/sheet1.xml 出现两次,不同软件会读到不同内容;"
        "请用 Excel 或 WPS 打开后重新保存"
    )


SHARED = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>2024 \xe5\xb9\xb4\xe8\xa1\x8c\xe6\x94\xbf\xe6\x89\xa7\xe6\xb3\x95\xe6\xa1\x88\xe4\xbb\xb6"
    b"\xe6\x95\xb0\xe6\x8d\xae\xe6\x83\x85\xe5\x86\xb5\xe7\xbb\x9f\xe8\xae\xa1\xe8\xa1\xa8</t></si></sst>"
)
SHARED_REL = (
    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _with_shared_title(tmp_path, index: bytes) -> Path:
    """clean.xlsx with 表1's title (A1) as shared string `index` of a one-string table."""

    def edit(name, data):
        if name == "xl/worksheets/sheet1.xml":
            start = data.index(b'<c r="A1"')
            end = data.index(b"</c>", start) + 4
            return data[:start] + b'<c r="A1" t="s"><v>' + index + b"</v></c>" + data[end:]
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", SHARED_REL)
        return data

    return _copy_clean(tmp_path / f"shared_{index.decode() or 'empty'}.xlsx", edit, [("xl/sharedStrings.xml", SHARED)])


def test_a_shared_string_cell_that_is_sound_reads_as_its_string(tmp_path):
    code, out, err = formcheck("check", _with_shared_title(tmp_path, b"0"), "--format", "json")
    assert code == 0, err


@pytest.mark.parametrize("size", ["128", "1"], ids=["whole", "streamed"])
@pytest.mark.parametrize("index", [b"1", b"abc", b"-1", b""])
def test_a_shared_string_index_out_of_range_or_not_a_number_is_refused(tmp_path, index, size):
    # python-calamine reads "abc" and "-1" as string 0, and an empty index shifts the row's cells
    path = _with_shared_title(tmp_path, index)
    code, _, err = formcheck("check", path, "--max-size", size)
    assert code == 2
    assert err.strip() == (
        f"{path}: 无法读取: 文件已损坏: 工作表“表1”的单元格 A1 引用第 {index.decode()} 个共享字符串,"
        "而工作簿只有 1 个;请用 Excel 或 WPS 打开后重新保存"
    )
