"""Finding, loading and checking a rule pack, and compiling its rules.

A pack is a folder with `pack.yaml`, which lists form files and rule files (all YAML). Each file
is checked against its JSON Schema (validator/schemas/); every rule's names are resolved against
the forms. Anything wrong is refused with the file, the line and what is wrong (`PackError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from validator.i18n import LANGS, Joined, Lazy, Message, message
from validator.model import Form, Rule, Settings
from validator.rules.checks import CHECKS
from validator.rules.packfile import MESSAGES, PackError, load_checked, load_rule_file, refuse, said_twice
from validator.rules.packforms import load_forms
from validator.rules.syntax import MESSAGES as EXPR_MESSAGES
from validator.rules.syntax import ExprError, nearest, suggestion

if TYPE_CHECKING:
    from validator.rules.checks.base import Check

RENAMED = {"explanation": "change_note"}  # checks by their former names, as packs written then say them


@dataclass
class Pack:
    name: str
    root: Path
    settings: Settings
    forms: dict[str, Form]  # form id -> Form, in pack order
    rules: list[Rule] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every file the pack loaded, pack.yaml first

    def rule(self, rule_id: str) -> Optional[Rule]:
        return next((r for r in self.rules if r.id == rule_id), None)


def default_pack_path() -> Path:
    package = Path(__file__).resolve().parent.parent  # validator/
    installed = package / "packs" / "default"  # where setup.cfg installs the repository's rules/
    return installed if installed.exists() else package.parent / "rules" / "default"


def load_pack(path: Optional[str] = None) -> Pack:
    """Load, check and compile a pack once per process, whatever the language: a compiled pack
    holds every language's texts, and a broken pack's PackError says itself in any.

    A compiled pack is also kept in the user's cache folder (validator/packcache.py), valid while
    every file it loaded and formcheck's own code are unchanged, so a command does not parse and
    check the same YAML again; any change to either compiles afresh."""
    from validator.rules import packcache

    root = Path(path) if path else default_pack_path()
    if root.is_file():
        root = root.parent
    pack = _LOADED.get(str(root))
    if pack is None:
        if not (root / "pack.yaml").is_file():
            raise PackError(str(root), 0, message(MESSAGES, "not_found", path=root))
        key = packcache.fingerprint(root)
        pack = packcache.get(key)
        if pack is None:
            pack = compile_pack(root)  # a broken pack raises here
            packcache.put(key, pack, pack.files)
        _LOADED[str(root)] = pack
    return pack


_LOADED: dict[str, Pack] = {}  # pack folder -> its pack, for this process


def forget_loaded_packs() -> None:
    """Load packs afresh from here on (a test's new command; the pack files may have changed)."""
    _LOADED.clear()


def compile_pack(root: Path, within: tuple[Path, ...] = (), problems: Optional[list[PackError]] = None) -> Pack:
    """The pack at `root`, compiled: on top of the pack it `extends` (if any), its settings over the
    parent's, its forms and rules added, then its `disable` and `severity` applied. `within`: the
    packs that extend this one, to refuse a loop. The first problem raises PackError; with a list
    as `problems`, every problem past pack.yaml is put there and the rest compiled all the same."""
    from validator import yamlfile

    manifest = root / "pack.yaml"
    spec, lines = load_checked(manifest, "pack")
    parent = _parent(root, spec, lines, within, problems) if "extends" in spec else None
    settings = (parent.settings if parent else Settings()).over(spec.get("settings", {}))
    forms = parent.forms if parent else {}
    for name in spec.get("forms", []):
        try:
            forms = load_forms(root, [name], forms)
        except PackError as error:
            refuse(problems, error)
    pack = Pack(spec["name"], root, settings, forms)
    inherited = list(parent.rules) if parent else []
    seen = {r.id: r.source for r in inherited}
    pack.rules = inherited + _load_rules(root, spec.get("rules", []), pack, seen, problems)
    own = [root / name for name in (*spec.get("forms", []), *spec.get("rules", []))]
    pack.files = [manifest, *own, *(parent.files if parent else [])]
    for key in ("disable", "severity"):
        for index, name in enumerate(spec.get(key, [])):
            if pack.rule(name) is None:
                suggest = _suggested(name, [r.id for r in pack.rules])
                text = message(MESSAGES, "no_rule", listed=key, name=name, suggest=suggest)
                at = (key, index if key == "disable" else name)
                refuse(problems, PackError(str(manifest), yamlfile.line_of(lines, at), text))
    changed = spec.get("severity", {})
    pack.rules = [
        replace(rule, severity=changed.get(rule.id, rule.severity))
        for rule in pack.rules
        if rule.id not in spec.get("disable", [])
    ]
    return pack


def _parent(
    root: Path,
    spec: dict[str, Any],
    lines: dict[tuple[Any, ...], int],
    within: tuple[Path, ...],
    problems: Optional[list[PackError]],
) -> Pack:
    """The pack named by `extends:` ("default", or a folder relative to this pack), compiled."""
    from validator import yamlfile

    named = spec["extends"]
    parent = default_pack_path() if named == "default" else (root / named).resolve()
    if parent.is_file():
        parent = parent.parent
    where = (str(root / "pack.yaml"), yamlfile.line_of(lines, ("extends",)))
    if not (parent / "pack.yaml").is_file():
        raise PackError(*where, message(MESSAGES, "not_found", path=named))
    if parent.resolve() in (*within, root.resolve()):
        raise PackError(*where, message(MESSAGES, "extends_loop", path=named))
    return compile_pack(parent, (*within, root.resolve()), problems)


def _load_rules(
    root: Path, names: list[str], pack: Pack, seen: dict[str, str], problems: Optional[list[PackError]]
) -> list[Rule]:
    """The rules of the files `names`, compiled against the pack; `seen` (id -> where) those of
    the pack it extends, which a rule here may not define again. A broken rule raises PackError,
    or with a list as `problems` is put there and left out."""
    from validator import yamlfile

    rules: list[Rule] = []
    seen = dict(seen)
    for name in names:
        path = root / name
        specs, lines = load_rule_file(path, problems)
        for index, spec in specs:
            line = yamlfile.line_of(lines, (index,))
            if spec["id"] in seen:
                text = said_twice("rule_kind", spec["id"], seen[spec["id"]])
                refuse(problems, PackError(str(path), line, text))
                continue
            seen[spec["id"]] = f"{path}:{line}"
            try:
                rules.append(_compile_rule(spec, pack, path, lines, index))
            except PackError as error:
                refuse(problems, error)
    return rules


def _compile_rule(spec: dict[str, Any], pack: Pack, path: Path, lines: dict[tuple[Any, ...], int], index: int) -> Rule:
    from validator import yamlfile

    check = RENAMED.get(spec.get("check", "expression"), spec.get("check", "expression"))

    def refuse(key_path: tuple[Any, ...], text: Any) -> PackError:
        detail = message(MESSAGES, "rule", rule=spec["id"], detail=text)
        return PackError(str(path), yamlfile.line_of(lines, (index,) + key_path), detail)

    if check not in CHECKS:
        suggest = _suggested(check, CHECKS)
        raise refuse(("check",), message(MESSAGES, "unknown_check", name=check, suggest=suggest))
    form = spec.get("form")
    if form is not None and form not in pack.forms:
        raise refuse(("form",), _expr_text(ExprError("unknown_form", **nearest(form, pack.forms))))
    origin = _languages(spec["origin"])["zh"]
    uncited = _uncited_note(origin, pack)
    if uncited:
        raise refuse(("origin", "zh"), uncited)
    contract = CHECKS[check]
    if contract.needs_form and form is None:
        raise refuse((), message(MESSAGES, "needs_form", check=check, forms=", ".join(pack.forms)))
    wrong = _wrong_option(contract, spec)
    if wrong is not None:
        raise refuse(wrong[0], wrong[1])
    try:
        params = contract.prepare(spec, pack) if contract.prepare is not None else None
    except ExprError as exc:
        raise refuse((exc.params.get("key") or "assert",), _expr_text(exc)) from None
    return Rule(
        id=spec["id"],
        check=check,
        severity=spec["severity"],
        origin=origin,
        form=form,
        params=params,
        source=f"{path}:{yamlfile.line_of(lines, (index,))}",
        scope=contract.scope,
        uses_reference=contract.uses_reference,
        description=_languages(spec.get("description", ""))["zh"],
        origins=_languages(spec["origin"]),
        descriptions=_languages(spec.get("description", "")),
        assertion=spec.get("assert", ""),
        guard=spec.get("when", ""),
        notes=tuple((form.id, number) for form, number in _citations(origin, pack)),
    )


def lint(path: str) -> list[PackError]:
    """Every problem of the pack at `path` (PackErrors, file by file in the order met, each file's
    by line): what `formcheck rules lint` lists. Empty for a pack that loads."""
    root = Path(path)
    root = root.parent if root.is_file() else root
    if not (root / "pack.yaml").is_file():
        return [PackError(str(root), 0, message(MESSAGES, "not_found", path=root))]
    problems: list[PackError] = []
    try:
        compile_pack(root, problems=problems)
    except PackError as error:
        problems.append(error)
    files = list(dict.fromkeys(problem.path for problem in problems))  # files in the order met
    return sorted(problems, key=lambda problem: (files.index(problem.path), problem.line))


def _languages(text: Union[str, dict[str, str]]) -> dict[str, str]:
    """A text the pack gives as one string or per language ({zh: …, en: …}), in every language:
    Chinese where one is not given."""
    given = {"zh": text} if isinstance(text, str) else text
    return {language: given.get(language) or given["zh"] for language in LANGS}


def _wrong_option(contract: Check, spec: dict[str, Any]) -> Optional[tuple[tuple[Any, ...], Any]]:
    """(where in the rule, what is wrong) with its options under `with:`, checked against the
    options the check declares; None if they are right."""
    import jsonschema

    given = spec.get("with")
    if given is None:
        return None
    declared = contract.options or {}
    for key in given:
        if key not in declared:
            suggest = suggestion(nearest(key, declared)["suggest"], ())  # the message lists them all
            return ("with", key), message(
                MESSAGES,
                "unknown_option",
                check=contract.name,
                name=key,
                suggest=suggest,
                known=", ".join(declared) or "—",
            )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator({"type": "object", "properties": declared}).iter_errors(given)
    )
    if error is not None:
        from validator.yamlwords import schema_problem

        where = ("with", *error.absolute_path)
        detail = Lazy(partial(schema_problem, error, ".".join(map(str, error.absolute_path))))
        return where, message(MESSAGES, "bad_option", check=contract.name, detail=detail)
    return None


