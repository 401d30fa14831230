"""The Kaart through Streamlit's AppTest: the comparison period follows the period unless a user or a
link chose it, and a selected buurt's panel, its hatching and legend, as a user sees them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata import formatting, mapping, periods, queries, safetext
from ivpdata.config import PROJECT_ROOT, load_settings
from ivpdata.page_models import kaart as kaart_model
from tests.support import decks

TIMEOUT = 60
GEMEENTE = "GM0505"


@pytest.fixture
def kaart(built_db, monkeypatch) -> Callable[..., AppTest]:
    """Opens the Kaart in a new session with these URL parameters (a link)."""
    monkeypatch.setenv("IVP_DB", str(built_db))

    def open_kaart(**params: str) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
        at.query_params.update(params)
        at.switch_page("dashboard/pages/kaart.py").run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_kaart


def _comparison(at: AppTest) -> tuple[dt.date, dt.date]:
    """The comparison the page used, as its link says (it is a slider only when chosen by hand)."""
    first, last = at.query_params["vergelijking"].split("..")
    return dt.date.fromisoformat(f"{first}-01"), dt.date.fromisoformat(f"{last}-01")


def _choose_comparison(at: AppTest, chosen: tuple[dt.date, dt.date]) -> None:
    at.toggle(key="kaart_vergelijking_zelf").set_value(True).run()
    at.select_slider(key=f"kaart_vergelijking_{at.selectbox(key='jaar').value}").set_value(chosen).run()
    assert not at.exception


def _set_period(at: AppTest, period: tuple[dt.date, dt.date]) -> None:
    at.select_slider(key=f"kaart_periode_{at.selectbox(key='jaar').value}").set_value(period).run()
    assert not at.exception


def _described(at: AppTest) -> str:
    return next(c.value for c in at.caption if " · " in c.value)


def test_the_comparison_follows_the_period(kaart, db):
    at = kaart()
    year = at.selectbox(key="jaar").value
    assert _comparison(at) == (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 1))
    _set_period(at, (dt.date(year, 1, 1), dt.date(year, 6, 1)))
    assert _comparison(at) == (dt.date(year - 1, 1, 1), dt.date(year - 1, 6, 1))
    assert f"jan {year} - jun {year} vergeleken met jan {year - 1} - jun {year - 1}" in _described(at)
    assert at.query_params["vergelijking"] == f"{year - 1}-01..{year - 1}-06"
    # The table's comparison figures are those of the moved comparison period, not of the whole year.
    codes = list(queries.category_options(db, GEMEENTE)["category_codes"].iloc[0])
    expected = queries.area_counts(
        db, GEMEENTE, "wijk", codes, *[(dt.date(y, 1, 1), dt.date(y, 6, 1)) for y in (year, year - 1)]
    )
    table = at.dataframe[0].value
    assert table["Vergelijkingsperiode"].sum() == expected["comparison_count"].sum()
    assert table["Aantal"].sum() == expected["incident_count"].sum()
    # Moved again (a year back): the comparison moves along.
    _set_period(at, (dt.date(year - 1, 3, 1), dt.date(year - 1, 5, 1)))
    assert _comparison(at) == (dt.date(year - 2, 3, 1), dt.date(year - 2, 5, 1))


def test_a_comparison_chosen_by_hand_stays(kaart):
    at = kaart()
    year = at.selectbox(key="jaar").value
    chosen = (dt.date(year - 3, 1, 1), dt.date(year - 3, 12, 1))
    assert not at.toggle(key="kaart_vergelijking_zelf").value  # follows the period until chosen by hand
    _choose_comparison(at, chosen)
    at.radio(key="kaart_maat").set_value("change").run()
    assert not at.exception and _comparison(at) == chosen
    _set_period(at, (dt.date(year, 1, 1), dt.date(year, 6, 1)))
    assert _comparison(at) == chosen  # a user's choice is not overruled by the period
    assert f"vergeleken met jan {year - 3} - dec {year - 3}" in _described(at)


def test_a_link_restores_its_comparison_exactly(kaart):
    at = kaart(jaar="2025", periode="2025-01..2025-06", vergelijking="2022-03..2022-05", maat="change")
    assert _comparison(at) == (dt.date(2022, 3, 1), dt.date(2022, 5, 1))
    assert at.toggle(key="kaart_vergelijking_zelf").value  # the link's sender chose it
    assert at.select_slider(key="kaart_vergelijking_2025").value == (dt.date(2022, 3, 1), dt.date(2022, 5, 1))
    _set_period(at, (dt.date(2025, 2, 1), dt.date(2025, 6, 1)))
    assert _comparison(at) == (dt.date(2022, 3, 1), dt.date(2022, 5, 1))  # chosen by the link's sender
    # A link whose comparison is the year-earlier default keeps following, as on the sender's screen.
    at = kaart(jaar="2025", periode="2025-01..2025-06", vergelijking="2024-01..2024-06")
    assert _comparison(at) == (dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    assert not at.toggle(key="kaart_vergelijking_zelf").value
    _set_period(at, (dt.date(2025, 4, 1), dt.date(2025, 9, 1)))
    assert _comparison(at) == (dt.date(2024, 4, 1), dt.date(2024, 9, 1))


def test_an_address_that_lags_behind_does_not_undo_new_input(kaart):
    """Fast key presses: the browser sends a rerun with the slider's new value while its address
    still shows what an earlier run wrote. That echo is no link: the newest input stands."""
    at = kaart()
    year = at.selectbox(key="jaar").value
    written_first = at.query_params["periode"]
    _set_period(at, (dt.date(year, 1, 1), dt.date(year, 6, 1)))
    at.query_params["periode"] = written_first  # the address the browser still shows
    _set_period(at, (dt.date(year, 1, 1), dt.date(year, 5, 1)))
    assert at.select_slider(key=f"kaart_periode_{year}").value == (dt.date(year, 1, 1), dt.date(year, 5, 1))
    assert at.query_params["periode"] == f"{year}-01..{year}-05"
    assert _comparison(at) == (dt.date(year - 1, 1, 1), dt.date(year - 1, 5, 1))
    assert f"jan {year} - mei {year} vergeleken met jan {year - 1} - mei {year - 1}" in _described(at)


def test_a_comparison_switched_back_follows_the_period_again(kaart):
    at = kaart()
    year = at.selectbox(key="jaar").value
    _choose_comparison(at, (dt.date(year - 3, 1, 1), dt.date(year - 3, 12, 1)))
    at.toggle(key="kaart_vergelijking_zelf").set_value(False).run()
    _set_period(at, (dt.date(year, 2, 1), dt.date(year, 4, 1)))
    assert _comparison(at) == (dt.date(year - 1, 2, 1), dt.date(year - 1, 4, 1))
    at.toggle(key="kaart_vergelijking_zelf").set_value(True).run()  # the slider starts at the year earlier
    assert at.select_slider(key=f"kaart_vergelijking_{year}").value == (
        dt.date(year - 1, 2, 1),
        dt.date(year - 1, 4, 1),
    )


def _unstable_buurt(db, year: int) -> tuple[str, str, int, int]:
    """A buurt of the default data whose change the map does not show (few incidents before)."""
    codes = list(queries.category_options(db, GEMEENTE)["category_codes"].iloc[0])
    counts = queries.area_counts(
        db, GEMEENTE, "buurt", codes, periods.calendar_year(year), periods.calendar_year(year - 1)
    )
    values = mapping.area_measures(counts, "change", mapping.thresholds_for(load_settings(), "buurt"))
    unstable = values[~values["is_stable"] & (values["comparison_count"] > 0)].iloc[0]
    return (
        unstable["area_code"],
        unstable["area_name"],
        int(unstable["comparison_count"]),
        int(unstable["incident_count"]),
    )


def test_a_selected_buurt_from_a_link_shows_its_panel_hatching_and_legend(kaart, db):
    code, name, before, now = _unstable_buurt(db, 2025)
    at = kaart(jaar="2025", niveau="buurt", maat="change", selectie=code)
    assert at.subheader[0].value == name
    panel = " ".join(m.value for m in at.markdown if "**Rang:**" in m.value)
    assert f"van {before} naar {now}" in panel and "niet getoond (minder dan 10 incidenten" in panel
    assert "%" not in panel and "geen rangorde" in panel
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "namen"]
    features = {f["properties"]["area_code"]: f for f in deck["layers"][0]["data"]["features"]}
    assert decks.outline_widths(deck)[code] == 4  # highlighted
    assert features[code]["properties"]["fill"] == mapping.rgb(mapping.UNSTABLE_COLOUR)
    assert "%" not in features[code]["properties"]["details"].split("Verandering: ")[1]
    unstable = [f for f in features.values() if f["properties"]["fill"] == mapping.rgb(mapping.UNSTABLE_COLOUR)]
    assert decks.hatched_areas(deck) == {f["properties"]["area_code"] for f in unstable}
    assert decks.segments(deck, mapping.GROUP_LINE_COLOUR)  # the area groups
    legend = next(m.value for m in at.html if "lager dan -25%" in m.value)
    assert "repeating-linear-gradient" in legend and mapping.UNSTABLE_TEXT in legend
    table = at.dataframe[0].value.set_index("Code")
    assert "verandering (%) niet getoond" in table.loc[code, "Opmerking"]
    assert pd.isna(table.loc[code, "Verandering (%)"])
    assert at.dataframe[0].proto.placeholder == formatting.MISSING  # the empty cell reads '–', not 'None'
    # Another measure: the selection stays, the buurt now has a rank among the stable ones.
    at.radio(key="kaart_maat").set_value("count").run()
    assert at.subheader[0].value == name
    assert any("e van 132 (aantal, hoogste eerst)" in m.value for m in at.markdown)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert not decks.segments(deck, mapping.HATCH_COLOUR)  # a count is never unstable: no hatching
    assert decks.segments(deck, mapping.GROUP_LINE_COLOUR)


def test_enkhuizen_without_area_groups_has_no_group_outlines(kaart):
    at = kaart(gemeente="GM0388", niveau="buurt")
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert decks.layer_ids(deck)[:2] == ["gebieden", "lijnen"]  # and the names that fit
    assert decks.segments(deck) and not decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    assert 52.7 < deck["initialViewState"]["latitude"] < 52.8


def test_a_far_off_island_is_named_under_the_map_not_framed(kaart):
    """Enkhuizen's Vogeleiland lies 5 km out in the IJsselmeer: the first view frames the town and a
    note under the map names the island (the table lists it), also on the big screen."""
    for at in (
        kaart(gemeente="GM0388", niveau="buurt"),
        kaart(gemeente="GM0388", niveau="buurt", weergave="presentatie"),
    ):
        captions = [caption.value.replace("\\", "") for caption in at.caption]  # as read: escapes resolved
        assert any("Buiten beeld: Vogeleiland, ver van de rest" in text for text in captions), captions
        deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
        assert deck["initialViewState"]["latitude"] < 52.72  # the town's middle, not the water north of it
    assert not any("Buiten beeld" in caption.value for caption in kaart().caption)  # Dordrecht: all in view


def test_on_a_big_screen_the_names_are_larger(kaart):
    """Presentatiemodus sets the page's type 22 px instead of 16: the map's names grow too (at 13 px
    they were the smallest text on the council's screen), as far as leaves room for them all."""

    def names(at: AppTest) -> dict[str, tuple[int, float]]:
        """Per name its font size and the height the map draws it at, in pixels."""
        deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
        layer = decks.layer(deck, mapping.LABEL_LAYER_ID)
        return {label["name"]: (label["size"], label["height"]) for label in layer["data"]}

    normal = names(kaart(niveau="wijk"))
    assert {size for size, _ in normal.values()} == {13}
    screen = names(kaart(niveau="wijk", weergave="presentatie"))
    assert {size for size, _ in screen.values()} == {15} and "Binnenstad" in screen  # the small, central wijk named
    one_line = [name for name in normal if name in screen and "\n" not in name]
    assert one_line and all(screen[name][1] > normal[name][1] for name in one_line)  # drawn larger too


GREY = mapping.rgb(mapping.UNSTABLE_COLOUR)


def _fills(at: AppTest) -> list[list[int]]:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return [f["properties"]["fill"] for f in deck["layers"][0]["data"]["features"]]


def _kaart_slides() -> list[dict[str, str]]:
    import yaml

    shipped = yaml.safe_load((PROJECT_ROOT / "data" / "presentaties.yaml").read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in s["params"].items()} for p in shipped for s in p["slides"] if s["page"] == "kaart"]


