"""Kaart: where a category is worst, per wijk or buurt, with a trend for the selected area."""

import streamlit as st

import ui
from ivpdata import charts, mapping, periods
from ivpdata.config import load_settings

selection = ui.selection()
gemeente, year = selection.gemeente_code, selection.year

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
months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
with st.expander("Periodes", expanded=False):
    period = st.select_slider(
        "Periode", months, value=periods.calendar_year(year), format_func=lambda d: d.strftime("%m-%Y"),
        key=f"kaart_periode_{year}",
    )  # fmt: skip
    earlier = periods.year_earlier(period, months[0])
    comparison = st.select_slider(
        "Vergelijken met", months, value=earlier, format_func=lambda d: d.strftime("%m-%Y"),
        key=f"kaart_vergelijking_{year}",
    ) if earlier else None  # fmt: skip

codes = list(options.set_index("option_code").loc[option, "category_codes"])
counts = ui.query(
    "area_counts", gemeente_code=gemeente, area_level=level, category_codes=tuple(codes),
    period=period, comparison=comparison,
)  # fmt: skip
thresholds = mapping.thresholds_for(load_settings(), level)
values = mapping.area_measures(counts, measure, thresholds)
bounds = mapping.class_bounds(values.loc[values["is_stable"], "value"], measure, thresholds)
geometries = ui.query("area_geometries", gemeente_code=gemeente, area_level=level)
selected = st.session_state.get("kaart_selectie")
if selected and selected not in set(values["area_code"]):
    selected = None

st.caption(
    f"{names[option]} · {periods.label(period)}"
    + (f" vergeleken met {periods.label(comparison)}" if comparison else "")
    + f" · {mapping.MEASURES[measure]} per {level}"
)
if comparison is None:
    st.info("Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder.")
if values["is_demo"].any():
    ui.demo_badge()
left, right = st.columns([3, 2])
with left:
    features = mapping.feature_collection(geometries, values, measure, bounds, selected)
    # "Selectie wissen" gives the map a new key: that also drops the click kept in its state.
    event = st.pydeck_chart(
        mapping.choropleth_deck(features, mapping.view_for(geometries)),
        on_select="rerun", selection_mode="single-object", height=560,
        key=f"kaart_deck_{st.session_state.get('kaart_wissingen', 0)}",
    )  # fmt: skip
    picked = mapping.picked_area(event)
    if picked and picked != selected:
        st.session_state["kaart_selectie"] = picked
        st.rerun()
    unstable = values[~values["is_stable"]]
    entries = mapping.legend(measure, bounds, not unstable.empty, "niet getoond (te weinig voor een stabiel cijfer)")
    st.markdown(mapping.legend_html(entries), unsafe_allow_html=True)
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
            st.session_state["kaart_wissingen"] = st.session_state.get("kaart_wissingen", 0) + 1
            st.rerun()
    else:
        st.info("Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde.")

st.subheader("Tabel")
table = mapping.area_table(values)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Download CSV", table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
    file_name=f"kaart_{gemeente}_{level}_{option}.csv", mime="text/csv", key="kaart_csv",
)  # fmt: skip
