"""Connections: pages read through `connect_read_only`; every write goes through `write_transaction`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ivpdata.config import db_path


class DatabaseMissingError(FileNotFoundError):
    pass


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection that cannot write: DuckDB refuses any change on a read-only file."""
    path = Path(path or db_path())
    if not path.exists():
        raise DatabaseMissingError(f"Database {path} does not exist: run `make build` (python -m ivpdata build).")
    return duckdb.connect(str(path), read_only=True)


@contextmanager
def write_transaction(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one write path: a read-write connection inside a transaction, committed only if the
    block finishes, rolled back (database exactly as before) if it raises."""
    con = duckdb.connect(str(path or db_path()))
    try:
        con.begin()
        try:
            yield con
        except BaseException:
            con.rollback()
            raise
        con.commit()
    finally:
        con.close()
