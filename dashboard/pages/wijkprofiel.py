"""Wijkprofiel: one wijk, buurt or area group on one printable page."""

import datetime as dt

import streamlit as st

from dashboard import frame, routes, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import charts, formatting, periods, queries, trends
from ivpdata.config import load_periods, load_settings
from ivpdata.measures import profile_measure_line, profile_quote
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
settings = load_settings()
frame.print_layout()

areas = query(queries.area_options, gemeente_code=gemeente)
areas = areas[areas["target_level"] != "gemeente"]
labels = dict(zip(areas["target_code"], trends.target_labels(areas), strict=True))
target = bound(st.selectbox, "gebied", "Gebied", list(labels), key="profiel_gebied", format_func=labels.get)
row = areas.set_index("target_code").loc[target]
st.title(markdown_literal(row["target_name"]))
rules, public, years = (
    selection.disclosure_rules(),
    selection.public(),
    query(queries.available_years, gemeente_code=gemeente),
)
year = show.public_year(year, years) if public else year  # public: whole calendar years from the release
st.caption(
    f"{markdown_literal(labels[target])} in {markdown_literal(scope.gemeente_name)} · {year} vergeleken met "
    f"{year - 1} · afdrukken met Ctrl+P"
)

options = query(queries.category_options, gemeente_code=gemeente)
option_names = dict(zip(options["option_code"], options["option_name"], strict=True))
codes_by_option = options.set_index("option_code")["category_codes"]
shown = [o for o in trends.PROFILE_OPTIONS if o in codes_by_option]
both = (target, gemeente)
views = (show.profile_views(gemeente, target, row["target_level"], shown, options) if public
         else {o: rules.public_view(codes_by_option[o], "gemeente") for o in shown})  # fmt: skip
counts = {
    option: query(
        queries.target_month_counts, gemeente_code=gemeente, target_codes=both, category_codes=views[option][0]
    )
    for option in shown
}
population = query(queries.target_population, target_codes=both)
level = float(settings["significance_level"])
# A provisional or incomplete year says so in its column, as the charts draw it dashed.
status = years.set_index("year").reindex([year, year - 1])
months = int(status.at[year, "last_month"]) if status.at[year, "months"] < 12 else 12
figures, public_notes = (
    show.released_profile(gemeente, target, row["target_level"], year, population, shown, options, level) if public
    else (trends.profile_figures(counts, population, target, gemeente, year, option_names, level, months), [])
)  # fmt: skip
incomplete = {y: f"t/m {periods.month_label(dt.date(y, int(s.last_month), 1))}" for y, s in status.iterrows()
              if s.months < 12}  # fmt: skip
provisional = [y for y, s in status.iterrows() if s.is_provisional is True or y in incomplete]
tags = {y: f"Aantal {y} ({', '.join(filter(None, ['voorlopig', incomplete.get(y)]))})" for y in provisional}
figures = figures.rename(columns={f"Aantal {y}": tag for y, tag in tags.items()})
show.provenance_badge(trends.counts_provenance(counts))
st.subheader("Kerncijfers tegen de stad")
show.table(  # public: labelled from the release already
    figures, show.meta(f"Kerncijfers {labels[target]}", str(year), demo=True, origin=trends.counts_provenance(counts),
                       provisional=f"ja, {' en '.join(tags.values())}" if tags else "nee"), "profiel_kerncijfers",
    trends.PROFILE_DECIMALS, public_notes, static=True,
)  # fmt: skip
st.caption(
    f"Oordeel: exacte Poisson-toets op het aantal tegen het jaar ervoor (niveau {formatting.number(level * 100)}%). "
    "Index: per 1.000 inwoners, de stad = 100."
    + "".join(f" {y} is voorlopig: de cijfers van de laatste maanden kunnen nog veranderen." for y in provisional)
    + "".join(
        f" {y} is nog niet compleet ({to}): vergeleken met dezelfde maanden van {y - 1}."
        for y, to in incomplete.items()
    )
)

if row["target_level"] in ("wijk", "buurt"):
    rank = show.profile_rank(gemeente, row["target_level"], target, year, options, shown[0], settings)
    st.markdown(f"**Rang onder de {row['target_level']}en** ({markdown_literal(option_names[shown[0]].lower())}): "
                f"{rank}")  # fmt: skip

st.subheader("Ontwikkeling")
data = trends.chart_data(
    {shown[0]: counts[shown[0]]}, population, "year", "per_1000", False, None,
    dict(zip([target, gemeente], [labels[target], scope.gemeente_name], strict=True)), option_names,
)  # fmt: skip
notes = query(queries.target_notes, target_code=target)
data, chart_notes = show.released_trends(
    data, gemeente, {target: row["target_level"], gemeente: "gemeente"}, {shown[0]: views[shown[0]][0]}, None, options
) if public else (data, [])  # fmt: skip
title = f"{option_names[shown[0]]} per 1.000 inwoners per jaar"
show.chart(
    show.meta(f"{title}, {labels[target]}", "alle jaren", demo=bool(data["is_demo"].any())), "profiel_trend",
    charts.trend_chart, data, title, "Per 1.000 inwoners", ",.1f", trends.lockdowns(load_periods()),
    trends.measure_markers({target: notes}), "%Y", data=trends.export_table(data),
)  # fmt: skip
st.caption(" ".join(chart_notes))
st.page_link(routes.TRENDS.file, label="Meer trends voor dit gebied", query_params={"gebied": f"{target},{gemeente}"})

left, right = st.columns(2)
with left:
    st.subheader("Maatregelen in dit gebied")
    measures = notes[notes["kind"] == "maatregel"]
    for note in measures.itertuples():  # from the documents, and recorded ones (with a period and result)
        st.markdown(profile_measure_line(note))
    if measures.empty:
        st.caption("Geen maatregelen voor dit gebied in de plandocumenten of de eigen registratie.")
with right:
    st.subheader("Wat bewoners zeggen")
    for note in notes[notes["kind"] == "citaat"].itertuples():
        st.markdown(profile_quote(note))
    if (notes["kind"] == "citaat").sum() == 0:
        st.caption("Geen citaten over dit gebied in de plandocumenten.")

st.subheader("Bewonersonderzoek")
survey = query(queries.target_survey, target_code=target)
if survey.empty:
    st.caption("Geen resultaten van een bewonersonderzoek voor dit gebied (laden via Data beheer, sjabloon).")
else:
    names = {"year": "Jaar", "question": "Vraag", "value": "Waarde", "unit": "Eenheid", "respondents": "Respondenten",
             "margin": "Marge (±)", "source_title": "Bron"}  # fmt: skip
    table = survey.astype({"year": str}).rename(columns=names)[list(names.values())].dropna(axis=1, how="all")
    about = show.meta(f"Bewonersonderzoek {labels[target]}", "alle jaren", demo=bool(survey["is_demo"].any()),
                      source=", ".join(survey["source_title"].unique()))  # fmt: skip
    show.table(table, about, "profiel_bewonersonderzoek", {"Waarde": None, "Marge (±)": None})
