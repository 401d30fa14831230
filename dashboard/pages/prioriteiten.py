"""Prioriteiten: progress on the plan's own goals, indicator by indicator, and a one-screen summary."""

import streamlit as st

from dashboard import connection, frame, links, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, progress, queries
from ivpdata.page_models import prioriteiten as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente = scope.gemeente_code

st.title(f"Prioriteiten {markdown_literal(scope.gemeente_name)}")
plans = query(queries.plans, gemeente_code=gemeente)
if plans.empty:
    st.info(model.NO_PLAN)
    frame.stop_page()
titles = dict(zip(plans["plan_id"], plans["title"], strict=True))
plan_id = bound(st.selectbox, Param.PLAN, "Plan", list(titles), key="prio_plan", format_func=titles.get)
public = selection.public()  # incident figures from the public release of each calendar year
plan = connection.modelled(show.plan, gemeente, plan_id, selection.disclosure_rules() if public else None)
st.caption(plan.caption)
if plan.demo_goals:
    st.markdown(progress.DEMO_GOALS_NOTE)  # not a caption: its faded text would fade the badge below AA contrast

st.subheader("In één oogopslag")
for priority in plan.priorities:
    name, summary = st.columns([3, 4], vertical_alignment="center")
    name.markdown(f"**{markdown_literal(priority.name)}**")
    if priority.statuses:
        summary.markdown(priority.badges)
        if selection.presenting():  # the slide's whole view: which indicator is where
            summary.markdown("  \n".join(priority.indicator_statuses))
    else:
        summary.caption(model.NO_INDICATORS)
if selection.presenting():
    frame.stop_page()  # one view per screen: the plan at a glance; its indicators are for the normal view
if plan.principles:
    with st.expander("Uitgangspunten"):
        st.markdown(plan.principles)

charted = [p.code for p in plan.priorities if not p.measured.empty]
keyed = charted[0] if charted else None  # what the goal charts' marks mean: said under the first
for priority in plan.priorities:
    st.subheader(markdown_literal(priority.name))
    if priority.themes:
        st.caption("Thema's: " + "; ".join(map(markdown_literal, priority.themes)))
    if priority.assessed.empty:
        st.caption(model.NO_PRIORITY_INDICATORS)
        continue
    for goal, demo in priority.goals:
        st.markdown(model.goal_line(goal, demo))
    title, period = f"Voortgang: {priority.name}", "looptijd van het plan"
    about = show.meta(title, period, demo=priority.is_demo, source=model.SOURCE, provisional=priority.provisional)
    if not priority.measured.empty:
        show.chart(about, f"prio_{priority.code}", charts.bullet_chart, priority.measured, progress.STATUS_COLOURS)
        if priority.code == keyed:
            st.caption(progress.CHART_KEY)
    table = priority.table
    verloop = st.column_config.LineChartColumn("Verloop")
    show.grid(model.styled_table, table, title="Indicatoren van dit plan", column_config={"Verloop": verloop})
    if not selection.presenting():
        show.export_menu(about, f"prio_tabel_{priority.code}", data=table.drop(columns="Verloop"))
    for line in priority.lines:
        if line.trend_label and line.trend_target:
            st.page_link(
                routes.TRENDS.file,
                label=line.trend_label,
                query_params=links.area_trend_link(selection.case_context(), *line.trend_target),
            )
        if line.note:
            st.caption(line.note)
st.caption(progress.METHOD)
for note in progress.public_notes(plan.actuals, selection.disclosure_rules()) if public else []:
    st.caption(note)
