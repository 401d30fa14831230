"""Benchmark: `make bench`. Prints figures and ratios against targets; never fails a build.

Measures, on the default data (Dordrecht scale): database build time and peak memory, the
Overzicht and Kaart queries, the Driehoeksrapportage PDF, the server-side rerun of each page
(AppTest) and the size of the charts' data sent to the browser. Then, on the same database with
1 million demo incident events: placing and indexing the events, the hotspot cells, and the Kaart
page with hotspots on. Last, on a generated national-scale database (tests/bench/national.py,
46 million monthly rows): each page's rerun, and two aggregations against the same work in plain
pandas. Then the browser section (tests/bench/browser/, in a process of its own, about 3 minutes):
what a user waits for in headless Chromium, against a bare Streamlit app doing the same kind of work.

Page reruns are reported cold (Streamlit's query cache cleared first: what the first visitor of
a view waits for) and warm (cached, as on every widget change that repeats earlier queries).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from dashboard import routes
from ivpdata import briefing, h3cells, hotspots, mapping, overview, queries
from ivpdata.build import build
from ivpdata.config import DATA_DIR, PROJECT_ROOT, load_settings
from ivpdata.db import connect_read_only, write_transaction
from ivpdata.generate import rng_for
from ivpdata.periods import calendar_year
from tests.bench.browser import run_section as report_browser
from tests.bench.national import BENCH_GEMEENTE, GEMEENTEN, build_national

GEMEENTE, YEAR = "GM0505", 2024
QUERY_TARGET_MS = 50
RERUN_TARGET_MS = 300  # issue 18: every page's rerun at Dordrecht scale, cold (query cache cleared) ...
WARM_TARGET_MS = 150  # ... and warm
HOTSPOT_TARGET_MS = 1000
PAYLOAD_TARGET_KB = 1000
MILLION = 1_000_000
NATIONAL_TARGET_MS = 1000  # issue 18: every page's cold rerun at national scale


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


PAGES = tuple(
    route.file
    for route in (
        routes.OVERZICHT,
        routes.KAART,
        routes.TRENDS,
        routes.WIJKPROFIEL,
        routes.PRIORITEITEN,
        routes.MAATREGELEN,
        routes.VOOR_EN_NA,
        routes.BRONNEN,
    )
)


def page_rerun(
    page: str,
    settings: dict[str, bool] | None = None,
    gemeente: str | None = None,
    params: dict[str, str] | None = None,
) -> tuple[float, float, float]:
    """Median rerun time (ms) of a page cold and warm, and the size (kB) of its charts, maps and tables;
    `params`: the page opened from a link with these URL parameters."""
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    if gemeente:
        app.query_params["gemeente"] = gemeente
    app.query_params.update(params or {})
    app.run()
    if page != "dashboard/pages/overzicht.py":
        app.switch_page(page).run()
    for key, value in (settings or {}).items():
        app.toggle(key=key).set_value(value).run()

    def cold() -> None:  # nothing cached: neither copies (cache_data) nor shared results (cache_resource)
        st.cache_data.clear()
        st.cache_resource.clear()
        app.run()

    cold_ms = timed(cold, repeat=3)
    warm_ms = timed(app.run, repeat=5)
    assert not app.exception, app.exception
    payload = sum(len(chart.proto.spec) for chart in app.get("vega_lite_chart"))
    payload += sum(len(d.data.data) for chart in app.get("vega_lite_chart") for d in chart.proto.datasets)
    payload += sum(len(json.dumps(df.value.to_dict("records"), default=str)) for df in app.dataframe)
    payload += sum(len(deck.proto.json) for deck in app.get("deck_gl_json_chart"))
    return cold_ms, warm_ms, payload / 1000


KAART_VIEWS = {
    "buurt": {"niveau": "buurt", "maat": "per_1000"},
    "buurt, selected": {"niveau": "buurt", "maat": "per_1000", "selectie": "BU05050900"},
}


def report_kaart() -> None:
    """The Kaart at its heaviest level (132 buurten, hatching) and with a selected area (panel, trend)."""
    for name, params in KAART_VIEWS.items():
        cold_ms, warm_ms, size = page_rerun("dashboard/pages/kaart.py", params=params)
        line(f"dashboard/pages/kaart.py {name} cold", cold_ms, "ms", RERUN_TARGET_MS)
        line(f"dashboard/pages/kaart.py {name} warm", warm_ms, "ms", WARM_TARGET_MS)
        line(f"dashboard/pages/kaart.py {name}, data sent", size, "kB", PAYLOAD_TARGET_KB)


def report_pages(
    gemeente: str | None = None,
    target_ms: float = RERUN_TARGET_MS,
    warm_target_ms: float = WARM_TARGET_MS,
    payload: bool = True,
) -> None:
    for page in PAGES:
        cold_ms, warm_ms, size = page_rerun(page, gemeente=gemeente)
        line(f"{page} cold", cold_ms, "ms", target_ms)
        line(f"{page} warm", warm_ms, "ms", warm_target_ms)
        if payload:
            line(f"{page} chart, map and table data", size, "kB", PAYLOAD_TARGET_KB)


BRIEFING_TARGET_S = 3  # issue 18: the Driehoeksrapportage under 3 s


def report_briefing(con: duckdb.DuckDBPyConnection) -> None:
    """The Driehoeksrapportage PDF for Dordrecht, January to October of the Overzicht's year."""
    year = overview.default_year(queries.available_years(con, GEMEENTE))
    start, end = dt.date(year, 1, 1), dt.date(year, 10, 1)
    settings = load_settings()
    seconds = timed(lambda: briefing.briefing_pdf(con, GEMEENTE, start, end, settings), repeat=3) / 1000
    print(f"Driehoeksrapportage ({GEMEENTE}, jan-okt {year}), median of 3")
    line("PDF made", seconds, "s", BRIEFING_TARGET_S)


