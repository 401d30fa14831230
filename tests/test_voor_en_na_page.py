"""Voor en na as a user sees it: the buurt map shows the whole gemeente, and the comparison opens on
the incidents the measure aims at."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from ivpdata import queries
from ivpdata.config import PROJECT_ROOT
from ivpdata.db import summarise_months
from tests.test_mapping import _pixels

DEMO = "demo-BU05050509-OVL-JGD:BU05050509"  # a buurt in the west of Dordrecht
# The width of the map's column measured in Chromium (sidebar open) in windows 1280, 1600 and 1920
# px wide; the map is 360 px high.
COLUMN_WIDTHS = [402, 562, 722]


def _voor_en_na(db, choice: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["maatregel"] = choice
    at.run()
    at.switch_page("dashboard/pages/voor_en_na.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("choice", [DEMO, "d002-nplv-dordt-west:dordt-west"])
def test_the_map_shows_the_whole_gemeente_at_every_window_width(built_db, db, choice, monkeypatch):
    at = _voor_en_na(built_db, choice, monkeypatch)
    at.selectbox(key=f"maatregel_start_{choice}").set_value("2024-01").run()
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]  # what the browser gets
    geometries = queries.area_geometries(db, "GM0505", "buurt")
    union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]])
    points = [_pixels(x, y, view) for x, y in shapely.get_coordinates(union)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert min(ys) >= -180 + 10 and max(ys) <= 180 - 10, "Dordrecht is cut off at the top or bottom"
    for width in COLUMN_WIDTHS:
        assert min(xs) >= -width / 2 + 10 and max(xs) <= width / 2 - 10, f"Dordrecht is cut off at {width} px"
    assert max(xs) - min(xs) > 0.8 * (COLUMN_WIDTHS[0] - 48), "Dordrecht is drawn smaller than the map allows"


@pytest.mark.parametrize("measure", ["d002-kromhout-plan:kromhout", "d002-nplv-dordt-west:dordt-west"])
def test_an_overlast_measure_opens_on_overlast(built_db, monkeypatch, measure):
    """Both measures of document 002's 'Tegengaan van overlast' (NPLV Dordt-West is the page's first)."""
    at = _voor_en_na(built_db, measure, monkeypatch)
    assert at.selectbox(key=f"maatregel_wat_{measure}").value == "overlast"


def test_a_measures_category_without_counts_opens_on_its_theme(built_db, tmp_path, monkeypatch):
    """After an import that holds no 'Melding overlast jeugd', the youth-nuisance measure opens on
    Overlast, not on all crime."""
    db = tmp_path / "ivp.duckdb"
    shutil.copy(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM incident_counts WHERE category_code = 'OVL-JGD'")
        summarise_months(con)  # as every writer of incident_counts does
    at = _voor_en_na(db, DEMO, monkeypatch)
    wat = at.selectbox(key=f"maatregel_wat_{DEMO}")
    assert wat.value == "overlast" and "Melding overlast jeugd" not in wat.options
    assert any("Overlast ·" in c.value for c in at.caption)


@pytest.mark.browser
@pytest.mark.parametrize("window", [(1400, 1000), (1920, 1080)])
def test_the_browser_shows_the_whole_of_dordrecht(server, browser, window):
    """The whole map, and its legend within the map's column: the entry naming the measure's
    area ran past the page's edge at 1400 px."""
    from ivpdata.mapping import DIVERGING, UNSTABLE_COLOUR
    from tests.support.browser import ARTIFACTS, drawn, near, pixels_of

    page = browser.new_page(viewport={"width": window[0], "height": window[1]})
    page.goto(f"{server}/voor_en_na?gemeente=GM0505&maatregel={DEMO}")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    diverging = [c for c in DIVERGING if c != "#f7f7f7"]  # not the pale background
    # deck.gl draws after the element appears: wait until the map shows its classes
    pixels = pixels_of(drawn(chart, lambda shot: near(pixels_of(shot), diverging).sum() > 500))
    pixels[:80, -80:] = 0  # the zoom buttons in the top right corner are no area
    areas = near(pixels, [*diverging, UNSTABLE_COLOUR])
    rows, columns = areas.any(axis=1).nonzero()[0], areas.any(axis=0).nonzero()[0]
    height, width = areas.shape
    assert rows.min() > 10 and rows.max() < height - 10, "Dordrecht is cut off at the top or bottom"
    assert columns.min() > 10 and columns.max() < width - 10, "Dordrecht is cut off left or right"
    column, entry = chart.bounding_box(), page.get_by_text(re.compile("^maatregel: ")).first.bounding_box()
    assert column and entry and entry["x"] + entry["width"] <= column["x"] + column["width"] + 1, (entry, column)
    ARTIFACTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / f"voor-en-na-kaart-{window[0]}.png"))
    page.close()


def test_demo_figures_carry_the_demo_badge(built_db, monkeypatch):
    """A real measure (Dordt-West's national programme) compared on the generated buurt series:
    its figures are demo, and the page says so (it had no badge: only a demo measure got one)."""
    at = _voor_en_na(built_db, "d002-nplv-dordt-west:dordt-west", monkeypatch)
    badges = [element.proto.body for element in at.get("markdown") if "badge" in element.proto.body]
    assert any("Demodata" in badge for badge in badges), badges
