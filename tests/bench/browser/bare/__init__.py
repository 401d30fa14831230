"""The bare Streamlit app the browser bench compares the app with (see tests/bench/browser)."""
