"""The options the checking commands share: the pack, the report's form, the reference data (one
option a source of validator/sources.py) and the caps on what a file may hold."""

from __future__ import annotations

import click

from validator.sources import SOURCES

# What a file may hold: option, default (validator/read/intake.py: Limits), most, help. The reader's
# archive is a plain zip, so what a workbook inflates to stays below 4 GiB.
CAPS = [
    ("--max-size", 512, 4_000, "解压后大小上限 (MB)"),
    ("--max-rows", 1_048_576, None, "每张工作表行数上限"),
    ("--max-columns", 1_000, None, "每张工作表列数上限"),
    ("--max-cells", 10_000_000, None, "每张工作表单元格数上限"),
    ("--max-merges", 10_000, None, "每张工作表合并单元格个数上限"),
    ("--max-text", 256, None, "单元格引用的共享文字总量上限 (MB)"),
    ("--max-cases", 1_000_000, None, "案件清单的案件数上限"),
]


def common_options(command):
    """Options every checking command takes: pack, output, language, exit policy, reference data, caps."""
    options = [
        click.option("--pack", "pack_path", type=click.Path(), help="规则包文件夹 (默认: 内置规则包)"),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "json", "csv", "github", "junit", "sarif"]),
            help="table (默认; GITHUB_ACTIONS=true 时为 github) / json / csv / github / junit / sarif",
        ),
        click.option("-q", "--quiet", is_flag=True, help="只列出问题,不要标题和合计"),
        click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出(运行失败仍为 2)"),
        click.option("--returns-only", is_flag=True, help="跳过不含任何一张表的工作簿(汇总表、入库数等),各说一行"),
        click.option("--select", multiple=True, help="只报告这些规则 (编号或前缀,可用逗号分隔)"),
        click.option("--ignore", multiple=True, help="不报告这些规则 (编号或前缀,可用逗号分隔)"),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning"]),
            default="error",
            show_default=True,
            help="退出码为 1 的最低级别",
        ),
        click.option("-o", "--output", type=click.Path(dir_okay=False), help="把报告写入文件"),
        *(source_option(s) for s in SOURCES),
        click.option("--debug", is_flag=True, help="内部错误时显示完整的调用栈"),
    ]
    for option in reversed(options):
        command = option(command)
    return cap_options(command)


def source_option(source):
    """The option of a source of reference data: a path; a repeated one's, YEAR=FOLDER too."""
    if source.repeated:  # a folder or YEAR=FOLDER, checked as it is loaded (validator/sources.py)
        return click.option(f"--{source.name}", multiple=True, metavar="[YEAR=]DIR", help=source.help)
    return click.option(
        f"--{source.name}", type=click.Path(file_okay=not source.folder, dir_okay=source.folder), help=source.help
    )


def cap_options(command):
    """The caps on what a file may hold (`--max-size` …): `check`, `batch` and `serve` take them."""
    for name, default, most, text in reversed(CAPS):
        command = click.option(name, default=default, show_default=True, type=click.IntRange(1, most), help=text)(
            command
        )
    return command


def limits_of(options: dict):
    """The caps the options give, as intake takes them."""
    from validator.read.intake import Limits

    return Limits(
        max_inflated_mb=options["max_size"],
        max_rows=options["max_rows"],
        max_columns=options["max_columns"],
        max_cells=options["max_cells"],
        max_merges=options["max_merges"],
        max_text_mb=options["max_text"],
        max_cases=options["max_cases"],
    )
