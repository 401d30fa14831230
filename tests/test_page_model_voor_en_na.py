"""The Voor en na page model on the default database: what the page shows for a measure, computed
without Streamlit (ivpdata.page_models.voor_en_na with fetch.on)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from ivpdata import fetch, mapping, measures, queries
from ivpdata.config import load_settings
from ivpdata.page_models import voor_en_na as model
from ivpdata.safetext import markdown_literal
from tests.support import decks
from tests.support.dbstate import one_row

DEMO = "demo-BU05050509-OVL-JGD:BU05050509"
KROMHOUT = "d002-kromhout-plan:kromhout"
DORDRECHT = ("GM0505", "Dordrecht")


def _measure(con: duckdb.DuckDBPyConnection, choice: str):
    return queries.area_measures(con, "GM0505").set_index("choice_id").loc[choice]


def _sum(con: duckdb.DuckDBPyConnection, area: str, category: str, first: dt.date, last: dt.date) -> int:
    """The incidents of one category in a buurt (or, for a gemeente code, the whole gemeente)."""
    sql = """SELECT coalesce(sum(incident_count), 0) FROM incident_counts
             WHERE ? IN (area_code, gemeente_code) AND category_code = ?
             AND make_date(year, month, 1) BETWEEN ? AND ?"""
    return int(one_row(con, sql, [area, category, first, last])[0])


def test_every_measure_in_an_area_is_a_choice_with_its_area(con):
    labels = model.measure_choices(queries.area_measures(con, "GM0505"))
    assert labels[DEMO].endswith("· demo") and "(Kromhout en omgeving)" in labels[KROMHOUT]
    assert model.measure_choices(queries.area_measures(con, "GM0388")) == {}


def test_the_heading_names_the_measure_its_area_and_priority(con):
    chosen = _measure(con, KROMHOUT)
    header = model.measure(chosen)
    assert header.heading.startswith(f"**{markdown_literal(chosen['label'])}** · Kromhout en omgeving · ")
    assert header.heading.endswith(markdown_literal(chosen["priority_name"])) and not header.is_demo
    assert header.quote == f"“{markdown_literal(chosen['description'])}” ({markdown_literal(chosen['source_title'])})"
    assert model.measure(_measure(con, DEMO)).is_demo


def test_a_measure_opens_on_its_start_month_and_its_incidents(con):
    options = model.choices(fetch.on(con), "GM0505", _measure(con, DEMO))
    assert options.start is not None and options.starts[options.start] == "2025-01"
    assert list(options.names)[options.focus] == "OVL-JGD"
    assert model.start_label("2025-01") == "januari 2025"
    assert options.date_note is None


def test_a_measure_without_a_date_has_no_start_and_says_what_the_document_says(con):
    chosen = _measure(con, KROMHOUT)
    options = model.choices(fetch.on(con), "GM0505", chosen)
    assert options.start is None and list(options.names)[options.focus] == "overlast"
    nplv = model.choices(fetch.on(con), "GM0505", _measure(con, "d002-nplv-dordt-west:dordt-west"))
    assert nplv.date_note is not None and nplv.date_note.startswith("Start volgens het document: ca. september 2022: ")


def test_the_comparison_counts_the_months_before_and_after_in_the_buurt_and_the_rest(con):
    chosen, run = _measure(con, DEMO), fetch.on(con)
    options = model.choices(run, "GM0505", chosen)
    compared = model.comparison(run, DORDRECHT, chosen, options, "OVL-JGD", "2025-01", 0.05)
    before, after = compared.span.before, compared.span.after
    assert (before[0], after[0]) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    area = [_sum(con, "BU05050509", "OVL-JGD", *before), _sum(con, "BU05050509", "OVL-JGD", *after)]
    city = [_sum(con, "GM0505", "OVL-JGD", *before), _sum(con, "GM0505", "OVL-JGD", *after)]
    table = compared.table
    assert list(table["Voor (aantal)"]) == [area[0], city[0] - area[0]]
    assert list(table["Na (aantal)"]) == [area[1], city[1] - area[1]]
    assert list(table["Oordeel"]) == ["daling", "geen significante verandering"]
    assert table.iloc[0]["Verandering (%)"] == round((area[1] - area[0]) / area[0] * 100, 1)
    assert compared.text.startswith(f"{chosen['target_name']}: {area[0]} → {area[1]} (")
    assert "Rest van Dordrecht" in compared.text
    assert compared.caption.startswith("Melding overlast jeugd · Voor: ")
    assert compared.series["incident_count"].sum() == sum(area) and len(compared.series) == 2 * compared.span.months
    assert compared.is_demo and compared.chart_title.endswith("per maand")


def test_the_map_shows_the_change_per_buurt_with_the_measures_area_outlined(con):
    chosen, run = _measure(con, DEMO), fetch.on(con)
    options = model.choices(run, "GM0505", chosen)
    compared = model.comparison(run, DORDRECHT, chosen, options, "OVL-JGD", "2025-01", 0.05)
    shapes = mapping.area_shapes(queries.area_geometries(con, "GM0505", "buurt"), size=measures.MAP_SIZE)
    shown = model.change_map(run, "GM0505", chosen, compared, shapes, load_settings())
    deck = json.loads(shown.deck.to_json())
    assert decks.layer_ids(deck) == ["gebieden", "lijnen"]
    assert decks.segments(deck, mapping.HATCH_COLOUR) and decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    assert len(deck["layers"][0]["data"]["features"]) == len(queries.area_geometries(con, "GM0505", "buurt"))
    assert "maatregel" in shown.legend and shown.heading.endswith("Melding overlast jeugd")


def test_a_start_month_without_room_for_a_comparison_is_refused(con):
    chosen, run = _measure(con, DEMO), fetch.on(con)
    options = model.choices(run, "GM0505", chosen)
    with pytest.raises(ValueError, match="2017-01"):
        model.comparison(run, DORDRECHT, chosen, options, "OVL-JGD", "2017-01", 0.05)
