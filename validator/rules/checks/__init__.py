"""The named checks a rule can use, registered here explicitly, one module each.

Each module documents itself in its docstring and offers `run(rule, return, context)`, which yields
an Outcome per instance: passed, failed (with a message and cells) or not evaluated. A check with
SCOPE = "batch" offers `run_batch(rule, digests, context)` instead and runs once over a whole batch
(formcheck batch). A check with parameters under `with:` also offers `prepare(spec, pack)`, which
checks them when the pack loads (raising ExprError) and returns what `run` finds in `rule.params`.
A check never knows its own severity: the pack's rule stamps it.
"""

from validator.rules.checks import (case_numbers_unique, cell_types, cells_readable, consolidation, contact, explanation,
                              expression, file_readable, forms_present, history, one_return_per_unit, periods,
                              register_delegated, register_totals, register_year, registry_delegated, registry_known,
                              registry_missing, required, same_unit_year, sheets_visible, total_rows, treasury, yoy)

CHECKS = {
    "expression": expression,
    "required": required,
    "cell_types": cell_types,
    "cells_readable": cells_readable,
    "forms_present": forms_present,
    "sheets_visible": sheets_visible,
    "total_rows": total_rows,
    "same_unit_year": same_unit_year,
    "periods": periods,
    "contact": contact,
    "yoy": yoy,
    "explanation": explanation,
    "file_readable": file_readable,
    "registry_known": registry_known,
    "registry_delegated": registry_delegated,
    "treasury": treasury,
    "history": history,
    "register_year": register_year,
    "register_delegated": register_delegated,
    "register_totals": register_totals,
    # across returns: run once over the digests of a whole batch
    "one_return_per_unit": one_return_per_unit,
    "registry_missing": registry_missing,
    "consolidation": consolidation,
    "case_numbers_unique": case_numbers_unique,
}
