"""How a page model reads the database: `fetch(queries.area_counts, gemeente_code=..., ...)`.

A page model (ivpdata/page_models/) computes what a page shows. The page passes the app's cached
`dashboard.connection.query`; the PDF and the tests pass `on(connection)`, which runs the same
query function on an open DuckDB connection. Either way the model calls a function of
`ivpdata.queries`, so "go to definition" leads from the model to the SQL file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol

import duckdb
import pandas as pd

P = ParamSpec("P")


class Fetch(Protocol):
    """Runs a function of ivpdata.queries with its parameters (without the connection)."""

    def __call__(
        self,
        function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], pd.DataFrame],
        /,
        *args: P.args,
        **params: P.kwargs,
    ) -> pd.DataFrame: ...


def on(con: duckdb.DuckDBPyConnection) -> Fetch:
    """A Fetch that runs each query on `con`, uncached."""

    def fetch(
        function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], pd.DataFrame],
        /,
        *args: P.args,
        **params: P.kwargs,
    ) -> pd.DataFrame:
        return function(con, *args, **params)

    return fetch
