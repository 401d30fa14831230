"""Trends: how categories develop in chosen areas, and CompStat: which changes are beyond chance."""

import streamlit as st

from dashboard import connection, frame, period_controls, permalinks, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, formatting, periods, trends
from ivpdata.page_models import trends as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente = scope.gemeente_code
menu = model.menu(query, gemeente)
names, option_names = menu.area_names, menu.option_names
public = selection.public()
rules = selection.disclosure_rules() if public else None

st.title(f"Trends {markdown_literal(scope.gemeente_name)}")
top = st.columns([3, 3])
targets = bound(
    top[0].multiselect,
    Param.GEBIED,
    "Gebieden",
    list(names),
    key="trends_gebieden",
    default=[gemeente],
    format_func=names.get,
    max_selections=6,
    placeholder="Kies gebieden",
) or [gemeente]
chosen = bound(
    top[1].multiselect,
    Param.WAT,
    "Wat",
    list(option_names),
    key="trends_wat",
    default=[menu.first_option],
    format_func=option_names.get,
    max_selections=4,
    placeholder="Kies categorieën",
) or [menu.first_option]
row = st.columns([2, 2, 2, 2])
frequency = bound(  # a public view shows whole calendar years only, and says so
    row[0].radio,
    Param.PER,
    "Per",
    ["year"] if public else list(trends.FREQUENCIES),
    format_func=trends.FREQUENCIES.get,
    key="trends_per",
    disabled=public,
    help=model.PUBLIC_YEARS_NOTE if public else None,
)
measure = bound(
    row[1].radio, Param.MAAT, "Maat", list(trends.MEASURES), format_func=trends.MEASURES.get, key="trends_maat"
)
rolling = not public and bound(
    row[2].toggle, Param.TWAALF_MAANDEN, "Voortschrijdend 12 maanden", key="trends_12m", disabled=frequency != "month"
)
if public:  # no 12-month toggle, so no 12-month parameter in the address or a shared link either
    permalinks.to_url(Param.TWAALF_MAANDEN, None)
frequency, rolling, note = model.public_frequency(public, frequency, rolling)
if note:
    st.caption(note)
base_year = (
    bound(
        row[3].selectbox,
        Param.INDEX,
        "Index (basisjaar = 100)",
        [0, *menu.years],
        format_func=model.year_text,
        to_text=model.year_text,
        key="trends_index",
    )
    or None
)

# The months in view: presets and a slider, in the URL (?maanden=2024-01..2025-12) only when not all
# of them, as "Wat valt op" links. A public view keeps the slider alone: its figures are calendar years.
months = menu.months
window = period_controls.chosen_period(
    period_controls.PeriodChoice(
        "trends_periode",
        Param.MAANDEN,
        months,
        periods.Span(months[0], months[-1]),
        (months[0], months[-1]),
        periods.month_label,
        default_in_url=False,
        presets=not public,
    )
)

choice = model.Choice(targets, chosen, frequency, measure, rolling, base_year, window)
chart = connection.modelled(show.trend_chart, gemeente, choice, rules, show.config_version())
show.provenance_badge(chart.origin)
about = show.meta(chart.heading, chart.period, demo=chart.demo, filters=chart.filters, origin=chart.origin)
show.chart(
    about, "trends_grafiek", charts.trend_chart, *chart.chart_args, data=chart.export, slide_height=charts.SLIDE_HEIGHT
)
st.caption(chart.caption)
if selection.presenting():
    frame.stop_page()  # one view per screen: the chart

st.subheader("Vergelijking met een jaar eerder")


def compstat_table(table: model.CompStat) -> None:
    """One area's CompStat table: caption, the table, provisional columns and notes, export."""
    st.caption(table.caption)
    st.dataframe(
        table.matrix.style.apply(lambda _: table.styles, axis=None),
        alt="CompStat per categorie",
        hide_index=True,
        width="stretch",
        placeholder=formatting.MISSING,
        height=table.height,
        column_config={"Categorie": st.column_config.TextColumn(width=250), **table.headers},
    )
    st.caption(table.notes)
    about = show.meta(table.title, table.period, demo=table.demo, provisional=table.provisional, origin=table.origin)
    show.export_menu(about, f"trends_compstat_{table.target}", data=table.export)


tabs = st.tabs([markdown_literal(names[t]) for t in targets]) if len(targets) > 1 else [st.container()]
tables = connection.modelled(show.compstat_tables, gemeente, tuple(targets), scope.year, rules, show.config_version())
for tab, table in zip(tabs, tables, strict=True):
    with tab:
        compstat_table(table)
