"""Who runs when: the service's workers shared out among the requests that want them.

At most `workers` checks run at once; no one client holds more than its share of them (two large
uploads from one office must not keep a unit's ordinary check waiting); at most `queue` requests
wait, and one more is answered 503 with a time to come back, at once, instead of waiting minutes
behind them. A client is told apart by its address as the server gives it (behind the city's
proxy, uvicorn takes it from X-Forwarded-For when the proxy is on the same machine)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator


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
        self.waiting = 0
        self._clients: dict[str, _Client] = {}

    @asynccontextmanager
    async def turn(self, client: str) -> AsyncIterator[None]:
        """Hold a worker for one request of `client` (Busy at once if too many are waiting)."""
        if self.waiting >= self.queue:
            raise Busy(self.retry_after)
        own = self._clients.setdefault(client, _Client(asyncio.Semaphore(self.share)))
        own.requests += 1
        self.waiting += 1
        waited = True
        try:
            async with own.share, self.running:
                self.waiting, waited = self.waiting - 1, False
                yield
        finally:
            if waited:
                self.waiting -= 1
            own.requests -= 1
            if own.requests == 0:
                del self._clients[client]  # no record kept of a client that has gone
