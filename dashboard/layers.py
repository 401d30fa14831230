"""Streamlit glue: the Kaart's map layers, made once per database version and choice (simplified
area shapes with their hatching, hotspot hexagons, area group outlines), and the map drawn from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.connection import Input, Snapshot, db_version, derived, query
from ivpdata import hotspots, mapping, periods, queries
from ivpdata.fingerprint import fingerprint
from ivpdata.page_models import kaart


def area_shapes(gemeente_code: str, level: str, size: tuple[int, int], text_scale: float = 1.0) -> mapping.AreaShapes:
    """The areas of a level, simplified, with hatch lines and the names that fit for a map of `size`
    pixels, in names `text_scale` times their size."""
    areas = (queries.area_geometries, dict(gemeente_code=gemeente_code, area_level=level))
    return derived(mapping.area_shapes, {"geometries": areas}, size=size, level=level, text_scale=text_scale)


def hotspot_layer(
    gemeente_code: str, codes: tuple[str, ...], period: periods.Period, resolution: int, settings: dict[str, Any]
) -> hotspots.HotspotLayer:
    """Hexagons with at least `hotspot_min_count` incidents of `codes` in `period`, in map classes."""
    min_count = int(settings["hotspot_min_count"])
    cells = (
        queries.hotspot_cells,
        dict(
            gemeente_code=gemeente_code, category_codes=codes, period=period, resolution=resolution, min_count=min_count
        ),
    )
    buurten = (queries.area_geometries, dict(gemeente_code=gemeente_code, area_level="buurt"))
    inputs: dict[str, Input] = {"cells": cells, "buurten": buurten}
    return derived(hotspots.hotspot_layer, inputs, classes=int(settings["map_classes"]), min_count=min_count)


def group_outlines(gemeente_code: str) -> dict:
    """The outlines of the gemeente's area groups (Dordt-West, ...) as map features."""
    return derived(
        mapping.group_outlines, {"outlines": (queries.area_group_outlines, dict(gemeente_code=gemeente_code))}
    )


@dataclass(frozen=True)
class Wanted:
    """The layers a Kaart asks for, as plain values: hexagons (None: none) of categories `codes`
    in `period` at `resolution`, `groups`: the area-group outlines."""

    gemeente_code: str
    level: str
    size: tuple[int, int]
    text_scale: float = 1.0
    hexagons: tuple[tuple[str, ...], periods.Period, int] | None = None
    groups: bool = True


def _drawn(wanted: Wanted, settings: dict[str, Any]) -> kaart.Layers:
    """The cached layers that `wanted` asks for."""
    hexagons = wanted.hexagons
    return kaart.Layers(
        area_shapes(wanted.gemeente_code, wanted.level, wanted.size, wanted.text_scale),
        wanted.size,
        hotspot_layer(wanted.gemeente_code, *hexagons, settings) if hexagons else None,
        group_outlines(wanted.gemeente_code) if wanted.groups else None,
    )


def map_view(
    view: kaart.Kaart, choice: kaart.Choice, wanted: Wanted, selected: str | None, settings: dict[str, Any]
) -> kaart.MapView:
    """`kaart.map_view` of `view` (the page model of `choice` and `settings`) on the layers `wanted`
    asks for, made once per choice, the view's values, layers, selection, settings and database
    version, and shared by every session, as it is only read: a rerun built the map's GeoJSON,
    names and legend anew (about 12 ms of a 55 ms Kaart rerun per buurt). The key holds the values
    the map is coloured by, so that a map is never kept under another view's key (an import that
    lands between reading the view and drawing its map)."""
    key = fingerprint((choice, wanted, selected, settings, view.areas.values, view.areas.bounds))
    return _map_view(key, db_version(), view, choice, wanted, selected, settings)


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_view(
    key: bytes,
    version: Snapshot,
    _view: kaart.Kaart,
    _choice: kaart.Choice,
    _wanted: Wanted,
    _selected: str | None,
    _settings: dict[str, Any],
) -> kaart.MapView:
    return kaart.map_view(query, _view, _choice, _drawn(_wanted, _settings), _selected, _settings)
