"""Veiligheidsbeeld: router. Page config, shared sidebar and navigation; pages draw the rest."""

import streamlit as st

import presenting
import ui
from ivpdata.db import unavailable

st.set_page_config(page_title="Veiligheidsbeeld", page_icon="static/icon.png", layout="wide")

navigation = st.navigation(
    {
        "Veiligheidsbeeld": [
            st.Page("views/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
            st.Page("views/kaart.py", title="Kaart", icon=":material/map:"),
            st.Page("views/trends.py", title="Trends", icon=":material/show_chart:"),
            st.Page("views/wijkprofiel.py", title="Wijkprofiel", icon=":material/location_city:"),
        ],
        "Plan": [
            st.Page("views/prioriteiten.py", title="Prioriteiten", icon=":material/flag:"),
            st.Page("views/maatregelen.py", title="Maatregelen", icon=":material/construction:"),
            st.Page("views/voor_en_na.py", title="Voor en na", icon=":material/compare_arrows:"),
        ],
        "Verantwoording": [
            st.Page("views/bronnen.py", title="Bronnen en cijfers", icon=":material/menu_book:"),
            st.Page("views/data.py", title="Data beheer", icon=":material/upload_file:"),
        ],
        "Delen": [
            st.Page("views/presentaties.py", title="Presentaties", icon=":material/slideshow:"),
            st.Page("views/rapportage.py", title="Driehoeksrapportage", icon=":material/picture_as_pdf:"),
        ],
    }
)
page = navigation.url_path or "overzicht"  # the default page's path is empty; its file is overzicht.py
ui.start_url(page)  # on arrival at a page, its parameters in the URL are a link to a view of it
try:
    presenting.start(page)  # a slide on another page: go there first
    ui.sidebar()
    if ui.presenting():
        presenting.apply_style()
        ui.run_page(navigation)  # a page may end early with ui.stop_page(); the run goes on here
        presenting.navigation_bar()
    else:
        ui.run_page(navigation)
        ui.share_link()  # the URL tidied, and the link to this view in the sidebar
        presenting.sidebar_controls(page, navigation.title)
except Exception as error:  # Streamlit's own stop and rerun are no Exception: they pass
    # A database that cannot be read (missing, damaged, being rewritten): a Dutch message saying
    # what to do, never DuckDB's text or a server path. Any other error is raised as it was.
    problem = unavailable(error)
    if problem is None:
        raise
    st.error(problem.user_message, icon=":material/database:")
    st.stop()
