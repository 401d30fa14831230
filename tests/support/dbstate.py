"""The state of a database file, to assert what an import changed (or that it changed nothing)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def state(db: Path) -> dict[str, tuple]:
    """Every table's row count and a hash over its rows: equal states mean equal contents. Files
    with the same bytes (the database and its write-ahead log) have the same state: a fresh copy of
    the shared database, or a file an import refused to change, is read only once per process."""
    digest = _file_digest(db)
    if digest not in _STATES:
        with duckdb.connect(str(db), read_only=True) as con:
            tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY ALL").fetchall()]
            _STATES[digest] = {
                table: one_row(con, f'SELECT count(*), sum(hash(t)) FROM "{table}" AS t') for table in tables
            }
    return dict(_STATES[digest])


_STATES: dict[str, dict[str, tuple]] = {}


def _file_digest(db: Path) -> str:
    """SHA-256 of the database and its write-ahead log: on CPUs with SHA extensions three times
    as fast as BLAKE2b, and a state is asked twice per test that imports into an 85 MB copy."""
    found = hashlib.sha256()
    for path in (db, db.with_name(db.name + ".wal")):
        if path.exists():
            with path.open("rb") as file:
                found.update(hashlib.file_digest(file, "sha256").digest())
        found.update(b"|")
    return found.hexdigest()


def changed(before: dict[str, tuple], after: dict[str, tuple]) -> set[str]:
    """The tables whose contents differ."""
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}


def fetch(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The one row a query returns (an aggregate, a lookup); a query that returns none fails the test."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, f"no row from: {sql}"
    return row
