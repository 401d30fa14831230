"""Streamlit glue shared by the pages: cached connection and queries, the sidebar, badges.

Kept apart from ivpdata so that the domain package has no Streamlit in it.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit

import duckdb
import pandas as pd
import streamlit as st

from ivpdata import queries
from ivpdata.briefing import briefing_pdf
from ivpdata.config import db_path, load_settings
from ivpdata.db import connect_read_only
from ivpdata.disclosure import Rules
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


@st.cache_data(show_spinner=False, max_entries=8)
def _briefing(gemeente_code: str, start: dt.date, end: dt.date, public: bool, version: float) -> bytes:
    with _GATE.reading():
        return briefing_pdf(connection().cursor(), gemeente_code, start, end, load_settings(), public)


def briefing_file(gemeente_code: str, start: dt.date, end: dt.date, public: bool) -> bytes:
    """The Driehoeksrapportage as PDF bytes, made when asked for (a download's click)."""
    return _briefing(gemeente_code, start, end, public, db_version())


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
    to_url("gemeente", gemeente)
    to_url("jaar", int(year))
    bound(
        st.sidebar.toggle, "openbaar", "Openbare weergave", key="openbaar",
        help="Toont en exporteert wat openbaar mag: kleine aantallen als '< 5', gevoelige categorieën alleen per "
        "wijk. Uit: exacte aantallen voor analisten.",
    )  # fmt: skip
    st.sidebar.caption(ATTRIBUTION)
    selection = Selection(gemeente, names[gemeente], int(year))
    st.session_state["selection"] = selection
    return selection


def selection() -> Selection:
    """What the sidebar (drawn by app.py before every page) selected."""
    return st.session_state["selection"]


def demo_badge() -> None:
    st.badge("Demodata", icon=":material/science:", color="orange")


MODE_PARAM, MODE_VALUE = "weergave", "presentatie"  # ?weergave=presentatie: presentatiemodus


def presenting() -> bool:
    """Whether the view is shown for a big screen: presentatiemodus, or a saved presentation running."""
    return st.query_params.get(MODE_PARAM) == MODE_VALUE or "presentatie" in st.query_params


def public() -> bool:
    """Whether the disclosure rules apply: in presentatiemodus always, else when the user switched
    to the public view (what a public export will contain). Analysts see exact values otherwise."""
    return presenting() or bool(st.session_state.get("openbaar"))


def disclosure_rules() -> Rules:
    return Rules.from_settings(load_settings())


# The view in the URL (permalinks). Every control that shapes a view keeps its value in a query
# parameter, so that a link is the view: opened anew it restores the page exactly. `bound` draws such a
# control; `from_url` / `to_url` serve a value that is no widget (the Kaart's clicked area). app.py
# calls `start_url(page)` before the sidebar and `share_link()` after the page.
MANY_SEPARATOR, RANGE_SEPARATOR = ",", ".."  # multiselect: a,b; select_slider range: 2025-01..2025-12
_INVALID = object()


def url_text(value: Any) -> str:
    """One value as the URL shows it: `ja`/`nee`, a month as `2025-01`, nothing as ``, else `str`."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return value.isoformat()[:7] if value.day == 1 else value.isoformat()
    return "" if value is None else str(value)


def _decode(raw: str, options: list[Any], kind: str, to_text: Callable[[Any], str], most: int | None) -> Any:
    """The value `raw` stands for, or _INVALID: texts are matched against the options' own texts."""
    by_text = {to_text(option): option for option in options}
    if kind == "many":
        values = list(dict.fromkeys(by_text[t] for t in raw.split(MANY_SEPARATOR) if t in by_text))[:most]
        return values if values or raw == "" else _INVALID
    if kind == "range":
        ends = raw.split(RANGE_SEPARATOR)
        if len(ends) != 2 or not all(end in by_text for end in ends):
            return _INVALID
        first, last = by_text[ends[0]], by_text[ends[1]]
        return (first, last) if options.index(first) <= options.index(last) else _INVALID
    return by_text.get(raw, _INVALID)


def _valid(value: Any, options: list[Any], kind: str) -> bool:
    if kind == "one":
        return value in options
    if not isinstance(value, list | tuple) or (kind == "range" and len(value) != 2):
        return False
    return all(v in options for v in value)


def from_url(
    key: str, param: str, options: list[Any], kind: str = "one", to_text: Callable[[Any], str] = url_text,
    most: int | None = None,
) -> bool:  # fmt: skip
    """Before a widget is drawn: apply a value that arrived in the URL (a shared link, a link from
    another page) to the widget's state `key`. A value is applied once; later the widget rules and
    `to_url` writes it back. `kind` is "one", "many" (a list) or "range" (a pair); a value that
    matches no option is ignored, so the widget keeps its value or default. True if applied."""
    seen = st.session_state.setdefault("_url_seen", {})
    raw = st.query_params.get(param)
    applied = False
    if raw is not None and raw != seen.get(param) and raw not in _written(param):
        seen[param] = raw
        value = _decode(raw, list(options), kind, to_text, most)
        if value is not _INVALID:
            st.session_state[key] = value
            applied = True
    if key in st.session_state and not _valid(st.session_state[key], list(options), kind):
        del st.session_state[key]  # left over from another gemeente
    return applied


def _written(param: str) -> set[str]:
    """The texts this app wrote to `param` since the page was opened. The address a browser sends
    with a rerun can lag behind what the app wrote (fast key presses: the browser has not yet shown
    the last run's URL): such an echo is no link, and applying it would undo the newest input."""
    return st.session_state.setdefault("_url_written", {}).setdefault(param, set())


def follow_link(params: dict[str, str]) -> None:
    """Set these URL parameters as a link would (a button offering another view): the next run
    applies them, even a value the app wrote before."""
    for param, text in params.items():
        _written(param).discard(text)
        st.session_state.setdefault("_url_seen", {}).pop(param, None)
    st.query_params.update(params)


def to_url(param: str, value: Any, to_text: Callable[[Any], str] = url_text) -> None:
    """Keep a value in the URL, so that the link shows what is on screen: a list as `a,b` (an empty
    list as an empty parameter), a pair (a range) as `a..b`, a value whose text is empty (None) as
    no parameter."""
    st.session_state.setdefault("_url_claimed", set()).add(param)
    st.session_state.setdefault("_url_managed", set()).add(param)
    seen = st.session_state.setdefault("_url_seen", {})
    if isinstance(value, list):
        text = MANY_SEPARATOR.join(to_text(v) for v in value)
    elif isinstance(value, tuple):
        text = RANGE_SEPARATOR.join(to_text(v) for v in value)
    else:
        text = to_text(value)
    if text == "" and not isinstance(value, list):
        if param in st.query_params:
            del st.query_params[param]
        seen.pop(param, None)
    else:
        if st.query_params.get(param) != text:
            st.query_params[param] = text
        seen[param] = text
        _written(param).add(text)


def bound(widget: Callable[..., Any], param: str, *args: Any, key: str, to_text: Callable[[Any], str] = url_text,
          **kwargs: Any) -> Any:  # fmt: skip
    """Draw `widget` (e.g. `st.radio` or `column.toggle`) with the widget's own arguments, its value
    kept in the URL parameter `param` as well: a link can set it, and the URL shows it. Works for
    selectbox, radio, multiselect, select_slider (one value or a range), toggle, checkbox and tabs
    (which then rerun on a switch). A value's URL text is `to_text(value)` (default `url_text`); a
    text in the URL is matched against the texts of the options. Returns what the widget returns."""
    name = getattr(widget, "__name__", "")
    if name in ("toggle", "checkbox"):
        options: list[Any] = [False, True]
    elif name == "tabs":
        options = list(args[0])
        kwargs.setdefault("on_change", "rerun")  # tabs keep no state otherwise
    else:
        options = list(args[1] if len(args) > 1 else kwargs["options"])
    ranged = name == "select_slider" and isinstance(kwargs.get("value", st.session_state.get(key)), tuple | list)
    kind = "many" if name == "multiselect" else "range" if ranged else "one"
    applied = from_url(key, param, options, kind, to_text, kwargs.get("max_selections"))
    if applied and name != "select_slider":  # a default next to a value set in the state makes Streamlit
        for default in ("value", "default", "index"):  # warn (a select_slider's value: whether a range)
            if kwargs.get(default) is not None:  # index=None: a placeholder, no default
                del kwargs[default]
    result = widget(*args, key=key, **kwargs)
    to_url(param, st.session_state.get(key, options[0]) if name == "tabs" else result, to_text)
    return result


class PageStopped(Exception):  # noqa: N818 - a signal, not an error
    """Raised by `stop_page`: the page is done; app.py finishes the run."""


def stop_page() -> NoReturn:
    """End the page here. Unlike st.stop(), which ends the whole run, this lets app.py finish it:
    the URL tidied, the share link and the sidebar controls drawn."""
    raise PageStopped


def run_page(page: Any) -> None:
    """Run the page chosen by st.navigation; a page that ends with `stop_page()` ends quietly."""
    with suppress(PageStopped):
        page.run()


def start_url(page: str) -> None:
    """At the start of every run, before anything reads the URL. On arrival at another page, the
    URL is a link to it: each of its parameters that the page binds is applied."""
    if st.session_state.get("_url_page") != page:
        st.session_state["_url_page"] = page
        st.session_state["_url_seen"] = {}
        st.session_state["_url_written"] = {}
    st.session_state["_url_claimed"] = set()


def tidy_url() -> None:
    """Drop the parameters this app wrote but this run did not: those of another page, or of a
    control not drawn now. Parameters the app does not manage (presentatiemodus, others) stay."""
    stale = st.session_state.get("_url_managed", set()) - st.session_state.get("_url_claimed", set())
    for param in stale & set(st.query_params):
        del st.query_params[param]


def view_url() -> str:
    """The full link to the view on screen: the page's address and every parameter."""
    base = st.context.url or f"/{st.session_state.get('_url_page', '')}"
    base += "" if urlsplit(base).path else "/"  # the default page: http://host:8501/?...
    query = urlencode(st.query_params.to_dict(), safe=",:")
    return f"{base}?{query}" if query else base


def share_link() -> None:
    """After the page: tidy the URL and offer the link to this view in the sidebar, to copy."""
    tidy_url()
    with st.sidebar.popover("Deel deze weergave", icon=":material/link:", width="stretch"):
        st.caption("Wie deze link opent, ziet precies deze weergave: pagina, gemeente, jaar en alle keuzes.")
        st.code(view_url(), language=None, wrap_lines=True)


def print_layout() -> None:
    """When printed: no sidebar, toolbar, buttons, choices or links; charts kept on one page where possible."""
    st.markdown(
        "<style>@media print {"
        "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'], "
        "[data-testid='stBaseButton-secondary'], [data-testid='stDownloadButton'], [data-testid='stSelectbox'], "
        "[data-testid='stPopover'], [data-testid='stPageLink'], [data-testid='stElementToolbar'] "
        "{display: none !important;}"
        "[data-testid='stVegaLiteChart'], table {break-inside: avoid;}"
        # Charts keep the width they had on screen: scaled down, a page as wide as a 1920 px screen
        # fits A4 landscape.
        "@page {size: A4 landscape; margin: 12mm;}"
        "[data-testid='stMainBlockContainer'] {zoom: 0.65; max-width: none !important; padding: 0 !important;}"
        "}</style>",
        unsafe_allow_html=True,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _derived(
    name: str, version: float, inputs: tuple[tuple[str, str, tuple[tuple[str, Any], ...]], ...],
    options: tuple[tuple[str, Any], ...], _function: Callable[..., Any],
) -> Any:  # fmt: skip
    frames = {argument: _query(query_name, version, params) for argument, query_name, params in inputs}
    return _function(**frames, **dict(options))


def derived(function: Callable[..., Any], inputs: dict[str, tuple[str, dict[str, Any]]], **options: Any) -> Any:
    """`function(name=query(query_name, **params), ..., **options)` for each input `name: (query_name, params)`,
    cached on the queries' parameters (as `query` is, not on the frames) and `options`: for work on query
    results that every rerun would repeat otherwise, such as the Kaart's map shapes and its hexagons."""
    specs = tuple((name, query_name, tuple(sorted(params.items()))) for name, (query_name, params) in inputs.items())
    name = f"{function.__module__}.{function.__qualname__}"
    return _derived(name, db_version(), specs, tuple(sorted(options.items())), function)
