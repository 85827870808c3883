"""A request's check, done in a worker process of its own within a time limit.

The service is one process serving many requests; python-calamine may abort on a crafted file and
a slow file may take long, so the work of each request runs in a worker: one of a pool of
long-lived processes started by multiprocessing's fork server (a small single-threaded process:
forking the threaded server itself could copy a lock another thread holds), each holding the
service's compiled pack, one request at a time. The worker reads, checks and renders — the same
calls as the command line — and writes the answer into the request's folder, whence the service
streams it: the service never holds an answer whole, however slowly its client reads.

A worker reads a request's return itself (a fork for each read cost more than the check): a return
that kills its reader kills the worker, which is replaced, and the request is done once more in a
fresh worker that reads each file in a child of its own (`Job.contained`), so that the return is
answered as the command line answers it (G-FILE, reader_died). A worker that overruns its time is
ended and replaced, and the request answered with an error, while the service goes on."""

from __future__ import annotations

import atexit
import multiprocessing
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Optional

from validator.read.intake import Limits


@dataclass(frozen=True)
class Job:
    """What the child does: `kind` is check, inspect, annotate or batch; paths are relative to
    `folder`, the request's temporary folder; `names` maps stored names to the client's."""

    kind: str
    folder: str
    files: tuple  # stored paths; in a batch, also an uploaded .zip (uploads.Zipped) to unpack in its place
    names: dict
    lang: str = "zh"
    pack: Optional[str] = None
    output: str = "json"  # batch: json | summary | annotated | sendback | consolidated
    unit: str = ""  # batch: the reviewing level's name (the consolidated return's unit; the send-back's reviewer)
    sources: dict = field(default_factory=dict)  # reference data: {source name: stored path} (validator/sources.py)
    review_notes: dict = field(default_factory=dict)  # (rule, cell) -> 审核说明 typed in the page, for annotate
    limits: Limits = field(default_factory=Limits)  # the caps on each file, as `formcheck serve` was given them
    store: Any = None  # a batch's uploads.Folder: what is stored and counted, for the .zips unpacked here
    contained: bool = False  # read each file in a child of its own (a batch's always are)


class Answer(NamedTuple):
    """What a job answers, as the child made it."""

    body: bytes
    media_type: str
    filename: str = ""
    exit_code: int = 0  # as the command line's: 0, 1 findings, 2 a file could not be read


class Written(NamedTuple):
    """An answer the child wrote into the request's folder (at `path`), to be sent from there."""

    path: str
    media_type: str
    filename: str
    exit_code: int


ANSWER = "answer-"  # the start of an answer's file name in the request's folder
# a worker whose peak memory passed this retires once it has answered: a long-lived process keeps
# the heap a crafted return grew (a 180 MB grid), which a worker started afresh gives back
MOST_KEPT_MB = 256


class JobFailed(Exception):
    """The child died, overran its time, or raised; `key` says which (app.MESSAGES)."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(key)
        self.key, self.detail = key, detail


_CONTEXT: dict = {}


def context(pack: Optional[str] = None, workers: int = 0):
    """The fork server's context, started once with the modules a check needs already imported
    and the service's pack loaded; with `workers`, the pool of that many started too."""
    if "ctx" not in _CONTEXT:
        os.environ["FORMCHECK_SERVE_PACK"] = pack or ""  # read by web/work.py in the fork server
        from multiprocessing import forkserver

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["validator.web.work"])
        forkserver.ensure_running()
        _CONTEXT["ctx"] = ctx
        _CONTEXT["pool"] = Pool(ctx, workers)
    return _CONTEXT["ctx"]


class Worker(NamedTuple):
    process: Any  # the fork server's child
    conn: Any  # the service's end of its pipe: a (do, job) sent, a Written or JobFailed received


