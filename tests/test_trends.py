"""Trend series, CompStat and "Wat valt op" on constructed data; the trend chart via its spec."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from ivpdata import charts, periods, significance, trends


def _counts(target: str, months: dict[tuple[int, int], int], category: str = "1.1.1", provisional_from=None):
    rows = [
        {
            "target_code": target,
            "year": year,
            "month": month,
            "category_code": category,
            "incident_count": count,
            "is_provisional": provisional_from is not None and (year, month) >= provisional_from,
            "is_demo": True,
        }
        for (year, month), count in months.items()
    ]
    return pd.DataFrame(rows)


def _population(target: str, values: dict[int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"target_code": target, "year": y, "inhabitants": v, "is_demo": True} for y, v in values.items()]
    )


TWO_YEARS = {(y, m): (m if y == 2023 else 2 * m) for y in (2023, 2024) for m in range(1, 13)}  # 78 and 156


def test_monthly_quarterly_yearly_sums():
    counts, population = _counts("A", TWO_YEARS), _population("A", {2023: 1000, 2024: 2000})
    monthly = trends.series(counts, population, "month")
    assert len(monthly) == 24 and monthly["value"].sum() == 78 + 156
    quarterly = trends.series(counts, population, "quarter")
    assert list(quarterly["value"][:4]) == [6, 15, 24, 33]
    yearly = trends.series(counts, population, "year", "per_1000")
    assert list(yearly["incident_count"]) == [78, 156]
    assert list(yearly["value"]) == [pytest.approx(78.0), pytest.approx(78.0)]  # 156 per 2,000


def test_rolling_twelve_months_and_index():
    counts, population = _counts("A", TWO_YEARS), _population("A", {2023: 1000, 2024: 1000})
    rolling = trends.series(counts, population, "month", rolling_12=True)
    assert rolling["incident_count"].iloc[:11].isna().all()
    assert rolling["incident_count"].iloc[11] == 78  # Jan-Dec 2023
    assert rolling["incident_count"].iloc[12] == 78 - 1 + 2  # Feb 2023 - Jan 2024
    assert rolling["incident_count"].iloc[-1] == 156
    indexed = trends.series(counts, population, "year", index_base_year=2023)
    assert list(indexed["value"]) == [pytest.approx(100.0), pytest.approx(200.0)]


def test_a_year_still_running_is_incomplete_and_shown_as_provisional():
    months = {(2024, m): 10 for m in range(1, 13)} | {(2025, m): 10 for m in range(1, 7)}
    counts = _counts("A", months, provisional_from=(2025, 6))
    yearly = trends.series(counts, _population("A", {2024: 100, 2025: 100}), "year")
    assert list(yearly["is_complete"]) == [True, False]
    assert list(yearly["is_provisional"]) == [False, True]
    data = trends.chart_data(
        {"alle": counts}, _population("A", {2024: 100, 2025: 100}), "year", "count", False, None, {"A": "Gebied A"},
        {"alle": "Alle"},
    )  # fmt: skip
    assert list(data["Reeks"]) == ["Gebied A", "Gebied A"]
    assert list(data["is_provisional"]) == [False, True]


def test_several_options_get_their_own_series():
    counts = {"a": _counts("A", TWO_YEARS), "b": _counts("A", TWO_YEARS, category="2.2.1")}
    data = trends.chart_data(
        counts, _population("A", {2023: 1, 2024: 1}), "year", "count", False, None, {"A": "Wijk A"},
        {"a": "Inbraak", "b": "Vernieling"},
    )  # fmt: skip
    assert set(data["Reeks"]) == {"Wijk A · Inbraak", "Wijk A · Vernieling"}


def test_compstat_marks_only_significant_changes():
    # Category X: 40 in Jan 2025 against 10 in Jan 2024 (significant); Y: 8 against 4 (not).
    rows = []
    for year, x, y in ((2024, 10, 4), (2025, 40, 8)):
        rows.append(_counts("T", {(year, 1): x}, "X"))
        rows.append(_counts("T", {(year, 1): y}, "Y"))
    counts = pd.concat(rows, ignore_index=True)
    windows = periods.compstat_windows(dt.date(2025, 1, 1))
    table = trends.compstat(counts, windows, 0.05, {"X": "Iks", "Y": "IJ"})
    month = table[table["window"] == "Deze maand"].set_index("category_code")
    assert month.loc["X", "verdict"] == significance.RISE
    assert month.loc["Y", "verdict"] == significance.NEUTRAL
    assert month.loc["X", "change"] == pytest.approx(300.0)
    matrix = trends.compstat_matrix(table, windows, ["Y", "X"])
    assert list(matrix["Categorie"]) == ["IJ", "Iks"]
    assert matrix.loc[1, "Deze maand"] == "40 (+300%) ▲"
    assert matrix.loc[0, "Deze maand"] == "8 (+100%)"  # no mark: within chance
    styles = trends.verdict_styles(matrix)
    assert "background-color" in styles.loc[1, "Deze maand"] and "background" not in styles.loc[0, "Deze maand"]


def test_notable_changes_correct_for_many_tests():
    # One real change among 200 pairs of noise-free equal counts, plus one that is significant on
    # its own (p ~ 0.02) but not after correcting for 202 tests.
    rows = [{"area_code": f"B{i}", "area_name": f"Buurt {i}", "category_code": "c", "category_name": "Cat",
             "incident_count": 20, "comparison_count": 20} for i in range(200)]  # fmt: skip
    rows.append({"area_code": "HOT", "area_name": "Heet", "category_code": "c", "category_name": "Cat",
                 "incident_count": 90, "comparison_count": 30})  # fmt: skip
    rows.append({"area_code": "LUCKY", "area_name": "Geluk", "category_code": "c", "category_name": "Cat",
                 "incident_count": 30, "comparison_count": 15})  # fmt: skip
    rows.append({"area_code": "SMALL", "area_name": "Klein", "category_code": "c", "category_name": "Cat",
                 "incident_count": 9, "comparison_count": 0})  # fmt: skip
    changes = pd.DataFrame(rows)
    assert significance.p_value(30, 15) < 0.05
    notable = trends.notable_changes(changes, 0.05, min_count=10, limit=5)
    assert list(notable["area_code"]) == ["HOT"]
    assert trends.notable_text(notable.iloc[0]) == "▲ **Heet**, Cat: 30 → 90 (+200%)"
    link = trends.map_link(notable.iloc[0])
    assert link == {"wat": "c", "niveau": "buurt", "maat": "change", "selectie": "HOT"}


def test_trend_chart_spec():
    data = pd.DataFrame(
        {
            "Reeks": ["A"] * 4,
            "Periode": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]),
            "Waarde": [10.0, 12.0, 11.0, 13.0],
            "is_provisional": [False, False, False, True],
        }
    )
    lockdowns = pd.DataFrame([{"name": "Lockdown", "start": "2020-03-15", "end": "2020-05-31", "intensity": 1}])
    markers = pd.DataFrame({"Datum": [pd.Timestamp("2022-09-01")], "Maatregel": ["Aanpak"]})
    spec = charts.trend_chart(data, "Titel", "Aantal", ",.0f", lockdowns, markers, "%Y").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "line", "line", "point", "rule"]
    dashed = spec["layer"][2]
    assert dashed["mark"]["strokeDash"] == [6, 4]
    values = next(v for v in spec["datasets"].values() if len(v) == 4 and "Voorlopig" in v[0])
    # the dashed line starts at the last definitive year, so the line does not break
    assert [v["Voorlopig"] for v in values] == [None, None, 11.0, 13.0]
    assert [v["Definitief"] for v in values] == [10.0, 12.0, 11.0, None]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "voorlopige" in spec["title"]["subtitle"] and "maatregel" in spec["title"]["subtitle"]
    assert "http" not in json.dumps(spec["layer"])


def test_measure_markers_and_note_dates():
    notes = pd.DataFrame(
        {
            "note_id": ["a", "b", "c"],
            "kind": ["maatregel", "maatregel", "citaat"],
            "note_date": [pd.Timestamp("2022-09-01"), None, None],
            "date_note": ["ca.", None, None],
            "text": ["NPLV", "zonder datum", "citaat"],
        }
    )
    markers = trends.measure_markers({"x": notes, "y": notes})
    assert list(markers["Maatregel"]) == ["NPLV"]  # once, though two areas share it
    assert trends.note_when(pd.Timestamp("2022-09-01"), "vanaf einde zomer") == "ca. september 2022"
    assert trends.note_when(pd.Timestamp("2022-09-01"), None) == "1 september 2022"
    assert trends.note_when(None, None) == ""


def test_compstat_export_gives_exact_dates_across_a_leap_day():
    counts = pd.concat([_counts("T", {(2023, 2): 5}, "X"), _counts("T", {(2024, 2): 9}, "X")], ignore_index=True)
    table = trends.compstat(counts, periods.compstat_windows(dt.date(2024, 2, 1)), 0.05, {"X": "Iks"})
    month = trends.compstat_export(table).set_index("Periode").loc["Deze maand"]
    assert (month["Van"], month["Tot en met"]) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert (month["Vergeleken met (van)"], month["Vergeleken met (tot en met)"]) == (
        dt.date(2023, 2, 1), dt.date(2023, 2, 28),
    )  # fmt: skip
    assert (month["Aantal"], month["Een jaar eerder"]) == (9, 5)
