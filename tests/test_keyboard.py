"""What an automated audit cannot judge: working the Overzicht and the Trends with the keyboard only
(every control reachable with Tab, focus visible, focus order following the page's order: sidebar,
then the main content top to bottom), the Kaart's selection through its search box, and the
Overzicht at 200% zoom without horizontal cut-off."""

from __future__ import annotations

import pytest

from dashboard import routes
from tests.support.browser import quiet

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1600, 1200
MAX_TABS = 250

# Marks every control a keyboard user must reach, in document order (sidebar first, then the
# main content), and returns how many there are.
_MARK = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, '
    + 'textarea, [tabindex]:not([tabindex="-1"])';
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[inert], [aria-hidden=true]'); };
  // tabindex=-1: a part of a composite control (a select's arrow, a chip's remove button, the other
  // options of a radio group) worked with the arrow keys once the control itself has focus.
  const controls = [...document.querySelectorAll(selector)]
    .filter(e => e.getAttribute('tabindex') !== '-1').filter(visible);
  controls.forEach((e, i) => e.setAttribute('data-kb', String(i)));
  return controls.length;
}"""

# The focused control: its mark, whether it is in the sidebar, and whether its focus is drawn
# (an outline or a box-shadow on it or on the wrapper Streamlit draws the focus ring on, or the
# table's own ring around its selected cell).
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  // A table's cell: the grid (Glide Data Grid, drawFocusRing on) draws the ring on its canvas.
  let drawn = e.matches('[data-testid=stDataFrame] [role=gridcell][aria-selected=true]');
  for (let n = e, depth = 0; n && depth < 4; n = n.parentElement, depth++) {
    const s = getComputedStyle(n);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    if (outline || s.boxShadow !== 'none') { drawn = true; break; }
  }
  return {mark: e.getAttribute('data-kb'), sidebar: !!e.closest('[data-testid=stSidebar]'),
          name: (e.getAttribute('aria-label') || e.innerText || e.tagName).slice(0, 40), drawn};
}"""


def _url(server: str, route: routes.Route) -> str:
    return f"{server}/" if route.default else f"{server}/{route.path}"


def _focused(page) -> dict | None:
    """The focused control. Its ring is judged once the page is still: a run that starts meanwhile
    (Streamlit's rerun on arrival, on a loaded machine seconds later) redraws the page, and for that
    moment its styles are not all there yet."""
    now = page.evaluate(_FOCUSED)
    if now is not None and not now["drawn"]:
        quiet(page)
        now = page.evaluate(_FOCUSED)
    return now


def _tab_through(page) -> tuple[int, list[dict]]:
    total = page.evaluate(_MARK)
    page.locator("[data-kb='0']").focus()  # the first control; from there on the keyboard only
    first = _focused(page)
    assert first is not None, "the first control does not take the focus"
    focused: list[dict] = [first]
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = _focused(page)
        if now is None or (focused and now["mark"] == focused[0]["mark"]):
            break  # back at the start: the whole page has been tabbed through
        focused.append(now)
    return total, focused


@pytest.mark.parametrize("route", [routes.OVERZICHT, routes.TRENDS], ids=lambda route: route.path)
def test_every_control_is_reached_in_reading_order_with_visible_focus(server, browser, route):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(_url(server, route))
    quiet(page)
    total, focused = _tab_through(page)
    marks = [int(f["mark"]) for f in focused if f["mark"] is not None]
    missed = sorted(set(range(total)) - set(marks))
    names = page.evaluate(
        "(ms) => ms.map(m => document.querySelector(`[data-kb='${m}']`).outerHTML.slice(0, 120))", missed
    )
    assert missed == [], f"not reached with Tab: {names}"
    assert marks == sorted(marks), "focus does not follow the page's order"
    unseen = [f["name"] for f in focused if not f["drawn"]]
    assert unseen == [], f"focus not visible on: {unseen} (the focus ring: dashboard.frame.focus_style)"
    # First Streamlit's skip link to the main content (a bypass block, WCAG 2.4.1), then the sidebar.
    assert focused[0]["name"] == "Skip to main content"
    sidebar = [f["sidebar"] for f in focused[1:]]
    assert sidebar == sorted(sidebar, reverse=True), f"the sidebar is not tabbed through first: {focused[:3]}"
    page.close()


# Counts the moments the focus ring's style is gone from the page, from now on.
_WATCH_FOCUS_STYLE = """() => {
  const present = () => [...document.querySelectorAll('style')].some(s => s.textContent.includes(':focus-visible'));
  window.focusStyleGone = present() ? 0 : 1;
  new MutationObserver(() => { if (!present()) window.focusStyleGone += 1; })
    .observe(document.body, {childList: true, subtree: true});
}"""


def test_the_focus_ring_stays_while_the_page_reruns(server, browser):
    """A keyboard user keeps seeing where they are while a choice reruns the page: the focus ring's
    style is never taken out of the page, not even for the moment between two runs."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(_url(server, routes.TRENDS))
    quiet(page)
    page.evaluate(_WATCH_FOCUS_STYLE)
    page.get_by_role("switch", name="Openbare weergave").focus()
    for _ in range(2):  # two reruns, with the keyboard
        page.keyboard.press("Space")
        quiet(page)
    assert page.evaluate("window.focusStyleGone") == 0, "the focus ring's style was gone during a rerun"
    page.close()


def test_overzicht_at_200_percent_zoom_is_not_cut_off(server, browser):
    page = browser.new_page(viewport={"width": WIDTH // 2, "height": HEIGHT // 2})  # 200% zoom of the same window
    page.goto(_url(server, routes.OVERZICHT))
    quiet(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 2, f"the page is {overflow} px wider than the window at 200%"
    page.close()


def test_the_map_selection_works_with_the_keyboard_only(server, browser):
    """The Kaart's selection without a mouse: Tab to the search box, type a name, Enter; the area's
    panel shows, as a click on the map would give."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(_url(server, routes.KAART))
    quiet(page)
    page.evaluate(_MARK)
    page.locator("[data-kb='0']").focus()
    for _ in range(MAX_TABS):
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Gebied zoeken":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the search box is not reached with Tab")
    page.keyboard.type("Wielwijk")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Wielwijk", exact=True).wait_for(timeout=30_000)
    quiet(page)  # the address is written at the end of the run (permalinks.tidy_url), after the panel
    assert "selectie=WK050507" in page.url
    page.close()
