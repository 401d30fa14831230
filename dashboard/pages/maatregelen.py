"""Maatregelen: what was done per priority, over time and per type, with its source."""

import streamlit as st

from dashboard import frame, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, formatting
from ivpdata.page_models import maatregelen as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente_name = markdown_literal(scope.gemeente_name)

st.title(f"Maatregelen {gemeente_name}")
overview = model.overview(query, scope.gemeente_code)


def area_measures() -> None:
    """The measures in an area, each with its link to Voor en na."""
    st.subheader("Maatregelen in een gebied")
    if overview.in_areas.empty:
        st.info(model.NO_AREA_MEASURES.format(name=gemeente_name))
    for measure in model.area_measures(overview.in_areas):
        text, link = st.columns([6, 1], vertical_alignment="center")
        text.markdown(measure.line)
        link.page_link(
            routes.VOOR_EN_NA.file,
            label="Voor en na",
            icon="➡️",
            query_params={**selection.case_context(), Param.MAATREGEL: measure.choice_id},
        )


st.caption(overview.caption)
for column, (label, value) in zip(st.columns(4), overview.figures.items(), strict=True):
    column.metric(label, value)
if selection.presenting():  # a slide: what is done where; a timeline of every result is no slide
    area_measures()
    frame.stop_page()
over_time, per_type = bound(st.tabs, Param.TAB, ["In de tijd", "Per soort"], key="maatregel_tab")
with over_time:
    if overview.results.empty:
        st.info(model.NO_RESULTS.format(name=gemeente_name))
    else:
        chosen = bound(
            st.selectbox,
            Param.PRIORITEIT,
            "Prioriteit",
            overview.priorities,
            key="maatregel_prioriteit",
            to_text=lambda name: model.priority_code(overview, name),
        )
        shown = model.results_of(overview.results, chosen)
        about = show.meta(shown.title, "alle jaren", demo=shown.is_demo, source=model.SOURCE)
        show.chart(about, "maatregel_tijdlijn", charts.measure_timeline, shown.results, data=shown.table)
        st.caption("Elke balk is één resultaat over zijn periode; beweeg over een balk voor waarde en bron.")
with per_type:
    every = model.results_of(overview.results)
    widths = {"Prioriteit": 180, "Soort": 210, "Resultaat": 330, "Periode": 120, "Waarde": 130, "Bron": 150}
    st.dataframe(
        every.table,
        alt="Alle maatregelen",
        hide_index=True,
        width="stretch",
        placeholder=formatting.MISSING,
        height=min(38 + 35 * len(every.table), 720),
        column_config={name: st.column_config.TextColumn(name, width=width) for name, width in widths.items()},
    )
    about = show.meta(every.title, "alle jaren", demo=every.is_demo, source=model.SOURCE)
    show.export_menu(about, "maatregel_tabel", data=every.table)

area_measures()
