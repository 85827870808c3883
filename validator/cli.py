"""The `formcheck` command: parse options, call the library, pick a reporter, set the exit code.

Exit codes: 0 no errors; 1 errors found (or warnings, with --fail-on warning); 2 the run could
not proceed (bad options, a bad rule pack, an unreadable input).
"""

from __future__ import annotations

import sys
from typing import Optional

import click

from validator.i18n import say

MESSAGES = {
    "pack": {"zh": "规则包有误,无法检查: {error}", "en": "the rule pack is broken, nothing was checked: {error}"},
    "unreadable": {"zh": "{file}: 无法读取: {why}", "en": "{file}: cannot be read: {why}"},
    "written": {"zh": "报告已写入 {path}", "en": "report written to {path}"},
}
REFUSALS = {
    "missing": {"zh": "文件不存在", "en": "no such file"},
    "directory": {"zh": "这是文件夹,不是文件", "en": "this is a folder, not a file"},
    "unreadable": {"zh": "无法打开({detail})", "en": "cannot be opened ({detail})"},
    "empty": {"zh": "文件为空(0 字节),请重新导出或保存", "en": "the file is empty (0 bytes); export or save it again"},
    "xls": {"zh": "这是旧版 Excel 97-2003 .xls 文件;请在 Excel 或 WPS 中“另存为”Excel 工作簿 (.xlsx) 后再检查",
            "en": "this is an old Excel 97-2003 .xls file; save it as an Excel workbook (.xlsx) and check again"},
    "wps_et": {"zh": "这是 WPS 表格 .et 文件;请在 WPS 中“另存为”Excel 工作簿 (.xlsx) 后再检查",
               "en": "this is a WPS .et file; in WPS save it as an Excel workbook (.xlsx) and check again"},
    "encrypted": {"zh": "工作簿设置了打开密码;请取消密码(文件→信息→保护工作簿)并另存为 .xlsx 后再检查",
                  "en": "the workbook is password-protected; remove the password, save as .xlsx and check again"},
    "xlsb": {"zh": "这是 Excel 二进制工作簿 (.xlsb);请另存为 Excel 工作簿 (.xlsx) 后再检查",
             "en": "this is a binary workbook (.xlsb); save it as an Excel workbook (.xlsx)"},
    "not_zip": {"zh": "不是 Excel 工作簿(.xlsx)文件;请确认上传的是报表本身", "en": "this is not an Excel workbook (.xlsx)"},
    "not_workbook": {"zh": "是压缩包但不是 Excel 工作簿(缺少 xl/workbook.xml);请确认上传的是报表本身",
                     "en": "a zip file but not an Excel workbook (no xl/workbook.xml)"},
    "truncated": {"zh": "文件已损坏或不完整(可能传输中断);请重新保存或重新发送", "en": "the file is damaged or truncated; save or send it again"},
    "damaged": {"zh": "文件已损坏,无法读取({detail});请用 Excel 或 WPS 打开后重新保存",
                "en": "the file is damaged ({detail}); open it in Excel or WPS and save it again"},
    "too_big": {"zh": "解压后超过 {cap} MB 上限(可能是压缩炸弹或嵌入了大文件),未读取", "en": "inflates to more than {cap} MB (a zip bomb or a large embedded file); not read"},
    "too_many_members": {"zh": "压缩包内有 {count} 个文件,超过 {cap} 个上限,未读取", "en": "holds {count} parts, more than {cap}; not read"},
    "too_many_rows": {"zh": "工作表“{sheet}”有 {count} 行,超过 {cap} 行上限,未读取;请删除多余的行",
                      "en": "sheet \"{sheet}\" has {count} rows, more than {cap}; not read. Delete the surplus rows"},
    "too_many_columns": {"zh": "工作表“{sheet}”用到第 {count} 列,超过 {cap} 列上限,未读取;请删除远处多余的单元格",
                         "en": "sheet \"{sheet}\" reaches column {count}, more than {cap}; not read. Delete the stray far-off cells"},
    "too_many_cells": {"zh": "工作表“{sheet}”的范围有 {count} 个单元格,超过 {cap} 上限,未读取",
                       "en": "sheet \"{sheet}\" spans {count} cells, more than {cap}; not read"},
    "unsafe_xml": {"zh": "工作簿含有不安全的 XML 结构({detail}),未读取", "en": "the workbook holds unsafe XML ({detail}); not read"},
    "bad_xml": {"zh": "工作簿内部文件 {member} 已损坏({detail});请用 Excel 或 WPS 打开后重新保存",
                "en": "the part {member} is damaged ({detail}); open the file in Excel or WPS and save it again"},
}
EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


class Streams:
    def __init__(self, stdout, stderr):
        self.stdout, self.stderr = stdout, stderr


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="formcheck")
def cli():
    """formcheck: 检查行政执法统计年报 (Excel) 是否符合各表填表说明。"""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="退出码为 1 的最低级别")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="把报告写入文件")
@click.option("--max-size", default=128, show_default=True, type=click.IntRange(1), help="解压后大小上限 (MB)")
@click.option("--max-rows", default=200_000, show_default=True, type=click.IntRange(1), help="每张工作表行数上限")
@click.option("--max-columns", default=1_000, show_default=True, type=click.IntRange(1), help="每张工作表列数上限")
@click.pass_obj
def check(streams: Streams, files, pack_path, fmt, lang, fail_on, output, max_size, max_rows, max_columns):
    """检查一个或多个报表 (.xlsx) / check one or more returns."""
    from validator import engine, reader
    from validator.intake import Limits, Refused
    from validator.model import Report
    from validator.pack import PackError, load_pack
    from validator.report import REPORTERS

    try:
        pack = load_pack(pack_path, lang)
    except PackError as exc:
        click.echo(say(MESSAGES, "pack", lang, error=exc), file=streams.stderr)
        return EXIT_FAILED
    report, unreadable = Report(), False
    limits = Limits(max_inflated_mb=max_size, max_rows=max_rows, max_columns=max_columns)
    for path in files:
        try:
            ret = reader.read_return(path, pack, limits)
        except Refused as exc:
            why = say(REFUSALS, exc.key, lang, **exc.params)
            click.echo(say(MESSAGES, "unreadable", lang, file=path, why=why), file=streams.stderr)
            unreadable = True
            continue
        engine.add_return(report, ret, pack, lang)
    if report.files:
        _emit(REPORTERS[fmt].render(report, pack, lang), output, streams, lang)
    if unreadable:
        return EXIT_FAILED
    return exit_code(report, fail_on)


def exit_code(report, fail_on: str) -> int:
    failing = ("error",) if fail_on == "error" else ("error", "warning")
    return EXIT_FINDINGS if any(f.severity in failing for f in report.findings) else EXIT_OK


def _emit(text: str, output: Optional[str], streams: Streams, lang: str) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(say(MESSAGES, "written", lang, path=output), file=streams.stderr)
    else:
        streams.stdout.write(text)


def run(args, stdout=None, stderr=None) -> int:
    """Run formcheck with `args`, writing to the given streams; returns the exit code."""
    streams = Streams(stdout or sys.stdout, stderr or sys.stderr)
    try:
        result = cli.main(args=list(args), prog_name="formcheck", standalone_mode=False, obj=streams)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show(file=streams.stderr)
        return EXIT_FAILED
    except click.exceptions.Abort:
        return EXIT_FAILED
    return result if isinstance(result, int) else EXIT_OK


def main() -> int:
    return run(sys.argv[1:])
