"""Hostile and broken input: a clear answer for every file, no traceback, the file unchanged.

Each file runs through the real command in a subprocess capped at 1 GiB of address space
(`ulimit -v 1048576`). Time is measured by bench/hostile.py, not asserted here.
"""

import hashlib
import json
import resource
import subprocess
import sys

import hostile_corpus
import pytest
from conftest import validate_report
from hostile_corpus import CORPUS
from processes import children

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("intake_path")]  # on both paths (conftest)
ONE_GIB = 1 << 30


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ONE_GIB, ONE_GIB))


def _formcheck(*args):
    result = subprocess.run(
        [sys.executable, "-m", "validator", *map(str, args)],
        capture_output=True,
        text=True,
        preexec_fn=_cap_memory,
        timeout=300,
    )
    if "json" in args and result.stdout:
        validate_report(json.loads(result.stdout))
    return result


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
    if code == 2:  # a refusal: one line on stderr, and one G-FILE finding in the report saying the same
        assert result.stderr.strip().count("\n") == 0  # one line
        assert result.stderr.startswith(f"{path}: 无法读取: ") and says in result.stderr, result.stderr
        document = json.loads(result.stdout)
        assert [(f["rule"], f["message"]) for f in document["findings"]] == [
            ("G-FILE", result.stderr.strip().split("无法读取: ", 1)[1])
        ]
        assert document["files"][0]["status"] == "unreadable"
    elif says is not None:
        messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
        assert any(says in m for m in messages), messages
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_formula_finding_names_the_cell_and_is_not_read_as_blank(corpus):
    result = _formcheck("check", corpus["formula never calculated"], "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["cells"], f["message"]) for f in findings] == [
        (
            "G-READ",
            ["表4!D6"],
            "移送案件数 是公式,但没有计算结果(文件未经 Excel/WPS 计算保存);请用 Excel 或 WPS 打开本文件,保存后再检查",
        )
    ]


def test_caps_can_be_changed(corpus):
    result = _formcheck("check", corpus["1,100,000 rows"], "--max-rows", "10")
    assert "超过 10 行上限" in result.stderr and result.returncode == 2


def test_english_refusal(corpus):
    path = corpus["et that is not a workbook"]
    result = _formcheck("check", path, "--lang", "en")
    assert result.stderr.strip() == (
        f"{path}: cannot be read: an Office 97-2003 file, but not an Excel workbook (no Workbook stream: a Word document?)"
    )


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
    """Column ZZ early in the sheet and row 15,000 late: 702 × 15,000 cells is over the cell cap."""
    import openpyxl

    path = tmp_path / "wide.xlsx"
    book = openpyxl.load_workbook(hostile_corpus.SAMPLES / "clean.xlsx")
    book["表1"]["ZZ1"] = "x"
    book["表1"]["A15000"] = "y"
    book.save(path)
    result = _formcheck("check", path)
    assert result.returncode == 2
    assert "工作表“表1”的范围有 10530000 个单元格,超过 10000000 上限" in result.stderr


# ---- round two: whole runs (tests/hostile_runs.py) ------------------------------------------

from hostile_runs import RUNS  # noqa: E402


def _inputs_of(args) -> dict:
    """sha256 of every regular file the run is given, directly or inside a folder it is given."""
    import os
    import stat

    found = {}
    for arg in map(str, args):
        paths = [os.path.join(arg, name) for name in os.listdir(arg)] if os.path.isdir(arg) else [arg]
        for path in paths:
            try:
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                continue
            if regular:
                with open(path, "rb") as handle:
                    found[path] = hashlib.sha256(handle.read()).hexdigest()
    return found


@pytest.mark.parametrize("name", list(RUNS))
def test_each_run_gets_a_clear_answer_and_changes_no_input(tmp_path, name):
    maker, code, says = RUNS[name]
    args = maker(tmp_path)
    outputs = {str(a) for i, a in enumerate(args) if i and str(args[i - 1]) in ("-o", "--summary")}
    before = {path: digest for path, digest in _inputs_of(args).items() if path not in outputs}
    result = _formcheck(*args)
    said = result.stdout + result.stderr
    assert "Traceback" not in said and "panicked" not in said and "backtrace" not in said, said[-2000:]
    assert result.returncode == code, said[-2000:]
    if says is not None:
        assert says in said, said[-2000:]
    after = _inputs_of(args)
    assert {path: after.get(path) for path in before} == before


