"""unit_slip — money typed in 万元 under a 元 header, found from the return's own evidence.

    - id: X-YUAN
      check: unit_slip
      with:
        figures: {case_stats.fines: case_stats.penalty, enterprise_stats.fines: enterprise_stats.penalty}
        factor: 10000          # one written unit (万元) is this many of the form's (元)
        written_unit: 万元
        least_per_case: 20     # 元 per case: less is no fine at all
        total: support.fines_3y  # the same money over three years, kept in 万元
        signs: 2               # how many signs must agree

A figure of a two-period form (each year in turn) is taken for one typed in the written unit when
at least `signs` of these say so: it comes to less than `least_per_case` per case of its count that
year (and to a plausible sum once multiplied); the other year is `factor` / 10 times it or more;
it is no larger than `total`, which is kept in the written unit (a year's fines in 元 below the
three-year total's figure in 万元). No treasury data is needed. Without enough evidence, passed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Optional

from validator.i18n import Joined, Messages, Rope, message
from validator.model import Field, Form, FormData, Outcome, Return, Rule
from validator.numbers import format_number
from validator.rules.checks.base import Check, Context, check_names, when

if TYPE_CHECKING:
    from validator.table import Value

MESSAGES = Messages(
    __name__,
    {
        "slip": {
            "zh": "{form} {period}{label}填 {value} {unit},疑为按{written}填写(按{unit}应为 {scaled} {unit}):{signs}",
            "en": "{form}: {label} {period}is {value} {unit}, apparently typed in {written} ({scaled} {unit} in {unit}): {signs}",
        },
        "per_case": {
            "zh": "每件{cases_label}仅 {each} {unit}({cases} 件)",
            "en": "only {each} {unit} per case of {cases_label} ({cases})",
        },
        "other_year": {
            "zh": "另一年为 {other} {unit},是它的 {ratio} 倍",
            "en": "the other year is {other} {unit}, {ratio} times as much",
        },
        "total": {
            "zh": "{total_label}为 {total} {written}",
            "en": "{total_label} is {total} {written}",
        },
        "and": {"zh": ";", "en": "; "},
        "hint": {
            "zh": "请按{unit}填写({written}数 ×{factor}),并重算同比增减",
            "en": "write the figure in {unit} ({factor} × the figure in {written}) and recompute the change",
        },
    },
)


class Sign(NamedTuple):
    key: str
    params: dict[str, Any]
    cell: Optional[str]


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, Any]:
    options = spec.get("with", {})
    figures = options.get("figures", {})
    names = [*figures, *figures.values(), *([options["total"]] if options.get("total") else [])]
    check_names(pack, fields=names)
    return {
        "figures": [(figure.split("."), count.split(".")) for figure, count in figures.items()],
        "factor": float(options.get("factor", 10000)),
        "written_unit": options.get("written_unit", "万元"),
        "least_per_case": float(options.get("least_per_case", 20)),
        "total": options["total"].split(".") if options.get("total") else None,
        "signs": int(options.get("signs", 2)),
    }


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    params = rule.params
    for (form_id, field_id), (count_form, count_id) in params["figures"]:
        data = ret.forms.get(form_id)
        if data is None or not data.rows:
            continue
        for period, other in (("prev", "cur"), ("cur", "prev")):
            value = data.rows[0].get(field_id, period)
            if value is None or value.number is None:
                yield Outcome("not_evaluated", form=form_id)
                continue
            signs = _signs(ret, params, value.number, (count_form, count_id, period), data.rows[0].get(field_id, other))
            if len(signs) < params["signs"] or value.number <= 0:
                yield Outcome("passed", form=form_id)
                continue
            yield _slip(rule, ret, ctx, data, field_id, period, value, signs)


def _signs(
    ret: Return, params: dict[str, Any], number: float, count: tuple[str, str, str], other: Optional[Value]
) -> list[Sign]:
    found = []
    factor, least = params["factor"], params["least_per_case"]
    count_data: Any = ret.forms.get(count[0])  # a FormData wherever `cases` is read from it
    cases = count_data.rows[0].get(count[1], count[2]) if count_data is not None and count_data.rows else None
    if cases is not None and cases.number and number / cases.number < least <= number * factor / cases.number:
        each = number / cases.number
        found.append(
            Sign("per_case", {"cases": cases.number, "each": each, "of": (count_data.form, count[1])}, cases.cell)
        )
    if other is not None and other.number and number > 0 and other.number / number >= factor / 10:
        found.append(Sign("other_year", {"other": other.number, "ratio": other.number / number}, other.cell))
    total = _total(ret, params["total"])
    if total is not None and total[0] > 0 and number <= total[0]:
        found.append(Sign("total", {"total": total[0]}, total[1]))
    return found


def _total(ret: Return, name: Optional[list[str]]) -> Optional[tuple[float, str]]:
    """(the sum of the named figure over the form's unit rows, the first one's cell)."""
    if name is None or ret.forms.get(name[0]) is None:
        return None
    values = [row.get(name[1]) for row in ret.forms[name[0]].rows]
    numbers = [v.number for v in values if v is not None and v.number is not None]
    return (sum(numbers), values[0].cell) if numbers and values[0] is not None else None


def _slip(
    rule: Rule,
    ret: Return,
    ctx: Context,
    data: FormData,
    field_id: str,
    period: str,
    value: Value,
    signs: list[Sign],
) -> Outcome:
    params = rule.params
    field: Field = data.form.field(field_id)  # type: ignore[assignment]  # found when the pack loaded
    words = []
    for sign in signs:
        extra = dict(sign.params)
        if sign.key == "per_case":
            count_form, count_id = extra.pop("of")
            extra["cases_label"] = count_form.field(count_id).named
            extra.update(cases=format_number(extra["cases"]), each=format_number(round(extra["each"], 2)))
        if sign.key == "other_year":
            extra.update(other=format_number(extra["other"]), ratio=format_number(round(extra["ratio"])))
        if sign.key == "total":
            total_form = ret.forms[params["total"][0]].form
            extra.update(total=format_number(extra["total"]), total_label=_qualified(total_form, params["total"][1]))
        words.append(message(MESSAGES, sign.key, unit=field.unit, written=params["written_unit"], **extra))
    text = message(
        MESSAGES,
        "slip",
        form=data.form.short,
        period=when(period, ret),
        label=field.named,
        value=format_number(value.number),  # type: ignore[arg-type]  # run passes a figure
        unit=field.unit,
        written=params["written_unit"],
        scaled=format_number(round(value.number * params["factor"], 2)),
        signs=Joined(words, message(MESSAGES, "and")),
    )
    hint = message(
        MESSAGES, "hint", unit=field.unit, written=params["written_unit"], factor=format_number(params["factor"])
    )
    return Outcome("failed", text, (value.cell, *(s.cell for s in signs if s.cell)), form=data.form.id, hint=hint)


def _qualified(form: Form, field_id: str) -> Rope:
    return Rope((f"{form.short} ", form.field(field_id).named))  # type: ignore[union-attr]  # found at load


CHECK = Check(
    "unit_slip",
    run,
    options={
        "figures": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        "factor": {"type": "number", "exclusiveMinimum": 1},
        "written_unit": {"type": "string", "minLength": 1},
        "least_per_case": {"type": "number", "minimum": 0},
        "total": {"type": "string", "minLength": 1},
        "signs": {"type": "integer", "minimum": 1},
    },
    prepare=prepare,
    summary={
        "zh": "元 的金额疑按万元填写:每件案件金额过小、与另一年相差万倍、不大于表3 万元合计,两项以上相符即报",
        "en": "money typed in 万元 under a 元 header, found from the return's own evidence.",
    },
)
