"""A page's part (frame.part) reruns on its own when one of its widgets changes: what shows the
view outside the part must follow it, as after a whole run. Here, after a change of the chart's
choices on Trends (a part inside the page's part): the address, the share link (written when
its menu opens) and the sidebar's Presentatiemodus button, which keeps the same view on the big
screen. (The Kaart's parts: tests/test_browser_periods.py and test_kaart_page.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.routes import PRESENTATIEMODUS, Param
from tests.support.browser import quiet, share_link, shown

pytestmark = pytest.mark.browser


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _drawn(frames: list[bytes]) -> tuple[set[str], set[str]]:
    """The kinds of element and the widgets' labels in what the server sent."""
    kinds: set[str] = set()
    labels: set[str] = set()
    for frame in frames:
        message = ForwardMsg.FromString(frame)
        if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
            continue
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        kinds.add(kind)
        label = getattr(getattr(element, kind), "label", "")
        if isinstance(label, str) and label:
            labels.add(label)
    return kinds, labels


def test_a_change_of_wat_redraws_wat_and_the_chart_not_the_choices_beside_them(server, browser):
    """'Wat' reruns its own part: the browser gets 'Wat' and the chart again, not the row of
    per, measure and period (which stay as they were) nor the areas and CompStat tables."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived", lambda data: frames.append(data) if isinstance(data, bytes) else None
        ),
    )
    page.goto(f"{server}/trends?gemeente=GM0505")
    shown(page.get_by_test_id("stVegaLiteChart").first)
    quiet(page)
    per = page.get_by_test_id("stRadio").filter(has=page.get_by_text("Per", exact=True))
    per.get_by_text("Kwartaal", exact=True).click()  # 'Wat' reruns with the choices of the run before it
    quiet(page)
    frames.clear()
    wat = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Wat", exact=True))
    wat.locator("input").click()
    page.get_by_role("option").nth(1).click()
    page.keyboard.press("Escape")
    quiet(page)
    kinds, labels = _drawn(frames)
    assert "vega_lite_chart" in kinds, kinds
    assert "Wat" in labels
    assert not {"Per", "Maat", "Periode", "Maanden", "Gebieden"} & labels, labels
    assert len(_params(page.url)[Param.WAT][0].split(",")) == 2
    assert _params(page.url)[Param.PER] == ["quarter"]
    assert page.get_by_role("heading", name="Geregistreerde incidenten per kwartaal").count() == 1
    page.close()


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
