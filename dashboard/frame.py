"""Streamlit glue: the frame around a page: running it, ending it early, its focus ring and print layout."""

from __future__ import annotations

from contextlib import suppress
from typing import Any, NoReturn

import streamlit as st


class PageStopped(Exception):  # noqa: N818 - a signal, not an error
    """Raised by `stop_page`: the page is done; app.py finishes the run."""


def stop_page() -> NoReturn:
    """End the page here. Unlike st.stop(), which ends the whole run, this lets app.py finish it:
    the URL tidied, the share link and the sidebar controls drawn."""
    raise PageStopped


def run_page(page: Any) -> None:
    """Run the page chosen by st.navigation; a page that ends with `stop_page()` ends quietly."""
    with suppress(PageStopped):
        page.run()


# Keyboard users see where they are (WCAG 2.4.7): Streamlit's own focus cues are faint or missing
# on links, the table toolbar and charts.
FOCUS_CSS = "*:focus-visible { outline: 3px solid #0a4fa0 !important; outline-offset: 2px !important; }"


def focus_style() -> None:
    """The focus ring, once per run (a style-only st.html takes no room on the page)."""
    st.html(f"<style>{FOCUS_CSS}</style>")


def print_layout() -> None:
    """When printed: no sidebar, toolbar, buttons, choices or links; charts kept on one page where possible."""
    st.markdown(
        "<style>@media print {"
        "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'], "
        "[data-testid='stBaseButton-secondary'], [data-testid='stDownloadButton'], [data-testid='stSelectbox'], "
        "[data-testid='stPopover'], [data-testid='stPageLink'], [data-testid='stElementToolbar'] "
        "{display: none !important;}"
        "[data-testid='stVegaLiteChart'], table {break-inside: avoid;}"
        # Charts keep the width they had on screen: scaled down, a page as wide as a 1920 px screen
        # fits A4 landscape.
        "@page {size: A4 landscape; margin: 12mm;}"
        "[data-testid='stMainBlockContainer'] {zoom: 0.65; max-width: none !important; padding: 0 !important;}"
        "}</style>",
        unsafe_allow_html=True,
    )
