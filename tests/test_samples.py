"""The bundled samples: the seed as filed, the clean return, the broken ones; and the files match their data."""

import pytest
import yaml
from conftest import SAMPLES, as_filed_figures, check_json, formcheck

from validator.read.grid import grids_of
from validator.report.template import apply_changes, write_return
from validator.rules.pack import load_pack

SEED_FINDINGS = [
    ("T1-EXPL", "warning", ["表1!C9"]),
    ("T2-YOY", "error", ["表2!O8", "表2!O7", "表2!P7"]),
    ("T2-YOY", "error", ["表2!Q8", "表2!Q7", "表2!R7"]),
    ("T2-EXPL", "warning", ["表2!C9"]),
    ("T3-REQ", "error", ["表3!B6"]),
    ("T3-STAFF", "warning", ["表3!H6", "表3!C6", "表3!D6"]),
    ("T3-MON", "warning", ["表3!Q6", "表3!R6"]),
    ("X-SUBSET", "error", ["表2!G7", "表1!K7"]),
    ("X-SUBSET", "error", ["表2!H7", "表1!L7"]),
]


def _grids(path):
    return grids_of(str(path))


def _summary(report):
    return sorted((f["rule"], f["severity"], f["cells"]) for f in report["findings"])


def test_as_filed_finds_what_the_seed_gets_wrong():
    report = check_json(SAMPLES / "as_filed.xlsx")
    assert report["exit_code"] == 1
    assert _summary(report) == sorted(SEED_FINDINGS)
    messages = {f["message"] + ("。" + f["hint"] if f["hint"] else "") for f in report["findings"]}
    assert (
        "2024 年表2 涉企检查 (874) 大于表1 行政检查 (589)。涉企数据是全部执法数据的一部分,不应大于表1 对应数字;请核对两表口径。"
        in messages
    )
    assert (
        "2023 年表2 涉企检查 (690) 大于表1 行政检查 (463)。涉企数据是全部执法数据的一部分,不应大于表1 对应数字;请核对两表口径。"
        in messages
    )


def test_as_filed_passes_the_linkage_notes_and_the_wan_check():
    rules = check_json(SAMPLES / "as_filed.xlsx")["rules"]
    for rule in ("T4-5", "T4-6", "X-WAN", "X-TRANSFER"):
        assert rules[rule]["passed"] >= 1 and rules[rule]["failed"] == 0, rule


def test_clean_sample_exits_zero_without_warnings():
    code, out, err = formcheck("check", SAMPLES / "clean.xlsx")
    assert code == 0, out + err
    assert "未发现问题。" in out
    assert "错误 0 项,警告 0 项" in out


@pytest.mark.parametrize(
    "broken", yaml.safe_load((SAMPLES / "data" / "broken.yaml").read_text(encoding="utf-8")), ids=lambda b: b["name"]
)
def test_each_broken_sample_breaks_its_one_rule(broken):
    report = check_json(SAMPLES / f"{broken['name']}.xlsx")
    assert {f["rule"] for f in report["findings"]} == {broken["breaks"]}


def test_drifted_layout_gives_the_same_findings(tmp_path):
    """Four rows inserted above every form, sheets renamed Sheet1–Sheet4 and in another order."""
    pack = load_pack()
    order = ["two_law_link", "support", "case_stats", "enterprise_stats"]
    names = {form: f"Sheet{i}" for i, form in enumerate(order, 1)}
    drifted = tmp_path / "drifted.xlsx"
    write_return(str(drifted), pack, as_filed_figures(), sheet_names=names, order=order, offset=4)
    report = check_json(drifted)
    sheet_of = {
        "表1": names["case_stats"],
        "表2": names["enterprise_stats"],
        "表3": names["support"],
        "表4": names["two_law_link"],
    }

    def shifted(cell):
        sheet, address = cell.split("!")
        column = address.rstrip("0123456789")
        return f"{sheet_of[sheet]}!{column}{int(address[len(column) :]) + 4}"

    expected = sorted((rule, severity, [shifted(c) for c in cells]) for rule, severity, cells in SEED_FINDINGS)
    assert _summary(report) == expected


@pytest.mark.parametrize("name", ["as_filed", "clean"])
def test_committed_sample_matches_its_data(tmp_path, name):
    fresh = tmp_path / f"{name}.xlsx"
    figures = yaml.safe_load((SAMPLES / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
    write_return(str(fresh), load_pack(), figures)
    assert [g.cells for g in _grids(fresh)] == [g.cells for g in _grids(SAMPLES / f"{name}.xlsx")]


def test_broken_samples_match_their_data(tmp_path):
    clean = yaml.safe_load((SAMPLES / "data" / "clean.yaml").read_text(encoding="utf-8"))
    for broken in yaml.safe_load((SAMPLES / "data" / "broken.yaml").read_text(encoding="utf-8")):
        fresh = tmp_path / "fresh.xlsx"
        write_return(str(fresh), load_pack(), apply_changes(clean, broken["set"]))
        committed = _grids(SAMPLES / f"{broken['name']}.xlsx")
        assert [g.cells for g in _grids(fresh)] == [g.cells for g in committed], broken["name"]
