"""The records that flow between pack, reader, engine and reporters: forms and rules as the pack
defines them, a return as the reader found it (its forms' unit rows column by column), outcomes,
findings and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Optional

from validator.numbers import rounding, word

PERIODS = ("prev", "cur")
NO_REFERENCE = "reference"  # an outcome not evaluated for want of reference data (registry, treasury, last year)
SEVERITIES = ("error", "warning", "info")
NUMERIC = frozenset({"count", "money", "wan"})  # the field types that hold figures


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

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC

    def name(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label


class Note(NamedTuple):
    """A numbered note of a form (填表说明 / 注), as printed: the number is the one rules cite."""

    number: int
    text: str


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
    explanation_label: str = "数据变化原因简析"
    template_rows: int = 1
    optional: bool = False  # a form a return may leave out (the case register)
    notes: tuple[Note, ...] = ()
    source: str = ""
    lines: Any = None  # headerlines.LineSpec: where the unit, year and contact are read

    @property
    def periodic(self) -> bool:
        return self.layout == "periodic"

    def field(self, field_id: str) -> Optional[Field]:
        return self._by_id.get(field_id)

    @cached_property
    def _by_id(self) -> dict:
        return {f.id: f for f in self.fields}

    @cached_property
    def figures(self) -> tuple:
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


class Value:
    """One cell's content as the reader understood it.

    `number` is set for figures, `text` for words; both None means blank. `error` is the
    half-width of the rounding the written precision implies (278.49 -> 0.005) for rounded
    figures, 0 for exact ones. `readable` is False where the cell holds something the reader could
    not take as a figure.

    A plain slotted class rather than a dataclass, for a register of 100,000 cases makes 600,000 of
    them: the address may be given as a column prefix ("案件清单!C") and a row, shared by every cell
    of the column, and is only spelt out when asked for.
    """

    __slots__ = ("_cell", "_row", "raw", "number", "text", "decimals", "error", "readable")

    def __init__(self, cell: str, raw: Any = None, number: Optional[float] = None, text: Optional[str] = None,
                 decimals: int = 0, error: float = 0.0, readable: bool = True, row: int = 0):
        self._cell, self._row = cell, row
        self.raw, self.number, self.text = raw, number, text
        self.decimals, self.error, self.readable = decimals, error, readable

    @property
    def cell(self) -> str:
        return f"{self._cell}{self._row}" if self._row else self._cell

    @property
    def blank(self) -> bool:
        return self.number is None and self.text is None

    def __repr__(self) -> str:
        return f"Value({self.cell!r}, raw={self.raw!r}, number={self.number!r}, text={self.text!r})"


class Column:
    """One cell of a form's unit rows — a (field, period) — top to bottom, as the reader took it.

    `numbers` holds figures (None where blank or unreadable) and `decimals` the places written;
    `texts` holds words, choices and dates as ISO days. Kept as lists rather than a Value per
    cell, for a case register of 100,000 rows: the checks that run over every row read these."""

    __slots__ = ("field", "period", "prefix", "raws", "numbers", "decimals", "texts", "unreadable")

    def __init__(self, field: Field, period: Optional[str], prefix: str, raws: list):
        self.field, self.period, self.prefix, self.raws = field, period, prefix, raws
        self.numbers: Optional[list] = None
        self.decimals: Optional[list] = None
        self.texts: Optional[list] = None
        self.unreadable: set = set()  # positions the reader could not take

    @property
    def key(self) -> tuple:
        return self.field.id, self.period

    @property
    def parsed(self) -> list:
        return self.numbers if self.numbers is not None else self.texts

    def blank_positions(self) -> list:
        """Where nothing was written (a cell the reader could not take is not blank)."""
        parsed, unreadable = self.parsed, self.unreadable
        if None not in parsed:
            return []
        return [i for i, v in enumerate(parsed) if v is None and i not in unreadable]

    def subset(self, positions: list) -> "Column":
        """A new column of only the rows at these positions, in this order."""
        column = Column(self.field, self.period, self.prefix, self.raws)
        column.numbers, column.decimals, column.texts = self.numbers, self.decimals, self.texts
        column.unreadable = self.unreadable
        column.keep(positions)
        return column

    def keep(self, positions: list) -> None:
        """Only the rows at these positions, in this order (the rows in use)."""
        renumber = {old: new for new, old in enumerate(positions)}
        self.raws = [self.raws[i] for i in positions]
        for name in ("numbers", "decimals", "texts"):
            kept = getattr(self, name)
            if kept is not None:
                setattr(self, name, [kept[i] for i in positions])
        self.unreadable = {renumber[i] for i in self.unreadable if i in renumber}

    def forget(self, position: int) -> None:
        """The cell holds nothing that can be taken (a formula never calculated)."""
        self.raws[position] = None
        self.parsed[position] = None
        self.unreadable.add(position)

    def value(self, position: int, excel_row: int) -> "Value":
        raw, readable = self.raws[position], position not in self.unreadable
        if self.numbers is not None and self.numbers[position] is not None:
            decimals = self.decimals[position]
            error = rounding(decimals) if self.field.type == "wan" else 0.0
            return Value(self.prefix, raw, self.numbers[position], None, decimals, error, True, excel_row)
        text = self.texts[position] if self.texts is not None else None
        if text is None and raw == "":
            raw = None
        return Value(self.prefix, raw, None, text, 0, 0.0, readable, excel_row)


class Table:
    """The unit rows of a form in use, column by column; `rows` gives them row by row.

    A table of total rows (合计, 小计) also says of each row its `kinds` ("total" or "subtotal")
    and `counts`: for each, the positions in the unit table of the rows it sums."""

    __slots__ = ("columns", "excel_rows", "_serials", "_position", "_values", "kinds", "counts")

    def __init__(self, columns: list, excel_rows: list, serials: list, positions: Optional[dict] = None):
        self.columns, self.excel_rows, self._serials = columns, excel_rows, serials
        self.kinds: list = []
        self.counts: list = []
        # (field id, period) -> column; given by the reader, which has one for all tables of a layout
        self._position = positions if positions is not None else {column.key: k for k, column in enumerate(columns)}
        self._values: dict = {}  # (column, row position) -> Value, made when first asked for

    def __len__(self) -> int:
        return len(self.excel_rows)

    def column(self, field_id: str, period: Optional[str] = None) -> Optional[Column]:
        k = self._position.get((field_id, period))
        return None if k is None else self.columns[k]

    def get(self, field_id: str, period: Optional[str] = None, position: int = 0) -> Optional["Value"]:
        """The Value of a cell, by field, period and row position; None if the form lacks the column."""
        k = self._position.get((field_id, period))
        if k is None:
            return None
        made = self._values.get((k, position))  # Table.value, inlined: rules ask for cells by the thousand
        if made is None:
            made = self._values[k, position] = self.columns[k].value(position, self.excel_rows[position])
        return made

    def value(self, k: int, position: int) -> "Value":
        made = self._values.get((k, position))
        if made is None:
            made = self._values[k, position] = self.columns[k].value(position, self.excel_rows[position])
        return made

    def subset(self, positions: list, kinds: Optional[list] = None, units: Optional[list] = None) -> "Table":
        """A table of only the rows at these positions. For total rows, their kinds and, from the
        positions of the unit rows (`units`), which unit rows each sums: a total all of them, a
        subtotal those since the previous subtotal."""
        table = Table([column.subset(positions) for column in self.columns], [self.excel_rows[i] for i in positions],
                      [self._serials[i] for i in positions], self._position)
        if kinds is not None:
            table.kinds, start = kinds, 0
            for position, kind in zip(positions, kinds):
                above = sum(1 for unit in units if unit < position)
                table.counts.append(list(range(len(units))) if kind == "total" else list(range(start, above)))
                start = above if kind == "subtotal" else start
        return table

    def serial(self, position: int) -> str:
        """The row's 序号 as written."""
        return word(self._serials[position])

    def row(self, position: int) -> "Row":
        return Row(self, position)


