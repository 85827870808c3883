"""Where a run writes its reports and workbooks, and how: never over an input of any kind, never
one output over another, into a folder checked before the work starts, and atomically — to a
temporary file in the same folder, then renamed — so that a full disk, a crash or two runs at
once leave the old file or the new one, never a torn one. A device (/dev/null, /dev/stdout) is
written as it is: there is nothing to replace."""

from __future__ import annotations

import os
import stat
import tempfile
from typing import Callable, Iterable, Optional

MESSAGES = {
    "not_xlsx": {
        "zh": "{path}: 写出的是 Excel 工作簿 (.xlsx),文件名请以 .xlsx 结尾,否则 Excel 和 WPS 会说格式与扩展名不符",
        "en": "{path}: what is written is an Excel workbook (.xlsx); end the name in .xlsx, or Excel and WPS "
        "will say its format and extension do not match",
    },
    "is_input": {
        "zh": "{path} 是本次检查的输入文件,输出不能写到这里(输入文件从不改动)",
        "en": "{path} is an input of this run; write the output elsewhere (inputs are never changed)",
    },
    "twice": {
        "zh": "{path} 被指定为两个输出(-o 与 --summary),请分别给出不同的文件名",
        "en": "{path} is given for two outputs (-o and --summary); give each its own file",
    },
    "no_folder": {
        "zh": "无法写入 {path}: 文件夹 {folder} 不存在",
        "en": "cannot write {path}: the folder {folder} does not exist",
    },
    "is_folder": {"zh": "无法写入 {path}: 这是一个文件夹", "en": "cannot write {path}: it is a folder"},
    "read_only": {
        "zh": "无法写入 {path}: 没有写入文件夹 {folder} 的权限",
        "en": "cannot write {path}: the folder {folder} is not writable",
    },
    "failed": {
        "zh": "无法写入 {path}: {detail};原有文件未改动",
        "en": "cannot write {path}: {detail}; any file there is unchanged",
    },
}


class OutputProblem(Exception):
    """An output cannot be written where asked; `key` and `params` say why."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def check(outputs: Iterable[Optional[str]], inputs: Iterable[str], workbooks: Iterable[Optional[str]] = ()) -> None:
    """Refuse, before any work, outputs that are inputs, that name one file twice, or whose folder
    is missing or not writable, and `workbooks` (those of `outputs` written as .xlsx) named
    otherwise. Files are compared by device and inode (links and other spellings of a name count)
    and, for outputs yet to be made, by their resolved path."""
    for path in workbooks:
        if path and not _is_device(path) and not str(path).lower().endswith(".xlsx"):
            raise OutputProblem("not_xlsx", path=path)
    wanted = [path for path in outputs if path]
    seen: dict = {}
    for path in wanted:
        key = _identity(path) or os.path.realpath(path)
        if key in seen:
            raise OutputProblem("twice", path=path)
        seen[key] = path
        _check_folder(path)
    existing = {_identity(path): path for path in wanted if _identity(path) is not None}
    for path in inputs if existing else ():
        clash = existing.get(_identity(path))
        if clash is not None:
            raise OutputProblem("is_input", path=clash)


def _check_folder(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OutputProblem("is_folder", path=path)
    if not os.path.isdir(folder):
        raise OutputProblem("no_folder", path=path, folder=folder)
    if not _is_device(path) and not os.access(folder, os.W_OK):
        raise OutputProblem("read_only", path=path, folder=folder)


def write(path: str, fill: Callable, binary: bool = False) -> None:
    """`fill(handle)` writes the output; it lands at `path` whole or not at all."""
    mode = "wb" if binary else "w"
    encoding = None if binary else "utf-8"
    try:
        if _is_device(path):
            with open(path, mode, encoding=encoding) as handle:
                fill(handle)
            return
        folder, base = os.path.split(os.path.abspath(path))
        handle = tempfile.NamedTemporaryFile(
            mode, encoding=encoding, dir=folder, prefix=f".{base}.", suffix=".tmp", delete=False
        )
        try:
            with handle:
                fill(handle)
            os.chmod(handle.name, 0o644 & ~_umask())
            os.replace(handle.name, path)
        except BaseException:
            _remove(handle.name)
            raise
    except OSError as exc:
        raise OutputProblem("failed", path=path, detail=exc.strerror or str(exc)) from None


def _is_device(path: str) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _identity(path: str) -> Optional[tuple]:
    """(device, inode) of a file; None for one that cannot be found."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def inputs_of(returns, sources: dict, pack_path):
    """Every file a run reads: the returns, the reference data (`sources`: {name: path}), the pack."""
    from validator.rules.pack import default_pack_path
    from validator.sources import input_files

    yield from returns
    yield from input_files(sources)
    for folder, _, names in os.walk(pack_path or default_pack_path()):
        yield from (os.path.join(folder, name) for name in names)
