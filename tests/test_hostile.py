"""Hostile and broken input: a clear answer for every file, no traceback, the file unchanged.

Each file runs through the real command in a subprocess capped at 1 GiB of address space
(`ulimit -v 1048576`). Time is measured by bench/hostile.py, not asserted here.
"""

import hashlib
import json
import resource
import subprocess
import sys

import pytest

import hostile_corpus
from hostile_corpus import CORPUS

ONE_GIB = 1 << 30


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ONE_GIB, ONE_GIB))


def _formcheck(*args):
    return subprocess.run([sys.executable, "-m", "validator", *map(str, args)], capture_output=True, text=True,
                          preexec_fn=_cap_memory, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {name: maker(folder) for name, (maker, _, _) in CORPUS.items()}


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_file_gets_a_clear_answer(corpus, name):
    path = corpus[name]
    _, code, says = CORPUS[name]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = _formcheck("check", path, "--format", "json")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == code, result.stderr
    if code == 2:
        assert result.stdout == ""
        assert result.stderr.strip().count("\n") == 0  # one line
        assert result.stderr.startswith(f"{path}: 无法读取: ") and says in result.stderr, result.stderr
    elif says is not None:
        messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
        assert any(says in m for m in messages), messages
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_formula_finding_names_the_cell_and_is_not_read_as_blank(corpus):
    result = _formcheck("check", corpus["formula never calculated"], "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["cells"], f["message"]) for f in findings] == [
        ("G-READ", ["表4!D6"], "移送案件数 是公式,但没有计算结果(文件未经 Excel/WPS 计算保存);请用 Excel 或 WPS 打开本文件,保存后再检查")]


def test_caps_can_be_changed(corpus):
    result = _formcheck("check", corpus["1,000,000 rows"], "--max-rows", "10")
    assert "超过 10 行上限" in result.stderr and result.returncode == 2


def test_english_refusal(corpus):
    result = _formcheck("check", corpus["OLE2 .xls"], "--lang", "en")
    assert result.stderr.strip() == (f"{corpus['OLE2 .xls']}: cannot be read: this is an old Excel 97-2003 .xls file; "
                                     "save it as an Excel workbook (.xlsx) and check again")


def test_in_a_batch_each_broken_file_is_one_row_and_the_rest_is_checked(corpus):
    folder = next(iter(corpus.values())).parent
    result = _formcheck("batch", folder, "--format", "json")
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert len(report["files"]) == len(CORPUS)
    refused = {name for name, (_, code, _) in CORPUS.items() if code == 2}
    by_file = {f["file"]: f for f in report["files"]}
    for name in CORPUS:
        status = by_file[str(corpus[name])]["status"]
        assert (status == "unreadable") == (name in refused), (name, status)


def test_a_near_cell_and_a_far_row_are_measured_together(tmp_path):
    """Column ZZ early in the sheet and row 9,000 late: 702 × 9,000 cells is over the cell cap."""
    import openpyxl

    path = tmp_path / "wide.xlsx"
    book = openpyxl.load_workbook(hostile_corpus.SAMPLES / "clean.xlsx")
    book["表1"]["ZZ1"] = "x"
    book["表1"]["A9000"] = "y"
    book.save(path)
    result = _formcheck("check", path)
    assert result.returncode == 2
    assert "工作表“表1”的范围有 6318000 个单元格,超过 5000000 上限" in result.stderr
