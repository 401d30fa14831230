"""Kaart: where a category is worst, per wijk or buurt or as hotspots, with a trend for a clicked area."""

import streamlit as st

from dashboard import frame, layers, period_controls, permalinks, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import charts, hotspots, mapping, periods, provenance, queries
from ivpdata.config import load_settings
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
settings = load_settings()

st.title(f"Kaart {markdown_literal(scope.gemeente_name)}")
options = query(queries.category_options, gemeente_code=gemeente)
names = dict(zip(options["option_code"], options["option_name"], strict=True))
controls = st.columns([3, 2, 3])
option = bound(controls[0].selectbox, "wat", "Wat", list(names), key="kaart_wat", format_func=names.get)
level = bound(controls[1].radio, "niveau", "Niveau", ["wijk", "buurt"], key="kaart_niveau", horizontal=True)
measure = bound(
    controls[2].radio, "maat", "Maat", list(mapping.MEASURES), key="kaart_maat", format_func=mapping.MEASURES.get,
    horizontal=True,
)  # fmt: skip
layer_controls = st.columns([3, 2, 3])
show_hotspots = bound(layer_controls[0].toggle, "hotspots", "Hotspots (zeshoeken)", key="kaart_hotspots")
show_groups = bound(layer_controls[1].toggle, "groepen", "Gebiedsgroepen", value=True, key="kaart_groepen")
resolution = bound(
    layer_controls[2].select_slider, "zeshoek", "Grootte zeshoek", list(hotspots.RESOLUTIONS),
    value=hotspots.DEFAULT_RESOLUTION, format_func=hotspots.RESOLUTIONS.get, key="kaart_resolutie",
    disabled=not show_hotspots,
)  # fmt: skip
years = query(queries.available_years, gemeente_code=gemeente)
months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
codes = tuple(options.set_index("option_code").loc[option, "category_codes"])
rules, public = selection.disclosure_rules(), selection.public()
if public:  # whole calendar years only, from the public release; no hexagons
    period, comparison, releases, codes, level = show.public_kaart(gemeente, year, years, codes, level, options)
    if show_hotspots:
        st.caption(hotspots.PUBLIC_NOTE)
    show_hotspots = False
else:
    period, comparison = period_controls.kaart_periods(year, months)


def values_at(at_level: str) -> tuple:  # mapping.map_values at a level (public: as the release allows)
    counts = query(queries.area_counts, gemeente_code=gemeente, area_level=at_level, category_codes=codes,
                      period=period, comparison=comparison)  # fmt: skip
    release = mapping.PublicView(releases, period, comparison, codes, rules) if public else None
    return mapping.level_values(counts, measure, settings, at_level, release)


values, shown, public_notes, bounds = values_at(level)
size = mapping.map_size(selection.presenting())
shapes = layers.area_shapes(gemeente, level, size)
permalinks.from_url("kaart_selectie", "selectie", list(values["area_code"]))
permalinks.to_url("selectie", selected := st.session_state.get("kaart_selectie"))  # None: no parameter
min_count = int(settings["hotspot_min_count"])
layer = layers.hotspot_layer(gemeente, codes, period, resolution, settings) if show_hotspots else None
groups = query(queries.area_group_outlines, gemeente_code=gemeente) if show_groups else None
outlines = layers.group_outlines(gemeente)

described = periods.label(period) + (f" vergeleken met {periods.label(comparison)}" if comparison else "")
st.caption(f"{markdown_literal(names[option])} · {described} · {mapping.MEASURES[measure]} per {level}")
if comparison is None:
    st.info("Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder.")
show.provenance_badge(mapping.badge_provenance(values, measure))
if not show_hotspots and (grey := mapping.grey_help(values, measure, level, lambda: values_at("wijk")[0])):
    st.warning(grey[0])  # all grey: why, and the views that do show something (buttons that set the URL)
    for column, offer in zip(st.columns(4), grey[1], strict=False):  # side by side, from the left
        column.button(offer.label, on_click=permalinks.follow_link, args=(offer.params,), key=f"kaart_{offer.label}")
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
    legend = mapping.map_legend(measure, bounds, values, groups, layer, min_count)
    (right if selection.presenting() else st).html(legend)  # on a big screen beside the map, in view
    st.caption(selection.ATTRIBUTION)
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
            series = query(queries.area_month_series, area_code=selected, category_codes=codes)
            about = show.meta(f"{names[option]} per maand, {row['area_name']}", "alle maanden", demo=row["is_demo"],
                              origin=provenance.of_table(series))  # fmt: skip
            show.chart(about, "kaart_trend", charts.area_trend_chart, series, f"{names[option]} per maand",
                       data=series)  # fmt: skip
        if st.button("Selectie wissen", key="kaart_wis"):
            del st.session_state["kaart_selectie"]
            st.session_state["kaart_wissingen"] = st.session_state.get("kaart_wissingen", 0) + 1
            st.rerun()
    elif not selection.presenting():
        st.info("Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde.")

about = show.meta(f"{names[option]} per {level}", described, demo=values["is_demo"].any(), filters={"Niveau": level},
                  provisional=mapping.provisional_text(values), origin=mapping.shown_provenance(values))  # fmt: skip
if selection.presenting():
    frame.stop_page()  # one view per screen: the map; the tables are for the normal view
st.subheader(f"Tabel per {level}")
show.table(mapping.area_table(values, shown), about, "kaart_tabel", mapping.TABLE_DECIMALS, public_notes)
if layer is not None and not layer.cells.empty:
    st.subheader("Hotspots")
    show.table(layer.table, about.titled(f"Hotspots {names[option]}"), "kaart_hotspots_tabel",
               hotspots.TABLE_DECIMALS)  # fmt: skip