@pytest.mark.parametrize(
    "params",
    [{}, *_kaart_slides()],
    ids=lambda p: f"{p.get('wat', 'standaard')}-{p.get('niveau', '')}-{p.get('maat', '')}",
)
def test_the_default_and_every_shipped_slide_open_on_a_map_with_colour(kaart, params):
    """No all-grey map where a user starts: the Kaart's defaults and every Kaart slide of the shipped presentations."""
    fills = _fills(kaart(**params))
    assert any(fill != GREY for fill in fills), "every area is grey"


def test_an_all_grey_view_says_why_and_offers_the_wijken(kaart):
    at = kaart(jaar="2025", wat="1.1.1", niveau="buurt", maat="change")
    assert all(fill == GREY for fill in _fills(at))  # woninginbraak per buurt: too few before everywhere
    assert [w.value for w in at.warning] == [
        "Alle buurten zijn grijs: minder dan 10 incidenten in de vergelijkingsperiode."
    ]
    assert [b.label for b in at.button if b.label in ("Bekijk per wijk", "Toon aantallen")] == [
        "Bekijk per wijk",
        "Toon aantallen",
    ]
    next(b for b in at.button if b.label == "Bekijk per wijk").click().run()
    assert not at.exception and at.radio(key="kaart_niveau").value == "wijk"
    assert at.query_params["niveau"] == "wijk"
    assert any(fill != GREY for fill in _fills(at)) and not at.warning


