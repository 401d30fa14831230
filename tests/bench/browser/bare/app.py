"""The bare app's entry: a sidebar with one widget and `st.navigation` over two pages, as the app's router.

Its pages live in `views/`, not `pages/`: a `pages/` folder beside the entry script makes Streamlit
run a page without this router on a server's first request to a page URL (the app avoids it too)."""

import streamlit as st

st.set_page_config(page_title="Kaal", layout="wide")
page = st.navigation(
    [
        st.Page("views/overzicht.py", title="Overzicht", default=True),
        st.Page("views/kaart.py", title="Kaart"),
    ]
)
with st.sidebar:
    st.selectbox("Jaar", [2025, 2024, 2023], key="jaar")
page.run()
