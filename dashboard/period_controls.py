"""Streamlit glue: the Kaart's controls that are more than a bound widget: its period and the
period it is compared with, the search for a wijk or buurt by name (`area_search`) and the links
from a selected area to its Wijkprofiel and Trends (`area_links`).

The comparison is either derived from the period (the same months a year earlier, computed anew
in every run from the period that run has) or chosen by hand on its own slider. It is never a
widget whose value the server sets to follow the period: a browser that sends an older value of
such a widget while a fast series of key presses is still running would win, and the map would
compare Jan-Jun with Jan-Nov.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import permalinks, routes
from dashboard.routes import Param
from ivpdata import periods
from ivpdata.page_models.kaart import Search

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


SEARCH_KEY = "kaart_zoek"


def _found(search: Search) -> None:
    """The search chose an area: select it on the map, at its level. A new map key (as 'Selectie
    wissen' gives) drops the map's own last click, which would otherwise win on the next run."""
    if code := st.session_state.get(SEARCH_KEY):
        st.session_state["kaart_selectie"] = code
        st.session_state["kaart_niveau"] = search.levels[code]
        st.session_state["kaart_wissingen"] = st.session_state.get("kaart_wissingen", 0) + 1


def area_search(search: Search, selected: str | None) -> None:
    """A search box for every wijk and buurt by name (type to filter, arrow keys and Enter), that
    shows the selected area (nothing chosen: its placeholder) and selects the area chosen in it."""
    st.session_state[SEARCH_KEY] = selected if selected in search.labels else None
    st.selectbox(
        "Gebied zoeken",
        list(search.labels),
        index=None,
        format_func=search.labels.__getitem__,
        placeholder="Zoek een wijk of buurt",
        key=SEARCH_KEY,
        on_change=_found,
        args=(search,),
    )


def area_links(profile: dict[str, str], trend: dict[str, str]) -> None:
    """One click from the selected area to its Wijkprofiel and its Trends (`links.area_links`)."""
    to_profile, to_trends = st.columns(2)
    to_profile.page_link(
        routes.WIJKPROFIEL.file, label="Wijkprofiel", icon=":material/location_city:", query_params=profile
    )
    to_trends.page_link(routes.TRENDS.file, label="Trends", icon=":material/show_chart:", query_params=trend)
