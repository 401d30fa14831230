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


def test_months_without_any_row_are_gaps_not_zeros():
    """A month no file covered (no row at all, as after a partial import in a gemeente without demo
    data) is missing, never 0: a gap in the line, an incomplete quarter, no rolling sum across it."""
    covered = {month: count for month, count in TWO_YEARS.items() if month not in {(2023, 4), (2023, 5), (2023, 6)}}
    counts, population = _counts("A", covered), _population("A", {2023: 1000, 2024: 1000})
    monthly = trends.series(counts, population, "month").set_index("period_start")
    assert monthly.loc["2023-04-01":"2023-06-01", "value"].isna().all()
    assert monthly.loc["2023-03-01", "value"] == 3 and monthly.loc["2023-07-01", "value"] == 7
    quarterly = trends.series(counts, population, "quarter").set_index("period_start")
    assert pd.isna(quarterly.loc["2023-04-01", "value"])  # no month of the quarter: no figure
    assert not quarterly.loc["2023-04-01", "is_complete"] and quarterly.loc["2023-07-01", "is_complete"]
    note = trends.gaps_note({"misdrijven": counts}, {"A": "Wielwijk (wijk)"})
    assert note == "Geen cijfers voor Wielwijk (wijk): apr 2023 - jun 2023; de lijn gaat daar zonder waarde door."
    assert trends.gaps_note({"misdrijven": _counts("A", TWO_YEARS)}, {"A": "Wielwijk (wijk)"}) == ""
    rolling = trends.series(counts, population, "month", rolling_12=True).set_index("period_start")
    assert rolling.loc["2023-04-01":"2024-05-01", "incident_count"].isna().all()  # no year without a gap
    assert rolling.loc["2024-06-01", "incident_count"] == sum(2 * m for m in range(1, 7)) + sum(range(7, 13))


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
        {"alle": counts},
        _population("A", {2024: 100, 2025: 100}),
        "year",
        "count",
        False,
        None,
        {"A": "Gebied A"},
        {"alle": "Alle"},
    )
    assert list(data["Reeks"]) == ["Gebied A", "Gebied A"]
    assert list(data["is_provisional"]) == [False, True]


def test_several_options_get_their_own_series():
    counts = {"a": _counts("A", TWO_YEARS), "b": _counts("A", TWO_YEARS, category="2.2.1")}
    data = trends.chart_data(
        counts,
        _population("A", {2023: 1, 2024: 1}),
        "year",
        "count",
        False,
        None,
        {"A": "Wijk A"},
        {"a": "Inbraak", "b": "Vernieling"},
    )
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
    month = table[table["window"] == "Peilmaand"].set_index("category_code")
    assert month.loc["X", "verdict"] == significance.RISE
    assert month.loc["Y", "verdict"] == significance.NEUTRAL
    assert month.loc["X", "change"] == pytest.approx(300.0)
    matrix = trends.compstat_matrix(table, windows, ["Y", "X"])
    assert list(matrix["Categorie"]) == ["IJ", "Iks"]
    assert matrix.loc[1, "Peilmaand"] == "40 (+30; +300%) ▲"  # now (absolute; % change), marked
    assert matrix.loc[0, "Peilmaand"] == "8 (+4; +100%)"  # no mark: within chance
    styles = trends.verdict_styles(matrix)
    assert "background-color" in styles.loc[1, "Peilmaand"] and "background" not in styles.loc[0, "Peilmaand"]


def _table_of_many_cells() -> pd.DataFrame:
    """35 categories: 33 unchanged (20 a month in 2024 and 2025), 'NEW' going from nothing to 6 in
    December 2025 and 'HOT' from 20 to 60 a month: a CompStat table of 35 x 4 = 140 cells."""
    steady = {(y, m): 20 for y in (2024, 2025) for m in range(1, 13)}
    hot = {(2024, m): 20 for m in range(1, 13)} | {(2025, m): 60 for m in range(1, 13)}
    frames = [_counts("T", steady, f"C{i:02d}") for i in range(33)]
    frames += [_counts("T", {(2025, 12): 6}, "NEW"), _counts("T", hot, "HOT")]
    return pd.concat(frames, ignore_index=True)


