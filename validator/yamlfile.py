"""Loading YAML safely while remembering the line of every node, for messages with file:line."""

from __future__ import annotations

from pathlib import Path

import yaml

# libyaml's safe loader where PyYAML was built with it: the same documents, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    def __init__(self, path: str, line: int, text: str):
        super().__init__(f"{path}:{line}: {text}")
        self.path, self.line, self.text = path, line, text


def load(path: Path) -> tuple:
    """The document and {path-tuple: line} for every mapping key and list item in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(str(path), 0, str(exc)) from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise YamlError(str(path), line, getattr(exc, "problem", None) or str(exc)) from None
    finally:
        loader.dispose()
    lines: dict = {}
    if root is not None:
        _walk(root, (), lines)
    return data, lines


def _walk(node, where: tuple, lines: dict) -> None:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, where + (key.value,), lines)
            lines[where + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, where + (index,), lines)


def line_of(lines: dict, where) -> int:
    """The line of the nearest node on the path that has one."""
    where = tuple(where)
    while where and where not in lines:
        where = where[:-1]
    return lines.get(where, 1)
