"""Reviewing returns: the return rules on every file where a crash of the reader is contained, then
the rules across returns over their digests.

Many files go to a pool of worker processes forked from this one (they have the pack already);
a few are each read in a child of their own (validator/isolate.py). Either way each sends back
findings, counts and a small digest, never a workbook, so memory stays flat however many files
there are, and results come back in input order. A file intake refuses is one finding row. A
worker that dies (python-calamine aborting on a file, or the system ending it) takes its files'
results with it: the files it may have held are then read again one by one, each in a child of
its own, so the file that kills its reader becomes its own G-FILE row, and the batch goes on with
a fresh pool. Workers end with the batch's process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional

import validator
from validator import isolate
from validator.model import Report
from validator.read.intake import Limits, Refused
from validator.rules import engine

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".xlsb")
_worker: dict = {}


TIMEOUT = 120.0  # seconds a file read in a child of its own may take


def collect_files(paths) -> list:
    """Files to review, in order: the entries of each folder named like workbooks (sorted), then
    the files as given. Whatever such an entry is — a link, a pipe, a folder named "x.xlsx" — it is
    listed, and intake says what it is in its row. Excel's lock files (~$name.xlsx) are not returns."""
    found: list = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(path / name for name in sorted(os.listdir(path)) if _is_workbook(name))
        else:
            found.append(path)
    return [str(p) for p in found]


def _is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES) and not name.startswith("~$")


def _start_worker(pack, reference, limits: Limits, cases: bool = True) -> None:
    # the pack the parent loaded: a forked worker has it already, a spawned one gets it pickled
    _setup_worker(pack, reference, limits, cases)
    isolate.end_with_parent()
    isolate.quiet()
    validator.tune_collector()


def _setup_worker(pack, reference, limits: Limits, cases: bool = True) -> None:
    _worker.update(pack=pack, reference=reference, limits=limits, cases=cases)


def _warm() -> None:
    """Import what the workers need before they start: forked from this process, they begin
    warm instead of each importing the readers and checks on its first file."""
    import codecs

    import defusedxml.ElementTree  # noqa: F401 - intake parses each workbook's sheet list with it
    from python_calamine import CalamineWorkbook  # noqa: F401

    import validator.read.reader  # noqa: F401
    import validator.rules.digest  # noqa: F401
    from validator.rules.checks import CHECKS  # noqa: F401

    codecs.lookup("cp437")  # a member name neither ASCII nor marked UTF-8 is decoded so


class Result(NamedTuple):
    """One file's part of the report, as a worker sends it (engine.merge takes it): small, since a
    batch of thousands sends one each."""

    files: list
    findings: list
    tallies: tuple
    digest: object  # digest.Digest, None for a file that could not be read
    refused: Any = ""  # for such a file: why (an i18n.Text)
    forms: int = 0  # how many of the pack's forms the file holds, optional ones (a register) aside
    localisations: Any = None  # {file: where to fix it} (rules/localise.py), for a return that breaks a hard rule


def review_file(path: str) -> Result:
    """One file's Result, in a worker."""
    from validator.read.reader import read_return
    from validator.rules.digest import digest

    pack = _worker["pack"]
    part = Report()
    try:
        ret = read_return(path, pack, _worker["limits"])
    except Refused as refusal:
        return _refused(path, refusal)
    except Exception as exc:  # noqa: BLE001 - a reader's fault on one file is that file's row, not the end of the run
        return _refused(path, Refused("reader_failed", detail=_fault(exc)))
    engine.add_return(part, ret, pack, _worker["reference"])
    tallies = engine.tallies(part, pack.rules)
    forms = sum(1 for data in ret.forms.values() if not data.form.optional)
    return Result(
        part.files, part.findings, tallies, digest(ret, _worker["cases"]), forms=forms, localisations=part.localisations
    )


def review(
    files: list,
    pack,
    reference,
    limits: Optional[Limits] = None,
    jobs: Optional[int] = None,
    progress: Optional[Callable] = None,
    across: bool = True,
    refused: Optional[list] = None,
    skipped: Optional[list] = None,
    kept: Optional[list] = None,
    contained: bool = True,
) -> Report:
    """The report of the files: each file's findings in input order, then (unless `across` is
    False, as for `check`) those across returns. A file that could not be read is one finding of
    the report (G-FILE) and, with a list as `refused`, also put there as (file, why). With a list
    as `skipped`, a readable workbook holding none of the pack's forms (a summary, the treasury's
    figures; a sheet titled like the optional case register alone does not make a return) is left
    out of the report and named there. With a list as `kept`, the digests of the returns read are
    put there (a consolidation adds them up). `contained` False reads a few files in this process,
    not each in a child: for a process that is itself the containment (the service's worker)."""
    report, digests = Report(), [] if kept is None else kept
    for result in _results(files, pack, reference, limits, jobs, cases=across, contained=contained):
        if result.refused and refused is not None:
            refused.append((result.files[0]["file"], result.refused))
        if skipped is not None and not result.refused and result.forms == 0:
            skipped.append(result.files[0]["file"])
            continue
        engine.merge(report, result.files, result.findings, result.tallies, pack.rules)
        report.localisations.update(result.localisations or {})
        if result.digest is not None:
            digests.append(result.digest)
        if progress:
            progress(1)
    if across:
        jobs = jobs or os.cpu_count() or 1
        engine.add_batch(report, digests, pack, reference, lambda asked: case_numbers_at(asked, jobs))
    return report


