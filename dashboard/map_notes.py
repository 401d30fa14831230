"""The words the Kaart shows with its map: above it, or on a big screen beside it, and beside it
the panel of a selected area."""

from dataclasses import asdict
from typing import NoReturn

import streamlit as st

from dashboard import links, period_controls, permalinks, selection, show
from dashboard.connection import query
from dashboard.routes import Param
from ivpdata import charts
from ivpdata.page_models import kaart


def notes(view: kaart.Kaart) -> None:
    """What the map shows, a comparison that is missing, where its figures come from (the badge)
    and, when every area is grey, why and the views that do show colour (buttons that set the URL)."""
    st.caption(view.caption)
    if view.no_comparison:
        st.info(view.no_comparison)
    show.provenance_badge(view.badge)
    if view.grey:
        st.warning(view.grey)
        for column, offer in zip(st.columns(4), view.offers, strict=False):  # side by side, from the left
            link = {Param.NIVEAU: offer.level} if offer.level else {Param.MAAT: str(offer.measure)}
            column.button(offer.label, on_click=permalinks.follow_link, args=(link,), key=f"kaart_{offer.label}")


def area_panel(view: kaart.Kaart, choice: kaart.Choice, selected: str, option: str, year: int) -> None:
    """The selected area beside the map: its figures in words, links to its Wijkprofiel and
    Trends, its trend (a public view: its calendar years), and "Selectie wissen"."""
    public = selection.public()
    area = kaart.panel(query, view, choice, selected)
    st.subheader(area.title)
    st.markdown(area.text)
    context = selection.case_context(year)
    found = links.area_links(selected, option, choice.measure, choice.period, context, yearly=public)
    period_controls.area_links(*found)
    about = show.meta(**asdict(area.about))
    if area.series is None:  # public: the release's calendar years, not months
        yearly, notes = show.public_years(choice.releases or {}, choice.level, selected, choice.codes)
        show.table(yearly, about, "kaart_jaren", notes=notes)
    else:
        show.chart(about, "kaart_trend", charts.area_trend_chart, area.series, area.chart_title, data=area.series)
    if st.button("Selectie wissen", key="kaart_wis"):
        clear_selection()


def clear_selection() -> NoReturn:
    """No area selected (nor the map's own last click), and the whole page again."""
    st.session_state.pop("kaart_selectie", None)
    period_controls.forget_map_click()
    st.rerun()