class Pool:
    """Idle workers, started ahead and handed to one request at a time. The service never runs more
    requests at once than it has workers (web/turns.py), so a request finds one idle; one that
    died or overran its time is ended and a new one started in its place."""

    def __init__(self, ctx, size: int):
        self._ctx, self._size, self._lock = ctx, size, threading.Lock()
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()  # idle or busy: ended with the service
        self._idle.extend(self._start() for _ in range(size))
        # before multiprocessing's own exit handler (registered earlier, run later), which would
        # wait for ever for workers that wait for requests
        atexit.register(self.close)

    def take(self) -> Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._start()

    def give_back(self, worker: Worker) -> None:
        with self._lock:
            if len(self._idle) < self._size:
                self._idle.append(worker)
                return
        self.end(worker)

    def replace(self, worker: Worker) -> None:
        """End a worker that died or overran, and start its successor now, before a request waits."""
        self.end(worker)
        self.give_back(self._start())

    def end(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.conn.close()
        _end(worker.process)

    def close(self) -> None:
        """End every worker, idle or busy: the service is ending."""
        with self._lock:
            workers, self._idle = list(self._all), []
        for worker in workers:
            self.end(worker)

    def _start(self) -> Worker:
        # not daemonic: a worker's batch starts processes of its own (validator/batch.py)
        service_end, worker_end = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(worker_end,), daemon=False)
        process.start()
        worker_end.close()
        worker = Worker(process, service_end)
        with self._lock:
            self._all.add(worker)
        return worker


def run(do, job: Job, timeout: float) -> Written:
    """The answer `do(job)` gives in a worker, written into the job's folder (web/work.py's `do`,
    passed in so that this module never imports the work it contains); JobFailed if it cannot give
    one."""
    context()
    pool: Pool = _CONTEXT["pool"]
    worker, started = pool.take(), time.monotonic()
    try:
        worker.conn.send((do, job))
        if not worker.conn.poll(timeout):
            raise JobFailed("timeout", f"{timeout:g}")
        outcome, retiring = worker.conn.recv()
    except JobFailed:
        pool.replace(worker)
        raise
    except (EOFError, OSError):  # the worker died: a return that kills its reader, or the system
        code = _died(worker)
        pool.replace(worker)
        if job.contained:
            raise JobFailed("died", str(code)) from None
        return run(do, replace(job, contained=True), max(1.0, timeout - (time.monotonic() - started)))
    pool.replace(worker) if retiring else pool.give_back(worker)
    if isinstance(outcome, JobFailed):
        raise outcome
    return outcome


def _died(worker: Worker) -> int:
    """The signal that ended a worker (as a negative exit code says it), once it has ended."""
    worker.process.join(5)
    return -(worker.process.exitcode or 0)


def _end(child) -> None:
    """End a worker. It is the fork server's child, not ours: it may exit, and be reaped there,
    between any look at it and any signal sent to it, so it is never asked `is_alive()` and then
    signalled by its pid. multiprocessing's `kill` signals only a child the fork server has not
    yet reported ended, and takes one that is already gone as ended."""
    child.kill()
    child.join(5)


def _serve(conn) -> None:
    """A worker: one request after another, until the service closes its end or the worker's peak
    memory passes MOST_KEPT_MB (it says so with its answer, and ends)."""
    import resource

    from validator import isolate

    isolate.end_with_parent()
    isolate.quiet()
    while True:
        try:
            do, job = conn.recv()
        except (EOFError, OSError):
            return
        outcome = _outcome(do, job)
        retiring = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > MOST_KEPT_MB * 1024  # KB on Linux
        conn.send((outcome, retiring))
        if retiring:
            return


def _outcome(do, job: Job):
    try:
        return _written(do(job), job.folder)
    except JobFailed as failed:  # what the job says it cannot do (an unreadable return, no copy)
        return failed
    except Exception as exc:  # noqa: BLE001 - said to the request as an internal error, never a traceback
        return JobFailed("internal", f"{type(exc).__name__}: {exc}"[:300])


def _written(answer: Answer, folder: str) -> Written:
    """The answer in a file of its own in the request's folder, made anew (never one that is
    there): a worker killed after writing its answer and before saying so leaves its file, and
    the request's retry writes another beside it."""
    handle, path = tempfile.mkstemp(prefix=ANSWER, dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(answer.body)
    return Written(path, answer.media_type, answer.filename, answer.exit_code)
