"""The rule set as a whole (rules/ruleset.py, through `formcheck rules lint` and `rules explain`):
contradicting error rules refuse the pack naming the smallest set, implied rules and fixed fields
are said."""

from conftest import formcheck


def _city(tmp_path, rules: str) -> str:
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "pack.yaml").write_text("name: 湘潭市\nextends: default\nrules: [local.yaml]\n", encoding="utf-8")
    (folder / "local.yaml").write_text(rules, encoding="utf-8")
    return str(folder)


def _rule(rule_id: str, assertion: str, severity: str = "error", form: str = "two_law_link") -> str:
    return (
        f"- id: {rule_id}\n  form: {form}\n  assert: {assertion}\n  severity: {severity}\n"
        "  origin: {zh: 湘潭市补充规则}\n"
    )


def test_a_city_rule_that_contradicts_the_default_is_refused_naming_both(tmp_path):
    city = _city(
        tmp_path,
        _rule("XT-9", "transferred < criminal_filed")
        + _rule("XT-1", "reverse_received >= 0")  # harmless: not in the conflict
        + _rule("XT-2", "transferred < criminal_filed + 5", "warning"),  # a warning: never refuses
    )
    code, out, err = formcheck("rules", "lint", city)
    assert (code, out) == (2, "")
    assert err == "规则包 湘潭市 的错误级规则相互矛盾,没有任何报表能同时满足:T4-5、XT-9;请删除或修改其中一条\n"
    code, _, err = formcheck("rules", "lint", city, "--lang", "en")
    assert "contradict each other, no return can pass them all: T4-5, XT-9;" in err


def test_rules_the_others_imply_and_fields_fixed_to_one_value_are_said(tmp_path):
    city = _city(
        tmp_path,
        _rule("XT-3", "transferred >= criminal_filed", "warning")  # T4-5 says more
        + _rule("XT-4", "levy.cur == 0", form="case_stats"),
    )
    code, out, err = formcheck("rules", "lint", city)
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "提示: 规则 XT-3 已由 T4-5 蕴含,可以删去",
        "提示: 规则使字段 case_stats.levy.cur 只能为 0",
    ]


def test_the_default_pack_is_consistent_and_says_nothing_more():
    code, out, err = formcheck("rules", "lint", "rules/default")
    assert (code, err) == (0, "") and len(out.splitlines()) == 1


def test_explain_a_field_lists_the_rules_it_takes_part_in():
    code, out, _ = formcheck("rules", "explain", "criminal_filed")
    assert (code, out) == (0, "字段 criminal_filed 参与的规则:T4-REQ、T4-5\n")
    code, out, _ = formcheck("rules", "explain", "case_stats.fines", "--lang", "en")
    assert (
        out
        == "rules the field case_stats.fines takes part in: T1-REQ, T1-YOY, T1-EXPL, T1-FINES, X-SUBSET, X-WAN, X-YUAN, R-TOTALS, B-TREASURY\n"
    )
