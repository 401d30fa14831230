"""Benchmark: `make bench`. Prints figures and ratios against targets; never fails a build.

Measures, on the default data (Dordrecht scale): database build time and peak memory, the
Overzicht and Kaart queries, the server-side rerun of each page (AppTest) and the size of the charts'
data sent to the browser. Then, on the same database with 1 million demo incident events: placing
and indexing the events, the hotspot cells, and the Kaart page with hotspots on.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from ivpdata import hotspots, mapping, queries
from ivpdata.build import build
from ivpdata.config import DATA_DIR, PROJECT_ROOT, load_settings
from ivpdata.db import connect_read_only, write_transaction
from ivpdata.generate import rng_for
from ivpdata.periods import calendar_year

GEMEENTE, YEAR = "GM0505", 2024
QUERY_TARGET_MS = 50
RERUN_TARGET_MS = 300
HOTSPOT_TARGET_MS = 1000
PAYLOAD_TARGET_KB = 1000
MILLION = 1_000_000


def timed(function: Callable[[], object], repeat: int = 7) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def line(label: str, value: float, unit: str, target: float | None = None) -> None:
    ratio = f"  ({value / target:.2f} of target {target:g} {unit})" if target else ""
    print(f"  {label:<44} {value:>9.1f} {unit}{ratio}")


def page_rerun(page: str, settings: dict[str, object] | None = None) -> tuple[float, float]:
    """Median rerun time (ms) of a page and the size (kB) of its charts, maps and tables."""
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    if page != "views/overzicht.py":
        app.switch_page(page).run()
    for key, value in (settings or {}).items():
        app.toggle(key=key).set_value(value).run()
    elapsed = timed(app.run, repeat=5)
    payload = sum(len(chart.proto.spec) for chart in app.get("vega_lite_chart"))
    payload += sum(len(d.data.data) for chart in app.get("vega_lite_chart") for d in chart.proto.datasets)
    payload += sum(len(json.dumps(df.value.to_dict("records"), default=str)) for df in app.dataframe)
    payload += sum(len(deck.proto.json) for deck in app.get("deck_gl_json_chart"))
    return elapsed, payload / 1000


def add_million_events(target: Path) -> tuple[int, float]:
    """Replace the demo events of the database by ~1 million, placed like the demo events (the
    Dordrecht counts scaled up). Returns the number of events and the seconds to place and index them."""
    with duckdb.connect(str(target), read_only=True) as con:
        counts = con.sql("SELECT * FROM incident_counts WHERE gemeente_code = 'GM0505'").df()
        buurten = con.sql("SELECT area_code, geometry_wkb FROM areas WHERE area_level = 'buurt'").df()
    factor = math.ceil(MILLION / counts["incident_count"].sum())
    counts["incident_count"] *= factor
    placement = hotspots.EventPlacement(cluster_share=0.55, hot_points_per_buurt=3, cluster_sigma_m=60)
    started = time.perf_counter()
    events = hotspots.demo_events(counts, buurten, placement, lambda part: rng_for(505, "bench", part))
    seconds = time.perf_counter() - started
    events.insert(0, "event_id", range(1, len(events) + 1))
    with write_transaction(target) as con:
        con.execute("DELETE FROM incident_events")
        con.register("incoming", events)
        con.execute(f"INSERT INTO incident_events ({', '.join(events.columns)}) SELECT * FROM incoming")
    return len(events), seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ivp.duckdb"
        started = time.perf_counter()
        build(DATA_DIR, target)
        print("Build (default data)")
        line("build time", time.perf_counter() - started, "s")
        line("peak memory of this process", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
        line("database size", target.stat().st_size / 1e6, "MB")

        con = connect_read_only(target)
        ALL_CRIME = list(queries.category_options(con)["category_codes"].iloc[0])  # noqa: N806
        print(f"Queries ({GEMEENTE}, {YEAR}), median of 7")
        for name, call in [
            ("key_figures", lambda: queries.key_figures(con, GEMEENTE, YEAR)),
            ("published_comparisons", lambda: queries.published_comparisons(con, GEMEENTE)),
            ("published_series", lambda: queries.published_series(con, GEMEENTE)),
            ("wijk_summary", lambda: queries.wijk_summary(con, GEMEENTE, YEAR)),
            ("published_figures", lambda: queries.published_figures(con, GEMEENTE)),
            (
                "area_counts (Kaart, all crime, buurten)",
                lambda: queries.area_counts(
                    con, GEMEENTE, "buurt", ALL_CRIME, calendar_year(YEAR), calendar_year(YEAR - 1)
                ),
            ),
            ("choropleth values (area_counts + measures)", lambda: choropleth(con, ALL_CRIME)),
        ]:
            line(name, timed(call), "ms", QUERY_TARGET_MS)
        con.close()

        os.environ["IVP_DB"] = str(target)
        print("Page reruns, server side (AppTest, warm cache), median of 5")
        for page in ("views/overzicht.py", "views/kaart.py", "views/bronnen.py"):
            elapsed, payload = page_rerun(page)
            line(page, elapsed, "ms", RERUN_TARGET_MS)
            line(f"{page} chart, map and table data", payload, "kB", PAYLOAD_TARGET_KB)

        million = Path(folder) / "ivp-1m.duckdb"
        shutil.copy(target, million)
        count, seconds = add_million_events(million)
        print(f"Hotspots with {count:,} demo events ({GEMEENTE}, all of 2017-2025)")
        line("placing and H3-indexing the events", seconds, "s")
        line("indexing throughput", count / seconds / 1000, "k events/s")
        con = connect_read_only(million)
        whole = (pd.Timestamp("2017-01-01").date(), pd.Timestamp("2025-12-01").date())
        buurten = queries.area_geometries(con, GEMEENTE, "buurt")
        for resolution in hotspots.RESOLUTIONS:
            line(
                f"hotspot_cells, resolution {resolution} (query)",
                timed(lambda r=resolution: queries.hotspot_cells(con, GEMEENTE, ALL_CRIME, whole, r, 5)),
                "ms",
                HOTSPOT_TARGET_MS,
            )
        line(
            "hotspot cells + hexagons, resolution 10 (all work)",
            timed(lambda: hotspot_layer(con, ALL_CRIME, whole, buurten)),
            "ms",
            HOTSPOT_TARGET_MS,
        )
        con.close()
        os.environ["IVP_DB"] = str(million)
        elapsed, payload = page_rerun("views/kaart.py", {"kaart_hotspots": True})
        line("views/kaart.py with hotspots (1M events)", elapsed, "ms", RERUN_TARGET_MS)
        line("views/kaart.py with hotspots, data sent", payload, "kB", PAYLOAD_TARGET_KB)


def choropleth(con: duckdb.DuckDBPyConnection, codes: list[str]) -> pd.DataFrame:
    counts = queries.area_counts(con, GEMEENTE, "buurt", codes, calendar_year(YEAR), calendar_year(YEAR - 1))
    return mapping.area_measures(counts, "per_1000", mapping.thresholds_for(load_settings(), "buurt"))


def hotspot_layer(con: duckdb.DuckDBPyConnection, codes: list[str], period: tuple, buurten: pd.DataFrame) -> dict:
    cells = hotspots.name_cells(queries.hotspot_cells(con, GEMEENTE, codes, period, 10, 5), buurten)
    return hotspots.cell_features(
        cells, mapping.class_bounds(cells["event_count"], "count", mapping.Thresholds(0, 0, ()))
    )


if __name__ == "__main__":
    main()
