"""Every page through Streamlit's AppTest, on the default database."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import routes, trends_controls
from ivpdata import mapping
from ivpdata.access import Role
from ivpdata.config import PROJECT_ROOT
from tests.support import decks
from tests.support.realdata import real_dordrecht

TIMEOUT = 60


@pytest.fixture
def app(built_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(built_db))
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)


def _chart_rows(chart) -> pd.DataFrame:
    """The data Streamlit sends with a chart (as Arrow, apart from the spec)."""
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_overzicht_shows_key_figures_for_dordrecht(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Veiligheidsbeeld Dordrecht"
    metrics = _metrics(at)
    assert list(metrics) == ["Geregistreerde misdrijven", "High impact crime", "Overlastregistraties"]
    assert all("t.o.v. 2024" in delta for _, delta in metrics.values())
    captions = " ".join(c.value for c in at.caption)
    assert "Bron:" in captions
    assert "Demodata" in " ".join(m.value for m in at.markdown)  # the badge, beside the caption (contrast)
    assert len(at.get("vega_lite_chart")) == 2  # published overlast and misdrijven tables


def test_overzicht_in_2021_shows_published_overlast_exactly(app):
    at = app.run()
    at.selectbox(key="jaar").set_value(2021).run()
    value, _ = _metrics(at)["Overlastregistraties"]
    assert value == "2.811"  # 490 + 944 + 1.377, as published in document 002
    markdown = " ".join(m.value for m in at.markdown)
    assert "Per 1.000 inwoners" in markdown


def test_switching_gemeente_to_enkhuizen(app):
    at = app.run()
    at.selectbox(key="gemeente").set_value("GM0388").run()
    assert not at.exception
    assert at.title[0].value == "Veiligheidsbeeld Enkhuizen"
    at.selectbox(key="jaar").set_value(2019).run()
    value, delta = _metrics(at)["Geregistreerde misdrijven"]
    assert value == "750"  # CBS 83648NED, as published
    assert delta == "+5 (+0,7%) t.o.v. 2018"
    captions = " ".join(c.value for c in at.caption)
    assert "Geregistreerde criminaliteit" in captions


def test_bronnen_lists_every_published_figure(app):
    at = app.run()
    at.switch_page("dashboard/pages/bronnen.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) >= 140
    assert "meer dan € 3.000.000" in set(table["Cijfer"])
    assert "€ 229.258,79" in set(table["Cijfer"])


def _every_source(built_db) -> pd.DataFrame:
    """The Bronnen table of every source in the database: a page shows those of its gemeente."""
    import duckdb

    from ivpdata import queries, sources_view

    with duckdb.connect(str(built_db), read_only=True) as con:
        return sources_view.sources_table(queries.sources(con))


def test_bronnen_explains_every_source_in_dutch(built_db):
    """The Toelichting of every source is Dutch (it was English): none of these English words."""
    sources = _every_source(built_db)
    english = {"the", "and", "by", "with", "results", "imported", "generated", "rounded", "population", "yearly"}
    notes = [note for note in sources["Toelichting"] if note]
    assert len(notes) == len(sources)  # every source explained
    for note in notes:
        words = set(note.lower().replace(",", " ").replace(".", " ").replace(";", " ").split())
        assert not words & english, note


def test_bronnen_explains_sources_without_program_names(built_db):
    """The public reads the Toelichting: no command, module path, table or repository name, no
    internal document number in it."""
    sources = _every_source(built_db)
    program = re.compile(r"python|ivpdata|\.py\b|\b[a-z]+_[a-z_]+\b|--|\b\w+/\w+\b|Plandocument \d")
    for note in sources["Toelichting"]:
        assert not program.search(note), note


@pytest.mark.parametrize(
    ("gemeente", "own", "other"),
    [("GM0388", "Gemeente Enkhuizen", "Gemeente Dordrecht"), ("GM0505", "Gemeente Dordrecht", "Gemeente Enkhuizen")],
)
def test_bronnen_lists_the_sources_of_the_gemeentes_own_figures(app, gemeente, own, other):
    """Enkhuizen's Bronnen listed Dordrecht's plan documents (and every import format not loaded):
    the table of sources names those that the gemeente's own figures, areas and plans came from."""
    app.query_params["gemeente"] = gemeente
    at = app.run()
    at.switch_page("dashboard/pages/bronnen.py").run()
    assert not at.exception
    # A table that wraps (st.table): a data grid cut each source's Toelichting off at the right.
    shown = next(table.value for table in at.table if "Toelichting" in table.value.columns)
    sources = shown.map(lambda text: re.sub(r"\\(.)", r"\1", text))  # as read: the cells are Markdown
    publishers = set(sources["Uitgever"])
    assert own in publishers and other not in publishers, publishers
    assert "Demodata, gegenereerd door Veiligheidsbeeld" in set(sources["Bron"])  # its figures are demo
    assert not any("47022NED" in title for title in sources["Bron"])  # a format nothing was loaded from


