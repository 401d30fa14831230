"""The Kaart after an import (issue 15, items 4 and 7): the map draws its areas, in the session that
imported (going to the Kaart next) and in a session that had the Kaart open during the import.

The import is the one a user reported: 24 rows of woninginbraak for 2 buurten. It used to leave the
other 130 buurten at 0, so the map of woninginbraak per buurt was one pale class with two dots: an
empty-looking map with its legend present."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, class_colours, classes_drawn, drawn, open_page, shown
from tests.test_importing import police_csv

BUURTEN = ("BU05050101", "BU05050102")
PARTIAL = [("1.1.1 ", buurt, f"2025MM{month:02d}", str(month % 4)) for buurt in BUURTEN for month in range(1, 13)]

pytestmark = pytest.mark.browser


def _map_drawn(page, name: str, before: bytes | None = None) -> bytes:
    """The map once drawn (and, given `before`, no longer the map as it was): at least three classes."""
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=60_000)
    shown(page.get_by_text("Tabel per").first)
    shot = drawn(chart, classes_drawn, before=before)  # deck.gl draws after the element appears
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert len(class_colours(shot)) >= 3, f"{name}: the map area is empty"
    return shot


def test_the_kaart_draws_after_an_import(own_server, browser):
    url, _, folder = own_server
    watching = open_page(browser, f"{url}/kaart?jaar=2025&wat=1.1.1&niveau=buurt", [])
    before = _map_drawn(watching, "kaart-voor-import")

    page = open_page(browser, f"{url}/data", [])
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(police_csv(folder / "47022NED.csv", PARTIAL))
    )
    page.get_by_role("button", name="Laden bevestigen").click()
    shown(page.get_by_text("is geladen").first)
    page.locator(".st-key-menu").get_by_text("Kaart", exact=True).click()  # the page menu
    _map_drawn(page, "kaart-na-import")

    watching.get_by_text("wijk", exact=True).first.click()  # the open Kaart, used again
    per_wijk = _map_drawn(watching, "kaart-open-tijdens-import", before)
    watching.get_by_text("buurt", exact=True).first.click()
    _map_drawn(watching, "kaart-open-tijdens-import-buurt", per_wijk)
