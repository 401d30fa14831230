"""What the Kaart shows: the values per area of a level for the chosen category, measure and
periods (in the public view as the public release allows), the caption above the map, the help
when every area is grey, the map with its legend, the panel of a selected area and the tables.

The page passes its cached `query` as `fetch` and what it caches itself (the public releases, the
area shapes with their hatching, the hexagons and the group outlines, `dashboard.layers`); the
tests and the PDF pass `fetch.on(con)`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from ivpdata import disclosure, hotspots, map_summary, mapping, periods, provenance, queries, trends
from ivpdata.fetch import Fetch
from ivpdata.safetext import markdown_literal

NO_COMPARISON = "Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder."
CHOOSE_AREA = "Klik op een wijk of buurt voor de ontwikkeling per maand en de rangorde."


@dataclass(frozen=True)
class Choice:
    """What the Kaart shows: a category option (its name and category codes) per area of a level,
    on a measure (mapping.MEASURES), in a period against a comparison period (None: none). In the
    public view `releases` holds the public release of each calendar year and `rules` the
    disclosure rules; both None otherwise."""

    gemeente_code: str
    option_name: str
    codes: tuple[str, ...]
    level: str
    measure: str
    period: periods.Period
    comparison: periods.Period | None
    releases: dict[int, disclosure.Release] | None = None
    rules: disclosure.Rules | None = None

    @property
    def public(self) -> bool:
        return self.releases is not None and self.rules is not None


@dataclass(frozen=True)
class AreaValues:
    """The map's values per area (`mapping.area_measures`, public: protected), the public table's
    cells ('< 5', 'x'; None outside the public view) with their notes, and the class bounds."""

    values: pd.DataFrame
    shown: pd.DataFrame | None
    notes: list[str]
    bounds: list[float]


@dataclass(frozen=True)
class About:
    """What the export header of a view says (the arguments of dashboard.show.meta)."""

    title: str
    period: str
    demo: bool
    filters: dict[str, str] | None = None
    provisional: str = "nee"
    origin: str | None = None


@dataclass(frozen=True)
class Kaart:
    """What the page shows around the map for a choice."""

    areas: AreaValues
    described: str  # the periods: 'jan 2025 - jun 2025 vergeleken met jan 2024 - jun 2024'
    caption: str  # Markdown: 'Woninginbraak · <periods> · Aantal per wijk'
    no_comparison: str | None  # why there is no comparison, None when there is one
    badge: str | None  # the provenance badge (ivpdata.provenance), None without one
    grey: str | None  # why every area is grey, None when some area has colour (or hexagons are drawn)
    offers: list[mapping.Offer]  # the views that do show colour, when every area is grey
    table_title: str
    table: pd.DataFrame
    about: About
    summary: str = ""  # plain text (map_summary): what the map shows, in one sentence, as the table has it

    @property
    def area_codes(self) -> list[str]:
        return list(self.areas.values["area_code"])


@dataclass(frozen=True)
class Layers:
    """The map's layers that the app caches (dashboard.layers): the area shapes with their hatching
    for a map of `size` pixels, the hexagons (None: not drawn) and the group outlines (None: not drawn)."""

    shapes: mapping.AreaShapes
    size: tuple[int, int]
    hexagons: hotspots.HotspotLayer | None = None
    groups: dict | None = None


@dataclass(frozen=True)
class MapView:
    """The map, its legend (HTML), what the hexagons show and their table (None without hexagons),
    and a note naming a far-off area the first view leaves out (plain text; None when all are in view)."""

    deck: pdk.Deck
    legend: str
    hotspot_summary: str | None
    hotspot_title: str
    hotspot_table: pd.DataFrame | None
    out_of_view: str | None = None


@dataclass(frozen=True)
class Panel:
    """The panel beside the map for a selected area: its name (Markdown), value, change and rank
    (Markdown), and the export header of its series (per month; public: per calendar year)."""

    title: str
    text: str
    about: About
    series: pd.DataFrame | None  # per month; None in the public view (its years come from the release)
    chart_title: str


@dataclass(frozen=True)
class Search:
    """What the Kaart's search box offers: every wijk and buurt by name ('Wielwijk (wijk)',
    'Wielwijk-Noord (buurt in Wielwijk)'), in alphabetical order, with each one's level."""

    labels: dict[str, str]
    levels: dict[str, str]


def search(fetch: Fetch, gemeente_code: str) -> Search:
    """The wijken and buurten of a gemeente for the search box, sorted by their names."""
    areas = fetch(queries.area_options, gemeente_code=gemeente_code)
    areas = areas[areas["target_level"].isin(["wijk", "buurt"])]
    rows = zip(trends.target_labels(areas), areas["target_code"], areas["target_level"], strict=True)
    labelled = sorted(rows, key=lambda row: row[0].casefold())
    return Search(
        labels={code: label for label, code, _ in labelled}, levels={code: level for _, code, level in labelled}
    )


