"""Streamlit glue: the Kaart's choices above its map (what, level, measure, hotspots, area groups
and the hexagons' size), each kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import permalinks
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import h3cells, mapping


@dataclass(frozen=True)
class Controls:
    option: str  # the category option's code
    level: str  # "wijk" or "buurt"
    measure: str  # a key of mapping.MEASURES
    hotspots: bool
    groups: bool
    resolution: int  # the hexagons' H3 resolution (the default when no hexagons are shown)


def controls(names: dict[str, str]) -> Controls:
    """Two rows of choices; `names`: the category options' names by code."""
    top, bottom = st.columns([3, 2, 3]), st.columns([3, 2, 3])
    option = bound(top[0].selectbox, Param.WAT, "Wat", list(names), key="kaart_wat", format_func=names.get)
    level = bound(top[1].radio, Param.NIVEAU, "Niveau", ["wijk", "buurt"], key="kaart_niveau", horizontal=True)
    measures = list(mapping.MEASURES)
    measure = bound(
        top[2].radio, Param.MAAT, "Maat", measures, key="kaart_maat", format_func=mapping.MEASURES.get, horizontal=True
    )
    hotspots = bound(bottom[0].toggle, Param.HOTSPOTS, "Hotspots (zeshoeken)", key="kaart_hotspots")
    groups = bound(bottom[1].toggle, Param.GROEPEN, "Gebiedsgroepen", value=True, key="kaart_groepen")
    if hotspots:  # the hexagons' size only beside hexagons: a disabled control would be a faint label
        resolution = bound(
            bottom[2].select_slider,
            Param.ZESHOEK,
            "Grootte zeshoek",
            list(h3cells.RESOLUTIONS),
            key="kaart_resolutie",
            value=h3cells.DEFAULT_RESOLUTION,
            format_func=h3cells.RESOLUTIONS.get,
        )
    else:  # and no size in the address
        resolution = h3cells.DEFAULT_RESOLUTION
        permalinks.to_url(Param.ZESHOEK, None)
    return Controls(option, level, measure, hotspots, groups, resolution)
