"""intake's measurement of a sheet's extent, which guards the dense-grid reader: exact, never low."""

import io
import math
import zipfile
from pathlib import Path

import pytest

from hostile_corpus import formula_never_calculated, stray_far_cell
from conftest import formcheck
from validator import intake
from validator.intake import (_FAR, Limits, _may_hold_formula, Refused, SheetFacts, _central_directory, _highest_row, _measure, _most_inflated, _widest,
                              inspect)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("xml, widest", [
    (b'<row r="1"><c r="A1"/><c r="G1"/></row>', 7),
    (b'<row r="9"><c r="Z9"/></row>', 26),
    (b'<c r="AB5"/><c r="Z1"/>', 28),
    (b'<c r="ZZ5"/>', 702),
    (b'<c r="XFD1048576"/>', 16384),
    (b'<x:c r="C3" s="1"/>', 3),
    (b'<sheetData/>', 0),
])
def test_widest_column(xml, widest):
    assert _widest(xml) == widest


@pytest.mark.parametrize("reference, far", [
    ("A1", False), ("ZZ999", False), ("AB0999", False), ("999", False), ("Z0000999", False),
    ("ABC1", True), ("xfd1", True), ("A1000", True), ("AB0001000", True), ("1000", True), ("XFD1048576", True),
])
def test_a_reference_is_far_with_three_letters_or_a_row_past_999(reference, far):
    assert (_FAR.search(f'<c r="{reference}" t="n"/>'.encode()) is not None) is far


@pytest.mark.parametrize("xml, holds", [
    (b'<c r="B2"><f>SUM(B3:B9)</f><v>5</v></c>', True),
    (b'<x:c r="B2"><x:f>B3*2</x:f></x:c>', True),
    (b'<c r="B4"><f t="shared" si="0"/></c>', True),
    (b'<c r="B4"><f\tt="shared" ref="B4:B9" si="0">B3+1</f></c>', True),
    (b'<sheetFormatPr defaultRowHeight="15"/><c r="F2" t="inlineStr"><is><t>of the fee</t></is></c>', False),
    (b'<c r="A1" t="inlineStr"><is><t>Jeff &amp; self</t></is></c><filterColumn colId="0"/>', False),
])
def test_a_formula_element_is_found_with_or_without_a_prefix(xml, holds):
    assert _may_hold_formula(xml) is holds


def test_row_numbers_are_found_in_any_attribute_order_and_in_cells():
    assert _highest_row(b'<row spans="1:3" r="12"><c r="A12"/></row><x:row ht="15" r="1048576"/>') == 1048576
    # a cell placed beyond its row element, its number written with leading zeros
    assert _highest_row(b'<row r="1"><c r="XFD0001048577" t="n"><v>1</v></c></row>') == 1048577


# Small files are judged from their compressed sizes and only their sheets inflated; others are
# streamed member by member. Both paths must reach the same verdicts.
STREAMED = Limits(max_inflated_mb=1)  # the samples' compressed sizes × 1032 exceed 1 MB


def _recompressed(source: Path, target: Path, method: int) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", compression=method) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
    return target


def test_compressed_sizes_bound_what_deflate_can_inflate(tmp_path):
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as archive:
        members = archive.infolist()
        assert _most_inflated(members) == sum(m.compress_size for m in members) * 1032
    bzipped = _recompressed(SAMPLES / "clean.xlsx", tmp_path / "bzip2.xlsx", zipfile.ZIP_BZIP2)
    with zipfile.ZipFile(bzipped) as archive:
        assert _most_inflated(archive.infolist()) == math.inf


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_far_cell_is_caught_on_both_paths(tmp_path, limits):
    with pytest.raises(Refused) as caught:
        inspect(str(stray_far_cell(tmp_path)), limits)
    assert (caught.value.key, caught.value.params) == ("too_many_rows", {"sheet": "表1", "count": 1048576, "cap": 200_000})


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_uncalculated_formula_is_found_on_both_paths(tmp_path, limits):
    found = inspect(str(formula_never_calculated(tmp_path)), limits)
    assert found.uncached("表4") == {(6, 4)}