def report_chart_spec(con: duckdb.DuckDBPyConnection) -> None:
    """The public way of drawing a cached chart (dashboard.chart_spec: the Vega-Lite spec for
    st.vega_lite_chart, made once per chart) against Altair's own conversion, which
    st.altair_chart repeats on every rerun: the Trends chart of the gemeente, all months."""
    from dashboard import chart_spec
    from ivpdata import charts, fetch
    from ivpdata.page_models import trends as trends_model

    menu = trends_model.menu(fetch.on(con), GEMEENTE)
    months = menu.months
    choice = trends_model.Choice(
        [GEMEENTE], [menu.first_option], "month", "count", False, None, (months[0], months[-1])
    )
    made = trends_model.trend_chart(fetch.on(con), menu, choice, None)
    fields = (made.data, made.title, made.y_title, made.value_format, made.lockdowns, made.markers)
    chart = charts.trend_chart(*fields, made.time_format)
    print("Charts (the Trends chart of the gemeente, all months), median of 7")
    spec_ms, altair_ms = timed(lambda: chart_spec.vega_lite_spec(chart)), timed(lambda: chart.to_dict())
    line("chart_spec.vega_lite_spec (once per chart)", spec_ms, "ms")
    line("Altair to_dict (st.altair_chart, every rerun)", altair_ms, "ms")
    print(f"  the public spec takes {spec_ms / altair_ms:.2f}x the time of Altair's conversion; it is cached")


IMPORT_TARGET_ROWS_PER_S = 200_000
IMPORT_TARGET_MB = 1000


def report_import(database: Path, folder: Path) -> None:
    """Import a 1-million-row 47022NED-style file into a copy, in a process of its own."""
    copy = folder / "ivp-import.duckdb"
    shutil.copy(database, copy)
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.importing", str(copy)],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"Import of a {figures['rows']:,}-row 47022NED-style file (half another gemeente)")
    line("import time", figures["seconds"], "s")
    line("import throughput", figures["rows"] / figures["seconds"], "rows/s", IMPORT_TARGET_ROWS_PER_S)
    line("peak memory of the import process", figures["peak_mb"], "MB", IMPORT_TARGET_MB)
    copy.unlink()


