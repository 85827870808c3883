"""The `formcheck` command: parse options, call the library, pick a reporter, set the exit code.

Exit codes: 0 no errors; 1 errors found (or warnings, with --fail-on warning); 2 the run could
not proceed (bad options, a bad rule pack or reference file, an unreadable input for `check`).
"""

from __future__ import annotations

import sys
from typing import Optional

import click

from validator import shown
from validator.cli_options import common_options, limits_of
from validator.cli_words import MESSAGES
from validator.i18n import say
from validator.read import native
from validator.sources import SOURCES

EXIT_OK, EXIT_FAILED = 0, 2  # 1, findings: report.common.exit_code


class Streams:
    def __init__(self, stdout, stderr):
        self.stdout, self.stderr = stdout, stderr


class Stop(Exception):
    """The run cannot proceed; the message has been written."""


class _Commands(click.Group):
    """The commands, those in modules of their own imported only when named (a `check` does not
    pay for `serve`'s or `rules`' imports)."""

    ELSEWHERE = {name: f"validator.cli_{name}" for name in ("rules", "serve", "template", "consolidate")}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.ELSEWHERE])

    def get_command(self, ctx, name):
        if name in self.ELSEWHERE:
            from importlib import import_module

            return getattr(import_module(self.ELSEWHERE[name]), name)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="formcheck", message=f"%(prog)s, version %(version)s; {native.said()}")
@click.option(
    "--debug", is_flag=True, help="内部错误时显示完整的 Python 调用栈 / show the traceback of an internal error"
)
def cli(debug):
    """formcheck: 检查行政执法统计年报 (Excel) 是否符合各表填表说明。"""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@common_options
