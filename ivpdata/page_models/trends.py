"""The Trends page: what its controls offer, the trend chart of the chosen areas and options, and
per area the CompStat table (each period against the same months a year earlier).

A public view shows whole calendar years, each figure from the public release. The releases are
kept by the app (dashboard.show, cached per database): the page passes them in as `Public`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

import pandas as pd
from pandas.io.formats.style import Styler

from ivpdata import charts, disclosure, periods, queries, trends
from ivpdata.config import load_periods, load_settings
from ivpdata.fetch import Fetch
from ivpdata.periods import Period, Window
from ivpdata.safetext import markdown_literal

Views = dict[str, tuple[tuple[str, ...], str, str | None]]  # per option: (categories, level, note)
# The most lines a trend chart draws: its colours (Okabe-Ito), told apart with colour blindness too.
MAX_LINES = len(charts.SERIES_COLOURS)

PUBLIC_YEARS_NOTE = (
    "Openbare weergave: cijfers per kalenderjaar, zodat geen klein aantal uit het verschil van twee periodes volgt."
)


class ReleasedTrends(Protocol):
    """Yearly chart data with the public release's figures, and its notes (dashboard.show.released_trends)."""

    def __call__(
        self, data: pd.DataFrame, *, levels: dict[str, str], codes: dict[str, tuple[str, ...]], base_year: int | None
    ) -> tuple[pd.DataFrame, list[str]]: ...


class ReleasedCompstat(Protocol):
    """A CompStat table of calendar years with the public release's figures (dashboard.show.released_compstat)."""

    def __call__(self, table: pd.DataFrame, *, target: str, level: str) -> tuple[pd.DataFrame, list[str]]: ...


@dataclass(frozen=True)
class Public:
    """A public view: its disclosure rules and the public release's figures."""

    rules: disclosure.Rules
    trends: ReleasedTrends
    compstat: ReleasedCompstat


@dataclass(frozen=True)
class Menu:
    """What the controls offer: areas and options with their names, the years and months with data."""

    gemeente_code: str
    area_names: dict[str, str]
    levels: dict[str, str]
    option_names: dict[str, str]
    options: pd.DataFrame  # category_options
    available: pd.DataFrame  # available_years
    years: list[int]
    months: list[dt.date]

    @property
    def first_option(self) -> str:
        return str(self.options["option_code"].iloc[0])


def menu(fetch: Fetch, gemeente_code: str) -> Menu:
    """The choices of the Trends page for a gemeente."""
    areas = fetch(queries.area_options, gemeente_code=gemeente_code)
    options = fetch(queries.category_options, gemeente_code=gemeente_code)
    available = fetch(queries.available_years, gemeente_code=gemeente_code)
    return Menu(
        gemeente_code=gemeente_code,
        area_names=dict(zip(areas["target_code"], trends.target_labels(areas), strict=True)),
        levels=dict(zip(areas["target_code"], areas["target_level"], strict=True)),
        option_names=dict(zip(options["option_code"], options["option_name"], strict=True)),
        options=options,
        available=available,
        years=[int(y) for y in available["year"]],
        months=trends.view_months(available),
    )


def year_text(year: int | None) -> str:
    """The index base year as the selectbox and the URL show it; 0: no index. (Not None: a selectbox
    set to None from a link would show its empty placeholder instead of 'geen'.)"""
    return "geen" if not year else str(year)


def public_frequency(public: bool, frequency: str, rolling: bool) -> tuple[str, bool, str]:
    """(frequency, rolling, note): public figures are whole calendar years; the note says so when
    the controls asked for something else ('' when they did not)."""
    if not public:
        return frequency, rolling, ""
    return "year", False, PUBLIC_YEARS_NOTE if frequency != "year" or rolling else ""


@dataclass(frozen=True)
class View:
    """How the chart shows its categories: per, measure, 12 months, index year and the months."""

    frequency: str
    measure: str
    rolling: bool
    base_year: int | None
    window: Period


@dataclass(frozen=True)
class Choice:
    """What the controls chose."""

    targets: list[str]
    options: list[str]
    frequency: str
    measure: str
    rolling: bool
    base_year: int | None
    window: Period

    @classmethod
    def of(cls, targets: list[str], options: list[str], view: View) -> Choice:
        return cls(targets, options, view.frequency, view.measure, view.rolling, view.base_year, view.window)


@dataclass(frozen=True)
class TrendChart:
    """The trend chart (the arguments of `charts.trend_chart`), its caption and what its export says."""

    heading: str  # the export's title
    data: pd.DataFrame
    title: str
    y_title: str
    value_format: str
    lockdowns: pd.DataFrame
    markers: pd.DataFrame
    time_format: str
    export: pd.DataFrame
    caption: str  # Markdown
    period: str
    filters: dict[str, str] | None
    demo: bool
    origin: str | None
    warning: str | None = None  # Markdown: the lines left out (more than MAX_LINES chosen)

    @property
    def chart_args(self) -> tuple[object, ...]:
        """The positional arguments of `charts.trend_chart`."""
        fields = (self.data, self.title, self.y_title, self.value_format, self.lockdowns, self.markers)
        return (*fields, self.time_format)


