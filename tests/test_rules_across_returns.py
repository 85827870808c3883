"""Rules across returns and against reference data, on the sample city set (samples/batch/):
each kind of finding, exactly; and a clean city set passes every one of them."""

import json

import pytest
import yaml
from conftest import BATCH, REFERENCE, formcheck

from validator.report.template import write_return
from validator.rules.pack import load_pack

# rule -> [(file name, message, cells, related file names)]
EXPECTED = {
    "G-FILE": [
        (
            "11_湘乡市林业局.xls",
            "文件已损坏: Excel 97-2003 (.xls/.et) 文件的内部结构不完整或有误(bytes length not a multiple of item size);"
            "请用 Excel 或 WPS 打开后重新保存",
            [],
            [],
        )
    ],
    "B-TREASURY": [
        (
            "07_湘乡市市场监督管理局.xlsx",
            "表1 2024 年罚没金额 619370 元与财政入库数 624370 元不一致(相差 5000 元);罚没金额以年底财政入库数额为准",
            ["表1!T7"],
            [],
        )
    ],
    "B-HISTORY": [
        (
            "08_湘乡市交通运输局.xlsx",
            "表1 2023 年行政处罚填 49,而去年报送的同一数字为 45({previous}/08_湘乡市交通运输局.xlsx 表1!N7);如有更正请说明原因",
            ["表1!M7"],
            ["08_湘乡市交通运输局.xlsx"],
        ),
        (
            "08_湘乡市交通运输局.xlsx",
            "表1 2023 年罚没金额填 328707,而去年报送的同一数字为 32.87({previous}/08_湘乡市交通运输局.xlsx 表1!T7),"
            "只有它的万分之一左右:疑为去年报表按万元填写;本表数字如按元填写则无须改动,请在审核说明中注明",
            ["表1!S7"],
            ["08_湘乡市交通运输局.xlsx"],
        ),
    ],
    # 表1's fines of 2022 and 2023 filed in 万元 under the 元 header: 2024's figure, in 元 as its own
    # previous-year column, is ten thousand times theirs, and the past years are the ones said to be off
    "B-JUMP": [
        (
            "08_湘乡市交通运输局.xlsx",
            "表1 2024 年罚没金额填 412913 元,与本表上年数 328707 元相当,而该单位往年报表为 2021 年 26.63、2022 年 29.58、"
            "2023 年 32.87,只有其万分之一左右:疑为往年按万元填写;本年数无须改动,请在审核说明中注明",
            ["表1!T7"],
            ["08_湘乡市交通运输局.xlsx", "08_湘乡市交通运输局.xlsx"],
        )
    ],
    "B-UNKNOWN": [
        (
            "09_湘乡市自然资源和规划局.xlsx",
            "填报单位“湘乡市自然资源和规划局”不在单位名录中(最接近的是“湘乡市自然资源局”);如为同一单位,请按名录填写单位全称",
            ["表1!A2"],
            [],
        )
    ],
    "B-DELEGATED": [
        (
            "10_湘乡市应急管理综合执法大队.xlsx",
            "“湘乡市应急管理综合执法大队”在名录中为受委托单位(委托机关: 湘乡市应急管理局);委托执法数据应由委托机关汇总报送,本单位单独报送会造成重复统计",
            ["表1!A2"],
            [],
        )
    ],
    "B-DUP": [
        (
            "06_东山街道办事处.xlsx",
            "同一单位“东山街道办事处”共报送了 2 份报表,第一份为 {batch}/06_东山街道办事处(修改稿).xlsx;请核实后只保留一份",
            [],
            ["06_东山街道办事处(修改稿).xlsx"],
        )
    ],
    "B-MISSING": [
        ("", "名录中的“湘乡市自然资源局”未报送报表", [], []),
        ("11_湘乡市林业局.xls", "名录中的“湘乡市林业局”报送的文件无法读取: 11_湘乡市林业局.xls", [], []),
        ("", "名录中的“湘乡市城市管理和综合执法局”未报送报表", [], []),
    ],
    "B-CASE-DUP": [
        (
            "03_翻江镇人民政府.xlsx",
            "案件编号 JS-2024-0001 已出现在 {batch}/02_金石镇人民政府.xlsx(案件清单!B6),该报表的填报单位为“金石镇人民政府”;同一案件不得重复统计",
            ["案件清单!B6"],
            ["02_金石镇人民政府.xlsx"],
        )
    ],
    "B-COUNTY": [],  # breaks on the clean set below
    "B-PREVIOUS": [],  # breaks on a folder of last year's returns below
}


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1] if path else ""


@pytest.fixture(scope="module")
def city():
    code, out, err = formcheck("batch", BATCH, *REFERENCE, "--format", "json")
    return code, json.loads(out)