def test_counts_instead_of_change_when_no_wijk_helps(kaart):
    at = kaart(jaar="2025", wat="1.4.2", niveau="buurt", maat="change")  # moord, doodslag
    assert [b.label for b in at.button if b.label in ("Bekijk per wijk", "Toon aantallen")] == ["Toon aantallen"]
    next(b for b in at.button if b.label == "Toon aantallen").click().run()
    assert not at.exception and at.radio(key="kaart_maat").value == "count"
    assert len({tuple(fill) for fill in _fills(at)}) >= 2 and not at.warning
    legend = next(m.value for m in at.html if "Fisher-Jenks" in m.value)
    assert "alle waarden" not in legend and ">0</span>" in legend


def _sentence(at: AppTest) -> str:
    """The map in words (ivpdata.map_summary) as the page shows it, its Markdown escapes undone."""
    shown = next(m.value for m in at.markdown if m.value.startswith("Kaart van"))
    return re.sub(r"\\(.)", r"\1", shown).replace(safetext.WORD_JOINER, "")


def _not_shown(sentence: str) -> int:
    """How many areas the sentence says have no figure on the map."""
    parts = re.findall(r"; (\d+) (?:wijk|wijken|buurt|buurten) (?:niet getoond|afgeschermd|zonder)", sentence)
    return sum(int(n) for n in parts)


