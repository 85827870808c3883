"""Keeping compiled packs between runs, so `formcheck check one.xlsx` starts fast.

The key is a hash of every file of the pack, of formcheck's own source and of the language: a
change to any of them compiles the pack afresh. The cache lives in $FORMCHECK_CACHE, else
$XDG_CACHE_HOME/formcheck, else ~/.cache/formcheck; FORMCHECK_CACHE=off turns it off. A cache
that cannot be read or written is simply not used. Only packs that loaded without error are kept,
and only the 16 most recent.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Optional

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
    digest = hashlib.sha256(lang.encode())
    for folder, pattern in ((root, "*.yaml"), (CODE, "*.py"), (CODE / "schemas", "*.json")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
