"""The Maatregelen page model on the default database: its figures, a priority's results, the
measures in an area, and the same measures within a period as the Driehoeksrapportage lists them."""

from __future__ import annotations

import datetime as dt

import duckdb

from ivpdata import fetch
from ivpdata.page_models import maatregelen as model
from ivpdata.safetext import markdown_literal
from tests.support.dbstate import one_row


def _count(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> int:
    return int(one_row(con, sql, list(params))[0])


def test_the_head_counts_results_kinds_priorities_and_measures_in_an_area(con):
    overview = model.overview(fetch.on(con), "GM0505")
    results = _count(con, "SELECT count(*) FROM measures WHERE gemeente_code = 'GM0505'")
    assert overview.figures["Resultaten vastgelegd"] == f"{results:,}".replace(",", ".")
    assert overview.figures["Maatregelen in een gebied"] == "4"  # the four measures of the area notes
    assert overview.caption.startswith("Wat er is gedaan, per prioriteit van het veiligheidsplan. Bronnen: ")
    assert markdown_literal("Factsheet Opgave Veilige Stad 2020") in overview.caption
    assert overview.priorities[0] == model.ALL_PRIORITIES and len(overview.priorities) > 2
    assert model.priority_code(overview, model.ALL_PRIORITIES) == "alle"
    assert model.priority_code(overview, overview.priorities[1]).startswith("ivp19-")


def test_a_priority_shows_only_its_results(con):
    overview = model.overview(fetch.on(con), "GM0505")
    chosen = "Behouden van de sociale stabiliteit"
    shown = model.results_of(overview.results, chosen)
    assert set(shown.table["Prioriteit"]) == {chosen} and shown.title == f"Resultaten van maatregelen: {chosen}"
    assert len(shown.table) == (overview.results["priority_name"] == chosen).sum() > 0
    every = model.results_of(overview.results)
    assert len(every.table) == len(overview.results) and every.title == "Resultaten van maatregelen"
    assert len(model.results_of(overview.results, model.ALL_PRIORITIES).table) == len(overview.results)


def test_a_gemeente_without_measures_has_none_to_show(con):
    overview = model.overview(fetch.on(con), "GM0388")
    assert overview.results.empty and overview.in_areas.empty and overview.figures["Prioriteiten"] == "0"
    assert model.area_measures(overview.in_areas) == []


def test_measures_in_an_area_link_to_voor_en_na(con):
    listed = model.area_measures(model.overview(fetch.on(con), "GM0505").in_areas)
    assert len(listed) == 4
    nplv = [m for m in listed if m.choice_id == "d002-nplv-dordt-west:dordt-west"]
    assert len(nplv) == 1 and "ca. september 2022" in nplv[0].line and nplv[0].line.startswith("**")


def test_a_period_lists_the_results_that_overlap_it_per_priority(con):
    period = (dt.date(2021, 1, 1), dt.date(2021, 12, 1))
    listed = model.in_period(fetch.on(con), "GM0505", "Dordrecht", period)
    overlapping = _count(
        con,
        """SELECT count(*) FROM measures WHERE gemeente_code = 'GM0505'
           AND period_start <= DATE '2021-12-31' AND coalesce(period_end, period_start) >= DATE '2021-01-01'""",
    )
    assert sum(len(group.results) for group in listed.groups) == overlapping > 0
    assert len({group.priority for group in listed.groups}) == len(listed.groups)
    assert listed.note == ""


def test_a_period_names_the_measures_started_in_it_and_the_newest_before(con):
    listed = model.in_period(fetch.on(con), "GM0505", "Dordrecht", (dt.date(2022, 1, 1), dt.date(2022, 12, 1)))
    assert any(line.startswith("Nationaal Programma Leefbaarheid") for line in listed.area_measures)
    later = model.in_period(fetch.on(con), "GM0505", "Dordrecht", (dt.date(2023, 1, 1), dt.date(2023, 12, 1)))
    assert any("Nationaal Programma Leefbaarheid" in line for line in later.earlier_area_measures)


def test_a_period_without_results_says_until_when_they_run(con):
    listed = model.in_period(fetch.on(con), "GM0505", "Dordrecht", (dt.date(2040, 1, 1), dt.date(2040, 12, 1)))
    assert listed.groups == [] and listed.area_measures == []
    assert listed.note.startswith("In deze periode zijn geen resultaten van maatregelen vastgelegd.")
    none = model.in_period(fetch.on(con), "GM0388", "Enkhuizen", (dt.date(2024, 1, 1), dt.date(2024, 12, 1)))
    assert none.note.startswith("Voor Enkhuizen zijn nog geen resultaten van maatregelen vastgelegd.")
