"""Who runs when: the service's workers shared out among the requests that want them.

At most `workers` checks run at once, and no one client holds more than its share of them (half,
at least one): two large uploads from one office, or a script posting in a loop, must not keep a
unit's ordinary check waiting. A request first waits for a turn of its own client's share, then
for a worker; at most `queue` requests wait for a worker and at most `CLIENT_QUEUE` more of one
client's wait for its share, and one past either is answered 503 at once, with a time to come
back, instead of waiting minutes behind them. A client is told apart by its address as the server
gives it (behind the city's proxy, uvicorn takes it from X-Forwarded-For when the proxy is on the
same machine)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator

CLIENT_QUEUE = 4  # requests of one client waiting for its share, beyond those it runs


class Busy(Exception):
    """Too many requests are waiting already: come back in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class _Client:
    share: asyncio.Semaphore
    requests: int = 0  # of this client's, waiting or running


class Turns:
    def __init__(self, workers: int, queue: int, retry_after: int = 10):
        self.running = asyncio.Semaphore(workers)
        self.share = max(1, workers // 2)  # of the workers, for one client
        self.queue, self.retry_after = queue, retry_after
        self.waiting = 0  # for a worker, their client's share held
        self._clients: dict[str, _Client] = {}

    def admit(self, client: str) -> None:
        """Busy if a request of `client` would find the queue full: asked before its upload is
        read, so that a flood costs the service no parsing."""
        own = self._clients.get(client)
        if self.waiting >= self.queue or (own is not None and own.requests >= self.share + CLIENT_QUEUE):
            raise Busy(self.retry_after)

    @asynccontextmanager
    async def turn(self, client: str) -> AsyncIterator[None]:
        """Hold a worker for one request of `client` (Busy at once if too many are waiting)."""
        self.admit(client)
        own = self._clients.setdefault(client, _Client(asyncio.Semaphore(self.share)))
        own.requests += 1
        try:
            async with own.share:
                self.waiting += 1
                try:
                    await self.running.acquire()
                finally:
                    self.waiting -= 1
                try:
                    yield
                finally:
                    self.running.release()
        finally:
            own.requests -= 1
            if own.requests == 0:
                del self._clients[client]  # no record kept of a client that has gone
