"""Overzicht: the key figures of the selected gemeente and year, and the published tables."""

import streamlit as st

from dashboard import routes, selection, show
from dashboard.connection import query
from ivpdata import charts, overview, provenance, queries, trends
from ivpdata.config import load_settings
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year, public = scope.gemeente_code, scope.year, selection.public()
years, options = (
    query(queries.available_years, gemeente_code=gemeente),
    query(queries.category_options, gemeente_code=gemeente),
)

st.title(f"Veiligheidsbeeld {markdown_literal(scope.gemeente_name)}")
year = show.public_year(year, years) if public else year  # public: whole calendar years from the release
st.caption(f"Overzicht {year} · vergeleken met {year - 1}")

figures = query(queries.key_figures, gemeente_code=gemeente, year=year)
figures = show.released_key_figures(figures, gemeente, year, options) if public else figures
cards = overview.key_figure_cards(figures, year, query(queries.sources))
show.provenance_badge(provenance.combined([card.badge for card in cards]), note=True)

for column, card in zip(st.columns(len(cards)), cards, strict=True):
    with column.container(border=True):
        st.metric(card.label, card.value, card.delta, delta_color="inverse", help=card.help)
        st.markdown(card.per_1000)
        badges = [show.PROVENANCE_BADGES.get(card.badge or "", "")]
        if card.is_provisional:
            badges.append(":gray-badge[Voorlopig]")
        st.caption(" ".join([*badges, markdown_literal(card.source_line)]))
        if card.comparison_note:
            st.caption(markdown_literal(card.comparison_note.capitalize() + "."))

st.subheader("Wat valt op")
settings = load_settings()
if public:  # calendar years, the release's figures only (per wijk and category, or a buurt's two totals)
    provisional = bool(years.loc[years["year"] == year, "is_provisional"].any())
    period, comparison, notable, caption, notable_notes = show.released_notable(gemeente, year, options, settings,
                                                                                provisional)  # fmt: skip
else:
    period, comparison = trends.last_twelve_months(trends.reference_month(years, year))
    changes = query(
        queries.buurt_category_changes, gemeente_code=gemeente, area_level="buurt", period=period, comparison=comparison
    )
    level, min_count, limit = (float(settings["significance_level"]), int(settings["notable_min_count"]),
                               int(settings["notable_changes"]))  # fmt: skip
    notable, notable_notes = trends.notable_changes(changes, level, min_count, limit), []
    tested = int(trends.testable(changes, min_count).sum())
    provisional = bool(years.loc[years["year"].between(period[0].year, period[1].year), "is_provisional"].any())
    caption = trends.notable_caption(period, comparison, tested, level, len(changes) - tested, min_count, provisional,
                                     not_compared=trends.not_compared(changes, min_count))  # fmt: skip
# Links carry gemeente, jaar and the public view (and presentatiemodus), so that one opened in a new tab
# shows the same case: a page link replaces all query parameters.
context = {"gemeente": gemeente, "jaar": str(year)} | ({"openbaar": "ja"} if public else {})
if st.query_params.get(selection.MODE_PARAM) == selection.MODE_VALUE:
    context[selection.MODE_PARAM] = selection.MODE_VALUE
if comparison is None or comparison[0] < trends.first_month(years):
    st.info("Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder.")
else:
    st.caption(caption)
    for change in notable.itertuples():
        text, trend_link, map_link = st.columns([6, 1, 1], vertical_alignment="center")
        names = {
            "area_name": markdown_literal(change.area_name),
            "category_name": markdown_literal(change.category_name),
        }
        text.markdown(trends.notable_text(change._asdict() | names))
        trend_link.page_link(routes.TRENDS.file, label="Trend",
                             query_params=trends.trend_link(change, period, comparison, context, public))  # fmt: skip
        map_link.page_link(routes.KAART.file, label="Kaart",
                           query_params=trends.map_link(change, period, comparison, context))  # fmt: skip
    if notable.empty:
        st.info(f"Geen verandering per {'wijk of ' if public else ''}buurt en categorie die buiten het toeval valt.")
    if notable_notes:
        st.caption(markdown_literal(" ".join(notable_notes)))

st.subheader("Gepubliceerde cijfers")
comparisons = query(queries.published_comparisons, gemeente_code=gemeente)
series = query(queries.published_series, gemeente_code=gemeente)
if not comparisons.empty:
    kinds = [("overlast", "Overlast"), ("misdrijf", "Misdrijven")]
    sources = "; ".join(sorted(set(comparisons["source_title"])))
    for column, (kind, title) in zip(st.columns(len(kinds)), kinds, strict=True):
        subset = comparisons[comparisons["category_kind"] == kind]
        if subset.empty:
            continue
        first, last = int(subset["from_year"].min()), int(subset["to_year"].max())
        with column:
            about = show.meta(f"{title} {first} en {last}", f"{first} en {last}", demo=False, source=sources)
            show.chart(about, f"overzicht_{kind}", charts.published_comparison_chart, subset, about.title, data=subset)
    st.caption(f"Bron: {markdown_literal(sources)}. Percentages zoals gepubliceerd.")
    for note in overview.discrepancy_notes(comparisons):
        st.caption(f"\\{charts.DISCREPANCY_MARK} {markdown_literal(note)}")
totals = series[series["category_code"] == "0.0.0"]
if not totals.empty:
    about = show.meta(f"Geregistreerde misdrijven {scope.gemeente_name}", "alle jaren", demo=False,
                      source=f"{totals['attribution'].iloc[0]}, {totals['source_title'].iloc[0]}")  # fmt: skip
    show.chart(about, "overzicht_reeks", charts.published_series_chart, totals, about.title, data=totals)
    source = f"{totals['attribution'].iloc[0]}, {totals['source_title'].iloc[0]}"
    st.caption(f"{markdown_literal(source)}. Door CBS afgerond op vijftallen.")
if comparisons.empty and totals.empty:
    st.info("Voor deze gemeente zijn geen cijfers uit plandocumenten opgenomen.")

st.subheader(f"Wijken in {year}")
wijken = query(queries.wijk_summary, gemeente_code=gemeente, year=year)
min_inhabitants = int(settings["min_inhabitants_for_rate"]["wijk"])
wijk_table, notes = (
    show.released_wijk_table(wijken, gemeente, year, options, min_inhabitants) if public
    else overview.wijk_table(wijken, min_inhabitants)
)  # fmt: skip
st.table(wijk_table.assign(Wijk=wijk_table["Wijk"].map(markdown_literal)))  # cells are Markdown
st.caption(" ".join([overview.few_inhabitants_note(min_inhabitants), *notes]))
if not selection.presenting():
    about = show.meta(f"Wijken in {year}", str(year), demo=True, origin=overview.wijk_provenance(wijken))
    show.export_menu(about, "overzicht_wijken", data=wijk_table)
origin = provenance.label(overview.wijk_provenance(wijken)).lower()
st.caption(f"Geregistreerde misdrijven en overlast per wijk; {origin}. " + selection.ATTRIBUTION)
