"""Streamlit glue: the read-only database connections, cached queries and the write gate.

Every cached result is keyed on the database snapshot it was read from (`Snapshot`), so an import
or a rebuild, published by this process or another, is read anew at the next rerun.
"""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, NamedTuple, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard import access
from ivpdata import queries, snapshot
from ivpdata.access import Role
from ivpdata.config import db_path, load_settings
from ivpdata.db import connect_read_only
from ivpdata.fetch import Fetch
from ivpdata.fingerprint import fingerprint

P = ParamSpec("P")
T = TypeVar("T")
QueryFunction = Callable[..., pd.DataFrame]  # a function of ivpdata.queries: (connection, **params) -> frame
Input = tuple[QueryFunction, Mapping[str, Any]]  # an input of `derived`: (queries.<name>, its parameters)


class Snapshot(NamedTuple):
    """The database snapshot a rerun reads (`ivpdata.snapshot`): part of every cache key, so a
    published import or rebuild is read anew at the next rerun, in every process."""

    path: str
    mtime_ns: int
    size: int


def db_version() -> Snapshot:
    path = snapshot.current(db_path())
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Snapshot(str(path), 0, 0)
    return Snapshot(str(path), stat.st_mtime_ns, stat.st_size)


class _Readers:
    """This process's read-only connections, one per snapshot. A query borrows the connection of
    its snapshot; one of an older snapshot is closed when no query uses it any more, so an import
    or rebuild (in this process or another) never interrupts a query, and no file stays open."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[Snapshot, duckdb.DuckDBPyConnection] = {}
        self._users: Counter[Snapshot] = Counter()
        self._newest: Snapshot | None = None

    def connection(self, version: Snapshot) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if version not in self._open:
                self._open[version] = connect_read_only(Path(version.path))
                self._newest = version
                self._close_unused()
            return self._open[version]

    @contextmanager
    def cursor(self, version: Snapshot) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self.connection(version)
        with self._lock:
            self._users[version] += 1
        cursor = con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._users[version] -= 1
                self._close_unused()

    def _close_unused(self) -> None:
        for version in [v for v in self._open if v != self._newest and self._users[v] <= 0]:
            self._open.pop(version).close()
            del self._users[version]


_READERS = _Readers()


@contextmanager
def writing() -> Iterator[None]:
    """Room for an import or an edit to write. Writes publish a new snapshot under the database's
    write lock (`ivpdata.db.write_transaction`), so readers are never held back; this checks who
    writes: only a `beheerder` (any other session gets NotAllowedError before anything is read)."""
    access.require(Role.BEHEERDER)
    yield


def connection() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the current snapshot (for tests: pages read through `query`)."""
    return _READERS.connection(db_version())


Params = tuple[tuple[str, Any], ...]  # a query's arguments, sorted by name: part of a cache key


def _read(name: str, version: Snapshot, params: Params) -> pd.DataFrame:
    """ivpdata.queries.<name> on the snapshot `version`, read from the database (not cached)."""
    with _READERS.cursor(version) as cursor:
        return getattr(queries, name)(cursor, **dict(params))


@st.cache_data(show_spinner=False)
def _query(name: str, version: Snapshot, params: Params) -> pd.DataFrame:
    """Keyed on the function's name, not the function: ivpdata.queries.<name> is looked up here."""
    return _read(name, version, params)


def _name_and_params(function: QueryFunction, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[str, Params]:
    """A query function of ivpdata.queries by its name, with its arguments by name (defaults filled
    in): the same call, however its arguments are written, is the same cache entry."""
    name = function.__name__
    if getattr(queries, name, None) is not function:
        raise ValueError(f"{function!r} is not a query function of ivpdata.queries")
    bound = inspect.signature(function).bind(None, *args, **kwargs)  # None: the connection, given later
    bound.apply_defaults()
    return name, tuple(sorted(list(bound.arguments.items())[1:]))


@st.cache_data(show_spinner=False)
def _template(code: str, fmt: str, version: Snapshot) -> bytes:
    from ivpdata.importing import report  # loaded on first use: only Data beheer offers templates

    with _READERS.cursor(version) as cursor:
        return report.template_file(code, fmt, cursor)


@st.cache_data(show_spinner=False, max_entries=8)
def _briefing(gemeente_code: str, start: dt.date, end: dt.date, public: bool, version: Snapshot) -> bytes:
    from ivpdata.briefing import briefing_pdf  # the PDF stack (fpdf, ...), loaded on first use

    with _READERS.cursor(version) as cursor:
        return briefing_pdf(cursor, gemeente_code, start, end, load_settings(), public)


def briefing_file(gemeente_code: str, start: dt.date, end: dt.date, public: bool) -> bytes:
    """The Driehoeksrapportage as PDF bytes, made when asked for (a download's click). Streamlit
    runs a download's callable outside the session's script run, where `access` cannot see who
    is signed in: the page decides `public` while it draws (selection.public)."""
    return _briefing(gemeente_code, start, end, public, db_version())


def template(code: str, fmt: str) -> bytes:
    """An import template (CSV or XLSX) listing the codes of the database as it is."""
    return _template(code, fmt, db_version())


def query(
    function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], pd.DataFrame], /, *args: P.args, **params: P.kwargs
) -> pd.DataFrame:
    """`function(connection, *args, **params)` for a function of ivpdata.queries, cached per
    function, parameters and database version: `query(queries.area_counts, gemeente_code=...)`."""
    name, key = _name_and_params(function, args, params)
    return _query(name, db_version(), key)


