"""Streamlit glue: the Kaart's map layers, made once per database version and choice (simplified
area shapes with their hatching, hotspot hexagons, area group outlines)."""

from __future__ import annotations

from typing import Any

from dashboard.connection import Input, derived
from ivpdata import hotspots, mapping, periods, queries


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
