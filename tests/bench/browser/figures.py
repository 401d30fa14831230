"""The browser figures: what a user does in the app and in the bare app, sample by sample.

The two sides take turns (app, then bare, per sample), so a load on the machine that comes and
goes falls on both alike. Each warm figure is preceded by one unmeasured round that fills the caches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any

from tests.bench.browser.measure import Meter, Sample
from tests.bench.browser.servers import Server, served
from tests.bench.browser.workspace import APP, BARE_APP, GEMEENTE, Workspace

VIEWPORT = {"width": 1400, "height": 1000}
# Rapportage periods, one per cold PDF (the PDF is cached per gemeente and period).
PDF_PERIODS = ("2025-01..2025-12", "2024-01..2024-12", "2025-01..2025-06")
Figures = dict[str, dict[str, list[Sample]]]  # figure -> side ("app", "bare") -> samples


@dataclass(frozen=True)
class Side:
    name: str
    server: Server
    page: Any  # a Playwright page
    meter: Meter


def first_views(browser: Any, workspace: Workspace, rounds: int, keep: ExitStack) -> tuple[Figures, list[Side]]:
    """Start each server `rounds` times and open its first page; the last servers stay up (in `keep`)."""
    figures: Figures = defaultdict(lambda: defaultdict(list))
    sides: list[Side] = []
    for number in range(rounds):
        for name, script in (("app", APP), ("bare", BARE_APP)):
            with ExitStack() as stack:
                server = stack.enter_context(served(script, workspace.db, workspace.data_dir, workspace.folder))
                context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
                stack.callback(context.close)
                page = context.new_page()
                meter = Meter(page, server.runs)
                figures["first_view"][name].append(meter.first_view(f"{server.url}/", server.started))
                figures["ready"][name].append(Sample(server.ready, float("nan"), 0.0))
                if number == rounds - 1:
                    sides.append(Side(name, server, page, meter))
                    keep.enter_context(stack.pop_all())
    return figures, sides


def nav(page: Any, title: str) -> Callable[[], None]:
    # The app's own page menu (dashboard.frame.menu), or the bare app's st.navigation menu.
    menu = '.st-key-menu a, [data-testid="stSidebarNav"] a'
    return lambda: page.locator(menu).filter(has_text=title).first.click()


def radio(page: Any, label: str, option: str) -> Callable[[], None]:
    group = page.locator("[data-testid=stRadio]").filter(has=page.get_by_text(label, exact=True))
    return lambda: group.get_by_text(option, exact=True).click()


def goto(page: Any, url: str) -> Callable[[], None]:
    return lambda: page.goto(url, wait_until="commit")


def sidebar_to_map(sides: list[Side], rounds: int, figures: Figures) -> None:
    """Overzicht -> Kaart by the sidebar, until the map is drawn."""
    for number in range(rounds + 1):
        for side in sides:
            sample = side.meter.act(nav(side.page, "Kaart"), map_drawn=True)
            if number:
                figures["sidebar_kaart"][side.name].append(sample)
            side.meter.act(nav(side.page, "Overzicht"))


def map_radio(sides: list[Side], rounds: int, figures: Figures) -> None:
    """On the Kaart: Niveau wijk -> buurt -> wijk, each a redrawn map."""
    for side in sides:
        side.meter.act(nav(side.page, "Kaart"), map_drawn=True)
    for number in range(rounds + 1):
        for side in sides:
            for level in ("buurt", "wijk"):
                sample = side.meter.act(radio(side.page, "Niveau", level))
                if number:
                    figures["radio"][side.name].append(sample)


def chart_multiselect(sides: list[Side], rounds: int, figures: Figures) -> None:
    """The "Wat" multiselect above a line chart: one more option, then one fewer. The app's is on
    the Trends page; the bare app's on its Overzicht."""
    for side in sides:
        side.meter.act(nav(side.page, "Trends" if side.name == "app" else "Overzicht"))
    for number in range(rounds + 1):
        for side in sides:
            for change in (_add_option, _remove_option):
                sample = side.meter.act(partial(change, side.page))
                side.page.keyboard.press("Escape")
                if number:
                    figures["wat"][side.name].append(sample)


def _wat(page: Any) -> Any:
    return page.locator("[data-testid=stMultiSelect]").filter(has=page.get_by_text("Wat", exact=True))


def _add_option(page: Any) -> None:
    _wat(page).locator("input").click()
    page.locator("[role=option]").nth(1).click()


def _remove_option(page: Any) -> None:
    _wat(page).locator("input").click()
    page.keyboard.press("Backspace")


def map_page_loads(sides: list[Side], rounds: int, figures: Figures) -> None:
    """A full page load of the Kaart: the app's in presentatiemodus (a link opened on the council
    screen), the bare app's as it is. The first load is kept apart (the app's is cold: shapes for
    the larger map)."""
    paths = {"app": f"/kaart?gemeente={GEMEENTE}&weergave=presentatie", "bare": "/kaart"}
    for number in range(rounds + 1):
        for side in sides:
            load = goto(side.page, side.server.url + paths[side.name])
            sample = side.meter.act(load, map_drawn=True, new_document=True)
            figures["presentatie" if number else "presentatie_first"][side.name].append(sample)


def next_slide(app: Side, workspace: Workspace, rounds: int, figures: Figures) -> None:
    """In the saved presentation: "Volgende" from the Overzicht slide to the Kaart slide."""
    opened = f"{app.server.url}/?presentatie={workspace.presentation_id}"
    app.meter.act(goto(app.page, opened), new_document=True)
    forward = app.page.get_by_role("button", name="Volgende")
    back = app.page.get_by_role("button", name="Vorige")
    for number in range(rounds + 1):
        sample = app.meter.act(forward.click, map_drawn=True)
        if number:
            figures["slide"]["app"].append(sample)
        app.meter.act(back.click)


def briefing_pdf(app: Side, figures: Figures) -> None:
    """The Driehoeksrapportage: click to the downloaded PDF, for periods not asked for before
    (cold: made), then the last again (cached)."""
    button = app.page.get_by_text("Maak de driehoeksrapportage (PDF)")
    for period in PDF_PERIODS:
        url = f"{app.server.url}/rapportage?gemeente={GEMEENTE}&periode={period}"
        app.meter.act(goto(app.page, url), new_document=True)
        figures["pdf"]["app"].append(app.meter.download(button.click))
    figures["pdf_cached"]["app"].append(app.meter.download(button.click))
