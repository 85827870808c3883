"""The named checks a rule can use, registered here explicitly, one module each.

Each module documents itself in its docstring (the rule YAML that uses it, what it checks) and
declares its contract as `CHECK = Check(...)` (validator/rules/checks/base.py): its scope, what it
needs, the options its `with:` takes, its `run`. Adding a check is one module and one line here.
"""

from validator.rules.checks import (
    case_numbers_unique,
    cell_types,
    cells_readable,
    change_note,
    consolidation,
    contact,
    explained,
    expression,
    file_readable,
    forms_present,
    header_units,
    history,
    history_jump,
    one_return_per_unit,
    periods,
    previous_readable,
    register_delegated,
    register_totals,
    register_unique,
    register_year,
    registry_delegated,
    registry_known,
    registry_missing,
    required,
    same_unit_year,
    sheets_visible,
    total_rows,
    treasury,
    unit_slip,
    yoy,
)

CHECKS = {
    check.name: check
    for check in (
        module.CHECK
        for module in (
            expression,
            required,
            cell_types,
            cells_readable,
            forms_present,
            sheets_visible,
            total_rows,
            same_unit_year,
            periods,
            header_units,
            unit_slip,
            contact,
            yoy,
            change_note,
            explained,
            file_readable,
            registry_known,
            registry_delegated,
            treasury,
            history,
            history_jump,
            register_year,
            register_delegated,
            register_totals,
            register_unique,
            # across returns: run once over the digests of a whole batch
            one_return_per_unit,
            registry_missing,
            consolidation,
            case_numbers_unique,
            previous_readable,
        )
    )
}