def test_compstat_corrects_the_tests_of_one_table_for_each_other():
    # 0 -> 6 is significant on its own (p = 2 * 0.5**6 = 0.03), but among the 140 tests of one table,
    # at 5% seven unchanged cells would be marked by chance: Benjamini-Hochberg, as "Wat valt op".
    windows = periods.compstat_windows(dt.date(2025, 12, 1))
    raw = trends.compstat(_table_of_many_cells(), windows, 0.05, {"NEW": "Nieuw", "HOT": "Heet"})
    assert len(raw) == 140
    assert set(raw.loc[raw["category_code"] == "NEW", "verdict"]) == {significance.RISE}  # uncorrected
    table = trends.corrected(raw, 0.05)
    cells = table.set_index(["category_code", "window"])
    assert set(cells.loc["NEW", "verdict"]) == {significance.NEUTRAL}
    assert set(cells.loc["HOT", "verdict"]) == {significance.RISE}  # a real change stays marked
    assert (table["adjusted_p"] >= table["p_value"]).all()
    matrix = trends.compstat_matrix(table, windows, ["NEW", "HOT"]).set_index("Categorie")
    assert matrix.loc["Nieuw", "Peilmaand"] == "6 (+6; nieuw)"  # no mark
    assert matrix.loc["Heet", "Peilmaand"].endswith("▲")
    caption = trends.compstat_caption("Wijk *Oost*", dt.date(2025, 12, 1), 0.05, table)
    assert "gecorrigeerd voor de 140 toetsen in deze tabel (Benjamini-Hochberg" in caption
    assert caption.startswith("Wijk \\*Oost\\* · peilmaand december 2025")  # outside text stays literal
    export = trends.compstat_export(table).set_index(["Categorie", "Periode"])
    assert export.loc[("Nieuw", "Peilmaand"), "Oordeel"] == significance.NEUTRAL
    # BH: the 4 NEW cells rank 5-8 of 140 after the 4 HOT ones, p * 140 / 8 = 0.55
    assert export.loc[("Nieuw", "Peilmaand"), "p-waarde gecorrigeerd"] == pytest.approx(2 * 0.5**6 * 140 / 8, abs=1e-4)


def test_compstat_correction_leaves_hidden_and_empty_cells_untested():
    # A public view's hidden cells ('x') are neither tested nor counted; nor are cells without incidents.
    table = pd.DataFrame(
        {
            "category_code": ["A", "B", "C", "D"],
            "current": [30, "< 5", 0, 12],
            "earlier": [12, 7, 0, 12],
            "p_value": [float(significance.p_value(30, 12)), "x", 1.0, 1.0],
            "verdict": [significance.RISE, "x", significance.NEUTRAL, significance.NEUTRAL],
        }
    )
    result = trends.corrected(table, 0.05)
    assert list(result["verdict"]) == [significance.RISE, "x", significance.NEUTRAL, significance.NEUTRAL]
    assert result.loc[0, "adjusted_p"] == pytest.approx(significance.p_value(30, 12) * 2)  # two tests
    assert result.loc[1, "adjusted_p"] == "x" and pd.isna(result.loc[2, "adjusted_p"])
    assert "2 toetsen" in trends.compstat_caption("Gebied", dt.date(2025, 12, 1), 0.05, result)


def _pair(
    area_code: str, area_name: str, category: str, now: int, before: int, category_name: str | None = None
) -> dict[str, object]:
    """One row of `trends.notable_changes` input: an area's count now and in the comparison period."""
    return {
        "area_code": area_code,
        "area_name": area_name,
        "category_code": category,
        "category_name": category_name or category,
        "incident_count": now,
        "comparison_count": before,
    }


