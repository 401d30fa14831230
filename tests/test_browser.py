"""What only a browser shows: the app served by Streamlit, opened in headless Chromium.

Needs Debian's chromium at /usr/bin/chromium (installed by .ci/run). Without it these tests
fail with a message saying so: they never pass quietly. Helpers: tests/support/browser.py;
fixtures (`browser`, `server`): tests/conftest.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.browser import (
    ARTIFACTS,
    class_colours,
    classes_drawn,
    drawn,
    navigate,
    near,
    open_page,
    outside,
    pixels_of,
    quiet,
    shown,
)

pytestmark = pytest.mark.browser


def test_overzicht_renders_figures_and_charts_offline(server, browser):
    requests: list[str] = []
    page = open_page(browser, server, requests)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=30_000
    )
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert len(values) == 3
    assert all("." in v or v.isdigit() for v in values)  # Dutch thousands separator
    shown(page.get_by_text("Demodata").first)
    shown(page.get_by_text("Bron: CBS, Kadaster").first)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overzicht.png"), full_page=True)
    assert outside(requests, server) == []
    page.close()


@pytest.mark.parametrize("path", ["/", "/overzicht"])
def test_gemeente_from_the_url(server, browser, path):
    """The Overzicht is at `/` and, like every other page, at its own name (routes.py): a link to
    /overzicht showed Streamlit's "Page not found"."""
    requests: list[str] = []
    page = open_page(browser, f"{server}{path}?gemeente=GM0388&jaar=2019", requests)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
    shown(page.get_by_role("heading", name="Veiligheidsbeeld Enkhuizen"))
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "750"
    quiet(page)
    assert page.get_by_text("Page not found").count() == 0
    address = urlsplit(page.url)
    assert address.path == "/" and {"gemeente=GM0388", "jaar=2019"} <= set(address.query.split("&")), page.url
    page.close()


def test_kaart_draws_the_choropleth_and_the_hotspots(server, browser):
    requests: list[str] = []
    page = open_page(browser, f"{server}/kaart?gemeente=GM0505&jaar=2024", requests)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    choropleth = drawn(chart, classes_drawn)  # deck.gl draws after the element appears
    assert len(class_colours(choropleth)) >= 3, "the map shows no class colours"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-wijk.png"), full_page=True)

    page.get_by_text("Hotspots (zeshoeken)", exact=True).click()
    page.get_by_text("zeshoeken met ten minste").first.wait_for(timeout=30_000)
    hexagons = drawn(page.get_by_test_id("stDeckGlJsonChart"), classes_drawn, before=choropleth)
    assert len(class_colours(hexagons)) >= 3, "no hexagons drawn"
    shown(page.get_by_role("heading", name="Hotspots"))
    page.screenshot(path=str(ARTIFACTS / "kaart-hotspots.png"), full_page=True)
    assert outside(requests, server) == []
    page.close()


def test_kaart_per_buurt_fits_the_gemeente_in_a_small_window(server, browser):
    from ivpdata.mapping import SEQUENTIAL

    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 1600})  # the narrowest window the map is made for
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/kaart?gemeente=GM0505&jaar=2024&niveau=buurt&maat=per_1000")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    shot = drawn(chart, classes_drawn)  # deck.gl draws after the element appears
    shown(page.get_by_text("Tabel per buurt"))
    assert len(class_colours(shot)) >= 3, "the map shows no class colours"
    areas = near(pixels_of(shot), SEQUENTIAL)
    rows, columns = areas.any(axis=1).nonzero()[0], areas.any(axis=0).nonzero()[0]
    height, width = areas.shape
    edge = 10  # the map's margin is 24 px: no area within 10 px of an edge
    assert rows.min() > edge and rows.max() < height - edge, "the gemeente is cut off at the top or bottom"
    assert columns.min() > edge and columns.max() < width - edge, "the gemeente is cut off left or right"
    assert columns.max() - columns.min() > 0.8 * width, "the gemeente is drawn smaller than the map allows"
    shown(page.get_by_text("niet getoond (te weinig voor een stabiel cijfer)"))  # the hatched legend entry
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-buurt.png"), full_page=True)
    assert outside(requests, server) == []
    page.close()


