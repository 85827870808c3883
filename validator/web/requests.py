"""A request's form turned into a Job: its uploaded files stored in the request's folder (by
uploads.py, under names of our own), its fields checked. Anything wrong is a RequestProblem with
the status to answer and a message in the request's language."""

from __future__ import annotations

import json

from validator.i18n import say
from validator.web.uploads import MESSAGES as UPLOAD_MESSAGES
from validator.web.uploads import Folder, UploadProblem

OUTPUTS = ("json", "summary", "annotated", "sendback", "consolidated")  # what a batch answers
MOST_UNIT = 60  # characters of the level's name
MESSAGES = {
    "no_file": {
        "zh": "没有收到报表文件(表单字段 {field})",
        "en": "no return was received (form field {field})",
    },
    "one_file": {"zh": "此处只能上传一份报表", "en": "one return only here"},
    "bad_output": {
        "zh": "output 只能是 json、summary、annotated、sendback 或 consolidated",
        "en": "output is json, summary, annotated, sendback or consolidated",
    },
    "no_unit": {
        "zh": "汇总报表须填写本级名称 (unit) 并上传单位名录 (registry)",
        "en": "a consolidated return needs the level's name (unit) and the registry",
    },
    "bad_explanations": {
        "zh": 'explanations 应为 JSON 列表: [{{"rule": …, "cell": …, "text": …}}]',
        "en": 'explanations must be a JSON list: [{{"rule": …, "cell": …, "text": …}}]',
    },
}
MOST_FIELDS = 20
TOO_LARGE = ("too_many", "too_big", "zip_entries", "zip_directory")  # answered 413; the other upload problems 400
MOST_NOTES, MOST_NOTE = 10_000, 2_000  # explanations typed in the page, and characters in one


class RequestProblem(Exception):
    def __init__(self, key: str, status: int, text: str):
        super().__init__(key)
        self.key, self.status, self.text = key, status, text


async def job_of(request, kind: str, folder: str, lang: str, settings):
    """The Job a request asks for, its files stored in `folder`."""
    from anyio import to_thread
    from starlette.exceptions import HTTPException

    from validator.web.jobs import Job

    try:
        form = await request.form(max_files=settings.most_files + 3, max_fields=MOST_FIELDS)
    except HTTPException as exc:
        raise RequestProblem("bad_form", 400, str(exc.detail)[:300]) from None
    try:
        store = Folder(folder, settings.most_files, settings.most_upload_mb << 20)
        fields = await to_thread.run_sync(_store, form, kind, store, lang)
    except UploadProblem as problem:
        status = 413 if problem.key in TOO_LARGE else 400
        raise RequestProblem(problem.key, status, say(UPLOAD_MESSAGES, problem.key, lang, **problem.params)) from None
    finally:
        await form.close()
    return Job(
        kind=kind, folder=folder, names=store.names, lang=lang, pack=settings.pack, limits=settings.limits, **fields
    )


def _store(form, kind: str, store: Folder, lang: str) -> dict:
    """Write the form's files into the folder; the Job's other fields."""
    if kind != "batch":
        uploads = [item for item in form.getlist("file") if hasattr(item, "filename")]
        if not uploads:
            raise RequestProblem("no_file", 400, say(MESSAGES, "no_file", lang, field="file"))
        if len(uploads) > 1:
            raise RequestProblem("one_file", 400, say(MESSAGES, "one_file", lang))
        fields: dict = {"files": (store.add(uploads[0].filename or "", uploads[0].file),)}
        if kind == "annotate":
            fields["review_notes"] = _review_notes(form.get("explanations") or "[]", lang)
        return fields
    output = str(form.get("output") or "json")
    if output not in OUTPUTS:
        raise RequestProblem("bad_output", 400, say(MESSAGES, "bad_output", lang))
    unit = " ".join(str(form.get("unit") or "").split())[:MOST_UNIT]  # a name on one line, bounded
    if output == "consolidated" and (not unit or not hasattr(form.get("registry"), "filename")):
        raise RequestProblem("no_unit", 400, say(MESSAGES, "no_unit", lang))
    files: list = []  # a stored return, or a stored .zip its worker unpacks in its place
    for item in (item for item in form.getlist("files") if hasattr(item, "filename")):
        name = item.filename or ""
        files.append(store.add_zipped(name, item.file) if name.lower().endswith(".zip") else store.add(name, item.file))
    if not files:
        raise RequestProblem("no_file", 400, say(MESSAGES, "no_file", lang, field="files"))
    fields = {"files": tuple(files), "output": output, "unit": unit}
    fields["sources"] = _sources(form, store)
    fields["store"] = store
    return fields


def _sources(form, store: Folder) -> dict:
    """{name: stored path} of the reference data sent (validator/sources.py): a file as it came, a
    folder of returns as one .zip (`Zipped`), which the worker unpacks into a folder; a repeated
    source's as a tuple of them (several .zip of past returns, each return's year its own)."""
    from validator.sources import SOURCES

    given: dict[str, object] = {}
    for source in SOURCES:
        items = [item for item in form.getlist(source.name) if hasattr(item, "filename")]
        stored = [_stored(source, item, store) for item in items]
        if stored:
            given[source.name] = tuple(stored) if source.repeated else stored[0]
    return given


def _stored(source, item, store: Folder) -> object:
    """One file of a source, stored; a folder's .zip to be unpacked into a folder named by the
    .zip (2023.zip: previous/2023/), so that a finding names the file as the reviewer knows it."""
    if not source.folder:
        return store.add(item.filename or "", item.file, suffixes=source.suffixes)
    folder = store.folder_for(item.filename or "", within=source.name)
    return store.add_zipped(item.filename or "", item.file, subfolder=folder)


def _review_notes(text: str, lang: str) -> dict:
    """{(rule, cell): text} from the page's JSON list; a malformed one is refused. A lone surrogate
    (a broken emoji pasted in) becomes "?": a workbook cannot hold one."""
    try:
        if len(text) > MOST_NOTES * (MOST_NOTE + 100):
            raise ValueError("too long")
        given = json.loads(text)
        if len(given) > MOST_NOTES:
            raise ValueError("too many")
        return {
            (_sound(item["rule"]), _sound(item["cell"])): _sound(item["text"])[:MOST_NOTE]
            for item in given
            if str(item.get("text", "")).strip()
        }
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):  # RecursionError: [[[[…]]]]
        raise RequestProblem("bad_explanations", 400, say(MESSAGES, "bad_explanations", lang)) from None


def _sound(value) -> str:
    return str(value).encode("utf-8", "replace").decode("utf-8")
