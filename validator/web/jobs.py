"""A request's check, done in a process of its own within a time limit.

The service is one process serving many requests; python-calamine may abort on a crafted file and
a slow file may take long, so the work of each request runs in a child started by multiprocessing's
fork server (a small single-threaded process: forking the threaded server itself could copy a lock
another thread holds). The child reads, checks and renders — the same calls as the command line —
and writes the answer into the request's folder, whence the service streams it: the service never
holds an answer whole, however slowly its client reads. One that dies or overruns its time is
ended and the request answered with an error, while the service goes on."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
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


ANSWER = "answer"  # the answer's file in the request's folder; no upload is stored by this name


class JobFailed(Exception):
    """The child died, overran its time, or raised; `key` says which (app.MESSAGES)."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(key)
        self.key, self.detail = key, detail


_CONTEXT: dict = {}


def context(pack: Optional[str] = None):
    """The fork server's context, started once with the modules a check needs already imported
    and the service's pack loaded."""
    if "ctx" not in _CONTEXT:
        os.environ["FORMCHECK_SERVE_PACK"] = pack or ""  # read by web/work.py in the fork server
        from multiprocessing import forkserver

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["validator.web.work"])
        forkserver.ensure_running()
        _CONTEXT["ctx"] = ctx
    return _CONTEXT["ctx"]


def run(do, job: Job, timeout: float) -> Written:
    """The answer `do(job)` gives in a child of the fork server, written into the job's folder (web/work.py's `do`, passed in so
    that this module never imports the work it contains); JobFailed if it cannot give one."""
    ctx = context()
    receiving, sending = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(do, job, sending), daemon=False)
    child.start()
    sending.close()
    try:
        if not receiving.poll(timeout):
            raise JobFailed("timeout", f"{timeout:g}")
        try:
            outcome = receiving.recv()
        except EOFError:
            child.join(5)
            raise JobFailed("died", str(-(child.exitcode or 0))) from None
    finally:
        receiving.close()
        _end(child)
    if isinstance(outcome, JobFailed):
        raise outcome
    return outcome


def _end(child) -> None:
    """End the request's child, answered or not. It is the fork server's child, not ours: it may
    exit, and be reaped there, between any look at it and any signal sent to it, so it is never
    asked `is_alive()` and then signalled by its pid. multiprocessing's `kill` signals only a child
    the fork server has not yet reported ended, and takes one that is already gone as ended."""
    child.kill()
    child.join(5)


def _child(do, job: Job, sending) -> None:
    from validator import isolate

    isolate.end_with_parent()
    isolate.quiet()
    outcome: Written | JobFailed
    try:
        outcome = _written(do(job), job.folder)
    except JobFailed as failed:  # what the job says it cannot do (an unreadable return, no copy)
        outcome = failed
    except Exception as exc:  # noqa: BLE001 - said to the request as an internal error, never a traceback
        outcome = JobFailed("internal", f"{type(exc).__name__}: {exc}"[:300])
    sending.send(outcome)
    sending.close()


def _written(answer: Answer, folder: str) -> Written:
    path = os.path.join(folder, ANSWER)
    with open(path, "xb") as out:
        out.write(answer.body)
    return Written(path, answer.media_type, answer.filename, answer.exit_code)