def add_million_events(target: Path) -> tuple[int, float]:
    """Replace the demo events of the database by ~1 million, placed like the demo events (the
    Dordrecht counts scaled up). Returns the number of events and the seconds to place and index them."""
    with duckdb.connect(str(target), read_only=True) as con:
        counts = con.sql("SELECT * FROM incident_counts WHERE gemeente_code = 'GM0505'").df()
        buurten = con.sql("SELECT area_code, geometry_wkb FROM areas WHERE area_level = 'buurt'").df()
    factor = math.ceil(MILLION / counts["incident_count"].sum())
    counts["incident_count"] *= factor
    placement = hotspots.EventPlacement.from_profile(yaml.safe_load((DATA_DIR / "demo_profile.yaml").read_text()))
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
    # Clearing the query cache outside a running server makes Streamlit log a line each time.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ivp.duckdb"
        started = time.perf_counter()
        build(DATA_DIR, target)
        print("Build (default data)")
        line("build time", time.perf_counter() - started, "s")
        line("peak memory of this process", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
        line("database size", target.stat().st_size / 1e6, "MB")

        con = connect_read_only(target)
        ALL_CRIME = list(queries.category_options(con, GEMEENTE)["category_codes"].iloc[0])  # noqa: N806
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
        report_briefing(con)
        report_chart_spec(con)
        con.close()

        os.environ["IVP_DB"] = str(target)
        print("Page reruns, server side (AppTest), median; cold = query cache cleared")
        report_pages()
        report_kaart()

        report_import(target, Path(folder))

        million = Path(folder) / "ivp-1m.duckdb"
        shutil.copy(target, million)
        count, seconds = add_million_events(million)
        print(f"Hotspots with {count:,} demo events ({GEMEENTE}, all of 2017-2025)")
        line("placing and H3-indexing the events", seconds, "s")
        line("indexing throughput", count / seconds / 1000, "k events/s")
        con = connect_read_only(million)
        whole = (pd.Timestamp("2017-01-01").date(), pd.Timestamp("2025-12-01").date())
        buurten = queries.area_geometries(con, GEMEENTE, "buurt")
        for resolution in h3cells.RESOLUTIONS:
            line(
                f"hotspot_cells, resolution {resolution} (query)",
                timed(partial(queries.hotspot_cells, con, GEMEENTE, ALL_CRIME, whole, resolution, 5)),
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
        cold_ms, warm_ms, payload = page_rerun("dashboard/pages/kaart.py", {"kaart_hotspots": True})
        line("dashboard/pages/kaart.py with hotspots (1M events) cold", cold_ms, "ms", RERUN_TARGET_MS)
        line("dashboard/pages/kaart.py with hotspots (1M events) warm", warm_ms, "ms", WARM_TARGET_MS)
        line("dashboard/pages/kaart.py with hotspots, data sent", payload, "kB", PAYLOAD_TARGET_KB)

        national = Path(folder) / "national.duckdb"
        made = build_national(national, target)
        print(f"National scale: {made['rows']:,.0f} monthly rows ({GEMEENTEN} gemeenten), gemeente {BENCH_GEMEENTE}")
        line("generating the fixture", made["seconds"], "s")
        os.environ["IVP_DB"] = str(national)
        report_pages(BENCH_GEMEENTE, NATIONAL_TARGET_MS, NATIONAL_TARGET_MS, payload=False)
        compare_with_pandas(national)
        report_browser(target)  # in a process of its own; a note instead when Chromium is missing


def compare_with_pandas(national: Path) -> None:
    """The Trends and "Wat valt op" aggregations in DuckDB and in plain pandas, same data."""
    con = connect_read_only(national)
    codes = list(queries.category_options(con, BENCH_GEMEENTE)["category_codes"].iloc[0])
    wijk = f"WK{BENCH_GEMEENTE[2:]}03"
    period, comparison = (dt.date(2025, 1, 1), dt.date(2025, 12, 1)), (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    started = time.perf_counter()
    counts = con.sql("SELECT * FROM incident_counts").df()
    areas = con.sql("SELECT area_code, parent_code, area_level FROM areas").df()
    line("pandas: loading incident_counts (not in the ratios)", time.perf_counter() - started, "s")
    line("pandas: memory of the loaded frame", counts.memory_usage(deep=True).sum() / 1e6, "MB")

    def trends_pandas() -> pd.DataFrame:
        rows = counts[(counts["gemeente_code"] == BENCH_GEMEENTE) & counts["category_code"].isin(codes)]
        rows = rows.merge(areas[areas["area_level"] == "buurt"], on="area_code")
        city = rows.groupby(["year", "month", "category_code"], as_index=False)["incident_count"].sum()
        in_wijk = rows[rows["parent_code"] == wijk]
        part = in_wijk.groupby(["year", "month", "category_code"], as_index=False)["incident_count"].sum()
        return pd.concat([city.assign(target_code=BENCH_GEMEENTE), part.assign(target_code=wijk)])

    def changes_pandas() -> pd.DataFrame:
        rows = counts[(counts["gemeente_code"] == BENCH_GEMEENTE) & counts["year"].between(2024, 2025)]
        rows = rows.assign(now=rows["incident_count"].where(rows["year"] == 2025, 0))
        rows = rows.assign(before=rows["incident_count"].where(rows["year"] == 2024, 0))
        grouped = rows.groupby(["area_code", "category_code"], as_index=False)[["now", "before"]].sum()
        return grouped[grouped["now"] + grouped["before"] > 0]

    for name, duck, plain in [
        (
            "Trends: gemeente and wijk per month",
            lambda: queries.target_month_counts(con, BENCH_GEMEENTE, [BENCH_GEMEENTE, wijk], codes),
            trends_pandas,
        ),
        (
            "Wat valt op: buurt x category, 2 years",
            lambda: queries.buurt_category_changes(con, BENCH_GEMEENTE, "buurt", period, comparison),
            changes_pandas,
        ),
    ]:
        assert len(duck()) == len(plain()), name  # the same work
        duck_ms, plain_ms = timed(duck, repeat=5), timed(plain, repeat=3)
        line(f"{name}: DuckDB", duck_ms, "ms")
        line(f"{name}: pandas", plain_ms, "ms")
        print(f"  {name}: pandas takes {plain_ms / duck_ms:.1f}x as long as DuckDB")
    con.close()


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
