"""Voor en na: incidents in the months before and after a measure taken in an area, against the
rest of the gemeente, with the significance rule of the trends work, and the change on a map."""

import streamlit as st

from dashboard import frame, selection, show
from dashboard.connection import derived, query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, mapping, measures, queries
from ivpdata.config import load_settings
from ivpdata.page_models import voor_en_na as model
from ivpdata.safetext import markdown_literal

PUBLIC_NOTE = (
    "Voor en na staat alleen in de interne weergave: het toont exacte aantallen per maand en per buurt, "
    "die in de openbare weergave niet worden getoond."
)

scope = selection.current()
gemeente, gemeente_name = scope.gemeente_code, scope.gemeente_name
settings = load_settings()

st.title(f"Voor en na een maatregel · {markdown_literal(gemeente_name)}")
if selection.public():  # exact monthly changes per buurt: never in a public view (nor in presentatiemodus)
    st.info(PUBLIC_NOTE)
    frame.stop_page()
in_areas = query(queries.area_measures, gemeente_code=gemeente)
if in_areas.empty:
    st.info(model.NO_MEASURES.format(name=markdown_literal(gemeente_name)))
    frame.stop_page()
labels = model.measure_choices(in_areas)
choice = bound(st.selectbox, Param.MAATREGEL, "Maatregel", list(labels), key="maatregel_keuze", format_func=labels.get)
chosen = in_areas.set_index("choice_id").loc[choice]
header = model.measure(chosen)
if header.is_demo:
    selection.demo_badge()
st.markdown(header.heading)
st.caption(header.quote)

options = model.choices(query, gemeente, chosen)
left, right = st.columns(2)
start_text = bound(
    left.selectbox,
    Param.START,
    "Startmaand",
    options.starts,
    key=f"maatregel_start_{choice}",
    index=options.start,
    format_func=model.start_label,
    placeholder=model.NO_DATE,
)
option = bound(
    right.selectbox,
    Param.WAT,
    "Incidenten",
    list(options.names),
    key=f"maatregel_wat_{choice}",
    index=options.focus,
    format_func=options.names.get,
)
if options.date_note:
    left.caption(options.date_note)
if start_text is None:
    st.info(model.CHOOSE_START)
    frame.stop_page()

level = float(settings["significance_level"])
compared = model.comparison(query, (gemeente, gemeente_name), chosen, options, option, start_text, level)
st.caption(compared.caption)
st.markdown(compared.text)
title = f"{compared.option_name}: voor en na"
about = show.meta(title, compared.window, demo=compared.is_demo, origin=compared.origin)
show.provenance_badge(compared.origin)  # the figures' own: a real measure can be compared on demo counts
changes = {"Verandering (%)": ["Voor (aantal)", "Na (aantal)"]}
counted = ["Voor (aantal)", "Na (aantal)"]
show.table(compared.table, about, "voor_na_tabel", {"Verandering (%)": 1}, counts=counted, derived=changes)
chart_side, map_side = st.columns([1, 1])
with chart_side:
    series = compared.series
    show.chart(
        about, "voor_na_grafiek", charts.before_after_chart, series, compared.start, compared.chart_title, data=series
    )

geometries = (queries.area_geometries, dict(gemeente_code=gemeente, area_level="buurt"))
shapes = derived(mapping.area_shapes, {"geometries": geometries}, size=measures.MAP_SIZE)  # made once per gemeente
change_map = model.change_map(query, gemeente, chosen, compared, shapes, settings)
with map_side:
    st.markdown(change_map.heading)
    st.pydeck_chart(change_map.deck, height=measures.MAP_SIZE[1], key="maatregel_kaart")
    st.html(change_map.legend)  # HTML, no Markdown
    if change_map.out_of_view:
        st.caption(markdown_literal(change_map.out_of_view))
st.caption(measures.CAUTION + " " + selection.ATTRIBUTION)
