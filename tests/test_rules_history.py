"""A unit's past years (`--previous 2023=DIR --previous 2022=DIR`): B-HISTORY against the return
of the year before, B-JUMP against every past year, B-PREVIOUS for a return in the wrong year's
folder; the option's forms, the summary's sources and the consolidation taking several years."""

import json

import openpyxl
import pytest
from conftest import clean_figures, formcheck

from validator.report.template import apply_changes, previous_year, write_return
from validator.rules.pack import load_pack

# the clean return's 2023 and 2022 returns, as the unit filed them: its history of 表1 is
# inspections 375 (2021, the 2022 return's previous year), 417, 463; fines 665632, 739591, 821768
PAST = ("2023", "2022")


def _unit(folder, now: dict, past: dict = ()) -> list:
    """The clean return changed by `now` (0.xlsx), and the clean return's two years before, each
    changed by past[year]; the --previous options naming them by year."""
    pack = load_pack()
    folder.mkdir()
    write_return(str(folder / "0.xlsx"), pack, apply_changes(clean_figures(), now))
    options, figures = [], clean_figures()
    for year in PAST:
        figures = previous_year(figures)
        (folder / year).mkdir()
        write_return(str(folder / year / "0.xlsx"), pack, apply_changes(figures, dict(past).get(year, {})))
        options += ["--previous", f"{year}={folder / year}"]
    return options


def _found(folder, options: list, rule: str) -> list:
    code, out, err = formcheck("batch", folder / "0.xlsx", *options, "--format", "json")
    assert code in (0, 1), err
    report = json.loads(out)
    return [(f["message"], f["cells"]) for f in report["findings"] if f["rule"] == rule]


MONEY_HINT = "请核对各年是否都按元填写(万元与元相差 10000 倍);如确有变化,请在简析中说明"
COUNT_HINT = "请核对是否多打或漏打了位数;如确有变化,请在简析中说明"


def test_this_years_fines_in_wan_under_the_yuan_header_jump_against_every_past_year(tmp_path):
    # both columns of this year's return in 万元: the return agrees with itself, not with its past
    wan = {"forms.case_stats.cur.fines": 103.23, "forms.case_stats.prev.fines": 82.18}
    options = _unit(tmp_path / "unit", wan)
    assert _found(tmp_path / "unit", options, "B-HISTORY") == [
        (
            f"表1 2023 年罚没金额填 82.18,而去年报送的同一数字为 821768({tmp_path}/unit/2023/0.xlsx 表1!T7),"
            "是它的一万倍左右:疑为本表按万元填写,按元应为 821800",
            ["表1!S7"],
        )
    ]
    assert _found(tmp_path / "unit", options, "B-JUMP") == [
        (
            "表1 2024 年罚没金额填 103.23 元,与该单位往年相差 10 倍以上(2021 年 665632、2022 年 739591、2023 年 821768);"
            + MONEY_HINT,
            ["表1!T7"],
        )
    ]


def test_a_digit_typed_twice_in_a_count_jumps_with_the_count_hint(tmp_path):
    options = _unit(tmp_path / "unit", {"forms.case_stats.cur.inspection": 5890})
    assert _found(tmp_path / "unit", options, "B-JUMP") == [
        (
            "表1 2024 年行政检查填 5890 次,与该单位往年相差 10 倍以上(2021 年 375、2022 年 417、2023 年 463);"
            + COUNT_HINT,
            ["表1!L7"],
        )
    ]


@pytest.mark.parametrize(
    "now, past",
    [
        ({"forms.case_stats.cur.coercion": 50}, {}),  # ten times 5, but small counts do jump
        ({"forms.case_stats.cur.inspection": 4000}, {}),  # nine times 2023's 463: short of ten
        # 2022 filed 2000 penalties (a slip of that year): this year's 80 is not off every year
        ({}, {"2022": {"forms.case_stats.cur.penalty": 2000}}),
        ({"forms.case_stats.cur.fines": 0, "forms.case_stats.yoy.fines": "-100%"}, {}),  # a zero: G-ZERO's
    ],
    ids=["small-count", "nine-times", "one-past-year-off", "zero"],
)
def test_no_jump_without_ten_times_every_past_year(tmp_path, now, past):
    options = _unit(tmp_path / "unit", now, past)
    assert _found(tmp_path / "unit", options, "B-JUMP") == []


