"""Veiligheidsbeeld domain package: configuration, schema, loading, validation and queries.

No Streamlit here: pages call these functions, and tests reach them without a browser.
"""
