"""The Wijkprofiel page model on the shared test database: key figures against the city with the
rank, the development chart, measures and quotes, the resident survey, provisional and incomplete
years."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from ivpdata import changes, fetch, queries
from ivpdata.page_models import wijkprofiel as model
from tests.support.realdata import real_dordrecht

GEMEENTE, WIELWIJK = "GM0505", "WK050507"


@pytest.fixture(scope="module")
def menu(con: duckdb.DuckDBPyConnection) -> model.Menu:
    return model.menu(fetch.on(con), GEMEENTE, "Dordrecht")


def year_count(con: duckdb.DuckDBPyConnection, menu: model.Menu, target: str, option: str, year: int) -> int:
    codes = tuple(menu.options.set_index("option_code").at[option, "category_codes"])
    counts = queries.target_month_counts(con, GEMEENTE, (target,), codes)
    return int(counts.loc[counts["year"] == year, "incident_count"].sum())


def test_the_profile_offers_areas_but_not_the_gemeente_itself(menu):
    assert GEMEENTE not in menu.labels
    assert menu.labels[WIELWIJK] == "Wielwijk (wijk)" and menu.name(WIELWIJK) == "Wielwijk"
    assert model.heading(menu, WIELWIJK, 2025).startswith("Wielwijk \\(wijk\\) in Dordrecht · 2025 vergeleken met 2024")
    assert model.heading(menu, WIELWIJK, 2025).endswith("afdrukken met Ctrl+P")
    assert "Ctrl+P" not in model.heading(menu, WIELWIJK, 2025, printable=False)  # a slide cannot be printed


def test_key_figures_count_each_subject_against_the_year_before_and_the_city(con, menu):
    figures = model.key_figures(fetch.on(con), menu, WIELWIJK, 2025, None)
    table = figures.table.set_index("Onderwerp")
    assert list(table.index) == ["Alle misdrijven", "High impact crime", "Overlast"]
    assert table.at["Alle misdrijven", "Aantal 2025 (voorlopig)"] == year_count(con, menu, WIELWIJK, "misdrijven", 2025)
    assert table.at["Overlast", "Aantal 2024"] == year_count(con, menu, WIELWIJK, "overlast", 2024)
    assert figures.provisional == "ja, Aantal 2025 (voorlopig)"
    assert "2025 is voorlopig" in figures.caption and "niveau 5%" in figures.caption
    assert figures.title == "Kerncijfers Wielwijk (wijk)"


def test_a_wijk_is_ranked_among_the_wijken_and_a_group_is_not(con, menu):
    wijk = model.key_figures(fetch.on(con), menu, WIELWIJK, 2024, None)
    assert wijk.rank is not None and wijk.rank.startswith("**Rang onder de wijken** (alle misdrijven): ")
    assert " van 11 " in wijk.rank
    group = model.key_figures(fetch.on(con), menu, "dordt-west", 2024, None)
    assert group.rank is None
    assert "voorlopig" not in group.caption and group.provisional == "nee"


def test_an_incomplete_year_is_compared_with_the_same_months_and_says_so():
    years = pd.DataFrame(
        {"year": [2025, 2024], "months": [6, 12], "last_month": [6, 12], "is_provisional": [True, False]}
    )
    incomplete, provisional = model.year_status(years, 2025)
    assert incomplete == {2025: "t/m juni 2025"} and provisional == [2025]
    caption = model.figures_caption(0.05, incomplete, provisional)
    assert "2025 is nog niet compleet (t/m juni 2025): vergeleken met dezelfde maanden van 2024." in caption


def test_the_development_chart_puts_the_area_beside_the_city_per_1000_inhabitants(con, menu):
    chart = model.development(fetch.on(con), menu, WIELWIJK, None)
    assert chart.title == "Alle misdrijven per 1.000 inwoners per jaar"
    assert chart.heading == "Alle misdrijven per 1.000 inwoners per jaar, Wielwijk (wijk)"
    # as Trends opens (the gemeente first, then the area): the same names and colours on both pages
    assert list(dict.fromkeys(chart.data["Reeks"])) == ["Dordrecht (gemeente)", "Wielwijk (wijk)"]
    figures = model.key_figures(fetch.on(con), menu, WIELWIJK, 2024, None).table.set_index("Onderwerp")
    wielwijk = chart.data[(chart.data["Reeks"] == "Wielwijk (wijk)")]
    rate = wielwijk.loc[pd.to_datetime(wielwijk["Periode"]).dt.year == 2024, "Waarde"].iloc[0]
    assert rate == pytest.approx(figures.at["Alle misdrijven", "Per 1.000 inwoners"])


def test_measures_and_quotes_of_the_documents_are_listed(con):
    notes = model.notes(fetch.on(con), WIELWIJK)
    assert any("Nationaal Programma Leefbaarheid en Veiligheid" in line for line in notes.measures)
    assert notes.quotes and all(quote.startswith("> ") for quote in notes.quotes)
    assert notes.no_measures == "" and notes.no_quotes == ""


def test_without_a_survey_the_profile_says_how_to_load_one(con, menu):
    survey = model.survey(fetch.on(con), menu, WIELWIJK)
    assert survey.table is None and survey.empty == model.NO_SURVEY
    assert "Data beheer" in survey.empty


def period_count(con: duckdb.DuckDBPyConnection, menu: model.Menu, target: str, option: str, period: tuple) -> int:
    codes = tuple(menu.options.set_index("option_code").at[option, "category_codes"])
    counts = queries.target_month_counts(con, GEMEENTE, (target,), codes)
    months = pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1})
    return int(counts.loc[months.between(*map(pd.Timestamp, period)), "incident_count"].sum())


def test_a_linked_category_and_period_are_compared_with_the_same_months_a_year_earlier(con, menu):
    period, earlier = (dt.date(2025, 1, 1), dt.date(2025, 9, 1)), (dt.date(2024, 1, 1), dt.date(2024, 9, 1))
    figures = model.key_figures(fetch.on(con), menu, WIELWIJK, 2025, None, "1.1.1", period)
    table = figures.table.set_index("Onderwerp")
    now, before = "Aantal jan 2025 - sep 2025 (voorlopig)", "Aantal jan 2024 - sep 2024"  # Jul-Sep 2025 provisional
    assert list(table.columns[:2]) == [now, before]
    assert list(table.index) == [
        "Diefstal/inbraak woning (gekozen)",
        "Alle misdrijven",
        "High impact crime",
        "Overlast",
    ]
    burglary = table.loc["Diefstal/inbraak woning (gekozen)"]
    assert burglary[now] == period_count(con, menu, WIELWIJK, "1.1.1", period)
    assert table.at["Overlast", before] == period_count(con, menu, WIELWIJK, "overlast", earlier)
    people = queries.target_population(con, (WIELWIJK,)).set_index("year").at[2025, "inhabitants"]
    assert burglary["Per 1.000 inwoners"] == pytest.approx(burglary[now] * 1000 / people)  # as the Kaart's rate
    assert figures.period == "jan 2025 - sep 2025" and figures.provisional == f"ja, {now}"
    assert "Periode uit de link: jan 2025 - sep 2025" in figures.caption and "voorlopige cijfers" in figures.caption
    assert figures.rank is not None and figures.rank.startswith("**Rang onder de wijken** (diefstal\\/inbraak woning)")
    assert "jan 2025 - sep 2025 vergeleken met jan 2024 - sep 2024" in model.heading(menu, WIELWIJK, 2025, period)


def test_a_linked_whole_calendar_year_shows_that_year(con, menu):
    figures = model.key_figures(
        fetch.on(con), menu, WIELWIJK, 2025, None, None, (dt.date(2023, 1, 1), dt.date(2023, 12, 1))
    )
    assert [c for c in figures.table.columns if c.startswith("Aantal")] == ["Aantal 2023", "Aantal 2022"]
    assert list(figures.table["Onderwerp"]) == ["Alle misdrijven", "High impact crime", "Overlast"]  # nothing chosen


def test_a_period_without_figures_a_year_earlier_is_not_compared(con, menu):
    period = (dt.date(2017, 1, 1), dt.date(2017, 6, 1))
    table = model.key_figures(fetch.on(con), menu, WIELWIJK, 2025, None, None, period).table
    assert set(table["Oordeel"]) == {"niet vergeleken: geen cijfers een jaar eerder"}
    assert table["Verandering (%)"].isna().all()
    assert "jan 2017 - jun 2017 zonder vergelijking" in model.heading(menu, WIELWIJK, 2025, period)


def test_the_development_chart_shows_a_linked_category(con, menu):
    chart = model.development(fetch.on(con), menu, WIELWIJK, None, "1.1.1")
    assert chart.title == "Diefstal/inbraak woning per 1.000 inwoners per jaar"
    wielwijk = chart.data[chart.data["Reeks"] == "Wielwijk (wijk)"]
    rate = wielwijk.loc[pd.to_datetime(wielwijk["Periode"]).dt.year == 2023, "Waarde"].iloc[0]
    people = queries.target_population(con, (WIELWIJK,)).set_index("year").at[2023, "inhabitants"]
    assert rate == pytest.approx(year_count(con, menu, WIELWIJK, "1.1.1", 2023) * 1000 / people)
    assert model.development(fetch.on(con), menu, WIELWIJK, None, "onbekend").title.startswith("Alle misdrijven")


def test_a_percentage_left_out_on_a_small_base_gets_the_rules_note():
    table = pd.DataFrame({"Onderwerp": ["a", "b"], "Aantal 2025": [13, 30], "Aantal 2024": [4, 20]})
    assert changes.small_base_notes(table["Aantal 2024"], 10) == [changes.rule_note(10)]
    assert changes.small_base_notes(pd.Series([12, "x"]), 10) == []


@pytest.mark.parametrize(("real_population", "expected"), [(False, "gemengd"), (True, "echt")])
@pytest.mark.parametrize("period", [None, (dt.date(2025, 1, 1), dt.date(2025, 9, 1))])
def test_the_key_figures_provenance_counts_the_inhabitants_under_their_rates(
    built_db, tmp_path, real_population, expected, period
):
    """Every count of Dordrecht real (as after importing police files): the key figures' rates per
    1,000 rest on the inhabitants too, so with demo inhabitants they are partly demo, and real only
    with real inhabitants (their export was labelled demodata whatever their rows)."""
    db = real_dordrecht(built_db, tmp_path, population=real_population)
    with duckdb.connect(str(db), read_only=True) as reader:
        menu = model.menu(fetch.on(reader), GEMEENTE, "Dordrecht")
        figures = model.key_figures(fetch.on(reader), menu, WIELWIJK, 2025, None, None, period)
    assert figures.origin == expected
