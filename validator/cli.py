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
    "missing": {"zh": "文件不存在", "en": "no such file"},
    "not_workbook": {"zh": "不是有效的 .xlsx 工作簿({detail})", "en": "not a valid .xlsx workbook ({detail})"},
    "written": {"zh": "报告已写入 {path}", "en": "report written to {path}"},
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
@click.pass_obj
def check(streams: Streams, files, pack_path, fmt, lang, fail_on, output):
    """检查一个或多个报表 (.xlsx) / check one or more returns."""
    from validator import engine, reader
    from validator.grid import ReadError
    from validator.model import Report
    from validator.pack import PackError, load_pack
    from validator.report import REPORTERS

    try:
        pack = load_pack(pack_path, lang)
    except PackError as exc:
        click.echo(say(MESSAGES, "pack", lang, error=exc), file=streams.stderr)
        return EXIT_FAILED
    report, unreadable = Report(), False
    for path in files:
        try:
            ret = reader.read_return(path, pack)
        except ReadError as exc:
            why = say(MESSAGES, exc.key, lang, **exc.params)
            click.echo(say(MESSAGES, "unreadable", lang, file=path, why=why), file=streams.stderr)
            unreadable = True
            continue
        engine.add_return(report, ret, pack, lang)
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
