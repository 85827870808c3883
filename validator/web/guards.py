"""What guards every request of the web service: the cap on its body, a POST from another site
refused, the security headers on its answer, the language it is answered in. Plain ASGI middleware, so that a body over the cap is
refused while it streams in, before anything reads it whole."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from validator.i18n import say

MESSAGES = {
    "cross_origin": {
        "zh": "拒绝来自其他网站({origin})的提交;请在本服务自己的网页上操作",
        "en": "a submission from another site ({origin}) is refused; use this service's own page",
    },
    "too_big": {
        "zh": "上传内容超过 {most} MB;请分批上传(服务的 --max-upload 可调整上限)",
        "en": "the upload is over {most} MB; upload it in parts (the service's --max-upload sets the cap)",
    },
}
# no inline script or style, nothing from elsewhere, never in a frame
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def error_body(code: str, message: str) -> dict:
    """What every error of the service answers: {"error": {"code", "message"}}."""
    return {"error": {"code": code, "message": message}}


def language(request) -> str:
    """The language to answer in: ?lang=, else the browser's Accept-Language, else Chinese."""
    asked = request.query_params.get("lang", "")
    if asked in ("zh", "en"):
        return asked
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh"


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SameOrigin:
    """Refuse a POST another site's page made a browser send (a form or fetch there aimed at this
    service: the unit's browser would submit, and receive, on that site's behalf). A browser says
    where a request comes from in Origin (and Sec-Fetch-Site); a request naming another origin
    than the Host it was sent to is refused, 403. A program (curl, CI) sends neither and is let in."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode("latin-1")
        site = headers.get(b"sec-fetch-site", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1").lower()
        elsewhere = origin and urlsplit(origin.lower()).netloc != host
        if elsewhere or site == "cross-site":
            lang = scope_language(scope)
            return await refuse(
                send, 403, "cross_origin", say(MESSAGES, "cross_origin", lang, origin=origin[:100] or site)
            )
        return await self.app(scope, receive, send)


class _TooBig(Exception):
    pass


class BodyLimit:
    """Refuse a request body over `most` bytes: at once when Content-Length says so, else as soon
    as the bytes received pass it (a body sent in chunks has no length to trust). The rest of an
    over-size body is read and dropped, up to four times the cap, before the refusal is sent: a
    client still sending when the connection closes sees a broken connection, not the refusal."""

    def __init__(self, app, most: int):
        self.app, self.most = app, most
        self.drained = min(4 * most, 1 << 30)  # past this much the connection is simply closed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        lang = scope_language(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.most:
            if int(declared) <= self.drained:
                await self._drain(receive, 0)
            return await self._refuse(send, lang)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.most:
                    raise _TooBig()
            return message

        if not await answered(self.app, scope, limited, send, _TooBig):
            await self._drain(receive, received)
            await self._refuse(send, lang)

    async def _drain(self, receive, received: int) -> None:
        while received <= self.drained:
            message = await receive()
            received += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                return

    async def _refuse(self, send, lang: str) -> None:
        await refuse(send, 413, "too_big", say(MESSAGES, "too_big", lang, most=self.most >> 20))


async def answered(app, scope, receive, send, problem: type[Exception]) -> bool:
    """Run `app`; False where it raised `problem` before its answer began, for the guard that
    raised it to answer instead (after the answer began, the connection simply ends)."""
    started = False

    async def watched(message):
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, watched)
    except problem:
        return started
    return True


def scope_language(scope) -> str:
    """The language of a request a guard answers before any route reads it: ?lang=en, else Chinese."""
    return "en" if b"lang=en" in scope.get("query_string", b"") else "zh"


async def refuse(send, status: int, code: str, text: str, headers: tuple = ()) -> None:
    """Answer an ASGI request with an error before any route sees it: {"error": {code, message}}."""
    body = json.dumps(error_body(code, text), ensure_ascii=False).encode("utf-8")
    sent = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": sent})
    await send({"type": "http.response.body", "body": body})
