"""The formats and flags a CI job uses: github workflow commands, CSV for Excel, -q, --exit-zero,
--select and --ignore."""

import csv
import io
import re

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
    assert len(rows) == 1 + 5 and all(len(row) == 11 for row in rows)
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
