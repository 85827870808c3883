"""Keeping compiled packs between runs, so `formcheck check one.xlsx` starts fast.

An entry is found by the pack folder's resolved path and a hash of formcheck's own
source; it holds, beside the compiled pack, every file the pack loaded (pack.yaml, each form and
rule file, wherever it lies and however it is named or linked) by resolved path and a hash of its
bytes. An entry is used only while every one of those files still hashes the same: a change to
any file the pack loads, or to formcheck, compiles it afresh.

The cache lives in $FORMCHECK_CACHE, else $XDG_CACHE_HOME/formcheck, else ~/.cache/formcheck;
FORMCHECK_CACHE=off turns it off. Entries are pickles, which run code when loaded, so the folder is
created readable and writable by its owner only, and neither it nor an entry is trusted unless it
belongs to the user running formcheck and no one else may write it. A cache that cannot be read or
written, or an entry that is damaged or holds anything but a pack, is not used; only packs that
loaded without error are kept, and only the 16 most recent.
"""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Optional, Union

from validator.files import blake2b

if TYPE_CHECKING:
    from validator.rules.pack import Pack

CODE = Path(__file__).resolve().parent.parent  # all of formcheck's own code: validator/


class Entry(NamedTuple):
    """What the cache keeps of a compiled pack: the files it loaded, each (resolved path, hash)."""

    files: tuple[tuple[str, str], ...]
    pack: object


def _folder() -> Optional[Path]:
    chosen = os.environ.get("FORMCHECK_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "formcheck"


def fingerprint(root: Path) -> str:
    """The key of a pack folder's entry: its resolved path and formcheck's own code (a compiled
    pack holds every language)."""
    digest = blake2b(os.fsencode(os.path.realpath(root)))
    for folder, suffix in ((CODE, ".py"), (CODE / "schemas", ".json")):
        for name in _files(str(folder), suffix):
            digest.update(name.encode())
            with open(os.path.join(folder, name), "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def file_hashes(paths: Iterable[Union[str, os.PathLike[str]]]) -> tuple[tuple[str, str], ...]:
    """((resolved path, hash of its bytes), ...) of the files a pack loaded."""
    found: list[tuple[str, str]] = []
    for path in paths:
        real = os.path.realpath(path)
        with open(real, "rb") as handle:
            found.append((real, blake2b(handle.read()).hexdigest()))
    return tuple(found)


def _files(folder: str, suffix: str) -> list[str]:
    """The files under `folder` ending in `suffix`, relative to it, sorted (with plain strings:
    sorting Path objects cost more than hashing the files)."""
    found: list[str] = []
    for here, _, names in os.walk(folder):
        found.extend(os.path.relpath(os.path.join(here, n), folder) for n in names if n.endswith(suffix))
    return sorted(found)


def get(key: str) -> Any:
    """The cached pack for `key`, if its entry is trusted and every file it loaded is unchanged."""
    folder = _folder()
    if folder is None or not _trusted(folder):
        return None
    path = folder / f"{key}.pickle"
    try:
        with open(path, "rb") as handle:
            if not _trusted(path, os.fstat(handle.fileno())):
                return None
            entry = pickle.load(handle)
        if not isinstance(entry, Entry) or file_hashes(path for path, _ in entry.files) != entry.files:
            return None
    except Exception:  # noqa: BLE001 - a missing, old, damaged or foreign entry is compiled afresh
        return None
    return entry.pack


def put(key: str, pack: Pack, files: Iterable[Union[str, os.PathLike[str]]]) -> None:
    """Keep a compiled pack with the hashes of the files it loaded."""
    import tempfile  # only when a pack was compiled: most runs find it cached

    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        entry = Entry(file_hashes(files), pack)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{key}.pickle")
        _prune(folder)
    except Exception:  # noqa: BLE001 - a read-only home must not stop a check
        return


def _trusted(path: Path, found: Optional[os.stat_result] = None) -> bool:
    """Whether a cache folder or entry is the user's own and no one else may write it."""
    try:
        found = found or os.stat(path)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return mine and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(folder: Path, keep: int = 16) -> None:
    """Old compiled packs (of packs or code since changed) are removed, newest kept."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
