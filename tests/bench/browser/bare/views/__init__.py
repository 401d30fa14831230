"""The bare app's two pages, run by `st.navigation` in ../app.py."""
