"""The browser tests' wait for a drawn page (tests.support.browser.quiet) holds on a slow machine:
an element whose code arrives late (Streamlit loads charts, tables and some widgets lazily and
shows a skeleton meanwhile) is waited for, not taken as a finished page."""

from __future__ import annotations

import pytest

from tests.support.browser import quiet

pytestmark = pytest.mark.browser

DELAY_MS = 1_500  # the scripts' late arrival: three times the half second `quiet` waits for no change


def test_quiet_waits_for_elements_whose_code_arrives_late(server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})

    def late(route):
        page.wait_for_timeout(DELAY_MS)
        route.continue_()

    page.route("**/static/js/*.js", late)
    page.goto(f"{server}/trends")
    quiet(page)
    skeletons = page.locator("[data-testid=stSkeleton], [data-testid=stAppSkeleton]").count()
    charts = page.get_by_test_id("stVegaLiteChart").count()
    page.close()
    assert skeletons == 0, "quiet returned while an element was still loading its code"
    assert charts > 0
