"""What the Overzicht page shows, section by section: the key figures, "Wat valt op" (the changes
beyond chance, internal per buurt and category or public from the release), the figures published
in plan documents and the wijk table.

The Driehoeksrapportage (ivpdata/briefing.py) repeats the key figures and "Wat valt op": it calls
these functions, so the PDF and the page cannot drift apart. The page passes its cached `query` as
`fetch` and, in the public view, the releases from the app's cache (`show.releases`); the PDF and
the tests pass `fetch.on(con)` and `briefing.public_releases(con, ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ivpdata import changes, disclosure, formatting, overview, provenance, queries, trends
from ivpdata.fetch import Fetch
from ivpdata.periods import Period, calendar_year
from ivpdata.safetext import markdown_literal

NO_COMPARISON = "Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder."
NO_PUBLISHED = "Voor deze gemeente zijn geen cijfers uit plandocumenten opgenomen."
PUBLISHED_KINDS = (("overlast", "Overlast"), ("misdrijf", "Misdrijven"))


@dataclass(frozen=True)
class Public:
    """The public view's releases (one per complete calendar year) and the disclosure rules."""

    releases: dict[int, disclosure.Release]
    rules: disclosure.Rules


def _categories(options: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Option code -> its category codes (queries/category_options.sql)."""
    return {row.option_code: tuple(row.category_codes) for row in options.itertuples()}


def _names(frame: pd.DataFrame, code: str, name: str) -> dict[str, str]:
    return dict(zip(frame[code], frame[name], strict=True))


# --- key figures ---


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of a calendar year against the year before."""

    figures: pd.DataFrame  # the key_figures query's rows; public: the release's counts, hidden ones labelled
    cards: list[overview.KeyFigureCard]
    origin: str | None  # provenance of all cards together (the page's badge)
    notes: list[str]  # disclosure notes of the labels shown ('< 5', 'x'); none internally


def key_figures(
    fetch: Fetch, gemeente_code: str, year: int, options: pd.DataFrame, public: Public | None = None
) -> KeyFigures:
    """The Overzicht's key figures of `year`; in a public view each count is the release's."""
    figures = fetch(queries.key_figures, gemeente_code=gemeente_code, year=year)
    notes: list[str] = []
    if public is not None:
        figures, notes = released_key_figures(figures, gemeente_code, year, options, public)
    cards = overview.key_figure_cards(figures, year, fetch(queries.sources))
    return KeyFigures(figures, cards, provenance.combined([card.badge for card in cards]), notes)


def released_key_figures(
    figures: pd.DataFrame, gemeente_code: str, year: int, options: pd.DataFrame, public: Public
) -> tuple[pd.DataFrame, list[str]]:
    """The key figures' rows with the release's gemeente figures (`overview.released_key_figures`)
    and the notes for the labels that occur."""
    codes, reasons, left_out = _categories(options), set(), False
    compared = [public.releases[y] for y in (year, year - 1) if y in public.releases]

    def figure(option: str, shown_year: int) -> tuple[float, str]:
        nonlocal left_out
        if shown_year not in public.releases:  # nothing to compare with, as in the internal view
            return float("nan"), disclosure.SHOWN
        kept = disclosure.comparable_codes(codes[option], compared, public.rules)  # both years alike
        left_out = left_out or len(kept) < len(codes[option])
        found = disclosure.public_figure(public.releases[shown_year], "gemeente", (gemeente_code,), kept, public.rules)
        reasons.add(found[1])
        return found

    released = overview.released_key_figures(figures, figure, year, public.rules)
    notes = public.rules.notes(reasons - {disclosure.SHOWN})
    return released, notes + ([disclosure.COMPARABLE_TOTALS_NOTE] if left_out else [])


# --- Wat valt op ---


@dataclass(frozen=True)
class NotableChange:
    """One of "Wat valt op": an area and category whose change is beyond chance."""

    area_code: str
    area_name: str
    category_code: str
    category_name: str
    previous: int
    current: int
    difference: int
    change: str  # '+158%', 'nieuw'; '–' on a small base
    rising: bool
    counts: str  # '12 → 31 (+158%)', '1 → 48' on a small base
    level: str = "buurt"  # 'wijk' or 'buurt' (a public list has both)

    @property
    def mark(self) -> str:
        return trends.RISE_MARK if self.rising else trends.FALL_MARK

    @property
    def text(self) -> str:
        """'▲ Wielwijk, Woninginbraak: 12 → 31 (+158%)' (plain text, for the PDF)."""
        return f"{self.mark} {self.area_name}, {self.category_name}: {self.counts}"

    @property
    def markdown(self) -> str:
        """The same with the area in bold, the data's names shown as typed (for the page)."""
        return (
            f"{self.mark} **{markdown_literal(self.area_name)}**, {markdown_literal(self.category_name)}: {self.counts}"
        )


@dataclass(frozen=True)
class Notable:
    """ "Wat valt op": the period against its comparison, the changes listed, what they compare and why."""

    period: Period
    comparison: Period | None  # None: nothing to compare with (NO_COMPARISON)
    changes: list[NotableChange]
    caption: str  # what is compared and how; NO_COMPARISON without a comparison
    notes: list[str] = field(default_factory=list)  # public: what is left out and why
    none_text: str = ""  # what to say when nothing is listed
    short_caption: str = ""  # the caption in one line, for presentatiemodus


def listed_changes(rows: pd.DataFrame, settings: dict[str, Any]) -> list[NotableChange]:
    """`trends.notable_changes` rows (with area and category names) as the list says them: a
    percentage only on a base of `changes.min_base` incidents."""
    minimum = changes.min_base(settings)
    return [
        NotableChange(
            area_code=str(row["area_code"]),
            area_name=str(row["area_name"]),
            category_code=str(row["category_code"]),
            category_name=str(row["category_name"]),
            previous=int(row["comparison_count"]),
            current=int(row["incident_count"]),
            difference=int(row["difference"]),
            change=changes.short_text(row["comparison_count"], row["incident_count"], minimum),
            rising=bool(row["difference"] > 0),
            counts=changes.counts_text(row["comparison_count"], row["incident_count"], minimum),
            level=str(row.get("level", "buurt")),
        )
        for _, row in rows.iterrows()
    ]


def _provisional(years: pd.DataFrame, period: Period) -> bool:
    """Whether a year the period touches holds provisional figures."""
    touched = years["year"].between(period[0].year, period[1].year)
    return bool(years.loc[touched, "is_provisional"].any())


def wat_valt_op(
    fetch: Fetch,
    gemeente_code: str,
    year: int,
    years: pd.DataFrame,
    options: pd.DataFrame,
    settings: dict[str, Any],
    public: Public | None = None,
) -> Notable:
    """The Overzicht's "Wat valt op" for `year`: internally the twelve months up to the year's last
    month against the twelve before (`notable`); in a public view the calendar year against the one
    before, from the releases (`released_notable`)."""
    if public is not None:
        return released_notable(fetch, gemeente_code, year, years, options, settings, public)
    period, comparison = trends.last_twelve_months(trends.reference_month(years, year))
    return notable(fetch, gemeente_code, period, comparison, years, settings)


def notable(
    fetch: Fetch,
    gemeente_code: str,
    period: Period,
    comparison: Period | None,
    years: pd.DataFrame,
    settings: dict[str, Any],
) -> Notable:
    """The changes per buurt and category from `comparison` to `period` beyond chance
    (`trends.notable_changes` with the settings' level, minimum count and length of the list)."""
    if comparison is None or years.empty or comparison[0] < trends.first_month(years):
        return Notable(period, None, [], NO_COMPARISON)
    pairs = fetch(
        queries.buurt_category_changes,
        gemeente_code=gemeente_code,
        area_level="buurt",
        period=period,
        comparison=comparison,
    )
    level, min_count = float(settings["significance_level"]), int(settings["notable_min_count"])
    rows = trends.notable_changes(pairs, level, min_count, int(settings["notable_changes"]))
    tested = int(trends.testable(pairs, min_count).sum())
    caption = trends.notable_caption(
        period,
        comparison,
        tested,
        level,
        len(pairs) - tested,
        min_count,
        _provisional(years, period),
        not_compared=trends.not_compared(pairs, min_count),
    )
    none_text = "Geen verandering per buurt en categorie die buiten het toeval valt."
    short = trends.notable_short_caption(period, comparison, level, _provisional(years, period))
    return Notable(period, comparison, listed_changes(rows, settings), caption, [], none_text, short)


SLIDE_CHANGES = 3  # changes a slide lists: six ran past a 1920x1080 screen


def slide_changes(notable: Notable) -> tuple[list[NotableChange], str | None]:
    """The changes a slide (presentatiemodus) lists, the largest first, and a line naming how many
    more the Overzicht lists (None when it lists no more)."""
    shown, rest = notable.changes[:SLIDE_CHANGES], len(notable.changes) - SLIDE_CHANGES
    if rest <= 0:
        return shown, None
    more = "1 verandering" if rest == 1 else f"{rest} veranderingen"
    return shown, f"En nog {more} die buiten het toeval vallen: zie het Overzicht buiten de presentatie."


def released_notable(
    fetch: Fetch,
    gemeente_code: str,
    year: int,
    years: pd.DataFrame,
    options: pd.DataFrame,
    settings: dict[str, Any],
    public: Public,
) -> Notable:
    """The public "Wat valt op": calendar `year` against the year before, per wijk and category or a
    buurt's two public totals, from the releases (`trends.released_comparison`)."""
    period, comparison = calendar_year(year), calendar_year(year - 1)
    if year not in public.releases or year - 1 not in public.releases:
        return Notable(period, None, [], NO_COMPARISON)
    now, before = public.releases[year], public.releases[year - 1]
    pairs, hidden, uncompared = trends.released_comparison(now, before)
    level, min_count = float(settings["significance_level"]), int(settings["notable_min_count"])
    areas = fetch(queries.area_options, gemeente_code=gemeente_code)
    rows = trends.named_changes(
        trends.notable_changes(pairs, level, min_count, int(settings["notable_changes"])),
        _names(areas, "target_code", "target_name"),
        _names(options, "option_code", "option_name"),
    )
    tested = int(trends.testable(pairs, min_count).sum())
    provisional = bool(years.loc[years["year"] == year, "is_provisional"].any())
    caption = trends.notable_caption(
        period,
        comparison,
        tested,
        level,
        len(pairs) - tested + uncompared,
        min_count,
        provisional,
        subject=trends.RELEASED_SUBJECT,
        not_compared=uncompared,
    )
    notes = [disclosure.buurt_option_note(public.rules)]
    if hidden:
        notes.append(
            f"{formatting.number(hidden)} combinaties met een afgeschermd aantal (< {public.rules.threshold} of "
            f"{disclosure.HIDDEN_MARK}) zijn niet getoetst en staan niet in de lijst."
        )
    none_text = "Geen verandering per wijk of buurt en categorie die buiten het toeval valt."
    short = trends.notable_short_caption(period, comparison, level, provisional)
    return Notable(period, comparison, listed_changes(rows, settings), caption, notes, none_text, short)


# --- published figures ---


@dataclass(frozen=True)
class PublishedComparison:
    """The published counts of one kind (overlast, misdrijf) in two years, as one chart."""

    kind: str
    title: str  # 'Overlast 2019 en 2021'
    period: str  # '2019 en 2021'
    data: pd.DataFrame  # empty: nothing published of this kind


@dataclass(frozen=True)
class Published:
    """The figures published in plan documents, shown exactly as published."""

    comparisons: list[PublishedComparison]  # empty when nothing of the kind was published
    sources: str  # the documents' titles
    discrepancy_notes: list[str]  # published percentages that do not follow from the counts
    totals: pd.DataFrame  # CBS 'Totaal misdrijven' per year, empty when none
    totals_title: str
    totals_source: str

    @property
    def empty(self) -> bool:
        return not self.comparisons and self.totals.empty


def published(fetch: Fetch, gemeente_code: str, gemeente_name: str) -> Published:
    """The published comparisons per kind and the published series of all registered crime."""
    comparisons = fetch(queries.published_comparisons, gemeente_code=gemeente_code)
    series = fetch(queries.published_series, gemeente_code=gemeente_code)
    shown = []
    if not comparisons.empty:
        for kind, title in PUBLISHED_KINDS:
            subset = comparisons[comparisons["category_kind"] == kind]
            years = f"{int(subset['from_year'].min())} en {int(subset['to_year'].max())}" if not subset.empty else ""
            shown.append(PublishedComparison(kind, f"{title} {years}", years, subset))
    totals = series[series["category_code"] == "0.0.0"]
    return Published(
        comparisons=shown,
        sources="; ".join(sorted(set(comparisons["source_title"]))),
        discrepancy_notes=overview.discrepancy_notes(comparisons),
        totals=totals,
        totals_title=f"Geregistreerde misdrijven {gemeente_name}",
        totals_source="" if totals.empty else f"{totals['attribution'].iloc[0]}, {totals['source_title'].iloc[0]}",
    )


# --- wijken ---


@dataclass(frozen=True)
class WijkTable:
    """The wijken of a year by crime per 1,000 inhabitants, as Dutch text."""

    table: pd.DataFrame
    notes: str  # under the table: few inhabitants and, public, the disclosure rules
    origin: str | None  # provenance of the counts (demo, echt, gemengd)
    about: str  # 'Geregistreerde misdrijven en overlast per wijk; demodata.'


def wijk_table(
    fetch: Fetch,
    gemeente_code: str,
    year: int,
    options: pd.DataFrame,
    settings: dict[str, Any],
    public: Public | None = None,
) -> WijkTable:
    """The Overzicht's wijk table (`overview.wijk_table`); public: the release's figures."""
    wijken = fetch(queries.wijk_summary, gemeente_code=gemeente_code, year=year)
    min_inhabitants = int(settings["min_inhabitants_for_rate"]["wijk"])
    if public is None:
        table, notes = overview.wijk_table(wijken, min_inhabitants)
    else:
        table, notes = _released_wijk_table(wijken, gemeente_code, year, options, min_inhabitants, public)
    origin = overview.wijk_provenance(wijken)
    about = f"Geregistreerde misdrijven en overlast per wijk; {provenance.label(origin).lower()}."
    return WijkTable(table, " ".join([overview.few_inhabitants_note(min_inhabitants), *notes]), origin, about)


def _released_wijk_table(
    wijken: pd.DataFrame, gemeente_code: str, year: int, options: pd.DataFrame, min_inhabitants: int, public: Public
) -> tuple[pd.DataFrame, list[str]]:
    """The wijk table from the release of `year` (`overview.released_wijk_table`), with the note on
    categories a public view leaves out per wijk."""
    release, codes = public.releases[year], _categories(options)

    def figure(wijk: str, option: str) -> tuple[float, str]:
        return disclosure.public_figure(release, "wijk", (wijk,), codes[option], public.rules)

    table, notes = overview.released_wijk_table(wijken, figure, min_inhabitants, public.rules)
    _, _, note = disclosure.public_selection(codes["misdrijven"], "wijk", codes, public.rules)
    return table, [*([note] if note else []), *notes]


# --- the whole page ---


@dataclass(frozen=True)
class Page:
    """Everything the Overzicht computes for a gemeente and year, section by section."""

    key: KeyFigures
    notable: Notable
    published: Published
    wijken: WijkTable


def page(
    fetch: Fetch, gemeente_code: str, gemeente_name: str, year: int, settings: dict[str, Any], public: Public | None
) -> Page:
    """The Overzicht's sections of `year` (in a public view the calendar year the page shows)."""
    years = fetch(queries.available_years, gemeente_code=gemeente_code)
    options = fetch(queries.category_options, gemeente_code=gemeente_code)
    return Page(
        key=key_figures(fetch, gemeente_code, year, options, public),
        notable=wat_valt_op(fetch, gemeente_code, year, years, options, settings, public),
        published=published(fetch, gemeente_code, gemeente_name),
        wijken=wijk_table(fetch, gemeente_code, year, options, settings, public),
    )
