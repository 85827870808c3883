"""contact — the 联系人和联系方式 line gives a name and a valid mainland phone number.

    - id: G-CONTACT
      check: contact

A mobile number has 11 digits starting 13–19; a landline is an area code 0xx(x) and 7–8 digits,
with or without a hyphen. The name is whatever text stands beside the number. The same wrong line
on several forms is reported once, naming the forms and their cells.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator, Optional

from validator.i18n import Joined, Messages, message
from validator.model import FormData, Outcome, Return, Rule
from validator.rules.checks.base import Check, Context

MESSAGES = Messages(
    __name__,
    {
        "missing": {"zh": "{form} 未填写联系人和联系方式", "en": "{form}: no contact person and number"},
        "no_phone": {
            "zh": "{form} 联系方式“{text}”中没有有效的电话号码(手机 11 位,或区号-座机号)",
            "en": '{form}: "{text}" has no valid phone number (11-digit mobile, or area code and landline)',
        },
        "no_name": {"zh": "{form} 联系方式“{text}”中没有联系人姓名", "en": '{form}: "{text}" names no contact person'},
    },
)
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_NAME = re.compile(r"[A-Za-z\u4e00-\u9fff]{2,}")


def run(rule: Rule, ret: Return, ctx: Context) -> Iterator[Outcome]:
    # the same contact line is usually copied onto every form: say it once
    wrong: dict[tuple[str, str], list[FormData]] = {}
    for data in ret.forms.values():
        key = _problem(data.contact)
        if key is None:
            yield Outcome("passed", form=data.form.id)
        else:
            wrong.setdefault((key, data.contact), []).append(data)
    for (key, contact), forms in wrong.items():
        names = Joined([d.form.short for d in forms])
        text = message(MESSAGES, key, form=names, text=contact)
        yield Outcome(
            "failed", text, tuple(d.contact_cell or d.year_cell for d in forms), form=forms[0].form.id, times=len(forms)
        )


@lru_cache(maxsize=4096)  # one contact line is copied onto every form, and often onto every return
def _problem(contact: str) -> Optional[str]:
    if not contact.strip():
        return "missing"
    text = unicodedata.normalize("NFKC", contact).replace(" ", "")
    phone = _PHONE.search(text)
    if phone is None:
        return "no_phone"
    rest = text[: phone.start()] + text[phone.end() :]
    return None if _NAME.search(rest) else "no_name"


CHECK = Check(
    "contact",
    run,
    summary={
        "zh": "联系人和联系方式一栏有姓名和有效的大陆电话号码",
        "en": "the 联系人和联系方式 line gives a name and a valid mainland phone number.",
    },
)
