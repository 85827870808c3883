"""The formats and flags a CI job uses: github workflow commands, CSV for Excel, -q, --exit-zero,
--select and --ignore."""

import csv
import io
import re

import openpyxl
from conftest import BATCH, SAMPLES, formcheck

AS_FILED = SAMPLES / "as_filed.xlsx"
# the workflow-command grammar: ::level prop=value,prop=value::message, no raw CR or LF in a line
COMMAND = re.compile(r"^::(error|warning|notice) (file=[^,:]+,)?title=[^,:]+::[^\r\n]+$")


def test_github_lines_follow_the_workflow_command_grammar():
    code, out, _ = formcheck("check", AS_FILED, "--format", "github")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 9 and all(COMMAND.match(line) for line in lines), lines
    assert lines[0] == f"::warning file={AS_FILED},title=T1-EXPL 表1!C9::" + lines[0].split("::", 2)[2]
    assert sum(line.startswith("::error ") for line in lines) == 5


def test_github_is_the_format_inside_github_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = formcheck("check", AS_FILED)
    assert out.startswith("::")


def test_csv_opens_with_its_columns_and_no_formula(tmp_path):
    path = tmp_path / "report.csv"
    code, _, _ = formcheck("batch", BATCH, "--format", "csv", "-o", path)
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "文件",
        "填报单位",
        "表",
        "规则",
        "级别",
        "依据",
        "改此单元格",
        "相关单元格",
        "问题",
        "改正方法",
        "说明",
    ]
    assert len(rows) == 1 + 5 + 1 and all(len(row) == 11 for row in rows)  # + 白田镇's where to fix
    assert rows[-1][3] == "最少改动"
    assert not any(cell[:1] and cell[:1] in "=+-@" for row in rows for cell in row)


def test_quiet_exit_zero_select_and_ignore():
    code, out, _ = formcheck("check", AS_FILED, "-q", "--ignore", "T2,X-", "--exit-zero")
    assert code == 0 and "错误 5 项" not in out and "T2-YOY" not in out and "X-SUBSET" not in out
    assert "T3-STAFF" in out and not out.startswith("文件:")
    code, out, _ = formcheck("check", AS_FILED, "--select", "T3-STAFF", "--format", "github")
    assert code == 0 and [line.split("::")[1] for line in out.splitlines()] == [
        "warning file=" + str(AS_FILED) + ",title=T3-STAFF 表3!H6"
    ]
    code, out, _ = formcheck("check", SAMPLES / "clean.xlsx", "-q")
    assert (code, out) == (0, "")


def test_check_on_a_folder_in_ci_form():
    code, out, err = formcheck("check", SAMPLES, "--ignore", "B-DUP", "-q", "--format", "github")
    lines = out.splitlines()
    assert code == 1 and err == "" and all(COMMAND.match(line) for line in lines), lines
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in lines}
    assert files == {str(path) for path in SAMPLES.glob("*.xlsx")} - {str(SAMPLES / "clean.xlsx")}


def test_an_unreadable_file_in_a_folder_is_a_finding_and_exit_2_but_under_exit_zero(tmp_path):
    import shutil

    shutil.copy(SAMPLES / "clean.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 torn")
    code, out, err = formcheck("check", tmp_path, "--format", "github")
    assert code == 2
    assert (
        out
        == f"::error file={tmp_path / 'b.xlsx'},title=G-FILE::文件已损坏或不完整(可能传输中断);请重新保存或重新发送\n"
    )
    assert err == f"{tmp_path / 'b.xlsx'}: 无法读取: 文件已损坏或不完整(可能传输中断);请重新保存或重新发送\n"
    # under --exit-zero it is a finding like any other: the workflow's JUnit and SARIF steps still run
    for kind in ("junit", "sarif"):
        code, _, err = formcheck("check", tmp_path, "--exit-zero", "--format", kind, "-o", tmp_path / f"r.{kind}")
        assert code == 0 and "b.xlsx: 无法读取" in err
        assert "G-FILE" in (tmp_path / f"r.{kind}").read_text(encoding="utf-8")
    assert formcheck("check", tmp_path, "--exit-zero", "--select", "G-FIEL")[0] == 2  # a bad option still stops it


def _installed(command: str) -> list:
    """A hook's or a workflow's command, run with the formcheck installed beside this Python."""
    import shlex
    import sys
    from pathlib import Path

    words = shlex.split(command)
    return [str(Path(sys.executable).parent / words[0]), *words[1:]]