def test_the_sentence_beside_the_map_says_what_the_table_says(kaart):
    at = kaart(jaar="2025", niveau="buurt", maat="per_1000")
    sentence, table = _sentence(at), at.dataframe[0].value
    rates = pd.to_numeric(table["Per 1.000 inwoners"], errors="coerce")
    assert sentence.startswith(f"Kaart van {len(table)} buurten, ")
    top = rates.round(1).max()
    tied = list(table.loc[rates.round(1) == top, "Gebied"])
    assert f"hoogst {tied[0]}" in sentence and formatting.number(top, 1) in sentence
    assert _not_shown(sentence) == rates.isna().sum() > 0
    assert sentence.endswith("Demo-cijfers, geen echte gegevens.")  # the default data are demo
    # Read before the map: the sentence comes first in the page's order.
    order = [e.type for e in at.main if e.type in ("markdown", "deck_gl_json_chart")]
    assert order.index("deck_gl_json_chart") > 0


def test_a_public_kaart_without_a_complete_year_says_so_and_the_run_goes_on(db_file, monkeypatch):
    """The public view shows whole calendar years only: with none complete the page ends early,
    inside the map's part, with its note. The run must go on after it (the share link, the
    presentation controls), and no error box may take the note's place."""
    with duckdb.connect(str(db_file)) as con:
        con.execute("DELETE FROM incident_months WHERE month = 12")  # no year has all twelve months
    monkeypatch.setenv("IVP_DB", str(db_file))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"gemeente": GEMEENTE, "openbaar": "ja"})
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert periods.public_note(None, None) in [info.value for info in at.info]
    assert not at.get("deck_gl_json_chart")
    assert "kaart_zoek" not in [box.key for box in at.selectbox]  # no search box above the note
    assert "Deel deze weergave" in [p.proto.popover.label for p in at.get("popover")]


