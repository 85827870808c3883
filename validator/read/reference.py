"""Reference data a reviewer brings to a batch: the registry of units, the treasury's figures,
last year's returns. Each loader refuses a malformed file with its file, line and what is wrong.

Registry (`--registry units.yaml`):

    units:
      - name: 湘乡市应急管理局
        aliases: [湘乡市应急局]          # other spellings seen on returns
        level: county                     # city | county | township | department
        consolidated: true                # its return includes its townships' (表1 注4)
      - {name: 金石镇人民政府, level: township, parent: 湘乡市应急管理局}
      - {name: 湘乡市应急管理综合执法大队, delegated_by: 湘乡市应急管理局}   # 受委托: files nothing itself

Treasury (`--treasury treasury.csv` or .xlsx, first sheet): a header row, then one row per unit
and year; columns `unit,year,amount` (or 单位,年度,入库金额), amount in 元.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Optional

from validator import yamlfile
from validator.fold import norm
from validator.i18n import Lazy, Messages, Rope, message
from validator.numbers import NotAFigure, parse_figure

TREASURY_COLUMNS = {
    "unit": ("unit", "单位", "单位名称"),
    "year": ("year", "年度", "年份"),
    "amount": ("amount", "入库金额", "财政入库数", "金额"),
}
MESSAGES = Messages(
    __name__,
    {
        "schema": {"zh": "不符合单位名录格式: {detail}", "en": "does not fit the registry format: {detail}"},
        "duplicate": {"zh": '单位 "{name}" 重复登记', "en": 'unit "{name}" is listed twice'},
        "unknown_parent": {
            "zh": '"{name}" 的上级单位 "{parent}" 不在名录中',
            "en": 'the parent "{parent}" of "{name}" is not in the registry',
        },
        "unknown_delegating": {
            "zh": '"{name}" 的委托机关 "{parent}" 不在名录中',
            "en": 'the delegating authority "{parent}" of "{name}" is not in the registry',
        },
        "columns": {
            "zh": "缺少列 {missing}(应有 unit,year,amount 或 单位,年度,入库金额)",
            "en": "missing column(s) {missing} (need unit,year,amount)",
        },
        "bad_amount": {"zh": '金额 "{text}" 不是数字', "en": 'amount "{text}" is not a number'},
        "bad_year": {"zh": '年度 "{text}" 不是四位年份', "en": 'year "{text}" is not a four-digit year'},
        "no_unit": {"zh": "单位为空", "en": "the unit is blank"},
        "twice": {
            "zh": "{unit} {year} 年重复出现(另见第 {other} 行)",
            "en": "{unit} {year} appears twice (see also line {other})",
        },
        "unreadable": {"zh": "无法读取: {detail}", "en": "cannot be read: {detail}"},
        "not_a_year": {
            "zh": "“{year}”不是年份;请写作 年份=文件夹,如 --previous 2023=上年报表",
            "en": "“{year}” is not a year; write YEAR=FOLDER, as --previous 2023=returns-2023",
        },
        "no_folder": {
            "zh": "找不到上年报表所在的文件夹;请给出存放上年报表的文件夹",
            "en": "no such folder of last year's returns; give the folder that holds them",
        },
        "no_returns": {
            "zh": "文件夹中没有报表文件(.xlsx、.xls、.et、.ods);请给出存放上年报表的文件夹",
            "en": "the folder holds no return (.xlsx, .xls, .et, .ods); give the folder of last year's returns",
        },
        "yaml": {"zh": "{detail}", "en": "{detail}"},
    },
)


class ReferenceFileError(Exception):
    """A reference file cannot be used: its file and line, and what is wrong as a message key and
    its parameters; `text` says it (a parameter that says itself — a YAML or schema problem,
    intake's refusal — in the same language). `str()` says it in Chinese."""

    def __init__(self, path, line: int, key: str, **params):
        self.path, self.line, self.key, self.params = path, line, key, params
        said = message(MESSAGES, key, **{name: _text_of(value) for name, value in params.items()})
        self.text = Rope((f"{path}:{line}: " if line else f"{path}: ", said))
        super().__init__(str(self.text))


def _text_of(value):
    """A parameter as a text: a problem that says itself, intake's refusal, or as given."""
    from validator.read.intake import Refused
    from validator.read.refusals import describe

    if isinstance(value, Refused):
        return describe(value)
    return Lazy(value.say) if hasattr(value, "say") else value


@dataclass(frozen=True)
class Unit:
    name: str
    aliases: tuple = ()
    level: str = ""
    parent: str = ""
    consolidated: bool = False
    delegated_by: str = ""
    files: bool = True


@dataclass
class Registry:
    units: list
    _by_key: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                self._by_key[norm(name)] = unit

    def find(self, name: str) -> Optional[Unit]:
        return self._by_key.get(norm(name))

    def named_in(self, path: str) -> Optional[Unit]:
        """The registered unit whose name or an alias the file's name holds (the longest so named),
        or None: who sent a file that could not be read."""
        from pathlib import PurePath

        stem = norm(PurePath(path).stem)
        found = [(len(key), unit) for key, unit in self._by_key.items() if key and key in stem]
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def nearest(self, name: str) -> str:
        names = [u.name for u in self.units]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.3)
        return close[0] if close else ""


class SetAside(NamedTuple):
    """A past return that is not compared with: why (a key of B-PREVIOUS's messages), its unit and
    what the message says besides."""

    file: str
    unit: str
    why: str  # misdated: of another year than its folder's; twice: the unit's year has one already
    params: dict