Specs = tuple[tuple[str, str, Params], ...]  # the inputs of `derived`: (argument, query name, params)


def _apply(
    function: Callable[..., T],
    version: Snapshot,
    inputs: Specs,
    options: Params,
    read: Callable[[str, Snapshot, Params], pd.DataFrame] = _query,
) -> T:
    frames = {argument: read(query_name, version, params) for argument, query_name, params in inputs}
    return function(**frames, **dict(options))


# Keyed on the inputs' and options' fingerprint (`key`), not on them: Streamlit's own hash of the
# public releases' inputs (the codes of every buurt and category) took about 5 ms of every rerun.
@st.cache_data(show_spinner=False, max_entries=64)
def _derived(
    name: str, version: Snapshot, key: bytes, _inputs: Specs, _options: Params, _function: Callable[..., T]
) -> T:
    return _apply(_function, version, _inputs, _options)


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared(
    name: str, version: Snapshot, key: bytes, _inputs: Specs, _options: Params, _function: Callable[..., T]
) -> T:
    """Its inputs read past the query cache: the result is kept once, and a copy of its inputs in
    the query cache was never read (for the public releases, 3 MB of Dordrecht's yearly counts
    pickled on each first view: 8-10 ms)."""
    return _apply(_function, version, _inputs, _options, read=_read)


def _specs(inputs: Mapping[str, Input]) -> Specs:
    return tuple(
        (argument, *_name_and_params(query_function, (), params))
        for argument, (query_function, params) in inputs.items()
    )


def derived(function: Callable[..., T], inputs: Mapping[str, Input], **options: Any) -> T:
    """`function(name=query(query_function, **params), ..., **options)` for each input
    `name: (query_function, params)`, cached on the queries' parameters (as `query` is, not on the
    frames) and `options`: for work on query results that every rerun would repeat otherwise, such
    as the Kaart's map shapes and its hexagons. Each call gets its own copy."""
    return _derived(*_keyed(function, inputs, options), function)


def shared(function: Callable[..., T], inputs: Mapping[str, Input], **options: Any) -> T:
    """As `derived`, but every session and rerun gets the one result, not a copy of it: for a large
    result that every rerun of many pages reads and none changes, the public releases (a copy cost
    about 9 ms of every public rerun at Dordrecht scale). Its readers must leave it as it is."""
    return _shared(*_keyed(function, inputs, options), function)


def _keyed(
    function: Callable[..., Any], inputs: Mapping[str, Input], options: Mapping[str, Any]
) -> tuple[str, Snapshot, bytes, Specs, Params]:
    """The arguments of `_derived` and `_shared` before the function: its name, the database
    version, the fingerprint of its inputs and options, and those inputs and options."""
    specs, named = _specs(inputs), tuple(sorted(options.items()))
    return f"{function.__module__}.{function.__qualname__}", db_version(), fingerprint((specs, named)), specs, named


@st.cache_data(show_spinner=False, max_entries=128)  # every page, widget combination and view
def _modelled(
    name: str, version: Snapshot, key: bytes, _args: tuple[Any, ...], _kwargs: Params, _function: Callable[..., T]
) -> T:
    """Keyed on the arguments' fingerprint (`key`), not on the arguments: see ivpdata.fingerprint."""
    return _function(query, *_args, **dict(_kwargs))


def modelled(function: Callable[Concatenate[Fetch, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(query, *args, **kwargs)` for a page model that reads through `fetch`, cached per
    function, arguments and database version, so that a rerun which asks the same shows it without
    working it out again. The arguments must hold all the result depends on besides the database,
    as plain values: a function's closure is not part of the key, so functions are refused."""
    if any(callable(value) for value in (*args, *kwargs.values())):
        raise TypeError(f"{function.__qualname__}: pass values, not functions, to a cached page model")
    name = f"{function.__module__}.{function.__qualname__}"
    named = tuple(sorted(kwargs.items()))
    return _modelled(name, db_version(), fingerprint((args, named)), args, named, function)