def test_the_public_sentence_counts_hidden_areas_and_names_none_of_them(kaart):
    at = kaart(openbaar="ja", jaar="2024", wat="1.1.1", niveau="wijk", maat="count")
    sentence, table = _sentence(at), at.dataframe[0].value
    # The public table's counts are Dutch text ('1.234'), '< 5' or 'x' where hidden.
    figures = pd.to_numeric(table["Aantal"].astype(str).str.replace(".", "", regex=False), errors="coerce")
    hidden = table[figures.isna()]
    assert len(hidden) > 0 and f"; {len(hidden)} wijken afgeschermd in de openbare weergave" in sentence
    assert not any(name in sentence for name in hidden["Gebied"])
    top = table.loc[figures.idxmax()]
    assert f"{top['Gebied']}" in sentence and formatting.number(figures.max()) in sentence


def test_the_search_selects_a_buurt_and_a_wijk_at_their_level(kaart, db):
    at = kaart(jaar="2025")  # per wijk
    search = at.selectbox(key="kaart_zoek")
    assert search.value is None and search.placeholder == "Zoek een wijk of buurt"
    buurt = queries.area_geometries(db, GEMEENTE, "buurt").iloc[5]
    search.set_value(buurt["area_code"]).run()
    assert not at.exception
    assert at.radio(key="kaart_niveau").value == "buurt"
    assert at.query_params["selectie"] == buurt["area_code"]
    assert at.subheader[0].value == safetext.markdown_literal(buurt["area_name"])
    assert at.selectbox(key="kaart_zoek").value == buurt["area_code"]  # the search shows the selection
    wijk = queries.area_geometries(db, GEMEENTE, "wijk").iloc[2]
    at.selectbox(key="kaart_zoek").set_value(wijk["area_code"]).run()
    assert at.radio(key="kaart_niveau").value == "wijk" and at.query_params["selectie"] == wijk["area_code"]
    assert at.subheader[0].value == safetext.markdown_literal(wijk["area_name"])


def test_a_selection_in_a_link_shows_in_the_search_and_a_new_level_drops_it_there_too(kaart, db):
    """The search box is drawn before the map's part: a linked area must reach it in the first
    run, and an area the other level drops must leave it (the map's part reruns the page)."""
    wijk = queries.area_geometries(db, GEMEENTE, "wijk").iloc[3]["area_code"]
    at = kaart(jaar="2025", niveau="wijk", selectie=wijk)
    assert at.selectbox(key="kaart_zoek").value == wijk
    at.radio(key="kaart_niveau").set_value("buurt").run()
    assert not at.exception
    assert "selectie" not in at.query_params and at.selectbox(key="kaart_zoek").value is None
    assert kaart_model.CHOOSE_AREA in [info.value for info in at.info]


