"""Saved presentations: changes in the database and its mirror file, the build restoring them (with
the kept imports: test_rebuild_replays.py), and presentatiemodus through AppTest (stepping,
leaving, adding the current view, reordering)."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from dashboard import connection, routes
from ivpdata import edit_log
from ivpdata import presentations as pr
from ivpdata.build import build
from ivpdata.config import DATA_DIR, PROJECT_ROOT
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state

TIMEOUT = 60
# All crime, which the public view (a presentation's) shows per buurt as saved: a single category
# it shows per wijk only, and says so (tests/test_kaart_page.py).
KAART = pr.Slide("kaart", {"gemeente": "GM0505", "jaar": "2023", "wat": "misdrijven", "niveau": "buurt"}, "Misdrijven")
TRENDS = pr.Slide("trends", {"gemeente": "GM0505", "jaar": "2024", "gebied": "GM0505"}, "Trend")
OVERZICHT = pr.Slide("overzicht", {"gemeente": "GM0388", "jaar": "2020"}, "Enkhuizen 2020")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def _titles(db: Path) -> list[tuple]:
    """The presentations a test made (not the example of the default data), by name and position."""
    sql = (
        "SELECT p.name, s.position, s.caption FROM presentations p JOIN presentation_slides s USING (presentation_id) "
        "WHERE p.name <> 'Voorbeeld raadsvergadering' ORDER BY p.name, s.position"
    )
    return fetch(db, sql)


def _new(db: Path, folder: Path, name: str, *slides: pr.Slide) -> int:
    def make(con) -> int:
        presentation_id = pr.create(con, name)
        for slide in slides:
            pr.add_slide(con, presentation_id, slide)
        return presentation_id

    return pr.change(db, folder, make, by="Bert Beheer", what=f"Presentatie '{name}' gemaakt.")


def test_changes_reach_database_and_mirror_file(db_file, folder):
    presentation_id = _new(db_file, folder, "Raad december", KAART, TRENDS, OVERZICHT)
    edit = partial(pr.change, db_file, folder, by="Anna Intern")
    assert edit(lambda con: pr.move_slide(con, presentation_id, 3, -1), what="dia 3 eerder") == 2
    assert edit(lambda con: pr.move_slide(con, presentation_id, 1, -1), what="dia 1 eerder") == 1  # stays first
    edit(lambda con: pr.remove_slide(con, presentation_id, 1), what="dia 1 verwijderd")
    edit(lambda con: pr.rename(con, presentation_id, "  Raad   januari "), what="hernoemd")
    assert _titles(db_file) == [("Raad januari", 1, "Enkhuizen 2020"), ("Raad januari", 2, "Trend")]
    mirrored = yaml.safe_load((folder / pr.FILE_NAME).read_text(encoding="utf-8"))
    mirrored = [entry for entry in mirrored if entry["id"] == presentation_id]  # the default data has an example
    slides = [("overzicht", "Enkhuizen 2020", OVERZICHT.params), ("trends", "Trend", TRENDS.params)]
    slides_file = [{"page": page, "caption": caption, "params": params} for page, caption, params in slides]
    assert mirrored == [{"id": presentation_id, "name": "Raad januari", "slides": slides_file}]
    log = edit_log.read(folder)  # who made each change, in order
    assert log["edited_by"].tolist() == ["Bert Beheer"] + ["Anna Intern"] * 4
    assert log["change"].tolist() == [
        "Presentatie 'Raad december' gemaakt.",
        "dia 3 eerder",
        "dia 1 eerder",
        "dia 1 verwijderd",
        "hernoemd",
    ]


def test_saved_view_drops_the_presentation_parameters(db_file, folder):
    from dashboard import presenting  # the view on screen becomes a slide without them

    shown = {**KAART.params, "presentatie": "4", "dia": "2", "weergave": "presentatie"}
    slide = pr.Slide("kaart", presenting.view_params(shown), "x")
    _new(db_file, folder, "Raad", slide)
    sql = "SELECT query FROM presentation_slides JOIN presentations USING (presentation_id) WHERE name = 'Raad'"
    assert fetch(db_file, sql) == [(urlencode(KAART.params),)]


def _remove_first_then_ninth(con: duckdb.DuckDBPyConnection, presentation_id: int) -> None:
    """Two removals in one change: the second is refused, so the first must not stay either."""
    pr.remove_slide(con, presentation_id, 1)
    pr.remove_slide(con, presentation_id, 9)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda con, pid: pr.create(con, "raad DECEMBER"), "Er is al een presentatie met de naam"),
        (lambda con, pid: pr.create(con, "   "), "Geef de presentatie een naam"),
        (lambda con, pid: pr.create(con, "x" * 81), "te lang"),
        (lambda con, pid: pr.rename(con, pid + 1, "Ander"), "bestaat niet"),
        (lambda con, pid: pr.move_slide(con, pid, 5, 1), "Dia 5 bestaat niet"),
        (_remove_first_then_ninth, "Dia 9 bestaat niet"),
    ],
)
def test_a_refused_change_leaves_database_and_file_as_they_were(db_file, folder, edit, message):
    presentation_id = _new(db_file, folder, "Raad december", KAART, TRENDS)
    before, mirrored = state(db_file), (folder / pr.FILE_NAME).read_bytes()
    with pytest.raises(pr.PresentationError, match=message):
        pr.change(db_file, folder, lambda con: edit(con, presentation_id), by="Bert Beheer", what="geweigerd")
    assert not changed(before, state(db_file))
    assert (folder / pr.FILE_NAME).read_bytes() == mirrored
    assert edit_log.read(folder)["change"].tolist() == ["Presentatie 'Raad december' gemaakt."]  # no refused change
    assert not list(folder.glob("*.tmp-*"))


def test_build_names_a_broken_mirror_file(tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    (data / pr.FILE_NAME).write_text("- id: 1\n  name: A\n- id: 1\n  name: B\n- name: C\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        build(data, tmp_path / "x.duckdb")
    text = str(error.value)
    assert "presentaties.yaml" in text and "duplicate" in text and "presentation 3" in text
    assert not (tmp_path / "x.duckdb").exists()


# Presentatiemodus in the app.


@pytest.fixture
def presented(db_file, folder, monkeypatch) -> int:
    monkeypatch.setenv("IVP_DB", str(db_file))
    monkeypatch.setenv("IVP_DATA_DIR", str(folder))
    return _new(db_file, folder, "Raad december", OVERZICHT, KAART, TRENDS)


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _style(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "<style>" in m.value)


def test_a_presentation_steps_through_its_views_exactly(presented):
    at = _app(presentatie=str(presented))
    assert not at.exception
    assert at.title[0].value == "Veiligheidsbeeld Enkhuizen"  # slide 1 chose another gemeente and year
    assert at.caption[0].value.startswith("Overzicht 2020")
    assert "[data-testid='stSidebar']" in _style(at) and "display: none" in _style(at)
    assert at.button(key="dia_vorige").disabled and not at.button(key="dia_volgende").disabled
    assert "**1 / 3** · Enkhuizen 2020" in [m.value for m in at.markdown]  # the slide's own title

    at.button(key="dia_volgende").click().run()
    assert at.title[0].value == "Kaart Dordrecht"
    assert {k: at.query_params[k] for k in KAART.params} == KAART.params
    assert at.query_params["dia"] == "2" and at.radio(key="kaart_niveau").value == "buurt"
    assert at.selectbox(key="jaar").value == 2023

    at.button(key="dia_volgende").click().run()
    assert at.title[0].value == "Trends Dordrecht" and at.button(key="dia_volgende").disabled
    at.button(key="dia_vorige").click().run()
    assert at.title[0].value == "Kaart Dordrecht"

    at.button(key="dia_stoppen").click().run()
    assert "presentatie" not in at.query_params and "dia" not in at.query_params
    assert at.title[0].value == "Kaart Dordrecht" and not _style(at)  # the same view, normal mode


def test_a_quick_second_press_steps_from_the_slide_the_first_went_to(presented):
    """Pressed twice quickly, "Volgende" goes two slides on: the second press can reach the server
    before the browser heard of the first one's slide, so it still names slide 1 (its page and
    address); it steps from the slide this session went to, not from the one it names."""
    at = _app(presentatie=str(presented))
    at.button(key="dia_volgende").click().run()
    assert at.query_params["dia"] == "2"
    at.query_params.clear()
    at.query_params.update({**OVERZICHT.params, "presentatie": str(presented), "dia": "1"})
    at.switch_page(routes.OVERZICHT.file)
    at.button(key="dia_volgende").click().run()
    assert at.title[0].value == "Trends Dordrecht" and at.query_params["dia"] == "3"


@pytest.mark.parametrize(("dia", "shown"), [("9", "3 / 3"), ("0", "1 / 3"), ("twee", "1 / 3")])
def test_a_link_to_a_slide_that_is_not_there_says_so(presented, dia, shown):
    """`dia=9` of a presentation of three opened its last slide without a word: a presenter took
    it for the slide asked for."""
    at = _app(presentatie=str(presented), dia=dia)
    assert not at.exception
    assert any(m.value.startswith(f"**{shown}**") for m in at.markdown)
    notices = [t.value for t in at.toast]
    assert notices == [f"**Dia** ‘{dia}’ uit de link bestaat hier niet."], notices
    at.button(key="dia_vorige" if shown == "3 / 3" else "dia_volgende").click().run()
    assert not at.toast  # said once


def test_a_link_to_a_slide_that_is_there_says_nothing(presented):
    at = _app(presentatie=str(presented), dia="2")
    assert not at.exception and not at.toast
    assert any(m.value.startswith("**2 / 3**") for m in at.markdown)


def test_an_unknown_presentation_says_so(presented):
    at = _app(presentatie="99")
    assert not at.exception
    assert any("Presentatie 99 bestaat niet" in m.value for m in at.markdown)


def test_presentatiemodus_by_toggle_and_by_url(presented):
    at = _app(gemeente="GM0505")
    assert not _style(at)
    at.button(key="presentatiemodus_aan").click().run()
    assert at.query_params["weergave"] == "presentatie" and "stSidebar" in _style(at)
    assert _style(_app(weergave="presentatie"))


def test_presentatiemodus_says_public_in_the_address_as_it_shows(presented):
    """Presentatiemodus always shows the public view: a link saved from an internal view
    (openbaar=nee) must not say otherwise in the address bar or a copied link."""
    at = _app(weergave="presentatie", openbaar="nee", gemeente="GM0505")
    assert at.query_params["openbaar"] == "ja"
    at = _app(gemeente="GM0505", openbaar="nee")  # without it the switch rules, as before
    assert at.query_params["openbaar"] == "nee"


def test_add_the_current_view_to_a_new_and_an_existing_presentation(presented, db_file, folder):
    at = _app()
    at.switch_page("dashboard/pages/kaart.py").run()
    at.radio(key="kaart_niveau").set_value("buurt").run()
    at.selectbox(key="dia_presentatie").set_value(0).run()  # 0: a new presentation
    at.text_input(key="dia_nieuwe_naam").set_value("Driehoek").run()
    at.text_input(key="dia_titel").set_value("Buurten").run()
    at.button(key="dia_toevoegen").click().run()
    assert not at.exception and at.success[0].value == "Toegevoegd als dia 1."
    saved = {p.name: p for p in pr.read_all(connection.connection())}
    assert saved["Driehoek"].slides[0].page == "kaart" and saved["Driehoek"].slides[0].caption == "Buurten"
    assert saved["Driehoek"].slides[0].params["niveau"] == "buurt"

    at.selectbox(key="dia_presentatie").set_value(presented).run()
    at.button(key="dia_toevoegen").click().run()
    assert at.success[0].value == "Toegevoegd als dia 4."
    assert "Driehoek" in (folder / pr.FILE_NAME).read_text(encoding="utf-8")


def _page_links(at: AppTest) -> list[str]:
    return [link.label for link in at.main.get("page_link") if isinstance(link, Element)]  # no blocks


def test_presentaties_page_reorders_and_starts(presented):
    at = _app()
    at.switch_page("dashboard/pages/presentaties.py").run()
    assert not at.exception
    links = _page_links(at)
    assert links[:4] == ["Presentatie starten", "Enkhuizen 2020", "Toon", "Misdrijven"]
    at.button(key="dia_neer_1").click().run()
    assert _page_links(at)[1::2][:3] == ["Misdrijven", "Enkhuizen 2020", "Trend"]
    at.button(key="dia_weg_3").click().run()
    assert at.success[0].value == "Dia 3 verwijderd."
    assert _page_links(at)[1::2] == ["Misdrijven", "Enkhuizen 2020"]


def test_the_presentaties_page_names_each_presentations_gemeenten(presented):
    """Enkhuizen's page listed Dordrecht's example presentation without a word on whose it was, and
    "Presentatie starten" opened Dordrecht's figures: the list names the gemeenten of the slides,
    and a presentation without a slide of the gemeente in view says so before it is started."""
    at = _app(gemeente="GM0388")
    at.switch_page("dashboard/pages/presentaties.py").run()
    choice = at.selectbox(key="presentatie_keuze")
    assert set(choice.options) == {"Raad december (Enkhuizen, Dordrecht)", "Voorbeeld raadsvergadering (Dordrecht)"}
    choice.select_index(next(i for i, shown in enumerate(choice.options) if shown.startswith("Voorbeeld"))).run()
    assert [info.value for info in at.info] == [
        "Deze presentatie toont Dordrecht, niet Enkhuizen: zijn dia's tonen de cijfers van Dordrecht."
    ]


def test_driehoeksrapportage_page_makes_the_pdf_for_its_period(presented):
    at = _app(jaar="2024")
    at.switch_page("dashboard/pages/rapportage.py").run()
    assert not at.exception and at.title[0].value == "Driehoeksrapportage Dordrecht"
    assert "Vertrouwelijke versie" in " ".join(c.value for c in at.caption)
    assert at.query_params["periode"] == "2024-01..2024-12"
    start, end = at.select_slider(key="rapportage_periode_2024").value
    pdf = connection.briefing_file("GM0505", start, end, False)
    assert pdf.startswith(b"%PDF")


def test_deleting_a_presentation_asks_for_confirmation(presented, db_file):
    at = _app()
    at.switch_page("dashboard/pages/presentaties.py").run()
    assert at.button(key="presentatie_verwijderen").disabled
    at.checkbox(key=f"presentatie_zeker_{presented}").check().run()
    at.button(key="presentatie_verwijderen").click().run()
    assert at.success[0].value == "Presentatie 'Raad december' verwijderd."
    assert fetch(db_file, "SELECT name FROM presentations") == [("Voorbeeld raadsvergadering",)]


def _shipped_kaart_slides() -> list[tuple[int, int, str]]:
    """(presentation, slide number, caption) of every Kaart slide in data/presentaties.yaml."""
    shipped = yaml.safe_load((DATA_DIR / pr.FILE_NAME).read_text(encoding="utf-8"))
    return [(p["id"], n, s["caption"]) for p in shipped for n, s in enumerate(p["slides"], 1) if s["page"] == "kaart"]


@pytest.mark.parametrize(("presentation", "slide", "caption"), _shipped_kaart_slides())
def test_no_shipped_slide_shows_an_all_grey_map(built_db, monkeypatch, presentation, slide, caption):
    """In presentatiemodus (the public view) every Kaart slide colours most of its areas (not one
    coloured wijk among twelve hidden by the public rules), and the caption names the level that is
    drawn (a public view may draw wijken instead of buurten)."""
    import json

    from ivpdata import mapping

    monkeypatch.setenv("IVP_DB", str(built_db))
    at = _app(presentatie=str(presentation), dia=str(slide))
    assert not at.exception and at.title[0].value.startswith("Kaart")
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    fills = [f["properties"]["fill"] for f in deck["layers"][0]["data"]["features"]]
    coloured = sum(fill != mapping.rgb(mapping.UNSTABLE_COLOUR) for fill in fills)
    assert coloured >= len(fills) / 2, f"{caption}: {len(fills) - coloured} of {len(fills)} areas are grey"
    drawn = next(c.value for c in at.caption if " · " in c.value).rsplit(" per ", 1)[1]  # "... · Aantal per wijk"
    assert f"per {drawn}" in caption
    assert not at.warning
