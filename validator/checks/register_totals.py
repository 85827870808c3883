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

from validator.checks.base import check_names, unit_key
from validator.checks.register import concluded_in, register_rows, text_of
from validator.i18n import say
from validator.model import Outcome
from validator.numbers import format_number

NEEDS_FORM = True
MESSAGES = {
    "count": {"zh": "{form} {year} 年{label}填 {value},而案件清单中符合条件的案件为 {counted} 件{which}",
              "en": "{form} {label} for {year} is {value}, but the case register holds {counted} such cases{which}"},
    "sum": {"zh": "{form} {year} 年{label}填 {value} 元,而案件清单中罚没金额合计 {counted} 元{which}",
            "en": "{form} {label} for {year} is {value} yuan, but the case register's fines add up to {counted} yuan{which}"},
    "which": {"zh": "({what})", "en": " ({what})"},
    "enterprise": {"zh": "涉企", "en": "concerning enterprises"},
}


def prepare(spec: dict, pack) -> dict:
    options = spec.get("with", {})
    check_names(pack, fields=list(options.get("counts", {})) + list(options.get("sums", {})))
    return {"counts": options.get("counts", {}), "sums": options.get("sums", {})}


def run(rule, ret, ctx):
    rows = register_rows(ret)
    if not rows:
        return
    if any(r.get("concluded") is None or r.get("concluded").text is None for r in rows):
        yield Outcome("not_evaluated", form=rule.form)  # which year a case counts in is unknown
        return
    own = unit_key(ctx, ret.unit)
    buckets: dict = {}  # (category, enterprise) -> [cases, fines]: one pass over a register of any size
    for row in rows:
        if concluded_in(row, ret.year) and _own(row, own, ctx):
            bucket = buckets.setdefault((text_of(row, "category"), text_of(row, "enterprise") == "是"), [0, 0.0])
            fine = row.get("fine")
            bucket[0] += 1
            bucket[1] += fine.number if fine is not None and fine.number is not None else 0.0
    for kind in ("counts", "sums"):
        for name, where in rule.params[kind].items():
            yield _compare(kind, name, where, buckets, ret, ctx)


def _own(row, own: str, ctx) -> bool:
    by = text_of(row, "delegating")
    return not by or unit_key(ctx, by) == own


def _compare(kind: str, name: str, where: dict, buckets: dict, ret, ctx) -> Outcome:
    form_id, field_id = name.split(".")
    data = ret.forms.get(form_id)
    value = data.rows[0].get(field_id, "cur") if data is not None and data.rows else None
    if value is None or value.number is None:
        return Outcome("not_evaluated", form=form_id)
    chosen = [totals for key, totals in buckets.items() if _matches(key, where)]
    total = float(sum(t[0] for t in chosen)) if kind == "counts" else sum(t[1] for t in chosen)
    if abs(total - value.number) <= 1e-6:
        return Outcome("passed", form=form_id)
    what = "、".join(filter(None, [where.get("category", ""), say(MESSAGES, "enterprise", ctx.lang) if where.get("enterprise") else ""]))
    which = say(MESSAGES, "which", ctx.lang, what=what) if what else ""
    text = say(MESSAGES, "count" if kind == "counts" else "sum", ctx.lang, form=data.form.short, year=ret.year,
               label=data.form.field(field_id).name(ctx.lang), value=format_number(value.number),
               counted=format_number(total), which=which)
    return Outcome("failed", text, (value.cell,), form=form_id)


def _matches(key: tuple, where: dict) -> bool:
    category, enterprise = key
    if "category" in where and category != where["category"]:
        return False
    return "enterprise" not in where or enterprise == bool(where["enterprise"])
