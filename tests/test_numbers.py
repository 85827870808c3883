"""Reading figures as typed: any input is a figure, blank, or NotAFigure — nothing else escapes."""

import math
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.numbers import Figure, NotAFigure, format_number, parse_figure, parse_percent


@pytest.mark.parametrize(
    "raw, figure",
    [
        (5, Figure(5.0, 0)),
        (278.49, Figure(278.49, 2)),
        ("1,032,283", Figure(1032283.0, 0)),
        ("１２３", Figure(123.0, 0)),
        (" 12 ", Figure(12.0, 0)),
        ("-5", Figure(-5.0, 0)),
        ("185.40", Figure(185.4, 2)),
        ("－3", Figure(-3.0, 0)),
    ],
)
def test_figures(raw, figure):
    assert parse_figure(raw) == figure


@pytest.mark.parametrize("raw", [None, "", "  ", "—", "-", "/", "——", "－"])
def test_blanks(raw):
    assert parse_figure(raw) is None


@pytest.mark.parametrize("raw", ["abc", "1,03", "12a", True, datetime(2024, 1, 1), float("nan"), "1e5", "八十"])
def test_not_figures(raw):
    with pytest.raises(NotAFigure):
        parse_figure(raw)


@pytest.mark.parametrize(
    "raw, figure",
    [
        ("+10.9%", Figure(10.9, 1)),
        ("16.4%", Figure(16.4, 1)),
        ("-100%", Figure(-100.0, 0)),
        (0.109, Figure(10.9, 1)),
        ("０％", Figure(0.0, 0)),
        (1, Figure(100.0, 0)),
    ],
)
def test_percentages(raw, figure):
    assert parse_percent(raw) == figure


def test_percent_without_sign_is_not_a_percentage():
    with pytest.raises(NotAFigure):
        parse_percent("12")


def test_format_number():
    assert [format_number(2784900.0), format_number(10.25), format_number(-0.0), format_number(3.5, 2)] == [
        "2784900",
        "10.25",
        "0",
        "3.50",
    ]


@given(st.one_of(st.none(), st.integers(), st.floats(), st.text(), st.booleans(), st.datetimes()))
def test_any_input_is_figure_blank_or_not_a_figure(raw):
    for parse in (parse_figure, parse_percent):
        try:
            result = parse(raw)
        except NotAFigure:
            continue
        assert result is None or (isinstance(result, Figure) and not math.isnan(result.number) and result.decimals >= 0)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_written_decimals_survive(number):
    text = f"{number:,.2f}"
    assert parse_figure(text) == Figure(float(f"{number:.2f}"), 2)