def option_views(menu: Menu, targets: list[str], chosen: list[str], public: Public | None) -> Views:
    """Per chosen option what may be shown: in a public view at the lowest level of the areas
    (without sensitive categories below their level, ...), else the option's categories."""
    codes = menu.options.set_index("option_code")["category_codes"]
    if public is None:
        return {option: (tuple(codes[option]), "gemeente", None) for option in chosen}
    lowest = min((menu.levels[t] for t in targets), key=disclosure.level_rank)
    categories = {row.option_code: tuple(row.category_codes) for row in menu.options.itertuples()}
    return {o: disclosure.public_selection(codes[o], lowest, categories, public.rules) for o in chosen}


def month_counts_per_option(
    fetch: Fetch, gemeente_code: str, targets: tuple[str, ...], views: Views
) -> dict[str, pd.DataFrame]:
    """Per option, `queries.target_month_counts` of the targets and the option's categories: read
    in one query for the categories of every option (a query costs 10-15 ms however few its
    rows) and split, each option's rows in the query's order."""
    categories = tuple(sorted({code for codes, _, _ in views.values() for code in codes}))
    counts = fetch(
        queries.target_month_counts, gemeente_code=gemeente_code, target_codes=targets, category_codes=categories
    )
    return {
        option: counts[counts["category_code"].isin(codes)].reset_index(drop=True)
        for option, (codes, _, _) in views.items()
    }


def trend_chart(fetch: Fetch, menu: Menu, choice: Choice, public: Public | None) -> TrendChart:
    """The chart of the chosen areas and options, computed over all months (a rolling sum starts
    whole) and then cut to the window; in a public view the release's yearly figures."""
    views = option_views(menu, choice.targets, choice.options, public)
    targets = tuple(choice.targets)
    counts = month_counts_per_option(fetch, menu.gemeente_code, targets, views)
    population = fetch(queries.target_population, target_codes=targets)
    frequency, measure, base_year = choice.frequency, choice.measure, choice.base_year
    data = trends.chart_data(
        counts, population, frequency, measure, choice.rolling, base_year, menu.area_names, menu.option_names
    )
    data = trends.in_view(data, choice.window, frequency)
    notes = list(dict.fromkeys(note for _, _, note in views.values() if note))
    if public is not None:
        codes = {option: view[0] for option, view in views.items()}
        data, released = public.trends(data, levels=menu.levels, codes=codes, base_year=base_year)
        notes += released
    notes.append(markdown_literal(trends.gaps_note(counts, menu.area_names)))  # months no file covered: never 0
    names = line_names(menu, choice)
    without_index = index_missing(data, names, base_year)
    data, too_many = at_most_max_lines(data, names)
    warning = " ".join(text for text in (without_index, too_many) if text) or None
    markers = trends.measure_markers({t: fetch(queries.target_notes, target_code=t) for t in targets})
    options = [menu.option_names[o] for o in choice.options]
    title = trends.chart_title(measure, frequency, choice.rolling, base_year, options)
    areas = [menu.area_names[t] for t in targets]
    return TrendChart(
        heading=title,
        data=data,
        title=title,
        y_title=trends.y_title(measure, base_year),
        value_format=trends.value_format(measure, base_year),
        lockdowns=trends.lockdowns(load_periods()),
        markers=trends.markers_in_view(markers, choice.window),
        time_format=trends.TIME_FORMATS[frequency],
        export=trends.export_table(data),
        caption=" ".join(notes),
        period=periods.label(choice.window),
        filters={"Gebieden": ", ".join(areas), "Wat": ", ".join(options)},
        demo=bool(data["is_demo"].any()),
        origin=trends.counts_provenance(counts),
        warning=warning,
    )


def line_names(menu: Menu, choice: Choice) -> list[str]:
    """The chart's lines in the order chosen, each area with each option (`trends.chart_data`'s
    names: the area alone when one option is chosen)."""
    options = [menu.option_names[o] for o in choice.options]
    areas = [menu.area_names[t] for t in choice.targets]
    return [f"{area} · {option}" if len(options) > 1 else area for area in areas for option in options]


def index_missing(data: pd.DataFrame, names: list[str], base_year: int | None) -> str | None:
    """As an index, the lines without a figure in their base year (0 or none: an index divides by
    it), named; None when every line has one, or without an index."""
    missing = [name for name in names if name not in set(data["Reeks"])] if base_year else []
    if not missing:
        return None
    return (
        f"Geen index voor {'; '.join(map(markdown_literal, missing))}: in {base_year} was het aantal daar 0 "
        "of is er geen cijfer, en een index deelt door dat jaar. Kies een ander basisjaar of 'geen'."
    )


