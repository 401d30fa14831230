"""Figures after a partial import: real rows for some buurten, demo rows for the others, a buurt
without rows. A mixed figure is marked as such, a missing row is never 0, and no significance
verdict, "Wat valt op" entry or PDF sentence compares periods of different provenance or coverage."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata import briefing, disclosure, mapping, overview, provenance, queries, significance, trends
from ivpdata.briefing_pdf import render_pdf
from ivpdata.config import PROJECT_ROOT, load_settings
from ivpdata.db import summarise_months
from ivpdata.exports import Metadata
from ivpdata.periods import Window, calendar_year

DORDRECHT = "GM0505"
OUD_KRISPIJN = "WK050503"
REAL_BUURTEN = ("BU05050301", "BU05050302")  # in Oud Krispijn
EMPTY_BUURT = "BU05050102"  # Grote Markt en omgeving: no rows in 2025
SOURCE = "cbs-47022ned"  # a real source of data/sources.csv
SETTINGS = load_settings()
YEAR = 2025


@pytest.fixture(scope="module")
def mixed_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default database after a partial import: two buurten real in 2025 (and higher than
    their demo rows were), one buurt without any row in 2025."""
    path = tmp_path_factory.mktemp("mixed") / "ivp.duckdb"
    path.write_bytes(built_db.read_bytes())
    with duckdb.connect(str(path)) as writing:
        writing.execute(
            "UPDATE incident_counts SET is_demo = false, source_id = ?, incident_count = incident_count + 5 "
            "WHERE area_code IN (?, ?) AND year = ?",
            [SOURCE, *REAL_BUURTEN, YEAR],
        )
        writing.execute("DELETE FROM incident_counts WHERE area_code = ? AND year = ?", [EMPTY_BUURT, YEAR])
        summarise_months(writing)  # as every writer of incident_counts does
    return path


@pytest.fixture(scope="module")
def con(mixed_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(mixed_db), read_only=True)
    yield connection
    connection.close()


def test_provenance_of_rows_and_why_periods_are_not_compared():
    assert [provenance.of_rows(*rows) for rows in ((0, 3), (3, 0), (2, 3), (0, 0))] == [
        provenance.DEMO,
        provenance.REAL,
        provenance.MIXED,
        None,
    ]
    assert provenance.label(provenance.MIXED) == "Gemengd: echt en demo"
    demo, mixed = provenance.Coverage(0, 12, 12, 12), provenance.Coverage(4, 8, 12, 12)
    assert provenance.reason(demo, demo, "2025", "2024") == ""
    assert provenance.reason(mixed, demo, "2025", "2024") == (
        "niet vergeleken: 2025 deels echte cijfers, deels demodata; 2024 demodata"
    )
    partial = provenance.Coverage(0, 10, 10, 12)
    assert "2025 demodata en onvolledig (cijfers voor 10 van 12" in provenance.reason(partial, demo, "2025", "2024")


def test_the_city_key_figures_are_marked_mixed_and_not_compared(con):
    figures = queries.key_figures(con, DORDRECHT, YEAR)
    cards = overview.key_figure_cards(figures, YEAR, queries.sources(con))
    for card in cards:
        assert card.provenance == provenance.MIXED, card.label
        assert card.delta is None  # no "-59 (-1%) t.o.v. 2024" between mixed 2025 and demo 2024
        assert card.comparison_note.startswith("niet vergeleken: 2025 deels echte cijfers")
        assert "2024 demodata" in card.comparison_note
        assert "(2024:" not in card.per_1000, "no rate of the year it says it does not compare with"


def test_the_pdf_says_why_it_does_not_compare_mixed_with_demo(con):
    report = briefing.gather(con, DORDRECHT, *calendar_year(YEAR), SETTINGS)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(render_pdf(report))).pages
    )
    assert "Significant gestegen" not in text and "Significant gedaald" not in text
    assert "Niet vergeleken in de hele gemeente" in text
    assert "2025 deels echte cijfers, deels demodata" in text
    assert all(figure.verdict == "" for figure in report.key_figures)
    city = report.city_changes
    assert set(city["verdict"]) == {significance.NOT_COMPARABLE}  # every category has rows of the real buurten