_CITATION = re.compile(r"(表\d+)\s*((?:注\s*\d+\s*[、,，和及]?\s*)+)")


def _citations(origin: str, pack: Pack) -> Iterator[tuple[Form, int]]:
    """(form, note number) for each note an origin cites ("表4 注5", "表1 注2、注4"), of forms the
    pack knows by their short name."""
    shorts = {form.short: form for form in pack.forms.values()}
    for match in _CITATION.finditer(origin):
        form = shorts.get(match.group(1))
        if form is not None:
            yield from ((form, number) for number in map(int, re.findall(r"\d+", match.group(2))))


def _uncited_note(origin: str, pack: Pack) -> Any:
    """What is wrong with an origin citing a note its form does not number; "" if every cited
    note exists."""
    for form, number in _citations(origin, pack):
        numbers = [note.number for note in form.notes]
        if number not in numbers:
            return message(
                MESSAGES,
                "no_note",
                origin=origin,
                short=form.short,
                number=number,
                numbers=Joined(numbers) if numbers else "—",
            )
    return ""


def _suggested(name: str, choices: Iterable[str]) -> Any:
    return suggestion(**{k: v for k, v in nearest(name, choices).items() if k != "name"})


def _expr_text(exc: ExprError) -> Message:
    params = dict(exc.params)
    suggest, known = params.pop("suggest", ""), params.pop("known", ())
    params.pop("key", None)
    params["suggest"] = suggestion(suggest, known)
    return message(EXPR_MESSAGES, exc.key, **params)