def test_sample_city_set_exits_1(city):
    assert city[0] == 1


@pytest.mark.parametrize("rule", [r for r in EXPECTED if EXPECTED[r]])
def test_each_kind_of_finding_on_the_sample_set(city, rule):
    found = [
        (_name(f["file"]), f["message"], f["cells"], [_name(r) for r in f["related_files"]])
        for f in city[1]["findings"]
        if f["rule"] == rule
    ]
    expected = [
        (file, message.format(batch=BATCH, previous=BATCH / "previous"), cells, related)
        for file, message, cells, related in EXPECTED[rule]
    ]
    assert found == expected


def test_the_rest_of_the_sample_set_is_what_its_data_says(city):
    others = sorted((_name(f["file"]), f["rule"]) for f in city[1]["findings"] if f["rule"] not in EXPECTED)
    assert others == [("04_白田镇人民政府.xlsx", "T1-EXPL"), ("04_白田镇人民政府.xlsx", "T4-5")]


# ---- a clean city set: a county, two townships with case registers, last year's county return ----


def _clean_city(folder, pack):
    from conftest import clean_figures

    from validator.report.template import previous_year, register_for, scale_figures

    folder.mkdir()
    (folder / "previous").mkdir()
    units = [("湘乡市应急管理局", 1.0, None), ("金石镇人民政府", 0.1, "JS"), ("翻江镇人民政府", 0.08, "FJ")]
    treasury = ["单位,年度,入库金额"]
    for index, (unit, factor, prefix) in enumerate(units):
        figures = scale_figures(clean_figures(), unit, factor)
        if prefix:
            figures["forms"]["case_register"] = {"rows": register_for(figures, prefix)}
        write_return(str(folder / f"{index}.xlsx"), pack, figures)
        write_return(str(folder / "previous" / f"{index}.xlsx"), pack, previous_year(figures))
        treasury.append(f"{unit},2024,{figures['forms']['case_stats']['cur']['fines']}")
    (folder / "treasury.csv").write_text("\n".join(treasury) + "\n", encoding="utf-8")
    registry = {
        "units": [
            {"name": "湘乡市应急管理局", "level": "county", "consolidated": True},
            {"name": "金石镇人民政府", "level": "township", "parent": "湘乡市应急管理局"},
            {"name": "翻江镇人民政府", "level": "township", "parent": "湘乡市应急管理局"},
        ]
    }
    (folder / "units.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return [
        "--registry",
        folder / "units.yaml",
        "--treasury",
        folder / "treasury.csv",
        "--previous",
        folder / "previous",
    ]


def test_a_clean_city_set_passes_every_rule_across_returns(tmp_path):
    pack = load_pack()
    reference = _clean_city(tmp_path / "city", pack)
    code, out, err = formcheck("batch", tmp_path / "city", *reference, "--format", "json")
    report = json.loads(out)
    assert (code, report["findings"]) == (0, [])
    for rule in EXPECTED:
        counts = report["rules"][rule]
        assert counts["passed"] >= 1 and counts["failed"] == 0, (rule, counts)


