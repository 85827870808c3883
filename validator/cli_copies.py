"""The workbooks a run writes from the returns themselves: a return's annotated copy (`check
--annotate`, `batch --annotate-dir`), and the folders a reviewer sends back to the units (`batch
--send-back`, report/sendback.py)."""

from __future__ import annotations

import os

import click

from validator import shown
from validator.cli import MESSAGES, Stop, Streams, _written
from validator.i18n import say

SENT = {
    "sent": {
        "zh": "退回材料已写入 {folder}: {count} 个单位各一个文件夹,未报送 {missing} 个(见 名单.csv)",
        "en": "send-back written to {folder}: a folder for each of {count} units, {missing} not filed (see 名单.csv)",
    },
}


def annotated(streams: Streams, report, path: str, copy: str, limits, lang: str, before_save=None) -> bool:
    """Write one return's annotated copy; False after saying why it has none, Stop if none can be."""
    from validator.report import annotate

    findings, where = [f for f in report.findings if f.file == path], report.localisations.get(path)

    def write(handle) -> None:
        annotate.annotate_file(handle, path, findings, limits, lang, None, where, before_save)

    try:
        if not _written(streams, copy, write, lang, True):
            raise Stop()
    except annotate.NotAnnotated as problem:
        click.echo(shown.for_terminal(problem.said(lang)), file=streams.stderr)
        return False
    said = say(MESSAGES, "annotated_anew" if annotate.is_copied_anew(path) else "annotated", lang, path=copy)
    click.echo(shown.for_terminal(said), file=streams.stderr)
    return True


def sent_back(streams: Streams, report, pack, reference, folder: str, remarks: dict, options: dict) -> bool:
    """A folder for each unit that filed a readable return, its annotated copy with the 审核意见 sheet
    first, and 名单.csv of every registered unit; False after saying what could not be written."""
    from validator.report import annotate, sendback
    from validator.report.common import file_statuses, units_in_order

    lang, limits, registry = options["lang"], options["limits"], reference.registry if reference else None
    statuses = file_statuses(report, pack)
    units = {entry["file"]: (entry["unit"], statuses[entry["file"]]["status"]) for entry in report.files}
    folders, made = {}, True
    for entry in report.files:
        file, status = entry["file"], statuses[entry["file"]]["status"]
        if status == "unreadable":
            continue
        unit_folder = sendback.folder_of(folder, entry["unit"], file)
        copy = annotate.copy_name(unit_folder, file)
        os.makedirs(unit_folder, exist_ok=True)
        mine = [f for f in report.findings if f.file == file]
        opinion = sendback.opinion(entry, mine, status, remarks, options["reviewer"], lang)
        if annotated(streams, report, file, copy, limits, lang, opinion):
            folders[file] = os.path.relpath(unit_folder, folder)
        else:
            made = False
    listing = sendback.listing(registry, units, folders, lang)
    if not _written(streams, os.path.join(folder, "名单.csv"), lambda handle: handle.write(listing), lang):
        return False
    filed = [(file, unit) for file, (unit, _) in units.items()]
    missing = sum(1 for _, known, files in units_in_order(filed, registry) if known is not None and not files)
    count = len(set(folders.values()))
    click.echo(say(SENT, "sent", lang, folder=folder, count=count, missing=missing), file=streams.stderr)
    return made


def sent_back_setup(streams: Streams, folder, remarks_path, files: list, lang: str, options: dict, reference) -> dict:
    """The reviewer's remarks, read before any work; Stop where the folder holds a return checked
    or read as reference (the copies are never written among the inputs), the remarks cannot be read, or a
    consolidation lacks its registry or unit."""
    from validator.cli_consolidate import MESSAGES as CONSOLIDATE
    from validator.files import UnreadableInput
    from validator.report.sendback import BadRemarks, read_remarks

    if options["consolidate"] and not (options["unit"] and reference is not None and reference.registry):
        click.echo(say(CONSOLIDATE, "needs", lang), file=streams.stderr)
        raise Stop()
    from validator.report.outputs import inputs_of
    from validator.sources import SOURCES

    given = {source.name: options.get(source.name) for source in SOURCES}
    read = inputs_of(map(str, files), given, options["pack_path"]) if folder else ()  # as _check_outputs
    if any(os.path.abspath(f).startswith(os.path.abspath(folder) + os.sep) for f in read):
        click.echo(say(SETUP, "inside", lang, folder=folder), file=streams.stderr)
        raise Stop()
    if not remarks_path:
        return {}
    try:
        return read_remarks(remarks_path)
    except BadRemarks as problem:
        click.echo(shown.for_terminal(problem.said(lang)), file=streams.stderr)
    except UnreadableInput as problem:
        click.echo(shown.for_terminal(f"{remarks_path}: {problem.say(lang)}"), file=streams.stderr)
    raise Stop()


SETUP = {
    "inside": {
        "zh": "{folder} 中有本次检查读取的报表;退回材料请写到另一个文件夹",
        "en": "{folder} holds returns this run reads; write the send-back elsewhere",
    },
}


def consolidated_in_batch(streams: Streams, report, kept: list, pack, reference, options: dict) -> bool:
    """`batch --consolidate`: the level's return from the digests the batch already holds."""
    from validator.cli_consolidate import written

    refused = [entry["file"] for entry in report.files if entry["file"] not in {d.file for d in kept}]
    registry = reference.registry
    return written(
        streams, report, kept, refused, registry, pack, options["unit"], options["consolidate"],
        options["include_failing"], options["lang"],
    )  # fmt: skip
