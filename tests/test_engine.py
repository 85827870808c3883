"""The engine: a rule that cannot be computed fails (never passes); severity comes from the pack."""

from conftest import check_json


def test_division_by_zero_is_a_failure_saying_why(pack_copy, workbook):
    with (pack_copy / "rules" / "two_law_link.yaml").open("a", encoding="utf-8") as handle:
        handle.write("""
- id: T4-RATIO
  form: two_law_link
  assert: criminal_filed / transferred <= 1
  severity: info
  origin: 测试
  message: 立案比例过高
""")
    report = check_json(workbook(), "--pack", pack_copy)
    found = [f for f in report["findings"] if f["rule"] == "T4-RATIO"]
    assert [(f["severity"], f["message"], f["cells"]) for f in found] == [
        ("info", "无法计算本规则: 除数为 0", ["表4!E6", "表4!D6"])
    ]
    assert report["rules"]["T4-RATIO"]["passed"] == 0
    assert report["exit_code"] == 0  # info only


def test_severity_is_stamped_by_the_pack(pack_copy, workbook):
    path = pack_copy / "rules" / "two_law_link.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: T4-5")
    path.write_text(text[:start] + text[start:].replace("severity: error", "severity: warning", 1), encoding="utf-8")
    report = check_json(workbook({"forms.two_law_link.rows.0.criminal_filed": 3}), "--pack", pack_copy)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("T4-5", "warning")]
    assert report["exit_code"] == 0
