"""Streamlit glue shared by the pages: cached connection and queries, the sidebar, badges.

Kept apart from ivpdata so that the domain package has no Streamlit in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from ivpdata import queries
from ivpdata.config import db_path
from ivpdata.db import connect_read_only
from ivpdata.overview import default_year

ATTRIBUTION = "Kaarten en inwoners: Bron: CBS, Kadaster"
DEMO_NOTE = (
    "Cijfers per buurt en maand zijn **demodata**: gegenereerd, maar op stadsniveau gelijk aan de "
    "gepubliceerde cijfers waar die bestaan. Gepubliceerde cijfers worden exact getoond."
)


def db_version() -> float:
    path = Path(db_path())
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_resource(show_spinner=False)
def _connection(path: str, version: float) -> duckdb.DuckDBPyConnection:
    return connect_read_only(Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    """Read-only connection, reopened when the database file is rebuilt."""
    return _connection(str(db_path()), db_version())


@st.cache_data(show_spinner=False)
def _query(name: str, version: float, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return getattr(queries, name)(connection().cursor(), **dict(params))


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
