"""The digest of a return: what the checks across returns need, taken before the return is dropped."""

from __future__ import annotations

from validator.model import Digest, Return


def digest(ret: Return) -> Digest:
    figures = {}
    for data in ret.forms.values():
        if data.form.periodic and data.rows:
            for (field_id, period), value in data.rows[0].values.items():
                if period is not None:
                    figures[(data.form.id, field_id, period)] = (value.number, value.cell)
    cases = []
    register = ret.forms.get("case_register")
    for row in register.rows if register is not None else ():
        number = row.get("case_no")
        if number is not None and number.text:
            cases.append((number.text, number.cell))
    return Digest(ret.path, ret.unit, ret.year, figures, tuple(cases))
