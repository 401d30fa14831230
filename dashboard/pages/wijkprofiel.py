"""Wijkprofiel: one wijk, buurt or area group on one printable page."""

import streamlit as st

from dashboard import connection, frame, links, permalinks, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, periods, trends
from ivpdata.page_models import wijkprofiel as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
frame.print_layout()

menu = model.menu(query, gemeente, scope.gemeente_name)
labels, names = menu.labels, menu.option_names
where, what = st.columns(2)
with where:
    target = bound(st.selectbox, Param.GEBIED, "Gebied", list(labels), key="profiel_gebied", format_func=labels.get)
with what:
    option = bound(
        st.selectbox,
        Param.WAT,
        "Onderwerp uitlichten",
        list(names),
        key="profiel_wat",
        index=None,
        format_func=names.get,
        placeholder="Geen: de vaste onderwerpen",
    )
st.title(markdown_literal(menu.name(target)))
public = selection.public()
if public:  # whole calendar years from the release; a link's period is refused with a note
    year = show.public_year(year, menu.years)
    if note := periods.public_note(st.query_params.get(Param.PERIODE), periods.calendar_year(year)):
        st.info(note)
    period = None
else:  # a link's period (the Kaart's), while the sidebar's year is the link's
    if permalinks.from_url("profiel_periode", Param.PERIODE, menu.months(), "range"):
        st.session_state["profiel_periode_jaar"] = year
    if st.session_state.get("profiel_periode_jaar") != year:
        st.session_state.pop("profiel_periode", None)
    period = st.session_state.get("profiel_periode")
permalinks.to_url(Param.PERIODE, period)
st.caption(model.heading(menu, target, year, period, printable=not selection.presenting()))
if period not in (None, periods.calendar_year(year)) and st.button(
    f"Heel {year} tonen", key="profiel_heel_jaar", icon=":material/calendar_month:"
):
    del st.session_state["profiel_periode"]
    st.rerun()
rules = selection.disclosure_rules() if public else None
config = show.config_version()
figures = connection.modelled(
    show.profile_figures, gemeente, scope.gemeente_name, target, year, rules, config, option, period
)
show.provenance_badge(figures.origin)

st.subheader(f"Kerncijfers tegen de stad, {figures.period}")
about = show.meta(figures.title, figures.period, demo=False, origin=figures.origin, provisional=figures.provisional)
show.table(figures.table, about, "profiel_kerncijfers", trends.PROFILE_DECIMALS, figures.notes, static=True)
st.caption(figures.caption)
if figures.rank:
    st.markdown(figures.rank)
if selection.presenting():
    frame.stop_page()  # one view per screen: the key figures against the city (Trends has the chart)

main, side = st.columns(2, gap="large")  # side by side on paper too: one A4 landscape page
with main:
    st.subheader("Ontwikkeling")
    chart = connection.modelled(show.profile_development, gemeente, scope.gemeente_name, target, rules, config, option)
    about = show.meta(chart.heading, chart.period, demo=chart.demo)
    show.chart(about, "profiel_trend", charts.trend_chart, *chart.chart_args, data=chart.export)
    st.caption(chart.caption)
    trend_link = links.area_trend_link(selection.case_context(), (target, gemeente), option)
    st.page_link(routes.TRENDS.file, label="Meer trends voor dit gebied", query_params=trend_link)

with side:
    notes = model.notes(query, target)
    st.subheader("Maatregelen in dit gebied")
    for line in notes.measures:
        st.markdown(line)
    if notes.no_measures:
        st.caption(notes.no_measures)
    st.subheader("Wat bewoners zeggen")
    for quote in notes.quotes:
        st.markdown(quote)
    if notes.no_quotes:
        st.caption(notes.no_quotes)

    st.subheader("Bewonersonderzoek")
    survey = model.survey(query, menu, target)
    if survey.table is None:
        st.caption(survey.empty)
    else:
        about = show.meta(survey.title, "alle jaren", demo=survey.demo, source=survey.source)
        with st.container(key="scherm_bewonersonderzoek"):  # on screen only (frame.print_layout)
            show.table(survey.table, about, "profiel_bewonersonderzoek", {"Waarde": None, "Marge (±)": None})
        with st.container(key="druk_bewonersonderzoek"):  # on paper only
            st.caption(survey.printed)
