"""Finding, loading and checking a rule pack, and compiling its rules.

A pack is a folder with `pack.yaml`, which lists form files and rule files (all YAML). Each file
is checked against its JSON Schema (validator/schemas/); every rule's names are resolved against
the forms. Anything wrong is refused with the file, the line and what is wrong (`PackError`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from validator.i18n import join, say
from validator.model import Field, Form, Note, Rule
from validator.rules.checks import CHECKS
from validator.rules.syntax import MESSAGES as EXPR_MESSAGES
from validator.rules.syntax import ExprError

DEFAULT_SETTINGS = {
    "yoy_threshold": 30,
    "boilerplate": [],
    "explanation_min_chars": 0,
    "money_tolerance": 1,
    "total_labels": ["合计", "总计"],
    "subtotal_labels": ["小计"],
    "max_findings": 100,
}

MESSAGES = {
    "not_found": {
        "zh": "找不到规则包 {path}(应为含 pack.yaml 的文件夹)",
        "en": "no rule pack at {path} (a folder holding pack.yaml)",
    },
    "schema": {"zh": "不符合{what}格式: {detail}", "en": "does not fit the {what} format: {detail}"},
    "rule": {"zh": "规则 {rule}: {detail}", "en": "rule {rule}: {detail}"},
    "unknown_check": {"zh": '没有名为 "{name}" 的内置检查{suggest}', "en": 'no built-in check named "{name}"{suggest}'},
    "duplicate": {
        "zh": '{what} "{name}" 重复定义(另见 {other})',
        "en": '{what} "{name}" defined twice (see also {other})',
    },
    "needs_form": {"zh": "检查 {check} 须指定 form", "en": "check {check} needs a form"},
    "unknown_option": {
        "zh": '检查 {check} 没有参数 "{name}"{suggest}(可用的参数: {known})',
        "en": 'check {check} takes no option "{name}"{suggest} (its options: {known})',
    },
    "bad_option": {
        "zh": "检查 {check} 的参数 {name} 不对: {detail}",
        "en": "check {check}: option {name} is wrong: {detail}",
    },
    "role_twice": {
        "zh": '角色 {role} 由 "{one}" 和 "{other}" 同时担任,只能有一个',
        "en": 'the role {role} is given to both "{one}" and "{other}"; one only',
    },
    "no_note": {
        "zh": "依据“{origin}”引用了{short}注{number},但{short}的填表说明只有注 {numbers}",
        "en": 'the origin "{origin}" cites note {number} of {short}, but {short} has notes {numbers}',
    },
}
WHAT = {"pack": ("规则包", "pack"), "form": ("表定义", "form"), "rules": ("规则文件", "rule file")}


class PackError(Exception):
    """The pack cannot be used; `str()` names file and line."""

    def __init__(self, path: str, line: int, text: str):
        super().__init__(f"{path}:{line}: {text}" if line else f"{path}: {text}")
        self.path, self.line, self.text = path, line, text


@dataclass
class Pack:
    name: str
    root: Path
    settings: dict
    forms: dict  # form id -> Form, in pack order
    rules: list = field(default_factory=list)
    files: list = field(default_factory=list)  # every file the pack loaded, pack.yaml first

    def rule(self, rule_id: str) -> Optional[Rule]:
        return next((r for r in self.rules if r.id == rule_id), None)


def default_pack_path() -> Path:
    package = Path(__file__).resolve().parent.parent  # validator/
    installed = package / "packs" / "default"  # where setup.cfg installs the repository's rules/
    return installed if installed.exists() else package.parent / "rules" / "default"


@lru_cache(maxsize=8)
def load_pack(path: Optional[str] = None, lang: str = "zh") -> Pack:
    """Load, check and compile a pack once per process and language.

    A compiled pack is also kept in the user's cache folder (validator/packcache.py), valid while
    every file it loaded and formcheck's own code are unchanged, so a command does not parse and
    check the same YAML again; any change to either compiles afresh."""
    from validator.rules import packcache

    root = Path(path) if path else default_pack_path()
    if root.is_file():
        root = root.parent
    manifest = root / "pack.yaml"
    if not manifest.is_file():
        raise PackError(str(root), 0, say(MESSAGES, "not_found", lang, path=root))
    key = packcache.fingerprint(root, lang)
    pack = packcache.get(key)
    if pack is None:
        pack = compile_pack(root, lang)
        packcache.put(key, pack, pack.files)
    return pack


def compile_pack(root: Path, lang: str) -> Pack:
    manifest = root / "pack.yaml"
    spec, lines = _load_checked(manifest, "pack", lang)
    settings = {**DEFAULT_SETTINGS, **spec.get("settings", {})}
    forms = _load_forms(root, spec["forms"], lang)
    pack = Pack(spec["name"], root, settings, forms)
    pack.rules = _load_rules(root, spec["rules"], pack, lang)
    pack.files = [manifest, *(root / name for name in spec["forms"]), *(root / name for name in spec["rules"])]
    return pack


def _load_checked(path: Path, kind: str, lang: str) -> tuple:
    from validator import yamlfile

    try:
        return yamlfile.load_checked(path, kind)
    except yamlfile.YamlError as exc:
        raise PackError(exc.path, exc.line, exc.text) from None
    except yamlfile.SchemaError as exc:
        what = WHAT[kind][0 if lang == "zh" else 1]
        raise PackError(exc.path, exc.line, say(MESSAGES, "schema", lang, what=what, detail=exc.detail)) from None


def _load_forms(root: Path, names: list, lang: str) -> dict:
    from validator import yamlfile

    forms: dict = {}
    for name in names:
        path = root / name
        spec, lines = _load_checked(path, "form", lang)
        if spec["id"] in forms:
            text = say(MESSAGES, "duplicate", lang, what="form", name=spec["id"], other=forms[spec["id"]].source)
            raise PackError(str(path), yamlfile.line_of(lines, ("id",)), text)
        _refuse_duplicate_fields(path, spec, lines, lang)
        _refuse_roles_twice(path, spec, lines, forms, lang)
        forms[spec["id"]] = _form(spec, f"{path}:1")
    return forms


def _refuse_duplicate_fields(path: Path, spec: dict, lines: dict, lang: str) -> None:
    from validator import yamlfile

    seen: dict = {}
    for index, item in enumerate(spec["fields"]):
        if item["id"] in seen:
            text = say(MESSAGES, "duplicate", lang, what="field", name=item["id"], other=f"{path}:{seen[item['id']]}")
            raise PackError(str(path), yamlfile.line_of(lines, ("fields", index)), text)
        seen[item["id"]] = yamlfile.line_of(lines, ("fields", index))


def _refuse_roles_twice(path: Path, spec: dict, lines: dict, forms: dict, lang: str) -> None:
    """A role is played by one field of a form, and a form role by one form of the pack."""
    from validator import yamlfile

    played: dict = {}
    for index, item in enumerate(spec["fields"]):
        role = item.get("role")
        if role and role in played:
            text = say(MESSAGES, "role_twice", lang, role=role, one=played[role], other=item["id"])
            raise PackError(str(path), yamlfile.line_of(lines, ("fields", index, "role")), text)
        played[role] = item["id"]
    other = next((form for form in forms.values() if spec.get("role") and form.role == spec["role"]), None)
    if other is not None:
        text = say(MESSAGES, "role_twice", lang, role=spec["role"], one=other.id, other=spec["id"])
        raise PackError(str(path), yamlfile.line_of(lines, ("role",)), text)


def _form(spec: dict, source: str) -> Form:
    fields = tuple(
        Field(
            id=f["id"],
            label=f["label"],
            type=f["type"],
            unit=f.get("unit", ""),
            under=f.get("under", ""),
            aliases=tuple(f.get("aliases", ())),
            choices=tuple(f.get("choices", ())),
            label_en=f.get("label_en", ""),
            role=f.get("role", ""),
        )
        for f in spec["fields"]
    )
    from validator.read.headerlines import LineSpec

    extra = {
        k: spec[k]
        for k in ("title_en", "banner", "yoy_label", "explanation_label", "template_rows", "optional", "role")
        if k in spec
    }
    extra["lines"] = LineSpec.of(spec.get("lines"))
    return Form(
        id=spec["id"],
        short=spec["short"],
        title=spec["title"],
        layout=spec["layout"],
        fields=fields,
        notes=_notes(spec.get("notes", ())),
        source=source,
        **extra,
    )


def _notes(specs: list) -> tuple:
    """The notes numbered: a plain text follows the previous note's number, {number, text} says
    its own (the source's notes 2 and 3 of 表4 are lost, so its fourth is note 4)."""
    notes, number = [], 0
    for spec in specs:
        number = spec["number"] if isinstance(spec, dict) else number + 1
        notes.append(Note(number, spec["text"] if isinstance(spec, dict) else spec))
    return tuple(notes)


def _load_rules(root: Path, names: list, pack: Pack, lang: str) -> list:
    from validator import yamlfile

    rules: list = []
    seen: dict = {}
    for name in names:
        path = root / name
        specs, lines = _load_checked(path, "rules", lang)
        for index, spec in enumerate(specs or []):
            line = yamlfile.line_of(lines, (index,))
            source = f"{path}:{line}"
            if spec["id"] in seen:
                text = say(MESSAGES, "duplicate", lang, what="rule", name=spec["id"], other=seen[spec["id"]])
                raise PackError(str(path), line, text)
            seen[spec["id"]] = source
            rules.append(_compile_rule(spec, pack, path, lines, index, lang))
    return rules


def _compile_rule(spec: dict, pack: Pack, path: Path, lines: dict, index: int, lang: str) -> Rule:
    from validator import yamlfile

    check = spec.get("check", "expression")

    def refuse(key_path: tuple, text: str):
        detail = say(MESSAGES, "rule", lang, rule=spec["id"], detail=text)
        return PackError(str(path), yamlfile.line_of(lines, (index,) + key_path), detail)

    if check not in CHECKS:
        close = difflib.get_close_matches(check, list(CHECKS), n=1)
        suggest = say(EXPR_MESSAGES, "suggest", lang, name=close[0]) if close else ""
        raise refuse(("check",), say(MESSAGES, "unknown_check", lang, name=check, suggest=suggest))
    form = spec.get("form")
    if form is not None and form not in pack.forms:
        raise refuse(("form",), _expr_text(ExprError("unknown_form", **_nearest(form, pack.forms)), lang))
    cited = _uncited_note(spec["origin"], pack, lang)
    if cited:
        raise refuse(("origin",), cited)
    contract = CHECKS[check]
    if contract.needs_form and form is None:
        raise refuse((), say(MESSAGES, "needs_form", lang, check=check))
    wrong = _wrong_option(contract, spec, lang)
    if wrong is not None:
        raise refuse(wrong[0], wrong[1])
    try:
        params = contract.prepare(spec, pack) if contract.prepare is not None else None
    except ExprError as exc:
        raise refuse((exc.params.get("key") or "assert",), _expr_text(exc, lang)) from None
    return Rule(
        id=spec["id"],
        check=check,
        severity=spec["severity"],
        origin=spec["origin"],
        form=form,
        params=params,
        source=f"{path}:{yamlfile.line_of(lines, (index,))}",
        scope=contract.scope,
        uses_reference=contract.uses_reference,
    )


def _wrong_option(contract, spec: dict, lang: str) -> Optional[tuple]:
    """(where in the rule, what is wrong) with its options under `with:`, checked against the
    options the check declares; None if they are right."""
    import jsonschema

    given = spec.get("with")
    if given is None:
        return None
    declared = contract.options or {}
    for key in given:
        if key not in declared:
            close = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.5)
            suggest = say(EXPR_MESSAGES, "suggest", lang, name=close[0]) if close else ""
            return ("with", key), say(
                MESSAGES,
                "unknown_option",
                lang,
                check=contract.name,
                name=key,
                suggest=suggest,
                known=", ".join(declared) or "—",
            )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator({"type": "object", "properties": declared}).iter_errors(given)
    )
    if error is not None:
        where = ("with", *error.absolute_path)
        return where, say(
            MESSAGES,
            "bad_option",
            lang,
            check=contract.name,
            name=".".join(map(str, error.absolute_path)),
            detail=error.message,
        )
    return None


