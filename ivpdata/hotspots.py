"""Incident events as H3 hexagons: indexing, demo events, and the cells the map draws.

Every event is stored with its H3 cell at each resolution the map offers (`incident_events.h3_r8`
and so on), computed once when it is written. The hotspot query counts events per cell inside
DuckDB, so a million events aggregate there and the browser only ever receives the few hundred
cells above the minimum count, never a point. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import h3.api.basic_int as h3
import numpy as np
import pandas as pd
import shapely

from ivpdata import formatting, mapping
from ivpdata.h3cells import EVENT_DECIMALS, cell_columns

COORDINATE_DECIMALS = 6  # about 0.1 m: exact enough to draw, a third of the bytes
TABLE_DECIMALS = {"Breedtegraad": 5, "Lengtegraad": 5}
PUBLIC_NOTE = "Openbare weergave: geen zeshoeken (hotspots); die kunnen kleine aantallen op een adres tonen."
M_PER_DEGREE_LAT = 110_574.0
M_PER_DEGREE_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class EventPlacement:
    """How demo events spread within a buurt: a share lands around a few hot points."""

    cluster_share: float
    hot_points_per_buurt: int
    cluster_sigma_m: float

    @classmethod
    def from_profile(cls, profile: dict) -> EventPlacement:
        events = profile["events"]
        return cls(
            cluster_share=float(events["cluster_share"]),
            hot_points_per_buurt=int(events["hot_points_per_buurt"]),
            cluster_sigma_m=float(events["cluster_sigma_m"]),
        )


def uniform_points(polygon: shapely.Geometry, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points uniformly inside the polygon (rejection sampling in its bounding box)."""
    min_x, min_y, max_x, max_y = polygon.bounds
    fill = max(polygon.area / max((max_x - min_x) * (max_y - min_y), 1e-12), 0.02)
    xs, ys = [], []
    found = 0
    shapely.prepare(polygon)
    while found < n:
        batch = int((n - found) / fill * 1.3) + 16
        # Rounded before the test, so the stored coordinates themselves lie inside.
        x = rng.uniform(min_x, max_x, batch).round(EVENT_DECIMALS)
        y = rng.uniform(min_y, max_y, batch).round(EVENT_DECIMALS)
        inside = shapely.contains_xy(polygon, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def clustered_points(
    polygon: shapely.Geometry, n: int, placement: EventPlacement, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """n points inside the polygon: part around hot points, the rest spread evenly."""
    hot_x, hot_y = uniform_points(polygon, placement.hot_points_per_buurt, rng)
    weights = rng.dirichlet(np.ones(placement.hot_points_per_buurt))
    near = rng.binomial(n, placement.cluster_share)
    which = rng.choice(placement.hot_points_per_buurt, size=near, p=weights)
    lat_sigma = placement.cluster_sigma_m / M_PER_DEGREE_LAT
    lon_sigma = placement.cluster_sigma_m / (M_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(hot_y.mean())))
    x = (hot_x[which] + rng.normal(0, lon_sigma, near)).round(EVENT_DECIMALS)
    y = (hot_y[which] + rng.normal(0, lat_sigma, near)).round(EVENT_DECIMALS)
    inside = shapely.contains_xy(polygon, x, y)
    x, y = x[inside], y[inside]
    rest_x, rest_y = uniform_points(polygon, n - len(x), rng)
    return np.concatenate([x, rest_x]), np.concatenate([y, rest_y])


def demo_events(
    counts: pd.DataFrame,
    buurten: pd.DataFrame,
    placement: EventPlacement,
    rng_for_part: Callable[[str], np.random.Generator],
) -> pd.DataFrame:
    """One event per counted incident: the events sum exactly to the monthly buurt counts.

    `counts` has gemeente_code, area_code (buurt), year, month, category_code, incident_count;
    `buurten` has area_code and geometry_wkb. Times are spread evenly over the month."""
    present = counts[counts["incident_count"] > 0]
    repeats = present["incident_count"].to_numpy(dtype=np.int64)
    rows = present.loc[np.repeat(present.index.to_numpy(), repeats)].reset_index(drop=True)
    n = len(rows)
    if n == 0:
        return pd.DataFrame()
    rng = rng_for_part("event-times")
    month_start = pd.to_datetime(pd.DataFrame({"year": rows["year"], "month": rows["month"], "day": 1}))
    seconds = rng.random(n) * month_start.dt.days_in_month.to_numpy() * 86_400
    occurred_at = month_start + pd.to_timedelta(seconds.astype(np.int64), unit="s")

    lon = np.empty(n)
    lat = np.empty(n)
    geometries = buurten.set_index("area_code")["geometry_wkb"]
    for code, positions in rows.groupby("area_code", sort=True).indices.items():
        polygon = shapely.from_wkb(bytes(geometries[code]))
        lon[positions], lat[positions] = clustered_points(polygon, len(positions), placement, rng_for_part(code))
    return pd.DataFrame(
        {
            "gemeente_code": rows["gemeente_code"],
            "occurred_at": occurred_at.dt.as_unit("us"),
            "category_code": rows["category_code"],
            "lon": lon,
            "lat": lat,
            "buurt_code": rows["area_code"],
            **cell_columns(lat, lon),
            "source_id": "demo",
            "is_demo": True,
        }
    )


def cell_features(cells: pd.DataFrame, bounds: list[float]) -> dict:
    """GeoJSON hexagons coloured by event count class (as the count choropleth), with a tooltip."""
    colours = mapping.palette("count", bounds)
    classes = np.searchsorted(np.asarray(bounds), cells["event_count"].to_numpy(dtype=float), side="right")
    features = []
    for row, klass in zip(cells.itertuples(), classes, strict=True):
        boundary = [
            [round(lng, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)]
            for lat, lng in h3.cell_to_boundary(int(row.cell))
        ]
        area_km2 = h3.cell_area(int(row.cell), unit="km^2")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*boundary, boundary[0]]]},
                "properties": {
                    "name": f"Zeshoek bij {row.area_name}" if isinstance(row.area_name, str) else "Zeshoek",
                    "details": f"{formatting.number(row.event_count)} incidenten\n"
                    f"Oppervlak: {formatting.number(area_km2, 3)} km²",
                    "fill": mapping.rgb(colours[int(klass)], 200),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class HotspotLayer:
    """The hexagons the map draws: the cells (with the area holding each centre), their class bounds,
    their GeoJSON and their table. Made once per query (dashboard.connection.derived caches it), not on every rerun."""

    cells: pd.DataFrame
    bounds: list[float]
    features: dict
    table: pd.DataFrame


def hotspot_layer(cells: pd.DataFrame, buurten: pd.DataFrame, classes: int, min_count: int) -> HotspotLayer:
    """Hexagons of the cells (query hotspot_cells) in `classes` count classes, named after the buurt
    (query area_geometries) that holds their centre. A bound at `min_count` (the legend's lowest value)
    would make an empty class and is left out."""
    named = name_cells(cells, buurten)
    thresholds = mapping.Thresholds(0, 0, (), classes)
    bounds = [b for b in mapping.class_bounds(named["event_count"], "count", thresholds) if b > min_count]
    return HotspotLayer(named, bounds, cell_features(named, bounds), hotspot_table(named))


def cell_centres(cells: pd.Series) -> pd.DataFrame:
    """Centre (lon, lat) of each cell, to name the buurt it lies in."""
    centres = [h3.cell_to_latlng(int(cell)) for cell in cells]
    return pd.DataFrame({"lat": [c[0] for c in centres], "lon": [c[1] for c in centres]}, index=cells.index)


def name_cells(cells: pd.DataFrame, geometries: pd.DataFrame) -> pd.DataFrame:
    """Add the name of the area that holds each cell's centre (missing when outside all areas)."""
    centres = cell_centres(cells["cell"])
    tree = shapely.STRtree([shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]])
    points = shapely.points(centres["lon"].to_numpy(), centres["lat"].to_numpy())
    point_index, area_index = tree.query(points, predicate="within")
    names = pd.Series(pd.NA, index=range(len(cells)), dtype="string")
    names.iloc[point_index] = geometries["area_name"].to_numpy()[area_index]
    return cells.assign(area_name=names.to_numpy())


