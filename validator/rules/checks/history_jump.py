"""history_jump — a figure ten times or more off every one of the unit's own past years.

    - id: B-JUMP
      check: history_jump
      with:
        forms: [case_stats, enterprise_stats]
        factor: 10       # this many times larger or smaller than each past year
        at_least: 100    # and the larger of the two at least this (small counts do jump)

The unit's past comes from its returns of earlier years (`--previous 2023=DIR --previous
2022=DIR`): each one's current-year figures, and its previous-year column for a year no return of
its own was given for. A current-year figure `factor` times or more above or below every past
year's (zeros and blanks aside) is a warning naming the years and their figures: the 万元/元 slip
of one year against the others, which no return shows by itself when both its columns share it.
Without a past return of the unit: not evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional

from validator.i18n import Joined, Messages, message
from validator.model import NO_REFERENCE, Field, FormData, Outcome, Return, Rule
from validator.numbers import about_times, format_number
from validator.rules.checks.base import FIELD_LIST, Check, Context, forms_given

if TYPE_CHECKING:
    from validator.rules.digest import Digest

MESSAGES = Messages(
    __name__,
    {
        "jump": {
            "zh": "{form} {year} 年{label}填 {value} {unit},与该单位往年相差 {factor} 倍以上({past});{hint}",
            "en": "{form} {label} for {year} is {value} {unit}, {factor} or more times off each of the unit's past years ({past}); {hint}",
        },
        "past_wan": {
            "zh": "{form} {year} 年{label}填 {value} {unit},与本表上年数 {own} {unit}相当,而该单位往年报表为 {past},"
            "只有其万分之一左右:疑为往年按万元填写;本年数无须改动,请在审核说明中注明",
            "en": "{form} {label} for {year} is {value} {unit}, as this return's previous year ({own} {unit}), but the "
            "unit's past returns gave {past}, about a ten-thousandth: they were apparently typed in 万元; explain rather than change it",
        },
        "past_year": {"zh": "{year} 年 {value}", "en": "{year}: {value}"},
        "money": {
            "zh": "请核对各年是否都按{unit}填写(万元与元相差 10000 倍);如确有变化,请在简析中说明",
            "en": "check every year is written in {unit} (万元 and 元 differ 10,000 times); explain a real change",
        },
        "count": {
            "zh": "请核对是否多打或漏打了位数;如确有变化,请在简析中说明",
            "en": "check for a digit typed twice or left out; explain a real change",
        },
    },
)


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, Any]:
    options = spec.get("with", {})
    return {
        "forms": forms_given(options, pack),
        "factor": float(options.get("factor", 10)),
        "at_least": float(options.get("at_least", 100)),
    }


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    past = ctx.reference.past(ret.unit) if ctx.reference and ret.unit else {}
    if ret.year:
        past = {year: digest for year, digest in past.items() if year < ret.year}
    for form_id in rule.params["forms"]:
        data = ret.forms.get(form_id)
        if data is None or not data.rows:
            continue
        figures = [field for field in data.form.fields if field.numeric]
        if not past:  # no past return of the unit: none of them can be compared
            yield Outcome("not_evaluated", form=form_id, times=len(figures), reason=NO_REFERENCE)
            continue
        files = tuple(digest.file for _, digest in sorted(past.items()))
        for field in figures:
            yield _compare(data, field, _history(form_id, field.id, past), ret, rule.params, files)


def _history(form_id: str, field_id: str, past: dict[int, Digest]) -> dict[int, float]:
    """{year: figure} of one field over the unit's past returns: each one's current year, then its
    previous-year column where no return of that year was given."""
    found: dict[int, float] = {}
    for column, offset in (("cur", 0), ("prev", 1)):
        for year, digest in past.items():
            number = digest.figures.get((form_id, field_id, column), (None, ""))[0]
            if number is not None and year - offset not in found:
                found[year - offset] = number
    return dict(sorted(found.items()))


def _own_previous(data: FormData, field: Field) -> float:
    """The return's own previous-year figure of the field, 0 where it has none."""
    value = data.rows[0].get(field.id, "prev")
    return value.number if value is not None and value.number and value.number > 0 else 0.0


def _compare(
    data: FormData, field: Field, history: dict[int, float], ret: Return, params: dict[str, Any], files: tuple[str, ...]
) -> Outcome:
    value = data.rows[0].get(field.id, "cur")
    number: Optional[float] = value.number if value is not None else None
    years = {year: before for year, before in history.items() if before > 0}
    if not number or number < 0 or not years:
        return Outcome("passed", form=data.form.id)
    factor = params["factor"]
    above = all(number >= before * factor for before in years.values())
    below = all(number * factor <= before for before in years.values())
    if not (above or below) or max(number, *years.values()) < params["at_least"]:
        return Outcome("passed", form=data.form.id)
    past = Joined(message(MESSAGES, "past_year", year=y, value=format_number(b)) for y, b in years.items())
    said = {"form": data.form.short, "year": ret.year or "", "label": field.named, "value": format_number(number)}
    said["unit"] = unit = field.unit or ""
    own = _own_previous(data, field)
    if field.type == "money" and above and own and all(about_times(b, number) for b in years.values()):
        if max(own, number) < factor * min(own, number):  # the return agrees with itself: the past is off
            text = message(MESSAGES, "past_wan", **said, own=format_number(own), past=past)
            return Outcome("failed", text, (value.cell,), form=data.form.id, related=files)
    hint = message(MESSAGES, "money" if field.type in ("money", "wan") else "count", unit=unit)
    text = message(MESSAGES, "jump", **said, factor=format_number(factor), past=past, hint=hint)
    return Outcome("failed", text, (value.cell,), form=data.form.id, related=files)


CHECK = Check(
    "history_jump",
    run,
    uses_reference=True,
    options={
        "forms": FIELD_LIST,
        "factor": {"type": "number", "minimum": 2},
        "at_least": {"type": "number", "minimum": 0},
    },
    prepare=prepare,
    summary={
        "zh": "本年数与该单位往年各年相差 10 倍以上(万元/元之误)",
        "en": "a figure ten times or more off each of the unit's own past years (万元 for 元).",
    },
)
