"""What the Voor en na page shows: the measure chosen, the months and incidents it can be compared
on, the comparison of the months before and after its start (the area against the rest of the
gemeente, table and chart) and the change per buurt on a map.

The page passes its cached `query` as `fetch`, and the map's shapes (made once per gemeente with
the app's cache); the tests pass `fetch.on(con)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from ivpdata import changes, mapping, measures, periods, queries, trends
from ivpdata.config import load_settings
from ivpdata.fetch import Fetch
from ivpdata.safetext import markdown_literal

NO_MEASURES = "Voor {name} zijn nog geen maatregelen in een bekend gebied vastgelegd."
CHOOSE_START = "Kies een startmaand om de maanden ervoor en erna te vergelijken."
NO_DATE = "Kies de startmaand: het document noemt geen datum"


@dataclass(frozen=True)
class Measure:
    """The measure chosen, as its heading says it (Markdown, the data's texts shown as typed)."""

    heading: str
    quote: str
    is_demo: bool


@dataclass(frozen=True)
class Choices:
    """What the measure can be compared on: start months ('2024-01') and incident options."""

    starts: list[str]
    start: int | None  # the index of the measure's own start month, None when unknown
    names: dict[str, str]  # option code -> name, in the order of queries/category_options.sql
    focus: int  # the index of the option the measure aims at
    codes: dict[str, tuple[str, ...]]  # option code -> category codes
    first_month: dt.date
    last_month: dt.date
    date_note: str | None  # what the document says about the start (Markdown), None when exact


@dataclass(frozen=True)
class Comparison:
    """The months before and after the start in the area and the rest of the gemeente."""

    start: dt.date
    span: measures.Windows
    codes: tuple[str, ...]
    option_name: str
    window: str  # 'Voor: ... · na: ...'
    caption: str  # Markdown
    text: str  # Markdown: 'Wielwijk: 96 → 34 (−65%), daling; ...'
    table: pd.DataFrame
    series: pd.DataFrame  # monthly counts in the area, 'voor' or 'na'
    chart_title: str
    is_demo: bool
    origin: str | None  # ivpdata.provenance of the counts


@dataclass(frozen=True)
class ChangeMap:
    """The change per buurt, after against before, with the measure's area outlined."""

    heading: str  # Markdown
    deck: pdk.Deck
    legend: str  # HTML
    out_of_view: str | None = None  # plain text: a far-off buurt the first view leaves out


def measure_choices(in_areas: pd.DataFrame) -> dict[str, str]:
    """Every measure in a known area (choice id -> its label in the choice list)."""
    return {row.choice_id: measures.option_label(row) for row in in_areas.itertuples()}


def measure(chosen: pd.Series) -> Measure:
    """A measure's heading: label, area and priority, and the document's words with their source."""
    heading = f"**{markdown_literal(chosen['label'])}** · {markdown_literal(chosen['target_name'])} · "
    heading += markdown_literal(chosen["priority_name"] or "geen prioriteit")
    quote = f"“{markdown_literal(chosen['description'])}” ({markdown_literal(chosen['source_title'])})"
    return Measure(heading, quote, bool(chosen["is_demo"]))


def choices(fetch: Fetch, gemeente_code: str, chosen: pd.Series) -> Choices:
    """The start months a comparison can have and the incidents it can be about, with the measure's
    own start and aim chosen where they are known."""
    years = fetch(queries.available_years, gemeente_code=gemeente_code)
    first_month = dt.date(int(years["year"].min()), 1, 1)
    last_month = trends.reference_month(years, int(years["year"].max()))
    months = measures.start_months(first_month, last_month)
    starts = [m.isoformat()[:7] for m in months]
    default = measures.default_start(chosen["start_date"], months)
    options = fetch(queries.category_options, gemeente_code=gemeente_code)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    codes = {code: tuple(c) for code, c in zip(options["option_code"], options["category_codes"], strict=True)}
    focus = measures.default_focus(chosen["incident_focus"], options)
    note = None
    if isinstance(chosen["date_note"], str):
        when = trends.note_when(chosen["start_date"], chosen["date_note"])
        note = f"Start volgens het document: {when}: {markdown_literal(chosen['date_note'])}"
    start = starts.index(default.isoformat()[:7]) if default else None
    return Choices(starts, start, names, list(names).index(focus), codes, first_month, last_month, note)


def start_label(month: str) -> str:
    """'januari 2024' for a start month '2024-01'."""
    return periods.month_label(dt.date.fromisoformat(f"{month}-01"))


def comparison(
    fetch: Fetch,
    gemeente: tuple[str, str],
    chosen: pd.Series,
    options: Choices,
    option: str,
    start_month: str,
    level: float,
) -> Comparison:
    """The comparison of the months before `start_month` ('2024-01') with as many from it on, for the
    incidents `option`, in the measure's area and the rest of `gemeente` (code, name), tested at
    significance `level`."""
    gemeente_code, gemeente_name = gemeente
    start = dt.date.fromisoformat(f"{start_month}-01")
    span = measures.windows(start, options.first_month, options.last_month)
    if span is None:
        raise ValueError(f"{start_month} is not a start month a comparison can have")
    codes, target = options.codes[option], str(chosen["target_code"])
    targets = (target, gemeente_code)
    counts = fetch(queries.target_month_counts, gemeente_code=gemeente_code, target_codes=targets, category_codes=codes)
    totals = trends.monthly_totals(counts)
    names = (str(chosen["target_name"]), gemeente_name)
    minimum = changes.min_base(load_settings())
    table = measures.before_after(totals, target, gemeente_code, names, span, level, minimum=minimum)
    table = trends.before_after_alike(table, counts, targets, span.before, span.after)
    series = measures.before_after_series(totals, target, span)
    window = measures.window_caption(span, series)
    name = options.names[option]
    return Comparison(
        start=start,
        span=span,
        codes=codes,
        option_name=name,
        window=window,
        caption=f"{markdown_literal(name)} · {window}",
        text=" ".join([measures.before_after_text(table), *changes.small_base_notes(table["Voor"], minimum)]),
        table=measures.comparison_table(table),
        series=series,
        chart_title=f"{name} in {chosen['target_name']} per maand",
        is_demo=bool(totals["is_demo"].any()),
        origin=trends.counts_provenance({option: counts}),
    )


def change_map(
    fetch: Fetch,
    gemeente_code: str,
    chosen: pd.Series,
    compared: Comparison,
    shapes: mapping.AreaShapes,
    settings: dict,
) -> ChangeMap:
    """The change per buurt in the compared windows, the measure's area outlined. `shapes`:
    mapping.area_shapes of the gemeente's buurten at measures.MAP_SIZE."""
    span = compared.span
    area_counts = fetch(
        queries.area_counts,
        gemeente_code=gemeente_code,
        area_level="buurt",
        category_codes=compared.codes,
        period=span.after,
        comparison=span.before,
    )
    values, _, _, bounds = mapping.map_values(area_counts, "change", mapping.thresholds_for(settings, "buurt"))
    outlines = fetch(queries.target_outlines, gemeente_code=gemeente_code, target_codes=(chosen["target_code"],))
    outline = measures.outline_rows(outlines, chosen["label"])
    deck = mapping.map_deck(
        mapping.feature_collection(shapes, values, "change", bounds, None),
        mapping.view_for(shapes, size=measures.MAP_SIZE),
        mapping.map_style_for(settings),
        groups=mapping.group_outlines(outline),
        hatches=mapping.hatching(shapes, values),
    )
    entries = mapping.legend("change", bounds, not values["is_stable"].all(), mapping.UNSTABLE_TEXT)
    heading = f"**Verandering per buurt, na tegen voor** · {markdown_literal(compared.option_name)}"
    legend = mapping.legend_html(entries + mapping.group_legend(outline, "maatregel"))
    return ChangeMap(heading, deck, legend, mapping.out_of_view_note(shapes))
