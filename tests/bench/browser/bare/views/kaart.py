"""Bare Kaart: radios Niveau and Maat over a pydeck GeoJsonLayer of Dordrecht's 13 wijken or 132 buurten,
on the app's own empty basemap style, clickable (`on_select="rerun"`) and as high as the app's map."""

import numpy as np
import pydeck as pdk
import streamlit as st

from tests.bench.browser.bare import source

st.title("Kaart")
level = st.radio("Niveau", ["wijk", "buurt"], horizontal=True, key="niveau")
measure = st.radio("Maat", ["Aantal", "Per 1.000 inwoners"], horizontal=True, key="maat")
features = source.features(level)
rng = np.random.default_rng(0 if measure == "Aantal" else 1)
for feature in features:
    feature["properties"]["fill"] = [255, 255 - int(rng.integers(0, 255)), 0, 160]
layer = pdk.Layer(
    "GeoJsonLayer",
    {"type": "FeatureCollection", "features": features},
    pickable=True,
    get_fill_color="properties.fill",
    get_line_color=[80, 80, 80],
    line_width_min_pixels=1,
)
view = pdk.ViewState(latitude=51.80, longitude=4.68, zoom=11.5)
deck = pdk.Deck(
    layers=[layer], initial_view_state=view, map_style="/app/static/map-style.json", tooltip={"text": "{name}"}
)
st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", height=560, key="kaart")
st.caption(f"{len(features)} gebieden")
