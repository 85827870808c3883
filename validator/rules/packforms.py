"""A pack's form files: each checked against validator/schemas/form.json, then turned into a Form
(fields, notes numbered, header lines), refusing a form, field or role defined twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Union

from validator.i18n import message
from validator.model import Field, Form, Note
from validator.rules.packfile import MESSAGES, PackError, load_checked, said_twice


def load_forms(root: Path, names: list[str], forms: dict[str, Form]) -> dict[str, Form]:
    """`forms` (a parent pack's, or none) and the forms of the files `names`, in order."""
    from validator import yamlfile

    forms = dict(forms)
    for name in names:
        path = root / name
        spec, lines = load_checked(path, "form")
        if spec["id"] in forms:
            text = said_twice("form_kind", spec["id"], forms[spec["id"]].source)
            raise PackError(str(path), yamlfile.line_of(lines, ("id",)), text)
        _refuse_duplicate_fields(path, spec, lines)
        _refuse_roles_twice(path, spec, lines, forms)
        forms[spec["id"]] = _form(spec, f"{path}:1")
    return forms


def _refuse_duplicate_fields(path: Path, spec: dict[str, Any], lines: dict[tuple[Any, ...], int]) -> None:
    from validator import yamlfile

    seen: dict[str, int] = {}
    for index, item in enumerate(spec["fields"]):
        if item["id"] in seen:
            text = said_twice("field_kind", item["id"], f"{path}:{seen[item['id']]}")
            raise PackError(str(path), yamlfile.line_of(lines, ("fields", index)), text)
        seen[item["id"]] = yamlfile.line_of(lines, ("fields", index))


def _refuse_roles_twice(
    path: Path, spec: dict[str, Any], lines: dict[tuple[Any, ...], int], forms: dict[str, Form]
) -> None:
    """A role is played by one field of a form, and a form role by one form of the pack."""
    from validator import yamlfile

    played: dict[str, str] = {}
    for index, item in enumerate(spec["fields"]):
        role = item.get("role")
        if role and role in played:
            text = message(MESSAGES, "role_twice", role=role, one=played[role], other=item["id"])
            raise PackError(str(path), yamlfile.line_of(lines, ("fields", index, "role")), text)
        played[role] = item["id"]
    other = next((form for form in forms.values() if spec.get("role") and form.role == spec["role"]), None)
    if other is not None:
        text = message(MESSAGES, "role_twice", role=spec["role"], one=other.id, other=spec["id"])
        raise PackError(str(path), yamlfile.line_of(lines, ("role",)), text)


def _form(spec: dict[str, Any], source: str) -> Form:
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

    extra: dict[str, Any] = {
        k: spec[k] for k in ("title_en", "banner", "yoy_label", "template_rows", "optional", "role") if k in spec
    }
    if "explanation_label" in spec:  # the form file's name for the change note's row label
        extra["change_note_label"] = spec["explanation_label"]
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


def _notes(specs: list[Union[str, dict[str, Any]]]) -> tuple[Note, ...]:
    """The notes numbered: a plain text follows the previous note's number, {number, text} says
    its own (the source's notes 2 and 3 of 表4 are lost, so its fourth is note 4)."""
    notes, number = [], 0
    for spec in specs:
        number = spec["number"] if isinstance(spec, dict) else number + 1
        notes.append(Note(number, spec["text"] if isinstance(spec, dict) else spec))
    return tuple(notes)
