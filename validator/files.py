"""Reading a file a run is given — a return, a pack file, the registry, the treasury CSV — as
untrusted input: only a regular file is read, opened without waiting and judged by what was opened,
its size known and capped before reading, so a named pipe never hangs the run and /dev/zero never
fills its memory. Anything else is refused with a key saying what it is."""

from __future__ import annotations

import errno
import os
import stat

try:  # hashlib's BLAKE2 without hashlib, which loads OpenSSL: a tenth of `check`'s start-up
    from _blake2 import blake2b as blake2b  # re-exported: packcache and digest take it from here
except ImportError:  # an interpreter without the module
    from hashlib import blake2b as blake2b

MOST_MB = 16  # no pack file, registry or treasury list comes near it
MESSAGES = {
    "missing": {"zh": "文件不存在", "en": "no such file"},
    "dangling": {"zh": "这是一个链接,指向的文件不存在", "en": "this is a link to a file that does not exist"},
    "loop": {
        "zh": "这是一个循环链接(链接指向自己),无法打开",
        "en": "this link loops back on itself and cannot be opened",
    },
    "directory": {"zh": "这是文件夹,不是文件", "en": "this is a folder, not a file"},
    "fifo": {"zh": "这是命名管道(FIFO),不是文件", "en": "this is a named pipe (FIFO), not a file"},
    "device": {"zh": "这是设备文件,不是普通文件", "en": "this is a device, not a regular file"},
    "special": {"zh": "这不是普通文件(可能是套接字)", "en": "this is not a regular file (a socket?)"},
    "too_big": {
        "zh": "文件有 {size} MB,超过 {cap} MB 上限,未读取",
        "en": "the file is {size} MB, more than {cap} MB; not read",
    },
    "unreadable": {"zh": "无法打开({detail})", "en": "cannot be opened ({detail})"},
    "not_utf8": {
        "zh": "不是 UTF-8 编码的文本(第 {line} 行);请另存为 UTF-8",
        "en": "not UTF-8 text (line {line}); save it as UTF-8",
    },
}


class UnreadableInput(Exception):
    """The file cannot be taken; `key` and `params` say why, for the user's language."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def say(self, lang: str) -> str:
        from validator.i18n import say

        return say(MESSAGES, self.key, lang, **self.params)


def read_bytes(path, most_mb: int = MOST_MB) -> bytes:
    """The bytes of a regular file of at most `most_mb` MB."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UnreadableInput("dangling" if os.path.islink(path) else "missing") from None
    except IsADirectoryError:
        raise UnreadableInput("directory") from None
    except OSError as exc:
        raise (
            UnreadableInput("loop")
            if exc.errno == errno.ELOOP
            else UnreadableInput("unreadable", detail=exc.strerror or str(exc))
        ) from None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise UnreadableInput(_kind(found.st_mode))
        if found.st_size > most_mb << 20:
            raise UnreadableInput("too_big", size=found.st_size >> 20, cap=most_mb)
        with os.fdopen(os.dup(handle), "rb", buffering=0) as stream:
            return stream.readall()
    except OSError as exc:
        raise UnreadableInput("unreadable", detail=exc.strerror or str(exc)) from None
    finally:
        os.close(handle)


def read_text(path, most_mb: int = MOST_MB) -> str:
    """The text of a regular UTF-8 file (a byte-order mark is dropped)."""
    data = read_bytes(path, most_mb)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput("not_utf8", line=data[: exc.start].count(b"\n") + 1) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


def sha256(path) -> bytes:
    """The SHA-256 of a file's bytes, read in pieces (OSError where it cannot be read)."""
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()
