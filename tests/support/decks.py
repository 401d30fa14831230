"""What a map draws, read from its deck's JSON (`mapping.map_deck`): its layers, and its lines by
colour or by area."""

from __future__ import annotations

import json

import shapely
import shapely.geometry

from ivpdata import mapping


def layer_ids(deck: dict) -> list[str]:
    return [layer["id"] for layer in deck["layers"]]


def layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def paths(deck: dict, colour: list[int] | None = None) -> list[dict]:
    """The lines' layer's paths (in the order drawn), those in `colour` if given."""
    drawn = layer(deck, mapping.LINES_LAYER_ID)["data"] if mapping.LINES_LAYER_ID in layer_ids(deck) else []
    return [path for path in drawn if colour is None or path["colour"] == colour]


def outline_widths(deck: dict) -> dict[str, int]:
    """Per area, the width in pixels of the line drawn along its outer ring."""
    outlines = [path for path in paths(deck) if path["colour"] in (mapping.LINE_COLOUR, mapping.SELECTED_LINE_COLOUR)]
    width_of = {json.dumps(path["path"]): path["width"] for path in outlines}
    return {
        feature["properties"]["area_code"]: width_of[json.dumps(mapping.rings(feature["geometry"])[0])]
        for feature in layer(deck, mapping.LAYER_ID)["data"]["features"]
    }


def hatched_areas(deck: dict) -> set[str]:
    """The areas with a hatch line drawn across them (at its middle)."""
    lines = shapely.linestrings([path["path"] for path in paths(deck, mapping.HATCH_COLOUR)])
    middles = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    return {
        feature["properties"]["area_code"]
        for feature in layer(deck, mapping.LAYER_ID)["data"]["features"]
        if shapely.contains(shapely.geometry.shape(feature["geometry"]), middles).any()
    }
