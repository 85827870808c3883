"""Returns laid out as offices really lay them out: a cover or contents sheet that names the forms,
period headers written "2023年度" or in full-width digits with spacer rows under them, 合计 rows
above the unit rows. A correct return so laid out must stay silent; a wrong one is found on its cell."""

import openpyxl
import pytest
from conftest import check_json

TITLES = [
    "行政执法案件数据情况统计表",
    "涉企行政执法数据情况统计表",
    "行政执法保障情况统计表",
    '"两法衔接"工作情况统计表',
]


def _findings(report: dict, rule=None) -> list:
    return [(f["rule"], f["message"], f["cells"]) for f in report["findings"] if rule in (None, f["rule"])]


def _with_cover(path, rows: list, name: str = "封面", hidden: bool = False) -> None:
    book = openpyxl.load_workbook(path)
    cover = book.create_sheet(name, 0)
    for line in rows:
        cover.append(line)
    if hidden:
        cover.sheet_state = "hidden"
    book.save(path)


COVERS = {
    "contents": [["目录"], ["一、2024年" + TITLES[0], "第1页"], ["二、2024年" + TITLES[1], "第2页"]]
    + [["三、2024年" + TITLES[2], "第3页"], ["四、2024年" + TITLES[3], "第4页"]],
    "cover": [
        ["湘乡市应急管理局"],
        ["2024年度行政执法统计年报"],
        ["包括:"],
        *[[t] for t in TITLES],
        ["报送日期:2025年1月10日"],
    ],
    "instructions with a 序号 column": [["填报说明"], ["序号", "表名", "说明"]]
    + [[i, "2024年" + t, "按注释填写"] for i, t in enumerate(TITLES, 1)],
    "one cell": [["本年报包括" + "、".join(TITLES) + "四张表,请逐表填写。"]],
}


@pytest.mark.parametrize("kind", sorted(COVERS))
def test_a_sheet_that_only_names_the_forms_is_not_a_form(workbook, kind):
    path = workbook()
    _with_cover(path, COVERS[kind])
    report = check_json(path)
    assert (report["exit_code"], _findings(report)) == (0, [])


def test_a_cover_on_a_wrong_return_leaves_the_real_findings_on_the_real_sheets(workbook):
    path = workbook({"forms.two_law_link.rows.0.criminal_filed": 1})
    _with_cover(path, COVERS["contents"], name="目录")
    assert [(rule, cells) for rule, _, cells in _findings(check_json(path))] == [
        ("T4-5", ["表4!E6", "表4!D6", "表4!F6", "表4!G6"])  # 表1 counts no transfer: fix the outcome
    ]


def test_a_real_second_copy_is_still_two_copies_beside_a_cover(workbook):
    path = workbook()
    _with_cover(path, COVERS["cover"])
    book = openpyxl.load_workbook(path)
    book.copy_worksheet(book["表2"]).title = "表2 (2)"
    book.save(path)
    assert _findings(check_json(path), "G-FORMS") == [
        (
            "G-FORMS",
            "表2“涉企行政执法数据情况统计表”在工作簿中出现 2 次,在工作表“表2”、“表2 (2)”;"
            "已按工作表“表2”检查,请删除多余的表后再检查",
            ["表2!A1", "'表2 (2)'!A1"],
        )
    ]


YEARS = {
    "numbers": (2023, 2024),
    "年": ("2023年", "2024年"),
    "年度": ("2023年度", "2024年度"),
    "spaced": ("2023 年", "2024 年 "),
    "full-width": ("２０２３年度", "２０２４"),
    "remark": ("2023年(上年)", "2024年(本年)"),
}


@pytest.mark.parametrize("kind", sorted(YEARS))
@pytest.mark.parametrize("spacer", [False, True])
def test_period_headers_as_offices_write_them(workbook, kind, spacer):
    path = workbook({"forms.case_stats.header_years": list(YEARS[kind])})
    book = openpyxl.load_workbook(path)
    sheet = book["表1"]
    sheet.cell(6, 3).value, sheet.cell(6, 4).value = YEARS[kind]  # 表1 as typed; 表2 stays numbers
    if spacer:
        sheet.insert_rows(7)  # a blank row between the years and the figures (merges move with it)
        _move_merges_below(sheet, 7)
    book.save(path)
    report = check_json(path)
    assert (report["exit_code"], _findings(report)) == (0, [])


