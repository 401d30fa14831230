"""Kaart: where a category is worst, per wijk or buurt, with a trend for the selected area."""

import streamlit as st

import ui
from ivpdata import charts, mapping
from ivpdata.config import load_settings

selection = ui.selection()
gemeente, year = selection.gemeente_code, selection.year
settings = load_settings()
thresholds = mapping.Thresholds(
    min_inhabitants_for_rate=int(settings["min_inhabitants_for_rate"]),
    min_incidents_for_change=int(settings["min_incidents_for_change"]),
    change_class_bounds=tuple(settings["change_class_bounds"]),
    classes=int(settings["map_classes"]),
)

st.title(f"Kaart {selection.gemeente_name}")
options = ui.query("category_options")
names = dict(zip(options["option_code"], options["option_name"], strict=True))
controls = st.columns([3, 2, 3])
option = controls[0].selectbox("Wat", list(names), format_func=names.get, key="kaart_wat")
level = controls[1].radio("Niveau", ["wijk", "buurt"], horizontal=True, key="kaart_niveau")
measure = controls[2].radio(
    "Maat", list(mapping.MEASURES), format_func=mapping.MEASURES.get, horizontal=True, key="kaart_maat"
)
years = ui.query("available_years", gemeente_code=gemeente)
months = mapping.month_options(int(years["year"].min()), int(years["year"].max()))
with st.expander("Periodes", expanded=False):
    period = st.select_slider(
        "Periode", months, value=(months[(year - months[0].year) * 12], months[(year - months[0].year) * 12 + 11]),
        format_func=lambda d: d.strftime("%m-%Y"), key=f"kaart_periode_{year}",
    )  # fmt: skip
    default_comparison = (months[max((year - 1 - months[0].year) * 12, 0)], period[1].replace(year=period[1].year - 1))
    comparison = st.select_slider(
        "Vergelijken met", months, value=default_comparison, format_func=lambda d: d.strftime("%m-%Y"),
        key=f"kaart_vergelijking_{year}",
    )  # fmt: skip

codes = list(options.set_index("option_code").loc[option, "category_codes"])
counts = ui.query(
    "area_counts", gemeente_code=gemeente, area_level=level, category_codes=tuple(codes),
    period=period, comparison=comparison,
)  # fmt: skip
values = mapping.area_measures(counts, measure, thresholds)
bounds = mapping.class_bounds(values.loc[values["is_stable"], "value"], measure, thresholds)
geometries = ui.query("area_geometries", gemeente_code=gemeente, area_level=level)
selected = st.session_state.get("kaart_selectie")
if selected and selected not in set(values["area_code"]):
    selected = None

st.caption(
    f"{names[option]} · {mapping.period_label(*period)} vergeleken met {mapping.period_label(*comparison)} · "
    f"{mapping.MEASURES[measure]} per {level}"
)
if values["is_demo"].any():
    ui.demo_badge()
left, right = st.columns([3, 2])
with left:
    features = mapping.feature_collection(geometries, values, measure, bounds, selected)
    event = st.pydeck_chart(
        mapping.choropleth_deck(features, mapping.view_for(geometries)),
        on_select="rerun", selection_mode="single-object", key="kaart_deck", height=560,
    )  # fmt: skip
    # The click event stays in the widget state: act on a new click only, so "wissen" sticks.
    picked = mapping.picked_area(event)
    if picked and picked != st.session_state.get("kaart_laatste_klik"):
        st.session_state["kaart_laatste_klik"] = picked
        st.session_state["kaart_selectie"] = picked
        st.rerun()
    unstable = values[~values["is_stable"]]
    entries = mapping.legend(measure, bounds, not unstable.empty, "niet getoond (te weinig voor een stabiel cijfer)")
    st.markdown(
        " ".join(
            f"<span style='display:inline-block;width:14px;height:14px;background:{e.colour};"
            f"border:1px solid #888;margin:0 4px -2px 10px'></span>{e.label}"
            for e in entries
        ),
        unsafe_allow_html=True,
    )
    st.caption(ui.ATTRIBUTION)
with right:
    if selected:
        row = values.set_index("area_code").loc[selected]
        st.subheader(row["area_name"])
        st.markdown(f"**{mapping.MEASURES[measure]}:** {mapping.format_value(row['value'], measure)}")
        st.markdown(f"**Rang:** {mapping.rank_text(values, selected, measure)}")
        series = ui.query("area_month_series", area_code=selected, category_codes=tuple(codes))
        st.altair_chart(charts.area_trend_chart(series, f"{names[option]} per maand"), width="stretch")
        if st.button("Selectie wissen", key="kaart_wis"):
            del st.session_state["kaart_selectie"]
            st.rerun()
    else:
        st.info("Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde.")

st.subheader("Tabel")
table = mapping.area_table(values, measure)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Download CSV", table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
    file_name=f"kaart_{gemeente}_{level}_{option}.csv", mime="text/csv", key="kaart_csv",
)  # fmt: skip