def case_numbers_at(asked: list, jobs: int = 1) -> list:
    """{row: case number} of each return's case register at the rows asked ((file, rows) each),
    read again: the check across registers asks only where two cases' hashes agree. Files of the
    same bytes are read once — a return filed twice under two names repeats every case."""
    alike: dict = {}  # the files' bytes -> [indexes into asked]
    for index, (path, _) in enumerate(asked):
        alike.setdefault(_content(path), []).append(index)
    groups = list(alike.values())
    merged = [(asked[group[0]][0], sorted({row for i in group for row in asked[i][1]})) for group in groups]
    found: list = [{}] * len(asked)
    for group, numbers in zip(groups, _read_numbers(merged, jobs)):
        for index in group:
            wanted = set(asked[index][1])
            found[index] = {row: number for row, number in numbers.items() if row in wanted}
    return found


def _content(path: str) -> object:
    """What a file holds, as a key: its SHA-256, or its own path where it cannot be read."""
    from validator.files import sha256

    try:
        return sha256(path)
    except OSError:
        return path


def _read_numbers(asked: list, jobs: int) -> list:
    """case_numbers_at of distinct files: several read by a pool of workers at once; one its
    worker dies on, and any after it, in a child each."""
    if len(asked) < 2 or jobs < 2:
        return [_case_numbers_contained(one) for one in asked]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    setup = (_worker["pack"], _worker["reference"], _worker["limits"], False)
    found: list = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(asked)), initializer=_start_worker, initargs=setup) as pool:
        try:
            for numbers in pool.map(_case_numbers_or_none, [(path, tuple(rows)) for path, rows in asked]):
                found.append(numbers)
        except BrokenProcessPool:
            pass
    return found + [_case_numbers_contained(one) for one in asked[len(found) :]]


def _case_numbers_or_none(asked: tuple) -> dict:
    """_case_numbers_at in a pool's worker: a file that cannot be read again (gone since, changed)
    gives none, as in a child of its own — its hashes then stand for its numbers."""
    try:
        return _case_numbers_at(asked)
    except Exception:  # noqa: BLE001 - the worker's read failing is one file's "?", not the batch's end
        return {}


def _case_numbers_contained(asked: tuple) -> dict:
    path, rows = asked
    try:
        return isolate.run(_case_numbers_at, (path, tuple(rows)), TIMEOUT)
    except (isolate.Died, isolate.TimedOut, isolate.Failed):
        return {}


def _case_numbers_at(asked: tuple) -> dict:
    from validator.read.reader import read_return

    path, rows = asked
    ret = read_return(path, _worker["pack"], _worker["limits"])
    register = ret.register
    table = register.table if register is not None else None
    column = table.played_by("case_number") if table is not None else None
    if table is None or column is None:
        return {}
    wanted = set(rows)
    return {row: text for row, text in zip(table.excel_rows, column.texts or []) if row in wanted and text}


def read_digests(
    files: list, pack, limits: Optional[Limits] = None, jobs: Optional[int] = None, refused: Optional[list] = None
) -> list:
    """Digests of readable files (last year's returns); with a list as `refused`, each file that
    could not be read is put there as (file, why)."""
    digests = []
    for result in _results(files, pack, None, limits, jobs, cases=False):
        if result.digest is not None:
            digests.append(result.digest)
        elif refused is not None:
            refused.append((result.files[0]["file"], result.refused))
    return digests


def _results(
    files: list, pack, reference, limits: Optional[Limits], jobs: Optional[int], cases: bool = True, contained=True
):
    """Each file's result, in input order."""
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(files)))
    setup = (pack, reference, limits or Limits(), cases)
    _setup_worker(*setup)
    if len(files) < 4:
        yield from map(review_contained if contained else review_file, files)
        return
    chunk = max(1, min(8, len(files) // (jobs * 4)))  # small: the workers finish together
    _warm()
    start = 0
    while start < len(files):
        done = yield from _pooled(files[start:], setup, jobs, chunk)
        start += done
        # a worker died: the files it may have held are read one by one, each in a child of its own
        suspects = files[start : start + (jobs + 1) * chunk]
        yield from map(review_contained, suspects)
        start += len(suspects)


def _pooled(files: list, setup: tuple, jobs: int, chunk: int):
    """Results from a pool of workers, in order, until all are done or a worker dies; how many."""
    # imported here: `check` of a few files never starts a pool, and multiprocessing costs its start
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=setup) as pool:
        try:
            for result in pool.map(review_file, files, chunksize=chunk):
                yield result
                done += 1
        except BrokenProcessPool:
            pass
    return done


def review_contained(path: str) -> tuple:
    """review_file(path) in a child of its own: a reader that dies or hangs on the file makes it
    one G-FILE row, and the run goes on."""
    try:
        return isolate.run(review_file, path, TIMEOUT)
    except isolate.Died as died:
        return _refused(path, Refused("reader_died", signal=died.signal or died.code))
    except isolate.TimedOut:
        return _refused(path, Refused("reader_timeout", seconds=int(TIMEOUT)))


def _fault(exc: Exception) -> str:
    """The error and where formcheck raised it, for the maintainer the user is asked to tell."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    place = f"; {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{place}"


def _refused(path: str, refusal: Refused) -> Result:
    from validator.read.refusals import describe

    pack = _worker["pack"]
    part = Report()
    engine.add_refusal(part, path, refusal, pack)
    return Result(part.files, part.findings, engine.tallies(part, pack.rules), None, describe(refusal))