def summary(cells: pd.DataFrame, min_count: int) -> str:
    """What the hexagons show, and what they leave out (cells under the minimum count)."""
    if cells.empty:
        return f"Geen zeshoek met ten minste {min_count} incidenten met een locatie in deze periode."
    total, shown = int(cells["total_events"].iloc[0]), int(cells["event_count"].sum())
    return (
        f"{formatting.number(len(cells))} zeshoeken met ten minste {min_count} incidenten: samen "
        f"{formatting.number(shown)} van de {formatting.number(total)} incidenten met een locatie "
        f"({formatting.percent(shown / total)}). Zeshoeken met minder incidenten zijn niet getekend."
    )


def hotspot_table(cells: pd.DataFrame) -> pd.DataFrame:
    """The drawn cells as a table, largest first: the accessible alternative to the hexagons."""
    ordered = cells.sort_values("event_count", ascending=False).reset_index(drop=True)
    centres = cell_centres(ordered["cell"])
    return pd.DataFrame(
        {
            "Rang": np.arange(1, len(ordered) + 1),
            "Gebied (middelpunt)": ordered["area_name"].fillna("buiten de gemeente"),
            "Aantal": ordered["event_count"].astype(int),
            "Breedtegraad": centres["lat"].round(5),
            "Lengtegraad": centres["lon"].round(5),
            "H3-cel": [h3.int_to_str(int(c)) for c in ordered["cell"]],
        }
    )
