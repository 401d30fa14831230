"""Kaart: where a category is worst, per wijk or buurt or as hotspots, with a trend for a clicked area."""

import streamlit as st

import period_controls
import show
import ui
from ivpdata import charts, hotspots, mapping, periods, provenance
from ivpdata.config import load_settings
from ivpdata.safetext import markdown_literal

selection = ui.selection()
gemeente, year = selection.gemeente_code, selection.year
settings = load_settings()

st.title(f"Kaart {markdown_literal(selection.gemeente_name)}")
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
codes = tuple(options.set_index("option_code").loc[option, "category_codes"])
rules, public = ui.disclosure_rules(), ui.public()
if public:  # whole calendar years only, from the public release; no hexagons
    period, comparison, releases, codes, level = show.public_kaart(gemeente, year, years, codes, level, options)
    if show_hotspots:
        st.caption(hotspots.PUBLIC_NOTE)
    show_hotspots = False
else:
    period, comparison = period_controls.kaart_periods(year, months)


def values_at(at_level: str) -> tuple:  # mapping.map_values at a level (public: as the release allows)
    counts = ui.query("area_counts", gemeente_code=gemeente, area_level=at_level, category_codes=codes,
                      period=period, comparison=comparison)  # fmt: skip
    release = mapping.PublicView(releases, period, comparison, codes, rules) if public else None
    return mapping.level_values(counts, measure, settings, at_level, release)


values, shown, public_notes, bounds = values_at(level)
areas, size = ("area_geometries", dict(gemeente_code=gemeente, area_level=level)), mapping.map_size(ui.presenting())
shapes = ui.derived(mapping.area_shapes, {"geometries": areas}, size=size)  # simplified shapes and hatching, made once
ui.from_url("kaart_selectie", "selectie", list(values["area_code"]))
ui.to_url("selectie", selected := st.session_state.get("kaart_selectie"))  # None: no parameter
min_count, buurten = int(settings["hotspot_min_count"]), ("area_geometries", dict(gemeente_code=gemeente,
                                                                                    area_level="buurt"))  # fmt: skip
cells = ("hotspot_cells", dict(gemeente_code=gemeente, category_codes=codes, period=period, resolution=resolution,
                               min_count=min_count))  # fmt: skip
layer = ui.derived(hotspots.hotspot_layer, {"cells": cells, "buurten": buurten}, classes=int(settings["map_classes"]),
                   min_count=min_count) if show_hotspots else None  # fmt: skip
groups = ui.query("area_group_outlines", gemeente_code=gemeente) if show_groups else None
outlines = ui.derived(mapping.group_outlines, {"outlines": ("area_group_outlines", dict(gemeente_code=gemeente))})

described = periods.label(period) + (f" vergeleken met {periods.label(comparison)}" if comparison else "")
st.caption(f"{markdown_literal(names[option])} · {described} · {mapping.MEASURES[measure]} per {level}")
if comparison is None:
    st.info("Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder.")
show.provenance_badge(mapping.badge_provenance(values, measure))
if not show_hotspots and (grey := mapping.grey_help(values, measure, level, lambda: values_at("wijk")[0])):
    st.warning(grey[0])  # all grey: why, and the views that do show something (buttons that set the URL)
    for column, offer in zip(st.columns(4), grey[1], strict=False):  # side by side, from the left
        column.button(offer.label, on_click=ui.follow_link, args=(offer.params,), key=f"kaart_{offer.label}")
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
    (right if ui.presenting() else st).html(mapping.map_legend(measure, bounds, values, groups, layer, min_count))
    st.caption(ui.ATTRIBUTION)
with right:
    if selected:
        row = values.set_index("area_code").loc[selected]
        st.subheader(markdown_literal(row["area_name"]))
        st.markdown(mapping.panel_text(values, selected, measure))
        if public:  # the public release's calendar years, not months
            about = show.meta(f"{names[option]} per jaar, {row['area_name']}", "hele kalenderjaren",
                              demo=row["is_demo"])  # fmt: skip
            yearly, yearly_notes = show.public_years(releases, level, selected, codes)
            show.table(yearly, about, "kaart_jaren", notes=yearly_notes)
        else:
            series = ui.query("area_month_series", area_code=selected, category_codes=codes)
            about = show.meta(f"{names[option]} per maand, {row['area_name']}", "alle maanden", demo=row["is_demo"],
                              origin=provenance.of_table(series))  # fmt: skip
            show.chart(about, "kaart_trend", charts.area_trend_chart, series, f"{names[option]} per maand",
                       data=series)  # fmt: skip
        if st.button("Selectie wissen", key="kaart_wis"):
            del st.session_state["kaart_selectie"]
            st.session_state["kaart_wissingen"] = st.session_state.get("kaart_wissingen", 0) + 1
            st.rerun()
    elif not ui.presenting():
        st.info("Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde.")

about = show.meta(f"{names[option]} per {level}", described, demo=values["is_demo"].any(), filters={"Niveau": level},
                  provisional=mapping.provisional_text(values), origin=mapping.shown_provenance(values))  # fmt: skip
if ui.presenting():
    ui.stop_page()  # one view per screen: the map; the tables are for the normal view
st.subheader(f"Tabel per {level}")
show.table(mapping.area_table(values, shown), about, "kaart_tabel", mapping.TABLE_DECIMALS, public_notes)
if layer is not None and not layer.cells.empty:
    st.subheader("Hotspots")
    show.table(layer.table, about.titled(f"Hotspots {names[option]}"), "kaart_hotspots_tabel",
               hotspots.TABLE_DECIMALS)  # fmt: skip