def test_kaart_draws_every_wijk_and_buurt(app):
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert len(deck["layers"][0]["data"]["features"]) == 13
    at.radio(key="kaart_niveau").set_value("buurt").run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert len(deck["layers"][0]["data"]["features"]) == 132
    assert len(at.dataframe[0].value) == 132


def test_kaart_selection_survives_a_change_of_measure(app):
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    at.session_state["kaart_selectie"] = "WK050507"
    at.run()
    assert at.subheader[0].value == "Wielwijk"
    at.radio(key="kaart_maat").set_value("per_1000").run()
    assert not at.exception
    assert at.subheader[0].value == "Wielwijk"
    assert any("Rang" in m.value for m in at.markdown)
    assert len(at.get("vega_lite_chart")) == 1  # the monthly trend of the selected wijk


def test_kaart_click_selects_the_area(app):
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    feature = {"type": "Feature", "properties": {"area_code": "WK050501", "name": "Binnenstad"}}
    at.session_state["kaart_deck_0"] = {"selection": {"indices": {"gebieden": [0]}, "objects": {"gebieden": [feature]}}}
    at.run()
    assert not at.exception
    assert at.session_state["kaart_selectie"] == "WK050501"
    assert at.subheader[0].value == "Binnenstad"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    widths = decks.outline_widths(deck)
    assert widths["WK050501"] == 4 and widths["WK050502"] == 1
    at.button(key="kaart_wis").click().run()
    assert "kaart_selectie" not in at.session_state
    assert any("Klik op een wijk" in i.value for i in at.info)  # stays cleared after the rerun


def test_kaart_in_the_first_year_has_no_comparison(app):
    at = app.run()
    at.selectbox(key="jaar").set_value(2017).run()
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception
    assert any("Geen vergelijking" in i.value for i in at.info)
    at.radio(key="kaart_maat").set_value("change").run()
    assert not at.exception
    assert set(at.dataframe[0].value["Vergelijkingsperiode"]) == {0}


def test_kaart_hotspots_and_area_groups(app):
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "namen"]
    assert decks.segments(deck, mapping.GROUP_LINE_COLOUR)  # groups shown by default
    at.toggle(key="kaart_hotspots").set_value(True).run()
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # The hexagons over the areas' outlines, the area groups over the hexagons.
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "hotspots", "lijnen_groepen", "namen"]
    assert decks.layer(deck, "lijnen_groepen")["data"] == decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    hexagons = decks.layer(deck, "hotspots")["data"]["features"]
    assert len(hexagons) > 50
    assert any("zeshoeken met ten minste 5 incidenten" in c.value for c in at.caption)
    hotspot_table = at.dataframe[1].value
    assert list(hotspot_table["Aantal"]) == sorted(hotspot_table["Aantal"], reverse=True)
    assert len(hotspot_table) == len(hexagons)
    at.select_slider(key="kaart_resolutie").set_value(10).run()
    finer = decks.layer(json.loads(at.get("deck_gl_json_chart")[0].proto.json), "hotspots")["data"]["features"]
    assert len(finer) != len(hexagons)
    at.toggle(key="kaart_groepen").set_value(False).run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "hotspots", "namen"]
    assert not decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    assert {b.key for b in at.get("download_button")} >= {
        "kaart_tabel_xlsx",
        "kaart_hotspots_tabel_xlsx",
    }  # export menus


def test_trends_widgets_change_the_chart(app):
    at = app.run()
    at.switch_page("dashboard/pages/trends.py").run()
    assert not at.exception
    assert "per maand" in _chart_heading(at)
    at.multiselect(key="trends_gebieden").set_value(["GM0505", "dordt-west"]).run()
    at.radio(key="trends_per").set_value("year").run()
    at.radio(key="trends_maat").set_value("per_1000").run()
    assert not at.exception
    assert _chart_heading(at) == "Alle misdrijven per 1.000 inwoners per jaar"  # one category: named
    at.selectbox(key="trends_index").set_value(2019).run()
    assert "2019 = 100" in _chart_heading(at)
    assert at.query_params["gebied"] == "GM0505,dordt-west"  # the link shows what is on screen
    compstat = at.dataframe[0].value
    assert list(compstat.columns) == [
        "Categorie",
        "Peilmaand",
        "Laatste 3 maanden",
        "Jaar tot peilmaand",
        "Laatste 12 maanden",
    ]
    assert len(compstat) > 20


