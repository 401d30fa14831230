"""Streamlit glue: the frame around a page: the page menu, running the page (whole, or its part
that reruns on its own), ending it early, a database that cannot be read, its focus ring and print
layout."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from ivpdata.db import unavailable


class PageStopped(Exception):  # noqa: N818 - a signal, not an error
    """Raised by `stop_page`: the page is done; app.py finishes the run."""


def stop_page() -> NoReturn:
    """End the page here. Unlike st.stop(), which ends the whole run, this lets app.py finish it:
    the URL tidied, the share link and the sidebar controls drawn."""
    raise PageStopped


MENU_KEY = "menu"  # the menu's container: CSS class st-key-menu


def menu(groups: dict[str, list[st.Page]]) -> None:
    """The page menu at the top of the sidebar: per group its name, then a link per page (the
    current one marked by Streamlit). Drawn by the app (st.navigation with position "hidden"):
    Streamlit's own menu puts the group headings inside its list, so a screen reader is told of a
    list whose items are not list items (axe: 'list' and 'listitem', serious)."""
    with st.sidebar.container(key=MENU_KEY, gap="small"):
        for group, pages in groups.items():
            with st.container(gap=None):  # a group's links close together, a little room between groups
                st.caption(f"**{group}**")
                for page in pages:
                    st.page_link(page, label=page.title, icon=page.icon)


@dataclass(frozen=True)
class Surroundings:
    """What the app does around each run of a page's part (`part`). `before(name, alone)`: the
    session checked again and the URL's claims reset (`alone`: the part reruns on its own, not
    inside a whole run or an enclosing part); `after`: the address tidied, the run's last word on
    it. `parts`: whether a part may rerun on its own (not in presentatiemodus, whose slide keys are
    read at the start of a whole run)."""

    before: Callable[[str, bool], None]
    after: Callable[[], None]  # only after a part that reran alone: a whole run tidies at its end
    parts: bool = True


_SURROUNDINGS: ContextVar[Surroundings | None] = ContextVar("surroundings", default=None)
_RUNNING: ContextVar[bool] = ContextVar("running", default=False)  # in a whole run or a part's run


def run_page(page: Any, surroundings: Surroundings) -> None:
    """Run the page chosen by st.navigation; a page that ends with `stop_page()` ends quietly."""
    tokens = _SURROUNDINGS.set(surroundings), _RUNNING.set(True)
    try:
        with suppress(PageStopped):
            page.run()
    finally:
        _SURROUNDINGS.reset(tokens[0])
        _RUNNING.reset(tokens[1])


def part(content: Callable[..., None], *args: Any) -> None:
    """Draw `content(*args)` (a page's content, or a part of it) as a fragment: a change of one of its
    widgets reruns it alone, not the sidebar, the menu and the rest of the page, so the browser
    gets and redraws less. A change in the sidebar, and `st.rerun()`, still rerun the whole app.
    Parts may nest: an inner part's widgets rerun only the inner part. Without surroundings (a
    test of one page), or when they allow no parts, `content` is drawn as part of the whole run."""
    surroundings = _SURROUNDINGS.get()
    if surroundings is None or not surroundings.parts:
        content(*args)
        return

    @st.fragment
    def page_part() -> bool:
        """Draw the content; True when it ended the page (`stop_page`) inside an enclosing run."""
        alone = not _RUNNING.get()
        tokens = _SURROUNDINGS.set(surroundings), _RUNNING.set(True)
        stopped = False
        try:
            with database_errors():
                surroundings.before(content.__qualname__, alone)
                try:
                    content(*args)  # on a rerun of the part alone: as in the run that drew it last
                except PageStopped:
                    stopped = True
                if alone:  # in a whole run, the run's own end tidies the address
                    surroundings.after()
        finally:
            _SURROUNDINGS.reset(tokens[0])
            _RUNNING.reset(tokens[1])
        return stopped and not alone

    # Raised here, outside the fragment: Streamlit shows an exception raised inside one as an error.
    if page_part():
        raise PageStopped


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be read (missing, damaged, being rewritten) gets a Dutch message
    saying what to do, never DuckDB's text or a server path; any other error is raised as it was.
    Streamlit's own stop and rerun are no Exception: they pass."""
    try:
        yield
    except Exception as error:
        problem = unavailable(error)
        if problem is None:
            raise
        st.error(problem.user_message, icon=":material/database:")
        st.stop()


# Keyboard users see where they are (WCAG 2.4.7): Streamlit's own focus cues are faint or missing
# on links, the table toolbar and charts.
FOCUS_CSS = "*:focus-visible { outline: 3px solid #0a4fa0 !important; outline-offset: 2px !important; }"


def focus_style() -> None:
    """The focus ring, once per run (a style-only st.html takes no room on the page)."""
    st.html(f"<style>{FOCUS_CSS}</style>")


# A container keyed "scherm_..." is shown on screen only, one keyed "druk_..." on paper only.
SCREEN_ONLY, PRINT_ONLY = "scherm_", "druk_"
PRINT_ZOOM = 0.72  # 14 px captions and tables print at 7.6 pt, 16 px text at 8.6 pt (1 css px = 0.75 pt)


def print_layout() -> None:
    """When printed on one A4 landscape page: no sidebar, toolbar, buttons, choices or links; the
    page's columns side by side (Streamlit stacks columns holding a chart when printing), charts
    scaled to their column, headings, gaps and table rows tightened; containers keyed SCREEN_ONLY or
    PRINT_ONLY on one medium only. The zoom (PRINT_ZOOM) prints body text at 8.6 pt, captions and
    tables at 7.6 pt."""
    st.markdown(
        "<style>@media print {"
        "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'], "
        "[data-testid='stBaseButton-secondary'], [data-testid='stDownloadButton'], [data-testid='stSelectbox'], "
        "[data-testid='stPopover'], [data-testid='stPageLink'], [data-testid='stElementToolbar'] "
        "{display: none !important;}"
        "[data-testid='stVegaLiteChart'], table {break-inside: avoid;}"
        "@page {size: A4 landscape; margin: 10mm;}"
        f"[data-testid='stMainBlockContainer'] {{zoom: {PRINT_ZOOM}; max-width: none !important; "
        "padding: 0 !important;}"
        "[data-testid='stHorizontalBlock'] {display: flex !important; flex-wrap: nowrap !important;}"
        "[data-testid='stHorizontalBlock'] > [data-testid='stColumn'] "
        "{display: block !important; width: auto !important; min-width: 0 !important;}"
        "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas "
        "{max-width: 100% !important; height: auto !important;}"
        "[data-testid='stVerticalBlock'] {gap: 0.4rem !important;}"
        "h1 {padding: 0 0 0.2rem 0 !important;} h2, h3 {padding: 0.4rem 0 0.1rem 0 !important;}"
        "table th, table td {padding-top: 0.15rem !important; padding-bottom: 0.15rem !important;}"
        f"[class*='st-key-{SCREEN_ONLY}'] {{display: none !important;}}"
        f"}} @media screen {{[class*='st-key-{PRINT_ONLY}'] {{display: none !important;}}}}</style>",
        unsafe_allow_html=True,
    )
