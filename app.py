"""Veiligheidsbeeld: router. Page config, shared sidebar and navigation; pages draw the rest."""

import streamlit as st

import ui
from ivpdata.db import DatabaseMissingError

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
    }
)
try:
    ui.sidebar()
except DatabaseMissingError as missing:
    st.error(f"De database ontbreekt. Bouw hem met `make build`.\n\n{missing}")
    st.stop()
navigation.run()
