"""The HTTP server the service runs on: uvicorn, with the time limits it lacks for clients that
connect and then say nothing.

uvicorn ends a kept-alive connection idle between requests, but waits forever for a new
connection's first request line and headers, and for a body that stops arriving: 300 idle
connections made a unit's check hang. Here a connection has `client_timeout` seconds (`formcheck
serve --client-timeout`) to send a request's headers (`_Protocol`), a body may pause at most as
long between two of its pieces and must be whole within `BODY_WITHIN` (`BodyTimeout`: 408), at
most `connections` are held at once (more are answered 503 by uvicorn), a client's uploads are read
at most `--upload-rate` MB a second (`UploadPace`), and a shutdown waits at most `SHUTDOWN_WITHIN`
seconds for the requests under way."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from validator.i18n import say
from validator.web.guards import answered, refuse, scope_language

CLIENT_TIMEOUT, BODY_WITHIN = 30.0, 600.0
KEEP_ALIVE, SHUTDOWN_WITHIN = 5, 10
MESSAGES = {
    "slow_body": {
        "zh": "上传中断超过 {seconds} 秒或总用时过长,已停止接收;请检查网络后重新上传",
        "en": "the upload stopped for over {seconds} s or took too long; check the connection and upload again",
    },
}


class _Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection that has not sent a request's headers
    within `headers_within` seconds of opening or of its last answer."""

    _waiting: Any = None
    headers_within = CLIENT_TIMEOUT

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._wait_for_headers()

    def data_received(self, data: bytes) -> None:
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle and self._waiting is not None:  # a request's headers are in
            self._waiting.cancel()
            self._waiting = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._wait_for_headers()

    def connection_lost(self, exc: Any) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
        super().connection_lost(exc)

    def _wait_for_headers(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
        self._waiting = self.loop.call_later(self.headers_within, self._too_slow)

    def _too_slow(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()


class _SlowBody(Exception):
    pass


class BodyTimeout:
    """Answer 408 to a request whose body pauses past `pause` seconds or lasts past BODY_WITHIN."""

    def __init__(self, app: Any, pause: float = CLIENT_TIMEOUT):
        self.app, self.pause = app, pause

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        deadline, whole = loop.time() + BODY_WITHIN, False

        async def timed() -> Any:
            nonlocal whole
            if whole:  # what comes after the body (a disconnect) is not the body's to time
                return await receive()
            left = min(self.pause, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), max(left, 0.001))
            except asyncio.TimeoutError:
                raise _SlowBody() from None
            whole = message["type"] != "http.request" or not message.get("more_body")
            return message

        if not await answered(self.app, scope, timed, send, _SlowBody):
            text = say(MESSAGES, "slow_body", scope_language(scope), seconds=f"{self.pause:g}")
            await refuse(send, 408, "slow_body", text, ((b"connection", b"close"),))


class UploadPace:
    """Read each client's uploads at most `rate` bytes a second, all its requests together: a
    unit's line gives a few MB a second, while a script on the same machine posting a 98 MB .zip in
    a loop had the service parse 300 MB a second of it, and every other unit's check waited."""

    def __init__(self, app: Any, rate: float):
        self.app, self.rate = app, rate
        self._ahead: dict[str, float] = {}  # client -> the time its reading is paid up to

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("",))[0]
        loop = asyncio.get_running_loop()

        async def paced() -> Any:
            message = await receive()
            size = len(message.get("body", b""))
            if size:
                now = loop.time()
                due = max(self._ahead.get(client, now), now) + size / self.rate
                self._ahead[client] = due
                if due - now > 0.05:  # within a twentieth of a second: not worth a pause
                    await asyncio.sleep(due - now)
            return message

        try:
            await self.app(scope, paced, send)
        finally:
            if self._ahead.get(client, 0) < loop.time():
                self._ahead.pop(client, None)  # paid up: nothing kept of a client that has gone


def run(app: Any, host: str, port: int, connections: int, client_timeout: float = CLIENT_TIMEOUT) -> None:
    """Serve until SIGTERM or Ctrl-C, then end within SHUTDOWN_WITHIN. uvicorn raises the signal
    again once it has shut down; SIGTERM then ends the process as an exit, not a kill, so that the
    service's folders are removed (its requests' and multiprocessing's)."""
    import signal

    import uvicorn

    signal.signal(signal.SIGTERM, _exit)

    protocol = type("Protocol", (_Protocol,), {"headers_within": client_timeout})
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=protocol,
        log_level="warning",
        server_header=False,
        limit_concurrency=connections,
        timeout_keep_alive=KEEP_ALIVE,
        timeout_graceful_shutdown=SHUTDOWN_WITHIN,
    )


def _exit(signum: int, frame: Any) -> None:
    raise SystemExit(0)
