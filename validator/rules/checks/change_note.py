"""change_note — the 数据变化原因简析 row (the form's change note) explains the changes, in
words that say something. (Packs written before it was named so say `check: explanation`.)

    - id: T2-EXPL
      form: enterprise_stats
      check: change_note
      with: {zero_needs_explanation: true}    # 表2 注3: a figure of 0 must be analysed too

An explanation is needed when any figure changed by at least the pack's `yoy_threshold` percent
(or rose from 0), and, with zero_needs_explanation, when any figure is 0. Text listed in the
pack's `boilerplate`, or shorter than `explanation_min_chars`, does not count as one. With
zero_needs_explanation, a real explanation must also speak of the figures that are 0 (表2 注3):
each by its label (or an alias, or the label's first four characters), or all at once by one of
the pack's `zero_phrases` ("其余均为0"); the ones it is silent on are named.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator, Optional

from validator.fold import fold
from validator.i18n import Joined, Messages, Text, message
from validator.model import Field, FormData, Outcome, Return, Rule, Settings
from validator.numbers import format_number, pct, signed
from validator.rules.checks.base import Check, Context
from validator.rules.checks.yoy import figures_of

MESSAGES = Messages(
    __name__,
    {
        "missing": {
            "zh": "数据变化原因简析未填写,而{reasons}须说明原因",
            "en": "no explanation is given, yet {reasons} need one",
        },
        "boilerplate": {
            "zh": "数据变化原因简析“{text}”是套话,未说明具体原因,而{reasons}须说明原因",
            "en": 'the explanation "{text}" is boilerplate and explains nothing, yet {reasons} need one',
        },
        "changes": {"zh": "变化较大的 {items}", "en": "large changes ({items})"},
        "zeros": {"zh": "数据为 0 的 {items}", "en": "zero figures ({items})"},
        "and": {"zh": ";", "en": " and "},
        "zeros_unsaid": {
            "zh": "数据变化原因简析未说明数据为 0 的 {items};表2 注3 要求执法数据为“0”的也要进行分析,"
            "请逐项写明原因,或写“其余均为0,因……”",
            "en": "the explanation says nothing of the zero figures ({items}); note 3 asks for zeros to be analysed too: "
            'give each its reason, or write "其余均为0,因……"',
        },
        "from_zero": {"zh": "{label} 由 0 增至 {cur}", "en": "{label} up from 0 to {cur}"},
        "hint": {
            "zh": "。请逐项写明原因(如专项行动、检查计划调整、机构变动等)",
            "en": ". Give the reason for each (a campaign, a change of plan, a reorganisation ...)",
        },
    },
)
_WORDLESS = re.compile(r"[\W_]+")


def prepare(spec: dict[str, Any], pack: Any) -> dict[str, bool]:
    return {"zero_needs_explanation": bool(spec.get("with", {}).get("zero_needs_explanation"))}


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    data = ret.forms.get(rule.form or "")  # needs_form: a rule using it names one
    if data is None or not data.rows:
        return
    if data.change_note is not None and not data.change_note.readable:
        yield Outcome("not_evaluated", form=rule.form)
        return
    text = data.change_note.text if data.change_note is not None else None
    found = _changes_and_zeros(data, rule.params, ctx)
    if text and not boilerplate(text, ctx.settings) and found:
        yield _zeros_addressed(rule, data, text, found[1], ctx)
        return
    if (text and not boilerplate(text, ctx.settings)) or not found:
        yield Outcome("passed", form=rule.form)
        return
    reasons = _reasons(data, rule.params, ctx)
    where = (data.change_note.cell,) if data.change_note is not None else ()
    key = "boilerplate" if text else "missing"
    said = message(MESSAGES, key, text=text, reasons=reasons) + message(MESSAGES, "hint")
    yield Outcome("failed", said, where, form=rule.form)


def _zeros_addressed(rule: Rule, data: Any, text: str, zeros: list[Field], ctx: Context) -> Outcome:
    """表2 注3: an explanation that says something must also speak of the figures that are 0 —
    by name (a field's label, an alias, or the label's first four characters) or by one of the
    pack's `zero_phrases` ("其余均为0")."""
    flat = _flat(text)
    if any(_flat(phrase) in flat for phrase in ctx.settings.zero_phrases):
        return Outcome("passed", form=rule.form)
    silent = [field for field in zeros if not any(name in flat for name in _names(field))]
    if not silent:
        return Outcome("passed", form=rule.form)
    items = Joined([field.named for field in silent])
    return Outcome("failed", message(MESSAGES, "zeros_unsaid", items=items), (data.change_note.cell,), form=rule.form)


def _flat(text: str) -> str:
    return fold(text).replace("零", "0").replace("〇", "0")


def _names(field: Field) -> tuple[str, ...]:
    labels = [field.label, *field.aliases]
    return tuple({_flat(label) for label in labels} | {_flat(label)[:4] for label in labels if len(label) > 4})


def _changes_and_zeros(data: FormData, params: dict[str, bool], ctx: Context) -> tuple[list[Any], ...]:
    """([(field, cur, change)] that changed by the threshold or rose from 0, [field] that are 0)."""
    threshold = float(ctx.settings.yoy_threshold)
    changes, zeros = [], []
    for field, prev, cur, _ in figures_of(data):  # TwoYears: field, prev, cur, table
        if prev is None or cur is None:
            continue
        change = pct(prev, cur)
        if change is None or abs(change) >= threshold - 1e-9:
            changes.append((field, cur, change))
        elif params["zero_needs_explanation"] and 0 in (prev, cur):
            zeros.append(field)
    return (changes, zeros) if changes or zeros else ()


def _reasons(data: FormData, params: dict[str, bool], ctx: Context) -> Joined:
    """What needs explaining, in words: "变化较大的 行政许可 +40%、…;数据为 0 的 …"."""
    changes, zeros = _changes_and_zeros(data, params, ctx)
    parts = []
    if changes:
        items = [_change(field, cur, change, ctx) for field, cur, change in changes]
        parts.append(message(MESSAGES, "changes", items=Joined(items)))
    if zeros:
        parts.append(message(MESSAGES, "zeros", items=Joined([f.named for f in zeros])))
    return Joined(parts, message(MESSAGES, "and"))


def _change(field: Field, cur: float, change: Optional[float], ctx: Context) -> Text:
    label = field.named
    if change is None:
        return message(MESSAGES, "from_zero", label=label, cur=format_number(cur))
    return label + f" {signed(change, 0 if round(change, 1).is_integer() else 1)}"


def boilerplate(text: str, settings: Settings) -> bool:
    """Whether a text explains nothing: a stock phrase of the pack, or shorter than it asks."""
    words = _WORDLESS.sub("", text)
    stock = _stock(settings.boilerplate)
    return words in stock or len(words) < settings.explanation_min_chars


@lru_cache(maxsize=8)
def _stock(phrases: tuple[str, ...]) -> frozenset[str]:
    """The pack's stock phrases without punctuation, worked out once per pack."""
    return frozenset(_WORDLESS.sub("", phrase) for phrase in phrases)


CHECK = Check(
    "change_note",
    run,
    needs_form=True,
    options={"zero_needs_explanation": {"type": "boolean"}},
    prepare=prepare,
    summary={
        "zh": "同比变化较大(或数字为 0)时,数据变化原因简析写明了原因,而不是套话",
        "en": "the 数据变化原因简析 row (the form's change note) explains the changes, in",
    },
)
