"""The state of a database file, to assert what an import changed (or that it changed nothing)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def state(db: Path) -> dict[str, tuple]:
    """Every table's row count and a hash over its rows: equal states mean equal contents."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY ALL").fetchall()]
        return {table: con.execute(f'SELECT count(*), sum(hash(t)) FROM "{table}" AS t').fetchone() for table in tables}


def changed(before: dict[str, tuple], after: dict[str, tuple]) -> set[str]:
    """The tables whose contents differ."""
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}


def fetch(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
