import datetime as dt
from typing import Any

import pandas as pd
import pytest

from ivpdata import formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.5, 1, "1.234,5"), (8270, 0, "8.270"), (-1234, 0, "-1.234"), (0.25, 2, "0,25"), (None, 0, "–")],
)
def test_number(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_numbers_round_as_babels_dutch_pattern_does():
    """The fast formatter gives babel's nl_NL text for every kind of value a table holds: ties
    (0.15, 2.675), negatives, zero, NumPy numbers, large and tiny values."""
    import random

    import numpy as np
    from babel.numbers import format_decimal

    draw = random.Random(20261205)
    values: list[Any] = [0, -0.0, 0.5, 1.5, 2.5, -0.5, -0.04, 0.15, 2.675, 999.95, 1e-7, 1e7]
    values += [np.float64(2.675), np.int64(-12), np.float32(0.1), 123456789.125]
    values += [round(draw.uniform(-1e5, 1e5), draw.randint(0, 4)) for _ in range(3000)]
    for value in values:
        for decimals in range(4):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            expected = format_decimal(value, format=pattern, locale="nl_NL")
            assert formatting.number(value, decimals) == expected, (value, decimals)


def test_changes_carry_their_sign():
    assert formatting.signed(12) == "+12"
    assert formatting.signed(-1308) == "-1.308"
    assert formatting.percent(-0.576) == "-58%"
    assert formatting.percent(0.85, sign=True) == "+85%"
    assert formatting.change_percent(-0.005) == "-0,5%"
    assert formatting.change_percent(0.372) == "+37%"


def test_published_values_read_as_published():
    assert formatting.published_value(3_000_000, "euro", "meer dan") == "meer dan € 3.000.000"
    assert formatting.published_value(229258.79, "euro") == "€ 229.258,79"
    assert formatting.published_value(1005.6, "gram") == "1.005,6 gram"
    assert formatting.published_value(-41, "procent") == "-41%"
    assert formatting.published_value(50, "aantal", "circa") == "circa 50"


def test_date():
    assert formatting.date(dt.date(2026, 11, 22)) == "22 november 2026"


def test_tables_show_dutch_numbers_but_keep_numeric_values():
    import pandas as pd

    frame = pd.DataFrame({"Gebied": ["Wielwijk", "Binnenstad"], "Aantal": [1053, 972], "Per 1.000": [73.44, 104.66]})
    styled = formatting.dutch_table(frame, {"Per 1.000": 1})
    html = styled.to_html()
    assert "1.053" in html and "73,4" in html and "104,7" in html
    assert styled.data["Aantal"].tolist() == [1053, 972]  # the browser sorts these, not the text


def test_dutch_table_shows_a_public_views_labels_among_numbers_as_dutch_text():
    frame = pd.DataFrame({"Gebied": ["A", "B", "C"], "Aantal": [1234, "< 5", 12.0], "Per 1.000": [1.25, "x", 3.0]})
    data = formatting.dutch_table(frame, {"Per 1.000": 1}).data
    assert list(data["Aantal"]) == ["1.234", "< 5", "12"]
    assert list(data["Per 1.000"]) == ["1,2", "x", "3,0"]


def test_a_count_with_its_noun():
    assert formatting.counted(1, "rij", "rijen") == "1 rij"
    assert formatting.counted(1234, "rij", "rijen") == "1.234 rijen"
    assert formatting.counted(0, "rij", "rijen") == "0 rijen"