def at_most_max_lines(data: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, str | None]:
    """The chart's rows of its first MAX_LINES lines (of `names`, those with figures), in the order
    of `names` (the chart gives colours and legend places in the order of its rows), and a warning
    naming the lines left out (None when none is)."""
    rank = {name: place for place, name in enumerate(names)}
    data = data.sort_values("Reeks", key=lambda reeks: reeks.map(rank), kind="stable").reset_index(drop=True)
    drawn = set(data["Reeks"])
    present = [name for name in names if name in drawn]
    if len(present) <= MAX_LINES:
        return data, None
    kept, left_out = present[:MAX_LINES], present[MAX_LINES:]
    warning = (
        f"U koos {len(present)} lijnen. Deze grafiek heeft {MAX_LINES} kleuren die ook bij kleurenblindheid "
        f"uit elkaar te houden zijn en toont daarom de eerste {MAX_LINES}. "
        f"Niet getoond: {'; '.join(map(markdown_literal, left_out))}. "
        "Kies minder gebieden of categorieën om die te zien; de tabellen hieronder tonen elk gebied."
    )
    return data[data["Reeks"].isin(kept)].reset_index(drop=True), warning


def compstat_table(
    counts: pd.DataFrame,
    windows: list[Window],
    level: float,
    names: dict[str, str],
    release: Callable[[pd.DataFrame], tuple[pd.DataFrame, list[str]]] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """One area's CompStat table (`trends.compstat`: per category and window now, a year earlier,
    the change and verdict) with its notes; `release` puts the public release's figures in (a
    hidden one is neither tested nor counted). Its tests are corrected for each other
    (`trends.corrected`). The Trends page and the Driehoeksrapportage's city table both use it."""
    table, notes = trends.compstat(counts, windows, level, names), list[str]()
    if release is not None:
        table, notes = release(table)
    return (trends.corrected(table, level) if not table.empty else table), notes


@dataclass(frozen=True)
class CompStat:
    """One area's CompStat table as the page shows it, with its captions and export."""

    target: str
    title: str
    period: str
    caption: str  # Markdown, above the table
    matrix: pd.DataFrame
    styles: pd.DataFrame
    headers: dict[str, str]
    notes: str  # below the table
    export: pd.DataFrame
    demo: bool
    provisional: str
    origin: str | None
    height: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", min(38 + 35 * len(self.matrix), 720))


def styled_compstat(matrix: pd.DataFrame, styles: pd.DataFrame) -> Styler:
    """A CompStat table with each cell's CSS from `styles` (the same shape): its colours."""
    return matrix.style.apply(lambda _: styles, axis=None)


def compstat_windows(menu: Menu, year: int, public: Public | None) -> tuple[dt.date, list[Window]]:
    """The peilmaand and the CompStat's periods: up to the last month of `year`; in a public view
    the last complete calendar year up to `year` alone."""
    reference = trends.reference_month(menu.available, year)
    complete = [int(y) for y in menu.available.loc[menu.available["months"] == 12, "year"]]
    if public is not None and (shown := periods.public_year(year, complete)):
        return dt.date(shown, 12, 1), [periods.calendar_window(shown)]
    return reference, periods.compstat_windows(reference)


def compstat_tables(fetch: Fetch, menu: Menu, targets: list[str], year: int, public: Public | None) -> list[CompStat]:
    """Per chosen area its CompStat table (in a public view only the release's shown cells are tested)."""
    reference, windows = compstat_windows(menu, year, public)
    level = float(load_settings()["significance_level"])
    order = list(menu.options.loc[menu.options["option_kind"] == "categorie", "option_code"])
    return [area_compstat(fetch, menu, target, reference, windows, order, level, public) for target in targets]


def area_compstat(
    fetch: Fetch,
    menu: Menu,
    target: str,
    reference: dt.date,
    windows: list[Window],
    order: list[str],
    level: float,
    public: Public | None,
) -> CompStat:
    """One area's CompStat table, caption, provisional columns and export."""
    counts = fetch(
        queries.target_month_counts,
        gemeente_code=menu.gemeente_code,
        target_codes=(target,),
        category_codes=tuple(order),
    )
    release = partial(public.compstat, target=target, level=menu.levels[target]) if public else None
    table, notes = compstat_table(counts, windows, level, menu.option_names, release)
    matrix = trends.compstat_matrix(table, windows, order)
    provisional = trends.provisional_windows(counts, windows)
    note = trends.provisional_note(provisional)
    name = menu.area_names[target]
    return CompStat(
        target=target,
        title=f"Vergelijking met een jaar eerder, {name}",
        period=f"peilmaand {periods.month_label(reference)}",
        caption=trends.compstat_caption(name, reference, level, table),
        matrix=matrix,
        styles=trends.verdict_styles(matrix),
        headers=trends.compstat_headers(windows, provisional),
        notes=" ".join([note, *notes]),
        export=trends.compstat_export(table, provisional),
        demo=bool(counts["is_demo"].any()),
        provisional=note or "nee",
        origin=trends.counts_provenance({target: counts}),
    )