def test_trends_from_a_link(app):
    app.query_params["gebied"] = "WK050507,GM0505"
    app.query_params["wat"] = "OVL-JGD"
    at = app.run()
    at.switch_page("dashboard/pages/trends.py").run()
    assert not at.exception
    assert at.multiselect(key="trends_gebieden").value == ["WK050507", "GM0505"]
    assert at.multiselect(key="trends_wat").value == ["OVL-JGD"]
    assert "Wielwijk" in at.caption[0].value or any("Wielwijk" in c.value for c in at.caption)


def test_wijkprofiel_shows_figures_rank_notes(app):
    app.query_params["gebied"] = "WK050507"
    at = app.run()
    at.switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not at.exception
    assert at.title[0].value == "Wielwijk"
    figures = at.table[0].value
    assert list(figures["Onderwerp"]) == ["Alle misdrijven", "High impact crime", "Overlast"]
    assert any("Rang onder de wijken" in m.value for m in at.markdown)
    assert any("Zwerfvuil" in m.value for m in at.markdown)  # the resident's quote from document 002
    assert any("Nationaal Programma Leefbaarheid" in m.value for m in at.markdown)  # via Dordt-West
    at.selectbox(key="profiel_gebied").set_value("kromhout").run()
    assert not at.exception
    assert at.title[0].value == "Kromhout en omgeving"
    assert not any("Rang onder" in m.value for m in at.markdown)  # a group has no rank


def test_overzicht_lists_notable_changes_with_links(app):
    at = app.run()
    at.selectbox(key="jaar").set_value(2025).run()
    assert not at.exception
    notable = [m.value for m in at.markdown if m.value.startswith(("▲", "▼"))]
    assert notable and "Van Kinsbergenstraat" in notable[0]
    links = [el for el in at.main.get("page_link")]
    assert len(links) >= 2 * len(notable)


def test_a_link_to_an_unknown_area_says_so(app):
    """A mistyped or outdated link opened the first area without a word: the reader took it for
    the area asked for."""
    app.query_params["gebied"] = "BU99999999"
    at = app.run()
    at.switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not at.exception
    notices = [t.value for t in at.toast]
    assert len(notices) == 1, notices
    assert "BU99999999" in notices[0] and "Gebied" in notices[0]
    assert "uit de link bestaat hier niet" in notices[0]
    at.selectbox(key="profiel_gebied").set_value("WK050507").run()
    assert not at.toast  # said once


def test_a_link_with_one_unknown_area_among_several_names_it(app):
    app.query_params["gebied"] = "WK050507,WK059999"
    at = app.run()
    at.switch_page("dashboard/pages/trends.py").run()
    assert at.multiselect(key="trends_gebieden").value == ["WK050507"]
    notices = [t.value for t in at.toast]
    assert len(notices) == 1 and "WK059999" in notices[0] and "WK050507" not in notices[0], notices


def test_a_link_to_months_without_data_says_so(app):
    """A Kaart link to 1990 opened on 2025 without a word."""
    app.query_params["periode"] = "1990-01..1990-12"
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    notices = [t.value for t in at.toast]
    assert notices == ["**Periode** ‘1990\\-01\\.\\.1990\\-12’ uit de link bestaat hier niet."], notices


def test_walking_the_pages_names_no_link(app):
    """A value one page wrote (Trends' gebied: the gemeente) and the address kept is no link:
    the next page that has no such option (Wijkprofiel) says nothing about it."""
    at = app.run()
    for route in routes.ROUTES:
        if route.role == Role.PUBLIEK:
            at.switch_page(route.file).run()
            assert not at.toast, (route.path, [t.value for t in at.toast])


@pytest.mark.parametrize(
    ("gemeente", "page", "label"),
    [
        ("GM0388", "wijkprofiel", "Meer trends voor dit gebied"),
        ("GM0505", "prioriteiten", None),  # each indicator's "Trend: ..." link (Enkhuizen's plan has none)
        ("GM0505", "maatregelen", "Voor en na"),
    ],
)
def test_links_between_pages_carry_the_gemeente(app, gemeente, page, label):
    """Opened in a new tab, Enkhuizen's links showed Dordrecht (the default gemeente), and the
    notice blamed the link for areas 'that do not exist here'."""
    at = app.run()
    at.selectbox(key="gemeente").set_value(gemeente).run()
    at.switch_page(f"dashboard/pages/{page}.py").run()
    found = [link.proto for link in at.main.get("page_link") if label is None or link.proto.label == label]
    assert found, [link.proto.label for link in at.main.get("page_link")]
    for link in found:
        params = parse_qs(link.query_string)
        assert params.get("gemeente") == [gemeente] and params.get("jaar"), (link.label, link.query_string)


