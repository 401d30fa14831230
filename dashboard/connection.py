"""Streamlit glue: the read-only database connection, cached queries and the write gate.

Queries share the database; an import needs it alone (`writing`). Every cached result is keyed on
the database file's version, so a rebuilt or imported database is read anew.
"""

from __future__ import annotations

import datetime as dt
import gc
import inspect
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard import access
from ivpdata import queries
from ivpdata.access import Role
from ivpdata.config import db_path, load_settings
from ivpdata.db import connect_read_only
from ivpdata.fetch import Fetch

P = ParamSpec("P")
T = TypeVar("T")
QueryFunction = Callable[..., pd.DataFrame]  # a function of ivpdata.queries: (connection, **params) -> frame
Input = tuple[QueryFunction, Mapping[str, Any]]  # an input of `derived`: (queries.<name>, its parameters)


def db_version() -> float:
    path = Path(db_path())
    return path.stat().st_mtime if path.exists() else 0.0


class _Gate:
    """Queries share the database; an import needs it alone. A write waits for running queries
    and holds new ones back (other sessions keep working, a moment slower)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._writing = True
            self._condition.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


_GATE = _Gate()
_OPEN: list[duckdb.DuckDBPyConnection] = []


@st.cache_resource(show_spinner=False)
def _connection(path: str, version: float) -> duckdb.DuckDBPyConnection:
    con = connect_read_only(Path(path))
    _OPEN.append(con)
    return con


@contextmanager
def writing() -> Iterator[None]:
    """Room for an import to write: DuckDB opens a file read-only or read-write within a process,
    not both, so this process's read-only connections are closed first; the next query reopens.
    Only a `beheerder` writes: any other session gets NotAllowedError before the gate is taken."""
    access.require(Role.BEHEERDER)
    with _GATE.writing():
        for con in _OPEN:
            con.close()
        _OPEN.clear()
        _connection.clear()
        gc.collect()  # cursors of closed connections
        try:
            yield
        finally:
            _query.clear()


def connection() -> duckdb.DuckDBPyConnection:
    """Read-only connection, reopened when the database file is rebuilt."""
    return _connection(str(db_path()), db_version())


Params = tuple[tuple[str, Any], ...]  # a query's arguments, sorted by name: part of a cache key


@st.cache_data(show_spinner=False)
def _query(name: str, version: float, params: Params) -> pd.DataFrame:
    """Keyed on the function's name, not the function: ivpdata.queries.<name> is looked up here."""
    with _GATE.reading():
        return getattr(queries, name)(connection().cursor(), **dict(params))


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
def _template(code: str, fmt: str, version: float) -> bytes:
    from ivpdata.importing import report  # loaded on first use: only Data beheer offers templates

    with _GATE.reading():
        return report.template_file(code, fmt, connection().cursor())


@st.cache_data(show_spinner=False, max_entries=8)
def _briefing(gemeente_code: str, start: dt.date, end: dt.date, public: bool, version: float) -> bytes:
    from ivpdata.briefing import briefing_pdf  # the PDF stack (fpdf, ...), loaded on first use

    with _GATE.reading():
        return briefing_pdf(connection().cursor(), gemeente_code, start, end, load_settings(), public)


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


@st.cache_data(show_spinner=False, max_entries=64)
def _derived(
    name: str, version: float, inputs: tuple[tuple[str, str, Params], ...], options: Params, _function: Callable[..., T]
) -> T:
    frames = {argument: _query(query_name, version, params) for argument, query_name, params in inputs}
    return _function(**frames, **dict(options))


def derived(function: Callable[..., T], inputs: Mapping[str, Input], **options: Any) -> T:
    """`function(name=query(query_function, **params), ..., **options)` for each input
    `name: (query_function, params)`, cached on the queries' parameters (as `query` is, not on the
    frames) and `options`: for work on query results that every rerun would repeat otherwise, such
    as the Kaart's map shapes and its hexagons."""
    specs = tuple(
        (argument, *_name_and_params(query_function, (), params))
        for argument, (query_function, params) in inputs.items()
    )
    name = f"{function.__module__}.{function.__qualname__}"
    return _derived(name, db_version(), specs, tuple(sorted(options.items())), function)


@st.cache_data(show_spinner=False, max_entries=32)
def _modelled(name: str, version: float, args: tuple[Any, ...], kwargs: Params, _function: Callable[..., T]) -> T:
    return _function(query, *args, **dict(kwargs))


def modelled(function: Callable[Concatenate[Fetch, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(query, *args, **kwargs)` for a page model that reads through `fetch`, cached per
    function, arguments and database version, so that a rerun which asks the same shows it without
    working it out again. The arguments must hold all the result depends on besides the database,
    as plain values: a function's closure is not part of the key, so functions are refused."""
    if any(callable(value) for value in (*args, *kwargs.values())):
        raise TypeError(f"{function.__qualname__}: pass values, not functions, to a cached page model")
    name = f"{function.__module__}.{function.__qualname__}"
    return _modelled(name, db_version(), args, tuple(sorted(kwargs.items())), function)
