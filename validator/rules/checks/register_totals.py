"""register_totals — the figures of 表1 and 表2 equal what the case register adds up to.

    - id: R-TOTALS
      form: case_register
      check: register_totals
      with:
        counts:                                   # current-year figure: number of cases
          case_stats.penalty: {category: 行政处罚}
          enterprise_stats.penalty: {category: 行政处罚, enterprise: true}
        sums:                                     # current-year figure: sum of the fines
          case_stats.fines: {}

Only cases concluded within the year count (表1 注1), and not cases delegated by another unit
(表1 注2). Returns without a case register are not concerned; a register with a case whose date
is missing or unreadable is not evaluated (the case's year is unknown).
"""

from __future__ import annotations

from collections import Counter
from itertools import compress, repeat
from operator import and_, eq, is_not
from typing import TYPE_CHECKING, Any, Iterator, Optional

from validator.i18n import Joined, Messages, message
from validator.model import Outcome, Return, Rule
from validator.numbers import format_number
from validator.rules.checks.base import SELECTIONS, Check, Context, check_names
from validator.rules.checks.register import Owners, in_year, register_table, texts

if TYPE_CHECKING:
    from validator.table import Table

MESSAGES = Messages(
    __name__,
    {
        "count": {
            "zh": "{form} {year} 年{label}填 {value},而案件清单中符合条件的案件为 {counted} 件{which}",
            "en": "{form} {label} for {year} is {value}, but the case register holds {counted} such cases{which}",
        },
        "sum": {
            "zh": "{form} {year} 年{label}填 {value} 元,而案件清单中罚没金额合计 {counted} 元{which}",
            "en": "{form} {label} for {year} is {value} yuan, but the case register's fines add up to {counted} yuan{which}",
        },
        "which": {"zh": "({what})", "en": " ({what})"},
        "enterprise": {"zh": "涉企", "en": "concerning enterprises"},
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, dict[str, dict[str, Any]]]:
    options = spec.get("with", {})
    check_names(pack, fields=list(options.get("counts", {})) + list(options.get("sums", {})))
    return {"counts": options.get("counts", {}), "sums": options.get("sums", {})}


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    table = register_table(ret)
    if table is None:
        return
    days = texts(table, "concluded")
    if None in days:
        yield Outcome("not_evaluated", form=rule.form)  # which year a case counts in is unknown
        return
    # counted in C, column by column, for a register of any size
    counted = in_year(days, ret.year)
    own = Owners(ret, ctx).own_cases(texts(table, "delegating"))
    if own is not None:
        counted = list(map(and_, counted, own))
    buckets = _buckets(table, counted)
    for kind in ("counts", "sums"):
        for name, where in rule.params[kind].items():
            yield _compare(kind, name, where, buckets, ret, ctx)


def _buckets(table: Table, counted: list[bool]) -> dict[tuple[Optional[str], bool], list[float]]:
    """(category, concerns an enterprise) -> [cases, fines] of the counted cases, tallied in C:
    a register may hold 100,000 cases."""
    categories = texts(table, "case_category")
    enterprise = list(map(eq, texts(table, "enterprise"), repeat("是")))
    of_enterprises = Counter(compress(categories, map(and_, counted, enterprise)))
    buckets = {(category, True): [cases, 0.0] for category, cases in of_enterprises.items()}
    for category, cases in Counter(compress(categories, counted)).items():
        if cases > of_enterprises[category]:
            buckets[(category, False)] = [cases - of_enterprises[category], 0.0]
    fine: Any = table.column("fine")  # a Column of figures, or None
    if fine is not None:
        fined = map(and_, counted, map(is_not, fine.numbers, repeat(None)))
        for category, ours, amount in compress(zip(categories, enterprise, fine.numbers), fined):
            buckets[(category, ours)][1] += amount
    return buckets


def _compare(
    kind: str,
    name: str,
    where: dict[str, Any],
    buckets: dict[tuple[Optional[str], bool], list[float]],
    ret: Return,
    ctx: Context,
) -> Outcome:
    form_id, field_id = name.split(".")
    data: Any = ret.forms.get(form_id)  # a FormData wherever `value` is read from it
    value = data.rows[0].get(field_id, "cur") if data is not None and data.rows else None
    if value is None or value.number is None:
        return Outcome("not_evaluated", form=form_id)
    chosen = [totals for key, totals in buckets.items() if _matches(key, where)]
    total = float(sum(t[0] for t in chosen)) if kind == "counts" else sum(t[1] for t in chosen)
    if abs(total - value.number) <= 1e-6:
        return Outcome("passed", form=form_id)
    what = Joined(
        filter(None, [where.get("category", ""), message(MESSAGES, "enterprise") if where.get("enterprise") else ""]),
        "、",
    )
    which = message(MESSAGES, "which", what=what) if what.items else ""
    text = message(
        MESSAGES,
        "count" if kind == "counts" else "sum",
        form=data.form.short,
        year=ret.year,
        label=data.form.field(field_id).named,
        value=format_number(value.number),
        counted=format_number(total),
        which=which,
    )
    return Outcome("failed", text, (value.cell,), form=form_id)


def _matches(key: tuple[Optional[str], bool], where: dict[str, Any]) -> bool:
    category, enterprise = key
    if "category" in where and (category or "") != where["category"]:
        return False
    return "enterprise" not in where or enterprise == bool(where["enterprise"])


CHECK = Check(
    "register_totals",
    run,
    needs_form=True,
    options={"counts": SELECTIONS, "sums": SELECTIONS},
    prepare=prepare,
    summary={
        "zh": "表1、表2 的数字等于案件清单按类别汇总的件数和罚没金额",
        "en": "the figures of 表1 and 表2 equal what the case register adds up to.",
    },
)
