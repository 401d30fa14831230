"""A control whose options change (another gemeente, the public view): the browser shows the
value the page uses.

An area chosen in Dordrecht (Wijkprofiel's "Gebied", Trends' "Gebieden") does not exist in
Enkhuizen. Before the fix the server fell back to Enkhuizen's default while the browser went on
showing "Dordt-West (gebiedsgroep)" above Enkhuizen's figures: the control and the page disagreed."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import quiet

pytestmark = pytest.mark.browser


def _settled(page) -> None:
    """The run has finished and its elements are drawn. A fixed pause before looking for a
    finished run was not enough on a loaded machine: the control was read before it was drawn."""
    quiet(page)


CODES = {"Enkhuizen": "GM0388", "Dordrecht": "GM0505"}


def _choose_gemeente(page, name: str) -> None:
    """Choose `name` in the sidebar and wait for its run: the address names the new gemeente at the
    end of it (on a loaded machine the run started after the page had been quiet for `quiet`'s
    half second, and the old page was read: a CI run's failure)."""
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Gemeente").click()
    page.get_by_role("option", name=name).click()
    page.wait_for_url(re.compile(rf"[?&]gemeente={CODES[name]}(&|$)"), timeout=60_000)
    _settled(page)


def _control(page, label: str) -> str:
    """What a control of the page shows: a multiselect's chips, a selectbox's chosen option."""
    if label != "Gebied":
        return page.get_by_test_id("stMain").get_by_test_id("stMultiSelect").filter(has_text=label).first.inner_text()
    selectbox = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text=label).first
    field = selectbox.locator("input")
    return field.first.input_value() if field.count() else selectbox.inner_text()


def test_the_wijkprofiel_area_follows_the_gemeente(server, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/wijkprofiel?gemeente=GM0505&gebied=dordt-west")
    _settled(page)
    assert "Dordt-West" in _control(page, "Gebied")
    _choose_gemeente(page, "Enkhuizen")
    shown, title = _control(page, "Gebied"), page.get_by_test_id("stMain").locator("h1").first.inner_text()
    assert "Dordt-West" not in shown and title.strip() in shown, (shown, title)
    page.close()


def test_the_trends_areas_follow_the_gemeente(server, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/trends?gemeente=GM0505&gebied=GM0505,dordt-west")
    _settled(page)
    _choose_gemeente(page, "Enkhuizen")
    shown = _control(page, "Gebieden")
    assert "Dordrecht" not in shown and "Dordt-West" not in shown and "Enkhuizen (gemeente)" in shown, shown
    page.close()


def test_the_public_view_checks_the_one_frequency_it_offers(server, browser):
    """Trends per month, then "Openbare weergave" on: "Per" offers "Jaar" only, and shows it chosen
    (before the fix its circle stayed empty: the browser kept "Maand", no longer an option)."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/trends?gemeente=GM0505&per=month")
    _settled(page)
    page.get_by_test_id("stSidebar").get_by_text("Openbare weergave", exact=True).click()
    _settled(page)
    per = page.get_by_test_id("stMain").get_by_test_id("stRadio").filter(has_text="Per").first
    assert per.get_by_role("radio").count() == 1
    assert per.get_by_role("radio", name="Jaar").is_checked()
    page.close()


def _heading(page) -> str:
    return page.get_by_test_id("stMain").locator("h1").first.inner_text().strip()


def _sidebar_choice(page, label: str) -> str:
    selectbox = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label).first
    return selectbox.locator("input").first.input_value()


def test_the_back_button_reaches_the_page_before_with_its_gemeente_and_year(server, browser):
    """Trends of Dordrecht 2024, the Kaart from the menu, Enkhuizen chosen there: three back presses
    (the gemeente's change, the Kaart's address, its path) show Trends of Dordrecht 2024 again, in
    the heading, the sidebar and the address. Before, the app wrote each parameter as its control
    was drawn, a history entry each (11 for the Kaart's first run), and the session kept the
    gemeente and year of its first address."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/trends?gemeente=GM0505&jaar=2024")
    _settled(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Kaart").click()
    page.wait_for_url("**/kaart?**")
    _settled(page)
    _choose_gemeente(page, "Enkhuizen")
    assert _heading(page).startswith("Kaart Enkhuizen"), _heading(page)
    for _ in range(3):
        page.go_back()
        _settled(page)
    page.wait_for_url("**/trends?**", timeout=10_000)
    _settled(page)
    assert _heading(page).startswith("Trends Dordrecht"), _heading(page)
    assert (_sidebar_choice(page, "Gemeente"), _sidebar_choice(page, "Jaar")) == ("Dordrecht", "2024")
    assert "gemeente=GM0505" in page.url and "jaar=2024" in page.url, page.url
    page.close()


def test_typing_in_a_list_of_areas_offers_the_areas_only(server, browser):
    """Typing "Krispijn" in Trends' "Gebieden": the list offers the matching areas, no English
    "Select 17 matches" above them, and Enter adds the first match alone (before, Enter took that
    first item and added every match: 12 lines on the chart, colours repeated)."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/trends?gemeente=GM0505")
    _settled(page)
    areas = page.get_by_test_id("stMain").get_by_test_id("stMultiSelect").filter(has_text="Gebieden").first
    areas.locator("input").first.click()
    page.keyboard.type("Krispijn")
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    offered = options.all_inner_texts()
    assert offered and not [option for option in offered if option.startswith("Select")], offered
    assert "krispijn" in offered[0].lower(), offered
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _settled(page)
    chips = _control(page, "Gebieden")
    assert chips.count("Krispijn") == 1, chips
    page.close()
