"""Maatregelen: what was done per priority, over time and per type, with its source."""

import streamlit as st

from dashboard import routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import charts, formatting, measures, queries
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, gemeente_name = scope.gemeente_code, scope.gemeente_name

st.title(f"Maatregelen {markdown_literal(gemeente_name)}")
results = query(queries.measure_results, gemeente_code=gemeente)
in_areas = query(queries.area_measures, gemeente_code=gemeente)
sources = ", ".join(dict.fromkeys(results["source_title"]))
st.caption(
    "Wat er is gedaan, per prioriteit van het veiligheidsplan."
    + (f" Bronnen: {markdown_literal(sources)}." if sources else "")
)
figures = st.columns(4)
figures[0].metric("Resultaten vastgelegd", formatting.number(len(results)))
figures[1].metric("Soorten maatregelen", formatting.number(results["type_name"].nunique()))
figures[2].metric("Prioriteiten", formatting.number(results["priority_code"].nunique()))
figures[3].metric("Maatregelen in een gebied", formatting.number(in_areas["measure_id"].nunique()))
over_time, per_type = bound(st.tabs, "tab", ["In de tijd", "Per soort"], key="maatregel_tab")
with over_time:
    if results.empty:
        st.info(f"Voor {markdown_literal(gemeente_name)} zijn nog geen resultaten van maatregelen vastgelegd.")
    else:
        priorities = ["Alle prioriteiten", *dict.fromkeys(results["priority_name"].dropna())]
        codes = dict(zip(results["priority_name"], results["priority_code"], strict=True))  # the URL shows codes
        chosen = bound(
            st.selectbox, "prioriteit", "Prioriteit", priorities, key="maatregel_prioriteit",
            to_text=lambda name: codes.get(name, "alle"),
        )  # fmt: skip
        shown = results if chosen == priorities[0] else results[results["priority_name"] == chosen]
        about = show.meta(f"Resultaten van maatregelen: {chosen}", "alle jaren", demo=bool(shown["is_demo"].any()),
                          source="gemeente (factsheet en plandocumenten)")  # fmt: skip
        show.chart(about, "maatregel_tijdlijn", charts.measure_timeline, shown, data=measures.results_table(shown))
        st.caption("Elke balk is één resultaat over zijn periode; beweeg over een balk voor waarde en bron.")
with per_type:
    table = measures.results_table(results)
    widths = {"Prioriteit": 180, "Soort": 210, "Resultaat": 330, "Periode": 120, "Waarde": 130, "Bron": 150}
    st.dataframe(
        table, hide_index=True, width="stretch", placeholder=formatting.MISSING, height=min(38 + 35 * len(table), 720),
        column_config={name: st.column_config.TextColumn(name, width=width) for name, width in widths.items()},
    )  # fmt: skip
    about = show.meta("Resultaten van maatregelen", "alle jaren", demo=bool(results["is_demo"].any()),
                      source="gemeente (factsheet en plandocumenten)")  # fmt: skip
    show.export_menu(about, "maatregel_tabel", data=table)

st.subheader("Maatregelen in een gebied")
if in_areas.empty:
    st.info(f"Voor {markdown_literal(gemeente_name)} zijn nog geen maatregelen in een bekend gebied vastgelegd.")
for row in in_areas.itertuples():
    text, link = st.columns([6, 1], vertical_alignment="center")
    text.markdown(measures.area_measure_line(row))
    link.page_link(routes.VOOR_EN_NA.file, label="Voor en na", icon="➡️", query_params={"maatregel": row.choice_id})
