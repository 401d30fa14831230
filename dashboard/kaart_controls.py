"""Streamlit glue: the Kaart's choices above its map (what, level, measure, hotspots, area groups
and the hexagons' size), each kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import permalinks
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import h3cells, mapping

LEVELS = ("wijk", "buurt")  # the Niveau control's options


@dataclass(frozen=True)
class Controls:
    option: str  # the category option's code
    hotspots: bool
    groups: bool
    resolution: int  # the hexagons' H3 resolution (the default when no hexagons are shown)
    level_column: Any  # where `display` draws the level and the measure (st.columns' containers)
    measure_column: Any


def controls(names: dict[str, str]) -> Controls:
    """Two rows of choices; `names`: the category options' names by code. The level and the
    measure are left to `display`, in the map's part: they change the map and its table only."""
    top, bottom = st.columns([3, 2, 3]), st.columns([3, 2, 3])
    option = bound(top[0].selectbox, Param.WAT, "Wat", list(names), key="kaart_wat", format_func=names.get)
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
    return Controls(option, hotspots, groups, resolution, top[1], top[2])


def display(controls: Controls, levels: tuple[str, ...] = LEVELS, note: str | None = None) -> tuple[str, str]:
    """The level (one of `levels`: a public view offers only those its release has, `note` saying
    why) and the measure (a key of mapping.MEASURES), in their places in the first row."""
    level = bound(
        controls.level_column.radio,
        Param.NIVEAU,
        "Niveau",
        list(levels),
        key="kaart_niveau",
        horizontal=True,
        disabled=len(levels) == 1,
        help=note,
    )
    measure = bound(
        controls.measure_column.radio,
        Param.MAAT,
        "Maat",
        list(mapping.MEASURES),
        key="kaart_maat",
        format_func=mapping.MEASURES.get,
        horizontal=True,
    )
    return level, measure
