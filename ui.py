"""Streamlit glue shared by the pages: cached connection and queries, the sidebar, badges.

Kept apart from ivpdata so that the domain package has no Streamlit in it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from ivpdata import queries
from ivpdata.config import db_path
from ivpdata.db import connect_read_only
from ivpdata.importing import report
from ivpdata.overview import default_year

ATTRIBUTION = "Kaarten en inwoners: Bron: CBS, Kadaster"
DEMO_NOTE = (
    "Cijfers per buurt en maand zijn **demodata**: gegenereerd, maar op stadsniveau gelijk aan de "
    "gepubliceerde cijfers waar die bestaan. Gepubliceerde cijfers worden exact getoond."
)


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
    not both, so this process's read-only connections are closed first; the next query reopens."""
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


@st.cache_data(show_spinner=False)
def _query(name: str, version: float, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    with _GATE.reading():
        return getattr(queries, name)(connection().cursor(), **dict(params))


@st.cache_data(show_spinner=False)
def _template(code: str, fmt: str, version: float) -> bytes:
    with _GATE.reading():
        return report.template_file(code, fmt, connection().cursor())


def template(code: str, fmt: str) -> bytes:
    """An import template (CSV or XLSX) listing the codes of the database as it is."""
    return _template(code, fmt, db_version())


def query(name: str, **params: Any) -> pd.DataFrame:
    """Run ivpdata.queries.<name>, cached per parameters and database version."""
    return _query(name, db_version(), tuple(sorted(params.items())))


@dataclass(frozen=True)
class Selection:
    gemeente_code: str
    gemeente_name: str
    year: int


def sidebar() -> Selection:
    """Gemeente and year pickers, kept in the URL (?gemeente=GM0505&jaar=2025)."""
    municipalities = query("municipalities")
    names = dict(zip(municipalities["gemeente_code"], municipalities["name"], strict=True))
    codes = list(names)
    wanted = st.query_params.get("gemeente", codes[0])
    if "gemeente" not in st.session_state:
        st.session_state["gemeente"] = wanted if wanted in names else codes[0]
    gemeente = st.sidebar.selectbox("Gemeente", codes, format_func=names.get, key="gemeente")

    years = query("available_years", gemeente_code=gemeente)
    year_options = [int(y) for y in years["year"]]
    fallback = default_year(years)
    requested = st.query_params.get("jaar")
    current = st.session_state.get("jaar")
    if current not in year_options:
        current = int(requested) if requested and requested.isdigit() and int(requested) in year_options else fallback
        st.session_state["jaar"] = current
    provisional = set(years.loc[years["is_provisional"], "year"].astype(int))
    year = st.sidebar.selectbox(
        "Jaar", year_options, key="jaar", format_func=lambda y: f"{y} (voorlopig)" if y in provisional else str(y)
    )
    st.query_params.update({"gemeente": gemeente, "jaar": str(year)})
    st.sidebar.caption(ATTRIBUTION)
    selection = Selection(gemeente, names[gemeente], int(year))
    st.session_state["selection"] = selection
    return selection


def selection() -> Selection:
    """What the sidebar (drawn by app.py before every page) selected."""
    return st.session_state["selection"]


def demo_badge() -> None:
    st.badge("Demodata", icon=":material/science:", color="orange")


def csv_download(frame: pd.DataFrame, file_name: str, key: str) -> None:
    """A CSV as Dutch spreadsheets open it: `;` between fields, decimal comma, UTF-8 with BOM."""
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
        file_name=file_name,
        mime="text/csv",
        key=key,
    )


def from_url(key: str, param: str, options: list[str], multi: bool = False) -> None:
    """Before a widget is drawn: apply a value that arrived in the URL (a link from another page,
    a shared link) to the widget's state. A value is applied once; later the widget rules and
    `to_url` writes it back. Values not among `options` are ignored."""
    raw = st.query_params.get(param)
    if raw is not None and raw != st.session_state.get(f"_url_{param}"):
        st.session_state[f"_url_{param}"] = raw
        values = [v for v in raw.split(",") if v in options]
        if multi and values:
            st.session_state[key] = values
        elif not multi and raw in options:
            st.session_state[key] = raw
    current = st.session_state.get(key)
    if current is not None and ((multi and not set(current) <= set(options)) or (not multi and current not in options)):
        del st.session_state[key]  # left over from another gemeente


def to_url(param: str, value: str | list[str]) -> None:
    """Keep the widget's value in the URL, so that the link shows what is on screen."""
    text = ",".join(value) if isinstance(value, list) else str(value)
    if text:
        st.query_params[param] = text
    elif param in st.query_params:
        del st.query_params[param]
    st.session_state[f"_url_{param}"] = text


def bound(widget: Any, param: str, label: str, options: list[str], key: str, **kwargs: Any) -> Any:
    """A selectbox, radio or multiselect (`widget`, e.g. `st.radio` or `column.radio`) whose value
    lives in the URL parameter `param` as well: a link can set it, and the URL shows it."""
    multi = getattr(widget, "__name__", "") == "multiselect"
    from_url(key, param, list(options), multi=multi)
    if key in st.session_state:  # a default next to a value in the state makes Streamlit warn
        kwargs.pop("default", None)
        kwargs.pop("index", None)
    value = widget(label, options, key=key, **kwargs)
    if value is not None:
        to_url(param, value)
    return value


def print_layout() -> None:
    """When printed: no sidebar, toolbar or buttons; charts kept on one page where possible."""
    st.markdown(
        "<style>@media print {"
        "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'], "
        "[data-testid='stBaseButton-secondary'], [data-testid='stDownloadButton'] {display: none !important;}"
        "[data-testid='stVegaLiteChart'], table {break-inside: avoid;}"
        "}</style>",
        unsafe_allow_html=True,
    )
