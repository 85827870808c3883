"""The records that flow between pack, reader, engine and reporters: forms and rules as the pack
defines them, a return as the reader found it (its forms' unit rows are in validator/table.py),
outcomes, findings and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, TypedDict

from validator.i18n import Phrase, quoted, said
from validator.table import Row

if TYPE_CHECKING:
    from validator.table import Table, Value

PERIODS = ("prev", "cur")
NO_REFERENCE = "reference"  # an outcome not evaluated for want of reference data (registry, treasury, last year)
SEVERITIES = ("error", "warning", "info")
NUMERIC = frozenset({"count", "money", "wan"})  # the field types that hold figures
# What the code relies on is named by a role in the pack, never by an id: the field naming a unit
# in its row, the case register's columns, the form that is the case register.
FIELD_ROLES = ("unit_name", "case_number", "case_category", "concluded", "enterprise", "delegating")
FORM_ROLES = ("case_register",)
MOST_UNIT = 200  # characters of a unit's name kept: a real one is a few dozen


@dataclass(frozen=True)
class Field:
    """One column of a form, as printed on the template."""

    id: str
    label: str
    type: str  # count | money | wan | text | choice | date
    unit: str = ""
    under: str = ""  # the group header printed above the label, if any
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    label_en: str = ""
    role: str = ""  # one of FIELD_ROLES, if the code relies on this field

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC

    def name(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label

    @property
    def named(self) -> Phrase:
        """Its printed label, in whichever language it is said."""
        return Phrase({"zh": self.label, "en": self.label_en or self.label})


class Note(NamedTuple):
    """A numbered note of a form (填表说明 / 注), as printed: the number is the one rules cite."""

    number: int
    text: str


@dataclass(frozen=True)
class LayoutKind:
    """How a form is laid out, which the reader, the rules and the template each ask of it rather
    than testing its name: one unit's figures for two years (表1, 表2), or a row per unit (表3, 表4,
    the case register)."""

    name: str
    periods: tuple[str, ...]  # the years a figure is given for: ("prev", "cur"), or () for one
    header_rows: int  # the header block's rows under the title lines (banner, labels, years | labels)
    one_unit: bool  # one unit's figures, named by the return, not rows named by a 序号
    notes_lead: str  # how its notes begin in the template
    template_data_row: int  # the first row of figures in the blank template

    def columns_of(self, numeric: bool) -> int:
        """How many columns a field takes: one a year for a figure, one for anything else."""
        return len(self.periods) if numeric and self.periods else 1


LAYOUT_KINDS = {
    "periodic": LayoutKind("periodic", ("prev", "cur"), 3, True, "填表说明: ", 7),
    "list": LayoutKind("list", (), 2, False, "注: ", 6),
}


@dataclass(frozen=True)
class Form:
    """A form definition: how to find it in a workbook and what its columns mean."""

    id: str
    short: str  # 表1
    title: str
    layout: str  # "periodic" (one unit, prev|cur, YoY, explanation) or "list" (several units)
    fields: tuple[Field, ...]
    title_en: str = ""
    banner: str = ""
    yoy_label: str = "同比增减"
    change_note_label: str = "数据变化原因简析"
    template_rows: int = 1
    optional: bool = False  # a form a return may leave out (the case register)
    notes: tuple[Note, ...] = ()
    source: str = ""
    role: str = ""  # one of FORM_ROLES, if the code relies on this form
    lines: Any = None  # headerlines.LineSpec: where the unit, year and contact are read

    @property
    def kind(self) -> LayoutKind:
        """Its kind of layout (`layout` names it: "periodic" or "list")."""
        return LAYOUT_KINDS[self.layout]

    def field(self, field_id: str) -> Optional[Field]:
        return self._by_id.get(field_id)

    @cached_property
    def _by_id(self) -> dict[str, Any]:
        return {f.id: f for f in self.fields}

    @cached_property
    def roles(self) -> dict[str, Any]:
        """role -> the id of the field that plays it."""
        return {f.role: f.id for f in self.fields if f.role}

    @cached_property
    def figures(self) -> tuple[Any, ...]:
        """The fields that hold figures, in order."""
        return tuple(f for f in self.fields if f.numeric)

    def name(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True)
class Rule:
    """A rule of the pack, compiled. Its severity is stamped by the pack, never by the check."""

    id: str
    check: str
    severity: str
    origin: str
    form: Optional[str]
    params: Any  # what the check's prepare() made of the rule: compiled expressions, fields ...
    source: str  # file:line, for error messages about the rule itself
    scope: str = "return"  # its check's: "return" (each return), "batch" (once), "file" (each file, read or refused)
    uses_reference: bool = False  # its check compares a return with reference data
    description: str = ""  # what it checks, in the pack's words (in the run's language), if given
    assertion: str = ""  # an expression rule's `assert` as written
    guard: str = ""  # an expression rule's `when` as written: it is evaluated only where this holds
    notes: tuple[Any, ...] = ()  # (form id, note number) of each note its origin cites
    # the origin and description in every language the pack gives them (`origin`, `description`:
    # the Chinese), so that one compiled pack serves every language
    origins: dict[str, str] = field(default_factory=dict, compare=False)
    descriptions: dict[str, str] = field(default_factory=dict, compare=False)

    def origin_in(self, lang: str) -> str:
        return self.origins.get(lang) or self.origin

    @cached_property
    def cited(self) -> Phrase:
        """Its origin in whichever language it is said: what a finding of it cites."""
        return Phrase({"zh": self.origin, **{lang: text for lang, text in self.origins.items() if text}})

    def description_in(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.description


@dataclass(frozen=True)
class Settings:
    """A pack's settings (pack.yaml `settings:`, over those of the pack it extends), each with its
    one default here: what the pack does not say, every check reads alike."""

    yoy_threshold: float = 30  # |同比增减| at or above this many points needs its change said
    boilerplate: tuple[str, ...] = ()  # explanations that explain nothing
    zero_phrases: tuple[str, ...] = ()  # phrases that speak of every 0 at once (表2 注3)
    explanation_min_chars: int = 0  # an explanation shorter than this explains nothing
    money_tolerance: float = 1  # 元 that money compared with reference data may differ by
    max_findings: int = 100  # of one rule for one file; the rest counted and said in one more
    total_labels: tuple[str, ...] = ("合计", "总计")
    subtotal_labels: tuple[str, ...] = ("小计",)
    # what changing a cell costs in the fewest changes (rules/localise.py), by what the cell is
    fix_weights: dict[str, float] = field(default_factory=lambda: {"figure": 1.0, "derived": 0.6, "referenced": 2.0})

    def over(self, given: dict[str, Any]) -> "Settings":
        """These settings with those `given` (checked by the pack's schema) in their place."""
        from dataclasses import replace

        changed: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value for key, value in given.items()
        }
        if "fix_weights" in changed:
            changed["fix_weights"] = {**self.fix_weights, **changed["fix_weights"]}
        return replace(self, **changed)


