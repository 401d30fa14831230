"""The Kaart page model on the default database: what the Kaart shows for a choice, computed
without Streamlit (ivpdata.page_models.kaart with fetch.on)."""

from __future__ import annotations

import json

from ivpdata import briefing, disclosure, fetch, formatting, hotspots, mapping, queries
from ivpdata.config import load_settings
from ivpdata.page_models import kaart as model
from ivpdata.periods import calendar_year
from ivpdata.safetext import markdown_literal
from tests.support import decks

GEMEENTE = "GM0505"


def _choice(con, option: str, level: str, measure: str, year: int = 2025, compared: bool = True, **public):
    options = queries.category_options(con, GEMEENTE).set_index("option_code")
    codes = tuple(options.loc[option, "category_codes"])
    earlier = calendar_year(year - 1) if compared else None
    name = options.loc[option, "option_name"]
    return model.Choice(GEMEENTE, name, codes, level, measure, calendar_year(year), earlier, **public)


def _public(con, option: str, level: str, measure: str, year: int = 2024) -> model.Choice:
    settings, options = load_settings(), queries.category_options(con, GEMEENTE)
    rules = disclosure.Rules.from_settings(settings)
    releases = briefing.public_releases(con, GEMEENTE, options, rules)
    return _choice(con, option, level, measure, year, releases=releases, rules=rules)


def test_the_caption_table_and_export_header_of_a_choice(con):
    choice = _choice(con, "1.1.1", "wijk", "count")
    view = model.kaart(fetch.on(con), choice, load_settings())
    name = choice.option_name
    periods = "jan 2025 - dec 2025 vergeleken met jan 2024 - dec 2024"
    assert view.caption == f"{markdown_literal(name)} · {periods} · Aantal per wijk"
    assert view.no_comparison is None and view.grey is None and view.offers == []
    counts = queries.area_counts(con, GEMEENTE, "wijk", choice.codes, calendar_year(2025), calendar_year(2024))
    assert view.table_title == "Tabel per wijk"
    assert view.table["Aantal"].sum() == counts["incident_count"].sum() > 0
    assert sorted(view.table["Code"]) == sorted(view.area_codes) == sorted(counts["area_code"])
    assert view.about.title == f"{name} per wijk" and view.about.filters == {"Niveau": "wijk"}
    without = model.kaart(fetch.on(con), _choice(con, "1.1.1", "wijk", "change", compared=False), load_settings())
    assert view.described.startswith(without.described) and without.described == "jan 2025 - dec 2025"
    assert without.no_comparison == "Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder."


def test_an_all_grey_view_says_why_and_offers_choices_not_url_parameters(con):
    choice = _choice(con, "1.1.1", "buurt", "change")  # woninginbraak per buurt: too few before everywhere
    view = model.kaart(fetch.on(con), choice, load_settings())
    assert view.grey == "Alle buurten zijn grijs: minder dan 10 incidenten in de vergelijkingsperiode."
    assert view.offers == [
        mapping.Offer("Bekijk per wijk", level="wijk"),
        mapping.Offer("Toon aantallen", measure="count"),
    ]
    hexagons = model.kaart(fetch.on(con), choice, load_settings(), hexagons=True)
    assert hexagons.grey is None and hexagons.offers == []  # the areas are a background for the hexagons


def test_the_map_with_hatching_group_outlines_and_their_legend(con):
    choice = _choice(con, "1.1.1", "buurt", "change")
    view = model.kaart(fetch.on(con), choice, load_settings())
    geometries = queries.area_geometries(con, GEMEENTE, "buurt")
    outlines = mapping.group_outlines(queries.area_group_outlines(con, GEMEENTE))
    layers = model.Layers(mapping.area_shapes(geometries), mapping.MAP_SIZE, groups=outlines)
    selected = view.area_codes[0]
    shown = model.map_view(fetch.on(con), view, choice, layers, selected, load_settings())
    deck = json.loads(shown.deck.to_json())
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "namen"]
    assert decks.segments(deck, mapping.HATCH_COLOUR) and decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    widths = decks.outline_widths(deck)
    assert widths[selected] == 4 and sorted(widths.values())[-2] == 1  # only the selected area is highlighted
    assert "gebiedsgroep: " in shown.legend and mapping.UNSTABLE_TEXT in shown.legend
    assert shown.hotspot_summary is None and shown.hotspot_table is None
    plain = model.map_view(
        fetch.on(con), view, choice, model.Layers(layers.shapes, mapping.MAP_SIZE), None, load_settings()
    )
    plain_deck = json.loads(plain.deck.to_json())
    assert decks.segments(plain_deck, mapping.HATCH_COLOUR) and not decks.segments(
        plain_deck, mapping.GROUP_LINE_COLOUR
    )