def test_kaart_from_a_link(app):
    for key, value in {"wat": "OVL-JGD", "niveau": "buurt", "maat": "change", "selectie": "BU05050701"}.items():
        app.query_params[key] = value
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception
    assert at.selectbox(key="kaart_wat").value == "OVL-JGD"
    assert at.radio(key="kaart_maat").value == "change"
    assert at.subheader[0].value == "Van Kinsbergenstraat en omgeving"


@pytest.mark.parametrize(
    ("gemeente", "plan", "first_priority"),
    [
        ("GM0505", "GM0505-ivp-2019-2022", "Tegengaan van overlast"),
        ("GM0505", "GM0505-ivp-2023-2026", "Veilige wijken"),
        ("GM0388", "GM0388-livp-2018-2021", "Samen veilig leven"),
    ],
)
def test_prioriteiten_for_every_plan(app, gemeente, plan, first_priority):
    app.query_params["gemeente"] = gemeente
    app.query_params["plan"] = plan
    at = app.run()
    at.switch_page("dashboard/pages/prioriteiten.py").run()
    assert not at.exception
    assert at.selectbox(key="prio_plan").value == plan
    assert at.subheader[1].value == first_priority  # after "In één oogopslag"
    assert len(at.get("vega_lite_chart")) >= 1  # bullet charts
    table = at.dataframe[0].value
    assert {"Basis", "Doel", "Actueel", "Verwacht", "Status", "Verloop"} <= set(table.columns)
    assert set(table["Status"]) <= {"op koers", "aandacht", "achter", "geen gegevens"}


def test_prioriteiten_tables_are_sent_again_as_they_were_each_its_own(app):
    """A rerun sends each priority's indicator table as it was, byte for byte (their styled cells
    once carried a new random id each run, so that the browser drew every table anew), and each
    table still holds its own priority's indicators: the tables are kept per content."""
    app.query_params.update({"gemeente": "GM0505", "plan": "GM0505-ivp-2023-2026"})
    at = app.run()
    at.switch_page("dashboard/pages/prioriteiten.py").run()
    before = [table.proto.SerializeToString() for table in at.dataframe]
    shown = [tuple(table.value["Indicator"]) for table in at.dataframe]
    at.run()
    assert not at.exception
    assert [table.proto.SerializeToString() for table in at.dataframe] == before
    assert len(before) > 1 and len(set(shown)) == len(shown)


def test_each_chart_shows_its_own_data_also_when_cached(app):
    """Charts are drawn from a spec cached per builder and data (show.chart): each priority's
    bullet chart holds that priority's indicators, on the first run and on a rerun alike."""
    at = app.run()
    at.switch_page("dashboard/pages/prioriteiten.py").run()
    for _ in range(2):
        indicators = [set(_chart_rows(chart)["Indicator"]) for chart in at.get("vega_lite_chart")]
        assert len(indicators) >= 2
        assert all(a.isdisjoint(b) for i, a in enumerate(indicators) for b in indicators[i + 1 :])
        tables = [set(frame.value["Indicator"]) for frame in at.dataframe if "Indicator" in frame.value]
        for shown in indicators:  # 'Woninginbraak (per 1.000 woningen)': the table of its own priority
            assert sum({name.rsplit(" (", 1)[0] for name in shown} <= listed for listed in tables) == 1
        at.run()


def test_maatregelen_over_time_and_per_type(app):
    at = app.run()
    at.switch_page("dashboard/pages/maatregelen.py").run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Resultaten vastgelegd"][0] == "103"  # 78 of document 003, 25 of document 002
    assert metrics["Maatregelen in een gebied"][0] == "4"
    assert len(_chart_rows(at.get("vega_lite_chart")[0])) == 103  # a bar per result
    at.selectbox(key="maatregel_prioriteit").set_value("Behouden van de sociale stabiliteit").run()
    shown = _chart_rows(at.get("vega_lite_chart")[0])
    assert set(shown["Prioriteit"]) == {"Behouden van de sociale stabiliteit"}
    table = at.dataframe[0].value
    assert "meer dan € 3.000.000" in set(table["Waarde"])
    lines = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any("Nationaal Programma Leefbaarheid" in line and "ca. september 2022" in line for line in lines)
    assert len(at.main.get("page_link")) == 4