def test_the_past_years_own_slip_is_told_by_history_against_the_year_before(tmp_path):
    # 2023's return gave its fines in 万元: this year's previous-year column (in 元) differs from it
    options = _unit(tmp_path / "unit", {}, {"2023": {"forms.case_stats.cur.fines": 82.18}})
    assert _found(tmp_path / "unit", options, "B-HISTORY") == [
        (
            f"表1 2023 年罚没金额填 821768,而去年报送的同一数字为 82.18({tmp_path}/unit/2023/0.xlsx 表1!T7),"
            "只有它的万分之一左右:疑为去年报表按万元填写;本表数字如按元填写则无须改动,请在审核说明中注明",
            ["表1!S7"],
        )
    ]
    # 2022's in 元 too: this year's figure is not off every past year, so no jump
    assert _found(tmp_path / "unit", options, "B-JUMP") == []


def test_past_years_in_wan_are_said_to_be_off_not_this_years_figure(tmp_path):
    wan = {"forms.case_stats.cur.fines": 82.18, "forms.case_stats.prev.fines": 73.96}
    earlier = {"forms.case_stats.cur.fines": 73.96, "forms.case_stats.prev.fines": 66.56}
    options = _unit(tmp_path / "unit", {}, {"2023": wan, "2022": earlier})
    assert _found(tmp_path / "unit", options, "B-JUMP") == [
        (
            "表1 2024 年罚没金额填 1032283 元,与本表上年数 821768 元相当,而该单位往年报表为 2021 年 66.56、"
            "2022 年 73.96、2023 年 82.18,只有其万分之一左右:疑为往年按万元填写;本年数无须改动,请在审核说明中注明",
            ["表1!T7"],
        )
    ]


def test_a_return_in_the_wrong_years_folder_is_set_aside_and_named(tmp_path):
    folder = tmp_path / "unit"
    _unit(folder, {"forms.case_stats.cur.inspection": 5890})
    # the reviewer swaps the folders: 2022's return given as 2023's and the other way round
    swapped = ["--previous", f"2023={folder / '2022'}", "--previous", f"2022={folder / '2023'}"]
    assert _found(folder, swapped, "B-PREVIOUS") == [
        (
            "这份报表是 2022 年的,而它所在的文件夹指明为 2023 年(--previous 2023=…),未用于比较;请把它放入 2022 年的文件夹",
            [],
        ),
        (
            "这份报表是 2023 年的,而它所在的文件夹指明为 2022 年(--previous 2022=…),未用于比较;请把它放入 2023 年的文件夹",
            [],
        ),
    ]
    assert _found(folder, swapped, "B-JUMP") == []  # nothing left to compare with


def test_a_second_return_of_a_unit_and_year_is_named_and_the_first_given_used(tmp_path):
    folder = tmp_path / "unit"
    options = _unit(folder, {}, {"2023": {"forms.case_stats.cur.penalty": 60}})
    again = tmp_path / "again"
    again.mkdir()
    write_return(str(again / "1.xlsx"), load_pack(), previous_year(clean_figures()))
    both = [*options, "--previous", f"2023={again}"]
    assert _found(folder, both, "B-PREVIOUS") == [
        (f"同一单位“湘乡市应急管理局”2023 年的往年报表有两份,比较只用了 {folder}/2023/0.xlsx;请只保留一份", [])
    ]
    assert [cells for _, cells in _found(folder, both, "B-HISTORY")] == [["表1!M7"]]  # 80 against the first's 60


