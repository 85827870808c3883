"""The web service (`formcheck serve`): its pages, its API, and what guards them.

Routes: `/` the self-check page, `/review` the review page, `POST /api/check` (the return in
`file`: the document `formcheck check --format json` writes), `POST /api/inspect` (that document
and the return's sheets, for the page's grid), `POST /api/annotate` (the annotated copy, the
unit's explanations written in), `POST /api/batch` (the returns in `files`, or one .zip; the
document of `batch --format json`, or with `output=summary|annotated|sendback|consolidated` the
summary workbook, a .zip of annotated copies, the send-back .zip or the level's return), `GET /api/template` (the blank return), `GET /api/rules`,
`GET /openapi.json`.

Guards: a cap on the request body and on the files in it, each request's files in a temporary
folder removed before it is answered (the answer streamed from its file, open), the work in a child process with a time limit (jobs.py),
at most `workers` checks at once and a client's share of them, a bounded queue (turns.py), a POST
from another site refused, security headers on every answer, errors as JSON in the
request's language (`?lang=en`, else Accept-Language, else Chinese)."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.schemas import SchemaGenerator
from starlette.staticfiles import StaticFiles

from validator.i18n import said, say
from validator.read.intake import Limits
from validator.web.guards import BodyLimit, SameOrigin, SecurityHeaders, error_body, language
from validator.web.requests import RequestProblem, job_of
from validator.web.server import BodyTimeout, UploadPace
from validator.web.turns import Busy, Turns

STATIC = Path(__file__).resolve().parent / "static"
# a refusal for a full queue is answered after this long: a script posting in a loop that ignores
# Retry-After otherwise asked 750 times a second, and its refusals cost the units' checks a third
BUSY_PAUSE = 1.0
MOST_UNIT_NAME = 60
STREAMED = 256 * 1024  # bytes of an answer sent at a time
MESSAGES = {
    "timeout": {
        "zh": "检查超过 {detail} 秒未完成,已停止;文件可能过大或经过特殊构造",
        "en": "the check took longer than {detail} s and was stopped; the file may be too large or crafted",
    },
    "died": {
        "zh": "读取程序在此文件上异常退出(信号 {detail}),文件可能已损坏或经过特殊构造;请用 Excel 或 WPS 打开后重新保存",
        "en": "the reader died on this file (signal {detail}); it may be damaged or crafted: open and save it again",
    },
    "internal": {
        "zh": "formcheck 内部错误,检查未完成({detail});这不是报表的问题,请反馈给维护人",
        "en": "formcheck internal error, the check did not finish ({detail}); not a problem of the return",
    },
    "unreadable": {"zh": "无法读取: {detail}", "en": "cannot be read: {detail}"},
    "reference": {"zh": "参考数据有误: {detail}", "en": "a reference file is broken: {detail}"},
    "not_annotated": {"zh": "{detail}", "en": "{detail}"},
    "bad_form": {"zh": "上传内容无法解析: {detail}", "en": "the upload could not be parsed: {detail}"},
    "not_found": {"zh": "没有这个地址", "en": "no such address"},
    "busy": {
        "zh": "服务正忙,排队的检查已满;请 {detail} 秒后再试",
        "en": "the service is busy and its queue is full; try again in {detail} s",
    },
    "bad_template": {
        "zh": "year 应为 2000–2100 的年份,unit 至多 {detail} 个字",
        "en": "year is a year 2000–2100, unit at most {detail} characters",
    },
}
STATUS = {"timeout": 504, "died": 422, "unreadable": 422, "not_annotated": 422, "reference": 400, "internal": 500}
# what the worker finds wrong with a batch's .zip as it unpacks it, said there (web/uploads.py)
STATUS.update({key: 413 for key in ("too_many", "too_big", "zip_entries", "zip_directory")})
STATUS.update({key: 400 for key in ("bad_zip", "damaged_entry", "bad_entry_name", "no_file")})


@dataclass(frozen=True)
class Settings:
    """What `formcheck serve` was given (docs/web.md): the pack, how many checks at once,
    the caps on a request and on each file in it, the time a request's check may take."""

    pack: Optional[str] = None
    workers: int = 2
    most_upload_mb: int = 200
    most_files: int = 1000
    timeout: float = 60.0  # for one return; a batch has this for each of its files, up to ten times it
    limits: Limits = field(default_factory=Limits)  # the caps on each file, as `check` takes them
    queue: int = 16  # requests waiting for a worker, beyond which one more is answered 503 at once
    client_timeout: float = 30.0  # seconds a client may keep the service waiting for its headers, or mid-body
    upload_rate_mb: float = 32.0  # MB a second of one client's uploads read (web/server.UploadPace)
    folder: Optional[str] = None  # where requests' folders are made: the service's own, removed when it ends


