"""The lines that say who filed a form, for which year, and whom to call: as real templates write
them, above the header block or in a footer, one label to a cell or several in one."""

import openpyxl
import pytest
from conftest import check_json, formcheck

from validator.read.headerlines import LineSpec, segments
from validator.read.reader import read_return
from validator.rules.pack import load_pack


def _edit(path, edits: dict) -> None:
    book = openpyxl.load_workbook(path)
    for address, value in edits.items():
        sheet, cell = address.split("!")
        book[sheet][cell] = value
    book.save(path)


@pytest.mark.parametrize(
    "text, found",
    [
        (
            "填报单位:湘乡市应急管理局(盖章)    年度:2024年    单位:件",
            [("unit", "湘乡市应急管理局(盖章)"), ("year", "2024年"), ("", "件")],
        ),
        ("填报单位(盖章):某县应急局", [("unit", "某县应急局")]),
        ("填报单位:某某事业单位", [("unit", "某某事业单位")]),  # 单位 inside a name is no label
        (
            "填表人:张三  审核人:李四  联系电话:0731-56781234",
            [("contact", "张三"), ("contact", "李四"), ("contact", "0731-56781234")],
        ),
        ("联系人和联系方式: 张某 13800000000", [("contact", "张某 13800000000")]),
        ("填报单位", [("unit", "")]),  # its value is in the next cell
        ("注: 1. 联系人:不是表头", []),  # a label not at the start: a note, not a line
    ],
)
def test_a_line_is_split_at_every_known_label(text, found):
    assert [(s.kind, s.value) for s in segments(text, LineSpec.of(None))] == found


def test_unit_stops_at_the_next_label_and_the_year_line_agrees(workbook, pack):
    path = workbook()
    _edit(path, {f"表{n}!A2": "填报单位:湘乡市应急管理局(盖章)    年度:2024年    单位:件" for n in range(1, 5)})
    ret = read_return(str(path), pack)
    assert {d.unit for d in ret.forms.values()} == {"湘乡市应急管理局"}
    assert check_json(path)["findings"] == []


def test_a_year_line_that_disagrees_with_the_title(workbook):
    path = workbook()
    _edit(path, {"表3!A2": "填报单位:湘乡市应急管理局(盖章)    年度:2023年"})
    findings = check_json(path)["findings"]
    assert [(f["rule"], f["message"], f["cells"]) for f in findings] == [
        ("G-UNIT", "表3 表头年度为 2023,而标题年度为 2024;请改为同一年度", ["表3!A2", "表3!A1"])
    ]


def test_the_year_comes_from_the_year_line_where_the_title_has_none(workbook):
    path = workbook({"forms.two_law_link.title": '"两法衔接"工作情况统计表'})
    _edit(path, {"表4!A2": "填报单位:湘乡市应急管理局    年度:2024年"})
    assert check_json(path)["findings"] == []


def test_the_contact_is_read_from_a_footer_in_one_cell_or_several(workbook):
    path = workbook()
    book = openpyxl.load_workbook(path)
    for number in range(1, 5):
        sheet = book[f"表{number}"]
        sheet["A3"] = None  # no 联系人 line above the header
        last = sheet.max_row + 2
        if number % 2:
            sheet.cell(last, 1, "填表人:张三    审核人:李四    联系电话:0731-56781234")
        else:
            sheet.cell(last, 1, "联系电话:")
            sheet.cell(last, 2, "13912345678")
            sheet.cell(last, 4, "填报人:王五")
    book.save(path)
    assert check_json(path)["findings"] == []
    ret = read_return(str(path), load_pack())
    assert ret.forms["support"].contact == "张三 李四 0731-56781234"
    assert ret.forms["enterprise_stats"].contact == "13912345678 王五"


def test_a_pack_declares_its_own_labels(workbook, pack_copy):
    form = pack_copy / "forms" / "two_law_link.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "lines:\n  unit: {labels: [报送单位]}\n", encoding="utf-8")
    path = workbook()
    _edit(path, {"表4!A2": "报送单位:湘乡市应急管理局"})
    code, out, err = formcheck("check", path, "--pack", pack_copy, "--format", "json")
    assert code == 0, out + err
