"""formcheck batch as a reviewer uses it: folders, order, broken files, workers, progress, reference files."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import BATCH, REFERENCE, ROOT, SAMPLES, formcheck

from validator import batch


def _json(*args):
    code, out, err = formcheck("batch", *args, "--format", "json")
    return code, json.loads(out) if out else None, err


def test_results_come_in_input_order_with_one_row_per_file():
    _, report, _ = _json(BATCH)
    names = [f["file"].rsplit("/", 1)[-1] for f in report["files"]]
    assert names == sorted(p.name for p in BATCH.iterdir() if p.suffix in (".xlsx", ".xls"))
    assert report["files"][-1] == {
        "file": str(BATCH / "11_湘乡市林业局.xls"),
        "unit": "",
        "year": None,
        "errors": 1,
        "warnings": 0,
        "explained": 0,
        "status": "unreadable",
        "localisation": None,
    }


def test_a_broken_file_is_one_row_and_the_rest_is_checked(tmp_path):
    folder = tmp_path / "city"
    shutil.copytree(BATCH, folder, ignore=shutil.ignore_patterns("previous", "*.xls"))
    (folder / "00_损坏.xlsx").write_bytes((SAMPLES / "clean.xlsx").read_bytes()[:3000])
    (folder / "~$01_湘乡市应急管理局.xlsx").write_bytes(b"lock")  # Excel's lock file is not a return
    code, report, _ = _json(folder)
    assert code == 1
    assert len(report["files"]) == 12
    broken = [f for f in report["findings"] if f["file"].endswith("00_损坏.xlsx")]
    assert [(f["rule"], f["message"]) for f in broken] == [
        ("G-FILE", "文件已损坏或不完整(可能传输中断);请重新保存或重新发送")
    ]
    assert any(f["rule"] == "T4-5" for f in report["findings"])


@pytest.mark.parametrize("command", ["batch", "check"])
def test_a_readers_fault_on_one_file_is_that_files_row_and_the_rest_is_checked(tmp_path, monkeypatch, command):
    """A fault of formcheck's own reader, injected for one return (no known file triggers one):
    that return is one G-FILE row saying so and where, never the end of a city's batch."""
    import inspect

    from validator.read import reader

    build = reader.build_return

    def faulty(path, grids, pack):
        if path.endswith("03_翻江镇人民政府.xlsx"):
            raise IndexError("list index out of range")
        return build(path, grids, pack)

    monkeypatch.setattr(reader, "build_return", faulty)  # the workers are forked: they have it too
    line = inspect.getsourcelines(faulty)[1] + 2
    code, out, _ = formcheck(command, *sorted(BATCH.glob("0[1-4]_*.xlsx")), "--format", "json")
    report = json.loads(out)
    assert code == (1 if command == "batch" else 2) and len(report["files"]) == 4
    faulted = [(f["rule"], f["message"]) for f in report["findings"] if f["file"].endswith("03_翻江镇人民政府.xlsx")]
    assert faulted == [
        (
            "G-FILE",
            f"formcheck 读取此文件时内部出错(IndexError: list index out of range; test_batch.py:{line}),"
            "此文件未检查;请把此文件反馈给维护人,也可用 Excel 或 WPS 打开后重新保存再试",
        )
    ]
    assert any(f["rule"] == "T4-5" for f in report["findings"])


def test_one_worker_and_two_give_the_same_report():
    one = _json(BATCH, *REFERENCE, "--jobs", "1")[1]
    two = _json(BATCH, *REFERENCE, "--jobs", "2")[1]
    assert one == two


def test_files_given_one_by_one():
    code, report, _ = _json(BATCH / "05_育塅乡人民政府.xlsx", BATCH / "04_白田镇人民政府.xlsx")
    assert [f["unit"] for f in report["files"]] == ["育塅乡人民政府", "白田镇人民政府"]
    assert code == 1


def test_terminal_summary_without_progress_bar_when_not_a_terminal():
    code, out, err = formcheck("batch", BATCH, *REFERENCE)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["序号", "填报单位", "文件", "错误", "警告", "状态"]
    assert lines[2].split() == ["1", "湘乡市应急管理局", str(BATCH / "01_湘乡市应急管理局.xlsx"), "0", "0", "通过"]
    assert "【跨报表及参考数据检查】" in out
    assert "共 12 份报表: 通过 4,有警告 2,有错误 5,无法读取 1。" in out


def test_details_lists_each_files_findings():
    _, out, _ = formcheck("batch", BATCH / "04_白田镇人民政府.xlsx", "--details")
    assert '【表4 "两法衔接"工作情况统计表】' in out
    assert "序号 1 (白田镇人民政府): 移送案件数 (0) 小于" in out.replace("\n│", "")


