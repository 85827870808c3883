"""Loading a rule pack: schemas, names, file and line in every refusal; exit 2."""

import json

import pytest
from conftest import SAMPLES, formcheck

from validator.rules.pack import PackError, load_pack


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_misspelt_field_is_refused_with_rule_file_line_and_suggestion(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "assert: transferred >= criminal_filed", "assert: transfered >= criminal_filed")
    code, out, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", pack_copy)
    assert code == 2 and out == ""
    line = next(i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "transfered" in text)
    assert err.strip() == (
        f'规则包有误,无法检查: {rules}:{line}: 规则 T4-5: 表 two_law_link 中没有字段 "transfered",'
        f'是否应为 "transferred"?'
    )


def test_misspelt_form_in_english(pack_copy):
    rules = pack_copy / "rules" / "across_forms.yaml"
    _edit(
        rules,
        "assert: case_stats.transferred.cur == sum(two_law_link.transferred)",
        "assert: case_stat.transferred.cur == sum(two_law_link.transferred)",
    )
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", pack_copy, "--lang", "en")
    assert code == 2
    assert 'rule X-TRANSFER: the pack has no form "case_stat"; did you mean "case_stats"?' in err


def test_period_missing_on_a_two_period_form(pack_copy):
    _edit(
        pack_copy / "rules" / "enterprise_stats.yaml",
        "assert: lenient_cases.$period <= penalty.$period",
        "assert: lenient_cases <= penalty.$period",
    )
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '"enterprise_stats.lenient_cases" 须写明期别 .prev 或 .cur' in str(caught.value)


def test_several_rows_outside_an_aggregate(pack_copy):
    _edit(pack_copy / "rules" / "across_forms.yaml", "sum(two_law_link.transferred)\n", "two_law_link.transferred\n")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '"two_law_link.transferred" 有多行,须放在 sum()/min()/max()/count() 中' in str(caught.value)


def test_schema_violation_names_file_and_line(pack_copy):
    form = pack_copy / "forms" / "support.yaml"
    _edit(
        form,
        "fines_3y, label: 近三年罚款金额, label_en: fines over the last three years, unit: 万元, type: wan",
        "fines_3y, label: 近三年罚款金额, label_en: fines over the last three years, unit: 万元, type: wan10k",
    )
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    line = next(i for i, text in enumerate(form.read_text(encoding="utf-8").splitlines(), 1) if "wan10k" in text)
    assert str(caught.value) == (
        f"{form}:{line}: 不符合表定义格式: 字段 fines_3y 的 type 的值“wan10k”不对,可用的值: count、money、wan、text、choice、date;各键的写法见 docs/packs.md"
    )


def test_unknown_check_is_refused(pack_copy):
    _edit(pack_copy / "rules" / "general.yaml", "check: contact", "check: contacts")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '规则 G-CONTACT: 没有名为 "contacts" 的内置检查,是否应为 "contact"?' in str(caught.value)


def test_duplicate_rule_id(pack_copy):
    _edit(pack_copy / "rules" / "general.yaml", "id: G-CONTACT", "id: G-UNIT")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '规则 "G-UNIT" 重复定义' in str(caught.value)