def test_wat_valt_op_compares_no_mixed_or_uncovered_buurt(con):
    period, comparison = trends.last_twelve_months(dt.date(YEAR, 12, 1))
    pairs = queries.buurt_category_changes(con, DORDRECHT, "buurt", period, comparison)
    notable = trends.notable_changes(pairs, 0.05, 5, 1000)
    assert not notable.empty  # the demo buurten still have their changes
    assert not set(notable["area_code"]) & {*REAL_BUURTEN, EMPTY_BUURT}
    caption = trends.notable_caption(period, comparison, 1, 0.05, 2, 5, not_compared=trends.not_compared(pairs, 5))
    assert "combinaties zijn niet vergeleken" in caption


def test_the_public_wat_valt_op_compares_no_year_of_other_provenance(con):
    """The public list (from the releases) as well: Oud Krispijn's real buurten made its 2025 figures
    rise far beyond chance against its demo 2024; that is the import, not a change in the wijk."""
    rules = disclosure.Rules.from_settings(SETTINGS)
    releases = briefing.public_releases(con, DORDRECHT, queries.category_options(con, DORDRECHT), rules)
    pairs = trends.released_comparison(releases[YEAR], releases[YEAR - 1]).pairs
    uncovered_wijk = "WK050501"  # holds the buurt without rows in 2025
    assert not set(pairs["area_code"]) & {OUD_KRISPIJN, uncovered_wijk, *REAL_BUURTEN, EMPTY_BUURT}
    assert {"WK050502", "BU05050101"} <= set(pairs["area_code"])  # the demo areas are still compared
    assert trends.released_comparison(releases[YEAR], releases[YEAR - 1]).uncompared > 0
    assert trends.released_comparison(releases[YEAR - 1], releases[YEAR - 2]).uncompared == 0  # two demo years


def test_compstat_does_not_test_mixed_periods(con):
    codes = ["1.1.1", "2.2.1"]
    counts = queries.target_month_counts(con, DORDRECHT, [OUD_KRISPIJN], codes)
    window = Window("Jaar", calendar_year(YEAR), calendar_year(YEAR - 1))
    table = trends.corrected(trends.compstat(counts, [window], 0.05, {}), 0.05)
    assert set(table["verdict"]) == {significance.NOT_COMPARABLE}
    assert table["adjusted_p"].isna().all()  # not among the tests corrected for
    assert all("niet vergeleken" in trends.compstat_cell(row) for _, row in table.iterrows())


def test_the_kaart_marks_a_mixed_wijk_and_does_not_draw_its_change(con):
    thresholds = mapping.thresholds_for(SETTINGS, "wijk")
    counts = queries.area_counts(con, DORDRECHT, "wijk", ["1.1.1"], calendar_year(YEAR), calendar_year(YEAR - 1))
    values, _, _, _ = mapping.map_values(counts, "change", thresholds)
    table = mapping.area_table(values).set_index("Code")
    assert table.loc[OUD_KRISPIJN, "Gegevens"] == "Gemengd: echt en demo"
    assert table.loc["WK050502", "Gegevens"] == "Demodata"
    assert table.loc[OUD_KRISPIJN, "Opmerking"].count("niet vergeleken") == 1  # said once
    assert not values.set_index("area_code").loc[OUD_KRISPIJN, "is_stable"]  # grey, not a colour of change
    assert mapping.shown_provenance(values) == provenance.MIXED


