"""Query functions. Each runs the SQL file of the same name in queries/ with bind parameters and
returns a DataFrame; values never enter SQL text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import duckdb
import pandas as pd

from ivpdata.config import QUERIES_DIR
from ivpdata.h3cells import RESOLUTIONS


@cache
def sql(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    return con.execute(sql(name), params or None).df()


def run_through_arrow(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """As `run`, read through Arrow: for a large result of text codes and integers about five times
    faster than DuckDB's own conversion (40,000 rows: 5 ms against 26 ms), and the same frame only
    for columns of text, integers, floats and booleans without gaps (tests/test_queries.py checks
    the queries that use it). Dates, sums of integers (HUGEINT) and gaps convert otherwise, and so
    does an empty result (its text columns typed as text, not object): that one is run again by `run`."""
    table = con.execute(sql(name), params or None).to_arrow_table()
    return table.to_pandas() if table.num_rows else run(con, name, **params)


def municipalities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, "municipalities")


def available_years(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "available_years", gemeente_code=gemeente_code)


def key_figures(con: duckdb.DuckDBPyConnection, gemeente_code: str, year: int) -> pd.DataFrame:
    return run(con, "key_figures", gemeente_code=gemeente_code, year=year)


def published_comparisons(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "published_comparisons", gemeente_code=gemeente_code)


def published_series(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "published_series", gemeente_code=gemeente_code)


def wijk_summary(con: duckdb.DuckDBPyConnection, gemeente_code: str, year: int) -> pd.DataFrame:
    return run(con, "wijk_summary", gemeente_code=gemeente_code, year=year)


def published_figures(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "published_figures", gemeente_code=gemeente_code)


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, "sources")


def gemeente_sources(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    """The sources that the gemeente's own figures, areas and plans came from."""
    return run(con, "gemeente_sources", gemeente_code=gemeente_code)


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, "load_history")


def area_names(con: duckdb.DuckDBPyConnection, gemeente_code: str | None = None) -> pd.DataFrame:
    return run(con, "area_names", gemeente_code=gemeente_code)


def category_options(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "category_options", gemeente_code=gemeente_code)


def area_counts(
    con: duckdb.DuckDBPyConnection,
    gemeente_code: str,
    area_level: str,
    category_codes: Sequence[str],
    period: tuple[dt.date, dt.date],
    comparison: tuple[dt.date, dt.date] | None,
) -> pd.DataFrame:
    """Periods are (first month, last month), each as the first day of the month. Without a
    comparison period every comparison_count is 0."""
    return run(
        con,
        "area_counts",
        gemeente_code=gemeente_code,
        area_level=area_level,
        category_codes=list(category_codes),
        period_start=period[0],
        period_end=period[1],
        comparison_start=comparison[0] if comparison else None,
        comparison_end=comparison[1] if comparison else None,
    )


def area_geometries(con: duckdb.DuckDBPyConnection, gemeente_code: str, area_level: str) -> pd.DataFrame:
    return run(con, "area_geometries", gemeente_code=gemeente_code, area_level=area_level)


def area_month_series(con: duckdb.DuckDBPyConnection, area_code: str, category_codes: Sequence[str]) -> pd.DataFrame:
    return run(con, "area_month_series", area_code=area_code, category_codes=list(category_codes))


def hotspot_cells(
    con: duckdb.DuckDBPyConnection,
    gemeente_code: str,
    category_codes: Sequence[str],
    period: tuple[dt.date, dt.date],
    resolution: int,
    min_count: int,
) -> pd.DataFrame:
    """H3 cells (as integers) with at least `min_count` events, and the totals over all cells.
    `resolution` is one of ivpdata.h3cells.RESOLUTIONS (each has its column)."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution {resolution} is not one of {sorted(RESOLUTIONS)}")
    return run(
        con,
        "hotspot_cells",
        gemeente_code=gemeente_code,
        category_codes=list(category_codes),
        period_start=period[0],
        period_end=period[1],
        resolution=resolution,
        min_count=min_count,
    )


def area_group_outlines(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "area_group_outlines", gemeente_code=gemeente_code)


def area_options(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "area_options", gemeente_code=gemeente_code)


def target_month_counts(
    con: duckdb.DuckDBPyConnection, gemeente_code: str, target_codes: Sequence[str], category_codes: Sequence[str]
) -> pd.DataFrame:
    """Monthly counts per category; a target is an area code of any level or an area group code."""
    return run(
        con,
        "target_month_counts",
        gemeente_code=gemeente_code,
        target_codes=list(target_codes),
        category_codes=list(category_codes),
    )


def buurten(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "buurten", gemeente_code=gemeente_code)


def buurt_year_counts(
    con: duckdb.DuckDBPyConnection, gemeente_code: str, buurt_codes: Sequence[str], category_codes: Sequence[str]
) -> pd.DataFrame:
    """Yearly counts per buurt and category, the public release's input (disclosure.make_releases)."""
    return run_through_arrow(
        con,
        "buurt_year_counts",
        gemeente_code=gemeente_code,
        buurt_codes=list(buurt_codes),
        category_codes=list(category_codes),
    )


def target_population(con: duckdb.DuckDBPyConnection, target_codes: Sequence[str]) -> pd.DataFrame:
    return run(con, "target_population", target_codes=list(target_codes))


def buurt_category_changes(
    con: duckdb.DuckDBPyConnection,
    gemeente_code: str,
    area_level: str,
    period: tuple[dt.date, dt.date],
    comparison: tuple[dt.date, dt.date],
) -> pd.DataFrame:
    return run(
        con,
        "buurt_category_changes",
        gemeente_code=gemeente_code,
        area_level=area_level,
        period_start=period[0],
        period_end=period[1],
        comparison_start=comparison[0],
        comparison_end=comparison[1],
    )


def target_notes(con: duckdb.DuckDBPyConnection, target_code: str) -> pd.DataFrame:
    return run(con, "target_notes", target_code=target_code)


def target_survey(con: duckdb.DuckDBPyConnection, target_code: str) -> pd.DataFrame:
    return run(con, "target_survey", target_code=target_code)


def plan_indicators(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "plan_indicators", gemeente_code=gemeente_code)


def indicator_actuals(con: duckdb.DuckDBPyConnection, gemeente_code: str, plan_id: str) -> pd.DataFrame:
    return run(con, "indicator_actuals", gemeente_code=gemeente_code, plan_id=plan_id)


def plans(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "plans", gemeente_code=gemeente_code)


def measure_results(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "measure_results", gemeente_code=gemeente_code)


def area_measures(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    return run(con, "area_measures", gemeente_code=gemeente_code)


def target_outlines(con: duckdb.DuckDBPyConnection, gemeente_code: str, target_codes: Sequence[str]) -> pd.DataFrame:
    return run(con, "target_outlines", gemeente_code=gemeente_code, target_codes=list(target_codes))


def presentations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, "presentations")


def presentation_slides(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, "presentation_slides")