@dataclass
class FormData:
    """One form as found in one workbook."""

    form: Form
    sheet: str
    state: str = "visible"  # the sheet's: visible | hidden | veryHidden
    year: Optional[int] = None
    year_cell: str = ""
    unit: str = ""
    unit_cell: str = ""
    contact: str = ""
    contact_cell: str = ""
    line_year: Optional[int] = None  # the year a 年度 line gives, if any
    line_year_cell: str = ""
    header_years: dict[str, Any] = field(default_factory=dict)  # period -> (year or None, cell)
    # where the 同比增减 row shows the figures in the other order than their year header: how many
    # of its changes agree with the figures as laid out, left to right (read so), and with the header
    order_evidence: Optional[tuple[Any, ...]] = None
    # field id -> (the unit its header shows, the factor its figures were multiplied by, the cell)
    scales: dict[str, Any] = field(default_factory=dict)
    table: Optional[Table] = None  # the unit rows in use
    totals: Optional[Table] = None  # the rows of 合计, 小计 (several-unit forms), not units
    yoy: dict[str, Any] = field(default_factory=dict)  # field_id -> Value
    change_note: Optional[Value] = None  # the 数据变化原因简析: why the figures changed
    _rows: Optional[list[Any]] = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> list[Any]:
        """The unit rows as Rows, made when first asked for (kept here, not in the Table, so that
        rows and table hold no reference cycle)."""
        if self._rows is None:
            self._rows = [Row(self.table, i) for i in range(len(self.table))] if self.table is not None else []
        return self._rows


@dataclass(frozen=True)
class Problem:
    """Something the reader could not understand: text in a number cell, a missing header."""

    kind: str
    cell: str
    form: Optional[str]
    params: dict[str, Any]


class FormCopy(NamedTuple):
    """One sheet holding a form's title, where a workbook holds the form more than once."""

    sheet: str
    state: str  # visible | hidden | veryHidden
    cell: str  # the title's cell


