"""Where to fix a return (rules/localise.py, fewest.py, milp.py; report/located.py): the fewest
cells to change, the likely slip, on real workbooks through the CLI; and the sets tried one by
one against HiGHS's on random systems."""

import random

import pytest
from conftest import BATCH, SAMPLES, check_json, formcheck

from validator.rules import fewest, milp
from validator.rules.linear import Cell, Constraint, System

LINK = {"uses_platform": "否", "reverse_received": 1, "admin_penalty_filed": 0, "no_admin_penalty": 0}


def _linkage(workbook, transferred: int, filed: int, not_filed: int, table1: int, yoy: str) -> dict:
    """The clean return with 表4's transfers and outcomes, and 表1's transfers (3 the year before)."""
    row = dict(LINK, unit_name="湘乡市应急管理局", transferred=transferred, criminal_filed=filed)
    row.update(criminal_not_filed=not_filed, not_prosecuted=0)
    changes = {
        "forms.two_law_link.rows": [row],
        "forms.case_stats.cur.transferred": table1,
        "forms.case_stats.yoy.transferred": yoy,
    }
    return check_json(workbook(changes))


def _finding(report: dict, rule: str) -> dict:
    return next(f for f in report["findings"] if f["rule"] == rule)


def test_the_cell_that_mends_every_rule_is_named_and_the_message_says_why():
    report = check_json(SAMPLES / "broken_transfers_t4_5.xlsx")
    t4_5 = _finding(report, "T4-5")
    assert t4_5["cells"][0] == "表4!E6"  # the rule alone named 表4!D6: raising it breaks X-TRANSFER
    assert t4_5["message"].endswith("(按最少改动应改 表4!E6:只改 表4!D6 会使 X-TRANSFER 不成立)")
    where = report["files"][0]["localisation"]
    assert where["sets"] == [[{"cell": "表4!E6", "now": 2.0, "low": 0.0, "high": 0.0, "kind": "figure"}]]
    assert where["message"] == "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 2,应为 0"


def test_a_unit_figure_that_breaks_its_row_and_the_total_is_named_not_the_total(workbook):
    """表3's unit row says 40 certified where the 合计 (and the staff) say 24: one cell mends both."""
    rows = [{"unit_name": "甲局", "staff_admin": 25, "staff_career": 1, "cert_dept": 40}]
    report = _support(workbook, rows, total_cert=24)
    where = report["files"][0]["localisation"]
    assert [[change["cell"] for change in chosen] for chosen in where["sets"]] == [["表3!H6"]]
    assert where["sets"][0][0]["low"] == where["sets"][0][0]["high"] == 24.0
    total = _finding(report, "G-TOTAL")
    assert total["cells"][0] == "表3!H6" and "按最少改动应改 表3!H6" in total["message"]


def _support(workbook, rows: list, total_cert: int) -> dict:
    from conftest import clean_figures

    base = clean_figures()["forms"]["support"]["rows"][0]
    units = [{**base, **row} for row in rows]
    total = {key: sum(u[key] for u in units) for key, value in base.items() if isinstance(value, (int, float))}
    total.update(unit_name="合计", cert_dept=total_cert)
    return check_json(workbook({"forms.support.rows": [*units, total]}))


def test_two_equally_small_sets_are_both_listed(workbook):
    report = _linkage(workbook, transferred=1, filed=1, not_filed=1, table1=1, yoy="-66.7%")
    where = report["files"][0]["localisation"]
    assert [[change["cell"] for change in chosen] for chosen in where["sets"]] == [["表4!E6"], ["表4!F6"]]
    assert where["message"].splitlines() == [
        "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 1,应为 0",
        "或改 表4!F6",
    ]


def test_a_swapped_fine_the_treasury_contradicts_is_proposed(workbook):
    path = workbook({"forms.case_stats.cur.fines": 1023283})  # 1,032,283 reached the treasury
    report = check_json(path, "--treasury", BATCH / "treasury.csv")
    where = report["files"][0]["localisation"]
    assert where["slip"] == {"cell": "表1!T7", "now": 1023283.0, "proposed": 1032283.0, "kind": "swapped"}
    # one change: the 同比增减 (+25.6%) was worked out from the right figure, and is right with it
    assert where["sets"] == [
        [{"cell": "表1!T7", "now": 1023283.0, "low": 1032282.0, "high": 1032284.0, "kind": "figure"}]
    ]
    assert where["message"].splitlines()[-1] == (
        "可能是笔误:表1!T7 现为 1023283,可能应为 1032283(相邻两位数字颠倒);这样改全部规则成立,且没有别的单处笔误能做到"
    )


def test_a_slip_with_two_explanations_is_not_proposed(workbook):
    """10 filed against 1 transferred: 1 (a 0 typed twice) or 0 (a 1 typed twice) both mend it."""
    report = _linkage(workbook, transferred=1, filed=10, not_filed=0, table1=1, yoy="-66.7%")
    where = report["files"][0]["localisation"]
    assert where["slip"] is None and where["sets"][0][0]["cell"] == "表4!E6"


