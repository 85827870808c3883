"""A pack's YAML file, loaded and checked against its JSON Schema (validator/schemas/), and the
error a broken pack raises: every problem named with its file, its line, the rule it is in (by id)
and what is wrong, said in the user's language at the edge."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from validator.i18n import Lazy, Message, Messages, Phrase, Rope, Text, message, said

if TYPE_CHECKING:
    from validator.yamlfile import SchemaError

MESSAGES = Messages(
    __name__,
    {
        "not_found": {
            "zh": "找不到规则包 {path}(应为含 pack.yaml 的文件夹)",
            "en": "no rule pack at {path} (a folder holding pack.yaml)",
        },
        "schema": {
            "zh": "不符合{what}格式: {detail};各键的写法见 docs/packs.md",
            "en": "does not fit the {what} format: {detail}; docs/packs.md gives each key",
        },
        "rule": {"zh": "规则 {rule}: {detail}", "en": "rule {rule}: {detail}"},
        "unknown_check": {
            "zh": '没有名为 "{name}" 的内置检查{suggest}',
            "en": 'no built-in check named "{name}"{suggest}',
        },
        "duplicate": {
            "zh": '{what} "{name}" 重复定义(另见 {other});请给其中一个换一个编号,或删去其一',
            "en": '{what} "{name}" defined twice (see also {other}); give one of them another id, or remove one',
        },
        "rule_kind": {"zh": "规则", "en": "rule"},
        "form_kind": {"zh": "表", "en": "form"},
        "field_kind": {"zh": "字段", "en": "field"},
        "needs_form": {
            "zh": "检查 {check} 须指定 form;请在规则中加一行 form: 表的编号({forms} 之一)",
            "en": "check {check} needs a form: add form: and a form id ({forms})",
        },
        "unknown_option": {
            "zh": '检查 {check} 没有参数 "{name}"{suggest}(可用的参数: {known})',
            "en": 'check {check} takes no option "{name}"{suggest} (its options: {known})',
        },
        "bad_option": {"zh": "检查 {check} 的参数 {detail}", "en": "check {check}: option {detail}"},
        "role_twice": {
            "zh": '角色 {role} 由 "{one}" 和 "{other}" 同时担任,只能有一个;请删去其中一个字段的 role',
            "en": 'the role {role} is given to both "{one}" and "{other}"; remove the role from one of them',
        },
        "no_rule": {
            "zh": '{listed} 中的 "{name}" 不是本规则包或其所扩展规则包中的规则{suggest}',
            "en": '"{name}" under {listed} is no rule of this pack or of the pack it extends{suggest}',
        },
        "extends_loop": {
            "zh": "extends: {path} 形成循环(规则包扩展了它自己);请让 extends 指向另一个规则包,如 default",
            "en": "extends: {path} makes a loop (the pack extends itself); point extends at another pack, e.g. default",
        },
        "field_part": {"zh": "字段 {field} 的 {part}", "en": "field {field}: {part}"},
        "this_rule": {"zh": "本条规则", "en": "the rule"},
        "near_rule": {"zh": "(在规则 {rule} 处或其后)", "en": " (at or after rule {rule})"},
        "no_note": {
            "zh": "依据“{origin}”引用了{short}注{number},但{short}的填表说明只有注 {numbers};请改正注号,或在表的 notes 中补上该注",
            "en": 'the origin "{origin}" cites note {number} of {short}, but {short} has notes {numbers}; '
            "correct the number, or add the note to the form's notes",
        },
    },
)
WHAT = {
    "pack": {"zh": "规则包", "en": "pack"},
    "form": {"zh": "表定义", "en": "form"},
    "rules": {"zh": "规则文件", "en": "rule file"},
}


class PackError(Exception):
    """The pack cannot be used: its file and line, and `text` what is wrong; `said` all of it, to be
    said in a language (`str()` says it in Chinese)."""

    def __init__(self, path: str, line: int, text: Any):
        self.path, self.line, self.text = path, line, text
        self.said = Rope((f"{path}:{line}: " if line else f"{path}: ", text))
        super().__init__(str(self.said))


def load_checked(path: Path, kind: str) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]]:
    """(document, lines) of a pack file of `kind` (pack, form, rules), or PackError."""
    from validator import yamlfile

    try:
        return yamlfile.load_checked(path, kind)
    except yamlfile.YamlError as exc:
        raise PackError(exc.path, exc.line, Lazy(exc.say)) from None
    except yamlfile.SchemaError as exc:
        raise PackError(exc.path, exc.line, _schema_text(exc, kind)) from None


def load_rule_file(
    path: Path, problems: Optional[list[PackError]]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[tuple[Any, ...], int]]:
    """([(index, rule spec)], lines) of a rule file: the rules that fit the schema. Each rule that
    does not is a PackError, raised — or, with a list as `problems` (`formcheck rules lint`), put
    there while the other rules go on to be compiled."""
    from validator import yamlfile

    try:
        data, lines = yamlfile.load(path)
    except yamlfile.YamlError as exc:
        near = _rule_near(path, exc.line) if exc.line else ""
        refuse(
            problems,
            PackError(exc.path, exc.line, Lazy(exc.say) + (message(MESSAGES, "near_rule", rule=near) if near else "")),
        )
        return [], {}
    bad = set()
    for problem in yamlfile.schema_errors(path, data, lines, "rules"):
        refuse(problems, PackError(problem.path, problem.line, _schema_text(problem, "rules")))
        bad.add(problem.where[0] if problem.where else None)
    if None in bad or not isinstance(data, list):
        return [], lines
    return [(index, spec) for index, spec in enumerate(data) if index not in bad], lines


def said_twice(kind: str, name: str, other: str) -> Message:
    """That a rule, form or field (`kind`: rule_kind, form_kind, field_kind) has an id given before, at `other`."""
    return message(MESSAGES, "duplicate", what=message(MESSAGES, kind), name=name, other=other)


def refuse(problems: Optional[list[PackError]], error: PackError) -> None:
    """Raise the error, or keep it in `problems` when a list is given (every problem is wanted)."""
    if problems is None:
        raise error
    problems.append(error)


def _schema_text(exc: SchemaError, kind: str) -> Text:
    """What breaks the schema; in a rule file, named by the rule's id ("规则 T4-5: severity …")."""
    where = exc.where
    items = exc.document if isinstance(exc.document, list) else []
    if kind == "rules" and where and isinstance(where[0], int) and where[0] < len(items):
        rule = items[where[0]].get("id") if isinstance(items[where[0]], dict) else None
        inside = ".".join(map(str, where[1:])) or message(MESSAGES, "this_rule")
        detail = Lazy(lambda lang: exc.say(lang, said(inside, lang)))
        return message(MESSAGES, "rule", rule=rule, detail=detail) if isinstance(rule, str) else detail
    what = Phrase(WHAT[kind])
    fields = exc.document.get("fields") if kind == "form" and isinstance(exc.document, dict) else None
    if isinstance(fields, list) and where[:1] == ("fields",) and len(where) > 1 and where[1] < len(fields):
        named = fields[where[1]].get("id") if isinstance(fields[where[1]], dict) else None
        if isinstance(named, str):  # a field named by its id, not by its place in the list
            inside = ".".join(map(str, where[2:]))
            where_text = message(MESSAGES, "field_part", field=named, part=inside) if inside else named
            return message(
                MESSAGES, "schema", what=what, detail=Lazy(lambda lang: exc.say(lang, said(where_text, lang)))
            )
    return message(MESSAGES, "schema", what=what, detail=Lazy(exc.say))


_RULE_ID = re.compile(r"^\s*-?\s*id\s*:\s*[\"']?([A-Za-z0-9][A-Za-z0-9_.-]*)")


def _rule_near(path: Path, line: int) -> str:
    """The id of the last rule that starts at or before `line` of a rule file that YAML could not
    parse (so no document tells which rule it is in); "" if none does."""
    from validator.files import UnreadableInput, read_text

    try:
        text = read_text(path)
    except UnreadableInput:
        return ""
    found = ""
    for written in text.splitlines()[:line]:
        match = _RULE_ID.match(written)
        found = match.group(1) if match else found
    return found
