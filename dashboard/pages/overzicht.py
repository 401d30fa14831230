"""Overzicht: the key figures of the selected gemeente and year, and the published tables."""

import streamlit as st

from dashboard import connection, frame, links, routes, selection, show
from dashboard.connection import query
from ivpdata import charts, queries
from ivpdata.page_models import overzicht
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year, public = scope.gemeente_code, scope.year, selection.public()
years = query(queries.available_years, gemeente_code=gemeente)

st.title(f"Veiligheidsbeeld {markdown_literal(scope.gemeente_name)}")
year = show.public_year(year, years) if public else year  # public: whole calendar years from the release
st.caption(f"Overzicht {year} · vergeleken met {year - 1}")
rules = selection.disclosure_rules() if public else None
page = connection.modelled(show.overview, gemeente, scope.gemeente_name, year, rules, show.config_version())

key = page.key
show.provenance_badge(key.origin, note=True)
for column, card in zip(st.columns(len(key.cards)), key.cards, strict=True):
    with column.container(border=True):
        st.metric(card.label, card.value, card.delta, delta_color="inverse", help=card.help)
        st.markdown(card.per_1000)
        badges = [show.PROVENANCE_BADGES.get(card.badge or "", "")]
        if card.is_provisional:
            badges.append(":gray-badge[Voorlopig]")
        if any(badges):  # not in the caption: its faded text would fade the badges below AA contrast
            st.markdown(" ".join(badges))
        st.caption(markdown_literal(card.source_line))
        if card.comparison_note:
            st.caption(markdown_literal(card.comparison_note.capitalize() + "."))
if key.notes:  # a public view: what its figures hide or leave out, as the PDF says under them
    st.caption(" ".join(key.notes))

st.subheader("Wat valt op")
notable = page.notable
context = selection.case_context(year)
if notable.comparison is None:
    st.info(overzicht.NO_COMPARISON)
else:
    st.caption(notable.short_caption if selection.presenting() else notable.caption)  # a slide: one line
    if selection.presenting():  # a slide: the largest changes in one block, without links
        changes, more = overzicht.slide_changes(notable)
        if changes:
            st.markdown("  \n".join(change.markdown for change in changes))
        if more:
            st.caption(more)
    for change in [] if selection.presenting() else notable.changes:
        text, trend_link, map_link = st.columns([6, 1, 1], vertical_alignment="center")
        text.markdown(change.markdown)
        trend = links.trend_link(change, notable.period, notable.comparison, context, public)
        trend_link.page_link(routes.TRENDS.file, label="Trend", query_params=trend)
        kaart = links.map_link(change, notable.period, notable.comparison, context)
        map_link.page_link(routes.KAART.file, label="Kaart", query_params=kaart)
    if not notable.changes and selection.presenting():
        st.markdown(notable.none_text)  # a slide: a line, not a box
    elif not notable.changes:
        st.info(notable.none_text)
    if notable.notes:
        st.caption(markdown_literal(" ".join(notable.notes)))

if selection.presenting():
    frame.stop_page()  # one view per screen: the key figures and what stands out
st.subheader("Gepubliceerde cijfers")
published = page.published
if published.comparisons:
    for column, shown in zip(st.columns(len(published.comparisons)), published.comparisons, strict=True):
        if shown.data.empty:
            continue
        with column:
            about = show.meta(shown.title, shown.period, demo=False, source=published.sources)
            chart = charts.published_comparison_chart
            show.chart(about, f"overzicht_{shown.kind}", chart, shown.data, about.title, data=shown.data)
    st.caption(f"Bron: {markdown_literal(published.sources)}. Percentages zoals gepubliceerd.")
    for note in published.discrepancy_notes:
        st.caption(f"\\{charts.DISCREPANCY_MARK} {markdown_literal(note)}")
if not published.totals.empty:
    totals = published.totals
    about = show.meta(published.totals_title, "alle jaren", demo=False, source=published.totals_source)
    show.chart(about, "overzicht_reeks", charts.published_series_chart, totals, about.title, data=totals)
    st.caption(f"{markdown_literal(published.totals_source)}. Door CBS afgerond op vijftallen.")
if published.empty:
    st.info(overzicht.NO_PUBLISHED)

st.subheader(f"Wijken in {year}")
wijken = page.wijken
st.table(wijken.table.assign(Wijk=wijken.table["Wijk"].map(markdown_literal)))  # cells are Markdown
st.caption(wijken.notes)
if not selection.presenting():
    about = show.meta(f"Wijken in {year}", str(year), demo=False, origin=wijken.origin)  # demo: by its rows
    show.export_menu(about, "overzicht_wijken", data=wijken.table)
st.caption(f"{wijken.about} {selection.ATTRIBUTION}")