_CITATION = re.compile(r"(表\d+)\s*((?:注\s*\d+\s*[、,，和及]?\s*)+)")


def _uncited_note(origin: str, pack: Pack, lang: str) -> str:
    """What is wrong with an origin citing a note ("表4 注5", "表1 注2、注4") that its form does
    not number; "" if every cited note exists. Forms are known by their short name."""
    shorts = {form.short: form for form in pack.forms.values()}
    for match in _CITATION.finditer(origin):
        form = shorts.get(match.group(1))
        numbers = [note.number for note in form.notes] if form is not None else []
        for number in map(int, re.findall(r"\d+", match.group(2))):
            if form is not None and number not in numbers:
                return say(
                    MESSAGES,
                    "no_note",
                    lang,
                    origin=origin,
                    short=form.short,
                    number=number,
                    numbers=join(numbers, lang) if numbers else "—",
                )
    return ""


def _nearest(name: str, choices) -> dict:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return {"name": name, "suggest": close[0] if close else ""}


def _expr_text(exc: ExprError, lang: str) -> str:
    params = dict(exc.params)
    suggest = params.pop("suggest", "")
    params.pop("key", None)
    params["suggest"] = say(EXPR_MESSAGES, "suggest", lang, name=suggest) if suggest else ""
    return say(EXPR_MESSAGES, exc.key, lang, **params)
