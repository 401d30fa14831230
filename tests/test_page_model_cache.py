"""The Overzicht, Trends and Wijkprofiel keep their page models in Streamlit's cache
(`connection.modelled`), the Kaart its map too (`layers.map_view`), and the public releases are
made once and shared (`connection.shared`): what a user sees must still follow the view and the
database. In one session, the public view never shows a figure worked out for the internal view
(nor the other way round), after an import the next rerun shows the new figures, and no page
changes the shared releases."""

from __future__ import annotations

import copy
import io
import shutil
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import routes
from ivpdata import disclosure, fetch
from ivpdata.config import PROJECT_ROOT, load_settings
from ivpdata.page_models import overzicht

TIMEOUT = 60


def _app(**params: str) -> AppTest:
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        app.query_params[key] = value
    return app


def _chart_rows(at: AppTest) -> list[pd.DataFrame]:
    charts = at.get("vega_lite_chart")
    return [pa.ipc.open_stream(io.BytesIO(c.proto.datasets[0].data.data)).read_pandas() for c in charts]


def _overzicht(at: AppTest) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...], str]:
    """What the Overzicht shows of its figures: key figures, the "Wat valt op" lines, the wijk table."""
    metrics = tuple((m.label, m.value, m.delta) for m in at.metric)
    listed = tuple(m.value for m in at.markdown if m.value.startswith(("▲", "▼")))
    return metrics, listed, at.table[0].value.to_csv()


def _trends(at: AppTest) -> tuple[object, ...]:
    """The trend chart's values and each CompStat table."""
    chart = _chart_rows(at)[0]
    return chart.to_csv(), tuple(d.value.to_csv() for d in at.dataframe)


def _wijkprofiel(at: AppTest) -> tuple[object, ...]:
    """The key figures table, the rank and the development chart."""
    return at.table[0].value.to_csv(), tuple(m.value for m in at.markdown), _chart_rows(at)[0].to_csv()


def _kaart(at: AppTest) -> tuple[object, ...]:
    """The map as sent to the browser and the table under it."""
    return tuple(deck.proto.json for deck in at.get("deck_gl_json_chart")), at.dataframe[0].value.to_csv()


PAGES = {  # page, its URL parameters (a view both the internal and the public view can show), what it shows
    "kaart": (routes.KAART.file, {"niveau": "wijk", "wat": "misdrijven", "selectie": "WK050501"}, _kaart),
    "overzicht": (routes.OVERZICHT.file, {"jaar": "2024"}, _overzicht),
    "trends": (routes.TRENDS.file, {"gebied": "WK050501", "wat": "misdrijven", "per": "year"}, _trends),
    "wijkprofiel": (routes.WIJKPROFIEL.file, {"gebied": "BU05050101", "jaar": "2024"}, _wijkprofiel),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_public_view_never_shows_a_figure_cached_for_the_internal_view(built_db, monkeypatch, page):
    monkeypatch.setenv("IVP_DB", str(built_db))
    file, params, shown = PAGES[page]
    at = _app(**params).run()
    if file != routes.OVERZICHT.file:
        at.switch_page(file).run()
    assert not at.exception and not at.toggle(key="openbaar").value
    internal = shown(at)
    at.toggle(key="openbaar").set_value(True).run()
    assert not at.exception
    public = shown(at)
    assert public != internal  # the release's figures, not the exact ones just cached
    at.toggle(key="openbaar").set_value(False).run()
    assert shown(at) == internal
    at.toggle(key="openbaar").set_value(True).run()
    assert shown(at) == public


def test_after_an_import_the_overzicht_shows_the_new_figures(built_db, tmp_path, monkeypatch):
    """Real woninginbraak counts for every Dordrecht buurt in 2024, imported while a session has
    the Overzicht open: its next rerun shows the key figures and wijk table of the new database."""
    from dashboard import connection
    from ivpdata.importing import run_import
    from tests.test_importing import police_csv

    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    monkeypatch.setenv("IVP_DB", str(db))
    at = _app(jaar="2024").run()
    assert not at.exception
    before = _overzicht(at)
    with duckdb.connect(str(db), read_only=True) as con:
        buurten = [r[0] for r in con.execute("SELECT area_code FROM areas WHERE area_code LIKE 'BU0505%'").fetchall()]
    rows = [("1.1.1 ", b, f"2024MM{m:02d}", "40") for b in buurten for m in range(1, 13)]
    with connection.writing():
        run_import(police_csv(tmp_path / "47022NED.csv", rows), db, None, "tester")
    at.run()
    assert not at.exception
    after = _overzicht(at)
    assert after != before
    metrics = dict((label, value) for label, value, _ in after[0])
    with duckdb.connect(str(connection.db_version().path), read_only=True) as con:
        expected = overzicht.page(fetch.on(con), "GM0505", "Dordrecht", 2024, load_settings(), None)
    card = expected.key.cards[0]
    assert metrics[card.label] == card.value  # 'Geregistreerde misdrijven' as the database has it now


def test_no_page_changes_the_shared_public_releases(built_db, monkeypatch):
    """The releases are one object for every session (not a copy per rerun): after the public
    pages that read them, each is as it was made."""

    made: list[tuple[dict, dict]] = []
    make = disclosure.make_releases

    def recorded(**inputs: Any) -> dict:
        releases = make(**inputs)
        made.append((releases, copy.deepcopy(releases)))
        return releases

    monkeypatch.setenv("IVP_DB", str(built_db))
    monkeypatch.setattr(disclosure, "make_releases", recorded)
    st.cache_data.clear()  # no page model cached by an earlier test: every page reads the releases
    st.cache_resource.clear()
    at = _app(openbaar="ja", niveau="buurt", selectie="BU05050101").run()
    for page in (routes.KAART, routes.TRENDS, routes.WIJKPROFIEL, routes.PRIORITEITEN, routes.OVERZICHT):
        at.switch_page(page.file).run()
        assert not at.exception
    assert made  # the public pages did read releases
    for shared, as_made in made:
        assert shared.keys() == as_made.keys()
        for year, release in shared.items():
            for field in ("wijk", "buurt", "gemeente", "wijk_totals", "origin"):
                pd.testing.assert_frame_equal(getattr(release, field), getattr(as_made[year], field))
            assert (release.kinds, release.totals, release.key) == (
                as_made[year].kinds,
                as_made[year].totals,
                as_made[year].key,
            )
