"""The command line: exit codes, options, unreadable input, python -m validator."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES, formcheck


def test_exit_codes_and_fail_on():
    assert formcheck("check", SAMPLES / "clean.xlsx")[0] == 0
    assert formcheck("check", SAMPLES / "as_filed.xlsx")[0] == 1
    assert formcheck("check", SAMPLES / "broken_boilerplate.xlsx")[0] == 0
    assert formcheck("check", SAMPLES / "broken_boilerplate.xlsx", "--fail-on", "warning")[0] == 1


def test_missing_file_exits_2_naming_it(tmp_path):
    code, out, err = formcheck("check", tmp_path / "nope.xlsx")
    assert code == 2
    assert err.strip() == f"{tmp_path / 'nope.xlsx'}: 无法读取: 文件不存在"


def test_not_a_workbook_exits_2(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"this is not a workbook")
    code, _, err = formcheck("check", junk)
    assert code == 2
    assert err.startswith(f"{junk}: 无法读取: ")


def test_bad_option_exits_2():
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--format", "pdf")
    assert code == 2
    assert "'pdf' is not one of" in err


def test_output_file(tmp_path):
    target = tmp_path / "report.json"
    code, out, err = formcheck("check", SAMPLES / "as_filed.xlsx", "--format", "json", "-o", target)
    assert code == 1 and out == ""
    assert err.strip() == f"报告已写入 {target}"
    assert '"rule": "X-SUBSET"' in target.read_text(encoding="utf-8")


def test_several_files_in_one_report():
    code, out, _ = formcheck("check", SAMPLES / "clean.xlsx", SAMPLES / "broken_yoy_t1.xlsx")
    assert code == 1
    assert out.count("文件: ") == 2


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "validator", "check", str(SAMPLES / "broken_yoy_t1.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "行政许可 同比增减填了“+12.9%”,按 256 → 284 计算应为 +10.9%" in result.stdout


def test_output_over_an_input_is_refused(tmp_path):
    import shutil

    copy = tmp_path / "clean.xlsx"
    shutil.copy(SAMPLES / "clean.xlsx", copy)
    before = copy.read_bytes()
    code, out, err = formcheck("check", copy, "-o", copy)
    assert code == 2 and out == ""
    assert err.strip() == f"{copy} 是本次检查的输入文件,输出不能写到这里(输入文件从不改动)"
    code, _, err = formcheck("batch", tmp_path, "--summary", copy)
    assert code == 2 and "输出不能写到这里" in err
    assert copy.read_bytes() == before


def test_output_that_is_an_input_under_another_name_is_refused(tmp_path):
    import os
    import shutil

    copy = tmp_path / "clean.xlsx"
    shutil.copy(SAMPLES / "clean.xlsx", copy)
    before = copy.read_bytes()
    os.link(copy, tmp_path / "report.json")  # the same file, by a second name
    code, out, err = formcheck("check", copy, "--format", "json", "-o", tmp_path / "report.json")
    assert code == 2 and out == ""
    assert err.strip() == f"{tmp_path / 'report.json'} 是本次检查的输入文件,输出不能写到这里(输入文件从不改动)"
    assert copy.read_bytes() == before


def test_template_does_not_overwrite(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"mine")
    code, _, err = formcheck("template", target, "--year", "2024")
    assert code == 2 and err.strip() == f"{target} 已存在,未覆盖;请换一个文件名"
    assert target.read_bytes() == b"mine"


def _broken_engine(*args, **kwargs):
    raise RuntimeError("a bug in formcheck itself")


def test_an_internal_error_exits_2_in_one_line_and_its_traceback_only_with_debug(monkeypatch):
    from validator.rules import engine

    monkeypatch.setattr(engine, "add_return", _broken_engine)
    code, out, err = formcheck("check", SAMPLES / "clean.xlsx")
    assert (code, out) == (2, "")
    assert err == (
        "formcheck 内部错误,检查未完成(RuntimeError: a bug in formcheck itself);这不是报表的问题,"
        "请把此信息反馈给维护人(加 --debug 可看详细信息)\n"
    )
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--debug", "--lang", "en")
    assert code == 2
    assert "Traceback (most recent call last)" in err and "_broken_engine" in err
    assert err.splitlines()[-1].startswith("formcheck internal error, the run did not finish (RuntimeError")


def test_the_caps_default_to_what_intake_assumes_and_the_size_stays_within_a_plain_zip():
    from dataclasses import fields

    from validator.cli_options import CAPS
    from validator.read.intake import Limits

    options = {name: default for name, default, _, _ in CAPS}
    defaults = {f.name: f.default for f in fields(Limits)}
    assert options["--max-size"] == defaults["max_inflated_mb"] == 512
    assert options["--max-text"] == defaults["max_text_mb"] == 256
    for name in ("rows", "columns", "cells", "merges", "cases"):
        assert options[f"--max-{name}"] == defaults[f"max_{name}"]
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--max-size", "5000")
    assert code == 2
    assert "--max-size" in err and "1<=x<=4000" in err


@pytest.mark.parametrize(
    "option, entry, said",
    [
        ("--select", "T4-7", '--select 中的 "T4-7" 不是规则包中任何规则的编号或前缀,是否应为 "T4-6"?'),
        ("--ignore", "X-SUBSET,X-WANN", '--ignore 中的 "X-WANN" 不是规则包中任何规则的编号或前缀,是否应为 "X-WAN"?'),
        ("--select", "Q-", '--select 中的 "Q-" 不是规则包中任何规则的编号或前缀'),
    ],
)
@pytest.mark.parametrize("command", ["check", "batch"])
def test_an_unknown_rule_in_select_or_ignore_stops_the_run(command, option, entry, said):
    # a typo would turn the check off and CI would go green
    assert formcheck(command, SAMPLES / "as_filed.xlsx", option, entry) == (2, "", said + "\n")


def test_select_and_ignore_take_ids_and_prefixes(tmp_path):
    code, out, _ = formcheck(
        "check", SAMPLES / "as_filed.xlsx", "--select", "X-,T3", "--ignore", "T3-MON", "--format", "json"
    )
    assert sorted({f["rule"] for f in json.loads(out)["findings"]}) == ["T3-REQ", "T3-STAFF", "X-SUBSET"]
