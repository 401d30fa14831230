"""A page's part (frame.part) reruns on its own when one of its widgets changes: what shows the
view outside the part must follow it, as after a whole run. Here, after a change of the chart's
choices on Trends (a part inside the page's part): the address, the share link (written when
its menu opens) and the sidebar's Presentatiemodus button, which keeps the same view on the big
screen. (The Kaart's parts: tests/test_browser_periods.py and test_kaart_page.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.routes import PRESENTATIEMODUS, Param
from tests.support.browser import quiet, share_link, shown

pytestmark = pytest.mark.browser


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_after_a_change_on_trends_the_address_the_share_link_and_the_sidebar_follow(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/trends?gemeente=GM0505")
    shown(page.get_by_test_id("stVegaLiteChart").first)
    quiet(page)
    wat = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Wat", exact=True))
    wat.locator("input").click()
    page.get_by_role("option").nth(1).click()
    page.keyboard.press("Escape")
    quiet(page)
    chosen = _params(page.url)[Param.WAT]
    assert len(chosen[0].split(",")) == 2
    assert _params(share_link(page))[Param.WAT] == chosen
    page.get_by_role("button", name="Presentatiemodus").click()  # drawn by the last whole run
    shown(page.get_by_role("button", name="Stoppen"))
    quiet(page)
    assert _params(page.url)[Param.WEERGAVE] == [PRESENTATIEMODUS]
    assert _params(page.url)[Param.WAT] == chosen  # the same view, on the big screen
    page.close()