def test_voor_en_na_of_the_demo_measure(app):
    app.query_params["maatregel"] = "demo-BU05050509-OVL-JGD:BU05050509"
    at = app.run()
    at.switch_page("dashboard/pages/voor_en_na.py").run()
    assert not at.exception
    assert at.selectbox(key="maatregel_start_demo-BU05050509-OVL-JGD:BU05050509").value == "2025-01"
    assert at.selectbox(key="maatregel_wat_demo-BU05050509-OVL-JGD:BU05050509").value == "OVL-JGD"
    table = at.dataframe[0].value
    assert list(table["Oordeel"]) == ["daling", "geen significante verandering"]
    assert table.iloc[0]["Na (aantal)"] < table.iloc[0]["Voor (aantal)"] / 2
    assert len(at.get("vega_lite_chart")) == 1
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert decks.layer_ids(deck) == ["gebieden", "lijnen"]
    hatched = decks.hatched_areas(deck)  # the buurten with too few incidents to compare
    unstable = {
        f["properties"]["area_code"]
        for f in deck["layers"][0]["data"]["features"]
        if "niet getoond" in f["properties"]["details"]
    }
    assert hatched and hatched <= unstable
    assert any("demomaatregel" in m.value.lower() for m in at.markdown)


def test_voor_en_na_without_a_date_asks_for_the_start(app):
    app.query_params["maatregel"] = "d002-kromhout-plan:kromhout"
    at = app.run()
    at.switch_page("dashboard/pages/voor_en_na.py").run()
    assert not at.exception
    assert at.selectbox(key="maatregel_start_d002-kromhout-plan:kromhout").value is None
    assert any("Kies een startmaand" in i.value for i in at.info)
    at.selectbox(key="maatregel_start_d002-kromhout-plan:kromhout").set_value("2021-03").run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["Gebied"] == "Kromhout en omgeving"


def test_maatregelen_pages_for_a_gemeente_without_measures(app):
    app.query_params["gemeente"] = "GM0388"
    at = app.run()
    at.switch_page("dashboard/pages/maatregelen.py").run()
    assert not at.exception
    assert any("nog geen resultaten" in i.value for i in at.info)
    at.switch_page("dashboard/pages/voor_en_na.py").run()
    assert not at.exception
    assert any("nog geen maatregelen in een bekend gebied" in i.value for i in at.info)


def test_data_page_lists_the_load_history(built_db, tmp_path, monkeypatch):
    from ivpdata.importing import run_import
    from tests.test_importing import police_csv

    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    monkeypatch.setenv("IVP_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("dashboard/pages/data.py").run()
    assert not at.exception
    assert "Nog geen bestanden geladen" in " ".join(c.value for c in at.caption)
    from dashboard import connection

    with connection.writing():  # the page's read-only connection lives in this process too
        run_import(police_csv(tmp_path / "47022NED.csv"), db, None, "Piet")
    at.switch_page("dashboard/pages/data.py").run()
    history = at.dataframe[0].value
    assert history[["Bestand", "Nieuw", "Door"]].values.tolist() == [["47022NED.csv", 3, "Piet"]]


def _badges(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("markdown") if "badge" in element.proto.body]


def test_demo_badge_leaves_the_kaart_once_real_figures_cover_it(built_db, tmp_path, monkeypatch):
    """Real counts for woninginbraak in every Dordrecht buurt, 2023-2024: the map of 2024 against
    2023 shows no demo badge; another category, still demo there, keeps it."""
    import duckdb

    from dashboard import connection
    from ivpdata.importing import run_import
    from tests.test_importing import police_csv

    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db), read_only=True) as con:
        buurten = [r[0] for r in con.execute("SELECT area_code FROM areas WHERE area_code LIKE 'BU0505%'").fetchall()]
    rows = [
        ("1.1.1 ", b, f"{y}MM{m:02d}", str((i + m) % 4))
        for i, b in enumerate(buurten)
        for y in (2023, 2024)
        for m in range(1, 13)
    ]
    with connection.writing():
        run_import(police_csv(tmp_path / "47022NED.csv", rows), db, None, "tester")
    monkeypatch.setenv("IVP_DB", str(db))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["wat"] = "1.1.1"
    app.query_params["jaar"] = "2024"
    at = app.run()
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception and _badges(at) == []
    at.radio(key="kaart_maat").set_value("per_1000").run()
    assert len(_badges(at)) == 1  # the inhabitants are still demo
    at.radio(key="kaart_maat").set_value("count").run()
    at.selectbox(key="kaart_wat").set_value("1.1.2").run()
    assert len(_badges(at)) == 1