@click.option("--annotate", type=click.Path(dir_okay=False), help="写出标注了问题的报表副本 (.xlsx)")
@click.pass_obj
def check(streams: Streams, paths, annotate, **options):
    """检查报表 (.xlsx 文件,或文件夹中的全部 .xlsx),不做跨报表检查 / check returns, no checks across them."""
    from validator.batch import collect_files, review

    lang = options["lang"]
    files = collect_files(paths)
    if not files:
        click.echo(say(MESSAGES, "no_files", lang, paths=", ".join(paths)), file=streams.stderr)
        return EXIT_FAILED
    if annotate and len(files) != 1:
        click.echo(say(MESSAGES, "annotate_one", lang), file=streams.stderr)
        return EXIT_FAILED
    try:
        _check_outputs(streams, [options["output"], annotate], options, list(files), [annotate])
        pack, reference, limits = _setup(streams, options)
    except Stop:
        return EXIT_FAILED
    from validator import cli_copies as copies

    refused: list = []
    skipped: Optional[list] = [] if options["returns_only"] else None
    report = review(list(files), pack, reference, limits, across=False, refused=refused, skipped=skipped)
    _aside(streams, pack, lang, refused, skipped, len(files))
    if not _emit(report, pack, options, streams, batch=False):
        return EXIT_FAILED
    try:
        if annotate and not refused and not copies.annotated(streams, report, files[0], annotate, limits, lang):
            return EXIT_FAILED
    except Stop:
        return EXIT_FAILED
    from validator.report.common import exit_code

    # under --exit-zero an unreadable return is a finding like any other (CI's report steps still run)
    return (
        EXIT_FAILED
        if refused and not options["exit_zero"]
        else exit_code(report, options["fail_on"], options["exit_zero"])
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@common_options
@click.option("--summary", type=click.Path(dir_okay=False), help="写出汇总工作簿 (.xlsx)")
@click.option("--details", is_flag=True, help="在终端列出每份报表的问题")
@click.option("--jobs", type=click.IntRange(1), help="并行进程数 (默认: CPU 核数)")
@click.option("--annotate-dir", type=click.Path(file_okay=False), help="为每份报表写出标注副本的文件夹")
@click.option(
    "--send-back", type=click.Path(file_okay=False), help="退回各单位的文件夹:每单位一个,内含标注副本和审核意见"
)
@click.option("--remarks", type=click.Path(dir_okay=False), help="审核人意见 (.csv: 单位,单元格,意见),写入审核意见表")
@click.option("--reviewer", default="", help="审核单位,写入审核意见表")
@click.option("--consolidate", type=click.Path(dir_okay=False), help="写出本级汇总报表 (.xlsx),须同时给出 --unit")
@click.option("--unit", default="", help="汇总报表的填报单位 (本级名称)")
@click.option("--include-failing", is_flag=True, help="有错误的报表也计入汇总 (在明细中注明)")
@click.pass_obj
def batch(streams: Streams, paths, summary, details, jobs, annotate_dir, send_back, remarks, **options):
    """检查一个文件夹中的全部报表,并做跨报表检查 / review a folder of returns, with checks across returns."""
    from validator.batch import collect_files, review
    from validator.cli_copies import annotated, consolidated_in_batch, sent_back, sent_back_setup
    from validator.report import annotate

    lang = options["lang"]
    files = collect_files(paths)
    try:
        copies = [annotate.copy_name(annotate_dir, path) for path in files] if annotate_dir else []
        sums = options["consolidate"]
        _check_outputs(streams, [options["output"], summary, sums, *copies], options, files, [summary, sums])
        pack, reference, limits = _setup(streams, options, jobs)
        noted = sent_back_setup(streams, send_back, remarks, files, lang, options, reference)
    except Stop:
        return EXIT_FAILED
    options["limits"] = limits
    if not files:
        click.echo(say(MESSAGES, "no_files", lang, paths=", ".join(paths)), file=streams.stderr)
        return EXIT_FAILED
    skipped: Optional[list] = [] if options["returns_only"] else None
    kept: list = []
    with _progress(streams, len(files), lang) as bar:
        report = review(files, pack, reference, limits, jobs, bar.update if bar else None, skipped=skipped, kept=kept)
    _aside(streams, pack, lang, [], skipped, len(files))
    if not _emit(report, pack, options, streams, batch=True, details=details):
        return EXIT_FAILED
    if summary:
        from validator.report import summary_xlsx

        cover = (_sources_given(options), reference.registry if reference else None, options["reviewer"])
        if not _written(
            streams, summary, lambda handle: summary_xlsx.write(report, pack, lang, handle, *cover), lang, binary=True
        ):
            return EXIT_FAILED
        click.echo(shown.for_terminal(say(MESSAGES, "summary", lang, path=summary)), file=streams.stderr)
    from validator.report.common import exit_code, file_statuses

    readable = {file for file, status in file_statuses(report, pack).items() if status["status"] != "unreadable"}
    try:  # every copy that can be made is made; a return that has none says why, and the run exits 2
        made = [
            annotated(streams, report, path, copy, limits, lang)
            for path, copy in zip(files, copies)
            if path in readable
        ]
    except Stop:
        return EXIT_FAILED
    if not all(made) or (send_back and not sent_back(streams, report, pack, reference, send_back, noted, options)):
        return EXIT_FAILED
    if sums and not consolidated_in_batch(streams, report, kept, pack, reference, options):
        return EXIT_FAILED
    return exit_code(report, options["fail_on"], options["exit_zero"])


def _aside(streams: Streams, pack, lang: str, refused: list, skipped: Optional[list], total: int) -> None:
    """A line on stderr for each file that is not in the report as a return: unreadable, or skipped."""
    for path, why in refused:
        click.echo(shown.for_terminal(say(MESSAGES, "unreadable", lang, file=path, why=why)), file=streams.stderr)
    forms = "、".join(form.short for form in pack.forms.values() if not form.optional)
    for path in skipped or ():
        click.echo(shown.for_terminal(say(MESSAGES, "skipped", lang, file=path, forms=forms)), file=streams.stderr)
    if skipped and len(skipped) == total:
        click.echo(say(MESSAGES, "none_checked", lang, count=len(skipped)), file=streams.stderr)


def _check_outputs(streams: Streams, outputs: list, options: dict, returns: list, workbooks: list) -> None:
    """Stop before any work if an output would be written over an input of any kind (a return, a
    reference file, last year's returns, the pack), given twice, where no file can be written, or
    a workbook named other than .xlsx."""
    if not any(outputs):  # nothing to write: nothing imported for it (a lighter start for `check`)
        return
    from validator.report.outputs import MESSAGES as OUTPUT_MESSAGES
    from validator.report.outputs import OutputProblem, check, inputs_of

    try:
        check(
            outputs,
            inputs_of(returns, _sources_given(options), options["pack_path"]),
            workbooks,
        )
    except OutputProblem as problem:
        text = say(OUTPUT_MESSAGES, problem.key, options["lang"], **problem.params)
        click.echo(shown.for_terminal(text), file=streams.stderr)
        raise Stop() from None


def _setup(streams: Streams, options: dict, jobs: Optional[int] = None) -> tuple:
    """The pack, the reference data and the caps, or Stop after saying what is wrong."""
    from validator.rules.pack import PackError, load_pack

    lang = options["lang"]
    try:
        pack = load_pack(options["pack_path"])
    except PackError as exc:
        click.echo(say(MESSAGES, "pack", lang, error=exc.said), file=streams.stderr)
        raise Stop() from None
    from validator.report import unknown_selection

    unknown = unknown_selection(options.get("select"), options.get("ignore"), [r.id for r in pack.rules], lang)
    if unknown is not None:
        click.echo(shown.for_terminal(unknown), file=streams.stderr)
        raise Stop()
    limits = limits_of(options)
    return pack, _reference(streams, options, pack, limits, jobs), limits


def _sources_given(options: dict) -> dict:
    """{source name: path} of the reference data the options name."""
    return {source.name: options[source.name] for source in SOURCES if options.get(source.name)}


def _reference(streams: Streams, options: dict, pack, limits, jobs: Optional[int]):
    """The reviewer's reference data, or None without any; Stop after saying what is wrong."""
    given = _sources_given(options)
    if not given:
        return None  # and nothing imported for it: a lighter start for `check`
    from validator.read.reference import ReferenceFileError
    from validator.sources import load_reference

    try:
        return load_reference(given, pack, limits, jobs)
    except ReferenceFileError as exc:
        click.echo(say(MESSAGES, "reference", options["lang"], error=exc.text), file=streams.stderr)
        raise Stop() from None


class _NoBar:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress(streams: Streams, total: int, lang: str):
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe."""
    if not (hasattr(streams.stderr, "isatty") and streams.stderr.isatty()):
        return _NoBar()
    return click.progressbar(length=total, label=say(MESSAGES, "progress", lang), file=streams.stderr)


def _emit(report, pack, options: dict, streams: Streams, batch: bool, details: bool = False) -> bool:
    """Render the report to the terminal or -o; False (after saying why) if it could not be written."""
    from validator.report import chosen_format, reporter, selected
    from validator.report.table import terminal_width as _terminal_width

    lang, fmt = options["lang"], chosen_format(options["fmt"])
    report.findings = selected(report.findings, options["select"], options["ignore"])
    extra = {"width": _terminal_width(streams.stdout)} if fmt == "table" and not options["output"] else {}
    text = reporter(fmt).render(report, pack, lang, batch=batch, details=details, quiet=options["quiet"], **extra)
    if not options["output"]:
        streams.stdout.write(text)
        return True
    if not _written(streams, options["output"], lambda handle: handle.write(text), lang):
        return False
    click.echo(shown.for_terminal(say(MESSAGES, "written", lang, path=options["output"])), file=streams.stderr)
    return True


def _written(streams: Streams, path: str, fill, lang: str, binary: bool = False) -> bool:
    """Write an output atomically; False after saying why it could not be."""
    from validator.report.outputs import MESSAGES as OUTPUT_MESSAGES
    from validator.report.outputs import OutputProblem, write

    try:
        write(path, fill, binary)
    except OutputProblem as problem:
        click.echo(shown.for_terminal(say(OUTPUT_MESSAGES, problem.key, lang, **problem.params)), file=streams.stderr)
        return False
    return True


def run(args, stdout=None, stderr=None) -> int:
    """Run formcheck with `args`, writing to the given streams; returns the exit code. Anything that
    stops the run exits 2 — an internal error too, in one line (its traceback with --debug) — so
    that 1 always means "findings"."""
    streams = Streams(stdout or sys.stdout, stderr or sys.stderr)
    args = list(args)
    try:
        result = cli.main(args=args, prog_name="formcheck", standalone_mode=False, obj=streams)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show(file=streams.stderr)
        return EXIT_FAILED
    except (click.exceptions.Abort, KeyboardInterrupt):
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - an internal error must not look like "findings" (exit 1)
        _say_internal_error(streams, exc, args)
        return EXIT_FAILED
    return result if isinstance(result, int) else EXIT_OK


def _say_internal_error(streams: Streams, exc: Exception, args: list) -> None:
    import traceback

    from validator.isolate import Failed

    lang = "en" if "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in zip(args, args[1:])) else "zh"
    if "--debug" in args:
        streams.stderr.write(exc.details if isinstance(exc, Failed) else traceback.format_exc())
    said = str(exc) if isinstance(exc, Failed) else f"{type(exc).__name__}: {exc}"  # a child's: its last line
    detail = " ".join(said.split())[:300]
    click.echo(say(MESSAGES, "internal", lang, detail=detail), file=streams.stderr)


def main() -> int:
    import validator

    validator.tune_collector()
    return run(sys.argv[1:])
