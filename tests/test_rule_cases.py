"""Every rule of the default pack passes on the clean return and is broken by a case, with its exact message.

The cases live in the rule-family modules (test_rules_*.py) as CASES = [(rule, changes, message, cells)].
"""

import pytest

import test_rules_across_forms
import test_rules_case_stats
import test_rules_enterprise_stats
import test_rules_general
import test_rules_support
import test_rules_two_law_link
from conftest import SAMPLES, check_json, only

CASES = [case for module in (test_rules_general, test_rules_case_stats, test_rules_enterprise_stats,
                             test_rules_support, test_rules_two_law_link, test_rules_across_forms)
         for case in module.CASES]


@pytest.mark.parametrize("rule, changes, message, cells", CASES, ids=[c[0] for c in CASES])
def test_case_breaks_exactly_its_rule(broken, rule, changes, message, cells):
    findings = only(broken(changes), rule)
    if message is not None:
        assert findings[0]["message"] == message
        assert findings[0]["cells"] == cells


def test_every_rule_of_the_pack_has_a_breaking_case(pack):
    assert sorted({c[0] for c in CASES}) == sorted(r.id for r in pack.rules)


def test_every_rule_passes_on_the_clean_return(pack):
    report = check_json(SAMPLES / "clean.xlsx")
    assert report["findings"] == []
    for rule in pack.rules:
        counts = report["rules"][rule.id]
        assert counts["passed"] >= 1 and counts["failed"] == 0, (rule.id, counts)
