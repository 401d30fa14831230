"""The browser bench's own parts (tests/bench/browser): the bare app it compares with draws
Dordrecht's map, and the server's script runs are timed from outside the app. No timing is asserted."""

from __future__ import annotations

import pytest

from tests.bench.browser.figures import VIEWPORT, goto, radio
from tests.bench.browser.measure import INIT_SCRIPT, Meter
from tests.bench.browser.servers import served
from tests.bench.browser.workspace import BARE_APP
from tests.support.browser import shown

pytestmark = pytest.mark.browser


def test_the_bare_kaart_draws_the_buurten_and_its_runs_are_logged(browser, built_db, tmp_path):
    with served(BARE_APP, built_db, tmp_path, tmp_path) as server:
        page = browser.new_page(viewport=VIEWPORT)
        meter = Meter(page, server.runs)
        opened = meter.act(goto(page, f"{server.url}/kaart"), map_drawn=True, new_document=True)
        shown(page.get_by_text("13 gebieden"))
        changed = meter.act(radio(page, "Niveau", "buurt"))
        shown(page.get_by_text("132 gebieden"))
        assert page.locator("[data-testid=stDeckGlJsonChart] canvas").count() >= 1
        assert len(server.runs.since(server.started)) >= 2  # the page and the radio's rerun, timed by launch.py
        assert changed.kilobytes > opened.kilobytes / 2  # the buurten's shapes reached the browser
        page.close()


def test_a_change_the_browser_never_paints_does_not_end_a_figure(browser):
    # The data grid keeps an accessibility table inside its <canvas> (fallback content, never
    # painted) and updates it 200 ms after new data: that must not count as the page still drawing.
    page = browser.new_page()
    page.add_init_script(INIT_SCRIPT)
    page.goto("data:text/html,<canvas><table><tr><td id=hidden>1</td></tr></table></canvas><p id=seen>1</p>")
    counted = "() => window.__changes.length"
    before = page.evaluate(counted)
    page.evaluate("document.getElementById('hidden').textContent = '2'")
    assert page.evaluate(counted) == before
    page.evaluate("document.getElementById('seen').textContent = '2'")
    assert page.evaluate(counted) == before + 1
    page.close()