def test_a_linked_area_that_the_map_of_the_links_level_lacks_is_named_once(kaart, db):
    """A link to the map per wijk with a buurt selected (a buurt's link opened per wijk, or in a
    public view per wijk): the map shows no selection and says why, once. Before, the buurt was
    dropped without a word, and the map read as the view the link asked for."""
    buurt = queries.area_geometries(db, GEMEENTE, "buurt").iloc[5]
    at = kaart(jaar="2025", niveau="wijk", selectie=buurt["area_code"])
    assert "selectie" not in at.query_params and at.selectbox(key="kaart_zoek").value is None
    notices = [re.sub(r"\\(.)", r"\1", toast.value) for toast in at.toast]
    assert len(notices) == 1 and notices[0].startswith(f"**Gebied** ‘{buurt['area_name']} (buurt in ")
    assert notices[0].endswith("’ staat niet op de kaart per wijk.")
    at.run()  # any click
    assert not at.exception and not at.toast  # said once
    at.radio(key="kaart_niveau").set_value("buurt").run()
    assert not at.exception and not at.toast


def test_a_level_the_user_chooses_drops_the_selection_without_a_notice(kaart, db):
    """The user changed the level: the selection of the other level goes, as they can see."""
    wijk = queries.area_geometries(db, GEMEENTE, "wijk").iloc[3]["area_code"]
    at = kaart(jaar="2025", niveau="wijk", selectie=wijk)
    at.radio(key="kaart_niveau").set_value("buurt").run()
    assert not at.exception and not at.toast


def test_a_selected_area_links_to_its_wijkprofiel_and_trends_with_the_same_category_and_period(kaart, db):
    wijk = queries.area_geometries(db, GEMEENTE, "wijk").iloc[1]["area_code"]
    at = kaart(jaar="2025", wat="1.1.1", maat="per_1000", selectie=wijk, periode="2025-01..2025-06")
    page_links = {link.proto.label: link.proto for link in at.main.get("page_link")}
    profile = parse_qs(page_links["Wijkprofiel"].query_string)
    trend = parse_qs(page_links["Trends"].query_string)
    assert (page_links["Wijkprofiel"].page, page_links["Trends"].page) == ("wijkprofiel", "trends")
    for link in (profile, trend):
        assert link["gebied"] == [wijk] and link["wat"] == ["1.1.1"] and link["gemeente"] == [GEMEENTE]
    assert profile["periode"] == ["2025-01..2025-06"] and trend["maanden"] == ["2025-01..2025-06"]
    assert trend["maat"] == ["per_1000"] and trend["per"] == ["month"]


def test_in_december_this_year_to_date_stays_chosen_in_a_link(kaart):
    """The default data end in December 2025: the last 12 months and this year to date are the same
    months. The one the user chose stays shown, and a link carries it (the months alone would name
    the other)."""
    at = kaart(jaar="2024")
    presets = next(radio for radio in at.radio if radio.label == "Periode")
    assert presets.value == periods.VORIG_JAAR  # the sidebar's 2024 is the year before the data's last
    presets.set_value(periods.DIT_JAAR).run()
    assert not at.exception
    assert next(radio for radio in at.radio if radio.label == "Periode").value == periods.DIT_JAAR
    assert "jan 2025 - dec 2025 vergeleken met jan 2024 - dec 2024" in _described(at)
    params = dict(at.query_params)
    assert (params["periode"], params["periodekeuze"]) == ("2025-01..2025-12", periods.DIT_JAAR)
    again = kaart(**params)
    assert next(radio for radio in again.radio if radio.label == "Periode").value == periods.DIT_JAAR
    assert next(radio for radio in kaart(jaar="2025").radio if radio.label == "Periode").value == (
        periods.LAATSTE_12_MAANDEN  # the same months without a choice: the first preset that names them
    )


