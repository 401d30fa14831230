"""Benchmark: `make bench`. Prints figures and ratios against targets; never fails a build.

Measures, on the default data (Dordrecht scale): database build time and peak memory, the
Overzicht and Kaart queries, the server-side rerun of each page (AppTest) and the size of the charts'
data sent to the browser.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ivpdata import queries
from ivpdata.build import build
from ivpdata.config import DATA_DIR, PROJECT_ROOT
from ivpdata.db import connect_read_only
from ivpdata.periods import calendar_year

GEMEENTE, YEAR = "GM0505", 2024
QUERY_TARGET_MS = 50
RERUN_TARGET_MS = 300


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
        ]:
            line(name, timed(call), "ms", QUERY_TARGET_MS)
        con.close()

        os.environ["IVP_DB"] = str(target)
        print("Page reruns, server side (AppTest, warm cache), median of 5")
        for page in ("views/overzicht.py", "views/kaart.py", "views/bronnen.py"):
            app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
            if page != "views/overzicht.py":
                app.switch_page(page).run()
            line(page, timed(app.run, repeat=5), "ms", RERUN_TARGET_MS)
            payload = sum(len(chart.proto.spec) for chart in app.get("vega_lite_chart"))
            payload += sum(len(d.data.data) for chart in app.get("vega_lite_chart") for d in chart.proto.datasets)
            payload += sum(len(json.dumps(df.value.to_dict("records"), default=str)) for df in app.dataframe)
            payload += sum(len(deck.proto.json) for deck in app.get("deck_gl_json_chart"))
            line(f"{page} chart, map and table data", payload / 1000, "kB")


if __name__ == "__main__":
    main()