def test_progress_bar_on_a_terminal():
    script = (
        "import pty, os, sys\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n"
        f"    os.execv(sys.executable, [sys.executable, '-m', 'validator', 'batch', {str(BATCH)!r}, '--format', 'json', '-o', os.devnull])\n"
        "out = b''\n"
        "while True:\n"
        "    try:\n"
        "        chunk = os.read(fd, 4096)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not chunk:\n"
        "        break\n"
        "    out += chunk\n"
        "os.waitpid(pid, 0)\n"
        "sys.stdout.write(out.decode('utf-8', 'replace'))\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120).stdout
    assert "检查报表  [####################################]  100%" in shown


def test_no_returns_found(tmp_path):
    code, out, err = formcheck("batch", tmp_path)
    assert code == 2 and out == ""
    assert err.strip() == f"在 {tmp_path} 中没有找到报表文件 (.xlsx、.xls、.et、.ods)"


def test_malformed_registry_is_refused_with_file_and_line(tmp_path):
    registry = tmp_path / "units.yaml"
    registry.write_text("units:\n  - name: 甲局\n  - name: 乙镇\n    parent: 丙局\n", encoding="utf-8")
    code, out, err = formcheck("batch", BATCH, "--registry", registry)
    assert code == 2 and out == ""
    assert err.strip() == f'参考数据有误,无法检查: {registry}:3: "乙镇" 的上级单位 "丙局" 不在名录中'


def test_a_broken_reference_file_is_said_in_the_run_language(tmp_path):
    """The reader says what is wrong as a key and figures; the command says it in its language."""
    registry = tmp_path / "units.yaml"
    registry.write_text("units:\n  - name: 甲局\n  - name: 乙队\n    delegated_by: 丙局\n", encoding="utf-8")
    code, _, err = formcheck("batch", BATCH, "--registry", registry, "--lang", "en")
    assert code == 2
    assert err.strip() == (
        f"a reference file is broken, nothing was checked: {registry}:3: "
        'the delegating authority "丙局" of "乙队" is not in the registry'
    )
    treasury = tmp_path / "treasury.xlsx"
    treasury.write_bytes(b"PK\x03\x04 not a workbook")
    code, _, err = formcheck("batch", BATCH, "--treasury", treasury, "--lang", "en")
    assert code == 2 and err.startswith(
        f"a reference file is broken, nothing was checked: {treasury}: cannot be read: "
    )
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in err.split("cannot be read: ", 1)[1]), err


def test_registry_schema_error(tmp_path):
    registry = tmp_path / "units.yaml"
    registry.write_text("units:\n  - name: 甲局\n    level: 省\n", encoding="utf-8")
    code, _, err = formcheck("batch", BATCH, "--registry", registry)
    assert code == 2
    assert err == (
        f"参考数据有误,无法检查: {registry}:3: 不符合单位名录格式: "
        "units.0.level 的值“省”不对,可用的值: city、county、township、department\n"
    )


def test_malformed_treasury_is_refused_with_file_and_line(tmp_path):
    treasury = tmp_path / "treasury.csv"
    treasury.write_text("单位,年度,入库金额\n甲局,2024,100\n乙局,2024,一百\n", encoding="utf-8")
    code, _, err = formcheck("batch", BATCH, "--treasury", treasury)
    assert code == 2
    assert err.strip() == f'参考数据有误,无法检查: {treasury}:3: 金额 "一百" 不是数字'


def test_treasury_without_its_columns(tmp_path):
    treasury = tmp_path / "treasury.csv"
    treasury.write_text("name,amount\n甲局,100\n", encoding="utf-8")
    _, _, err = formcheck("batch", BATCH, "--treasury", treasury)
    assert (
        err.strip()
        == f"参考数据有误,无法检查: {treasury}:1: 缺少列 unit, year(应有 unit,year,amount 或 单位,年度,入库金额)"
    )


def test_treasury_as_a_workbook(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["unit", "year", "amount"])
    book.active.append(["湘乡市市场监督管理局", 2024, 619370])
    book.save(tmp_path / "treasury.xlsx")
    _, report, _ = _json(BATCH / "07_湘乡市市场监督管理局.xlsx", "--treasury", tmp_path / "treasury.xlsx")
    assert report["rules"]["B-TREASURY"]["passed"] == 2


def test_check_takes_the_reference_data_too():
    code, out, _ = formcheck(
        "check", BATCH / "07_湘乡市市场监督管理局.xlsx", "--treasury", BATCH / "treasury.csv", "--format", "json"
    )
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["B-TREASURY"]