def test_the_pre_commit_hook_checks_staged_returns(tmp_path):
    import shutil
    import subprocess

    import yaml
    from conftest import ROOT

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["formcheck"]
    staged = ["returns/as_filed.xlsx", "returns/clean.xlsx", "returns/~$clean.xlsx", "notes.txt"]
    chosen = [name for name in staged if re.search(hook["files"], name) and not re.search(hook["exclude"], name)]
    assert chosen == ["returns/as_filed.xlsx", "returns/clean.xlsx"]
    (tmp_path / "returns").mkdir()
    for name in chosen:
        shutil.copy(SAMPLES / name.split("/")[1], tmp_path / name)
    command = _installed(hook["entry"]) + hook["args"]
    stopped = subprocess.run(command + chosen, cwd=tmp_path, capture_output=True, text=True)
    assert stopped.returncode == 1 and "X-SUBSET" in stopped.stdout and "错误 5 项" not in stopped.stdout
    passed = subprocess.run(command + chosen[1:], cwd=tmp_path, capture_output=True, text=True)
    assert (passed.returncode, passed.stdout) == (0, "")
    # a summary workbook and the treasury's figures staged beside the returns: skipped, one line each
    subprocess.run(
        _installed("formcheck batch") + [str(SAMPLES / "batch"), "--summary", "returns/汇总.xlsx"], cwd=tmp_path
    )
    treasury = openpyxl.Workbook()
    treasury.active.append(["单位", "罚没入库"])
    treasury.active.append(["湘乡市应急管理局", 925279])
    treasury.save(tmp_path / "returns" / "入库.xlsx")
    shutil.copy(SAMPLES / "clean.ods", tmp_path / "returns" / "clean.ods")
    others = ["returns/汇总.xlsx", "returns/入库.xlsx", "returns/clean.ods"]
    assert [name for name in others if re.search(hook["files"], name)] == others
    passed = subprocess.run(command + chosen[1:] + others, cwd=tmp_path, capture_output=True, text=True)
    assert (passed.returncode, passed.stdout) == (0, "")
    assert passed.stderr.splitlines() == [
        "跳过 returns/汇总.xlsx: 其中没有表1、表2、表3、表4中的任何一张表,不是报表",
        "跳过 returns/入库.xlsx: 其中没有表1、表2、表3、表4中的任何一张表,不是报表",
    ]
    # only workbooks that are no returns staged: the commit goes on, and the run says nothing was checked
    alone = subprocess.run(command + others[:2], cwd=tmp_path, capture_output=True, text=True)
    assert (alone.returncode, alone.stdout) == (0, "")
    assert alone.stderr.splitlines()[-1] == "没有检查任何报表: 2 个工作簿都不是报表(见上),退出码为 0"
    lint = subprocess.run(
        _installed(hooks["formcheck-pack"]["entry"]) + [str(ROOT / "rules/default/pack.yaml")],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stderr


def test_the_documented_github_actions_job_runs(tmp_path):
    import json
    import os
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    import yaml
    from conftest import ROOT

    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    runs = [
        step["run"] for step in workflow["jobs"]["returns"]["steps"] if step.get("run", "").startswith("formcheck ")
    ]
    assert len(runs) == 3
    (tmp_path / "returns").mkdir()
    for name in ("clean.xlsx", "as_filed.xlsx"):
        shutil.copy(SAMPLES / name, tmp_path / "returns" / name)
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    results = [subprocess.run(_installed(run), cwd=tmp_path, env=env, capture_output=True, text=True) for run in runs]
    assert [result.returncode for result in results] == [0, 0, 1]
    assert json.loads((tmp_path / "formcheck.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.parse(tmp_path / "formcheck.xml").getroot().tag == "testsuites"
    assert sum(line.startswith("::error file=returns/as_filed.xlsx,") for line in results[2].stdout.splitlines()) == 5


def test_the_pack_hook_fires_on_rule_files_and_lints_each_pack_once(tmp_path, pack_copy):
    import shutil
    import subprocess

    import yaml
    from conftest import ROOT

    hook = next(
        h
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
        if h["id"] == "formcheck-pack"
    )
    staged = ["packs/city/pack.yaml", "packs/city/rules/general.yaml", "packs/city/forms/support.yaml", "units.yaml"]
    assert [name for name in staged if re.search(hook["files"], name)] == staged[:3]
    other = tmp_path / "other"
    shutil.copytree(pack_copy, other)
    rule_file = other / "rules" / "two_law_link.yaml"
    rule_file.write_text(
        rule_file.read_text(encoding="utf-8").replace("reverse_received >=", "reverse_recieved >=", 1), encoding="utf-8"
    )
    changed = [pack_copy / "rules" / "general.yaml", pack_copy / "forms" / "support.yaml", rule_file]
    done = subprocess.run(_installed(hook["entry"]) + [str(path) for path in changed], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == "规则包 行政执法统计年报默认规则包 没有问题: 49 条规则,5 张表\n"  # once, for two of its files
    assert f"{rule_file}:" in done.stderr and '是否应为 "reverse_received"?' in done.stderr
