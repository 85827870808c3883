"""Returns saved as .xls, .et and .ods (read/gate.py, read/legacy.py, read/biff.py, read/ods.py):
read as they are, with the same findings and cells as the same return saved as .xlsx; annotated
as a new .xlsx; their 审核说明 read; a batch mixing the formats. The hostile ones are in
hostile_legacy.py (run by test_hostile.py)."""

import json
import re
import shutil
import zipfile

import office
import openpyxl
import pytest
from conftest import BATCH, SAMPLES, check_json, formcheck

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("intake_path")]  # on both paths (conftest)


def _same_report(report: dict) -> dict:
    """A JSON report without what names the file it was made from."""
    text = json.dumps(report, ensure_ascii=False, sort_keys=True)
    for file in report["files"]:
        text = text.replace(json.dumps(file["file"], ensure_ascii=False)[1:-1], "FILE")
    return json.loads(text)


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_the_committed_clean_return_reads_alike_in_every_format(kind):
    assert _same_report(check_json(SAMPLES / f"clean.{kind}")) == _same_report(check_json(SAMPLES / "clean.xlsx"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every sample, and a return with a hidden copy, a figure under a merge and 合计 rows, as
    LibreOffice saves them as .xls and as .ods: {kind: {stem: path}}, "xlsx" the originals."""
    office.needed()
    folder = tmp_path_factory.mktemp("formats")
    originals = sorted(SAMPLES.glob("*.xlsx")) + [_tricky(folder)]
    found = {"xlsx": {path.stem: path for path in originals}}
    for kind in ("xls", "ods"):
        found[kind] = {path.stem: path for path in office.convert(originals, kind, folder / kind)}
    return found


def _tricky(folder):
    """The as-filed return with a hidden stale copy of 表1, a figure under a merged range, a 合计."""
    path = folder / "tricky.xlsx"
    shutil.copy(SAMPLES / "as_filed.xlsx", path)
    book = openpyxl.load_workbook(path)
    stale = book.copy_worksheet(book["表1"])
    stale.title, stale.sheet_state = "表1 (2)", "hidden"
    book["表4"]["A7"], book["表4"]["B7"], book["表4"]["D7"] = "合计", None, 1  # wrong: the unit has 0
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_returns_saved_as_xls_and_ods_give_the_xlsx_report_message_for_message(converted, kind):
    for stem, original in converted["xlsx"].items():
        expected = _same_report(check_json(original))
        assert _same_report(check_json(converted[kind][stem])) == expected, (kind, stem)
    tricky = check_json(converted[kind]["tricky"])
    assert {f["rule"] for f in tricky["findings"]} >= {"G-FORMS", "G-TOTAL"}


def test_a_city_batch_mixing_the_formats_reviews_every_return(tmp_path):
    office.needed()
    city = tmp_path / "city"
    city.mkdir()
    units = sorted(BATCH.glob("0[1-3]_*.xlsx"))
    shutil.copy(units[0], city / units[0].name)
    office.convert([units[1]], "xls", city)
    office.convert([units[2]], "ods", city)
    (city / units[1].with_suffix(".xls").name).rename(city / units[1].with_suffix(".et").name)  # WPS's name
    plain = tmp_path / "plain"
    plain.mkdir()
    for unit in units:
        shutil.copy(unit, plain / unit.name)
    (code, out, _), (code_xlsx, out_xlsx, _) = (formcheck("batch", f, "--format", "json") for f in (city, plain))
    mixed, alike = json.loads(out), json.loads(out_xlsx)
    assert sorted(f["file"].rsplit(".", 1)[1] for f in mixed["files"]) == ["et", "ods", "xlsx"]
    assert [f["status"] for f in mixed["files"]] == [f["status"] for f in alike["files"]]

    def said(report, folder):
        return [
            (f["rule"], re.sub(r"\.(xlsx|et|ods)", "", f["message"].replace(str(folder), "")), f["cells"])
            for f in report["findings"]
        ]

    assert said(mixed, city) == said(alike, plain) and len(mixed["findings"]) >= 1
    assert code == code_xlsx


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_the_annotated_copy_of_an_xls_or_ods_is_a_new_xlsx_said_once(tmp_path, kind):
    source = tmp_path / f"as_filed.{kind}"
    shutil.copy(SAMPLES / f"clean.{kind}", tmp_path / f"clean.{kind}")
    office.needed()
    office.convert([SAMPLES / "as_filed.xlsx"], kind, tmp_path)
    before = source.read_bytes()
    copy = tmp_path / "as_filed_审核.xlsx"
    code, _, err = formcheck("check", source, "--annotate", copy)
    assert code == 1 and source.read_bytes() == before
    assert err.strip().endswith(
        f"标注副本已写入 {copy}(原文件不是 .xlsx,副本按 .xlsx 格式重新生成,只含数值和合并单元格,不含原格式)"
    )
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == ["审核结果", "表1", "表2", "表3", "表4", "审核说明", "formcheck"]
    assert book["表2"]["O8"].fill.fgColor.rgb.endswith("FFC7CE") or book["表2"]["O8"].comment is not None
    assert "表2!O8" in [str(c.value) for c in book["审核结果"]["D"]]
    assert _same_report(check_json(copy))["findings"] == _same_report(check_json(source))["findings"]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_the_units_explanations_are_read_from_every_format(tmp_path, workbook, kind):
    office.needed()
    source = workbook({"forms.support.rows.0.cert_dept": 40}, name="explained.xlsx", review_sheet=True)
    book = openpyxl.load_workbook(source)
    book["审核说明"].append(["T3-STAFF", "表3!H6", "含 14 名已划转至综合行政执法大队、仍在本局持证的人员"])
    book.save(source)
    saved = office.convert([source], kind, tmp_path / kind)[0]
    report = check_json(saved)
    assert [(f["rule"], f["explanation"][:7]) for f in report["findings"]] == [("T3-STAFF", "含 14 名已")]
    assert report["files"][0]["status"] == "explained"


def test_an_ods_formula_never_calculated_is_named_not_read_as_blank(tmp_path):
    path = tmp_path / "formula.ods"
    with zipfile.ZipFile(SAMPLES / "clean.ods") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":  # 表4's first figure, 移送案件数, as a formula with no value
                start = data.index('<table:table table:name="表4"'.encode())
                zeros = (
                    b'<table:table-cell table:number-columns-repeated="4" office:value-type="float" office:value="0"'
                )
                at = data.index(zeros, start)
                end = data.index(b"</table:table-cell>", at) + len(b"</table:table-cell>")
                three = data[at:end].replace(b'repeated="4"', b'repeated="3"')
                data = data[:at] + b'<table:table-cell table:formula="of:=[.E6]"/>' + three + data[end:]
            target.writestr(info, data)
    findings = check_json(path)["findings"]
    assert [(f["rule"], f["cells"]) for f in findings] == [("G-READ", ["表4!D6"])]
    assert findings[0]["message"].startswith("移送案件数 是公式,但没有计算结果")


def test_the_service_checks_and_annotates_xls_and_ods_uploads():
    from webserver import Service, upload

    running = Service()
    try:
        for kind in ("xls", "ods"):
            answer = running.post("/api/check", [upload(SAMPLES / f"clean.{kind}")])
            assert (answer.status, answer.json()["files"][0]["status"]) == (200, "ok")
            copy = running.post("/api/annotate", [upload(SAMPLES / f"clean.{kind}")])
            assert copy.status == 200 and copy.body[:2] == b"PK"
            assert copy.headers["content-disposition"].endswith("clean_%E5%AE%A1%E6%A0%B8.xlsx")
    finally:
        running.stop()
