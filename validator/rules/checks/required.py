"""required — cells that must be filled in: blank means "not reported", never zero.

    - id: T3-REQ
      form: support
      check: required
      with: {except: [cert_comprehensive]}   # or {fields: [unit_name, transferred]}

By default: the unit name and every figure or choice of the form, both periods where the form
has two, on every unit row in use. A cell the reader could not take as a figure is reported by
cells_readable, not again here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from validator.i18n import Messages, message
from validator.model import Field, FormData, Outcome, Return, Rule
from validator.rules.checks.base import FIELD_LIST, Check, Context, check_names, row_prefix, when

if TYPE_CHECKING:
    from validator.table import Column, Row, Value

MESSAGES = Messages(
    __name__,
    {
        "text": {"zh": "{label} 未填写", "en": "{label} is not filled in"},
        "choice": {
            "zh": "{period}{label} 未填写,应填 {choices}",
            "en": "{period}{label} is blank; write one of {choices}",
        },
        "figure": {
            "zh": "{period}{label} 未填写;没有发生的请填 0,空白表示未报送",
            "en": "{period}{label} is blank; write 0 where there were none (blank means not reported)",
        },
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> list[Field]:
    form = pack.forms[spec["form"]]
    options = spec.get("with", {})
    wanted = options.get("fields") or [f.id for f in form.fields if f.type != "text" or f.role == "unit_name"]
    skipped = set(options.get("except", ()))
    check_names(pack, fields=list(wanted) + list(skipped), home=form.id)
    return [form.field(f) for f in wanted if f not in skipped]


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    data = ret.forms.get(rule.form or "")  # needs_form: a rule using it names one
    if data is None or data.table is None:
        return
    table, wanted = data.table, {field.id for field in rule.params}
    chosen = [(k, column) for k, column in enumerate(table.columns) if column.field.id in wanted]
    blank = [(i, k) for k, column in chosen if None in column.parsed for i in column.blank_positions()]
    filled = len(chosen) * len(table) - len(blank)
    for i, k in sorted(blank):
        yield _failure(rule, data, table.row(i), table.columns[k], table.value(k, i), ret, ctx)
    if filled:
        yield Outcome("passed", form=rule.form, times=filled)


def _failure(rule: Rule, data: FormData, row: Row, column: Column, value: Value, ret: Return, ctx: Context) -> Outcome:
    field = column.field
    key = "figure" if field.numeric else field.type if field.type == "choice" else "text"
    text = message(
        MESSAGES,
        key,
        label=field.named,
        period=when(column.period, ret),
        choices="/".join(field.choices),
    )
    return Outcome("failed", row_prefix(data, row) + text, (value.cell,), form=rule.form)


CHECK = Check(
    "required",
    run,
    needs_form=True,
    options={"fields": FIELD_LIST, "except": FIELD_LIST},
    prepare=prepare,
    summary={
        "zh": "必填单元格已填写:空白表示未填报,不等于 0",
        "en": 'cells that must be filled in: blank means "not reported", never zero.',
    },
)
