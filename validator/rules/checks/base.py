"""What every check shares: the contract a check declares (`Check`), the run context, the unit
rows of a form, how a row is named."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional

from validator.i18n import Messages, aside
from validator.model import Finding, FormData, Outcome, Return, Rule, Settings
from validator.table import Row

MESSAGES = Messages(
    __name__,
    {
        "row": {"zh": "序号 {serial}{unit}: ", "en": "row {serial}{unit}: "},
        "period": {"zh": "{year} 年", "en": "{year} "},
    },
)


# JSON Schema shapes of options under `with:`
FIELD_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}  # form.field or form ids
SELECTIONS = {"type": "object", "additionalProperties": {"type": "object"}}  # form.field -> what to select


@dataclass(frozen=True)
class Check:
    """A named check as the engine, the pack loader and the reporters know it.

    `run(rule, subject, context)` yields an Outcome per instance — passed, failed (with a message
    and cells) or not evaluated — where the subject is, by `scope`: "return", a Return (each
    return in turn); "batch", the digests of a whole batch (once); "file", what intake made of
    each file (`Intake`: read, or refused and why). `phase` "after" runs a return's check after every
    other rule of that return, on `Finished` (the return and its findings); a passed outcome of it
    may name a finding it explains (Outcome.explains), which the engine marks. `needs_form`: a rule using it
    must name a form. `uses_reference`: it compares a return with reference data (its findings are
    listed with those across returns). `options`: the JSON Schema properties its `with:` may hold,
    checked when the pack loads (None: it takes none). `prepare(spec, pack)` checks them further
    (names of fields and forms, raising ExprError) and returns what `run` finds in `rule.params`.
    `summary`: what it checks, {"zh": …, "en": …}, for `formcheck rules list` and the reports.
    `linear(rule, ret, context, system)` adds the rule's constraints on the return to a
    linear.System, for the localisation (rules/localise.py); raising linear.NotLinear leaves it out.
    A check never knows its own severity: the pack's rule stamps it."""

    name: str
    run: Callable[..., Iterator[Outcome]]  # (rule, subject, context)
    summary: dict[str, str] = field(default_factory=dict)
    scope: str = "return"
    phase: str = "rules"
    needs_form: bool = False
    uses_reference: bool = False
    options: Optional[dict[str, Any]] = None
    prepare: Optional[Callable[..., Any]] = None  # (spec, pack) -> the rule's params
    linear: Optional[Callable[..., None]] = None  # (rule, return, context, linear.System): its constraints
    about_filing: bool = False  # its findings are about who filed, not the figures (a consolidation decides those)


class Finished(NamedTuple):
    """The subject of a check that runs after the other rules of a return: the return, and the
    findings those rules made on it, in order."""

    ret: Return
    findings: list[Finding]


class Intake(NamedTuple):
    """The subject of a check on files as files: the path, and intake's refusal of it (None for a
    file it let through to the reader)."""

    path: str
    refusal: Any = None  # read.intake.Refused


@dataclass(frozen=True)
class Context:
    """What a check may read besides the return: the pack (forms, settings) and
    the reviewer's reference data (registry, treasury, last year's returns), each maybe absent."""

    pack: Any  # rules.pack.Pack, which imports the checks
    reference: Any = None  # read.reference.Reference
    refused: tuple[str, ...] = ()  # in a batch: the files that could not be read, for the checks across returns
    case_numbers_at: Any = None  # in a batch: [(file, rows)] -> [{row: case number}], read again from the files

    @property
    def settings(self) -> Settings:
        settings: Settings = self.pack.settings
        return settings


def forms_given(options: dict[str, Any], pack: Any) -> list[str]:
    """The forms a rule's `with: {forms: […]}` names, checked; without it, every two-period form."""
    forms = options.get("forms") or [f.id for f in pack.forms.values() if f.kind.periods]
    check_names(pack, forms=forms)
    return list(forms)


def check_names(pack: Any, fields: Iterable[str] = (), forms: Iterable[str] = (), home: Optional[str] = None) -> None:
    """Refuse, when the pack loads, a parameter under `with:` that names a field or form the
    pack does not define (`form.field`, or `field` of the rule's own form)."""
    from validator.rules.syntax import ExprError, find_field, no_such_form

    try:
        for name in fields:
            find_field(name.split("."), pack.forms, home)
        for form_id in forms:
            if form_id not in pack.forms:
                raise no_such_form(pack.forms, form_id)
    except ExprError as exc:
        exc.params["key"] = "with"
        raise


def unit_key(ctx: Context, name: str) -> str:
    """One spelling per unit: the registered name where there is a registry that knows it."""
    from validator.fold import norm

    return ctx.reference.key(name) if ctx.reference is not None else norm(name)


def row_prefix(data: FormData, row: Row) -> Any:
    """Names the unit row in a several-unit form; nothing for one-unit forms."""
    if data.form.kind.one_unit:  # the return names its one unit
        return ""
    unit = f" ({row.unit})" if row.unit else ""
    return aside(MESSAGES, "row", serial=row.serial, unit=unit)  # a prefix: not the message's kind


def home_rows(rule: Rule, ret: Return) -> Iterator[tuple[Optional[FormData], Optional[Row]]]:
    """(form data, row) for each unit row a rule runs on; (None, None) once if the rule has no form."""
    if rule.form is None:
        yield None, None
        return
    data = ret.forms.get(rule.form)
    for row in data.rows if data is not None else ():
        yield data, row


def when(period: Optional[str], ret: Return) -> Any:
    """ "2023 年" for a figure of a two-period form; nothing for a one-period form."""
    if not period or not ret.year:
        return ""
    return aside(MESSAGES, "period", year=ret.year - 1 if period == "prev" else ret.year)
