"""The named checks a rule can use, registered here explicitly, one module each.

Each module documents itself in its docstring and offers `prepare(spec, pack)` (check the rule's
parameters when the pack loads, raising ExprError) and `run(rule, return, context)`, which yields
an Outcome per instance: passed, failed (with a message and cells) or not evaluated. A check never
knows its own severity: the pack's rule stamps it.
"""

from validator.checks import (cell_types, cells_readable, contact, explanation, expression, forms_present, periods,
                              required, same_unit_year, yoy)

CHECKS = {
    "expression": expression,
    "required": required,
    "cell_types": cell_types,
    "cells_readable": cells_readable,
    "forms_present": forms_present,
    "same_unit_year": same_unit_year,
    "periods": periods,
    "contact": contact,
    "yoy": yoy,
    "explanation": explanation,
}