def test_kaart_with_a_selected_buurt_shows_its_panel(server, browser):
    import numpy as np

    requests: list[str] = []
    page = open_page(browser, f"{server}/kaart?gemeente=GM0505&jaar=2024&niveau=buurt&selectie=BU05050900", requests)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    shown(page.get_by_role("heading", name="Sterrenburg 1-West"))
    rank = page.get_by_test_id("stMarkdownContainer").filter(has_text="Rang:").first
    shown(rank)
    assert " van 132 (aantal, hoogste eerst)" in rank.inner_text()
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=30_000
    )  # the buurt's monthly trend
    # The selected buurt's outline is 4 px wide (other outlines 1 px): a ring of thick black on the map.
    pixels = pixels_of(drawn(chart, lambda shot: _thick_black(pixels_of(shot)).sum() > 15))
    outline = _thick_black(pixels)
    assert outline.sum() > 15, "the selected buurt is not highlighted"  # none without a selection
    rows = np.nonzero(outline)[0]
    assert rows.max() - rows.min() < pixels.shape[0] / 3, "black outside one buurt"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-buurt-selectie.png"), full_page=True)
    assert outside(requests, server) == []
    page.close()


def _black(pixels):
    """The map's black pixels, without the zoom buttons' icons."""
    outline = (pixels < 25).all(axis=2)
    outline[:90, -70:] = False
    return outline


def _thick_black(pixels):
    """The black pixels inside a line at least 3 pixels wide (the selected area's 4 px outline):
    every area's outline is black too, but 1 px wide, and the names' letters are thinner."""
    black = _black(pixels)
    core = black[1:-1, 1:-1].copy()
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            core &= black[dy : dy + black.shape[0] - 2, dx : dx + black.shape[1] - 2]
    return core


def test_trends_and_wijkprofiel_render_offline(server, browser):
    requests: list[str] = []
    page = open_page(browser, f"{server}/trends?gemeente=GM0505&jaar=2025&gebied=GM0505,dordt-west", requests)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=30_000
    )
    page.get_by_text("Vergelijking met een jaar eerder").wait_for(timeout=30_000)
    quiet(page, 1_000)  # the run has finished and the page is drawn
    shown(page.get_by_text("Dordt-West (gebiedsgroep)").first)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trends.png"), full_page=True)
    navigate(page, f"{server}/wijkprofiel?gemeente=GM0505&jaar=2025&gebied=WK050507")  # inside the app
    page.get_by_role("heading", name="Wielwijk").wait_for(timeout=30_000)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=30_000
    )
    shown(page.get_by_text("Zwerfvuil heb ik het meest last van", exact=False))
    quiet(page, 1_000)  # the run has finished and the page is drawn
    page.screenshot(path=str(ARTIFACTS / "wijkprofiel.png"), full_page=True)
    # Printed: no choices, menus or links; the key figures and the chart whole on A4 landscape.
    page.emulate_media(media="print")
    for test_id in ("stSelectbox", "stPopover", "stPageLink", "stSidebar"):
        assert not page.get_by_test_id(test_id).first.is_visible(), f"{test_id} is printed"
    pdf = page.pdf(prefer_css_page_size=True)
    import io

    import pypdf

    printed = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(printed.pages) == 1 and float(printed.pages[0].mediabox.width) > float(printed.pages[0].mediabox.height)
    text = " ".join(printed.pages[0].extract_text().split())
    assert "Index (stad = 100)" in text and "Kerncijfers tegen de stad" in text  # the table's last column too
    page.emulate_media(media="screen")
    assert outside(requests, server) == []
    page.close()