def test_a_return_that_passes_has_no_localisation():
    report = check_json(SAMPLES / "clean.xlsx")
    assert report["files"][0]["localisation"] is None


def test_the_terminal_shows_the_fewest_changes_under_the_findings():
    code, out, _ = formcheck("check", SAMPLES / "broken_transfers_t4_5.xlsx")
    assert code == 1
    assert "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 2,应为 0\n" in out


def _random_system(seed: int) -> System:
    rng = random.Random(seed)
    names = [f"表9!A{i}" for i in range(rng.randint(3, 7))]
    kinds = ["figure", "figure", "derived", "referenced"]
    system = System()
    for name in names:
        system.add_cell(Cell(name, float(rng.randint(0, 9)), whole=True, kind=rng.choice(kinds)))
    for k in range(rng.randint(1, 4)):
        chosen = rng.sample(names, rng.randint(1, min(3, len(names))))
        terms = {cell: float(rng.choice([-1, 1, 2])) for cell in chosen}
        op = rng.choice(["<=", ">=", "=="])
        system.constraints.append(Constraint(f"R{k}", terms, op, float(rng.randint(-3, 12))))
    return system


@pytest.mark.parametrize("seed", range(60))
def test_the_sets_tried_one_by_one_are_those_highs_finds(seed):
    system = _random_system(seed)
    weights = {"figure": 1.0, "derived": 0.6, "referenced": 2.0}
    if not any(True for c in system.constraints if not c.holds(system.values())):
        return
    parts = fewest.parts(system)
    for part in parts:
        tried = fewest._tried(part, list(part.cells), weights)
        solved, weight = milp.smallest_sets(part, weights)
        if tried is None:
            continue  # not proven by trying: HiGHS's answer is the one given
        assert tried[1] == pytest.approx(weight)
        if max(len(tried[0]), len(solved)) < milp.MOST_SETS:  # else each lists a different three
            assert sorted(map(sorted, tried[0])) == sorted(map(sorted, solved))


def _solved(seeds: range) -> list:
    return [milp.smallest_sets(_random_system(seed), {"figure": 1.0}) for seed in seeds]


def test_a_child_forked_after_highs_has_solved_still_solves():
    """Every file is read in a child forked from the batch's process: one forked after HiGHS had
    started threads of its own spun for ever in its first solve."""
    from validator import isolate

    here = _solved(range(60))
    assert isolate.run(_solved, range(60), 30) == here


def test_csv_gives_a_row_of_where_to_fix_and_sarif_a_fix(tmp_path):
    import csv
    import io
    import json

    _, out, _ = formcheck("check", SAMPLES / "broken_transfers_t4_5.xlsx", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[-1] == [
        str(SAMPLES / "broken_transfers_t4_5.xlsx"),
        "湘乡市应急管理局",
        "",
        "最少改动",
        "",
        "",
        "表4!E6",
        "",
        "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 2,应为 0",
        "",
        "",
    ]
    _, out, _ = formcheck("check", SAMPLES / "broken_transfers_t4_5.xlsx", "--format", "sarif")
    [fix] = json.loads(out)["runs"][0]["results"][0]["fixes"]
    assert fix["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 6, "startColumn": 5}, "insertedContent": {"text": "0"}}
    ]


def test_the_annotated_copy_frames_the_cells_to_change_and_says_what_to_write(tmp_path, workbook):
    import openpyxl

    copy = tmp_path / "copy.xlsx"
    formcheck("check", SAMPLES / "broken_transfers_t4_5.xlsx", "--annotate", copy)
    sheet = openpyxl.load_workbook(copy)["表4"]
    change, involved = sheet["E6"], sheet["D6"]
    assert (change.border.left.style, change.border.left.color.rgb) == ("thick", "FFC00000")
    assert change.comment.text.endswith("\n\n最少改动:表4!E6 现为 2,应为 0")
    assert involved.border.left.style == "medium" and involved.comment is None
    swapped = workbook({"forms.case_stats.cur.fines": 1023283})
    formcheck("check", swapped, "--treasury", BATCH / "treasury.csv", "--annotate", tmp_path / "fines.xlsx")
    fines = openpyxl.load_workbook(tmp_path / "fines.xlsx")["表1"]["T7"]
    assert fines.comment.text.endswith(
        "可能是笔误:表1!T7 现为 1023283,可能应为 1032283(相邻两位数字颠倒);这样改全部规则成立,且没有别的单处笔误能做到"
    )


@pytest.mark.parametrize(
    "written, kind", [(103.2283, "wan"), (10322833, "extra"), (103283, "missing")], ids=["wan", "extra", "missing"]
)
def test_each_kind_of_slip_the_treasury_contradicts_is_proposed(workbook, written, kind):
    """1,032,283 元 reached the treasury: written in 万元, a digit typed twice, a digit left out."""
    report = check_json(workbook({"forms.case_stats.cur.fines": written}), "--treasury", BATCH / "treasury.csv")
    where = report["files"][0]["localisation"]
    assert where["slip"] == {"cell": "表1!T7", "now": float(written), "proposed": 1032283.0, "kind": kind}
    assert [[change["cell"] for change in chosen] for chosen in where["sets"]] == [["表1!T7"]]
