"""Reviewing many returns at once: the return rules on every file in a process pool, then the rules
across returns over their digests.

Workers load and compile the pack once each and send back findings, counts and a small digest,
never a workbook, so memory stays flat however many files there are. Results come back in input
order. A file intake refuses is one finding row; the batch goes on. A worker that dies (killed
by the system for want of memory, say) stops the batch with WorkerLost, which names the first
file without a result.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Optional

import validator
from validator import engine
from validator.intake import Limits, Refused
from validator.model import Report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".xlsb")
_worker: dict = {}


class WorkerLost(Exception):
    """A worker process ended without its results: `done` files were reviewed, `waiting` is the
    first of the rest."""

    def __init__(self, done: int, total: int, waiting: str):
        super().__init__(waiting)
        self.done, self.total, self.waiting = done, total, waiting


def collect_files(paths) -> list:
    """Files to review, in order: the workbooks in each folder (sorted), then the files as given.
    Excel's lock files (~$name.xlsx) are not returns."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            with os.scandir(path) as entries:  # a folder's entries know whether they are files: no stat each
                names = sorted(e.name for e in entries if e.is_file() and _is_workbook(e.name))
            found.extend(path / name for name in names)
        else:
            found.append(path)
    return [str(p) for p in found]


def _is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES) and not name.startswith("~$")


def _start_worker(pack, lang: str, reference, limits: Limits) -> None:
    # the pack the parent loaded: a forked worker has it already, a spawned one gets it pickled
    _worker.update(pack=pack, lang=lang, reference=reference, limits=limits)
    validator.tune_collector()


def _warm() -> None:
    """Import what the workers need before they start: forked from this process, they begin
    warm instead of each importing the readers and checks on its first file."""
    import codecs

    import defusedxml.ElementTree  # noqa: F401 - intake parses each workbook's sheet list with it
    import validator.digest  # noqa: F401
    import validator.reader  # noqa: F401
    from validator.checks import CHECKS  # noqa: F401
    from python_calamine import CalamineWorkbook  # noqa: F401

    codecs.lookup("cp437")  # a member name neither ASCII nor marked UTF-8 is decoded so


def review_file(path: str) -> tuple:
    """(files, findings, tallies, digest or None) of one file, in a worker: a partial report in the
    form engine.merge takes it."""
    from validator.digest import digest
    from validator.reader import read_return

    pack, lang = _worker["pack"], _worker["lang"]
    part = Report()
    try:
        ret = read_return(path, pack, _worker["limits"])
    except Refused as refusal:
        engine.add_refusal(part, path, refusal, pack, lang)
        return part.files, part.findings, engine.tallies(part, pack.rules), None
    engine.add_return(part, ret, pack, lang, _worker["reference"])
    return part.files, part.findings, engine.tallies(part, pack.rules), digest(ret)


def review(files: list, pack_path: Optional[str], lang: str, reference, limits: Optional[Limits] = None,
           jobs: Optional[int] = None, progress: Optional[Callable] = None) -> Report:
    """The whole batch's report: each file's findings in input order, then those across returns."""
    from validator.pack import load_pack

    pack = load_pack(pack_path, lang)
    report, digests = Report(), []
    for named, findings, counts, item in _results(files, pack, lang, reference, limits, jobs):
        engine.merge(report, named, findings, counts, pack.rules)
        if item is not None:
            digests.append(item)
        if progress:
            progress(1)
    engine.add_batch(report, digests, pack, lang, reference)
    return report


def read_digests(files: list, pack_path: Optional[str], lang: str, limits: Optional[Limits] = None,
                 jobs: Optional[int] = None) -> list:
    """Digests of readable files (last year's returns), skipping the unreadable ones."""
    from validator.pack import load_pack

    pack = load_pack(pack_path, lang)
    return [item for *_, item in _results(files, pack, lang, None, limits, jobs) if item is not None]


def _results(files: list, pack, lang: str, reference, limits: Limits, jobs: Optional[int]):
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(files)))
    setup = (pack, lang, reference, limits or Limits())
    if jobs == 1 or len(files) < 4:
        _start_worker(*setup)
        yield from map(review_file, files)
        return
    chunk = max(1, min(8, len(files) // (jobs * 4)))  # small: the workers finish together
    _warm()
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=setup) as pool:
        try:
            for result in pool.map(review_file, files, chunksize=chunk):
                yield result
                done += 1
        except BrokenProcessPool:
            raise WorkerLost(done, len(files), files[done]) from None