class Row:
    """One unit row of a form: its 序号, its spreadsheet row, its Values by (field id, period)."""

    __slots__ = ("table", "position")

    def __init__(self, table: Table, position: int):
        self.table, self.position = table, position

    @property
    def serial(self) -> str:
        return self.table.serial(self.position)

    @property
    def excel_row(self) -> int:
        return self.table.excel_rows[self.position]

    def get(self, field_id: str, period: Optional[str] = None) -> Optional["Value"]:
        return self.table.get(field_id, period, self.position)

    def items(self):
        """((field id, period), Value) for every cell of the row."""
        table = self.table
        return ((column.key, table.value(k, self.position)) for k, column in enumerate(table.columns))

    @property
    def unit(self) -> str:
        name = self.get("unit_name")
        return name.text if name is not None and name.text else ""


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
    header_years: dict = field(default_factory=dict)  # period -> (year or None, cell)
    table: Optional[Table] = None  # the unit rows in use
    totals: Optional[Table] = None  # the rows of 合计, 小计 (several-unit forms), not units
    yoy: dict = field(default_factory=dict)  # field_id -> Value
    explanation: Optional[Value] = None
    _rows: Optional[list] = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> list:
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
    params: dict


class FormCopy(NamedTuple):
    """One sheet holding a form's title, where a workbook holds the form more than once."""

    sheet: str
    state: str  # visible | hidden | veryHidden
    cell: str  # the title's cell


