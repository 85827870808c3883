"""Every rule of the default pack belongs to a family whose test module breaks it with a case and
exact message (test_rules_*.py, CASES), and passes on the clean return."""

from conftest import FAMILY_OF_PREFIX, SAMPLES, check_json


def test_every_rule_belongs_to_a_family_of_tests(pack):
    """Each family module checks that its rules have breaking cases; here, that no rule has none."""
    assert [r.id for r in pack.rules if not any(r.id.startswith(prefix) for prefix in FAMILY_OF_PREFIX)] == []


def test_every_rule_on_one_return_passes_on_the_clean_return(pack):
    """Register rules pass in test_rules_case_register, rules across returns on a clean city set."""
    report = check_json(SAMPLES / "clean.xlsx")
    assert report["findings"] == []
    for rule in pack.rules:
        if rule.form == "case_register" or rule.scope == "batch" or rule.uses_reference or rule.id == "G-FILE":
            continue
        counts = report["rules"][rule.id]
        assert counts["passed"] >= 1 and counts["failed"] == 0, (rule.id, counts)