def test_maatregelen_and_voor_en_na_render_offline(server, browser):
    requests: list[str] = []
    page = open_page(browser, f"{server}/maatregelen?gemeente=GM0505", requests)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=30_000
    )
    quiet(page, 1_000)  # the run has finished and the page is drawn
    shown(page.get_by_text("Maatregelen in een gebied", exact=True).first)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "maatregelen.png"), full_page=True)

    navigate(page, f"{server}/voor_en_na?gemeente=GM0505&maatregel=demo-BU05050509-OVL-JGD:BU05050509")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    # The measure's outline (purple) is drawn, in the middle of the map.
    import numpy as np

    from ivpdata.mapping import GROUP_LINE_COLOUR

    def purple(pixels):
        return np.abs(pixels - np.array(GROUP_LINE_COLOUR[:3])).sum(axis=2) < 40

    pixels = pixels_of(drawn(chart, lambda shot: purple(pixels_of(shot)).sum() > 50))  # deck.gl draws later
    outline = purple(pixels)
    assert outline.sum() > 50, "the measure's outline is not drawn"
    rows, columns = np.nonzero(outline)
    height, width = outline.shape
    assert abs(rows.mean() / height - 0.5) < 0.2 and abs(columns.mean() / width - 0.5) < 0.2, "outline off-centre"
    shown(page.get_by_text("daling; Rest van Dordrecht", exact=False).first)
    page.screenshot(path=str(ARTIFACTS / "voor-en-na.png"), full_page=True)
    assert outside(requests, server) == []
    page.close()


def test_a_click_inside_an_area_group_selects_the_wijk_there(server, browser, built_db):
    """The area-group outlines are drawn above the areas, not pickable: a click inside Dordt-West
    reaches the wijk under it."""
    import duckdb
    import shapely
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from ivpdata import mapping, queries

    with duckdb.connect(str(built_db), read_only=True) as con:
        wijken = queries.area_geometries(con, "GM0505", "wijk")
        members = set(
            con.execute("SELECT area_code FROM area_group_members WHERE group_code = 'dordt-west'").fetchall()
        )
    shapes = [
        (shapely.from_wkb(bytes(row.geometry_wkb)), row) for row in wijken.itertuples() if (row.area_code,) in members
    ]
    shape, wijk = max(shapes, key=lambda pair: pair[0].area)  # the largest member: room to click in
    inside = shape.representative_point()
    view = mapping.view_for(mapping.area_shapes(wijken, mapping.MAP_SIZE))
    page = open_page(browser, f"{server}/kaart?gemeente=GM0505&niveau=wijk", [])
    chart = page.get_by_test_id("stDeckGlJsonChart")
    drawn(chart, classes_drawn)
    quiet(page, 1_000)  # the run has finished and the page is laid out: the map where it stays
    box = chart.bounding_box()
    scale = 512 * 2**view.zoom  # deck.gl's Web Mercator: the world is 512 px wide at zoom 0
    x = box["x"] + box["width"] / 2 + (inside.x - view.longitude) / 360 * scale
    y = box["y"] + box["height"] / 2 + (_mercator_y(inside.y) - _mercator_y(view.latitude)) * scale
    heading = page.get_by_role("heading", name=wijk.area_name)
    for _ in range(3):  # on a loaded machine deck.gl may miss a click while it still draws; never the group's
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        try:
            heading.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            quiet(page, 1_000)
    shown(heading)
    quiet(page)  # the address is written at the end of the run (permalinks.tidy_url), after the panel
    assert f"selectie={wijk.area_code}" in page.url
    page.close()


def _mercator_y(latitude: float) -> float:
    import math

    return (1 - math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) / math.pi) / 2


def test_the_compstat_table_fits_the_page_at_1400_px(server, browser):
    """Every column of the CompStat table is in view in a 1400 px window with the sidebar open: no
    window's figures behind a horizontal scroll (its last column, 'Laatste 12 maanden', was cut off)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/trends?gemeente=GM0505&jaar=2025")
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=30_000)
    quiet(page, 1_000)
    scroller = grid.locator(".dvn-scroller").first
    overflow = scroller.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 0, f"the table is {overflow} px wider than its place"
    page.close()
