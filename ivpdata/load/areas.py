"""The boundary files (GeoJSON) that data/gemeenten.yaml names: gemeente, wijken and buurten."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import shape

from ivpdata.config import Gemeente
from ivpdata.load.common import Reader
from ivpdata.load.gemeenten import GEO_LEVELS
from ivpdata.validate import BUURT_CODE, GEMEENTE_CODE, WIJK_CODE, ProblemCollector, display_name

LEVEL_PATTERNS = {"gemeente": GEMEENTE_CODE, "wijk": WIJK_CODE, "buurt": BUURT_CODE}
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320
SOURCE_ID = "cbs-wbk-2024"


def read_areas(reader: Reader, gemeenten: list[Gemeente]) -> pd.DataFrame:
    """Every area of every gemeente; codes checked to be unique and to have their parent."""
    records = [
        record for gemeente in gemeenten for level in GEO_LEVELS for record in _read_level(reader, gemeente, level)
    ]
    areas = pd.DataFrame(records)
    if areas.empty:
        return areas
    _check_codes(areas, reader.problems)
    return areas.drop(columns=["_file", "_row"])


def _read_level(reader: Reader, gemeente: Gemeente, level: str) -> list[dict[str, Any]]:
    """The areas of one boundary file, each with the file and feature number it came from."""
    path = reader.data_dir / gemeente.geo[level]
    name = display_name(path, reader.data_dir)
    records = []
    for number, feature in enumerate(_features(path, name, reader.problems), start=1):
        try:
            records.append({**_area(feature, gemeente, level), "_file": name, "_row": number})
        except _FeatureError as invalid:
            reader.problems.add(name, number, invalid.column, invalid.message)
    return records


def _features(path: Path, name: str, problems: ProblemCollector) -> Any:
    if not path.exists():
        problems.add(name, None, None, "file is missing")
        return []
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        return collection["features"]
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        problems.add(name, None, None, f"not a GeoJSON FeatureCollection: {exc}")
        return []


class _FeatureError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _area(feature: Any, gemeente: Gemeente, level: str) -> dict[str, Any]:
    """The area a feature describes; raises _FeatureError naming the column that is wrong."""
    props = feature.get("properties") or {}
    code = str(props.get("code", "")).strip()
    if not LEVEL_PATTERNS[level].fullmatch(code):
        raise _FeatureError("code", f"'{code}' is not a {level} code")
    if code[2:6] != gemeente.code[2:]:
        raise _FeatureError("code", f"'{code}' is not in gemeente {gemeente.code}")
    try:
        geometry = shapely.make_valid(shape(feature["geometry"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _FeatureError("geometry", f"invalid geometry: {exc}") from exc
    cbs_name = str(props.get("name", code)).strip()
    return {
        "area_code": code,
        "area_level": level,
        "name": cbs_name,
        "display_name": re.sub(r"^Wijk \d+\s+", "", cbs_name),
        "parent_code": {"gemeente": None, "wijk": gemeente.code, "buurt": "WK" + code[2:8]}[level],
        "gemeente_code": gemeente.code,
        "boundary_year": gemeente.boundary_year,
        "geometry_wkb": shapely.to_wkb(geometry),
        "centroid_lon": geometry.centroid.x,
        "centroid_lat": geometry.centroid.y,
        "area_km2": area_km2(geometry),
        "source_id": SOURCE_ID,
    }


def _check_codes(areas: pd.DataFrame, problems: ProblemCollector) -> None:
    """Each area code once, and each parent among the areas."""
    for dup in areas[areas.duplicated("area_code", keep="first")].to_dict("records"):
        problems.add(dup["_file"], dup["_row"], "code", f"duplicate area code '{dup['area_code']}'")
    orphans = areas[areas["parent_code"].notna() & ~areas["parent_code"].isin(set(areas["area_code"]))]
    for row in orphans.to_dict("records"):
        problems.add(
            row["_file"],
            row["_row"],
            "code",
            f"parent '{row['parent_code']}' of '{row['area_code']}' is not in the data",
        )


def area_km2(geometry: shapely.Geometry) -> float:
    """Area from lon/lat degrees with a local equirectangular scale: good to ~1% for a gemeente."""
    lat0 = math.radians(geometry.centroid.y)
    scaled = shapely.transform(
        geometry, lambda xy: xy * [KM_PER_DEGREE_LON_EQUATOR * math.cos(lat0), KM_PER_DEGREE_LAT]
    )
    return float(scaled.area)
