"""What a request's worker process does (web/jobs.py keeps the pool): the same calls as `formcheck
check` and `formcheck batch` on the files of the request's folder, rendered by the same reporters,
with the client's file names put back. Imported by the fork server before any worker starts, so
that a worker starts with everything loaded and the pack compiled."""

from __future__ import annotations

import io
import json
import os

from validator.batch import review
from validator.i18n import said, say
from validator.numbers import format_number
from validator.read.grid import grids_of
from validator.read.intake import Refused
from validator.read.reference import ReferenceFileError
from validator.report import annotate, reporter, summary_xlsx
from validator.report.common import exit_code, file_statuses
from validator.rules.pack import load_pack
from validator.sources import load_reference
from validator.web.jobs import Answer, Job, JobFailed
from validator.web.uploads import client_names, rename

MOST_ROWS, MOST_COLUMNS, MOST_SHEETS = 150, 40, 12  # of each sheet drawn in the page
MOST_SHOWN = 100  # characters of a cell drawn in the page's grid: a crafted shared text 100 KB long, in
# every cell of every sheet, made the answer to a 465 KB upload 384 MB
PACK = "FORMCHECK_SERVE_PACK"  # the service's pack, loaded in the fork server so that no child loads it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def do(job: Job) -> Answer:
    os.chdir(job.folder)  # the stored names are relative: reports never show the folder
    pack = load_pack(job.pack)
    if job.kind == "batch":
        return _batch(_unpacked(job), pack)
    refused: list = []
    report = review(list(job.files), pack, None, job.limits, across=False, refused=refused, contained=job.contained)
    code = 2 if refused else exit_code(report)
    if job.kind == "annotate":
        return _annotated_copy(job, report, refused, pack)
    rename(report, job.names)
    document = reporter("json").render(report, pack, job.lang)
    if job.kind == "inspect":
        sheets = [] if refused else _sheets(job.files[0], report)
        document = json.dumps({"report": json.loads(document), "sheets": sheets}, ensure_ascii=False)
    return Answer(document.encode("utf-8"), "application/json", "", code)


def _annotated_copy(job: Job, report, refused: list, pack) -> Answer:
    """The annotated copy; with explanations typed in the page, the copy they are written to is
    checked and annotated again, so that it says them explained (blue, counted) as a check of the
    filed copy will."""
    if refused:
        raise JobFailed("unreadable", refused[0][1])
    path = job.files[0]
    buffer = io.BytesIO()
    try:
        where = report.localisations.get(path)
        annotate.annotate_file(buffer, path, list(report.findings), job.limits, job.lang, job.review_notes, where)
        if job.review_notes:
            noted = "noted-copy.xlsx"  # beside the stored files (u0001-…): never one of their names
            with open(noted, "wb") as handle:
                handle.write(buffer.getvalue())
            again = review([noted], pack, None, job.limits, across=False, contained=job.contained)
            buffer = io.BytesIO()
            where = again.localisations.get(noted)
            annotate.annotate_file(buffer, noted, list(again.findings), job.limits, job.lang, None, where)
    except annotate.NotAnnotated as problem:
        raise JobFailed("not_annotated", client_names(problem.said(job.lang), job.names)) from None
    stem = os.path.splitext(job.names.get(path, "return.xlsx"))[0]
    return Answer(buffer.getvalue(), XLSX, f"{stem}_审核.xlsx")


def _unpacked(job: Job) -> Job:
    """The batch with each uploaded .zip unpacked, here in the worker, under its time limit: its
    returns in its place among the files, a reference folder's into that folder."""
    from dataclasses import replace

    from validator.web.uploads import MESSAGES as UPLOAD_MESSAGES
    from validator.web.uploads import UploadProblem, Zipped

    store = job.store
    try:
        files = [path for item in job.files for path in (store.unpack(item) if isinstance(item, Zipped) else [item])]
        sources = {name: _folders(given, store) for name, given in job.sources.items()}
    except UploadProblem as problem:
        raise JobFailed(problem.key, say(UPLOAD_MESSAGES, problem.key, job.lang, **problem.params)) from None
    if not files:
        from validator.web.requests import MESSAGES as REQUEST_MESSAGES

        raise JobFailed("no_file", say(REQUEST_MESSAGES, "no_file", job.lang, field="files"))
    return replace(job, files=tuple(files), sources=sources, names=store.names)


def _folders(given, store):
    """A source as sent, each .zip of returns unpacked into the folder it names, in its place."""
    from validator.web.uploads import Zipped

    if isinstance(given, Zipped):  # a NamedTuple: before the tuple of several
        store.unpack(given)
        return given.subfolder
    if isinstance(given, tuple):
        return tuple(_folders(each, store) for each in given)
    return given


