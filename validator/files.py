"""Reading the small files a run is given besides returns — rule packs, the registry, the treasury
CSV — as untrusted input: only a regular file is read, its size known and capped before reading,
so a named pipe never hangs the run and /dev/zero never fills its memory."""

from __future__ import annotations

import os
import stat

MOST_MB = 16  # no pack file, registry or treasury list comes near it
MESSAGES = {
    "not_regular": {"zh": "不是普通文件(是{kind}),未读取", "en": "not a regular file (a {kind}); not read"},
    "too_big": {"zh": "文件有 {size} MB,超过 {most} MB 上限,未读取", "en": "the file is {size} MB, more than {most} MB; not read"},
    "unreadable": {"zh": "无法打开({detail})", "en": "cannot be opened ({detail})"},
    "not_utf8": {"zh": "不是 UTF-8 编码的文本(第 {line} 行);请另存为 UTF-8", "en": "not UTF-8 text (line {line}); save it as UTF-8"},
}
KINDS = {"zh": {"directory": "文件夹", "fifo": "命名管道", "device": "设备", "other": "特殊文件"},
         "en": {"directory": "folder", "fifo": "named pipe", "device": "device", "other": "special file"}}


class UnreadableInput(Exception):
    """The file cannot be taken; `key` and `params` say why, for the user's language."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def say(self, lang: str) -> str:
        from validator.i18n import say

        params = dict(self.params)
        if "kind" in params:
            params["kind"] = KINDS.get(lang, KINDS["zh"])[params["kind"]]
        return say(MESSAGES, self.key, lang, **params)


def read_bytes(path, most_mb: int = MOST_MB) -> bytes:
    """The bytes of a regular file of at most `most_mb` MB."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableInput("unreadable", detail=exc.strerror or str(exc)) from None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise UnreadableInput("not_regular", kind=_kind(found.st_mode))
        if found.st_size > most_mb << 20:
            raise UnreadableInput("too_big", size=found.st_size >> 20, most=most_mb)
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
        raise UnreadableInput("not_utf8", line=data[:exc.start].count(b"\n") + 1) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "other"
