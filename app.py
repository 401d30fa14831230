"""Veiligheidsbeeld: router. Page config, shared sidebar and navigation; pages draw the rest."""

import streamlit as st

from dashboard import access, frame, permalinks, presenting, routes, selection
from ivpdata.db import unavailable

st.set_page_config(page_title="Veiligheidsbeeld", page_icon="static/icon.png", layout="wide")
frame.focus_style()

access.guard()  # a session past its end signs out before anything is drawn
pages = routes.navigation_pages(access.current().role)  # a page the role may not open is not there
navigation = st.navigation({**pages, "": routes.aliases()}, position="hidden")  # the menu is frame.menu
page = navigation.url_path or routes.OVERZICHT.path  # the default page's path is empty
permalinks.start_url(page)  # on arrival at a page, its parameters in the URL are a link to a view of it
try:
    presenting.start(page)  # a slide on another page: go there first
    frame.menu(pages)
    access.sidebar()
    selection.sidebar()
    if selection.presenting():
        presenting.apply_style()
        frame.run_page(navigation)  # a page may end early with frame.stop_page(); the run goes on here
        presenting.navigation_bar()
    else:
        frame.run_page(navigation)
        permalinks.share_link()  # the URL tidied, and the link to this view in the sidebar
        presenting.sidebar_controls(page, navigation.title)
except Exception as error:  # Streamlit's own stop and rerun are no Exception: they pass
    # A database that cannot be read (missing, damaged, being rewritten): a Dutch message saying
    # what to do, never DuckDB's text or a server path. Any other error is raised as it was.
    problem = unavailable(error)
    if problem is None:
        raise
    st.error(problem.user_message, icon=":material/database:")
    st.stop()