def test_notable_changes_correct_for_many_tests():
    # One real change among 200 pairs of noise-free equal counts, plus one that is significant on
    # its own (p ~ 0.02) but not after correcting for 202 tests.
    rows = [_pair(f"B{i}", f"Buurt {i}", "c", 20, 20, category_name="Cat") for i in range(200)]
    rows += [
        _pair("HOT", "Heet", "c", 90, 30, category_name="Cat"),
        _pair("LUCKY", "Geluk", "c", 30, 15, category_name="Cat"),
        _pair("SMALL", "Klein", "c", 9, 0, category_name="Cat"),
    ]
    changes = pd.DataFrame(rows)
    assert significance.p_value(30, 15) < 0.05
    notable = trends.notable_changes(changes, 0.05, min_count=10, limit=5)
    assert list(notable["area_code"]) == ["HOT"]
    assert trends.notable_text(notable.iloc[0]) == "▲ **Heet**, Cat: 30 → 90 (+200%)"


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
    subtitle = " ".join(spec["title"]["subtitle"])  # in short lines
    assert "voorlopige" in subtitle and "maatregel" in subtitle
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
    month = trends.compstat_export(table).set_index("Periode").loc["Peilmaand"]
    assert (month["Van"], month["Tot en met"]) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert (month["Vergeleken met (van)"], month["Vergeleken met (tot en met)"]) == (
        dt.date(2023, 2, 1),
        dt.date(2023, 2, 28),
    )
    assert (month["Aantal"], month["Een jaar eerder"]) == (9, 5)


def _row(current, earlier, verdict=significance.NEUTRAL, change=None, difference=None) -> pd.Series:
    numbers = not isinstance(current, str) and not isinstance(earlier, str)
    if difference is None:
        difference = current - earlier if numbers else "x"
    if change is None:
        change = (current - earlier) / earlier * 100 if numbers and earlier else (float("nan") if numbers else "x")
    return pd.Series(
        {"current": current, "earlier": earlier, "difference": difference, "change": change, "verdict": verdict}
    )


def test_compstat_cells_give_count_absolute_and_percent_change():
    assert trends.compstat_cell(_row(140, 123, significance.RISE)) == "140 (+17; +14%) ▲"
    assert trends.compstat_cell(_row(1234, 1300, significance.FALL)) == "1.234 (-66; -5,1%) ▼"  # Dutch numbers
    assert trends.compstat_cell(_row(25, 25)) == "25 (0; 0%)"
    assert trends.compstat_cell(_row(6, 0, significance.RISE)) == "6 (+6; nieuw) ▲"
    assert trends.compstat_cell(_row(0, 0)) == "0 (0)"
    # public view: a hidden count says nothing more; a hidden earlier count hides the change
    assert trends.compstat_cell(_row("< 5", 12, "x", "x", "x")) == "< 5"
    assert trends.compstat_cell(_row(12, "< 5", "x")) == "12 (x)"


def test_compstat_screen_and_export_agree():
    before = _counts("T", {(2024, m): 10 + m for m in range(1, 13)}, "X")
    counts = pd.concat([before, _counts("T", {(2025, m): 20 for m in range(1, 7)}, "X")], ignore_index=True)
    windows = periods.compstat_windows(dt.date(2025, 6, 1))
    table = trends.compstat(counts, windows, 0.05, {"X": "Iks"})
    matrix = trends.compstat_matrix(table, windows, ["X"]).set_index("Categorie")
    for row in trends.compstat_export(table).itertuples():
        cell = matrix.loc[row.Categorie, row.Periode]
        shown = f"{row.Aantal} ({'+' if row.Verschil > 0 else ''}{row.Verschil}; "
        assert cell.startswith(shown), (cell, shown)
        assert row.Aantal - row._8 == row.Verschil  # Een jaar eerder
    ytd = trends.compstat_export(table).set_index("Periode").loc["Jaar tot peilmaand"]
    assert (ytd["Aantal"], ytd["Een jaar eerder"], ytd["Verschil"]) == (120, 81, 39)


def test_provisional_months_label_the_compstat_columns_and_export():
    months = {(2024, m): 10 for m in range(1, 13)} | {(2025, m): 10 for m in range(1, 13)}
    counts = _counts("T", months, "X", provisional_from=(2025, 10))
    windows = periods.compstat_windows(dt.date(2025, 12, 1))
    provisional = trends.provisional_windows(counts, windows)
    assert provisional["Peilmaand"] == [dt.date(2025, 12, 1)]
    assert len(provisional["Laatste 12 maanden"]) == 3
    headers = trends.compstat_headers(windows, provisional)
    assert headers["Peilmaand"] == "Peilmaand (voorl.)"
    note = trends.provisional_note(provisional)
    assert note.startswith("Voorlopig: oktober 2025 t/m december 2025.")
    export = trends.compstat_export(trends.compstat(counts, windows, 0.05, {"X": "Iks"}), provisional)
    assert set(export["Voorlopig"]) == {"ja"}
    # a reference month before the provisional ones: nothing labelled
    earlier = periods.compstat_windows(dt.date(2025, 6, 1))
    none = trends.provisional_windows(counts, earlier)
    assert list(trends.compstat_headers(earlier, none).values()) == [
        "Peilmaand",
        "Laatste 3 mnd",
        "Jaar t/m peilmaand",
        "Laatste 12 mnd",
    ]  # short, so that the table's columns fit a 1400 px window
    assert trends.provisional_note(none) == ""
    assert trends.months_text([dt.date(2025, 3, 1), dt.date(2025, 5, 1)]) == "maart 2025, mei 2025"


