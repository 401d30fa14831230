"""A map as the browser gets it (the deck's JSON): its layers, its areas and the area-group
outlines, which the areas' layer draws before the areas (`mapping.with_group_outlines`)."""

from __future__ import annotations

import json
from typing import Any


def deck_of(chart: Any) -> dict:
    """The deck JSON of an AppTest deck_gl_json_chart element."""
    return json.loads(chart.proto.json)


def layer_ids(deck: dict) -> list[str]:
    return [layer["id"] for layer in deck["layers"]]


def areas(deck: dict) -> list[dict]:
    """The features of the areas' layer that are areas (wijken, buurten), in their order."""
    return [f for f in deck["layers"][0]["data"]["features"] if "area_code" in f["properties"]]


def group_outlines(deck: dict) -> list[dict]:
    """The features of the areas' layer that outline an area group."""
    return [f for f in deck["layers"][0]["data"]["features"] if "group_code" in f["properties"]]
