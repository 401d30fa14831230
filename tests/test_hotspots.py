"""Hotspots: demo events behind the counts, H3 cells aggregated in SQL, hexagons without points."""

from __future__ import annotations

import datetime as dt
import json

import h3.api.basic_int as h3
import numpy as np
import pandas as pd
import pytest
import shapely

from ivpdata import h3cells, hotspots, mapping, queries
from ivpdata.periods import calendar_year


def test_every_offered_resolution_has_its_column(db):
    columns = {row[0] for row in db.sql("DESCRIBE incident_events").fetchall()}
    assert {f"h3_r{r}" for r in h3cells.RESOLUTIONS} <= columns
    with pytest.raises(ValueError, match="resolution 7"):
        queries.hotspot_cells(db, "GM0505", ["1.1.1"], calendar_year(2024), resolution=7, min_count=1)


def test_events_sum_exactly_to_the_monthly_buurt_counts(db):
    mismatches = db.sql(
        """
        WITH events AS (
            SELECT buurt_code, year(occurred_at) AS y, month(occurred_at) AS m, category_code, count(*) AS n
            FROM incident_events GROUP BY ALL
        )
        SELECT count(*) FROM events AS e
        FULL JOIN (SELECT * FROM incident_counts WHERE incident_count > 0) AS i
            ON e.buurt_code = i.area_code AND e.y = i.year AND e.m = i.month AND e.category_code = i.category_code
        WHERE e.n IS DISTINCT FROM i.incident_count
        """
    ).fetchone()[0]
    assert mismatches == 0
    assert db.sql("SELECT count(*) FROM incident_events").fetchone()[0] > 50_000


def test_events_lie_in_their_buurt_and_carry_their_cell(db):
    # Every event, not a sample: a point a rounding away from its border is rare.
    events = db.sql("SELECT buurt_code, lon, lat FROM incident_events").df()
    geometries = db.sql("SELECT area_code, geometry_wkb FROM areas WHERE area_level = 'buurt'").df()
    polygons = {row.area_code: shapely.from_wkb(bytes(row.geometry_wkb)) for row in geometries.itertuples()}
    for code, group in events.groupby("buurt_code"):
        inside = shapely.contains_xy(polygons[code], group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), f"{(~inside).sum()} events outside buurt {code}"
    sample = db.sql("SELECT lon, lat, h3_r8, h3_r9, h3_r10 FROM incident_events USING SAMPLE 500 ROWS").df()
    for row in sample.itertuples():
        for resolution in h3cells.RESOLUTIONS:
            assert int(getattr(row, f"h3_r{resolution}")) == h3.latlng_to_cell(row.lat, row.lon, resolution)


def test_demo_events_cluster_around_hot_points():
    square = shapely.box(4.60, 51.80, 4.62, 51.81)
    placement = hotspots.EventPlacement(cluster_share=0.8, hot_points_per_buurt=2, cluster_sigma_m=30)
    x, y = hotspots.clustered_points(square, 2000, placement, np.random.default_rng(1))
    assert len(x) == 2000 and shapely.contains_xy(square, x, y).all()
    cells = pd.Series(h3cells.cells_for(y, x, 10)).value_counts()
    # Evenly spread, 2,000 points over ~100 cells of res 10 give ~20 each; clusters give far more.
    assert cells.iloc[0] > 200


def test_hotspot_cells_equal_an_aggregation_in_python(db):
    period = calendar_year(2024)
    codes = list(queries.category_options(db, "GM0505")["category_codes"].iloc[0])
    cells = queries.hotspot_cells(db, "GM0505", codes, period, resolution=9, min_count=5)
    events = db.execute(
        "SELECT lat, lon FROM incident_events WHERE gemeente_code = 'GM0505' "
        "AND list_contains(?, category_code) AND occurred_at >= DATE '2024-01-01' AND occurred_at < DATE '2025-01-01'",
        [codes],
    ).df()
    # Each hexagon counts exactly the events whose point lies in it.
    expected = pd.Series([h3.latlng_to_cell(a, b, 9) for a, b in zip(events["lat"], events["lon"], strict=True)])
    expected = expected.value_counts()
    assert int(cells["total_events"].iloc[0]) == len(events)
    assert int(cells["total_cells"].iloc[0]) == len(expected)
    shown = expected[expected >= 5]
    assert dict(zip(cells["cell"].astype(int), cells["event_count"], strict=True)) == shown.to_dict()
    assert cells["event_count"].is_monotonic_decreasing


