"""Figures as rules compute with them: a value and the half-width of the rounding its written
precision implies (278.49 万元 stands for 278.485–278.495), carried through arithmetic, so that a
comparison gives a rounded figure the benefit of the doubt."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from validator.numbers import format_number


class EvalError(Exception):
    """The expression could not be evaluated on these figures (division by zero, text in sums)."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


class Quantity(NamedTuple):
    """A figure and the half-width of its rounding: 278.49 written with 2 decimals -> ±0.005.
    (A named tuple: every rule on every return makes a few, and a tuple is the cheapest to make.)"""

    value: float
    slack: float = 0.0

    def __str__(self) -> str:
        return format_number(self.value)


def compare(op: str, a: Quantity, b: Quantity) -> bool:
    """True when the comparison could hold for the exact figures behind the rounded ones.

    Exact figures (no rounding) are compared exactly, allowing only for float noise."""
    return holds(COMPARISONS[op], a, b)


def holds(comparison: Callable[[float, float, float], bool], a: Quantity, b: Quantity) -> bool:
    noise = 1e-9 * max(1.0, abs(a.value), abs(b.value))
    rounding = a.slack + b.slack
    loose = rounding + noise  # for <=, >=, ==
    strict = rounding if rounding > 0 else -noise  # for <, >: 3 < 3 is false
    return comparison(a.value - b.value, strict, loose)


COMPARISONS: dict[str, Callable[[float, float, float], bool]] = {
    "<": lambda diff, strict, loose: diff < strict,
    "<=": lambda diff, strict, loose: diff <= loose,
    ">": lambda diff, strict, loose: diff > -strict,
    ">=": lambda diff, strict, loose: diff >= -loose,
    "==": lambda diff, strict, loose: abs(diff) <= loose,
    "!=": lambda diff, strict, loose: abs(diff) > loose,
}


def arithmetic(op: str, a: Quantity, b: Quantity) -> Quantity:
    if op == "+":
        return Quantity(a.value + b.value, a.slack + b.slack)
    if op == "-":
        return Quantity(a.value - b.value, a.slack + b.slack)
    if op == "*":
        return Quantity(a.value * b.value, abs(a.value) * b.slack + abs(b.value) * a.slack + a.slack * b.slack)
    if b.value == 0:
        raise EvalError("div_zero")
    value = a.value / b.value
    room = abs(b.value) - b.slack
    slack = (abs(a.value) * b.slack + abs(b.value) * a.slack) / (abs(b.value) * room) if room > 0 else float("inf")
    return Quantity(value, slack)
