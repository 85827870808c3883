"""Where to fix a return, said for people and programs: 最少改动 (the fewest cells to change, each
with the range it may take) and 可能是笔误 (a typing slip that explains every broken rule), from a
rules.localise.Localisation. Every reporter that shows a return's findings shows these."""

from __future__ import annotations

from typing import Any, Optional

from validator.i18n import Messages, join, say
from validator.numbers import format_number

MESSAGES = Messages(
    __name__,
    {
        "fewest": {
            "zh": "最少改动:改 {count} 处即可使全部规则同时成立:{changes}",
            "en": "fewest changes: change {count} cell(s) and every rule holds at once: {changes}",
        },
        "or": {"zh": "或改 {cells}", "en": "or change {cells}"},
        "note": {"zh": "最少改动:{change}", "en": "fewest changes: {change}"},
        "exactly": {"zh": "{cell} 现为 {now},应为 {low}", "en": "{cell} is {now}, should be {low}"},
        "at_least": {"zh": "{cell} 现为 {now},应不小于 {low}", "en": "{cell} is {now}, should be at least {low}"},
        "at_most": {"zh": "{cell} 现为 {now},应不大于 {high}", "en": "{cell} is {now}, should be at most {high}"},
        "between": {
            "zh": "{cell} 现为 {now},应在 {low} 到 {high} 之间",
            "en": "{cell} is {now}, should be between {low} and {high}",
        },
        "again": {"zh": "{cell} 按改后的数字重算", "en": "{cell}: compute it again from the changed figures"},
        "changed": {"zh": "{cell} 现为 {now},需改", "en": "{cell} is {now}, to change"},
        "slip": {
            "zh": "可能是笔误:{cell} 现为 {now},可能应为 {proposed}({kind});这样改全部规则成立,且没有别的单处笔误能做到",
            "en": "likely a slip: {cell} is {now}, perhaps meant {proposed} ({kind}); that makes every rule hold, and no other single slip does",
        },
        "swapped": {"zh": "相邻两位数字颠倒", "en": "two digits swapped"},
        "extra": {"zh": "多打了一位数字", "en": "a digit typed twice"},
        "missing": {"zh": "漏打了一位数字", "en": "a digit left out"},
        "sign": {"zh": "多了负号", "en": "a minus sign typed"},
        "wan": {"zh": "按万元填在了元的栏目", "en": "written in 10,000 yuan under a yuan header"},
        "yuan": {"zh": "按元填在了万元的栏目", "en": "written in yuan under a 10,000 yuan header"},
        "left_out": {
            "zh": "未参与计算的规则(不能写成数字的等式或不等式):{rules}",
            "en": "rules left out (not linear equations or inequalities): {rules}",
        },
    },
)
SEPARATOR = {"zh": ";", "en": "; "}


def lines(found: Any, lang: str) -> list[str]:
    """The localisation of one return, line by line, as a person reads it."""
    if found is None or not found.sets:
        return []
    first = found.sets[0]
    changes = SEPARATOR[lang].join(change_text(change, lang) for change in first)
    said_lines = [_say("fewest", lang, count=len(first), changes=changes)]
    for other in found.sets[1:]:
        said_lines.append(_say("or", lang, cells=join((change.cell for change in other), lang)))
    if found.slip is not None:
        said_lines.append(slip_text(found.slip, lang))
    if found.left_out:
        said_lines.append(_say("left_out", lang, rules=join(found.left_out, lang)))
    return said_lines


def change_text(change: Any, lang: str) -> str:
    """One cell to change and the range it may take: "表4!D6 现为 2,应不小于 3"."""
    low, high = change.low, change.high
    now = format_number(change.now)
    if low is None and high is None:
        return _say("again" if change.kind == "derived" else "changed", lang, cell=change.cell, now=now)
    if low is not None and high is not None and abs(high - low) < 1e-9:
        key = "exactly"
    elif high is None:
        key = "at_least"
    elif low is None or low == 0:
        key = "at_most"
    else:
        key = "between"
    return _say(key, lang, cell=change.cell, now=now, low=_figure(low), high=_figure(high))


def change_note(change: Any, lang: str) -> str:
    """A cell's part of the fewest changes, as its comment in the annotated copy says it."""
    return _say("note", lang, change=change_text(change, lang))


def slip_text(slip: Any, lang: str) -> str:
    kind = _say(slip.kind, lang)
    return _say(
        "slip", lang, cell=slip.cell, now=format_number(slip.now), proposed=format_number(slip.proposed), kind=kind
    )


def as_json(found: Any, lang: str) -> Optional[dict[str, Any]]:
    """The `localisation` object of a file in the JSON report (docs/json.md)."""
    if found is None or not found.sets:
        return None
    slip = found.slip
    return {
        "weight": found.weight,
        "sets": [[_change_json(change) for change in chosen] for chosen in found.sets],
        "slip": None
        if slip is None
        else {"cell": slip.cell, "now": slip.now, "proposed": slip.proposed, "kind": slip.kind},
        "rules": list(found.broken),
        "left_out": dict(found.left_out),
        "message": "\n".join(lines(found, lang)),
    }


def _change_json(change: Any) -> dict[str, Any]:
    return {"cell": change.cell, "now": change.now, "low": change.low, "high": change.high, "kind": change.kind}


def _figure(value: Optional[float]) -> str:
    return "" if value is None else format_number(round(value, 6))


def _say(key: str, lang: str, **params: Any) -> str:
    return say(MESSAGES, key, lang, **params)