def test_minimum_count_and_empty_selection(db):
    period = (dt.date(2024, 3, 1), dt.date(2024, 3, 1))
    few = queries.hotspot_cells(db, "GM0505", ["1.1.1"], period, resolution=10, min_count=1)
    strict = queries.hotspot_cells(db, "GM0505", ["1.1.1"], period, resolution=10, min_count=3)
    assert len(strict) < len(few) and (strict["event_count"] >= 3).all()
    none = queries.hotspot_cells(db, "GM0505", ["no-such-category"], period, resolution=9, min_count=1)
    assert none.empty
    assert "Geen zeshoek" in hotspots.summary(none, 5)


def test_hexagons_carry_counts_not_points(db):
    codes = list(queries.category_options(db, "GM0505")["category_codes"].iloc[0])
    cells = queries.hotspot_cells(db, "GM0505", codes, calendar_year(2024), resolution=9, min_count=5)
    buurten = queries.area_geometries(db, "GM0505", "buurt")
    layer = hotspots.hotspot_layer(cells, buurten, classes=5, min_count=5)
    named, bounds, features = layer.cells, layer.bounds, layer.features
    assert named["area_name"].notna().mean() > 0.9
    assert bounds and min(bounds) > 5 and all(float(b).is_integer() for b in bounds)  # as the legend shows them
    assert len(features["features"]) == len(cells)
    ring = features["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 7 and ring[0] == ring[-1]  # a closed hexagon
    assert len({tuple(f["properties"]["fill"]) for f in features["features"]}) == 5
    first = features["features"][0]["properties"]
    assert first["details"].startswith(f"{cells['event_count'].iloc[0]} incidenten")
    deck = json.loads(
        mapping.map_deck(
            {"type": "FeatureCollection", "features": []}, mapping.view_for(buurten), hotspots=features
        ).to_json()
    )
    assert [layer["id"] for layer in deck["layers"]] == [mapping.LAYER_ID, mapping.HOTSPOT_LAYER_ID]
    text = json.dumps(deck)
    assert '"Point"' not in text and "occurred_at" not in text and "http" not in text
    table = hotspots.hotspot_table(named)
    assert list(table["Rang"][:3]) == [1, 2, 3] and table["Aantal"].sum() == cells["event_count"].sum()
    assert hotspots.summary(named, 5).startswith(f"{len(cells)} zeshoeken met ten minste 5 incidenten")


def test_each_hexagon_has_the_colour_of_its_legend_class(db):
    codes = list(queries.category_options(db, "GM0505")["category_codes"].iloc[0])
    cells = queries.hotspot_cells(db, "GM0505", codes, calendar_year(2024), resolution=10, min_count=5)
    layer = hotspots.hotspot_layer(cells, queries.area_geometries(db, "GM0505", "buurt"), classes=5, min_count=5)
    entries = mapping.legend("count", layer.bounds, False, "", lowest=5)
    assert entries[0].label.startswith("5 tot ")  # the first class is not empty
    edges = [5, *layer.bounds, np.inf]
    for feature in layer.features["features"]:
        count = int(feature["properties"]["details"].split(" ")[0].replace(".", ""))
        klass = next(i for i in range(len(entries)) if edges[i] <= count < edges[i + 1])
        assert feature["properties"]["fill"] == mapping.rgb(entries[klass].colour, 200)