def test_the_period_slider_writes_months_as_the_captions_do(kaart):
    """The slider's months read 'jan 2025', as the caption under the map does, not '01-2025'."""
    at = kaart(jaar="2025")
    slider = next(s for s in at.select_slider if s.label == "Maanden")
    assert slider.options[0] == "jan 2017" and "mrt 2025" in slider.options, slider.options[:3]
    first, last = slider.value
    caption = next(c.value for c in at.caption if "vergeleken met" in c.value)
    assert periods.label((first, last)) in caption  # 'jan 2025 - dec 2025 vergeleken met ...'
    assert {periods.month_short(first), periods.month_short(last)} <= set(slider.options)


@pytest.mark.parametrize(
    ("wat", "shown"),
    [
        ("1.4.1", "wijk"),  # zeden: public per wijk only
        ("misdrijven", "buurt"),  # a public total: per buurt as asked
    ],
)
def test_the_public_niveau_offers_the_levels_the_release_shows(kaart, wat, shown):
    """A public link asking for buurten: the Niveau control shows the level the map is drawn at,
    and offers only the levels the public release has for the category (before the fix it said
    'buurt' above a map of wijken)."""
    at = kaart(openbaar="ja", jaar="2024", wat=wat, niveau="buurt")
    niveau = at.radio(key="kaart_niveau")
    drawn = next(c.value for c in at.caption if " · " in c.value)  # 'Zedenmisdrijf · 2024 · Aantal per wijk'
    assert niveau.value == shown and f"per {shown}" in drawn, (niveau.value, drawn)
    assert list(niveau.options) == (["wijk"] if shown == "wijk" else ["wijk", "buurt"])
    assert niveau.disabled == (shown == "wijk")
    assert at.query_params["niveau"] in (shown, [shown])  # the address says what is shown
    notes = [i.value for i in at.info]
    assert any("alleen per wijk" in note for note in notes) == (shown == "wijk"), notes  # and says why


def test_the_public_table_aligns_its_figures_right_as_numbers_are(kaart):
    """Public counts read '1.234', '< 5' or 'x' (text, which a table aligns left): they are
    aligned right like the internal table's numbers, so that digits line up; names stay left."""
    at = kaart(openbaar="ja", jaar="2024", wat="1.1.1", niveau="wijk", maat="count")
    config = json.loads(at.dataframe[0].proto.columns)
    right = {column for column, options in config.items() if options.get("alignment") == "right"}
    assert {"Aantal", "Per 1.000 inwoners", "Verandering (%)"} <= right and "Gebied" not in right, config


def test_a_table_shown_again_is_replayed_not_styled_again(kaart, monkeypatch):
    """The table under the map is kept per content: a rerun that shows the same table again (the
    Niveau radio back to wijk) sends the same element without styling it anew, which cost about
    25 ms of each run per buurt (pandas' Styler, turned into display values cell by cell)."""
    import streamlit as st

    st.cache_data.clear()
    styled: list[int] = []
    dutch_table = formatting.dutch_table

    def counted(frame, *args, **kwargs):
        styled.append(len(frame))
        return dutch_table(frame, *args, **kwargs)

    monkeypatch.setattr(formatting, "dutch_table", counted)
    at = kaart(jaar="2025", niveau="wijk", maat="per_1000")
    first = at.dataframe[0].proto.SerializeToString()
    wijken = len(at.dataframe[0].value)
    at.radio(key="kaart_niveau").set_value("buurt").run()
    buurten = len(at.dataframe[0].value)
    assert buurten > wijken and styled.count(buurten) == 1
    at.radio(key="kaart_niveau").set_value("wijk").run()
    assert not at.exception
    assert at.dataframe[0].proto.SerializeToString() == first  # the same table, in the same place
    assert styled.count(wijken) == 1, styled
    order = [e.type for e in at.main]
    assert order.index("dataframe") > order.index("deck_gl_json_chart"), order
