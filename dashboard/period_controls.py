"""Streamlit glue: the Kaart's period and the period it is compared with.

The comparison is either derived from the period (the same months a year earlier, computed anew
in every run from the period that run has) or chosen by hand on its own slider. It is never a
widget whose value the server sets to follow the period: a browser that sends an older value of
such a widget while a fast series of key presses is still running would win, and the map would
compare Jan-Jun with Jan-Nov.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import permalinks
from dashboard.routes import Param
from ivpdata import periods

BY_HAND_KEY = "kaart_vergelijking_zelf"


def _month_text(month: dt.date) -> str:
    return month.strftime("%m-%Y")


def _comparison_from_link(key: str, months: list[dt.date], earlier: periods.Period) -> None:
    """A link's comparison (?vergelijking=...): chosen by hand unless it is the year-earlier default."""
    if permalinks.from_url(key, Param.VERGELIJKING, months, "range"):
        st.session_state[BY_HAND_KEY] = tuple(st.session_state[key]) != earlier


def kaart_periods(year: int, months: list[dt.date]) -> tuple[periods.Period, periods.Period | None]:
    """The Kaart's period and comparison (in an expander, both in the URL). Unless the user (or a
    link) chose the comparison by hand, it is the period's months a year earlier."""
    with st.expander("Periodes", expanded=False):
        period = permalinks.bound(
            st.select_slider,
            Param.PERIODE,
            "Periode",
            months,
            value=periods.calendar_year(year),
            format_func=_month_text,
            key=f"kaart_periode_{year}",
        )
        earlier, key = periods.year_earlier(period, months[0]), f"kaart_vergelijking_{year}"
        _comparison_from_link(key, months, earlier or period)
        by_hand = st.toggle(
            "Zelf een vergelijkingsperiode kiezen",
            key=BY_HAND_KEY,
            help="Uit: dezelfde maanden een jaar eerder; die schuiven mee met de periode.",
        )
        if by_hand:  # the value says it is a range; it is the start until a user (or a link) moves it
            comparison = st.select_slider(
                "Vergelijken met", months, value=earlier or period, format_func=_month_text, key=key
            )
        else:
            st.session_state.pop(key, None)  # switched on later, the slider starts at the year earlier
            comparison = earlier
            if earlier:
                st.caption(f"Vergeleken met {periods.label(earlier)}: dezelfde maanden een jaar eerder.")
    permalinks.to_url(Param.VERGELIJKING, comparison)
    return period, comparison
