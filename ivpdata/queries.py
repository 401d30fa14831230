"""Query functions. Each runs the SQL file of the same name in queries/ with bind parameters and
returns a DataFrame; values never enter SQL text."""

from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd

from ivpdata.config import QUERIES_DIR


@cache
def sql(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    return con.execute(sql(name), params or None).df()


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
