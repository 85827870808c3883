"""The reviewer's reference data, as one table of sources: the registry of units, the treasury's
figures, last year's returns. Each source says its name (the command's option and the web form's
field), whether it is a file or a folder of returns (sent to the web service as one .zip), the
suffixes a file may have, what the command's help says, and how it is loaded into the Reference.

The command's options, the web service's fields, the inputs an output may never overwrite and the
loading itself all come from this table: a new source is one entry and its loader."""

from __future__ import annotations

from typing import Callable, Iterator, NamedTuple, Optional


class Source(NamedTuple):
    name: str  # registry: --registry on the command line, the field "registry" of /api/batch
    folder: bool  # a folder of returns (a .zip of them to the web service), else one file
    suffixes: tuple[str, ...]  # a file's: what the web service accepts
    help: str  # the command's help
    load: Callable  # (path, reference, pack, limits, jobs) -> None: fills the Reference


def _registry(path: str, reference, pack, limits, jobs) -> None:
    from validator.read.reference import load_registry

    reference.registry = load_registry(path)


def _treasury(path: str, reference, pack, limits, jobs) -> None:
    from validator.read.reference import load_treasury

    reference.treasury = load_treasury(path, reference)  # names matched through the registry


def _previous(path: str, reference, pack, limits, jobs) -> None:
    import os

    from validator.batch import collect_files, read_digests
    from validator.read.reference import ReferenceFileError

    if not os.path.isdir(path):  # as a missing registry is refused, not left to say nothing
        raise ReferenceFileError(path, 0, "no_folder")
    files = collect_files([path])
    if not files:
        raise ReferenceFileError(path, 0, "no_returns")
    last_year = read_digests(files, pack, limits, jobs, reference.previous_refused)
    reference.previous = {reference.key(digest.unit): digest for digest in last_year if digest.unit}


SOURCES = (  # in the order they load: the treasury's units are matched through the registry
    Source("registry", False, (".yaml", ".yml"), "单位名录 units.yaml", _registry),
    Source("treasury", False, (".csv", ".xlsx"), "财政入库数 (.csv 或 .xlsx)", _treasury),
    Source("previous", True, (".zip",), "上年报表所在文件夹", _previous),
)


def load_reference(given: dict, pack, limits=None, jobs: Optional[int] = None):
    """The Reference of the sources `given` ({name: path}), or None when none is; a broken file
    raises ReferenceFileError naming it."""
    from validator.read.reference import Reference

    if not any(given.get(source.name) for source in SOURCES):
        return None
    reference = Reference()
    for source in SOURCES:
        if given.get(source.name):
            source.load(given[source.name], reference, pack, limits, jobs)
    return reference


def input_files(given: dict) -> Iterator[str]:
    """Every file the sources `given` are read from: a file source's file, a folder's returns."""
    from validator.batch import collect_files

    for source in SOURCES:
        path = given.get(source.name)
        if path:
            yield from collect_files([path]) if source.folder else [path]