def test_committed_city_set_matches_its_data(tmp_path):
    sys.path.insert(0, str(SAMPLES))
    import make_samples

    from validator.rules.pack import load_pack

    make_samples.make_batch(load_pack(), make_samples.load("clean.yaml"), make_samples.load("batch.yaml"), tmp_path)
    from conftest import grids_of as _grids

    made = [*tmp_path.glob("*.xlsx"), *(tmp_path / "previous").glob("*.xlsx"), *(tmp_path / "previous-2022").glob("*")]
    assert len(made) == 15
    for fresh in sorted(made):
        committed = BATCH / fresh.relative_to(tmp_path)
        assert [g.cells for g in _grids(fresh)] == [g.cells for g in _grids(committed)], fresh.name
    assert (tmp_path / "treasury.csv").read_text(encoding="utf-8") == (BATCH / "treasury.csv").read_text(
        encoding="utf-8"
    )


_REAL_REVIEW = batch.review_file


def _dies_on_the_fifth(path):
    """A reader that aborts on one file (as python-calamine does on a crafted one), sound otherwise."""
    if os.path.basename(path).startswith("05_"):
        os.kill(os.getpid(), signal.SIGABRT)
    return _REAL_REVIEW(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_dies_on_a_file_makes_it_one_row_and_the_batch_goes_on(monkeypatch, jobs):
    monkeypatch.setattr(batch, "review_file", _dies_on_the_fifth)  # workers and children are forked
    code, report, err = _json(BATCH, "--jobs", jobs)
    assert code == 1, err
    assert len(report["files"]) == 12
    died = [
        (f["file"].rsplit("/", 1)[-1], f["rule"], f["message"])
        for f in report["findings"]
        if f["file"].endswith("05_育塅乡人民政府.xlsx")
    ]
    assert died == [
        (
            "05_育塅乡人民政府.xlsx",
            "G-FILE",
            "读取程序在此文件上异常退出(信号 6),文件可能已损坏或经过特殊构造;请用 Excel 或 WPS 打开后重新保存",
        )
    ]
    assert [f["status"] for f in report["files"]].count("unreadable") == 2  # and the .xls
    assert any(f["rule"] == "B-DUP" for f in report["findings"])  # the rules across returns ran


def test_check_of_a_file_whose_reader_dies_is_one_finding_and_exit_2(monkeypatch):
    monkeypatch.setattr(batch, "review_file", _dies_on_the_fifth)
    path = BATCH / "05_育塅乡人民政府.xlsx"
    code, out, err = formcheck("check", path, "--format", "csv")
    assert code == 2
    assert out.splitlines()[1].split(",")[3:5] == ["G-FILE", "错误"]
    assert err == (
        f"{path}: 无法读取: 读取程序在此文件上异常退出(信号 6),文件可能已损坏或经过特殊构造;"
        "请用 Excel 或 WPS 打开后重新保存\n"
    )


def test_returns_only_leaves_out_a_summary_in_the_folder_and_says_so(tmp_path):
    import shutil

    folder = tmp_path / "returns"
    shutil.copytree(BATCH, folder, ignore=shutil.ignore_patterns("previous", "*.yaml", "*.csv"))
    formcheck("batch", BATCH, "--summary", folder / "汇总.xlsx")
    plain = json.loads(formcheck("batch", folder, "--format", "json")[1])
    code, out, err = formcheck("batch", folder, "--format", "json", "--returns-only")
    narrowed = json.loads(out)
    assert [f["file"] for f in plain["files"] if f["file"] not in {g["file"] for g in narrowed["files"]}] == [
        str(folder / "汇总.xlsx")
    ]
    assert not [f for f in narrowed["findings"] if f.get("file") == str(folder / "汇总.xlsx")]
    assert f"跳过 {folder / '汇总.xlsx'}: 其中没有表1、表2、表3、表4中的任何一张表,不是报表" in err.splitlines()


def test_case_numbers_are_read_again_by_a_pool_and_a_file_gone_since_gives_none(tmp_path, pack):
    from validator.batch import _setup_worker, case_numbers_at
    from validator.read.intake import Limits

    _setup_worker(pack, None, Limits(), False)
    asked = [(str(BATCH / "02_金石镇人民政府.xlsx"), [6]), (str(tmp_path / "gone.xlsx"), [6])]
    assert case_numbers_at(asked, jobs=2) == [{6: "JS-2024-0001"}, {}]


def test_files_of_the_same_bytes_are_read_again_once_and_answer_each_its_rows(tmp_path, pack):
    from validator.batch import _setup_worker, case_numbers_at
    from validator.read.intake import Limits

    _setup_worker(pack, None, Limits(), False)
    again = tmp_path / "重报.xlsx"
    again.write_bytes((BATCH / "02_金石镇人民政府.xlsx").read_bytes())
    asked = [
        (str(BATCH / "02_金石镇人民政府.xlsx"), [6]),
        (str(again), [7]),
        (str(BATCH / "03_翻江镇人民政府.xlsx"), [6]),
    ]
    first, second, other = case_numbers_at(asked, jobs=2)
    assert first == {6: "JS-2024-0001"} and list(second) == [7] and second[7] != first[6]
    assert other == case_numbers_at([asked[2]])[0]