PERIOD = (dt.date(2024, 7, 1), dt.date(2025, 6, 1))
COMPARISON = (dt.date(2023, 7, 1), dt.date(2024, 6, 1))


def test_the_caption_names_the_pairs_tested_and_those_too_small():
    changes = pd.DataFrame({"incident_count": [40, 3, 0, 12], "comparison_count": [10, 4, 9, 2]})
    assert list(trends.testable(changes, 10)) == [True, False, False, True]
    caption = trends.notable_caption(PERIOD, COMPARISON, 1234, 0.05, 2345, 10)
    assert "1.234 combinaties tegelijk zijn getoetst" in caption
    assert "2.345 combinaties met minder dan 10 incidenten in beide periodes zijn niet getoetst" in caption
    assert "jul 2023 - jun 2024 naar jul 2024 - jun 2025" in caption
    assert "voorlopig" in trends.notable_caption(PERIOD, COMPARISON, 1, 0.05, provisional=True)


def _pairs(category: str, counts: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame([_pair(f"B{i}", f"Buurt {i}", category, now, before) for i, (now, before) in enumerate(counts)])


def test_public_notable_hides_small_counts_and_leaves_sensitive_categories_out():
    from ivpdata import disclosure

    rules = disclosure.Rules()
    # B0 falls from 40 to 3: significant, but 3 is small. Zedenmisdrijf (1.4.1) rises in B0: left out.
    changes = pd.concat(
        [_pairs("OVL", [(3, 40), *[(20, 20)] * 30]), _pairs("1.4.1", [(60, 10), (0, 0)])], ignore_index=True
    )
    notable = trends.notable_changes(changes, 0.05, 10, len(changes))
    assert set(notable["category_code"]) == {"OVL", "1.4.1"}
    shown, notes = trends.public_notable(notable, changes, rules, limit=6)
    assert list(shown["category_code"]) == ["OVL"]
    row = shown.iloc[0]
    assert (row["comparison_count"], row["incident_count"], row["change"]) == (40, "< 5", "x")
    assert trends.notable_text(row) == "▼ **Buurt 0**, OVL: 40 → < 5"  # no percentage: it gives the 3 away
    assert any("alleen per wijk" in note and "niet in deze lijst" in note for note in notes)
    assert any(note.startswith("< 5: minder dan 5") for note in notes)
    # the analysts' text is unchanged
    assert (
        trends.notable_text(notable[notable["category_code"] == "OVL"].iloc[0]) == "▼ **Buurt 0**, OVL: 40 → 3 (-92%)"
    )


def test_public_notable_protects_a_count_the_kaart_hides_as_a_complement():
    """One small count among the buurten of a category and a public total: another count is hidden
    ('x') so the small one cannot be worked out; "Wat valt op" must not show that one either."""
    from ivpdata import disclosure

    rules = disclosure.Rules()
    # B0 fell to 3 (small); B1 fell to 12, the smallest count above the threshold: its complement.
    changes = _pairs("OVL", [(3, 30), (12, 45), *[(20, 20)] * 10])
    notable = trends.notable_changes(changes, 0.05, 10, len(changes))
    assert list(notable["area_code"]) == ["B1", "B0"]
    protected = disclosure.protect_table(
        changes[["area_code", "incident_count", "comparison_count"]],
        ["incident_count", "comparison_count"],
        rules,
        lines=[[]],
    )
    kaart = protected.frame.set_index("area_code")["incident_count"]
    assert (kaart["B0"], kaart["B1"]) == ("< 5", "x")
    shown, notes = trends.public_notable(notable, changes, rules, limit=6)
    assert list(shown["incident_count"]) == ["x", "< 5"]  # as the public Kaart shows them
    assert trends.notable_text(shown.iloc[0]) == "▼ **Buurt 1**, OVL: 45 → x"
    assert any(note.startswith("x: afgeschermd") for note in notes)


def test_the_view_window_keeps_overlapping_periods_and_markers():
    years = pd.DataFrame({"year": [2025, 2024], "months": [6, 12], "last_month": [6, 12]})
    months = trends.view_months(years)
    assert (months[0], months[-1], len(months)) == (dt.date(2024, 1, 1), dt.date(2025, 6, 1), 18)
    assert trends.first_month(pd.DataFrame({"year": [2017, 2018], "months": [4, 12], "last_month": [12, 12]})) == (
        dt.date(2017, 9, 1)
    )
    data = pd.DataFrame({"Periode": pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"])})
    window = (dt.date(2024, 7, 1), dt.date(2025, 2, 1))
    assert list(trends.in_view(data, window, "year")["Periode"].dt.year) == [2024, 2025]
    quarters = pd.DataFrame({"Periode": pd.to_datetime(["2024-04-01", "2024-07-01", "2025-01-01", "2025-04-01"])})
    assert len(trends.in_view(quarters, window, "quarter")) == 2
    markers = pd.DataFrame(
        {"Datum": pd.to_datetime(["2024-06-30", "2025-02-28", "2025-03-01"]), "Maatregel": list("abc")}
    )
    assert list(trends.markers_in_view(markers, window)["Maatregel"]) == ["b"]


def test_wat_valt_op_says_a_change_on_a_small_base_as_counts_only():
    """One rule with the Kaart and the PDF: 1 → 48 is not '+4.700%'."""
    row = {
        "difference": 47,
        "change": 47.0,
        "area_name": "Buurt",
        "category_name": "Cat",
        "comparison_count": 1,
        "incident_count": 48,
    }
    assert trends.notable_text(row, minimum=10) == "▲ **Buurt**, Cat: 1 → 48"
    assert trends.notable_text(row | {"comparison_count": 12, "incident_count": 48}, minimum=10).endswith("(+300%)")


def _profile_counts(before: int, now: int) -> pd.DataFrame:
    """target_month_counts of an area (all in January) and a city of ten times as much."""
    return pd.DataFrame(
        {
            "target_code": ["WK1", "WK1", "GM1", "GM1"],
            "year": [2024, 2025, 2024, 2025],
            "month": [1, 1, 1, 1],
            "incident_count": [before, now, before * 10, now * 10],
        }
    )


def test_the_wijkprofiel_shows_no_percentage_on_a_base_under_the_minimum():
    """13 against 4 is +9, not +225%: the rule of changes.min_base, as the Kaart and the PDF say it."""
    counts = {"small": _profile_counts(4, 13), "large": _profile_counts(20, 30)}
    population = pd.DataFrame({"target_code": ["WK1", "GM1"], "year": [2025, 2025], "inhabitants": [1000, 10000]})
    table = trends.profile_figures(counts, population, "WK1", "GM1", 2025, {}, 0.05, minimum=10).set_index("Onderwerp")
    assert pd.isna(table.loc["small", "Verandering (%)"])
    assert table.loc["large", "Verandering (%)"] == pytest.approx(50.0)
    assert table.loc["small", "Aantal 2024"] == 4 and table.loc["small", "Aantal 2025"] == 13  # the counts say it


def test_chart_series_come_in_the_order_of_the_names_given():
    """The Wijkprofiel gives [area, city]: a wijk (WK...) sorts after the city (GM...), and the
    colours of the area and the city swapped between a buurt and a wijk."""
    counts = pd.concat([_counts("WK1", TWO_YEARS), _counts("GM1", TWO_YEARS)], ignore_index=True)
    population = pd.concat([_population(code, {2023: 1, 2024: 1}) for code in ("WK1", "GM1")], ignore_index=True)
    data = trends.chart_data(
        {"a": counts}, population, "year", "count", False, None, {"WK1": "Wijk", "GM1": "Stad"}, {"a": "Alle"}
    )
    assert list(dict.fromkeys(data["Reeks"])) == ["Wijk", "Stad"]
