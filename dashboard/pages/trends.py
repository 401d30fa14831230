"""Trends: how categories develop in chosen areas, and CompStat: which changes are beyond chance."""

import datetime as dt

import streamlit as st

from dashboard import frame, permalinks, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import charts, disclosure, formatting, periods, queries, trends
from ivpdata.config import load_periods, load_settings
from ivpdata.safetext import markdown_literal


def year_text(year: int) -> str:
    """The index base year as the selectbox and the URL show it; 0: no index. (Not None: a selectbox
    set to None from a link would show its empty placeholder instead of 'geen'.)"""
    return "geen" if not year else str(year)


scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
settings = load_settings()

st.title(f"Trends {markdown_literal(scope.gemeente_name)}")
areas = query(queries.area_options, gemeente_code=gemeente)
area_names = dict(zip(areas["target_code"], trends.target_labels(areas), strict=True))
options = query(queries.category_options, gemeente_code=gemeente)
option_names = dict(zip(options["option_code"], options["option_name"], strict=True))
top = st.columns([3, 3])
targets = bound(
    top[0].multiselect, "gebied", "Gebieden", list(area_names), key="trends_gebieden", default=[gemeente],
    format_func=area_names.get, max_selections=6, placeholder="Kies gebieden",
) or [gemeente]  # fmt: skip
chosen = bound(
    top[1].multiselect, "wat", "Wat", list(option_names), key="trends_wat", default=[options["option_code"].iloc[0]],
    format_func=option_names.get, max_selections=4, placeholder="Kies categorieën",
) or [options["option_code"].iloc[0]]  # fmt: skip
row = st.columns([2, 2, 2, 2])
frequency = bound(
    row[0].radio, "per", "Per", list(trends.FREQUENCIES), format_func=trends.FREQUENCIES.get, key="trends_per"
)
measure = bound(row[1].radio, "maat", "Maat", list(trends.MEASURES), format_func=trends.MEASURES.get, key="trends_maat")
rolling = bound(row[2].toggle, "12m", "Voortschrijdend 12 maanden", key="trends_12m", disabled=frequency != "month")
public = selection.public()
if public and (frequency != "year" or rolling):  # public figures are whole calendar years
    st.caption("Openbare weergave: cijfers per kalenderjaar, zodat geen klein aantal uit het verschil van twee "
               "periodes volgt.")  # fmt: skip
frequency, rolling = ("year", False) if public else (frequency, rolling)
available = query(queries.available_years, gemeente_code=gemeente)
years, months = [int(y) for y in available["year"]], trends.view_months(available)
base_year = bound(
    row[3].selectbox, "index", "Index (basisjaar = 100)", [0, *years], format_func=year_text, to_text=year_text,
    key="trends_index",
) or None  # fmt: skip

# The months in view: in the URL (?maanden=2024-01..2025-12) only when not all of them, as "Wat valt op" links.
permalinks.from_url("trends_periode", "maanden", months, "range")
window = st.select_slider("Periode", months, value=(months[0], months[-1]), format_func=periods.month_label,
                          key="trends_periode")  # fmt: skip
permalinks.to_url("maanden", window if window != (months[0], months[-1]) else None)

codes_by_option = options.set_index("option_code")["category_codes"]
rules, levels = selection.disclosure_rules(), dict(zip(areas["target_code"], areas["target_level"], strict=True))
lowest = min((levels[t] for t in targets), key=disclosure.level_rank) if public else "gemeente"
views = {option: show.public_selection(codes_by_option[option], lowest, options) for option in chosen}
counts = {option: query(queries.target_month_counts, gemeente_code=gemeente, target_codes=tuple(targets),
                           category_codes=views[option][0]) for option in chosen}  # fmt: skip
population = query(queries.target_population, target_codes=tuple(targets))
data = trends.chart_data(counts, population, frequency, measure, rolling, base_year, area_names, option_names)
data = trends.in_view(data, window, frequency)  # computed over all months: a rolling sum starts whole
markers = trends.measure_markers({code: query(queries.target_notes, target_code=code) for code in targets})
markers = trends.markers_in_view(markers, window)
show.provenance_badge(trends.counts_provenance(counts))
codes = {option: view[0] for option, view in views.items()}
data, chart_notes = show.released_trends(data, gemeente, levels, codes, base_year, options) if public else (data, [])
chart_notes = list(dict.fromkeys(note for _, _, note in views.values() if note)) + chart_notes
chart_notes.append(markdown_literal(trends.gaps_note(counts, area_names)))  # months no file covered: never 0
title = trends.chart_title(measure, frequency, rolling, base_year)
filters = {"Gebieden": ", ".join(area_names[t] for t in targets), "Wat": ", ".join(option_names[o] for o in chosen)}
show.chart(
    show.meta(title, periods.label(window), demo=data["is_demo"].any(), filters=filters,
              origin=trends.counts_provenance(counts)), "trends_grafiek",
    charts.trend_chart, data, title, trends.y_title(measure, base_year), trends.value_format(measure, base_year),
    trends.lockdowns(load_periods()), markers, trends.TIME_FORMATS[frequency], data=trends.export_table(data),
)  # fmt: skip
st.caption(" ".join(chart_notes))
if selection.presenting():
    frame.stop_page()  # one view per screen: the chart

st.subheader("Vergelijking met een jaar eerder")
reference = trends.reference_month(available, year)
windows = periods.compstat_windows(reference)
if public and (
    shown_year := periods.public_year(year, [int(y) for y in available.loc[available["months"] == 12, "year"]])
):
    reference, windows = dt.date(shown_year, 12, 1), [periods.calendar_window(shown_year)]
all_codes = list(options.loc[options["option_kind"] == "categorie", "option_code"])
level = float(settings["significance_level"])


def compstat_table(target: str) -> None:
    """One area's CompStat table: its tests corrected for each other (in a public view only the
    shown cells of the release), caption, provisional columns and export."""
    category_counts = query(
        queries.target_month_counts, gemeente_code=gemeente, target_codes=(target,), category_codes=tuple(all_codes)
    )
    table = trends.compstat(category_counts, windows, level, option_names)
    table, notes = show.released_compstat(table, gemeente, target, levels[target], options) if public else (table, [])
    table = trends.corrected(table, level)
    matrix = trends.compstat_matrix(table, windows, all_codes)
    provisional = trends.provisional_windows(category_counts, windows)
    st.caption(trends.compstat_caption(area_names[target], reference, level, table))
    styles = trends.verdict_styles(matrix)
    st.dataframe(
        matrix.style.apply(lambda _: styles, axis=None), hide_index=True, width="stretch",
        placeholder=formatting.MISSING, height=min(38 + 35 * len(matrix), 720),
        column_config={"Categorie": st.column_config.TextColumn(width=250), **trends.compstat_headers(provisional)},
    )  # fmt: skip
    st.caption(" ".join([trends.provisional_note(provisional), *notes]))
    about = show.meta(
        f"Vergelijking met een jaar eerder, {area_names[target]}", f"peilmaand {periods.month_label(reference)}",
        demo=bool(category_counts["is_demo"].any()), provisional=trends.provisional_note(provisional) or "nee",
        origin=trends.counts_provenance({target: category_counts}),
    )  # fmt: skip
    show.export_menu(about, f"trends_compstat_{target}", data=trends.compstat_export(table, provisional))


tabs = st.tabs([markdown_literal(area_names[t]) for t in targets]) if len(targets) > 1 else [st.container()]
for tab, target in zip(tabs, targets, strict=True):
    with tab:
        compstat_table(target)
