"""`formcheck consolidate` (validator/consolidate.py, report/consolidated.py): a level's return
made from its units' returns, as the notes say to add them — on real workbooks."""

import os

import openpyxl
import pytest
from conftest import BATCH, clean_figures, formcheck

from validator.report.template import apply_changes, scale_figures, write_return


def _row(path, sheet: str, row: int) -> list:
    """The figures of a row as the workbook holds them (openpyxl, not formcheck's reader)."""
    return [cell.value for cell in openpyxl.load_workbook(path)[sheet][row][2:]]


def _summed(paths, sheet: str, row: int) -> list:
    rows = [_row(path, sheet, row) for path in paths]
    return [sum(values) if all(isinstance(v, (int, float)) for v in values) else None for values in zip(*rows)]


def _consolidated(tmp_path, *args) -> tuple:
    out = tmp_path / "汇总.xlsx"
    code, _, err = formcheck("consolidate", *args, "-o", out)
    return code, err, out


def test_the_sample_city_counts_each_case_once(tmp_path):
    code, err, out = _consolidated(tmp_path, BATCH, "--registry", BATCH / "units.yaml", "--unit", "湘乡市")
    assert (
        code == 0 and err.splitlines()[0] == f"汇总报表已写入 {out}: 计入 3 份报表的案件数,7 份的人员装备;未计入 9 份"
    )
    counted = [
        BATCH / name
        for name in ("01_湘乡市应急管理局.xlsx", "07_湘乡市市场监督管理局.xlsx", "08_湘乡市交通运输局.xlsx")
    ]
    # the county holds its townships (表1 注4), the authority its delegated team (注2): added once
    assert _row(out, "表1", 7) == _summed(counted, "表1", 7)
    assert _row(out, "表2", 7) == _summed(counted, "表2", 7)
    assert (
        "  samples/batch/10_湘乡市应急管理综合执法大队.xlsx: 案件数未计入:由委托机关湘乡市应急管理局统计(表1 注2)"
        in err.replace(str(BATCH.parent.parent) + "/", "")
    )
    units = [r[1].value for r in openpyxl.load_workbook(out)["表3"].iter_rows(min_row=6, max_col=2) if r[1].value]
    assert units[0] == "湘乡市应急管理局" and units[-1] == "合计" and len(units) == 7 + 1  # in registry order
    assert "湘乡市应急管理综合执法大队" in units and "白田镇人民政府" not in units  # its own staff; 白田 has errors
    book = openpyxl.load_workbook(out)
    rows = list(book["表4"].iter_rows(min_row=6, max_col=2, values_only=True))
    assert rows[2:5] == [
        (3, "湘乡市交通运输局"),
        (None, "合计"),
        (None, None),
    ]  # no 序号 for the 合计, no blank row after
    assert [c.value for c in book["明细"][2]][3:5] == ["表1 行政许可 2023", "表1 行政许可 2024"]
    code, out_text, _ = formcheck("check", out)
    assert code == 0 and "错误 0 项" in out_text  # its 合计 rows checked by G-TOTAL, its 同比 worked out again


def _return(folder, unit: str, factor: float, changes=None) -> str:
    from validator.rules.pack import load_pack

    path = folder / f"{unit}.xlsx"
    write_return(str(path), load_pack(), apply_changes(scale_figures(clean_figures(), unit, factor), changes or {}))
    return str(path)


def _registry(folder, units: list, name: str = "units.yaml") -> str:
    path = folder / name
    path.write_text("units:\n" + "".join(f"  - {unit}\n" for unit in units), encoding="utf-8")
    return str(path)


def test_a_unit_that_filed_twice_counts_once_the_later_file(tmp_path):
    again = tmp_path / "甲局(更正).xlsx"
    os.rename(_return(tmp_path, "甲局", 2.0), again)
    first = _return(tmp_path, "甲局", 1.0)  # written after, but filed before:
    os.utime(first, (1_700_000_000, 1_700_000_000))
    registry = _registry(tmp_path, ["{name: 甲局}"])
    code, err, out = _consolidated(tmp_path, first, again, "--registry", registry, "--unit", "乙市")
    assert code == 0 and _row(out, "表1", 7) == _row(again, "表1", 7)
    assert f"  {first}: 未计入:同一单位的较早报表,按较晚的 甲局(更正).xlsx 计" in err


def test_a_return_with_errors_is_counted_only_when_asked_and_said(tmp_path):
    good = _return(tmp_path, "甲局", 1.0)
    wrong = _return(tmp_path, "乙局", 0.5, {"forms.two_law_link.rows.0.criminal_filed": 2})  # T4-5
    registry = _registry(tmp_path, ["{name: 甲局}", "{name: 乙局}"])
    code, err, out = _consolidated(tmp_path, good, wrong, "--registry", registry, "--unit", "丙县")
    assert code == 0 and _row(out, "表1", 7) == _row(good, "表1", 7) and f"  {wrong}: 未计入:有错误" in err
    code, err, out = _consolidated(tmp_path, good, wrong, "--registry", registry, "--unit", "丙县", "--include-failing")
    assert _row(out, "表1", 7) == _summed([good, wrong], "表1", 7)
    details = list(openpyxl.load_workbook(out)["明细"].values)
    assert [row[2] for row in details[2:]] == ["计入", "计入(有错误,按 --include-failing 计入)"]


