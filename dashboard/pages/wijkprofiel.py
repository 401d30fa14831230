"""Wijkprofiel: one wijk, buurt or area group on one printable page."""

import streamlit as st

from dashboard import connection, frame, links, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import charts, trends
from ivpdata.page_models import wijkprofiel as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
frame.print_layout()

menu = model.menu(query, gemeente, scope.gemeente_name)
labels = menu.labels
target = bound(st.selectbox, Param.GEBIED, "Gebied", list(labels), key="profiel_gebied", format_func=labels.get)
st.title(markdown_literal(menu.name(target)))
public = selection.public()
year = show.public_year(year, menu.years) if public else year  # public: whole calendar years from the release
st.caption(model.heading(menu, target, year))
rules = selection.disclosure_rules() if public else None

figures = connection.modelled(
    show.profile_figures, gemeente, scope.gemeente_name, target, year, rules, show.config_version()
)
show.provenance_badge(figures.origin)
st.subheader("Kerncijfers tegen de stad")
about = show.meta(figures.title, figures.period, demo=True, origin=figures.origin, provisional=figures.provisional)
show.table(figures.table, about, "profiel_kerncijfers", trends.PROFILE_DECIMALS, figures.notes, static=True)
st.caption(figures.caption)
if figures.rank:
    st.markdown(figures.rank)

st.subheader("Ontwikkeling")
chart = connection.modelled(
    show.profile_development, gemeente, scope.gemeente_name, target, rules, show.config_version()
)
about = show.meta(chart.heading, chart.period, demo=chart.demo)
show.chart(about, "profiel_trend", charts.trend_chart, *chart.chart_args, data=chart.export)
st.caption(chart.caption)
trend_link = links.area_trend_link((target, gemeente))
st.page_link(routes.TRENDS.file, label="Meer trends voor dit gebied", query_params=trend_link)

notes = model.notes(query, target)
left, right = st.columns(2)
with left:
    st.subheader("Maatregelen in dit gebied")
    for line in notes.measures:
        st.markdown(line)
    if notes.no_measures:
        st.caption(notes.no_measures)
with right:
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
    show.table(survey.table, about, "profiel_bewonersonderzoek", {"Waarde": None, "Marge (±)": None})