def test_an_area_without_rows_has_no_figures_not_zero(con):
    thresholds = mapping.thresholds_for(SETTINGS, "buurt")
    counts = queries.area_counts(con, DORDRECHT, "buurt", ["1.1.1"], calendar_year(YEAR), calendar_year(YEAR - 1))
    values, _, _, _ = mapping.map_values(counts, "count", thresholds)
    table = mapping.area_table(values).set_index("Code")
    assert table.loc[EMPTY_BUURT, "Aantal"] == "geen cijfers"
    assert "geen cijfers" in table.loc[EMPTY_BUURT, "Opmerking"]
    assert isinstance(table.loc["BU05050101", "Aantal"], int | float)  # a covered buurt keeps its number
    empty = values.set_index("area_code").loc[EMPTY_BUURT]
    assert not empty["is_stable"]  # grey with the reason, not the colour of 0


def test_exports_say_mixed():
    meta = Metadata("Kaart", "bron", "2025", {}, "nee", demo=True, disclosure="intern", mixed=True)
    assert ("Gegevens", "gemengd (echt en demodata)") in meta.rows()
    assert "Gemengd: echt en demo" in meta.footer()


def test_the_overzicht_marks_mixed_figures_and_compares_no_years(mixed_db, monkeypatch):
    monkeypatch.setenv("IVP_DB", str(mixed_db))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    app.query_params["jaar"] = str(YEAR)
    at = app.run()
    assert not at.exception
    badges = [m.proto.body for m in at.get("markdown") if "badge" in m.proto.body]
    assert any("Gemengd: echt en demo" in body for body in badges)
    assert all(not delta for _, delta in ((m.value, m.delta) for m in at.metric))  # no "t.o.v. 2024"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes off
    assert "Niet vergeleken: 2025 deels echte cijfers, deels demodata" in captions
    wijken = at.table[0].value
    assert wijken.set_index("Wijk").loc["Oud Krispijn", "Gegevens"] == "Gemengd: echt en demo"


def test_the_kaart_tooltip_says_no_figures_and_mixed(con):
    thresholds = mapping.thresholds_for(SETTINGS, "buurt")
    counts = queries.area_counts(con, DORDRECHT, "buurt", ["1.1.1"], calendar_year(YEAR), calendar_year(YEAR - 1))
    values, _, _, bounds = mapping.map_values(counts, "change", thresholds)
    geometries = queries.area_geometries(con, DORDRECHT, "buurt")
    details = {
        f["properties"]["area_code"]: f["properties"]["details"]
        for f in mapping.feature_collection(geometries, values, "change", bounds, None)["features"]
    }
    assert "Aantal: geen cijfers" in details[EMPTY_BUURT]
    assert "Verandering: niet vergeleken" in details[REAL_BUURTEN[0]]
    assert "niet vergeleken" not in details["BU05050101"]  # a demo buurt keeps its change


def test_the_wijkprofiel_and_voor_en_na_give_no_verdict_across_mixed_years(con):
    options = queries.category_options(con, DORDRECHT)
    codes = options.set_index("option_code")["category_codes"]
    counts = {
        o: queries.target_month_counts(con, DORDRECHT, [OUD_KRISPIJN, DORDRECHT], list(codes[o]))
        for o in trends.PROFILE_OPTIONS
    }
    population = queries.target_population(con, [OUD_KRISPIJN, DORDRECHT])
    figures = trends.profile_figures(counts, population, OUD_KRISPIJN, DORDRECHT, YEAR, {}, 0.05, minimum=10)
    assert figures["Oordeel"].str.startswith("niet vergeleken: 2025 deels echte cijfers").all()
    assert figures["Verandering (%)"].isna().all()
    comparison = pd.DataFrame(
        {
            "Gebied": ["Oud Krispijn", "Rest"],
            "Voor": [10, 90],
            "Na": [30, 70],
            "Verandering": [2.0, -0.2],
            "p": [0.001, 0.1],
            "Oordeel": [significance.RISE, significance.NEUTRAL],
        }
    )
    alike = trends.before_after_alike(
        comparison, counts["misdrijven"], (OUD_KRISPIJN, DORDRECHT), calendar_year(YEAR - 1), calendar_year(YEAR)
    )
    assert alike["Oordeel"].str.startswith("niet vergeleken: na deels echte cijfers").all()
    assert alike["p"].isna().all()
