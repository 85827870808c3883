"""Keeping compiled packs between runs, so `formcheck check one.xlsx` starts fast.

The key is a hash of every file of the pack, of formcheck's own source and of the language: a
change to any of them compiles the pack afresh. The cache lives in $FORMCHECK_CACHE, else
$XDG_CACHE_HOME/formcheck, else ~/.cache/formcheck; FORMCHECK_CACHE=off turns it off. A cache
that cannot be read or written is simply not used. Only packs that loaded without error are kept,
and only the 16 most recent.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Optional

try:  # hashlib's BLAKE2 without hashlib, which loads OpenSSL: a tenth of `check`'s start-up
    from _blake2 import blake2b
except ImportError:  # an interpreter without the module
    from hashlib import blake2b

CODE = Path(__file__).resolve().parent


def _folder() -> Optional[Path]:
    chosen = os.environ.get("FORMCHECK_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "formcheck"


def fingerprint(root: Path, lang: str) -> str:
    digest = blake2b(lang.encode())
    for folder, suffix in ((root, ".yaml"), (CODE, ".py"), (CODE / "schemas", ".json")):
        for name in _files(str(folder), suffix):
            digest.update(name.encode())
            with open(os.path.join(folder, name), "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def _files(folder: str, suffix: str) -> list:
    """The files under `folder` ending in `suffix`, relative to it, sorted (with plain strings:
    sorting Path objects cost more than hashing the files)."""
    found = []
    for here, _, names in os.walk(folder):
        found.extend(os.path.relpath(os.path.join(here, n), folder) for n in names if n.endswith(suffix))
    return sorted(found)


def get(key: str):
    folder = _folder()
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing, old or damaged entry is compiled afresh
        return None


def put(key: str, pack) -> None:
    import tempfile  # only when a pack was compiled: most runs find it cached

    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(pack, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{key}.pickle")
        _prune(folder)
    except Exception:  # noqa: BLE001 - a read-only home must not stop a check
        return


def _prune(folder: Path, keep: int = 16) -> None:
    """Old compiled packs (of packs or code since changed) are removed, newest kept."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
