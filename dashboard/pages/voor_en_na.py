"""Voor en na: incidents in the months before and after a measure taken in an area, against the
rest of the gemeente, with the significance rule of the trends work, and the change on a map."""

import datetime as dt

import streamlit as st

from dashboard import frame, selection, show
from dashboard.connection import derived, query
from dashboard.permalinks import bound
from ivpdata import charts, mapping, measures, periods, provenance, queries, trends
from ivpdata.config import load_settings
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
    st.info(f"Voor {markdown_literal(gemeente_name)} zijn nog geen maatregelen in een bekend gebied vastgelegd.")
    frame.stop_page()
choices = in_areas.set_index("choice_id")
choice = bound(
    st.selectbox, "maatregel", "Maatregel", list(choices.index), key="maatregel_keuze",
    format_func=lambda c: measures.option_label(choices.loc[c]),
)  # fmt: skip
chosen = choices.loc[choice]
if chosen["is_demo"]:
    selection.demo_badge()
st.markdown(
    f"**{markdown_literal(chosen['label'])}** · {markdown_literal(chosen['target_name'])} · "
    + markdown_literal(chosen["priority_name"] or "geen prioriteit")
)
st.caption(f"“{markdown_literal(chosen['description'])}” ({markdown_literal(chosen['source_title'])})")

years = query(queries.available_years, gemeente_code=gemeente)
first_month = dt.date(int(years["year"].min()), 1, 1)
last_month = trends.reference_month(years, int(years["year"].max()))
start_months = measures.start_months(first_month, last_month)
starts = [m.isoformat()[:7] for m in start_months]
default = measures.default_start(chosen["start_date"], start_months)
options = query(queries.category_options, gemeente_code=gemeente)
names = dict(zip(options["option_code"], options["option_name"], strict=True))
focus = measures.default_focus(chosen["incident_focus"], options)
left, right = st.columns(2)
start_text = bound(
    left.selectbox, "start", "Startmaand", starts, key=f"maatregel_start_{choice}",
    index=starts.index(default.isoformat()[:7]) if default else None,
    format_func=lambda m: periods.month_label(dt.date.fromisoformat(f"{m}-01")),
    placeholder="Kies de startmaand: het document noemt geen datum",
)  # fmt: skip
option = bound(
    right.selectbox, "wat", "Incidenten", list(names), key=f"maatregel_wat_{choice}",
    index=list(names).index(focus), format_func=names.get,
)  # fmt: skip
if isinstance(chosen["date_note"], str):
    left.caption(
        f"Start volgens het document: {trends.note_when(chosen['start_date'], chosen['date_note'])}: "
        f"{markdown_literal(chosen['date_note'])}"
    )
if start_text is None:
    st.info("Kies een startmaand om de maanden ervoor en erna te vergelijken.")
    frame.stop_page()
start = dt.date.fromisoformat(f"{start_text}-01")
span = measures.windows(start, first_month, last_month)
codes = tuple(options.set_index("option_code").loc[option, "category_codes"])
counts = query(
    queries.target_month_counts, gemeente_code=gemeente, target_codes=(chosen["target_code"], gemeente),
    category_codes=codes,
)  # fmt: skip
totals = trends.monthly_totals(counts)
level = float(settings["significance_level"])
comparison = measures.before_after(
    totals, chosen["target_code"], gemeente, (chosen["target_name"], gemeente_name), span, level
)
comparison = trends.before_after_alike(comparison, counts, (chosen["target_code"], gemeente), span.before, span.after)
series = measures.before_after_series(totals, chosen["target_code"], span)
st.caption(f"{markdown_literal(names[option])} · {measures.window_caption(span, series)}")
st.markdown(measures.before_after_text(comparison))
demo, origin = bool(totals["is_demo"].any()), trends.counts_provenance({option: counts})
about = show.meta(f"{names[option]}: voor en na", measures.window_caption(span, series), demo=demo, origin=origin)
show.provenance_badge(origin if origin == provenance.MIXED else None)
show.table(
    measures.comparison_table(comparison), about, "voor_na_tabel", {"Verandering (%)": 1},
    counts=["Voor (aantal)", "Na (aantal)"], derived={"Verandering (%)": ["Voor (aantal)", "Na (aantal)"]},
)  # fmt: skip
chart_side, map_side = st.columns([1, 1])
title = f"{names[option]} in {chosen['target_name']} per maand"
with chart_side:
    show.chart(about, "voor_na_grafiek", charts.before_after_chart, series, start, title, data=series)
thresholds = mapping.thresholds_for(settings, "buurt")
area_counts = query(
    queries.area_counts, gemeente_code=gemeente, area_level="buurt", category_codes=codes,
    period=span.after, comparison=span.before,
)  # fmt: skip
values, _, _, bounds = mapping.map_values(area_counts, "change", thresholds)
geometries = (queries.area_geometries, dict(gemeente_code=gemeente, area_level="buurt"))
shapes = derived(mapping.area_shapes, {"geometries": geometries}, size=measures.MAP_SIZE)  # made once per gemeente
outline = measures.outline_rows(
    query(queries.target_outlines, gemeente_code=gemeente, target_codes=(chosen["target_code"],)), chosen["label"]
)
features = mapping.feature_collection(shapes, values, "change", bounds, None)
deck = mapping.map_deck(
    features, mapping.view_for(shapes, size=measures.MAP_SIZE), mapping.map_style_for(settings),
    groups=mapping.group_outlines(outline), hatches=mapping.hatching(shapes, values),
)  # fmt: skip
with map_side:
    st.markdown(f"**Verandering per buurt, na tegen voor** · {markdown_literal(names[option])}")
    st.pydeck_chart(deck, height=measures.MAP_SIZE[1], key="maatregel_kaart")
    entries = mapping.legend("change", bounds, not values["is_stable"].all(), mapping.UNSTABLE_TEXT)
    st.html(mapping.legend_html(entries + mapping.group_legend(outline, "maatregel")))  # HTML, no Markdown
st.caption(measures.CAUTION + " " + selection.ATTRIBUTION)
