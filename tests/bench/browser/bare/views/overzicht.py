"""Bare Overzicht: a "Wat" multiselect over an Altair line chart (72 months) and a small table."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Overzicht")
series = ["Inbraak", "Diefstal", "Geweld", "Vernieling", "Overlast"]
chosen = st.multiselect("Wat", series, default=series[:3], key="wat") or series[:1]
rng = np.random.default_rng(1)
months = pd.date_range("2019-01-01", periods=72, freq="MS")
frame = pd.DataFrame(
    {
        "maand": months.repeat(len(chosen)),
        "categorie": chosen * len(months),
        "aantal": rng.integers(50, 200, len(months) * len(chosen)),
    }
)
chart = alt.Chart(frame).mark_line().encode(x="maand:T", y="aantal:Q", color="categorie:N")
st.altair_chart(chart, use_container_width=True)
st.dataframe(frame.head(20))