def area_values(fetch: Fetch, choice: Choice, settings: dict, level: str | None = None) -> AreaValues:
    """The values per area at `level` (default: the choice's), public as the releases allow."""
    at = level or choice.level
    counts = fetch(
        queries.area_counts,
        gemeente_code=choice.gemeente_code,
        area_level=at,
        category_codes=choice.codes,
        period=choice.period,
        comparison=choice.comparison,
    )
    public = None
    if choice.releases is not None and choice.rules is not None:
        public = mapping.PublicView(choice.releases, choice.period, choice.comparison, choice.codes, choice.rules)
    return AreaValues(*mapping.level_values(counts, choice.measure, settings, at, public))


def described(choice: Choice) -> str:
    """The period, and the comparison period when there is one."""
    compared = f" vergeleken met {periods.label(choice.comparison)}" if choice.comparison else ""
    return periods.label(choice.period) + compared


def kaart(fetch: Fetch, choice: Choice, settings: dict, hexagons: bool = False) -> Kaart:
    """Everything the Kaart shows around the map; with `hexagons` drawn no grey-map help (the
    areas are a neutral background then)."""
    areas = area_values(fetch, choice, settings)
    values, level, measure, when = areas.values, choice.level, choice.measure, described(choice)
    wijken = functools.partial(wijk_values, fetch, choice, settings)  # asked only when all is grey
    grey = None if hexagons else mapping.grey_help(values, measure, level, wijken)
    table, badge = mapping.area_table(values, areas.shown), mapping.badge_provenance(values, measure)
    return Kaart(
        areas=areas,
        described=when,
        caption=f"{markdown_literal(choice.option_name)} · {when} · {mapping.MEASURES[measure]} per {level}",
        no_comparison=NO_COMPARISON if choice.comparison is None else None,
        badge=badge,
        grey=grey[0] if grey else None,
        offers=grey[1] if grey else [],
        table_title=f"Tabel per {level}",
        table=table,
        about=About(
            title=f"{choice.option_name} per {level}",
            period=when,
            demo=bool(values["is_demo"].any()),
            filters={"Niveau": level},
            provisional=mapping.provisional_text(values),
            origin=mapping.shown_provenance(values),
        ),
        summary=map_summary.summary(
            values, table, choice.option_name, level, measure, choice.period, choice.comparison, badge
        ),
    )


def wijk_values(fetch: Fetch, choice: Choice, settings: dict) -> pd.DataFrame:
    """The values per wijk for the same choice (what 'Bekijk per wijk' would show)."""
    return area_values(fetch, choice, settings, "wijk").values


def map_view(
    fetch: Fetch, kaart_: Kaart, choice: Choice, layers: Layers, selected: str | None, settings: dict
) -> MapView:
    """The map (areas, hatching or hexagons, group outlines), its legend and the hexagons' table."""
    values, bounds, hexagons = kaart_.areas.values, kaart_.areas.bounds, layers.hexagons
    areas = mapping.feature_collection(
        layers.shapes, values, choice.measure, bounds, selected, classes_shown=hexagons is None
    )
    deck = mapping.map_deck(
        areas,
        mapping.view_for(layers.shapes, size=layers.size),
        mapping.map_style_for(settings),
        hotspots=hexagons.features if hexagons else None,
        hatches=None if hexagons else mapping.hatching(layers.shapes, values),
        groups=layers.groups,
        labels=mapping.label_data(layers.shapes),
    )
    min_count = int(settings["hotspot_min_count"])
    groups = None if layers.groups is None else fetch(queries.area_group_outlines, gemeente_code=choice.gemeente_code)
    return MapView(
        deck=deck,
        legend=mapping.map_legend(choice.measure, bounds, values, groups, hexagons, min_count),
        hotspot_summary=hotspots.summary(hexagons.cells, min_count) if hexagons else None,
        hotspot_title=f"Hotspots {choice.option_name}",
        hotspot_table=hexagons.table if hexagons is not None and not hexagons.cells.empty else None,
        out_of_view=mapping.out_of_view_note(layers.shapes),
    )


def panel(fetch: Fetch, kaart_: Kaart, choice: Choice, selected: str) -> Panel:
    """The panel of the selected area: per calendar year in the public view (the page takes the
    years from the release), per month otherwise."""
    row = kaart_.areas.values.set_index("area_code").loc[selected]
    name, demo = str(row["area_name"]), bool(row["is_demo"])
    text = mapping.panel_text(kaart_.areas.values, selected, choice.measure)
    if choice.public:
        about = About(f"{choice.option_name} per jaar, {name}", "hele kalenderjaren", demo=demo)
        return Panel(markdown_literal(name), text, about, None, "")
    series = fetch(queries.area_month_series, area_code=selected, category_codes=choice.codes)
    about = About(
        f"{choice.option_name} per maand, {name}", "alle maanden", demo=demo, origin=provenance.of_table(series)
    )
    return Panel(markdown_literal(name), text, about, series, f"{choice.option_name} per maand")
