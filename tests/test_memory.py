"""The in-memory helper (tests/memory.py) says what the command says: every family's breaking case
that it can make in place gives the same findings, messages and cells as through a workbook."""

import importlib

import pytest
from conftest import FAMILY_OF_PREFIX
from memory import NotInMemory, findings

FAMILIES = [family for family in FAMILY_OF_PREFIX.values() if family != "across_returns"]
CASES = [
    pytest.param(family, case, id=f"{family}:{case[0]}")
    for family in FAMILIES
    for case in importlib.import_module(f"test_rules_{family}").CASES
]


@pytest.mark.parametrize("family, case", CASES)
def test_a_case_in_memory_is_what_the_command_says(tmp_path_factory, pack, broken, family, case):
    rule, changes = case[0], case[1]
    base = "register" if family == "case_register" else None
    try:
        found = findings(tmp_path_factory.getbasetemp(), pack, changes, base or "clean")
    except NotInMemory:
        pytest.skip("made only through a workbook")  # a sheet renamed, a row added: see the family's test
    through_a_workbook = [
        (f["rule"], f["message"] + ("。" + f["hint"] if f["hint"] else ""), f["cells"], f["code"])
        for f in broken(changes, base=base)
    ]
    assert [(f["rule"], f["message"], f["cells"], f["code"]) for f in found] == through_a_workbook
    assert rule in [f["rule"] for f in found]
