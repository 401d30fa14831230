"""The words the Kaart shows with its map: above it, or on a big screen beside it."""

import streamlit as st

from dashboard import permalinks, show
from dashboard.routes import Param
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