def test_a_member_compressed_without_a_bound_is_streamed_and_counted(tmp_path):
    path = tmp_path / "bzip2_bomb.xlsx"
    with zipfile.ZipFile(SAMPLES / "clean.xlsx") as original, zipfile.ZipFile(path, "w") as bomb:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            bomb.writestr(name, original.read(name))
        bomb.writestr("xl/media/image1.png", bytes(8 << 20), compress_type=zipfile.ZIP_BZIP2)
    limits = Limits(max_inflated_mb=4)
    with zipfile.ZipFile(path) as archive:  # were it DEFLATE, its size alone would prove it harmless
        assert sum(m.compress_size for m in archive.infolist()) * 1032 < 4 << 20
    with pytest.raises(Refused) as caught:
        inspect(str(path), limits)
    assert (caught.value.key, caught.value.params) == ("too_big", {"cap": 4})


def test_a_long_sheet_measured_piece_by_piece_keeps_its_widest_column():
    facts, limits = SheetFacts("案件清单", "xl/worksheets/sheet5.xml"), Limits()
    pieces = [b'<row r="1"><c r="A1"/><c r="G1"/></row>', b'<row r="2"><c r="C2"/></row>',
              b'<row r="3"><c r="AB3"/></row>', b'<row r="4"><c r="Z4"/></row>']
    seen = []
    for piece in pieces:
        _measure(piece, facts, limits)
        seen.append(facts.max_column)
    assert seen == [7, 7, 28, 28] and facts.max_row == 0  # rows are counted only past a cap


