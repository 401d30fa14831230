"""Charts and tables as every page draws them: with an export menu in the normal view (PNG, SVG,
CSV, XLSX, each with its source and the rules applied), large and without menus in presentatiemodus.

Streamlit glue; the files themselves are made by `ivpdata.exports`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

import ui
from ivpdata import charts, disclosure, exports, formatting
from ivpdata.exports import Metadata

INTERNAL = "Intern: exacte aantallen, geen onthullingsregels toegepast; niet voor publicatie"


def meta(
    title: str,
    period: str,
    *,
    demo: bool,
    filters: dict[str, str] | None = None,
    source: str = "politie en CBS, bewerkt door Veiligheidsbeeld",
    provisional: str = "nee",
) -> Metadata:
    """Metadata of a view on screen: gemeente and the rules in force added to what the page knows."""
    selection = ui.selection()
    disclosure = ui.disclosure_rules().summary() if ui.public() else INTERNAL
    return Metadata(
        title=title,
        source=source + ("; demodata (gegenereerd)" if demo else ""),
        period=period,
        filters={"Gemeente": selection.gemeente_name, **(filters or {})},
        provisional=provisional,
        demo=demo,
        disclosure=disclosure,
    )


def chart(
    about: Metadata,
    key: str,
    build: Callable[..., alt.TopLevelMixin],
    *args: Any,
    data: pd.DataFrame | None = None,
    **kwargs: Any,
) -> None:
    """The Altair chart `build(*args, **kwargs)` (a pure builder from `ivpdata.charts`); `data` is
    the table behind it, offered as CSV and XLSX. Large and without a menu in presentatiemodus."""
    screen = ui.presenting()
    name = f"{build.__module__}.{build.__qualname__}"
    st.vega_lite_chart(_spec(name, args, kwargs, screen, _build=build), width="stretch")
    if not screen:
        export_menu(about, key, chart=lambda: build(*args, **kwargs), data=data)


# Frames are keyed by their pickle: Streamlit's own DataFrame hash fails (and logs it) on the
# list columns some chart data carry.
@st.cache_data(show_spinner=False, max_entries=500, hash_funcs={pd.DataFrame: pickle.dumps})
def _spec(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], screen: bool, _build: Callable[..., alt.TopLevelMixin]
) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit draws for a chart, kept per builder and arguments: building
    and converting an Altair chart costs 50-150 ms (Prioriteiten has several), a cached spec ~1 ms."""
    built = _build(*args, **kwargs)
    # Streamlit's own conversion for st.altair_chart (data as Arrow datasets, its theme lock),
    # so the chart looks exactly as it would drawn directly.
    return _convert_altair_to_vega_lite_spec(charts.for_screen(built) if screen else built)


def table(
    frame: pd.DataFrame,
    about: Metadata,
    key: str,
    decimals: dict[str, int | None] | None = None,
    notes: Sequence[str] = (),
    *,
    counts: Sequence[str] = (),
    derived: dict[str, list[str]] | None = None,
    lines: list[list[str]] | None = None,
    sensitive: pd.Series | None = None,
    static: bool = False,
    **dataframe_options: object,
) -> None:
    """A table in Dutch number format, with its export menu (not in presentatiemodus). In a public
    view the disclosure rules hide small `counts` (and the columns `derived` from them) as '< 5' or
    'x', with notes saying why; `lines` as in `disclosure.protect_table`. `static`: a plain table, not
    sortable, for a few rows that must print whole."""
    if ui.public() and counts:
        protected = disclosure.protect_table(
            frame, counts, ui.disclosure_rules(), derived=derived, lines=lines, sensitive=sensitive
        )  # fmt: skip
        frame, notes = protected.frame, [*notes, *protected.notes]
    if static:  # an HTML table: it wraps to the page when printed, where a dataframe's canvas is cut off
        st.table(formatting.dutch_table(frame, decimals), hide_index=True)
    else:
        st.dataframe(
            formatting.dutch_table(frame, decimals), hide_index=True, width="stretch", placeholder=formatting.MISSING,
            **dataframe_options,
        )  # fmt: skip
    for note in notes:
        st.caption(note)
    if not ui.presenting():
        export_menu(about, key, data=frame)


def public_series(
    data: pd.DataFrame, count: str, value: str | None = None, sensitive: object = None
) -> tuple[pd.DataFrame, list[str]]:
    """Chart data as a public view may show it (hidden values become gaps), with the notes."""
    if not ui.public():
        return data, []
    protected = disclosure.protect_series(data, count, ui.disclosure_rules(), value=value, sensitive=sensitive)
    return protected.frame, protected.notes


def export_menu(
    about: Metadata,
    key: str,
    chart: Callable[[], alt.TopLevelMixin] | None = None,
    data: pd.DataFrame | None = None,
) -> None:
    """Downloads made only when clicked (a picture takes a few tenths of a second); `chart` builds
    the chart then."""
    # Without an extension file_name gives the stem; each button adds its own.
    base = exports.file_name(about.title, about.filters.get("Gemeente", ""), ext="")
    with st.popover("Exporteren", icon=":material/download:", key=f"{key}_export"):
        st.caption(about.disclosure)
        if chart is not None:
            st.download_button(
                "Afbeelding (PNG)", lambda: exports.chart_png(chart(), meta=about), file_name=f"{base}.png",
                mime="image/png", key=f"{key}_png", icon=":material/image:",
            )  # fmt: skip
            st.download_button(
                "Afbeelding (SVG)", lambda: exports.chart_svg(chart(), meta=about), file_name=f"{base}.svg",
                mime="image/svg+xml", key=f"{key}_svg", icon=":material/image:",
            )  # fmt: skip
        if data is not None:
            st.download_button(
                "Gegevens (CSV)", lambda: exports.table_csv(data, about), file_name=f"{base}.csv",
                mime="text/csv", key=f"{key}_csv", icon=":material/table:",
            )  # fmt: skip
            st.download_button(
                "Gegevens (Excel)", lambda: exports.table_xlsx(data, about), file_name=f"{base}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                icon=":material/table:",
            )  # fmt: skip
