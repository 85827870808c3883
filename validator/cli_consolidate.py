"""`formcheck consolidate`: a level's own return made from its units' returns (validator/consolidate.py)."""

from __future__ import annotations

import click

from validator.cli_options import source_option
from validator.i18n import say
from validator.sources import SOURCES

SOURCES_BY_NAME = {source.name: source for source in SOURCES}

MESSAGES = {
    "written": {
        "zh": "汇总报表已写入 {path}: 计入 {counted} 份报表的案件数,{staffed} 份的人员装备;未计入 {left} 份",
        "en": "consolidated return written to {path}: cases of {counted} returns, staff of {staffed}; {left} not counted",
    },
    "left": {"zh": "  {file}: {why}", "en": "  {file}: {why}"},
    "none": {"zh": "没有可计入的报表,未写出汇总报表", "en": "no return to count: nothing written"},
    "needs": {
        "zh": "--consolidate 需要 --registry (单位名录) 和 --unit (本级名称)",
        "en": "--consolidate needs --registry and --unit",
    },
}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--registry", "registry_path", required=True, type=click.Path(dir_okay=False), help="单位名录 units.yaml")
@click.option("--unit", required=True, help="汇总报表的填报单位 (本级名称)")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="汇总报表 (.xlsx)")
@click.option("--include-failing", is_flag=True, help="有错误的报表也计入 (在明细中注明)")
@source_option(SOURCES_BY_NAME["treasury"])
@source_option(SOURCES_BY_NAME["previous"])
@click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_obj
def consolidate(streams, paths, registry_path, unit, output, include_failing, pack_path, lang, treasury, previous):
    """把各单位报表汇总为本级报表 (表1、表2 为合计,表3、表4 逐单位列出并合计,另附明细) / consolidate returns.

    参考数据与 batch 相同:与之不符的错误 (如财政入库数) 使报表不计入;往年比较只有警告,不影响计入。"""
    from validator.batch import collect_files, review
    from validator.cli import EXIT_FAILED, EXIT_OK
    from validator.cli import MESSAGES as CLI_MESSAGES
    from validator.read.reference import ReferenceFileError
    from validator.report.outputs import MESSAGES as OUTPUT_MESSAGES
    from validator.report.outputs import OutputProblem, check, inputs_of
    from validator.rules.pack import PackError, load_pack
    from validator.sources import load_reference

    files = collect_files(paths)
    try:
        given = {"registry": registry_path, "treasury": treasury, "previous": previous}
        check([output], inputs_of(files, given, pack_path), workbooks=[output])
        pack = load_pack(pack_path)
        reference = load_reference(given, pack)
    except OutputProblem as problem:
        click.echo(say(OUTPUT_MESSAGES, problem.key, lang, **problem.params), file=streams.stderr)
        return EXIT_FAILED
    except PackError as exc:
        click.echo(say(CLI_MESSAGES, "pack", lang, error=exc.said), file=streams.stderr)
        return EXIT_FAILED
    except ReferenceFileError as exc:
        click.echo(str(exc.text.render(lang)), file=streams.stderr)
        return EXIT_FAILED
    refused: list = []
    digests: list = []
    # the same review as batch's, with the same reference data: its errors keep a return out alike
    report = review([str(f) for f in files], pack, reference, refused=refused, kept=digests)
    registry = reference.registry
    made = written(
        streams, report, digests, [f for f, _ in refused], registry, pack, unit, output, include_failing, lang
    )
    return EXIT_OK if made else EXIT_FAILED


def written(streams, report, digests, refused, registry, pack, unit, output, include_failing, lang: str) -> bool:
    """Write the consolidation of a review's returns (`consolidate`, `batch --consolidate`) and say
    what was counted; False after saying why nothing was written. The errors that keep a return out
    are those of its own figures: its filing (twice, delegated, unknown) is decided here."""
    from validator.cli import _written
    from validator.consolidate import consolidate as consolidated
    from validator.consolidate import own_errors, said
    from validator.report import consolidated as workbook

    errors = own_errors(report, pack)
    found = consolidated(digests, errors, refused, registry, pack, unit, include_failing)
    if not any(t.staff for t in found.taken):
        click.echo(say(MESSAGES, "none", lang), file=streams.stderr)
        return False
    if not _written(streams, output, lambda handle: workbook.write(handle, pack, found, digests, lang), lang, True):
        return False
    counted, staffed = sum(t.cases for t in found.taken), sum(t.staff for t in found.taken)
    left = [t for t in found.taken if not t.cases]
    text = say(MESSAGES, "written", lang, path=output, counted=counted, staffed=staffed, left=len(left))
    click.echo(text, file=streams.stderr)
    for taken in left:
        click.echo(say(MESSAGES, "left", lang, file=taken.file, why=said(taken, lang)), file=streams.stderr)
    return True
