"""A page's part (frame.part) reruns on its own when one of its widgets changes: what the app
draws after the page must follow it, as after a whole run. Here: the address and the share link
after a change on Trends and on the Kaart, and the sidebar's Presentatiemodus button, which the
part draws, still switching to presentatiemodus."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.routes import PRESENTATIEMODUS, Param
from tests.support.browser import quiet, share_link, shown

pytestmark = pytest.mark.browser


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_change_on_trends_reaches_the_address_and_theshare_link(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/trends?gemeente=GM0505")
    shown(page.get_by_test_id("stVegaLiteChart").first)
    quiet(page)
    wat = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Wat", exact=True))
    wat.locator("input").click()
    page.get_by_role("option").nth(1).click()
    page.keyboard.press("Escape")
    quiet(page)
    chosen = _params(page.url)[Param.WAT][0].split(",")
    assert len(chosen) == 2
    assert _params(share_link(page))[Param.WAT] == [",".join(chosen)]
    page.close()


def test_after_a_change_on_the_kaart_the_sidebar_still_acts(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/kaart?gemeente=GM0505")
    shown(page.get_by_test_id("stDeckGlJsonChart"))
    quiet(page)
    niveau = page.get_by_test_id("stRadio").filter(has=page.get_by_text("Niveau", exact=True))
    niveau.get_by_text("buurt", exact=True).click()
    quiet(page)
    assert _params(page.url)[Param.NIVEAU] == ["buurt"]
    assert _params(share_link(page))[Param.NIVEAU] == ["buurt"]
    page.get_by_role("button", name="Presentatiemodus").click()
    shown(page.get_by_role("button", name="Stoppen"))
    quiet(page)
    assert _params(page.url)[Param.WEERGAVE] == [PRESENTATIEMODUS]
    assert _params(page.url)[Param.NIVEAU] == ["buurt"]  # the same view, on the big screen
    page.close()