@dataclass
class Return:
    """One workbook filed by one unit for one year."""

    path: str
    forms: dict = field(default_factory=dict)  # form_id -> FormData
    problems: list = field(default_factory=list)
    copies: dict = field(default_factory=dict)  # form_id -> [FormCopy], for a form found on several sheets

    @property
    def unit(self) -> str:
        return next((f.unit for f in self.forms.values() if f.unit), "")

    @property
    def year(self) -> Optional[int]:
        return next((f.year for f in self.forms.values() if f.year), None)


@dataclass
class Outcome:
    """What one check said about one instance: passed, failed or not evaluated.

    A check across returns names the file the finding belongs to (`file`, `unit`) and the
    other files involved (`related`); a check on one return leaves them empty."""

    status: str  # passed | failed | not_evaluated
    message: str = ""
    cells: tuple[str, ...] = ()
    values: dict = field(default_factory=dict)
    form: Optional[str] = None
    file: Optional[str] = None
    unit: Optional[str] = None
    related: tuple[str, ...] = ()
    times: int = 1  # a check over many cells may say "passed" once for all the cells that passed
    reason: str = ""  # of a not-evaluated outcome: NO_REFERENCE, or "" for blank inputs


@dataclass(frozen=True)
class Digest:
    """What the checks across returns need of one return. Small, so that a batch of thousands
    holds digests and findings, never workbooks."""

    file: str
    unit: str
    year: Optional[int]
    figures: object  # a mapping (form id, field id, period) -> (number or None, cell): digest.Figures
    case_numbers: tuple = ()  # the case register's case numbers, if the return has one
    case_rows: tuple = ()  # and their rows
    case_column: str = ""  # the case numbers' column, "案件清单!B": with a row, a case's cell

    def case_cell(self, row: int) -> str:
        return f"{self.case_column}{row}"


@dataclass(frozen=True)
class Finding:
    """A failed check, stamped with the rule's severity and origin; ready for any reporter."""

    file: str
    unit: str
    rule: str
    severity: str
    origin: str
    form: Optional[str]
    message: str
    cells: tuple[str, ...] = ()
    values: dict = field(default_factory=dict)
    related: tuple[str, ...] = ()  # other files a finding across returns involves


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

    files: list = field(default_factory=list)  # [{"file", "unit", "year"}]
    findings: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # rule id -> RuleCount

    def severity_count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)