@dataclass
class Return:
    """One workbook filed by one unit for one year."""

    path: str
    forms: dict[str, Any] = field(default_factory=dict)  # form_id -> FormData
    problems: list[Any] = field(default_factory=list)
    copies: dict[str, Any] = field(default_factory=dict)  # form_id -> [FormCopy], for a form found on several sheets
    review_notes: list[Any] = field(default_factory=list)  # read.review_notes.ReviewNote: the 审核说明 sheet

    @property
    def unit(self) -> str:
        """The unit's name as the forms give it; past MOST_UNIT characters, cut and said so (it
        stands beside every finding)."""
        unit: str = next((f.unit for f in self.forms.values() if f.unit), "")
        return unit if len(unit) <= MOST_UNIT else unit[:MOST_UNIT] + "…"

    @property
    def year(self) -> Optional[int]:
        return next((f.year for f in self.forms.values() if f.year), None)

    @property
    def register(self) -> Optional["FormData"]:
        """The case register (the form whose role is case_register), if the return has one."""
        return next((d for d in self.forms.values() if d.form.role == "case_register"), None)

    def written_at(self, address: str) -> Any:
        """What a cell of a form's rows, 同比增减 or explanation holds, as the reader took it; None
        for a cell the return does not read (asked only for the cells of a finding)."""
        for data in self.forms.values():
            for table in (data.table, data.totals):
                for column in table.columns if table is not None else ():
                    rest = address[len(column.prefix) :] if address.startswith(column.prefix) else ""
                    if rest.isdigit() and int(rest) in table.excel_rows:
                        return column.raws[table.excel_rows.index(int(rest))]
            for value in (*data.yoy.values(), data.change_note):
                if value is not None and value.cell == address:
                    return value.raw
        return None


class Explains(NamedTuple):
    """Of a passed outcome of a check that runs after the others: the finding of the return (its
    index among the return's findings) that the unit's 审核说明 soundly explains, and why."""

    at: int
    text: str


@dataclass
class Outcome:
    """What one check said about one instance: passed, failed or not evaluated.

    A check across returns names the file the finding belongs to (`file`, `unit`) and the
    other files involved (`related`); a check on one return leaves them empty."""

    status: str  # passed | failed | not_evaluated
    message: Any = ""  # i18n.Text (or str): said in a language only by the reporters
    cells: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    form: Optional[str] = None
    file: Optional[str] = None
    unit: Optional[str] = None
    related: tuple[str, ...] = ()
    times: int = 1  # outcomes alike, said once: the cells that passed; failures past the cap, the first described
    reason: str = ""  # of a not-evaluated outcome: NO_REFERENCE, or "" for blank inputs
    hint: Any = ""  # of a failure: what would make it right, where the message does not say it
    explains: Optional[Explains] = None
    code: str = ""  # what kind of failure, where the message does not say it (an i18n.Message does)


@dataclass(frozen=True)
class Finding:
    """A failed check, stamped with the rule's severity and origin; ready for any reporter."""

    file: str
    unit: str
    rule: str
    severity: str
    origin: Any  # i18n.Text or str: the rule's origin, said by the reporter in the user's language
    form: Optional[str]
    message: Any  # i18n.Text or str, said by the reporter in the user's language (message_in)
    cells: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    related: tuple[str, ...] = ()  # other files a finding across returns involves
    explanation: str = ""  # for a warning the unit explained (审核说明): why it stands
    written: tuple[Any, ...] = ()  # what each of `cells` holds, as read (a finding on one return)
    hint: Any = ""  # what would make it right, where the message does not say it (a Text or str)
    code: str = ""  # the kind of finding, stable across languages: "<check>.<message key>"
    params: dict[str, Any] = field(default_factory=dict)  # the figures and names its message was made from

    def said(self, lang: str) -> str:
        """The message and its hint, as a person reads them in the language."""
        message, hint = self.message_in(lang), self.hint_in(lang)
        if not hint:
            return message
        return f"{message}。{hint}" if lang == "zh" else f"{message}. {hint}"

    def message_in(self, lang: str) -> str:
        return str(said(self.message, lang))

    def hint_in(self, lang: str) -> str:
        return str(said(self.hint, lang))

    def origin_in(self, lang: str) -> str:
        return str(said(self.origin, lang))

    def params_in(self, lang: str) -> dict[str, Any]:
        """The figures and names its message was made from, said in the language: numbers and texts."""
        return {
            name: value if value is None or isinstance(value, (bool, int, float)) else str(quoted(value, lang))
            for name, value in self.params.items()
        }

    @property
    def explained(self) -> bool:
        return bool(self.explanation)


class FileEntry(TypedDict):
    """A file of a run, as the report lists it: its unit and year as read ("" and None for a file
    that could not be read)."""

    file: str
    unit: str
    year: Optional[int]


@dataclass
class RuleCount:
    evaluated: int = 0
    passed: int = 0
    failed: int = 0
    not_evaluated: int = 0
    no_reference: int = 0  # of not_evaluated: for want of reference data, the rest for blank inputs


@dataclass
class Report:
    """The findings of a run and, per rule, how often it was evaluated, passed, failed or not."""

    files: list[FileEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, RuleCount] = field(default_factory=dict)  # rule id -> its counts
    localisations: dict[str, Any] = field(default_factory=dict)  # file -> where to fix it (rules/localise.py)

    def severity_count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)
