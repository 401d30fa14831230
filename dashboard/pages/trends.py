"""Trends: how categories develop in chosen areas, and CompStat: which changes are beyond chance."""

from typing import Any

import streamlit as st

from dashboard import connection, frame, selection, show, trends_controls
from dashboard.connection import query
from ivpdata import charts
from ivpdata.page_models import trends as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente = scope.gemeente_code
menu = model.menu(query, gemeente)
names, option_names = menu.area_names, menu.option_names
public = selection.public()
rules = selection.disclosure_rules() if public else None

st.title(f"Trends {markdown_literal(scope.gemeente_name)}")


def compstat_table(table: model.CompStat) -> None:
    """One area's CompStat table: caption, the table, provisional columns and notes, export."""
    st.caption(table.caption)
    columns = {"Categorie": st.column_config.TextColumn(width=250), **table.headers}
    show.grid(
        model.styled_compstat,
        table.matrix,
        table.styles,
        title="CompStat per categorie",
        column_config=columns,
        height=table.height,
    )
    st.caption(table.notes)
    about = show.meta(table.title, table.period, demo=table.demo, provisional=table.provisional, origin=table.origin)
    show.export_menu(about, f"trends_compstat_{table.target}", data=table.export)


def categories_and_chart(targets: list[str], place: Any, view: model.View) -> None:
    """'Wat' (in `place`, beside the areas) and the chart of the chosen categories: a part of its
    own, so that a change of 'Wat' redraws 'Wat' and the chart only."""
    choice = model.Choice.of(targets, trends_controls.categories(menu, place), view)
    if not choice.targets or not choice.options:  # emptied: no chart of defaults the boxes do not show
        st.info(trends_controls.NO_AREA if not choice.targets else trends_controls.NO_CATEGORY)
        return
    drawn = connection.modelled(show.trend_chart, gemeente, choice, rules, show.config_version())
    show.provenance_badge(drawn.origin)
    warning = st.empty()  # there with or without a warning: the chart keeps its place (updated in place)
    if drawn.warning:
        warning.warning(drawn.warning)
    about = show.meta(drawn.heading, drawn.period, demo=drawn.demo, filters=drawn.filters, origin=drawn.origin)
    show.chart(
        about,
        "trends_grafiek",
        charts.trend_chart,
        *drawn.chart_args,
        data=drawn.export,
        slide_height=charts.SLIDE_HEIGHT,
        title_above=True,  # the title follows the choices above it; the chart is updated in place
    )
    st.caption(drawn.caption)
    if selection.presenting():
        frame.stop_page()  # one view per screen: the chart


def chart_choices(targets: list[str], place: Any) -> None:
    """How the chart shows (per, measure, 12 months, index, period), then 'Wat' and the chart: a
    change of these choices redraws them and the chart, not the areas or the CompStat tables."""
    frame.part(categories_and_chart, targets, place, trends_controls.view_choices(menu, public))


def content() -> None:
    """The areas, the chart's parts and the CompStat tables, a part that reruns on its own (frame.part)."""
    targets, place = trends_controls.areas(menu)
    frame.part(chart_choices, targets, place)
    if not targets:
        return
    st.subheader("Vergelijking met een jaar eerder")

    tabs = st.tabs([markdown_literal(names[t]) for t in targets]) if len(targets) > 1 else [st.container()]
    tables = connection.modelled(
        show.compstat_tables, gemeente, tuple(targets), scope.year, rules, show.config_version()
    )
    for tab, table in zip(tabs, tables, strict=True):
        with tab:
            compstat_table(table)


frame.part(content)
