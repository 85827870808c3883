"""The terminal report: grouped by form, exact wording, wrapped for Chinese, summary line."""

from conftest import SAMPLES, formcheck

from validator.report.table import wrap


def test_as_filed_table_groups_by_form_in_pack_order():
    code, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx")
    assert code == 1
    heads = [line for line in out.splitlines() if line.startswith("【")]
    assert heads == [
        "【表1 行政执法案件数据情况统计表】",
        "【表2 涉企行政执法数据情况统计表】",
        "【表3 行政执法保障情况统计表】",
    ]
    assert (
        out.splitlines()[0]
        == "文件: " + str(SAMPLES / "as_filed.xlsx") + "    填报单位: 湘乡市应急管理局    年度: 2024"
    )
    assert "→ 错误" not in out  # one file: its totals are said once, in the summary line
    assert (
        out.rstrip().splitlines()[-1]
        == "错误 5 项,警告 4 项,提示 0 项。规则检查 213 次: 通过 204,未通过 9,需参考数据未评估 46,数据空白未评估 0。"
    )


def test_errors_come_before_warnings_within_a_form():
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx")
    form2 = out.split("【表2")[1].split("【表3")[0]
    assert form2.index("X-SUBSET") < form2.index("T2-EXPL")


def test_english():
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--lang", "en")
    assert "【表2 Enterprise-related enforcement figures】" in out
    assert (
        out.rstrip().splitlines()[-1]
        == "5 errors, 4 warnings, 0 notes. Rule checks: 213 evaluated, 204 passed, 9 failed, 46 not evaluated for want of reference data, 0 not evaluated for blank inputs."
    )


def test_clean_file():
    _, out, _ = formcheck("check", SAMPLES / "clean.xlsx")
    assert out.splitlines()[1] == "未发现问题。"


def test_wrap_counts_chinese_as_two_columns():
    assert wrap("行政检查增加", 8) == "行政检查\n增加"
    assert wrap("the change is written", 10) == "the change\nis written"


def test_not_evaluated_for_want_of_reference_data_and_for_blanks_are_counted_apart():
    _, out, _ = formcheck("check", SAMPLES / "broken_blank_count.xlsx")
    assert out.strip().splitlines()[-1] == (
        "错误 1 项,警告 0 项,提示 0 项。规则检查 211 次: 通过 210,未通过 1,需参考数据未评估 46,数据空白未评估 1。"
    )
    _, out, _ = formcheck("check", SAMPLES / "clean.xlsx", "--treasury", SAMPLES / "batch" / "treasury.csv")
    assert out.strip().splitlines()[-1] == (
        "错误 0 项,警告 0 项,提示 0 项。规则检查 215 次: 通过 215,未通过 0,需参考数据未评估 44,数据空白未评估 0。"
    )


def test_the_table_fits_an_80_column_terminal_and_no_line_starts_with_a_closing_mark(pack):
    from wcwidth import wcswidth

    from validator.batch import collect_files, review
    from validator.report.table import render

    for paths, batch in (([SAMPLES / "as_filed.xlsx"], False), ([SAMPLES / "batch"], True)):
        report = review(collect_files(paths), pack, None, across=batch)
        lines = render(report, pack, "zh", batch=batch, details=True, width=80).splitlines()
        tables = [line for line in lines if line[:1] in "┌│├└"]
        assert tables and max(map(wcswidth, tables)) <= 80
        assert not any(
            cell.strip()[:1] in "、,,。" for line in tables for cell in line.split("│")[1:-1] if cell.strip()
        )


def test_quiet_names_each_file_when_there_are_several():
    files = [SAMPLES / "broken_yoy_t1.xlsx", SAMPLES / "broken_wan_fines.xlsx"]
    _, several, _ = formcheck("check", *files, "-q")
    banners = [line for line in several.splitlines() if line.startswith("文件: ")]
    assert banners == [f"文件: {path}    填报单位: 湘乡市应急管理局    年度: 2024" for path in files]
    _, one, _ = formcheck("check", files[0], "-q")
    assert not one.startswith("文件: ") and one.startswith("┌")


def test_a_finding_across_returns_names_its_cell_under_its_file():
    from conftest import BATCH

    code, out, _ = formcheck("batch", BATCH / "07_湘乡市市场监督管理局.xlsx", "--treasury", BATCH / "treasury.csv")
    across = out[out.index("【跨报表及参考数据检查】") :]
    assert "文件与单元格" in across.splitlines()[2]
    assert "│ 单元格 表1!T7 " in across  # under the file: where to change it