@pytest.mark.parametrize(
    ("page", "title"),
    [("dashboard/pages/overzicht.py", "Wijken in "), ("dashboard/pages/wijkprofiel.py", "Kerncijfers")],
)
def test_an_export_of_real_figures_is_not_labelled_demo(built_db, tmp_path, monkeypatch, page, title):
    """Every count and inhabitant of Dordrecht real (as after importing police files and CBS's
    Kerncijfers): the Overzicht's wijk table and the Wijkprofiel's key figures export as real
    figures; they said demodata whatever their rows."""
    from dashboard import show

    db = real_dordrecht(built_db, tmp_path, population=True)
    monkeypatch.setenv("IVP_DB", str(db))
    made = []
    meta = show.meta

    def recorded(*args, **kwargs):
        made.append(meta(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(show, "meta", recorded)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if page != "dashboard/pages/overzicht.py":
        at.switch_page(page).run()
    assert not at.exception
    exported = [about for about in made if about.title.startswith(title)]
    assert len(exported) == 1 and not exported[0].demo and "demodata" not in exported[0].source, exported


# The public view (?openbaar=ja; always on in presentatiemodus): what the disclosure rules hide.


def _public(app: AppTest, page: str, **params: str) -> AppTest:
    """`page` in the public view (the toggle on), with `params` in the URL."""
    app.query_params["openbaar"] = "ja"
    for key, value in params.items():
        app.query_params[key] = value
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_public_kaart_hides_small_counts_and_sensitive_buurten(app):
    # Per buurt the public view shows only the totals "Alle misdrijven" and "Overlast" (without sensitive categories).
    at = _public(app, "dashboard/pages/kaart.py", jaar="2024", wat="overlast", niveau="buurt", maat="count")
    table = at.dataframe[0].value
    small = table[table["Aantal"] == "< 5"]
    assert len(small) > 0 and set(small["Per 1.000 inwoners"]) == {"x"}
    assert not set(table["Aantal"]) & {"1", "2", "3", "4"}  # no exact count under 5 (Dutch text in a public view)
    assert "0" in set(table["Aantal"])  # zeros are shown
    features = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]
    hidden = next(f for f in features if f["properties"]["area_code"] == small["Code"].iloc[0])
    assert "minder dan 5 incidenten" in hidden["properties"]["details"]
    assert "Aantal: –" in hidden["properties"]["details"]  # the tooltip keeps the count back too
    assert any("< 5: minder dan 5" in c.value for c in at.caption)

    def kaart(**params: str) -> AppTest:
        app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
        return _public(app, routes.KAART.file, niveau="buurt", **params)

    at = kaart(wat="hic")  # a theme is not public per buurt: shown per wijk, without zedenmisdrijf
    note = at.info[0].value
    assert note.startswith(
        "Zonder zedenmisdrijf en huiselijk geweld: die worden openbaar alleen apart per wijk getoond."
    )
    assert "Openbaar per buurt alleen 'Alle misdrijven' en 'Overlast'" in note and "per wijk getoond" in note
    assert at.dataframe[0].value["Code"].str.startswith("WK").all()
    at = kaart(wat="1.1.1")  # a single category is not public per buurt either: per wijk, with the note
    assert "Openbaar per buurt alleen" in at.info[0].value
    assert at.dataframe[0].value["Code"].str.startswith("WK").all()
    at = kaart(wat="misdrijven")  # all crime per buurt: the buurten, without zedenmisdrijf
    assert at.info[0].value.startswith("Zonder zedenmisdrijf")
    assert at.dataframe[0].value["Code"].str.startswith("BU").all()
    at = kaart(wat="1.4.1")  # zedenmisdrijf itself: per wijk
    assert any("worden openbaar alleen per wijk getoond" in i.value for i in at.info)
    assert at.dataframe[0].value["Code"].str.startswith("WK").all()


def test_public_wijkprofiel_of_a_buurt_leaves_zedenmisdrijf_out_of_its_sums(app, db):
    at = _public(app, "dashboard/pages/wijkprofiel.py", gebied="BU05050101")
    public = at.table[0].value.set_index("Onderwerp").filter(like="Aantal")
    public.index = public.index.str.replace(r"\\(.)", r"\1", regex=True)  # the static table escapes Markdown
    exact = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)  # the view analysts see
    exact.query_params["gebied"] = "BU05050101"
    exact = exact.run().switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not exact.toggle(key="openbaar").value
    exact = exact.table[0].value.set_index("Onderwerp").filter(like="Aantal")

    def number(value: object) -> int | None:  # a public cell as a number, None when hidden
        return None if value in ("< 5", "x") else int(str(value).replace(".", ""))

    zeden = (  # both sums hold zeden, not MMA
        "SELECT coalesce(sum(incident_count), 0) FROM incident_counts WHERE area_code = 'BU05050101' "
        "AND category_code = '1.4.1' AND year = ?"
    )
    for column in public.columns:
        sensitive = db.execute(zeden, [int(column.split()[1])]).fetchone()[0]
        for subject in ("High impact crime", "Alle misdrijven"):  # sums that include zedenmisdrijf: without it
            left_out = f"{subject} (zonder zedenmisdrijf en huiselijk geweld)"  # the public row says so
            shown, full = number(public.loc[left_out, column]), int(exact.loc[subject, column])
            assert shown is None or shown == full - sensitive, (subject, column, shown, full, sensitive)
        shown = number(public.loc["Overlast", column])  # no sensitive category in it: the exact count
        assert shown is None or shown == int(exact.loc["Overlast", column])
    assert any("Zonder zedenmisdrijf" in c.value for c in at.caption)