def make_app(settings: Settings) -> Starlette:
    turns = Turns(settings.workers, settings.queue)

    async def answer(request: Request, kind: str) -> Response:
        import tempfile

        from anyio import to_thread

        from validator.web import jobs, work

        lang = language(request)
        client = request.client.host if request.client else ""
        with tempfile.TemporaryDirectory(prefix="formcheck-web-", dir=settings.folder) as folder:
            try:
                turns.admit(client)
                job = await job_of(request, kind, folder, lang, settings)
                timeout = (
                    settings.timeout * min(10, max(1, _returns(job.files))) if kind == "batch" else settings.timeout
                )
                async with turns.turn(client):
                    done = await to_thread.run_sync(jobs.run, work.do, job, timeout)
            except RequestProblem as problem:
                return error(problem.key, lang, problem.status, problem.text)
            except Busy as busy:
                await asyncio.sleep(BUSY_PAUSE)  # a client that ignores Retry-After asks again slowly
                answer = error("busy", lang, 503, detail=str(busy.retry_after))
                answer.headers["Retry-After"] = str(busy.retry_after)
                return answer
            except jobs.JobFailed as failed:
                said_there = failed.key not in MESSAGES  # an upload's problem, said by the worker
                text, detail = (failed.detail, "") if said_there else ("", failed.detail)
                return error(failed.key, lang, STATUS.get(failed.key, 500), text=text, detail=detail)
            answered = open(done.path, "rb")  # still read once the request's folder is removed
        headers = {"X-Formcheck-Exit": str(done.exit_code), "Content-Length": str(os.fstat(answered.fileno()).st_size)}
        if done.filename:
            headers["Content-Disposition"] = _attachment(done.filename)
        return StreamingResponse(_streamed(answered), media_type=done.media_type, headers=headers)

    async def check(request: Request) -> Response:
        """
        summary: Check one return (the same document as `formcheck check --format json`)
        requestBody:
          content:
            multipart/form-data:
              schema: {type: object, required: [file], properties: {file: {type: string, format: binary}}}
        responses:
          200: {description: The JSON report (validator/schemas/report.json); X-Formcheck-Exit gives the exit code}
          413: {description: The upload is over its caps}
          504: {description: The check took longer than its time limit}
        """
        return await answer(request, "check")

    async def inspect(request: Request) -> Response:
        """
        summary: Check one return and give its sheets, as the page draws them
        responses:
          200: {description: '{"report": the JSON report, "sheets": [{"name", "hidden", "rows", "merges"}]}'}
        """
        return await answer(request, "inspect")

    async def annotate(request: Request) -> Response:
        """
        summary: The annotated copy of one return, with the unit's explanations written in
        description: 'Fields: file; explanations, a JSON list of {"rule", "cell", "text"}.'
        responses:
          200: {description: The annotated copy (.xlsx)}
        """
        return await answer(request, "annotate")

    async def batch(request: Request) -> Response:
        """
        summary: Review many returns (the same document as `formcheck batch --format json`)
        description: >-
          Fields: files (several, or one .zip); registry (.yaml), treasury (.csv or .xlsx), previous
          (a .zip of last year's returns), all optional; output: json (default), summary (the summary
          workbook) or annotated (a .zip of annotated copies).
        responses:
          200: {description: The JSON report, the summary workbook or the .zip of annotated copies}
        """
        return await answer(request, "batch")

    async def rules(request: Request) -> Response:
        """
        summary: The rules of the pack the service uses
        responses:
          200: {description: '[{"id", "severity", "origin", "form", "checks", "across"}]'}
        """
        from validator.rules.describe import summary
        from validator.rules.pack import load_pack

        lang = language(request)
        pack = load_pack(settings.pack)
        listed = [
            {
                "id": r.id,
                "severity": r.severity,
                "origin": r.origin_in(lang),
                "form": r.form,
                "checks": said(summary(r, pack), lang),
                "across": r.scope == "batch" or r.uses_reference,
            }
            for r in pack.rules
        ]
        return JSONResponse(listed)

    async def template(request: Request) -> Response:
        """
        summary: A blank return to fill in (the workbook of `formcheck template`)
        description: 'Query: year (default: the year whose return is due next), unit (the unit name, optional).'
        responses:
          200: {description: The blank return (.xlsx)}
          400: {description: The year or unit is not one}
        """
        from anyio import to_thread

        from validator.web.work import XLSX

        lang = language(request)
        year, unit = _template_asked(request.query_params)
        if year is None:
            return error("bad_template", lang, 400, detail=str(MOST_UNIT_NAME))
        body = await to_thread.run_sync(_blank_return, settings.pack, lang, year, unit)
        name = f"{year}年行政执法统计年报.xlsx" if lang == "zh" else f"blank_return_{year}.xlsx"
        return Response(body, media_type=XLSX, headers={"Content-Disposition": _attachment(name)})

    schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "formcheck", "version": _version()}})

    def openapi(request: Request) -> Response:
        return JSONResponse(schemas.get_schema(routes=request.app.routes))

    routes = [
        Route("/", lambda request: FileResponse(STATIC / "check.html"), include_in_schema=False),
        Route("/review", lambda request: FileResponse(STATIC / "review.html"), include_in_schema=False),
        Route("/favicon.ico", lambda request: Response(status_code=204), include_in_schema=False),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/inspect", inspect, methods=["POST"]),
        Route("/api/annotate", annotate, methods=["POST"]),
        Route("/api/batch", batch, methods=["POST"]),
        Route("/api/rules", rules, methods=["GET"]),
        Route("/api/template", template, methods=["GET"]),
        Route("/openapi.json", openapi, include_in_schema=False),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SameOrigin),
        Middleware(BodyTimeout, pause=settings.client_timeout),
        Middleware(UploadPace, rate=settings.upload_rate_mb * (1 << 20)),
        Middleware(BodyLimit, most=settings.most_upload_mb << 20),
    ]
    # anything unforeseen is still answered as JSON in the request's language, never a plain 500
    handlers = {HTTPException: _http_error, 404: _http_error, Exception: _internal_error}
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)


