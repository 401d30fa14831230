"""Connections: pages read through `connect_read_only`; every write goes through `write_transaction`.

A database that cannot be read (missing, damaged, locked by another program) raises a
`DatabaseUnavailableError` whose `user_message` tells a user in Dutch what to do, without server
paths or DuckDB's own text; the details go to the server log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ivpdata import snapshot
from ivpdata.config import db_path

LOG = logging.getLogger(__name__)
REBUILD = "`make build` (of `python -m ivpdata build`)"


class DatabaseUnavailableError(Exception):
    """The database cannot be read; `user_message` is what a user is shown."""

    user_message = "De database kan niet worden gelezen."


class DatabaseMissingError(DatabaseUnavailableError, FileNotFoundError):
    user_message = f"De database ontbreekt. Bouw hem met {REBUILD}."


class DatabaseDamagedError(DatabaseUnavailableError):
    user_message = (
        f"De database is beschadigd en kan niet worden gelezen. Bouw hem opnieuw met {REBUILD}: de "
        "bronbestanden in data/ en de bewaarde imports worden dan opnieuw ingelezen. De beheerder vindt de "
        "details in het serverlog."
    )


class DatabaseBusyError(DatabaseUnavailableError):
    user_message = (
        "De database wordt op dit moment bijgewerkt door een ander programma (een import of een build). "
        "Probeer het over een minuut opnieuw."
    )


class DatabaseOutdatedError(DatabaseUnavailableError):
    user_message = (
        f"De database is gebouwd door een oudere versie van de app en mist een tabel die deze versie leest. "
        f"Bouw hem opnieuw met {REBUILD}: de bronbestanden en de bewaarde imports worden opnieuw ingelezen."
    )


def unavailable(error: BaseException, path: Path | None = None) -> DatabaseUnavailableError | None:
    """What a user is told about an error raised while opening or reading the database; None when
    the error is not about the database file (a bug is not hidden behind 'damaged')."""
    if isinstance(error, DatabaseUnavailableError):
        return error
    where = Path(path or db_path())
    if isinstance(error, duckdb.CatalogException) and "does not exist" in str(error):  # built before a new table
        LOG.error("database %s lacks a table of this version: %s", where, error)
        return DatabaseOutdatedError(f"Database {where} was built by an older version ({error}): rebuild it.")
    if not isinstance(error, duckdb.IOException):  # DuckDB's error for unreadable or corrupt files
        return None
    LOG.error("database %s cannot be read: %s", where, error)
    text = str(error).lower()
    if "could not set lock" in text or "conflicting lock" in text:  # another process writes
        return DatabaseBusyError(f"Database {where} is locked by another process: {error}")
    return DatabaseDamagedError(f"Database {where} cannot be read ({error}): rebuild it with `make build`.")


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection that cannot write (DuckDB refuses any change on a read-only file) to the
    snapshot `path` names now: it keeps reading that snapshot whatever is published later."""
    path = Path(path or db_path())
    for _attempt in range(3):  # a snapshot resolved just before it was pruned: resolve again
        published = snapshot.current(path)
        if not published.exists():
            break
        try:
            return duckdb.connect(str(published), read_only=True)
        except duckdb.Error as error:
            if not published.exists():
                continue
            problem = unavailable(error, path)
            if problem is None:
                raise
            raise problem from error
    raise DatabaseMissingError(f"Database {path} does not exist: run `make build` (python -m ivpdata build).")


@contextmanager
def write_transaction(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one write path: under the database's write lock, a transaction on a copy of the
    current snapshot, published as the database if the block finishes; if it raises, nothing is
    published (the database exactly as before). Readers, in this process or any other, keep
    reading the snapshot they opened until their next rerun (`ivpdata.snapshot`). Raises
    `snapshot.WriteBusyError` when another write holds the lock for too long."""
    db = Path(path or db_path())
    with snapshot.exclusive(db), snapshot.writable_copy(db) as working, transaction(working) as con:
        yield con


@contextmanager
def transaction(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a file no reader has open (a snapshot being written), inside a
    transaction: committed and checkpointed if the block finishes, rolled back if it raises."""
    con = duckdb.connect(str(path))
    try:
        con.begin()
        try:
            yield con
        except BaseException:
            con.rollback()
            raise
        con.commit()
        con.execute("CHECKPOINT")
    finally:
        con.close()


def one_row(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[object] | None = None) -> tuple[Any, ...]:
    """The row of a query that always returns exactly one (an aggregate without GROUP BY)."""
    row = con.execute(sql, parameters).fetchone()
    if row is None:
        raise ValueError(f"query returned no row: {sql}")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[object] | None = None) -> Any:
    """The value of a query that returns one row of one column, such as `SELECT count(*) FROM t`."""
    return one_row(con, sql, parameters)[0]


def summarise_months(con: duckdb.DuckDBPyConnection, gemeente_codes: list[str] | None = None) -> None:
    """Write the summaries of `incident_counts` anew (`incident_months`, `incident_count_years`,
    `incident_gemeente_months`), for these gemeenten (all when None): call it in the transaction
    that changed their monthly counts (then `summarise_city_years`, which reads them)."""
    where = "" if gemeente_codes is None else "WHERE gemeente_code IN (SELECT unnest($codes))"
    parameters = {} if gemeente_codes is None else {"codes": list(gemeente_codes)}
    for table in ("incident_months", "incident_count_years", "incident_gemeente_months"):
        con.execute(f"DELETE FROM {table} {where}", parameters)
    con.execute(
        f"""INSERT INTO incident_months
        SELECT gemeente_code, year, month, bool_or(is_provisional) FROM incident_counts {where} GROUP BY ALL""",
        parameters,
    )
    con.execute(
        f"""INSERT INTO incident_count_years
        SELECT gemeente_code, area_code, year, category_code, sum(incident_count),
            count(*) FILTER (WHERE NOT is_demo), count(*) FILTER (WHERE is_demo), bit_or(1 << (month - 1)),
            bool_or(is_provisional), min(source_id)
        FROM incident_counts {where} GROUP BY gemeente_code, area_code, year, category_code""",
        parameters,
    )
    con.execute(
        f"""INSERT INTO incident_gemeente_months
        SELECT i.gemeente_code, i.year, i.month, i.category_code, sum(i.incident_count),
            bool_or(i.is_provisional), bool_or(i.is_demo), count(*) FILTER (WHERE NOT i.is_demo),
            count(*) FILTER (WHERE i.is_demo)
        FROM (SELECT * FROM incident_counts {where}) AS i
        INNER JOIN areas AS a
            ON i.area_code = a.area_code AND a.area_level = 'buurt' AND a.gemeente_code = i.gemeente_code
        GROUP BY i.gemeente_code, i.year, i.month, i.category_code""",
        parameters,
    )


def summarise_city_years(con: duckdb.DuckDBPyConnection) -> None:
    """Store the yearly city totals (`incident_city_years`) anew from their view
    (`incidents_city_year`): call it in every transaction that changes what the view reads (counts,
    yearly counts, published figures, buurten), as the build and every import do."""
    con.execute("DELETE FROM incident_city_years")
    con.execute("INSERT INTO incident_city_years SELECT * FROM incidents_city_year")
