"""The rule language: a closed grammar, tolerance from written precision, blank is not zero."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.rules.expr import BlankInput, Scope, evaluate
from validator.rules.quantity import EvalError, Quantity, compare
from validator.rules.syntax import ExprError, compile_expression, parse
from validator.table import Value


def _eval(text, pack, values, home="two_law_link"):
    node = compile_expression(text, pack.forms, home)
    return evaluate(node, Scope(lambda ref: values.get(ref.field)))


def _v(number, decimals=0, slack=0.0):
    return Value(cell="X!A1", number=number, decimals=decimals, slack=slack)


def test_arithmetic_comparison_and_precedence(pack):
    values = {"transferred": _v(5), "criminal_filed": _v(2), "criminal_not_filed": _v(1), "not_prosecuted": _v(1)}
    assert _eval("transferred >= criminal_filed + criminal_not_filed * 2 + not_prosecuted", pack, values) is True
    assert _eval("transferred - criminal_filed * 3 < 0", pack, values) is True
    assert _eval("if transferred > 4 then criminal_filed else 0", pack, values) == Quantity(2.0)
    assert _eval("not (transferred == 5) or transferred ≥ 6", pack, values) is False


def test_blank_is_not_zero(pack):
    values = {"transferred": _v(0), "criminal_filed": Value(cell="X!E6")}
    with pytest.raises(BlankInput) as caught:
        _eval("transferred >= criminal_filed", pack, values)
    assert caught.value.cells == ("X!E6",)
    assert _eval("is_blank(criminal_filed)", pack, values) is True


def test_division_by_zero_is_an_evaluation_error(pack):
    with pytest.raises(EvalError):
        _eval("transferred / criminal_filed > 1", pack, {"transferred": _v(1), "criminal_filed": _v(0)})


def test_written_precision_is_a_tolerance_both_ways():
    wan = Quantity(278.49, 0.005)
    assert compare(">=", wan, Quantity(278.494))
    assert not compare(">=", wan, Quantity(278.496))
    assert compare("==", Quantity(10.9, 0.05), Quantity(10.94))
    assert not compare("==", Quantity(10.9, 0.05), Quantity(10.96))
    assert compare("<=", Quantity(3), Quantity(3)) and not compare("<", Quantity(3), Quantity(3))


def test_functions(pack):
    values = {"transferred": _v(-4), "criminal_filed": _v(2)}
    assert _eval("abs(transferred) == 4", pack, values)
    assert _eval("max(transferred, criminal_filed) == 2 and min(transferred, criminal_filed) == -4", pack, values)
    assert _eval("round(pct_change(criminal_filed, transferred), 0) == -300", pack, values)


@pytest.mark.parametrize(
    "text, key",
    [
        ("transferred >=", "syntax"),
        ("transferred @ 1", "syntax"),
        ("(transferred", "syntax"),
        ("transfered > 0", "unknown_field"),
        ("two_law.transferred > 0", "unknown_form"),
        ("summ(transferred) > 0", "unknown_function"),
        ("abs(transferred, 1) > 0", "arity"),
        ("case_stats.penalty > 0", "needs_period"),
        ("transferred.cur > 0", "no_period"),
    ],
)
def test_refusals(pack, text, key):
    with pytest.raises(ExprError) as caught:
        compile_expression(text, pack.forms, "two_law_link")
    assert caught.value.key == key


def test_suggestion_for_a_misspelt_name(pack):
    with pytest.raises(ExprError) as caught:
        compile_expression("criminal_filled > 0", pack.forms, "two_law_link")
    assert caught.value.params["suggest"] == "criminal_filed"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab_.()+-*/<>=!≥≤ 0123456789\"'ifthenelsandortu")), max_size=40))
def test_any_text_parses_or_gives_the_documented_error(text):
    try:
        parse(text)
    except ExprError as exc:
        assert exc.key == "syntax"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_unicode_parses_or_gives_the_documented_error(text):
    try:
        parse(text)
    except ExprError as exc:
        assert exc.key == "syntax"


_NAMES = [
    "transferred",
    "criminal_filed",
    "unit_name",
    "uses_platform",
    "case_stats.fines.cur",
    "sum(support.fines_3y)",
]
_leaf = st.one_of(st.sampled_from(_NAMES), st.integers(-5, 5).map(str), st.just('"是"'))
_expression = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "<", ">=", "==", "and", "or"]), inner).map(" ".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"not {e}"),
        st.tuples(inner, inner, inner).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
        st.tuples(st.sampled_from(["abs", "round", "max", "is_blank"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=8,
)
_value = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from(["是", "否", ""]))


@settings(max_examples=300, deadline=None)
@given(_expression, st.dictionaries(st.sampled_from(_NAMES), _value))
def test_any_well_formed_rule_evaluates_or_gives_the_documented_error(pack, text, given_values):
    from validator.rules.syntax import MESSAGES

    try:
        node = compile_expression(text, pack.forms, "two_law_link")
    except ExprError as exc:
        assert exc.key in MESSAGES
        return

    def lookup(ref):
        raw = given_values.get(ref.field)
        value = (
            Value(cell="X!A1")
            if raw in (None, "")
            else Value(cell="X!A1", number=float(raw))
            if isinstance(raw, int)
            else Value(cell="X!A1", text=raw)
        )
        return [value, value] if ref.many else value

    try:
        evaluate(node, Scope(lookup))
    except (BlankInput, EvalError) as exc:
        assert getattr(exc, "key", "div_zero") in MESSAGES


def test_a_compiled_expression_survives_the_pack_cache(pack):
    """Expression keeps nested functions, which pickle cannot; it is pickled as its tree."""
    import pickle

    from validator.rules.expr import Expression

    values = {"transferred": _v(5), "criminal_filed": _v(2), "criminal_not_filed": Value(cell="X!F6")}
    expression = Expression(compile_expression("transferred >= criminal_filed + 1", pack.forms, "two_law_link"))
    again = pickle.loads(pickle.dumps(expression))
    scope = Scope(lambda ref: values.get(ref.field))
    assert again.run(scope) is True and again.tree == expression.tree
    blank = Expression(compile_expression("transferred >= criminal_not_filed", pack.forms, "two_law_link"))
    with pytest.raises(BlankInput) as caught:
        pickle.loads(pickle.dumps(blank)).run(Scope(lambda ref: values.get(ref.field)))
    assert caught.value.cells == ("X!F6",)


# The expression check reads the forms' columns and makes no Value for an instance that passes:
# the cells of a finding are spelt out only for a failure or a blank.
def test_a_return_that_passes_every_expression_makes_no_cell_value(pack):
    from conftest import SAMPLES

    from validator.read.reader import read_return
    from validator.rules.checks import expression
    from validator.rules.checks.base import Context

    ret, ctx = read_return(str(SAMPLES / "clean.xlsx"), pack), Context(pack, None)
    for rule in (r for r in pack.rules if r.check == "expression"):
        assert {outcome.status for outcome in expression.run(rule, ret, ctx)} <= {"passed", "not_evaluated"}
    assert all(not data.table._values for data in ret.forms.values() if data.table is not None)
