"""provenance.coverage_by_category: the CompStat's coverage of every category at once is exactly
what `monthly_coverage` says per category (it replaced a loop that took most of a Trends run)."""

import datetime as dt

import duckdb
import pandas as pd
import pytest

from ivpdata import provenance, queries

PERIODS = [
    (dt.date(2024, 1, 1), dt.date(2024, 12, 1)),
    (dt.date(2025, 7, 1), dt.date(2025, 9, 1)),
    (dt.date(2010, 1, 1), dt.date(2010, 3, 1)),  # before any row
]


def _per_category(counts: pd.DataFrame, period: tuple) -> dict[str, provenance.Coverage]:
    return {
        code: provenance.monthly_coverage(counts[counts["category_code"] == code], period)
        for code in counts["category_code"].unique()
    }


@pytest.mark.parametrize("gemeente", ["GM0505", "GM0388"])
def test_every_category_as_monthly_coverage_says_on_the_default_data(built_db, gemeente):
    with duckdb.connect(str(built_db), read_only=True) as con:
        codes = queries.category_options(con, gemeente).query("option_kind == 'categorie'")["option_code"]
        counts = queries.target_month_counts(con, gemeente, [gemeente], list(codes))
    assert not counts.empty
    for period in PERIODS:
        assert provenance.coverage_by_category(counts, period) == _per_category(counts, period)


def test_mixed_rows_missing_months_and_unknown_buurten():
    counts = pd.DataFrame(
        {
            "year": [2025, 2025, 2025, 2025, 2025],
            "month": [1, 1, 2, 3, 1],
            "category_code": ["A", "A", "A", "B", "C"],
            "real_rows": [3, 1, 0, 2, 0],
            "demo_rows": [0, 2, 5, 0, 1],
            "buurten": [7.0, 7.0, 7.0, float("nan"), 4.0],
        }
    )
    period = (dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    found = provenance.coverage_by_category(counts, period)
    assert found == _per_category(counts, period)
    assert found["A"] == provenance.Coverage(4, 7, 8, 14)  # Jan: best row 3, Feb: 5; 7 buurten x 2 months
    assert found["B"] == provenance.Coverage(expected_cells=2)  # no row inside, buurten unknown: 1
    assert provenance.coverage_by_category(counts, None) == {}


def _reasons_row_by_row(frame: pd.DataFrame, prefix: str) -> list[str]:
    return [
        provenance.reason(provenance.row_coverage(row), provenance.row_coverage(row, prefix), "nu", "eerder")
        for row in frame.to_dict("records")
    ]


def test_reasons_are_those_of_each_row():
    """Comparable rows say '', the others why; NaN counts as 0; without its own expected_cells the
    earlier period uses the row's."""
    frame = pd.DataFrame(
        {
            "real_rows": [0, 0, 5, 2, 0, float("nan")],
            "demo_rows": [4, 4, 0, 2, 3, 2],
            "cells": [10, 9, 10, 10, 10, 10],
            "expected_cells": [10, 10, 10, 10, 10, 10],
            "comparison_real_rows": [0, 0, 0, 2, 0, 0],
            "comparison_demo_rows": [6, 6, 7, 1, 0, 1],
            "comparison_cells": [10, 10, 10, 10, 0, 10],
        }
    )
    found = provenance.reasons(frame, "nu", "eerder")
    assert list(found) == _reasons_row_by_row(frame, "comparison_")
    assert [text == "" for text in found] == [True, False, False, True, False, True]
    assert "onvolledig" in found[1]