def test_a_wrong_year_written_as_offices_write_it_is_still_found(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    book["表1"]["C6"], book["表1"]["D6"] = "2022年度", "２０２４年度"
    book.save(path)
    assert _findings(check_json(path), "G-PERIOD")[0][1:] == (
        "表1 表头期别为 2022|2024,按标题年度 2024 应为 2023|2024",
        ["表1!C6", "表1!D6"],
    )


def _move_merges_below(sheet, row: int) -> None:
    """openpyxl's insert_rows leaves merged ranges where they were: move those at or below `row`."""
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row >= row:
            merged.shift(0, 1)


LINK = ["transferred", "criminal_filed", "criminal_not_filed", "not_prosecuted"]
LINK += ["reverse_received", "admin_penalty_filed", "no_admin_penalty"]


def _unit(name: str, n: int) -> dict:
    return dict(zip(LINK, (n, n - 1, 0, 1 if n > 1 else 0, n, 1, 0)), unit_name=name, uses_platform="是")


def _total(name: str, units: list, off_by: int = 0) -> dict:
    total = {field: sum(unit[field] for unit in units) for field in LINK}
    return {**total, "transferred": total["transferred"] + off_by, "unit_name": name}


def _linkage(workbook, rows: list, serials: list):
    """A return whose 表4 lists `rows` numbered as `serials` (None: no number), 表1's transfers the
    units' sum."""
    transferred = sum(r["transferred"] for r, s in zip(rows, serials) if isinstance(s, int))
    path = workbook(
        {
            "forms.two_law_link.rows": rows,
            "forms.case_stats.cur.transferred": transferred,
            "forms.case_stats.yoy.transferred": "+233.3%" if transferred == 10 else "+66.7%",
        }
    )
    book = openpyxl.load_workbook(path)
    for row, serial in enumerate(serials, 6):
        book["表4"].cell(row, 1).value = serial
    book.save(path)
    return check_json(path)


UNITS = [_unit(name, n) for name, n in (("甲镇", 1), ("乙镇", 2), ("丙乡", 3), ("丁街道", 4))]


@pytest.mark.parametrize("label, serial", [("全市合计", None), ("", "合计"), ("合 计", "合计")])
def test_a_total_above_the_unit_rows_is_checked_not_swallowed(workbook, label, serial):
    right = _linkage(workbook, [_total(label, UNITS), *UNITS], [serial, 1, 2, 3, 4])
    assert (right["exit_code"], _findings(right)) == (0, [])
    assert right["rules"]["G-TOTAL"]["passed"] == 7
    wrong = _linkage(workbook, [_total(label, UNITS, off_by=1), *UNITS], [serial, 1, 2, 3, 4])
    named = serial or label  # the 序号 column names the row where it holds a word
    assert _findings(wrong) == [
        (
            "G-TOTAL",
            f"{named}行的移送案件数为 11,而 4 个单位之和为 10;请改正{named}行或核对各单位数字",
            ["表4!D6", "表4!D7", "表4!D8", "表4!D9", "表4!D10"],
        )
    ]


def test_subtotals_that_head_their_groups_sum_the_units_below_them(workbook):
    first, second = UNITS[:2], UNITS[2:]
    rows = [_total("合计", UNITS), _total("城区小计", first), *first, _total("乡镇小计", second, off_by=1), *second]
    wrong = _linkage(workbook, rows, ["合计", "小计", 1, 2, "小计", 3, 4])
    assert _findings(wrong) == [
        (
            "G-TOTAL",
            "小计行的移送案件数为 8,而 2 个单位之和为 7;请改正小计行或核对各单位数字",
            ["表4!D10", "表4!D11", "表4!D12"],
        )
    ]


def test_subtotals_between_and_a_total_below_sum_the_units_above_them(workbook):
    first, second = UNITS[:2], UNITS[2:]
    rows = [*first, _total("小计", first, off_by=1), *second, _total("小计", second), _total("合计", UNITS)]
    wrong = _linkage(workbook, rows, [1, 2, "小计", 3, 4, "小计", "合计"])
    assert _findings(wrong) == [
        (
            "G-TOTAL",
            "小计行的移送案件数为 4,而 2 个单位之和为 3;请改正小计行或核对各单位数字",
            ["表4!D8", "表4!D6", "表4!D7"],
        )
    ]


def test_a_two_period_form_headed_项目_without_numbers_or_a_unit_column(workbook):
    """表1 as some offices lay it out: the first column headed 项目 and labelling its rows (数值,
    同比增减, 数据变化原因简析), no 序号 numbers, no unit-name column (the 填报单位 line names it), and
    a blank row between the years and the figures."""
    path = workbook()
    book = openpyxl.load_workbook(path)
    sheet = book["表1"]
    sheet["A4"] = "项目"
    for row, label in ((7, "数值"), (8, "同比增减"), (9, "数据变化原因简析")):
        sheet.cell(row, 1).value, sheet.cell(row, 2).value = label, None
    sheet["B4"] = None
    sheet.insert_rows(7)
    _move_merges_below(sheet, 7)
    book.save(path)
    report = check_json(path)
    assert (report["exit_code"], _findings(report)) == (0, [])
    assert report["rules"]["T1-YOY"]["passed"] == 10
    wrong = workbook({"forms.case_stats.cur.licensing": 300})
    book = openpyxl.load_workbook(wrong)
    book["表1"]["A4"] = "项目"
    book.save(wrong)
    assert [(rule, cells) for rule, _, cells in _findings(check_json(wrong))] == [
        ("T1-YOY", ["表1!C8", "表1!C7", "表1!D7"])
    ]


@pytest.mark.parametrize("form, sheet", [("case_stats", "表1"), ("enterprise_stats", "表2")])
def test_a_year_header_typed_the_wrong_way_round_is_one_finding_on_the_header(workbook, form, sheet):
    path = workbook({f"forms.{form}.header_years": [2024, 2023]})  # the figures stay 2023 | 2024
    report = check_json(path)
    agree = {"case_stats": 8, "enterprise_stats": 7}[form]
    assert _findings(report) == [
        (
            "G-PERIOD",
            f"{sheet} 表头年份写为 2024|2023,但同比增减行有 {agree} 项与数字按 2023|2024 排列相符"
            "(按表头顺序相符 0 项);已按 2023|2024 检查数字,请把表头改为 2023|2024",
            [f"{sheet}!C6", f"{sheet}!D6"],
        )
    ]


def test_figures_laid_out_as_their_reversed_header_says_are_read_by_the_header(workbook):
    from conftest import clean_figures

    stats = clean_figures()["forms"]["case_stats"]
    path = workbook(
        {
            "forms.case_stats.header_years": [2024, 2023],
            "forms.case_stats.prev": stats["cur"],  # the left column holds 2024, as its header says
            "forms.case_stats.cur": stats["prev"],
        }
    )
    report = check_json(path)
    assert (report["exit_code"], _findings(report)) == (0, [])


def test_a_reversed_header_without_changes_that_say_otherwise_is_read_as_written(workbook):
    changes = {f"forms.case_stats.yoy.{field}": None for field in ("licensing", "coercion", "inspection", "penalty")}
    changes.update({f"forms.case_stats.yoy.{f}": None for f in ("complaint_cases", "legal_review", "fines")})
    path = workbook({"forms.case_stats.header_years": [2024, 2023], **changes})
    report = check_json(path)  # one change (移送 -100%) is too little to doubt the header
    assert _findings(report, "G-PERIOD") == []
    assert [message for rule, message, _ in _findings(report, "T1-YOY")][-1] == (
        "移送司法机关刑事案件件数 同比增减填了“-100%”,但 2023 年为 0(基数为 0),无法计算百分比,应填“—”"
    )


@pytest.mark.slow
def test_office_typed_returns_resaved_by_libreoffice_are_read_alike(workbook, tmp_path):
    """A cover, 年度 headers over a spacer row, a wrong 合计 on top and a backwards year header,
    each as openpyxl wrote it and as LibreOffice saves it again: the same findings, cell for cell."""
    import office

    office.needed()
    cover = workbook(name="cover.xlsx")
    _with_cover(cover, COVERS["contents"])
    years = workbook({"forms.case_stats.header_years": ["2023年度", "２０２４年度"]}, name="years.xlsx")
    book = openpyxl.load_workbook(years)
    book["表1"].insert_rows(7)
    _move_merges_below(book["表1"], 7)
    book.save(years)
    total = workbook(
        {
            "forms.two_law_link.rows": [_total("全市合计", UNITS, off_by=1), *UNITS],
            "forms.case_stats.cur.transferred": 10,
            "forms.case_stats.yoy.transferred": "+233.3%",
        },
        name="total.xlsx",
    )
    book = openpyxl.load_workbook(total)
    for row, serial in enumerate([None, 1, 2, 3, 4], 6):
        book["表4"].cell(row, 1).value = serial
    book.save(total)
    backwards = workbook({"forms.enterprise_stats.header_years": [2024, 2023]}, name="backwards.xlsx")
    written = [cover, years, total, backwards]
    resaved = office.convert(written, "xlsx", tmp_path / "resaved")
    for original, again in zip(written, resaved):
        found = _findings(check_json(original))
        assert _findings(check_json(again)) == found, original.name
    assert [len(_findings(check_json(path))) for path in written] == [0, 0, 1, 1]
