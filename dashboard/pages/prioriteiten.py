"""Prioriteiten: progress on the plan's own goals, indicator by indicator, and a one-screen summary."""

import streamlit as st

from dashboard import frame, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import charts, formatting, progress, queries
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente = scope.gemeente_code

st.title(f"Prioriteiten {markdown_literal(scope.gemeente_name)}")
plans = query(queries.plans, gemeente_code=gemeente)
if plans.empty:
    st.info("Voor deze gemeente is nog geen veiligheidsplan opgenomen (data/plans/).")
    frame.stop_page()
titles = dict(zip(plans["plan_id"], plans["title"], strict=True))
plan_id = bound(st.selectbox, "plan", "Plan", list(titles), key="prio_plan", format_func=titles.get)
plan = plans.set_index("plan_id").loc[plan_id]
st.caption(
    f"{markdown_literal(plan['title'])} ({plan['start_year']}-{plan['end_year']})"
    + (f" · “{markdown_literal(plan['motto'])}”" if plan["motto"] else "")
    + f" · bron: {markdown_literal(plan['source_title'])}"
)
rows = query(queries.plan_indicators, gemeente_code=gemeente)
rows = rows[rows["plan_id"] == plan_id]
actuals = query(queries.indicator_actuals, gemeente_code=gemeente, plan_id=plan_id)
if public := selection.public():  # incident figures from the public release of each calendar year
    actuals = progress.released_actuals(rows, actuals, show.plan_figure(gemeente))
assessed = progress.assess_plan(rows, actuals)
if rows["goal_is_demo"].fillna(False).any():
    st.caption(progress.DEMO_GOALS_NOTE)

st.subheader("In één oogopslag")
tops = rows[rows["parent_code"].isna()].drop_duplicates("priority_code")
counts = progress.status_counts(assessed)
for top in tops.itertuples():
    name, summary = st.columns([3, 4], vertical_alignment="center")
    name.markdown(f"**{markdown_literal(top.priority_name)}**")
    if top.priority_code in counts.index:
        summary.markdown(" ".join(progress.status_badge(s, n) for s, n in counts.loc[top.priority_code].items() if n))
    else:
        summary.caption("Geen indicatoren vastgelegd.")
if len(plan["principles"]):
    with st.expander("Uitgangspunten"):
        st.markdown("\n".join(f"{i}. {markdown_literal(p)}" for i, p in enumerate(plan["principles"], start=1)))

for top in tops.itertuples():
    st.subheader(markdown_literal(top.priority_name))
    themes = rows[rows["parent_code"] == top.priority_code]["priority_name"].drop_duplicates()
    if not themes.empty:
        st.caption("Thema's: " + "; ".join(map(markdown_literal, themes)))
    mine = assessed[(assessed["priority_code"] == top.priority_code) & assessed["indicator_id"].notna()]
    if mine.empty:
        st.caption("Geen indicatoren vastgelegd voor deze prioriteit.")
        continue
    for goal, indicators in mine.groupby("goal", sort=False):
        st.markdown(
            f"**Doel:** {markdown_literal(goal)}"
            + (" :orange-badge[Demodoel]" if indicators["goal_is_demo"].any() else "")
        )
    shown = mine[mine["actual"].notna()]
    about = show.meta(
        f"Voortgang: {top.priority_name}", "looptijd van het plan", demo=bool(mine["goal_is_demo"].any()),
        source="gemeente (plan) en politie/CBS", provisional=progress.provisional_text(mine),
    )  # fmt: skip
    if not shown.empty:
        show.chart(about, f"prio_{top.priority_code}", charts.bullet_chart, shown, progress.STATUS_COLOURS)
    table = progress.indicator_table(mine)
    st.dataframe(
        formatting.dutch_table(table, progress.table_decimals(table)).apply(progress.status_styles, subset=["Status"]),
        hide_index=True, width="stretch", placeholder=formatting.MISSING,
        column_config={"Verloop": st.column_config.LineChartColumn("Verloop")},
    )  # fmt: skip
    if not selection.presenting():
        show.export_menu(about, f"prio_tabel_{top.priority_code}", data=table.drop(columns="Verloop"))
    for row in mine.itertuples():
        link = progress.trend_link(row._asdict(), gemeente)
        if link:
            st.page_link(routes.TRENDS.file, label=f"Trend: {markdown_literal(row.indicator_name)}", query_params=link)
        if isinstance(row.note, str):
            st.caption(markdown_literal(f"{row.indicator_name}: {row.note}"))
st.caption(progress.METHOD)
for note in progress.public_notes(actuals, selection.disclosure_rules()) if public else []:
    st.caption(note)
