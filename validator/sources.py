"""The reviewer's reference data, as one table of sources: the registry of units, the treasury's
figures, last year's returns. Each source says its name (the command's option and the web form's
field), whether it is a file or a folder of returns (sent to the web service as one .zip), the
suffixes a file may have, what the command's help says, and how it is loaded into the Reference.

A source may be `repeated`: last year's returns, and the years before, are one folder a year
(`--previous 2023=DIR --previous 2022=DIR`); such a source is given as a tuple of its values.

The command's options, the web service's fields, the inputs an output may never overwrite and the
loading itself all come from this table: a new source is one entry and its loader."""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterator, NamedTuple, Optional


class Source(NamedTuple):
    name: str  # registry: --registry on the command line, the field "registry" of /api/batch
    folder: bool  # a folder of returns (a .zip of them to the web service), else one file
    suffixes: tuple[str, ...]  # a file's: what the web service accepts
    help: str  # the command's help
    load: Callable  # (path, reference, pack, limits, jobs) -> None: fills the Reference
    repeated: bool = False  # given any number of times: a tuple of values


class Given(NamedTuple):
    """One value of a source: its path and, for a folder of a stated year (2023=DIR), the year."""

    source: Source
    path: str
    year: Optional[int]


def _registry(path: str, reference, pack, limits, jobs) -> None:
    from validator.read.reference import load_registry

    reference.registry = load_registry(path)


def _treasury(path: str, reference, pack, limits, jobs) -> None:
    from validator.read.reference import load_treasury

    reference.treasury = load_treasury(path, reference)  # names matched through the registry


def _previous(path: str, reference, pack, limits, jobs, year: Optional[int] = None) -> None:
    """One year's returns, that year's as stated (2023=DIR) or each return's own (DIR); a return
    whose title states another year than the one given, or of a unit and year given already, is
    set aside, and said (B-PREVIOUS)."""
    import os

    from validator.batch import collect_files, read_digests
    from validator.read.reference import ReferenceFileError, SetAside

    if not os.path.isdir(path):  # as a missing registry is refused, not left to say nothing
        stated = re.match(r"\s*([^=/\\]{1,12})=", path)
        if stated and not re.fullmatch(r"\s*(19|20)\d\d\s*", stated.group(1)):
            raise ReferenceFileError(path, 0, "not_a_year", year=stated.group(1))
        raise ReferenceFileError(path or "--previous", 0, "no_folder")
    files = collect_files([path])
    if not files:
        raise ReferenceFileError(path, 0, "no_returns")
    for digest in read_digests(files, pack, limits, jobs, reference.previous_refused):
        at, years = year or digest.year, reference.previous.setdefault(reference.key(digest.unit), {})
        if year is not None and digest.year not in (None, year):
            reference.previous_aside.append(
                SetAside(digest.file, digest.unit, "misdated", {"stated": digest.year, "given": year})
            )
        elif at in years:  # the first given is kept: a folder given earlier, then by name
            reference.previous_aside.append(
                SetAside(digest.file, digest.unit, "twice", {"year": at or "", "used": years[at].file})
            )
        elif digest.unit:
            years[at] = digest


def dated(text: str) -> tuple[Optional[int], str]:
    """(year, folder) of `--previous 2023=DIR` (its digits full-width too, as a Chinese input method
    may type them); (None, text) of a plain folder, and of a text whose part before "=" is no year
    (refused as it loads, `_previous`)."""
    import os

    found = re.fullmatch(r"\s*((?:19|20)\d\d)\s*=(.*)", unicodedata.normalize("NFKC", text[:8]) + text[8:], re.S)
    if found is None or os.path.isdir(text):  # a folder whose own name looks like YEAR=… is itself
        return None, text
    return int(found.group(1)), found.group(2) or text  # "2023=" names no folder: said as given


SOURCES = (  # in the order they load: the treasury's units are matched through the registry
    Source("registry", False, (".yaml", ".yml"), "单位名录 units.yaml", _registry),
    Source("treasury", False, (".csv", ".xlsx"), "财政入库数 (.csv 或 .xlsx)", _treasury),
    Source("previous", True, (".zip",), "往年报表所在文件夹,一年一个: 2023=文件夹 (可重复)", _previous, repeated=True),
)


def load_reference(given: dict, pack, limits=None, jobs: Optional[int] = None):
    """The Reference of the sources `given` ({name: path, or a tuple of them if repeated}), or None
    when none is; a broken file raises ReferenceFileError naming it."""
    from validator.read.reference import Reference

    values = list(values_of(given))
    if not values:
        return None
    reference = Reference()
    for value in values:
        if value.year is None:
            value.source.load(value.path, reference, pack, limits, jobs)
        else:
            value.source.load(value.path, reference, pack, limits, jobs, year=value.year)
    return reference


def values_of(given: dict) -> Iterator[Given]:
    """Each value of the sources `given`, in the table's order, a repeated source's in turn."""
    for source in SOURCES:
        value = given.get(source.name)
        for text in (value or ()) if source.repeated else [value] if value else []:
            year, path = dated(text) if source.repeated else (None, text)
            yield Given(source, path, year)


def input_files(given: dict) -> Iterator[str]:
    """Every file the sources `given` are read from: a file source's file, a folder's returns."""
    from validator.batch import collect_files

    for value in values_of(given):
        yield from collect_files([value.path]) if value.source.folder else [value.path]
