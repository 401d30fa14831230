"""What a map draws, read from its deck's JSON (`mapping.map_deck`): its layers, and its lines by
colour or by area."""

from __future__ import annotations

import shapely
import shapely.geometry

from ivpdata import mapping


def layer_ids(deck: dict) -> list[str]:
    return [layer["id"] for layer in deck["layers"]]


def layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def segments(deck: dict, colour: list[int] | None = None) -> list[dict]:
    """The segments of the lines' layers (in the order drawn), those in `colour` if given."""
    drawn = [segment for found in deck["layers"] if found["@@type"] == "LineLayer" for segment in found["data"]]
    return [segment for segment in drawn if colour is None or segment["colour"] == colour]


def outline_widths(deck: dict) -> dict[str, int]:
    """Per area, the width in pixels of the line drawn along the first edge of its outer ring."""
    outline_colours = (mapping.LINE_COLOUR, mapping.SELECTED_LINE_COLOUR)
    width_of = {
        (tuple(segment["from"]), tuple(segment["to"])): segment["width"]
        for segment in segments(deck)
        if segment["colour"] in outline_colours
    }
    widths = {}
    for feature in layer(deck, mapping.LAYER_ID)["data"]["features"]:
        ring = mapping.rings(feature["geometry"])[0]
        widths[feature["properties"]["area_code"]] = width_of[(tuple(ring[0]), tuple(ring[1]))]
    return widths


def hatched_areas(deck: dict) -> set[str]:
    """The areas with a hatch line drawn across them (at its middle)."""
    lines = shapely.linestrings([[s["from"], s["to"]] for s in segments(deck, mapping.HATCH_COLOUR)])
    middles = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    return {
        feature["properties"]["area_code"]
        for feature in layer(deck, mapping.LAYER_ID)["data"]["features"]
        if shapely.contains(shapely.geometry.shape(feature["geometry"]), middles).any()
    }
