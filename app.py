"""Veiligheidsbeeld: router. Page config, shared sidebar and navigation; pages draw the rest."""

from functools import partial

import streamlit as st

from dashboard import access, frame, permalinks, presenting, routes, selection


def _before_part() -> None:
    """Before each run of a page's part: the session checked, the URL's claims reset."""
    access.check()
    permalinks.start_part()


def _after_page(page: str, title: str) -> None:
    """After the page: the URL tidied with the link to this view, and the presentation controls."""
    permalinks.share_link()
    presenting.sidebar_controls(page, title)


st.set_page_config(page_title="Veiligheidsbeeld", page_icon="static/icon.png", layout="wide")
frame.focus_style()

access.guard()  # a session past its end signs out before anything is drawn
pages = routes.navigation_pages(access.current().role)  # a page the role may not open is not there
navigation = st.navigation({**pages, "": routes.aliases()}, position="hidden")  # the menu is frame.menu
page = navigation.url_path or routes.OVERZICHT.path  # the default page's path is empty
permalinks.start_url(page)  # on arrival at a page, its parameters in the URL are a link to a view of it
with frame.database_errors():  # a database that cannot be read: a Dutch message, not DuckDB's text
    presenting.start(page)  # a slide on another page: go there first
    frame.menu(pages)
    access.sidebar()
    selection.sidebar()
    if selection.presenting():  # one whole run per slide: the slide keys are read at its start
        presenting.apply_style()
        frame.run_page(navigation, frame.Surroundings(_before_part, presenting.navigation_bar, parts=False))
    else:  # a page's part reruns on its own, with the share link and controls after it
        frame.run_page(navigation, frame.Surroundings(_before_part, partial(_after_page, page, navigation.title)))