def _batch(job: Job, pack) -> Answer:
    try:
        reference = load_reference(job.sources, pack, job.limits, 1)
    except ReferenceFileError as exc:
        raise JobFailed("reference", client_names(said(exc.text, job.lang), job.names)) from None
    kept: list = []
    report = review(list(job.files), pack, reference, job.limits, jobs=None, kept=kept)
    readable = [e["file"] for e in report.files if file_statuses(report, pack)[e["file"]]["status"] != "unreadable"]
    copies = _copies(job, report, readable, pack, reference) if job.output in ("annotated", "sendback") else b""
    made = _consolidated(job, report, kept, pack, reference) if job.output == "consolidated" else b""
    rename(report, job.names)
    code = exit_code(report)
    if job.output == "consolidated":
        return Answer(made, XLSX, "汇总报表.xlsx" if job.lang == "zh" else "consolidated.xlsx", code)
    if job.output == "sendback":
        return Answer(copies, "application/zip", "退回材料.zip" if job.lang == "zh" else "send-back.zip", code)
    if job.output == "summary":
        buffer = io.BytesIO()
        used = {
            name: job.names.get(path, path) if isinstance(path, str) else path for name, path in job.sources.items()
        }
        summary_xlsx.write(report, pack, job.lang, buffer, used, reference.registry if reference else None, job.unit)
        return Answer(buffer.getvalue(), XLSX, "汇总.xlsx" if job.lang == "zh" else "summary.xlsx", code)
    if job.output == "annotated":
        return Answer(copies, "application/zip", "审核副本.zip" if job.lang == "zh" else "annotated.zip", code)
    return Answer(reporter("json").render(report, pack, job.lang).encode("utf-8"), "application/json", "", code)


def _consolidated(job: Job, report, kept: list, pack, reference) -> bytes:
    """The level's return (validator/consolidate.py) from the batch's digests, under client names."""
    from dataclasses import replace

    from validator.consolidate import consolidate, own_errors
    from validator.report import consolidated

    named = [replace(d, file=job.names.get(d.file, d.file)) for d in kept]
    refused = [job.names.get(e["file"], e["file"]) for e in report.files if e["file"] not in {d.file for d in kept}]
    errors = {job.names.get(f, f): n for f, n in own_errors(report, pack).items()}
    found = consolidate(named, errors, refused, reference.registry, pack, job.unit)
    buffer = io.BytesIO()
    consolidated.write(buffer, pack, found, named, job.lang)
    return buffer.getvalue()


def _copies(job: Job, report, readable: list, pack=None, reference=None) -> bytes:
    """Every readable return's annotated copy, in one .zip, named after the client's file; to send
    back (output sendback), each in a folder named by its unit with the 审核意见 sheet first, and
    名单.csv."""
    import zipfile

    from validator.report import sendback

    statuses = file_statuses(report, pack) if job.output == "sendback" else {}
    buffer, taken, folders = io.BytesIO(), set(), {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in readable:
            findings = [f for f in report.findings if f.file == path]
            copy = io.BytesIO()
            stem = os.path.splitext(job.names.get(path, path))[0]
            entry = next(e for e in report.files if e["file"] == path)
            if statuses:
                shown = {**entry, "file": job.names.get(path, path)}
                opinion = sendback.opinion(shown, findings, statuses[path]["status"], {}, job.unit, job.lang)
                stem = os.path.join(os.path.basename(sendback.folder_of("", entry["unit"], stem)), stem)
            try:
                where = report.localisations.get(path)
                annotate.annotate_file(
                    copy, path, findings, job.limits, job.lang, None, where, opinion if statuses else None
                )
            except annotate.NotAnnotated as problem:  # the others' copies still go in; this one says why not
                archive.writestr(f"{stem}_未能标注.txt", client_names(problem.said(job.lang), job.names))
                continue
            name, number = f"{stem}_审核.xlsx", 1
            while name in taken:
                number += 1
                name = f"{stem}_审核 ({number}).xlsx"
            taken.add(name)
            archive.writestr(name, copy.getvalue())
            folders[path] = os.path.dirname(name)
        if statuses:
            units = {
                job.names.get(e["file"], e["file"]): (e["unit"], statuses[e["file"]]["status"]) for e in report.files
            }
            shown = {job.names.get(path, path): folder for path, folder in folders.items()}
            archive.writestr(
                "名单.csv", sendback.listing(reference.registry if reference else None, units, shown, job.lang)
            )
    return buffer.getvalue()


def _sheets(path: str, report) -> list:
    """The sheets of the return as the page draws them: visible ones, and hidden ones a finding
    points at; values as read, merged ranges, the first rows and columns only, a long text's
    first characters only (`cut` says a sheet is not drawn whole)."""
    try:
        grids = grids_of(path)
    except Refused:
        return []
    named = {cell.split("!", 1)[0].strip("'") for f in report.findings for cell in f.cells if "!" in cell}
    sheets = []
    for grid in grids:
        if grid.state != "visible" and grid.sheet not in named:
            continue
        rows = [[_shown(value) for value in row[:MOST_COLUMNS]] for row in grid.rows[:MOST_ROWS]]
        merges = [list(m) for m in grid.merges if m[0] <= MOST_ROWS and m[1] <= MOST_COLUMNS]
        cut = grid.max_row > MOST_ROWS or grid.max_col > MOST_COLUMNS or any(v.endswith("…") for r in rows for v in r)
        sheet = {"name": grid.sheet, "hidden": grid.state != "visible", "rows": rows, "merges": merges, "cut": cut}
        sheets.append(sheet)
    return sheets[:MOST_SHEETS]


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    text = str(value)
    return text if len(text) <= MOST_SHOWN else text[: MOST_SHOWN - 1] + "…"  # the page says so (`cut`)


def _warm() -> None:
    """Load the service's pack once, in the fork server (jobs.context() imports this module
    there): every request's child starts with it compiled."""
    if PACK in os.environ:
        load_pack(os.environ[PACK] or None)


_warm()
