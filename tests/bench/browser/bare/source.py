"""The bare app's data: the read-only database ($IVP_DB) and Dordrecht's wijken or buurten as GeoJSON."""

from __future__ import annotations

import json
import os

import duckdb
import shapely
import streamlit as st

GEMEENTE = "GM0505"
AREAS = "SELECT area_code, display_name, geometry_wkb FROM areas WHERE gemeente_code = ? AND area_level = ?"


@st.cache_resource
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(os.environ["IVP_DB"], read_only=True)


@st.cache_data
def features(level: str) -> list[dict]:
    """The areas of `level` ("wijk" or "buurt") as GeoJSON features, unsimplified."""
    rows = connection().cursor().execute(AREAS, [GEMEENTE, level]).fetchall()
    return [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": json.loads(shapely.to_geojson(shapely.from_wkb(bytes(wkb)))),
        }
        for code, name, wkb in rows
    ]
