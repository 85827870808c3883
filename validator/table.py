"""A form's unit rows as the reader took them, column by column: a `Column` per (field, period),
a `Table` of them, a `Row` to walk them row by row, and the `Value` of one cell — made only when a
rule needs the cell, since a case register of 100,000 rows has 600,000 of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from validator.numbers import rounding, word

if TYPE_CHECKING:
    from validator.model import Field


class Value:
    """One cell's content as the reader understood it.

    `number` is set for figures, `text` for words; both None means blank. `slack` is the
    half-width of the rounding the written precision implies (278.49 -> 0.005) for rounded
    figures, 0 for exact ones. `readable` is False where the cell holds something the reader could
    not take as a figure.

    A plain slotted class rather than a dataclass, for a register of 100,000 cases makes 600,000 of
    them: the address may be given as a column prefix ("案件清单!C") and a row, shared by every cell
    of the column, and is only spelt out when asked for.
    """

    __slots__ = ("_cell", "_row", "raw", "number", "text", "decimals", "slack", "readable")

    def __init__(
        self,
        cell: str,
        raw: Any = None,
        number: Optional[float] = None,
        text: Optional[str] = None,
        decimals: int = 0,
        slack: float = 0.0,
        readable: bool = True,
        row: int = 0,
    ):
        self._cell, self._row = cell, row
        self.raw, self.number, self.text = raw, number, text
        self.decimals, self.slack, self.readable = decimals, slack, readable

    @property
    def cell(self) -> str:
        return f"{self._cell}{self._row}" if self._row else self._cell

    @property
    def blank(self) -> bool:
        return self.number is None and self.text is None

    def __repr__(self) -> str:
        return f"Value({self.cell!r}, raw={self.raw!r}, number={self.number!r}, text={self.text!r})"


class Column:
    """One column of a form's unit rows — a (field, period) — top to bottom, as the reader took it.

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
        """The figures of a figure column, the words of any other (one or the other is filled)."""
        parsed = self.numbers if self.numbers is not None else self.texts
        assert parsed is not None, "a column is parsed before it is read"
        return parsed

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
            decimals = self.decimals[position] if self.decimals is not None else 0
            slack = rounding(decimals) if self.field.type == "wan" else 0.0
            return Value(self.prefix, raw, self.numbers[position], None, decimals, slack, True, excel_row)
        text = self.texts[position] if self.texts is not None else None
        if text is None and raw == "":
            raw = None
        return Value(self.prefix, raw, None, text, 0, 0.0, readable, excel_row)


class Table:
    """The unit rows of a form in use, column by column; `rows` gives them row by row.

    A table of total rows (合计, 小计) also says of each row its `kinds` ("total" or "subtotal")
    and `counts`: for each, the positions in the unit table of the rows it sums."""

    __slots__ = ("columns", "excel_rows", "_serials", "_position", "_values", "kinds", "counts", "roles")

    def __init__(
        self,
        columns: list,
        excel_rows: list,
        serials: list,
        positions: Optional[dict] = None,
        roles: Optional[dict] = None,
    ):
        self.columns, self.excel_rows, self._serials = columns, excel_rows, serials
        self.roles = roles or {}  # role -> field id, as the form declares them
        self.kinds: list = []
        self.counts: list = []
        # (field id, period) -> column; given by the reader, which has one for all tables of a layout
        self._position = positions if positions is not None else {column.key: k for k, column in enumerate(columns)}
        self._values: dict = {}  # (column, row position) -> Value, made when first asked for

    def __len__(self) -> int:
        return len(self.excel_rows)

    def played_by(self, role: str) -> Optional["Column"]:
        """The column of the field that plays `role` (one period), or None."""
        return self.column(self.roles.get(role, ""))

    def column(self, field_id: str, period: Optional[str] = None) -> Optional[Column]:
        k = self._position.get((field_id, period))
        return None if k is None else self.columns[k]

    def get(self, field_id: str, period: Optional[str] = None, position: int = 0) -> Optional["Value"]:
        """The Value of a cell, by field, period and row position; None if the form lacks the column."""
        k = self._position.get((field_id, period))
        return None if k is None else self.value(k, position)

    def value(self, k: int, position: int) -> "Value":
        """The Value of the cell of column `k` at a row position, made when first asked for."""
        made = self._values.get((k, position))
        if made is None:
            made = self._values[k, position] = self.columns[k].value(position, self.excel_rows[position])
        return made

    def subset(self, positions: list, kinds: Optional[list] = None, units: Optional[list] = None) -> "Table":
        """A table of only the rows at these positions. For total rows, their kinds and, from the
        positions of the unit rows (`units`), which unit rows each sums: a total all of them, a
        subtotal those since the previous subtotal."""
        table = Table(
            [column.subset(positions) for column in self.columns],
            [self.excel_rows[i] for i in positions],
            [self._serials[i] for i in positions],
            self._position,
            self.roles,
        )
        if kinds is not None:
            table.kinds, table.counts = kinds, _covered(positions, kinds, units or [])
        return table

    def serial(self, position: int) -> str:
        """The row's 序号 as written."""
        return word(self._serials[position])

    def row(self, position: int) -> "Row":
        return Row(self, position)


def _covered(positions: list, kinds: list, units: list) -> list:
    """For each total row, the positions (in the unit table) of the unit rows it sums: a 合计 all
    of them; a 小计 the group it closes, or, where the first 小计 stands above every unit (the
    layout that heads each group with its subtotal), the group it opens."""
    above = [sum(1 for unit in units if unit < position) for position in positions]
    subtotals = [at for at, kind in zip(above, kinds) if kind == "subtotal"]
    heading = bool(subtotals) and subtotals[0] == 0
    bounds = [*subtotals, len(units)] if heading else [0, *subtotals]
    counts, group = [], 0
    for at, kind in zip(above, kinds):
        if kind == "total":
            counts.append(list(range(len(units))))
            continue
        counts.append(list(range(bounds[group], bounds[group + 1])) if heading else list(range(bounds[group], at)))
        group += 1
    return counts


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
        name = self.get(self.table.roles.get("unit_name", ""))
        return name.text if name is not None and name.text else ""