def test_a_past_return_of_this_year_or_of_an_unknown_unit_is_named(tmp_path):
    import yaml

    folder = tmp_path / "unit"
    _unit(folder, {})
    past = tmp_path / "past"
    past.mkdir()
    (past / "this_year.xlsx").write_bytes((folder / "0.xlsx").read_bytes())
    other = apply_changes(previous_year(clean_figures()), {"unit": "湘乡县交通局"})
    write_return(str(past / "other.xlsx"), load_pack(), other)
    units = {"units": [{"name": "湘乡市应急管理局", "level": "county"}]}
    (tmp_path / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    options = ["--previous", past, "--registry", tmp_path / "units.yaml"]
    assert sorted(_found(folder, options, "B-PREVIOUS")) == [
        (
            "往年报表的填报单位“湘乡县交通局”不在单位名录中,未能与本年的报表对应;如为同一单位,请在名录中为它加上别名",
            [],
        ),
        ("这份报表是 2024 年的,与本次审核的报表同年或更晚,不是往年报表,未用于比较;请给出往年的报表", []),
    ]


def test_a_plain_folder_of_several_years_takes_each_returns_own_year(tmp_path):
    folder = tmp_path / "unit"
    _unit(folder, {"forms.case_stats.cur.inspection": 5890, "forms.case_stats.prev.inspection": 470})
    mixed = tmp_path / "past"
    mixed.mkdir()
    for year in PAST:
        (mixed / f"{year}.xlsx").write_bytes((folder / year / "0.xlsx").read_bytes())
    found = _found(folder, ["--previous", mixed], "B-HISTORY")
    assert found == [  # against 2023's return, whichever of the two was read last
        (
            f"表1 2023 年行政检查填 470,而去年报送的同一数字为 463({mixed}/2023.xlsx 表1!L7);如有更正请说明原因",
            ["表1!K7"],
        )
    ]
    assert [cells for _, cells in _found(folder, ["--previous", mixed], "B-JUMP")] == [["表1!L7"]]


@pytest.mark.parametrize(
    "given, said",
    [
        ("23={folder}/2023", "23={folder}/2023: “23”不是年份;请写作 年份=文件夹,如 --previous 2023=上年报表"),
        ("2023={folder}/none", "{folder}/none: 找不到上年报表所在的文件夹;请给出存放上年报表的文件夹"),
        ("2023=", "2023=: 找不到上年报表所在的文件夹;请给出存放上年报表的文件夹"),
        ("", "--previous: 找不到上年报表所在的文件夹;请给出存放上年报表的文件夹"),
    ],
)
def test_a_year_or_folder_that_is_not_one_stops_the_run(tmp_path, given, said):
    folder = tmp_path / "unit"
    _unit(folder, {})
    code, _, err = formcheck("check", folder / "0.xlsx", "--previous", given.format(folder=folder))
    assert code == 2 and said.format(folder=folder) in err


def test_a_year_typed_in_full_width_digits_is_a_year(tmp_path):
    folder = tmp_path / "unit"
    _unit(folder, {"forms.case_stats.cur.inspection": 5890})
    typed = ["--previous", f"２０２３＝{folder / '2023'}", "--previous", f"２０２２={folder / '2022'}"]
    assert [cells for _, cells in _found(folder, typed, "B-JUMP")] == [["表1!L7"]]


def test_a_folder_whose_own_name_looks_like_a_year_is_that_folder(tmp_path):
    folder = tmp_path / "unit"
    _unit(folder, {"forms.case_stats.cur.inspection": 5890})
    odd = tmp_path / "2023=旧"
    (folder / "2023").rename(odd)
    assert [cells for _, cells in _found(folder, ["--previous", odd], "B-JUMP")] == [["表1!L7"]]


def test_the_review_report_lists_each_years_returns(tmp_path):
    folder = tmp_path / "unit"
    options = _unit(folder, {})
    code, _, err = formcheck("batch", folder / "0.xlsx", *options, "--summary", tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["审核报告"]
    used = [(row[0], row[3]) for row in sheet.iter_rows(values_only=True) if str(row[0]).startswith("往年")]
    assert used == [
        ("往年报表(2023 年)", str(folder / "2023" / "0.xlsx")),
        ("往年报表(2022 年)", str(folder / "2022" / "0.xlsx")),
    ]


def test_consolidate_takes_several_past_years(tmp_path):
    import yaml

    folder = tmp_path / "unit"
    options = _unit(folder, {"forms.case_stats.cur.inspection": 5890, "forms.case_stats.yoy.inspection": "+1172.1%"})
    units = {"units": [{"name": "湘乡市应急管理局", "level": "county"}]}
    (tmp_path / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    code, _, err = formcheck(
        "consolidate", folder / "0.xlsx", "--registry", tmp_path / "units.yaml", "--unit", "湘潭市",
        "-o", tmp_path / "汇总.xlsx", *options,
    )  # fmt: skip
    assert code == 0, err  # B-JUMP is a warning: the return is counted
    assert openpyxl.load_workbook(tmp_path / "汇总.xlsx")["表1"]["L7"].value == 5890