def test_public_overzicht_notes_speak_dutch(app):
    at = _public(app, "dashboard/pages/overzicht.py", gemeente="GM0388", jaar="2020")
    captions = " ".join(c.value for c in at.caption)
    assert "crime_per_1000" not in captions


def test_a_slide_of_an_unknown_page_is_named_not_linked(built_db, tmp_path, monkeypatch):
    """A presentation from a hand-edited file or database naming another file: a warning, no link to it,
    and running it stays where it is; the other slides keep their links."""
    import duckdb

    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE presentation_slides SET page = '../app' WHERE presentation_id = 1 AND position = 2")
    monkeypatch.setenv("IVP_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("dashboard/pages/presentaties.py").run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Dia 2 toont een pagina die de app niet kent; verwijder die dia."]
    links = [link.proto.page for link in at.main.get("page_link")]
    assert not any("app" in page for page in links) and len(links) == 2 * 4  # 4 known slides: caption and "Toon"
    assert "onbekende pagina\\: \\.\\.\\/app" in " ".join(m.value for m in at.markdown)
    at.query_params["presentatie"] = "1"
    at.query_params["dia"] = "2"
    at.run()
    assert not at.exception
    assert "toont een pagina die de app niet kent" in " ".join(m.value for m in at.markdown)


def test_typed_and_imported_texts_are_shown_as_text(built_db, tmp_path, monkeypatch):
    """Names from the database reach Markdown only escaped: a presentation's name and slide titles, a
    measure's text on the Wijkprofiel (no HTML any more), an area's name as the Wijkprofiel's title."""
    import duckdb

    from ivpdata.safetext import markdown_literal

    hostile = '![p](http://127.0.0.1:9/p.png) <iframe srcdoc="<script>parent.__xss=1</script>">'
    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE presentations SET name = $t WHERE presentation_id = 1", {"t": hostile})
        con.execute("UPDATE presentation_slides SET caption = $t WHERE position = 1", {"t": hostile})
        con.execute("UPDATE area_notes SET text = $t", {"t": hostile})
        con.execute("UPDATE areas SET display_name = $t WHERE area_code = 'WK050507'", {"t": hostile})
    monkeypatch.setenv("IVP_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("dashboard/pages/presentaties.py").run()
    assert at.main.get("page_link")[1].proto.label == markdown_literal(hostile)  # the first slide's link
    assert f"Ja, verwijder '{markdown_literal(hostile)}'" in at.checkbox[0].label
    at.query_params["gebied"] = "WK050507"
    at.switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not at.exception
    assert at.title[0].value == markdown_literal(hostile)
    measures = [m for m in at.markdown if m.value.startswith("- ")]
    assert measures and all(m.value.startswith(f"- {markdown_literal(hostile)}") for m in measures)
    assert not any(m.proto.allow_html for m in at.markdown if "script" in m.value)


def test_the_trends_chart_fills_a_big_screen(app):
    """In presentatiemodus the Trends page shows its chart alone: drawn at the page's height it
    took the top third of a 1080-pixel screen, its plot squeezed by the large type. The normal
    view keeps its height, above the CompStat tables."""
    app.query_params["gemeente"] = "GM0505"
    at = app.run()
    at.switch_page(routes.TRENDS.file).run()
    normal = json.loads(at.get("vega_lite_chart")[0].proto.spec)["height"]
    at.query_params["weergave"] = "presentatie"
    at.run()
    assert not at.exception
    screen = json.loads(at.get("vega_lite_chart")[0].proto.spec)["height"]
    assert normal == 380 and screen >= 1.5 * normal, (normal, screen)


def test_the_trend_chart_names_the_one_category_it_shows(app):
    """With one category chosen, the chart's title names it: 'Geregistreerde incidenten per 1.000
    inwoners per jaar' over an overlast series left a council screen without the word overlast."""
    for key, value in {"gemeente": "GM0505", "wat": "overlast", "maat": "per_1000", "per": "year"}.items():
        app.query_params[key] = value
    at = app.run()
    at.switch_page(routes.TRENDS.file).run()
    assert not at.exception
    assert _chart_heading(at) == "Overlast per 1.000 inwoners per jaar"


def test_an_empty_choice_on_trends_asks_for_one_and_draws_no_chart(app):
    """'Wat' or 'Gebieden' emptied ("Clear all"): the chart showed 'Alle misdrijven' of Dordrecht
    (the defaults) under empty boxes, so the controls and the chart disagreed."""
    app.query_params["gemeente"] = "GM0505"
    at = app.run()
    at.switch_page(routes.TRENDS.file).run()
    at.multiselect(key="trends_wat").set_value([]).run()
    assert not at.exception and not at.get("vega_lite_chart") and not at.subheader[0].value.startswith("Alle")
    assert [info.value for info in at.info] == [trends_controls.NO_CATEGORY]
    at.multiselect(key="trends_wat").set_value(["geweld"]).run()
    assert _chart_heading(at) == "Geweld per maand" and not at.info
    at.multiselect(key="trends_gebieden").set_value([]).run()
    assert not at.exception and not at.get("vega_lite_chart") and not at.dataframe  # nor the CompStat tables
    assert [info.value for info in at.info] == [trends_controls.NO_AREA]


def _chart_heading(at: AppTest) -> str:
    """The Trends chart's title, as read: the page's heading just above the chart (Markdown)."""
    return re.sub(r"\\(.)", r"\1", at.subheader[0].value)


def test_a_change_of_wat_redraws_the_trend_chart_in_place(app):
    """One category, then two, then three: the heading above the chart follows, the chart's spec
    stays the same but for its data (the browser updates such a chart in place; a chart whose
    spec changed it draws anew, 50-100 ms more on each change of 'Wat')."""
    app.query_params["gemeente"] = "GM0505"
    at = app.run()
    at.switch_page(routes.TRENDS.file).run()
    specs, headings = set(), []
    for chosen in (["misdrijven"], ["misdrijven", "geweld"], ["misdrijven", "geweld", "overlast"]):
        at.multiselect(key="trends_wat").set_value(chosen).run()
        assert not at.exception
        spec = at.get("vega_lite_chart")[0].proto.spec
        specs.add(re.sub(r'"data-[0-9a-f]+"', '"data"', spec))  # datasets by place, as Streamlit compares
        headings.append(_chart_heading(at))
    assert headings == ["Alle misdrijven per maand"] + ["Geregistreerde incidenten per maand"] * 2
    assert len(specs) == 1


def test_a_slide_shows_its_own_title(app):
    """Slides 2 and 3 of the example are both the 'Kaart Dordrecht' page: the bar names the slide
    as it was saved ('Misdrijven per wijk, per 1.000 inwoners'), so the room knows which view it sees."""
    app.query_params["presentatie"] = "1"
    app.query_params["dia"] = "2"
    at = app.run()
    assert not at.exception
    bar = [m.value for m in at.markdown if m.value.startswith("**2 / 5**")]
    assert bar == ["**2 / 5** · Misdrijven per wijk\\, per 1\\.000 inwoners"], bar  # as Markdown literal


def test_the_goal_charts_say_what_their_marks_mean(app):
    """The bullet charts' legend names only the status colours: the band, the tick, the diamond and
    the margin's line are said once, under the first chart."""
    from ivpdata import progress

    app.query_params["gemeente"] = "GM0505"
    at = app.run()
    at.switch_page(routes.PRIORITEITEN.file).run()
    assert not at.exception
    keys = [c.value for c in at.caption if c.value == progress.CHART_KEY]
    assert len(keys) == 1 and "ruit" in keys[0] and "grijze vlak" in keys[0]


def test_the_prioriteiten_slide_names_each_indicator_with_its_status(app):
    """On the big screen the plan at a glance is the whole slide: besides each priority's counts
    ('1 achter') it names the indicators, so the council hears which one is behind."""
    app.query_params["gemeente"] = "GM0505"
    app.query_params["weergave"] = "presentatie"
    at = app.run()
    at.switch_page(routes.PRIORITEITEN.file).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Overlastregistraties in Dordt\\-West per 1\\.000 inwoners: achter" in text, text[-800:]
    assert not at.dataframe  # the indicators' tables are for the normal view