@dataclass
class Reference:
    """Everything a check may compare a return with; each part is optional."""

    registry: Optional[Registry] = None
    treasury: dict = field(default_factory=dict)  # (unit key, year) -> amount in 元
    previous: dict = field(default_factory=dict)  # unit key -> {year: Digest of its return of that year}
    previous_refused: list = field(default_factory=list)  # (file, why) of past returns that could not be read
    previous_aside: list = field(default_factory=list)  # SetAside: past returns not compared with, and why

    def key(self, name: str) -> str:
        """One spelling per unit: the registered name where the registry knows it."""
        unit = self.registry.find(name) if self.registry else None
        return norm(unit.name if unit else name)

    def filed(self, name: str, year: Optional[int]):
        """The unit's return of `year` (its Digest), or None; a return of a plain folder that
        states no year of its own stands for any. With no year: the latest the unit filed."""
        years = self.previous.get(self.key(name), {})
        if year is None:
            return years[max(years, key=lambda y: y or 0)] if years else None
        return years.get(year) or years.get(None)

    def past(self, name: str) -> dict:
        """{year: Digest} of the unit's past returns whose year is known."""
        return {year: digest for year, digest in self.previous.get(self.key(name), {}).items() if year}


def load_registry(path: str) -> Registry:
    try:
        data, lines = yamlfile.load_checked(Path(path), "registry")
    except yamlfile.YamlError as exc:
        raise ReferenceFileError(exc.path, exc.line, "yaml", detail=exc) from None
    except yamlfile.SchemaError as exc:
        raise ReferenceFileError(path, exc.line, "schema", detail=exc) from None
    units = [
        Unit(
            u["name"],
            tuple(u.get("aliases", ())),
            u.get("level", ""),
            u.get("parent", ""),
            u.get("consolidated", False),
            u.get("delegated_by", ""),
            u.get("files", True),
        )
        for u in data["units"]
    ]
    _check_registry(path, units, lines)
    return Registry(units)


def _check_registry(path, units: list, lines: dict) -> None:
    seen = set()
    for index, unit in enumerate(units):
        line = yamlfile.line_of(lines, ("units", index))
        for name in (unit.name, *unit.aliases):
            if norm(name) in seen:
                raise ReferenceFileError(path, line, "duplicate", name=name)
            seen.add(norm(name))
    known = {norm(u.name) for u in units} | {norm(a) for u in units for a in u.aliases}
    for index, unit in enumerate(units):
        for key, other in (("unknown_parent", unit.parent), ("unknown_delegating", unit.delegated_by)):
            if other and norm(other) not in known:
                line = yamlfile.line_of(lines, ("units", index))
                raise ReferenceFileError(path, line, key, name=unit.name, parent=other)


def load_treasury(path: str, reference: Reference) -> dict:
    """(unit key, year) -> amount in 元, from a CSV or the first sheet of an .xlsx."""
    rows = _treasury_rows(path)
    if not rows:
        raise ReferenceFileError(path, 1, "columns", missing="unit, year, amount")
    columns = _columns(path, rows[0][1])
    amounts: dict = {}
    where: dict = {}
    for line, row in rows[1:]:
        if not any(str(c).strip() for c in row if c is not None):
            continue
        unit, year, amount = (_cell(row, columns[k]) for k in ("unit", "year", "amount"))
        key = _treasury_entry(path, line, unit, year, amount, reference)
        if key[0] in where:
            raise ReferenceFileError(path, line, "twice", unit=unit, year=key[0][1], other=where[key[0]])
        where[key[0]] = line
        amounts[key[0]] = key[1]
    return amounts


def _treasury_entry(path, line: int, unit, year, amount, reference: Reference) -> tuple:
    if not str(unit or "").strip():
        raise ReferenceFileError(path, line, "no_unit")
    try:
        year_number = int(float(str(year).strip()))
        assert 1900 < year_number < 2200
    except (ValueError, TypeError, AssertionError):
        raise ReferenceFileError(path, line, "bad_year", text=year) from None
    try:
        figure = parse_figure(amount)
    except NotAFigure:
        figure = None
    if figure is None:
        raise ReferenceFileError(path, line, "bad_amount", text=amount if amount is not None else "")
    return (reference.key(str(unit)), year_number), figure.number


def _treasury_rows(path: str) -> list:
    """(line, cells) of each row: an .xlsx through intake like any return, a CSV read as a regular
    UTF-8 file of bounded size."""
    from validator.files import UnreadableInput, read_text
    from validator.read.grid import grids_of
    from validator.read.intake import Refused

    try:
        if str(path).lower().endswith((".xlsx", ".xlsm")):
            grids = grids_of(path)
            return [(i, list(row)) for i, row in enumerate(grids[0].rows if grids else [], 1)]
        return [(i, row) for i, row in enumerate(csv.reader(io.StringIO(read_text(path), newline="")), 1)]
    except Refused as refusal:
        raise ReferenceFileError(path, 0, "unreadable", detail=refusal) from None
    except UnreadableInput as exc:
        raise ReferenceFileError(path, 0, "unreadable", detail=exc) from None
    except csv.Error as exc:
        raise ReferenceFileError(path, 0, "unreadable", detail=f"CSV: {exc}") from None


def _columns(path, header: list) -> dict:
    names = [norm(h) for h in header]
    columns = {}
    for key, spellings in TREASURY_COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in {norm(s) for s in spellings}]
        if found:
            columns[key] = found[0]
    missing = [k for k in TREASURY_COLUMNS if k not in columns]
    if missing:
        raise ReferenceFileError(path, 1, "columns", missing=", ".join(missing))
    return columns


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None