def _sheet_zip(path: Path, rows, after: str = "") -> Path:
    """A workbook of one sheet whose XML is the given rows, by hand: what no spreadsheet writes."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rels = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships {rels}><Relationship Id="rId1" '
                         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{''.join(rows)}</sheetData>{after}</worksheet>")
    return path


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_a_cell_beyond_its_row_is_measured_by_its_own_reference(tmp_path, limits):
    # python-calamine places a cell by its own reference: this one would make a grid of 1048576 × 16384
    path = _sheet_zip(tmp_path / "beyond.xlsx", ['<row r="1"><c r="XFD1048576" t="n"><v>1</v></c></row>'])
    with pytest.raises(Refused) as caught:
        inspect(str(path), limits)
    assert (caught.value.key, caught.value.params) == ("too_many_rows", {"sheet": "表1", "count": 1048576, "cap": 200_000})


def test_rows_read_before_a_sheet_widens_are_checked_again_at_its_full_width(tmp_path):
    # 60,000 rows of one column pass the caps; a cell in column CV (100), written last, makes them
    # 6,000,000 cells. The rows come high numbers first, so the piece that widens the sheet holds
    # none past 50,000: only the pieces before it, checked at one column's width, do
    order = [*range(30_001, 60_001), *range(1, 30_001)]
    rows = [f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c></row>' for r in order]
    path = _sheet_zip(tmp_path / "widens.xlsx", rows + ['<row r="2"><c r="CV2" t="n"><v>1</v></c></row>'])
    streamed = Limits(max_inflated_mb=8)  # its 2.6 MB of XML, compressed, could inflate past 8 MB
    with zipfile.ZipFile(path) as archive:
        assert _most_inflated(archive.infolist()) > 8 << 20
    with pytest.raises(Refused) as caught:
        inspect(str(path), streamed)
    assert (caught.value.key, caught.value.params) == ("too_many_cells", {"sheet": "表1", "count": 6_000_000, "cap": 5_000_000})


@pytest.mark.parametrize("limits", [Limits(), STREAMED], ids=["whole", "streamed"])
def test_a_large_number_in_another_attribute_is_no_row(tmp_path, limits):
    # Excel and WPS write firstPageNumber="4294967295" (that is, -1): its "r=" is no reference
    rows = [f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c></row>' for r in range(1, 1501)]
    path = _sheet_zip(tmp_path / "pages.xlsx", rows, '<pageSetup paperSize="9" firstPageNumber="4294967295"/>')
    assert inspect(str(path), limits).sheets[0].name == "表1"


# A small file's central directory is read with struct (intake._central_directory) only where the
# archive is plain; everything else goes to zipfile, so both must agree member for member.
def _zipfile_members(path: Path) -> list:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.flag_bits, i.compress_type, i.CRC, i.compress_size, i.file_size, i.header_offset)
                for i in archive.infolist()]


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


@pytest.mark.parametrize("make, verdict", [
    (_with_comment, ["表1", "表2", "表3", "表4"]),
    (_with_extra_field, ["表1", "表2", "表3", "表4"]),
    (_cut_inside_the_directory, "truncated"),
])
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
    assert content[entry:entry + 4] == b"PK\x01\x02"
    content[entry + 42:entry + 46] = (len(content) + 1000).to_bytes(4, "little")  # where its local header starts
    path = tmp_path / "offset.xlsx"
    path.write_bytes(bytes(content))
    with pytest.raises(Refused) as refused:
        inspect(str(path))
    assert refused.value.key == "damaged"


# A small plain file is handed to the reader again with the members intake inflated stored inflated
# (_PlainArchive.stored), so that python-calamine does not inflate each sheet twice more.
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_the_reader_gets_every_member_as_it_came_and_the_sheets_stored(name):
    path = SAMPLES / name
    found = inspect(str(path))
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(io.BytesIO(found.content)) as given:
        assert given.testzip() is None  # every member's CRC holds
        assert given.namelist() == original.namelist()
        assert [given.read(name) for name in given.namelist()] == [original.read(name) for name in original.namelist()]
        stored = {info.filename for info in given.infolist() if info.compress_type == zipfile.ZIP_STORED}
    assert {sheet.member for sheet in found.sheets} | {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= stored


def test_an_archive_that_goes_to_zipfile_reaches_the_reader_as_it_came(tmp_path):
    path = tmp_path / "commented.xlsx"
    path.write_bytes((SAMPLES / "as_filed.xlsx").read_bytes())
    _with_comment(path)
    assert inspect(str(path)).content == path.read_bytes()


def test_past_a_cap_the_inflated_members_reach_the_reader_as_they_came(monkeypatch):
    monkeypatch.setattr(intake, "KEEP_INFLATED", 8000)  # the samples' sheets come to about 19 KB
    path = SAMPLES / "as_filed.xlsx"
    found = inspect(str(path))
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(io.BytesIO(found.content)) as given:
        assert [given.read(name) for name in given.namelist()] == [original.read(name) for name in original.namelist()]
        stored = [info for info in given.infolist() if info.compress_type == zipfile.ZIP_STORED]
        sheets = [given.getinfo(sheet.member) for sheet in found.sheets]
    assert 0 < sum(info.file_size for info in stored) <= 8000
    assert any(info.compress_type == zipfile.ZIP_DEFLATED for info in sheets)


def test_a_member_named_in_the_old_dos_code_page_keeps_its_name(tmp_path):
    path = tmp_path / "dos.xlsx"
    with zipfile.ZipFile(SAMPLES / "as_filed.xlsx") as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        copy.writestr("docProps/cafX.xml", b"<x/>")
    # "é" in code page 437, in the local header and the directory, without the UTF-8 flag
    path.write_bytes(path.read_bytes().replace(b"docProps/cafX.xml", b"docProps/caf\x82.xml"))
    found = inspect(str(path))
    with zipfile.ZipFile(io.BytesIO(found.content)) as given:
        assert given.read("docProps/café.xml") == b"<x/>"
        assert given.testzip() is None


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
    path.write_bytes(data[:at] + "湖".encode() + data[at + 3:])  # one character changed, CRC not
    code, _, err = formcheck("check", path, "--max-size", size)
    assert code == 2
    assert err.strip() == (f"{path}: 无法读取: 文件已损坏: 内部文件 xl/worksheets/sheet1.xml 的校验码(CRC)与内容不符;"
                           "请用 Excel 或 WPS 打开后重新保存")


def test_a_member_name_given_twice_is_refused(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
        path = _copy_clean(tmp_path / "twice.xlsx", extra=[("xl/worksheets/sheet1.xml", b"<worksheet/>")])
    code, _, err = formcheck("check", path)
    assert code == 2
    assert err.strip() == (f"{path}: 无法读取: 文件已损坏: 内部文件 xl/worksheets/sheet1.xml 出现两次,不同软件会读到不同内容;"
                           "请用 Excel 或 WPS 打开后重新保存")


SHARED = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
          b"<si><t>2024 \xe5\xb9\xb4\xe8\xa1\x8c\xe6\x94\xbf\xe6\x89\xa7\xe6\xb3\x95\xe6\xa1\x88\xe4\xbb\xb6"
          b"\xe6\x95\xb0\xe6\x8d\xae\xe6\x83\x85\xe5\x86\xb5\xe7\xbb\x9f\xe8\xae\xa1\xe8\xa1\xa8</t></si></sst>")
SHARED_REL = (b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


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
    assert err.strip() == (f"{path}: 无法读取: 文件已损坏: 工作表“表1”的单元格 A1 引用第 {index.decode()} 个共享字符串,"
                           "而工作簿只有 1 个;请用 Excel 或 WPS 打开后重新保存")