def test_the_treasury_is_compared_for_both_years_where_it_has_them(tmp_path):
    pack = load_pack()
    reference = _clean_city(tmp_path / "city", pack)
    treasury = tmp_path / "city" / "treasury.csv"
    # the county's 2023: the treasury received 821768 元 as filed; a township's 2023 is off by 900 元
    previous = {"湘乡市应急管理局": 821768, "金石镇人民政府": 82177 - 900}
    lines = [f"{unit},2023,{amount}" for unit, amount in previous.items()]
    treasury.write_text(treasury.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = formcheck("batch", tmp_path / "city", *reference, "--format", "json")
    report = json.loads(out)
    assert [(f["rule"], f["message"], f["cells"]) for f in report["findings"]] == [
        (
            "B-TREASURY",
            "表1 2023 年罚没金额 82177 元与财政入库数 81277 元不一致(相差 900 元);罚没金额以年底财政入库数额为准",
            ["表1!S7"],
        )
    ]
    # 2024: 表1 equal and 表2 not above, three units; 2023: both for the county, 表2 for the township
    assert report["rules"]["B-TREASURY"]["passed"] == 3 * 2 + 2 + 1


def test_county_below_its_townships(tmp_path):
    pack = load_pack()
    reference = _clean_city(tmp_path / "city", pack)
    # the county leaves out a township's inspections: its figure falls below their sum
    from conftest import clean_figures

    from validator.report.template import scale_figures

    county = scale_figures(clean_figures(), "湘乡市应急管理局", 1.0)
    county["forms"]["case_stats"]["cur"]["inspection"] = 30
    county["forms"]["case_stats"]["yoy"]["inspection"] = "-93.5%"
    county["forms"]["enterprise_stats"]["cur"]["inspection"] = 30
    county["forms"]["enterprise_stats"]["yoy"]["inspection"] = "-92.9%"
    write_return(str(tmp_path / "city" / "0.xlsx"), pack, county)
    code, out, _ = formcheck("batch", tmp_path / "city", *reference, "--format", "json")
    found = [(f["rule"], f["message"], f["cells"]) for f in json.loads(out)["findings"] if f["rule"] == "B-COUNTY"]
    assert found == [
        (
            "B-COUNTY",
            "表1 2024 年行政检查 30 小于所辖乡镇(街道)合计 106(2 份报表);县市区数据应含乡镇(街道)数据",
            ["表1!L7"],
        ),
        (
            "B-COUNTY",
            "表2 2024 年涉企检查 30 小于所辖乡镇(街道)合计 97(2 份报表);县市区数据应含乡镇(街道)数据",
            ["表2!H7"],
        ),
    ]


def test_county_equal_to_its_townships_where_the_pack_says_so(tmp_path, pack_copy):
    rules = pack_copy / "rules" / "across_returns.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace(
            "with: {forms: [case_stats, enterprise_stats]}\n  severity: error",
            "with: {forms: [case_stats], equal: [case_stats.licensing]}\n  severity: error",
        ),
        encoding="utf-8",
    )
    reference = _clean_city(tmp_path / "city", load_pack())
    code, out, _ = formcheck("batch", tmp_path / "city", *reference, "--pack", pack_copy, "--format", "json")
    found = [(f["message"], f["cells"]) for f in json.loads(out)["findings"] if f["rule"] == "B-COUNTY"]
    assert found == [
        ("表1 2023 年行政许可 256 不等于所辖乡镇(街道)合计 46(2 份报表)", ["表1!C7"]),
        ("表1 2024 年行政许可 284 不等于所辖乡镇(街道)合计 51(2 份报表)", ["表1!D7"]),
    ]


def test_an_unreadable_return_of_last_year_is_a_finding(tmp_path):
    import shutil

    previous = tmp_path / "2023"
    shutil.copytree(BATCH / "previous", previous)
    (previous / "12_湘乡市林业局.xlsx").write_bytes(b"not a workbook")
    code, out, _ = formcheck("batch", BATCH / "01_湘乡市应急管理局.xlsx", "--previous", previous, "--format", "json")
    found = [(f["file"], f["message"]) for f in json.loads(out)["findings"] if f["rule"] == "B-PREVIOUS"]
    assert found == [
        (
            str(previous / "12_湘乡市林业局.xlsx"),
            "上年报表无法读取(不是 Excel 或 WPS 工作簿(.xlsx、.xls、.et、.ods)文件;请确认上传的是报表本身),"
            "与上年的比较未包括它;请换一份可读的上年报表",
        )
    ]


@pytest.mark.parametrize("made, said", [(False, "找不到上年报表所在的文件夹"), (True, "文件夹中没有报表文件")])
def test_a_previous_folder_that_is_not_there_or_holds_no_return_is_refused(tmp_path, made, said):
    folder = tmp_path / "2023"
    if made:
        folder.mkdir()
        (folder / "说明.txt").write_text("上年报表", encoding="utf-8")
    code, _, err = formcheck("check", BATCH / "01_湘乡市应急管理局.xlsx", "--previous", folder)
    assert code == 2 and f"{folder}: {said}" in err


def test_every_rule_across_returns_is_expected_on_the_sample_city(pack):
    assert sorted(EXPECTED) == sorted(r.id for r in pack.rules if r.id.startswith("B-") or r.id == "G-FILE")


def _digest(file: str, hashes: list, rows: list):
    from array import array

    from validator.rules.digest import Digest, Figures

    return Digest(file, file.split(".")[0], 2024, Figures([]), array("q", hashes), array("i", rows), "案件清单!B")


def _case_dup(digests: list, numbers: dict):
    from validator.rules.checks import CHECKS
    from validator.rules.checks.base import Context
    from validator.rules.pack import load_pack

    pack = load_pack()
    rule = pack.rule("B-CASE-DUP")
    ctx = Context(
        pack,
        None,
        (),
        lambda asked: [{row: numbers[file, row] for row in rows if (file, row) in numbers} for file, rows in asked],
    )
    outcomes = list(CHECKS["case_numbers_unique"].run(rule, digests, ctx))
    return [(o.file, str(o.message), o.cells) for o in outcomes if o.status == "failed"], sum(
        o.times for o in outcomes if o.status == "passed"
    )


