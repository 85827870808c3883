"""`formcheck template`: a blank return written from the pack's forms, for units to fill in."""

from __future__ import annotations

import click

from validator.i18n import say


@click.command()
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="报表年度")
@click.option("--unit", default="", help="填报单位")
@click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_obj
def template(streams, output, year, unit, pack_path, lang):
    """写出空白报表模板 (.xlsx),表头、合并单元格和填表说明与规则包一致 / write a blank return."""
    from pathlib import Path

    from validator.cli import EXIT_FAILED, EXIT_OK, MESSAGES, _written
    from validator.report.outputs import MESSAGES as OUTPUT_MESSAGES
    from validator.report.outputs import OutputProblem, check
    from validator.report.template import blank_figures, write_return
    from validator.rules.pack import PackError, load_pack

    if Path(output).exists():
        click.echo(say(MESSAGES, "exists", lang, path=output), file=streams.stderr)
        return EXIT_FAILED
    try:
        check([output], (), workbooks=[output])
    except OutputProblem as problem:
        click.echo(say(OUTPUT_MESSAGES, problem.key, lang, **problem.params), file=streams.stderr)
        return EXIT_FAILED
    try:
        pack = load_pack(pack_path)
    except PackError as exc:
        click.echo(say(MESSAGES, "pack", lang, error=exc.said), file=streams.stderr)
        return EXIT_FAILED
    if not _written(
        streams,
        output,
        lambda handle: write_return(handle, pack, blank_figures(pack, year, unit), review_sheet=True),
        lang,
        True,
    ):
        return EXIT_FAILED
    click.echo(say(MESSAGES, "template", lang, path=output, year=year), file=streams.stderr)
    return EXIT_OK