def test_units_the_registry_does_not_know_and_unreadable_files_are_not_counted(tmp_path):
    good = _return(tmp_path, "甲局", 1.0)
    stranger = _return(tmp_path, "外地局", 1.0)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    registry = _registry(tmp_path, ["{name: 甲局}"])
    code, err, out = _consolidated(tmp_path, good, stranger, broken, "--registry", registry, "--unit", "丙县")
    assert code == 0 and _row(out, "表1", 7) == _row(good, "表1", 7)
    assert f"  {stranger}: 未计入:名录中没有此单位" in err and f"  {broken}: 未计入:无法读取" in err


@pytest.mark.slow
def test_counties_consolidated_into_a_city_give_what_all_units_at_once_give(tmp_path):
    units = {"甲县": [("甲一局", 1.0), ("甲二局", 0.4)], "乙县": [("乙一局", 0.7), ("乙二局", 0.2)]}
    paths = {unit: _return(tmp_path, unit, factor) for county in units.values() for unit, factor in county}
    county_files = []
    for county, members in units.items():
        registry = _registry(tmp_path, [f"{{name: {unit}}}" for unit, _ in members], f"{county}.yaml")
        out = tmp_path / f"{county}汇总.xlsx"
        assert (
            formcheck(
                "consolidate", *(paths[u] for u, _ in members), "--registry", registry, "--unit", county, "-o", out
            )[0]
            == 0
        )
        county_files.append(out)
    city = _registry(tmp_path, ["{name: 甲县}", "{name: 乙县}"], "city.yaml")
    everyone = _registry(tmp_path, [f"{{name: {unit}}}" for unit in paths], "all.yaml")
    two_steps, at_once = tmp_path / "two.xlsx", tmp_path / "once.xlsx"
    assert formcheck("consolidate", *county_files, "--registry", city, "--unit", "丙市", "-o", two_steps)[0] == 0
    assert formcheck("consolidate", *paths.values(), "--registry", everyone, "--unit", "丙市", "-o", at_once)[0] == 0
    for sheet, row in (("表1", 7), ("表1", 8), ("表2", 7), ("表2", 8)):
        assert _row(two_steps, sheet, row) == _row(at_once, sheet, row)
    last = openpyxl.load_workbook(at_once)["表3"].max_row
    assert [c.value for c in openpyxl.load_workbook(two_steps)["表3"][last]] == [
        c.value for c in openpyxl.load_workbook(at_once)["表3"][last]
    ]


def test_batch_consolidates_what_consolidate_does_and_asks_for_its_registry_and_unit(tmp_path):
    alone = tmp_path / "alone.xlsx"
    assert formcheck("consolidate", BATCH, "--registry", BATCH / "units.yaml", "--unit", "湘乡市", "-o", alone)[0] == 0
    within = tmp_path / "within.xlsx"
    code, _, err = formcheck(
        "batch", BATCH, "--registry", BATCH / "units.yaml", "--consolidate", within, "--unit", "湘乡市",
        "-o", tmp_path / "r.json", "--format", "json",
    )  # fmt: skip
    assert code == 1 and f"汇总报表已写入 {within}: 计入 3 份报表的案件数,7 份的人员装备;未计入 9 份" in err
    for sheet in ("表1", "表2", "表3", "表4"):
        assert list(openpyxl.load_workbook(within)[sheet].values) == list(openpyxl.load_workbook(alone)[sheet].values)
    code, _, err = formcheck("batch", BATCH, "--consolidate", tmp_path / "x.xlsx", "-o", tmp_path / "r.json")
    assert (code, err) == (2, "--consolidate 需要 --registry (单位名录) 和 --unit (本级名称)\n")
    assert not (tmp_path / "x.xlsx").exists()


def test_reference_data_keeps_out_a_return_it_contradicts_and_a_missing_registry_stops(tmp_path):
    code, err, out = _consolidated(
        tmp_path, BATCH, "--registry", BATCH / "units.yaml", "--treasury", BATCH / "treasury.csv", "--unit", "湘乡市"
    )
    assert code == 0 and "计入 2 份报表的案件数" in err.splitlines()[0]
    assert f"  {BATCH / '07_湘乡市市场监督管理局.xlsx'}: 未计入:有错误" in err  # B-TREASURY: its fines
    out.unlink()
    code, err, out = _consolidated(tmp_path, BATCH, "--registry", tmp_path / "none.yaml", "--unit", "湘乡市")
    assert (code, err) == (2, f"{tmp_path / 'none.yaml'}: 文件不存在\n") and not out.exists()


def test_crafted_names_are_written_as_text_never_formulas_or_broken_xml(tmp_path):
    """A level's name and a unit's name with a control character and a formula (they crashed the
    writer, or would run in Excel)."""
    crafted = '乙\x07=HYPERLINK("http://example.invalid")'
    unit = _return(tmp_path, "甲局", 1.0, {"forms.support.rows.0.unit_name": crafted})
    registry = _registry(tmp_path, ["{name: 甲局}"])
    code, _, out = _consolidated(tmp_path, unit, "--registry", registry, "--unit", "=cmd|' /C calc'!A0\x1b")
    book = openpyxl.load_workbook(out)
    assert code == 0 and (book["表1"]["B7"].value, book["表1"]["B7"].data_type) == ("=cmd|' /C calc'!A0\\x1b", "s")
    names = [(c.value, c.data_type) for c in book["表3"]["B"] if c.value and "乙" in str(c.value)]
    assert names == [('乙\\x07=HYPERLINK("http://example.invalid")', "s")]