async def _streamed(answered) -> AsyncIterator[bytes]:
    """The answer's file piece by piece: a slow client holds one piece of it, not the whole. The
    file is closed when the answer ends or its client goes. Read on the event loop, not in a
    thread: a piece of a local file just written comes from the page cache in microseconds, and a
    thread for each piece cost the service a twelfth of its time a request."""
    with answered:
        while piece := answered.read(STREAMED):
            yield piece


def _returns(files: tuple) -> int:
    """How many returns a batch holds, a .zip counted by the entries it declares."""
    return sum(getattr(item, "entries", 1) for item in files)


def error(key: str, lang: str, status: int, text: str = "", detail: str = "") -> JSONResponse:
    """An error as JSON, in the request's language: {"error": {"code", "message"}}."""
    message = text or say(MESSAGES, key, lang, detail=detail)
    return JSONResponse(error_body(key, message), status_code=status)


async def _http_error(request: Request, exc) -> Response:
    lang = language(request)
    status = getattr(exc, "status_code", 500)
    if status == 404:
        return error("not_found", lang, 404)
    return error("bad_form", lang, status, detail=str(getattr(exc, "detail", exc))[:300])


async def _internal_error(request: Request, exc: Exception) -> Response:
    return error("internal", language(request), 500, detail=f"{type(exc).__name__}: {exc}"[:300])


def _template_asked(query) -> tuple:
    """(year, unit) of a template request; (None, "") when either is not one."""
    import datetime

    today = datetime.date.today()
    text = query.get("year") or str(today.year if today.month >= 7 else today.year - 1)
    unit = " ".join(str(query.get("unit") or "").split())
    if not text.isascii() or not text.isdigit() or not 2000 <= int(text) <= 2100 or len(unit) > MOST_UNIT_NAME:
        return None, ""
    return int(text), unit


def _blank_return(pack_path, lang: str, year: int, unit: str) -> bytes:
    import io

    from validator.report.template import blank_figures, write_return
    from validator.rules.pack import load_pack

    pack = load_pack(pack_path)
    buffer = io.BytesIO()
    write_return(buffer, pack, blank_figures(pack, year, unit), review_sheet=True)
    return buffer.getvalue()


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    plain = filename.encode("ascii", "replace").decode("ascii").replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"


def _version() -> str:
    import validator

    return validator.__version__
