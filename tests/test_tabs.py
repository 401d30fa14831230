"""The test browser's reused tabs (tests/support/tabs.py) hand nothing of one test to the next:
no listener, no stored state, no cookie, no lasting change to the page; the next test finds the
tab parked on the app's own origin, where its renderer stays warm."""

from __future__ import annotations

import pytest

from tests.support.browser import quiet
from tests.support.tabs import PARK_PATH

pytestmark = pytest.mark.browser


def test_a_closed_tab_is_handed_on_empty(server, browser):
    first = browser.new_page(viewport={"width": 1600, "height": 1200})
    seen: list[str] = []
    first.on("request", lambda request: seen.append(request.url))
    first.goto(f"{server}/?gemeente=GM0505")
    quiet(first)
    first.evaluate("() => { localStorage.setItem('sidebarWidth', '999'); sessionStorage.setItem('x', '1'); }")
    first.context.add_cookies([{"name": "proef", "value": "1", "url": server}])
    page = first.page
    first.close()

    second = browser.new_page(viewport={"width": 1280, "height": 900})
    assert second.page is page, "the closed tab was not handed on"
    assert page.url == f"{server}{PARK_PATH}"
    assert second.viewport_size == {"width": 1280, "height": 900}
    assert second.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert second.context.cookies() == [], "a cookie of the earlier test is still sent"
    seen.clear()
    second.goto(f"{server}/bronnen?gemeente=GM0505")
    quiet(second)
    assert seen == [], "a listener of the earlier test still hears this page"
    second.close()


def test_a_tab_with_a_lasting_change_is_closed_not_handed_on(server, browser):
    tab = browser.new_page()
    tab.emulate_media(media="print")  # outlives a navigation: the next test would print
    page = tab.page
    tab.close()
    assert page.is_closed()
    other = browser.new_page()
    assert other.page is not page
    assert other.evaluate("() => matchMedia('print').matches") is False
    other.close()


def test_a_page_with_other_options_has_a_context_of_its_own(browser):
    page = browser.new_page(color_scheme="dark")
    tab = browser.new_page()
    assert page.context is not tab.context
    page.close()
    tab.close()
