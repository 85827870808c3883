"""Running a piece of work where its crash is contained: in a forked child process.

python-calamine is native code: on a file it cannot handle it may abort the whole process (a Rust
allocation failure ends in abort()), which no `except` can catch. `run` forks a child that does
the work and sends back its pickled result through a pipe; if the child dies, takes longer than
its time, or raises, the caller gets an exception saying which, and goes on. `start` begins the
same and lets the caller work meanwhile (intake measures a large sheet so). A child is ended by
the system when its parent ends (Linux), so a killed parent leaves no children behind.

On a system without fork the work runs in this process (its crash is then not contained).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import traceback
from typing import Callable

FAILED_CODE = 70  # the child's exit code when the work raised: the traceback comes through the pipe


class Died(Exception):
    """The child ended without a result: killed by `signal` (0 if it exited), or with `code`."""

    def __init__(self, signal_number: int, code: int):
        super().__init__(f"signal {signal_number}" if signal_number else f"exit code {code}")
        self.signal, self.code = signal_number, code


class TimedOut(Exception):
    """The child did not finish within its time and was ended."""


class Failed(Exception):
    """The work raised in the child; `details` is its traceback."""

    def __init__(self, details: str):
        super().__init__(details.strip().splitlines()[-1] if details.strip() else "failed")
        self.details = details


def end_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the system to send `sig` to this process when its parent ends (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def quiet() -> None:
    """Send this process's standard error to nothing: a native reader that aborts prints its own
    backtrace there, which would reach the user instead of the one line formcheck says for it.
    Python's own crash report goes too: faulthandler (on under pytest, or `-X faulthandler`)
    writes to a copy of the descriptor it was given, which no redirection of 2 reaches."""
    import faulthandler

    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        return


def run(work: Callable, argument, timeout: float):
    """work(argument), done in a forked child within `timeout` seconds."""
    return start(work, argument).result(timeout)


def start(work: Callable, argument) -> "Child":
    """Begin work(argument) in a forked child; its `result` waits for it. Without fork the work is
    done here and now."""
    if not hasattr(os, "fork"):
        return Child(0, -1, work(argument))
    sys.stdout.flush()
    sys.stderr.flush()
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(work, argument, readable, writable)
    os.close(writable)
    return Child(pid, readable)


class Child:
    """Work going on in a forked child (or, without fork, done already)."""

    def __init__(self, pid: int, readable: int, done=None):
        self._pid, self._readable, self._done = pid, readable, done

    def result(self, timeout: float):
        """What the work returned, within `timeout` seconds; Died, TimedOut or Failed else."""
        if not self._pid:
            return self._done
        pid, readable = self._pid, self._readable
        self._pid = 0  # reaped below whatever happens: its pid may then go to another process
        try:
            data = _collect(readable, time.monotonic() + timeout)
        except BaseException:
            _end(pid)
            raise
        finally:
            os.close(readable)
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
            return pickle.loads(data)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == FAILED_CODE:
            raise Failed(data.decode("utf-8", "replace"))
        raise Died(
            os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0, os.WEXITSTATUS(status) if os.WIFEXITED(status) else 0
        )

    def stop(self) -> None:
        """End the work unfinished (its answer is no longer wanted)."""
        if not self._pid:
            return
        _end(self._pid)
        os.close(self._readable)
        self._pid = 0


def _end(pid: int) -> None:
    """Kill the child `pid` and reap it. It is ours and not yet waited for, so its pid cannot have
    gone to another process; but a process whose SIGCHLD is ignored has its children reaped by the
    system, and then the child may be gone already: that is taken as ended."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _child(work: Callable, argument, readable: int, writable: int) -> None:
    code = 0
    try:
        os.close(readable)
        end_with_parent()
        quiet()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            data = pickle.dumps(work(argument), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - sent to the parent, which decides what it means
            data, code = traceback.format_exc().encode("utf-8", "replace"), FAILED_CODE
        view = memoryview(data)
        while view:
            view = view[os.write(writable, view) :]
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _collect(readable: int, deadline: float) -> bytes:
    pieces: list = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimedOut()
        ready, _, _ = select.select([readable], [], [], left)
        if not ready:
            raise TimedOut()
        piece = os.read(readable, 1 << 16)
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)