def test_equal_hashes_are_confirmed_on_the_numbers_read_again():
    digests = [_digest("甲.xlsx", [7, 8], [6, 7]), _digest("乙.xlsx", [7, 9], [6, 7])]
    same = {("甲.xlsx", 6): "A-1", ("乙.xlsx", 6): "A-1"}
    found, passed = _case_dup(digests, same)
    assert found == [
        (
            "乙.xlsx",
            "案件编号 A-1 已出现在 甲.xlsx(案件清单!B6),该报表的填报单位为“甲”;同一案件不得重复统计",
            ("案件清单!B6",),
        )
    ]
    assert passed == 3
    different = {("甲.xlsx", 6): "A-1", ("乙.xlsx", 6): "B-7"}  # two numbers, one hash: no finding
    assert _case_dup(digests, different) == ([], 4)


def test_a_number_that_cannot_be_read_again_is_still_reported():
    digests = [_digest("甲.xlsx", [5, 6], [6, 7]), _digest("乙.xlsx", [5, 5], [6, 7])]
    found, passed = _case_dup(digests, {})
    assert [(file, cells) for file, _, cells in found] == [("乙.xlsx", ("案件清单!B6",)), ("乙.xlsx", ("案件清单!B7",))]
    assert found[0][1] == "案件编号 ? 已出现在 甲.xlsx(案件清单!B6),该报表的填报单位为“甲”;同一案件不得重复统计"
    assert passed == 2


def test_numbers_that_share_a_hash_each_repeat_their_own_first():
    """One hash, two numbers, in four returns: each repeat names the first return with its number."""
    digests = [_digest(f"{name}.xlsx", [3, 7], [5, 6]) for name in "甲乙丙丁"]
    numbers = {("甲.xlsx", 6): "X", ("乙.xlsx", 6): "Y", ("丙.xlsx", 6): "X", ("丁.xlsx", 6): "Y"}
    found, passed = _case_dup(digests, numbers)  # hash 3 has no numbers read again: "?" in every one
    assert [(file, text.split(" 已出现在 ")[0], text.split("(")[0].split(" ")[-1]) for file, text, _ in found] == [
        ("乙.xlsx", "案件编号 ?", "甲.xlsx"),
        ("丙.xlsx", "案件编号 ?", "甲.xlsx"),
        ("丙.xlsx", "案件编号 X", "甲.xlsx"),
        ("丁.xlsx", "案件编号 ?", "甲.xlsx"),
        ("丁.xlsx", "案件编号 Y", "乙.xlsx"),
    ]
    assert passed == 3


def test_repeats_past_the_cap_are_counted_and_said_in_one_more_finding():
    from validator.model import Report
    from validator.rules import engine

    pack = load_pack()
    cases = list(range(105))
    digests = [
        _digest("甲.xlsx", cases, [row + 6 for row in cases]),
        _digest("乙.xlsx", cases, [row + 6 for row in cases]),
    ]
    numbers = {(file, row + 6): f"A-{row}" for file in ("甲.xlsx", "乙.xlsx") for row in cases}
    report = Report()
    engine.add_batch(report, digests, pack, None, lambda asked: [{r: numbers[f, r] for r in rows} for f, rows in asked])
    found = [f for f in report.findings if f.rule == "B-CASE-DUP"]
    assert len(found) == 101 and {f.file for f in found} == {"乙.xlsx"}
    assert found[99].cells == ("案件清单!B105",)
    assert str(found[100].message) == "……本规则另有 5 处同类问题未逐一列出(每个文件最多列出 100 处)"
    counts = report.counts["B-CASE-DUP"]
    assert (counts.evaluated, counts.failed, counts.passed) == (210, 105, 105)


def test_a_number_twice_in_one_register_is_left_to_r_dup():
    found, passed = _case_dup([_digest("甲.xlsx", [5, 5, 6], [6, 7, 8])], {("甲.xlsx", 6): "A", ("甲.xlsx", 7): "A"})
    assert (found, passed) == ([], 3)


@pytest.mark.slow
def test_a_province_s_registry_without_aliases_is_read(tmp_path):
    """100,011 units, 400,045 nodes and not one alias: no YAML bomb (one was refused as such)."""
    units = "".join(f"  - name: 单位{i:06d}\n    level: township\n" for i in range(100_011))
    registry = tmp_path / "units.yaml"
    registry.write_text("units:\n" + units + "  - name: 湘乡市应急管理局\n", encoding="utf-8")
    code, _, err = formcheck("check", BATCH / "01_湘乡市应急管理局.xlsx", "--registry", registry)
    assert code == 0 and err == ""