def test_hexagons_replace_the_classes_and_bring_their_table(con):
    choice = _choice(con, "misdrijven", "buurt", "count")
    settings = load_settings()
    view = model.kaart(fetch.on(con), choice, settings, hexagons=True)
    minimum = int(settings["hotspot_min_count"])
    cells = queries.hotspot_cells(con, GEMEENTE, choice.codes, choice.period, 9, minimum)
    geometries = queries.area_geometries(con, GEMEENTE, "buurt")
    layer = hotspots.hotspot_layer(cells, geometries, int(settings["map_classes"]), minimum)
    shown = model.map_view(
        fetch.on(con), view, choice, model.Layers(mapping.area_shapes(geometries), (480, 560), layer), None, settings
    )
    deck = json.loads(shown.deck.to_json())
    assert decks.layer_ids(deck) == ["gebieden", "lijnen", "hotspots", "namen"]  # hexagons over the outlines
    assert not decks.segments(deck, mapping.HATCH_COLOUR)  # the hexagons' view: no hatching
    assert shown.hotspot_summary is not None and shown.hotspot_summary.startswith(f"{len(cells)} zeshoeken")
    assert shown.hotspot_table is not None and shown.hotspot_table["Aantal"].sum() == cells["event_count"].sum()
    assert shown.hotspot_title == f"Hotspots {choice.option_name}"


def test_the_panel_of_a_selected_buurt(con):
    choice = _choice(con, "misdrijven", "buurt", "count")
    view = model.kaart(fetch.on(con), choice, load_settings())
    code = view.area_codes[0]
    name = view.areas.values.set_index("area_code").loc[code, "area_name"]
    panel = model.panel(fetch.on(con), view, choice, code)
    assert panel.title == name and "**Rang:**" in panel.text and "e van 132 (aantal, hoogste eerst)" in panel.text
    series = queries.area_month_series(con, code, choice.codes)
    assert panel.series is not None and panel.series["incident_count"].sum() == series["incident_count"].sum()
    assert panel.chart_title == f"{choice.option_name} per maand"
    assert panel.about.title == f"{choice.option_name} per maand, {name}" and panel.about.period == "alle maanden"


def test_the_public_view_hides_small_counts_and_gives_years_not_months(con):
    choice = _public(con, "overlast", "buurt", "count")
    view = model.kaart(fetch.on(con), choice, load_settings())
    hidden = view.areas.values[view.areas.values["unstable_reason"].str.startswith("openbare weergave")]
    assert not hidden.empty and hidden["value"].isna().all()
    assert view.table.set_index("Code").loc[hidden["area_code"], "Aantal"].map(type).eq(str).all()  # '< 5', 'x'
    panel = model.panel(fetch.on(con), view, choice, hidden["area_code"].iloc[0])
    assert panel.series is None and panel.about.period == "hele kalenderjaren"
    assert panel.about.title.startswith(f"{choice.option_name} per jaar, ")


def test_the_briefing_map_greys_the_areas_the_public_kaart_hides(con):
    """The PDF's public map (briefing.released_map) and the public Kaart agree on what they hide."""
    settings = load_settings()
    options = queries.category_options(con, GEMEENTE)
    choice = _public(con, briefing.PUBLIC_MAP_OPTION, briefing.MAP_LEVEL, "per_1000")
    values = model.area_values(fetch.on(con), choice, settings).values
    assert choice.rules is not None and choice.releases is not None
    pdf = briefing.released_map(con, choice.releases, GEMEENTE, options, settings, 2024, choice.rules)
    hidden = set(values.loc[values["unstable_reason"].str.startswith("openbare weergave"), "area_name"])
    assert hidden and not hidden & set(pdf.top[briefing.MAP_LEVEL.capitalize()])


def test_the_sentence_names_the_tables_top_area_and_counts_the_rest(con):
    choice = _choice(con, "1.1.1", "buurt", "per_1000")
    view = model.kaart(fetch.on(con), choice, load_settings())
    top = view.table.iloc[0]
    assert view.summary.startswith(
        f"Kaart van {len(view.table)} buurten, {choice.option_name} 2025, per 1.000 inwoners"
    )
    assert f"hoogst {top['Gebied']} {formatting.number(top['Per 1.000 inwoners'], 1)}" in view.summary
    missing = int(view.table["Per 1.000 inwoners"].isna().sum())
    assert f"; {missing} buurten niet getoond (minder dan " in view.summary  # the threshold in inwoners


def test_the_table_leads_with_the_area_and_its_figures(con):
    """Name and figures first, then the remark on them, the CBS code last: with the code first, the
    Index column was cut at the table's right edge at 1400 px; with the remark last, the reason
    for a '–' was cut off at 1920 px."""
    view = model.kaart(fetch.on(con), _choice(con, "misdrijven", "buurt", "per_1000"), load_settings())
    columns = list(view.table.columns)
    assert columns[:2] == ["Gebied", "Aantal"] and columns[-1] == "Code", columns
    assert columns.index("Opmerking") == columns.index("Index (stad = 100)") + 1
