"""Veiligheidsbeeld: router. Page config, shared sidebar and navigation; pages draw the rest."""

from dashboard import warm_up

warm_up.wait()  # the first run after a start: the modules the server imports beside it, in first

import streamlit as st

from dashboard import access, frame, permalinks, presenting, routes, selection


def _before_part(name: str, alone: bool) -> None:
    """Before each run of a page's part: the session checked, the URL's claims reset."""
    access.check()
    permalinks.start_part(name, alone)


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
    # A page's part reruns on its own, the address tidied after it; in presentatiemodus a page runs
    # whole: the slide keys are read at the start of a run.
    surroundings = frame.Surroundings(_before_part, permalinks.tidy_url, parts=not selection.presenting())
    if selection.presenting():
        presenting.apply_style()
        frame.run_page(navigation, surroundings)  # a page may end early with frame.stop_page(); the run goes on
        permalinks.tidy_url()  # the address, written once
        presenting.navigation_bar()
    else:
        frame.run_page(navigation, surroundings)
        permalinks.share_link()  # the URL tidied, and the link to this view in the sidebar
        presenting.sidebar_controls(page, navigation.title)
