"""Every rule of the default pack passes on the clean return and is broken by a case, with its exact message.

The cases live in the rule-family modules (test_rules_*.py) as CASES = [(rule, changes, message, cells)].
"""

import pytest
import test_rules_across_forms
import test_rules_across_returns
import test_rules_case_register
import test_rules_case_stats
import test_rules_enterprise_stats
import test_rules_general
import test_rules_support
import test_rules_two_law_link
from conftest import SAMPLES, check_json, only

FAMILIES = (
    test_rules_general,
    test_rules_case_stats,
    test_rules_enterprise_stats,
    test_rules_support,
    test_rules_two_law_link,
    test_rules_across_forms,
    test_rules_case_register,
)
CASES = [(*case, getattr(module, "BASE", None)) for module in FAMILIES for case in module.CASES]


@pytest.mark.parametrize("rule, changes, message, cells, base", CASES, ids=[c[0] for c in CASES])
def test_case_breaks_exactly_its_rule(broken, rule, changes, message, cells, base):
    findings = only(broken(changes, base=base), rule)
    if message is not None:
        assert findings[0]["message"] == message
        assert findings[0]["cells"] == cells


def test_every_rule_of_the_pack_has_a_breaking_case(pack):
    """Rules on one return break in CASES above; rules across returns on the sample city set."""
    covered = {c[0] for c in CASES} | set(test_rules_across_returns.EXPECTED)
    assert sorted(covered) == sorted(r.id for r in pack.rules)


def test_every_rule_on_one_return_passes_on_the_clean_return(pack):
    """Register rules pass in test_rules_case_register, rules across returns on a clean city set."""
    report = check_json(SAMPLES / "clean.xlsx")
    assert report["findings"] == []
    for rule in pack.rules:
        if rule.form == "case_register" or rule.id in test_rules_across_returns.EXPECTED:
            continue
        counts = report["rules"][rule.id]
        assert counts["passed"] >= 1 and counts["failed"] == 0, (rule.id, counts)
