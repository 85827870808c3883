"""validator.read.cells: a column of raw cell values read as figures, dates or words.

A column is read in passes over lists, each distinct value once; a column of one cell directly.
Both ways must read every cell exactly as the cell would be read alone.
"""

from datetime import date, datetime

import pytest

from validator.model import Field
from validator.read.cells import parse_column
from validator.table import Column

COUNT = Field("transferred", "移送案件数", "count")
WAN = Field("fines_3y", "罚没金额", "wan")
DAY = Field("concluded", "办结日期", "date")
WORD = Field("case_no", "案件编号", "text")


def read(field: Field, raws: list) -> tuple:
    column = Column(field, None, "案件清单!C", list(raws))
    bad = parse_column(column)
    return column, bad


def test_figures_as_written():
    column, bad = read(COUNT, [12.0, "1,032,283", " ８ ", "—", "", None, 278.49, "一百"] * 2)
    assert column.numbers == [12.0, 1032283.0, 8.0, None, None, None, 278.49, None] * 2
    assert column.decimals == [0, 0, 0, 0, 0, 0, 2, 0] * 2
    assert bad == {7: ("not_a_number", "一百"), 15: ("not_a_number", "一百")}
    assert column.unreadable == {7, 15}


def test_words_strip_and_blank_marks_are_blank():
    column, bad = read(WORD, ["  XX-2024-0001 ", "—", "无数据", "", " - ", "空", "XX-2024-0002", "是"])
    assert column.texts == ["XX-2024-0001", None, None, None, None, None, "XX-2024-0002", "是"]
    assert bad == {}


def test_words_of_numbers_lose_their_point_zero():
    column, _ = read(WORD, [2024.0, None, 12.5, "—", datetime(2024, 3, 5), "A", "B", "C"])
    assert column.texts == ["2024", None, "12.5", None, "2024-03-05 00:00:00", "A", "B", "C"]


def test_dates_in_every_spelling():
    column, bad = read(
        DAY, [datetime(2024, 3, 5), "2024/3/5", "2024年3月5日", 45356.0, "", "—", "昨天", date(2024, 1, 2)]
    )
    assert column.texts == ["2024-03-05", "2024-03-05", "2024-03-05", "2024-03-05", None, None, None, "2024-01-02"]
    assert bad == {6: ("not_a_date", "昨天")}


def test_true_is_not_one_though_python_says_true_equals_one():
    # read once per distinct value, True and 1.0 would share a reading; they must not
    figures, bad = read(COUNT, [1.0, True, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert figures.numbers[:3] == [1.0, None, 1.0] and bad == {1: ("not_a_number", "True")}
    days, bad = read(DAY, [1.0, True, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert days.texts[:3] == ["1899-12-31", None, "1899-12-31"] and bad == {1: ("not_a_date", "True")}


def test_nan_and_infinity_are_not_figures():
    column, bad = read(WAN, [float("nan"), float("inf"), 1.5, 1.5, 1.5, 1.5, 1.5, 1.5])
    assert column.numbers[:3] == [None, None, 1.5] and set(bad) == {0, 1}


@pytest.mark.parametrize(
    "field, raws",
    [
        (COUNT, [12.0, "1,032,283", "—", "", None, 278.49, "一百", True, float("nan")]),
        (WAN, [278.49, "278.490", "185.3", -1.0]),
        (DAY, [datetime(2024, 3, 5), "2024/3/5", 45356.0, "昨天", "", True]),
        (WORD, ["  A ", "—", 2024.0, None, "", "无数据"]),
    ],
    ids=["count", "wan", "date", "text"],
)
def test_a_column_reads_each_cell_as_it_would_read_alone(field, raws):
    column, bad = read(field, raws)
    for position, raw in enumerate(raws):
        alone, alone_bad = read(field, [raw])
        assert column.parsed[position] == alone.parsed[0], raw
        if column.decimals is not None:
            assert column.decimals[position] == alone.decimals[0], raw
        assert bad.get(position) == alone_bad.get(0), raw


def test_values_are_made_from_the_column():
    column, _ = read(WAN, [278.49, "", "一百", 185.0])
    values = [column.value(i, 7 + i) for i in range(4)]
    assert [(v.cell, v.number, v.decimals, v.slack, v.readable, v.raw) for v in values] == [
        ("案件清单!C7", 278.49, 2, 0.005, True, 278.49),
        ("案件清单!C8", None, 0, 0.0, True, None),
        ("案件清单!C9", None, 0, 0.0, False, "一百"),
        ("案件清单!C10", 185.0, 0, 0.5, True, 185.0),
    ]
    assert [v.blank for v in values] == [False, True, True, False]  # unreadable holds no figure either
