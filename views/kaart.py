"""Kaart: where a category is worst, per wijk or buurt or as hotspots, with a trend for a clicked area."""

import streamlit as st

import show
import ui
from ivpdata import charts, hotspots, mapping, periods
from ivpdata.config import load_settings

selection = ui.selection()
gemeente, year = selection.gemeente_code, selection.year
settings = load_settings()

st.title(f"Kaart {selection.gemeente_name}")
options = ui.query("category_options", gemeente_code=gemeente)
names = dict(zip(options["option_code"], options["option_name"], strict=True))
controls = st.columns([3, 2, 3])
option = ui.bound(controls[0].selectbox, "wat", "Wat", list(names), key="kaart_wat", format_func=names.get)
level = ui.bound(controls[1].radio, "niveau", "Niveau", ["wijk", "buurt"], key="kaart_niveau", horizontal=True)
measure = ui.bound(
    controls[2].radio, "maat", "Maat", list(mapping.MEASURES), key="kaart_maat", format_func=mapping.MEASURES.get,
    horizontal=True,
)  # fmt: skip
layer_controls = st.columns([3, 2, 3])
show_hotspots = ui.bound(layer_controls[0].toggle, "hotspots", "Hotspots (zeshoeken)", key="kaart_hotspots")
show_groups = ui.bound(layer_controls[1].toggle, "groepen", "Gebiedsgroepen", value=True, key="kaart_groepen")
resolution = ui.bound(
    layer_controls[2].select_slider, "zeshoek", "Grootte zeshoek", list(hotspots.RESOLUTIONS),
    value=hotspots.DEFAULT_RESOLUTION, format_func=hotspots.RESOLUTIONS.get, key="kaart_resolutie",
    disabled=not show_hotspots,
)  # fmt: skip
years = ui.query("available_years", gemeente_code=gemeente)
months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
with st.expander("Periodes", expanded=False):
    period = ui.bound(
        st.select_slider, "periode", "Periode", months, value=periods.calendar_year(year),
        format_func=lambda d: d.strftime("%m-%Y"), key=f"kaart_periode_{year}",
    )  # fmt: skip
    earlier, comparison_key = periods.year_earlier(period, months[0]), f"kaart_vergelijking_{year}"
    # Unless chosen by hand, the comparison moves with the period (a link's own is applied after this).
    st.session_state.update(periods.comparison_updates(st.session_state, comparison_key, "kaart_periode_vorig",
                                                       period, months[0]))  # fmt: skip
    comparison = ui.bound(
        st.select_slider, "vergelijking", "Vergelijken met", months, value=earlier,
        format_func=lambda d: d.strftime("%m-%Y"), key=comparison_key,
    ) if earlier else None  # fmt: skip

codes = tuple(options.set_index("option_code").loc[option, "category_codes"])
rules, public = ui.disclosure_rules(), ui.public()
if public and rules.is_sensitive(codes, level):
    codes, public_level, public_note = rules.public_view(codes, level)
    level, show_hotspots = public_level, show_hotspots and public_level == level
    st.info(public_note)
counts = ui.query("area_counts", gemeente_code=gemeente, area_level=level, category_codes=codes, period=period,
                  comparison=comparison)  # fmt: skip
thresholds = mapping.thresholds_for(settings, level)
values, shown, public_notes, bounds = mapping.map_values(counts, measure, thresholds, rules if public else None)
areas, size = ("area_geometries", dict(gemeente_code=gemeente, area_level=level)), mapping.map_size(ui.presenting())
shapes = ui.derived(mapping.area_shapes, {"geometries": areas}, size=size)  # simplified shapes and hatching, made once
ui.from_url("kaart_selectie", "selectie", list(values["area_code"]))
ui.to_url("selectie", selected := st.session_state.get("kaart_selectie"))  # None: no parameter
min_count, buurten = int(settings["hotspot_min_count"]), ("area_geometries", dict(gemeente_code=gemeente,
                                                                                    area_level="buurt"))  # fmt: skip
cells = ("hotspot_cells", dict(gemeente_code=gemeente, category_codes=codes, period=period, resolution=resolution,
                               min_count=min_count))  # fmt: skip
layer = ui.derived(hotspots.hotspot_layer, {"cells": cells, "buurten": buurten}, classes=thresholds.classes,
                   min_count=min_count) if show_hotspots else None  # fmt: skip
groups = ui.query("area_group_outlines", gemeente_code=gemeente) if show_groups else None
outlines = ui.derived(mapping.group_outlines, {"outlines": ("area_group_outlines", dict(gemeente_code=gemeente))})

described = periods.label(period) + (f" vergeleken met {periods.label(comparison)}" if comparison else "")
st.caption(f"{names[option]} · {described} · {mapping.MEASURES[measure]} per {level}")
if comparison is None:
    st.info("Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder.")
if mapping.shows_demo(values, measure):
    ui.demo_badge()
left, right = st.columns([3, 2])
with left:
    if layer is not None:
        st.caption(hotspots.summary(layer.cells, min_count))
    deck = mapping.map_deck(
        mapping.feature_collection(shapes, values, measure, bounds, selected, classes_shown=layer is None),
        mapping.view_for(shapes, size=size), mapping.map_style_for(settings),
        hotspots=layer.features if layer else None, hatches=None if layer else mapping.hatching(shapes, values),
        groups=outlines if show_groups else None,
    )  # fmt: skip
    # "Selectie wissen" gives the map a new key: that also drops the click kept in its state.
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", height=size[1],
        key=f"kaart_deck_{st.session_state.get('kaart_wissingen', 0)}",
    )  # fmt: skip
    if (picked := mapping.picked_area(event)) and picked != selected:
        st.session_state["kaart_selectie"] = picked
        st.rerun()
    entries = (
        mapping.legend("count", layer.bounds, False, "", lowest=min_count) if layer is not None
        else mapping.legend(measure, bounds, not values["is_stable"].all(), mapping.UNSTABLE_TEXT)
    ) + mapping.group_legend(groups)  # fmt: skip
    st.markdown(mapping.legend_html(entries), unsafe_allow_html=True)
    st.caption(ui.ATTRIBUTION)
with right:
    if selected:
        row = values.set_index("area_code").loc[selected]
        st.subheader(row["area_name"])
        st.markdown(mapping.panel_text(values, selected, measure))
        series = ui.query("area_month_series", area_code=selected, category_codes=codes)
        series, series_notes = show.public_series(series, "incident_count")
        about = show.meta(f"{names[option]} per maand, {row['area_name']}", "alle maanden", demo=row["is_demo"])
        show.chart(about, "kaart_trend", charts.area_trend_chart, series, f"{names[option]} per maand", data=series)
        st.caption(" ".join(series_notes))
        if st.button("Selectie wissen", key="kaart_wis"):
            del st.session_state["kaart_selectie"]
            st.session_state["kaart_wissingen"] = st.session_state.get("kaart_wissingen", 0) + 1
            st.rerun()
    elif not ui.presenting():
        st.info("Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde.")

about = show.meta(f"{names[option]} per {level}", described, demo=values["is_demo"].any(), filters={"Niveau": level})
if ui.presenting():
    ui.stop_page()  # one view per screen: the map; the tables are for the normal view
st.subheader(f"Tabel per {level}")
show.table(mapping.area_table(values, shown), about, "kaart_tabel", mapping.TABLE_DECIMALS, public_notes)
if layer is not None and not layer.cells.empty:
    st.subheader("Hotspots")
    show.table(layer.table, about.titled(f"Hotspots {names[option]}"), "kaart_hotspots_tabel",
               hotspots.TABLE_DECIMALS)  # fmt: skip