def test_a_reader_that_dies_is_named_and_the_other_files_are_checked(tmp_path):
    from hostile_runs import _shared_string_bomb

    city = tmp_path / "city"
    city.mkdir()
    _shared_string_bomb(city, "01_bomb.xlsx")
    for number in range(2, 6):
        (city / f"0{number}_clean.xlsx").write_bytes((hostile_corpus.SAMPLES / "clean.xlsx").read_bytes())
    result = _formcheck("batch", city, "--max-text", "100000", "--format", "json")
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["unreadable", "warning", "warning", "warning", "warning"] or [
        f["status"] for f in report["files"]
    ][0] == "unreadable"
    assert report["findings"][0]["message"].startswith("读取程序在此文件上异常退出(信号 6)")
    assert len(report["files"]) == 5


def test_special_entries_are_one_row_each_saying_what_they_are(tmp_path):
    from hostile_runs import special_entries_in_a_batch_folder

    result = _formcheck(*special_entries_in_a_batch_folder(tmp_path))
    report = json.loads(result.stdout)
    said = {f["file"].rsplit("/", 1)[-1]: f["message"] for f in report["findings"] if f["rule"] == "G-FILE"}
    assert said == {
        "02_loop.xlsx": "这是一个循环链接(链接指向自己),无法打开",
        "03_dangling.xlsx": "这是一个链接,指向的文件不存在",
        "04_pipe.xlsx": "这是命名管道(FIFO),不是文件;请给出报表文件本身",
        "05_folder.xlsx": "这是文件夹,不是文件",
        "06_random.xlsx": "这是设备文件,不是报表;请给出报表文件本身",
    }
    assert len(report["files"]) == 6


def test_findings_of_a_rule_are_capped_per_file_and_the_rest_counted(tmp_path):
    from hostile_runs import one_case_number_5000_times

    report = json.loads(_formcheck(*one_case_number_5000_times(tmp_path)).stdout)
    duplicates = [f for f in report["findings"] if f["rule"] == "R-DUP"]
    assert len(duplicates) == 101
    assert duplicates[-1]["message"] == "……本规则另有 4899 处同类问题未逐一列出(每个文件最多列出 100 处)"
    assert report["rules"]["R-DUP"]["failed"] == 4999
    assert report["rules"]["B-CASE-DUP"]["failed"] == 0  # one register's repeats are R-DUP's alone


def test_a_unit_filed_many_times_names_each_file_once(tmp_path):
    from hostile_runs import unit_filed_60_times

    report = json.loads(_formcheck(*unit_filed_60_times(tmp_path)).stdout)
    duplicates = [f for f in report["findings"] if f["rule"] == "B-DUP"]
    assert len(duplicates) == 59
    assert all(len(f["related_files"]) == 1 and f["message"].count(".xlsx") == 1 for f in duplicates)


def test_names_reach_every_report_as_text_and_escaped(tmp_path):
    import openpyxl
    from hostile_runs import names_not_utf8_and_formulas
    from python_calamine import CalamineWorkbook

    args = names_not_utf8_and_formulas(tmp_path)
    table = _formcheck(*args)
    assert "\x1b" not in table.stdout and "\u202e" not in table.stdout and "\x07" not in table.stdout
    assert "某单位\\x1b[31m\\x07\\u202eslx.exe" in table.stdout
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    units = {cell.value: cell.data_type for cell in book["报表"]["B"][1:]}
    assert units['=HYPERLINK("http://example.invalid","点此查看")'] == "s"
    assert units["=cmd|' /C calc'!A0"] == "s"
    assert "某单位\\x1b[31m\\x07\\u202eslx.exe" in units
    files = [
        row[3] for row in CalamineWorkbook.from_path(str(tmp_path / "summary.xlsx")).get_sheet_by_index(0).to_python()
    ]
    assert any(str(name).endswith("湘乡市报表.xlsx") for name in files)
    document = json.loads(_formcheck(*args[:2], "--format", "json").stdout)
    assert any(f["file"].endswith("湘乡市报表.xlsx") for f in document["files"])


def test_workers_end_with_the_batch_when_it_is_terminated(tmp_path):
    import signal
    import time

    city = tmp_path / "city"
    city.mkdir()
    for number in range(3000):
        (city / f"{number:04d}.xlsx").write_bytes((hostile_corpus.SAMPLES / "clean.xlsx").read_bytes())
    parent = subprocess.Popen(
        [sys.executable, "-m", "validator", "batch", city, "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not children(parent.pid):
        time.sleep(0.05)
    time.sleep(0.5)  # the workers have started on their files
    workers = children(parent.pid)
    assert workers, "the batch started no workers"
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 5  # they were left running for more than 30 s before
    while time.monotonic() < deadline and any(map(_alive, workers)):
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []


def _alive(pid: int) -> bool:
    import pathlib

    status = pathlib.Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()
