"""Loading YAML safely while remembering the line of every node, for messages with file:line."""

from __future__ import annotations

from pathlib import Path

import yaml

# libyaml's safe loader where PyYAML was built with it: the same documents, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The most nodes a document's aliases may add once they are followed: a 500-byte "billion laughs"
# of nested aliases is a few nodes as written and billions when anything walks it. The nodes as
# written are not counted against it (a province's registry holds half a million); the file's
# size bounds them.
MAX_NODES = 100_000
MESSAGES = {
    "too_many_nodes": {
        "zh": "展开别名(*)后超过 {most} 个节点(可能是 YAML 炸弹),未读取",
        "en": "more than {most} nodes once its aliases (*) are followed (a YAML bomb?); not read",
    },
}


class YamlError(Exception):
    """The file is not YAML we read; `say(lang)` words why, `line` is where (0: the whole file)."""

    def __init__(self, path: str, line: int, words):
        self.path, self.line, self.words = path, line, words  # words: lang -> text
        super().__init__(f"{path}:{line}: {self.say('zh')}")

    def say(self, lang: str) -> str:
        return self.words(lang)


def load(path: Path) -> tuple:
    """The document and {path-tuple: line} for every mapping key and list item in it."""
    from validator.files import UnreadableInput, read_text

    try:
        text = read_text(path)
    except UnreadableInput as exc:
        raise YamlError(str(path), 0, exc.say) from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        lines: dict = {}
        if root is not None:
            _walk(root, lines, path)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        from validator.yamlwords import syntax_problem

        mark = getattr(exc, "problem_mark", None)
        problem, context = getattr(exc, "problem", None) or str(exc), getattr(exc, "context", None) or ""
        raise YamlError(
            str(path), mark.line + 1 if mark else 0, lambda lang: syntax_problem(problem, context, lang)
        ) from None
    finally:
        loader.dispose()
    return data, lines


def _walk(root, lines: dict, path: Path) -> None:
    """{path-tuple: line} of every node, following aliases, refused once they add more than
    MAX_NODES nodes to those written (before the schema or anything else walks the document)."""
    from validator.i18n import say

    pending: list[tuple] = [(root, ())]
    written: set[int] = set()
    again = 0
    while pending:
        node, where = pending.pop()
        if id(node) in written:
            again += 1
        else:
            written.add(id(node))
        if again > MAX_NODES:
            raise YamlError(
                str(path), node.start_mark.line + 1, lambda lang: say(MESSAGES, "too_many_nodes", lang, most=MAX_NODES)
            )
        lines[where] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.append((value, where + (key.value,)))
                lines[where + (key.value,)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, where + (index,)) for index, item in enumerate(node.value))


def line_of(lines: dict, where) -> int:
    """The line of the nearest node on the path that has one."""
    where = tuple(where)
    while where and where not in lines:
        where = where[:-1]
    return lines.get(where, 1)


class SchemaError(Exception):
    """The document does not fit its JSON Schema: `line` is where, `error` the jsonschema error,
    `document` what was read (for the caller to name the offending node in its own terms, a rule
    by its id); `say(lang, where)` words it."""

    def __init__(self, path: str, line: int, error, document):
        self.path, self.line, self.error, self.document = path, line, error, document
        super().__init__(f"{path}:{line}: {self.say('zh')}")

    @property
    def where(self) -> tuple:
        return tuple(self.error.absolute_path)

    def say(self, lang: str, where: str = "") -> str:
        from validator.yamlwords import schema_problem

        return schema_problem(self.error, where or ".".join(map(str, self.where)), lang)


def load_checked(path: Path, schema: str) -> tuple:
    """(document, lines) of a YAML file that fits validator/schemas/<schema>.json.

    Raises YamlError for a file that is not YAML and SchemaError, at the line of the offending
    node, for one that breaks the schema."""
    data, lines = load(path)
    errors = schema_errors(path, data, lines, schema)
    if errors:
        raise errors[0]
    return data, lines


def schema_errors(path: Path, data, lines: dict, schema: str) -> list:
    """Every way the document breaks validator/schemas/<schema>.json, as SchemaErrors in the order
    of the document: the most telling error of each item of a list (each rule of a rule file, so
    that one bad rule does not hide another), of the whole document otherwise."""
    import json

    import jsonschema

    rules = json.loads((Path(__file__).parent / "schemas" / f"{schema}.json").read_text(encoding="utf-8"))
    grouped: dict = {}
    for error in jsonschema.Draft202012Validator(rules).iter_errors(data):
        item = error.absolute_path[0] if isinstance(data, list) and error.absolute_path else None
        grouped.setdefault(item, []).append(error)
    found = [jsonschema.exceptions.best_match(errors) for errors in grouped.values()]
    return sorted(
        (SchemaError(str(path), line_of(lines, error.absolute_path), error, data) for error in found),
        key=lambda problem: problem.line,
    )