def test_yaml_syntax_error(pack_copy):
    (pack_copy / "rules" / "general.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert str(caught.value) == f"{pack_copy / 'rules' / 'general.yaml'}:2: 方括号 [ ] 没有闭合"


def test_a_yaml_syntax_error_names_the_rule_it_is_in_in_chinese(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "    en: Form 4 note 5\n", "    en: Form 4 note 5\n   oops: 1\n")
    line = next(i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "oops" in text)
    code, out, err = formcheck("rules", "lint", pack_copy)
    assert (code, out) == (2, "")
    assert err == (f"规则包有误: {rules}:{line}: 缩进不一致(同一层的项须对齐)(在规则 T4-5 处或其后)\n")
    code, _, err = formcheck("rules", "lint", pack_copy, "--lang", "en")
    assert err == (
        f"the rule pack is broken: {rules}:{line}: inconsistent indentation (items of one level must line up) "
        "(at or after rule T4-5)\n"
    )


def test_a_bad_severity_is_named_by_the_rule_id(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "  severity: error\n  origin:\n    zh: 表4 注5", "  severity: fatal\n  origin:\n    zh: 表4 注5")
    line = next(i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "fatal" in text)
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", pack_copy)
    assert code == 2
    assert err == (
        f"规则包有误,无法检查: {rules}:{line}: 规则 T4-5: severity 的值“fatal”不对,可用的值: error、warning、info\n"
    )


def test_a_misspelt_key_of_a_rule_is_refused_with_the_nearest(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "  hint:\n    zh: 移送案件数应", "  hnit:\n    zh: 移送案件数应")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert str(caught.value).endswith(
        "规则 T4-5: 本条规则 有不认识的项 hnit,是否应为 hint?(可用的项: id、severity、origin、description、form、check、"
        "with、when、assert、for_each、message、hint)"
    )


def test_a_rule_with_neither_assert_nor_check_is_refused(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "  assert: reverse_received >=", "  asert: reverse_received >=")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert "规则 T4-6: 本条规则: 缺少 assert(要成立的表达式)或 check(内置检查的名字)" in str(caught.value)


def test_no_pack_at_the_path(tmp_path):
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", tmp_path)
    assert code == 2
    assert f"找不到规则包 {tmp_path}" in err


def test_yaml_tags_are_not_executed(pack_copy):
    (pack_copy / "rules" / "general.yaml").write_text(
        "- !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8"
    )
    with pytest.raises(PackError):
        load_pack(str(pack_copy))


def test_a_pack_rule_written_once_runs_for_each_binding(pack):
    subset = pack.rule("X-SUBSET")
    assert [i.binding for i in subset.params][:3] == [
        {"field": "penalty", "period": "prev"},
        {"field": "penalty", "period": "cur"},
        {"field": "coercion", "period": "prev"},
    ]
    assert len(subset.params) == 12


def test_a_misspelt_field_under_with_is_refused(pack_copy):
    rules = pack_copy / "rules" / "across_returns.yaml"
    _edit(rules, "with: {equal: [case_stats.fines]", "with: {equal: [case_stats.fine]")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    line = next(
        i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "case_stats.fine]" in text
    )
    assert str(caught.value) == (f'{rules}:{line}: 规则 B-TREASURY: 表 case_stats 中没有字段 "fine",是否应为 "fines"?')


def test_a_misspelt_form_under_with_is_refused(pack_copy):
    _edit(
        pack_copy / "rules" / "across_returns.yaml",
        "with: {forms: [case_stats, enterprise_stats]}\n  severity: error",
        "with: {forms: [case_stats, enterprise_stat]}\n  severity: error",
    )
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '规则 B-COUNTY: 规则包中没有表 "enterprise_stat",是否应为 "enterprise_stats"?' in str(caught.value)


def test_an_origin_citing_a_note_its_form_does_not_number_is_refused(pack_copy):
    rules = pack_copy / "rules" / "two_law_link.yaml"
    _edit(rules, "zh: 表4 注5", "zh: 表4 注7")
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", pack_copy)
    line = next(i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "注7" in text)
    assert code == 2
    assert err.strip() == (
        f"规则包有误,无法检查: {rules}:{line}: 规则 T4-5: 依据“表4 注7”引用了表4注7,但表4的填表说明只有注 1、4、5、6;请改正注号,或在表的 notes 中补上该注"
    )


def test_notes_origins_and_the_template_agree(pack, tmp_path):
    """Every note an origin cites is a note of its form, printed under that number in the template."""
    import openpyxl

    from validator.report.template import write_return

    path = tmp_path / "blank.xlsx"
    write_return(str(path), pack, {"year": 2024, "forms": {}})
    printed = [str(row[0]) for row in openpyxl.load_workbook(path)["表4"].iter_rows(values_only=True) if row[0]]
    assert [text.split(".")[0].removeprefix("注: ") for text in printed if "." in text][-4:] == ["1", "4", "5", "6"]
    assert any(text.startswith('5. "移送案件数"应当大于等于') for text in printed)


def test_a_misspelt_option_under_with_is_refused_with_its_line_and_a_suggestion(pack_copy):
    rules = pack_copy / "rules" / "enterprise_stats.yaml"
    _edit(rules, "with: {zero_needs_explanation: true}", "with: {zero_need_explanation: true}")
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", pack_copy)
    line = next(i for i, text in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "zero_need_" in text)
    assert code == 2
    assert err.strip() == (
        f"规则包有误,无法检查: {rules}:{line}: 规则 T2-EXPL: 检查 change_note 没有参数 "
        '"zero_need_explanation",是否应为 "zero_needs_explanation"?(可用的参数: zero_needs_explanation)'
    )


def test_an_option_of_the_wrong_kind_is_refused(pack_copy):
    rules = pack_copy / "rules" / "enterprise_stats.yaml"
    _edit(rules, "with: {zero_needs_explanation: true}", "with: {zero_needs_explanation: 3}")
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert str(caught.value).endswith("规则 T2-EXPL: 检查 change_note 的参数 zero_needs_explanation 应为 true 或 false")


def test_every_check_declares_its_contract():
    from validator.rules.checks import CHECKS

    for name, check in CHECKS.items():
        assert check.name == name and check.scope in ("return", "batch", "file") and callable(check.run)
        assert check.phase in ("rules", "after") and (check.phase == "rules" or check.scope == "return")
        assert set(check.summary) == {"zh", "en"} and all(check.summary.values()), name
        assert check.options is None or all(isinstance(shape, dict) for shape in check.options.values())


def test_no_check_is_found_by_its_name():
    """Where a rule runs comes from its check's contract: no module compares a rule's check with a
    check's name (the root of an old miscount of G-EXPLAIN)."""
    import re

    from conftest import ROOT

    named = re.compile(r"""\.check\s*(==|!=)\s*["'](?!expression)""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "validator").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if named.search(line) or 'CHECKS["' in line
    ]
    assert found == []


def test_a_pack_without_g_file_still_reports_an_unreadable_file(pack_copy, tmp_path):
    import json

    from conftest import formcheck

    manifest = pack_copy / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "disable: [G-FILE]\n", encoding="utf-8")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    code, out, _ = formcheck("check", junk, "--pack", pack_copy, "--format", "json")
    document = json.loads(out)
    assert code == 2 and [(f["rule"], f["severity"]) for f in document["findings"]] == [("file_readable", "error")]
    assert document["files"][0]["status"] == "unreadable"


def test_a_role_given_to_two_fields_is_refused(pack_copy):
    form = pack_copy / "forms" / "two_law_link.yaml"
    _edit(
        form,
        "label_en: cases transferred, under: 正向衔接, unit: 件, type: count}",
        "label_en: cases transferred, under: 正向衔接, unit: 件, type: count, role: unit_name}",
    )
    with pytest.raises(PackError) as caught:
        load_pack(str(pack_copy))
    assert '角色 unit_name 由 "unit_name" 和 "transferred" 同时担任,只能有一个' in str(caught.value)


def test_the_code_finds_fields_by_role_not_by_id(pack_copy, tmp_path):
    """The unit-name field and the case number renamed in the pack: rows are still named, and case
    numbers still found in the register."""
    for path in [*(pack_copy / "forms").glob("*.yaml"), *(pack_copy / "rules").glob("*.yaml")]:
        text = (
            path.read_text(encoding="utf-8")
            .replace("id: unit_name,", "id: unit,")
            .replace("id: case_no,", "id: number,")
        )
        text = text.replace("fields: [case_no,", "fields: [number,")
        path.write_text(text, encoding="utf-8")
    from conftest import clean_with_register

    from validator.report.template import apply_changes, write_return

    figures = apply_changes(clean_with_register(), {"forms.two_law_link.rows.0.criminal_filed": 1})
    for row in figures["forms"]["two_law_link"]["rows"] + figures["forms"]["support"]["rows"]:
        row["unit"] = row.pop("unit_name")
    for form in ("case_stats", "enterprise_stats"):
        figures["forms"][form]["unit"] = figures["forms"][form].pop("unit_name", None)
    for row in figures["forms"]["case_register"]["rows"]:
        row["number"] = row.pop("case_no")
    path = tmp_path / "renamed.xlsx"
    pack = load_pack(str(pack_copy))
    write_return(str(path), pack, figures)
    code, out, err = formcheck("batch", path, "--pack", pack_copy, "--format", "json")
    import json

    findings = json.loads(out)["findings"]
    assert [f["message"][:26] for f in findings if f["rule"] == "T4-5"] == ["序号 1 (湘乡市应急管理局): 移送案件数 (0)"]
    assert json.loads(out)["rules"]["B-CASE-DUP"]["passed"] > 900


def _city_pack(tmp_path, manifest: str, local: str = "") -> str:
    """A city's own small pack beside the bundled one: pack.yaml and, if given, local.yaml."""
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    if local:
        (folder / "local.yaml").write_text(local, encoding="utf-8")
    return str(folder)


LOCAL_RULE = """\
- id: XT-1
  form: two_law_link
  assert: transferred + reverse_received < 1
  severity: warning
  origin: {zh: 湘潭市补充规则, en: Xiangtan local rule}
"""


def test_a_city_pack_extends_the_default_disables_lowers_and_adds(tmp_path):
    city = _city_pack(
        tmp_path,
        "name: 湘潭市规则包\nextends: default\ndisable: [T2-YOY]\nseverity: {X-SUBSET: warning}\nrules: [local.yaml]\n",
        LOCAL_RULE,
    )
    code, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--pack", city, "--format", "csv")
    rows = [line.split(",")[3:5] for line in out.splitlines()[1:]]
    assert ["T2-YOY", "错误"] not in rows
    assert rows.count(["X-SUBSET", "警告"]) == 2 and ["X-SUBSET", "错误"] not in rows
    assert code == 1  # T3-REQ is still an error
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--pack", city, "--select", "XT-1", "--format", "json")
    finding = json.loads(out)["findings"][0]
    assert (finding["origin"], finding["severity"], finding["cells"]) == (
        "湘潭市补充规则",
        "warning",
        ["表4!D6", "表4!H6"],
    )
    assert finding["message"] == "序号 1 (湘乡市应急管理局): 不成立: 移送案件数 (0) + 反向衔接受案数 (1) < 1"


def test_origin_and_default_message_in_english(tmp_path):
    city = _city_pack(tmp_path, "name: city\nextends: default\nrules: [local.yaml]\n", LOCAL_RULE)
    _, out, _ = formcheck(
        "check", SAMPLES / "as_filed.xlsx", "--pack", city, "--select", "XT-1", "--format", "json", "--lang", "en"
    )
    finding = json.loads(out)["findings"][0]
    assert finding["origin"] == "Xiangtan local rule"
    assert finding["message"] == (
        "row 1 (湘乡市应急管理局): does not hold: cases transferred (0) + cases received back (1) < 1"
        " (the fewest changes go through 表4!H6: changing 表4!D6 needs more changes besides)"
    )


def test_a_city_pack_cannot_disable_a_rule_no_pack_has(tmp_path):
    city = _city_pack(tmp_path, "name: city\nextends: default\ndisable:\n  - T4-5\n  - T4-7\n")
    code, _, err = formcheck("check", SAMPLES / "clean.xlsx", "--pack", city)
    assert code == 2
    assert err == (
        f'规则包有误,无法检查: {city}/pack.yaml:5: disable 中的 "T4-7" 不是本规则包或其所扩展规则包中的规则,'
        '是否应为 "T4-6"?\n'
    )


def test_a_pack_that_extends_itself_is_refused(tmp_path):
    city = _city_pack(tmp_path, "name: city\nextends: .\n")
    with pytest.raises(PackError) as caught:
        load_pack(city)
    assert (
        str(caught.value)
        == f"{city}/pack.yaml:2: extends: . 形成循环(规则包扩展了它自己);请让 extends 指向另一个规则包,如 default"
    )


def test_a_city_rule_may_not_reuse_an_id_of_the_pack_it_extends(tmp_path):
    city = _city_pack(
        tmp_path, "name: city\nextends: default\nrules: [local.yaml]\n", LOCAL_RULE.replace("XT-1", "T4-5")
    )
    with pytest.raises(PackError) as caught:
        load_pack(city)
    assert '规则 "T4-5" 重复定义(另见 ' in str(caught.value) and "two_law_link.yaml:" in str(caught.value)


def test_settings_of_a_city_pack_override_the_default(tmp_path):
    city = _city_pack(tmp_path, "name: city\nextends: default\nsettings: {yoy_threshold: 99999999}\n")
    code, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--pack", city, "--select", "T1-EXPL", "-q")
    assert (load_pack(city).settings.yoy_threshold, load_pack(city).settings.max_findings) == (99999999, 100)
    assert (code, out) == (0, "")  # no change reaches the threshold: nothing needs explaining
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--select", "T1-EXPL", "-q")
    assert "T1-EXPL" in out


def test_a_when_guard_limits_where_a_rule_runs(tmp_path):
    guarded = LOCAL_RULE.replace("  assert:", "  when: transferred > 0\n  assert:")
    city = _city_pack(tmp_path, "name: city\nextends: default\nrules: [local.yaml]\n", guarded)
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--pack", city, "--format", "json")
    document = json.loads(out)
    assert [f for f in document["findings"] if f["rule"] == "XT-1"] == []
    assert document["rules"]["XT-1"]["evaluated"] == 0 and document["rules"]["XT-1"]["not_evaluated"] == 0


def test_a_guarded_rule_without_a_message_says_its_assertion_with_the_figures(tmp_path):
    rule = (
        "- id: XT-MON\n  form: support\n  when: monitor_count == 0\n  assert: is_blank(monitor_field)\n"
        "  severity: warning\n  origin: 测试\n"
    )
    city = _city_pack(tmp_path, "name: city\nextends: default\nrules: [local.yaml]\n", rule)
    _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--pack", city, "--select", "XT-MON", "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert (finding["message"], finding["cells"]) == ("序号 1: 不成立: 执法领域 (0) 为空白", ["表3!Q6", "表3!R6"])


def test_a_pack_naming_a_check_by_its_former_name_still_loads(pack_copy):
    """`check: explanation` (the change-note check before it was named change_note) still works."""
    rules = pack_copy / "rules" / "case_stats.yaml"
    _edit(rules, "check: change_note", "check: explanation")
    pack = load_pack(str(pack_copy))
    assert next(rule for rule in pack.rules if rule.id == "T1-EXPL").check == "change_note"
