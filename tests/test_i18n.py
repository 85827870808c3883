"""Messages made below the reporters in no language, said in one at the edge (validator/i18n.py)."""

import ast
import json
import pickle
from pathlib import Path

from conftest import SAMPLES, formcheck

from validator.i18n import Joined, Messages, Phrase, aside, message, said, say

TABLE = Messages(
    __name__,
    {
        "short": {"zh": "{label} 填 {value},少于 {least}", "en": "{label} is {value}, below {least}"},
        "row": {"zh": "序号 {serial}: ", "en": "row {serial}: "},
        "hint": {"zh": "请改正", "en": "correct it"},
    },
)
LABEL = Phrase({"zh": "移送案件数", "en": "cases transferred"})
CODE = Path(__file__).resolve().parent.parent / "validator"


def test_a_message_is_said_in_each_language_with_its_figures():
    text = message(TABLE, "short", label=LABEL, value=2, least=3)
    assert (said(text, "zh"), said(text, "en")) == ("移送案件数 填 2,少于 3", "cases transferred is 2, below 3")
    assert str(text) == "移送案件数 填 2,少于 3"  # Chinese, the default


def test_an_aside_gives_the_finding_neither_key_nor_figures():
    text = aside(TABLE, "row", serial=1) + message(TABLE, "short", label=LABEL, value=2, least=3)
    assert said(text, "en") == "row 1: cases transferred is 2, below 3"
    assert (text.key, list(text.params)) == ("short", ["label", "value", "least"])


def test_the_first_message_gives_the_key_and_wins_a_figure_named_twice():
    text = message(TABLE, "short", label=LABEL, value=2, least=3) + message(TABLE, "hint", value=9)
    assert (text.key, text.params["value"]) == ("short", 2)


def test_a_list_is_joined_as_each_language_joins_one():
    items = Joined([LABEL, "刑事立案数"])
    assert (said(items, "zh"), said(items, "en")) == ("移送案件数、刑事立案数", "cases transferred, 刑事立案数")
    assert say(TABLE, "short", "en", label=items, value=0, least=1).startswith("cases transferred, 刑事立案数 is 0")


def test_a_message_crosses_to_another_process_by_its_tables_name():
    text = aside(TABLE, "row", serial=7) + message(TABLE, "short", label=LABEL, value=2, least=3)
    carried = pickle.dumps(text)
    assert b"test_i18n" in carried
    assert "cases transferred is 2" not in carried.decode("utf-8", "replace")  # the table is not copied
    assert said(pickle.loads(carried), "en") == "row 7: cases transferred is 2, below 3"


def test_one_run_is_said_in_either_language_with_the_same_codes(pack):
    from validator.batch import review
    from validator.report import reporter

    report = review([str(SAMPLES / "as_filed.xlsx")], pack, None, across=False)
    for lang in ("zh", "en"):
        rendered = json.loads(reporter("json").render(report, pack, lang))
        _, out, _ = formcheck("check", SAMPLES / "as_filed.xlsx", "--format", "json", "--lang", lang)
        ran = json.loads(out)
        assert [(f["code"], f["message"], f["params"]) for f in rendered["findings"]] == [
            (f["code"], f["message"], f["params"]) for f in ran["findings"]
        ]
    assert len({f.code for f in report.findings}) > 3


def test_no_function_below_the_reporters_takes_a_language():
    """Only a text's own methods (it says itself in a language) may take one."""
    offenders = []
    for path in [*CODE.glob("rules/**/*.py"), *CODE.glob("read/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        methods = {
            id(node)
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef)
            and any(getattr(base, "id", "") in ("Text", "Worded") for base in cls.bases)
            for node in cls.body
        }
        offenders += [
            f"{path.relative_to(CODE)}:{node.lineno} {node.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and "lang" in [a.arg for a in node.args.args + node.args.kwonlyargs]
            and id(node) not in methods
        ]
    assert offenders == []


def test_a_long_text_from_a_return_is_quoted_in_its_first_characters(workbook):
    path = workbook({"forms.case_stats.cur.penalty": "八" * 5_000_000})
    _, out, _ = formcheck("check", path, "--format", "json")
    finding = json.loads(out)["findings"][0]
    assert finding["message"] == (  # a cell holds at most 32,767 characters as written
        "行政处罚 应填数字,现为“" + "八" * 300 + "…(共 32767 字,只引前 300 字)”;请只填数字(没有发生填 0)"
    )
    assert len(out) < 20_000  # some 200 KB before: the text in the message and again in its params
