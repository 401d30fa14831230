"""The Wijkprofiel: one wijk, buurt or area group on one printable page. Its key figures against
the city (with the rank among the areas of its level), its development per year, the measures
and residents' quotes of the plan documents, and the resident survey.

A public view shows whole calendar years from the public release, which the app keeps
(dashboard.show, cached per database): the page passes it in as `Public`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from ivpdata import formatting, mapping, periods, queries, trends
from ivpdata.config import load_periods, load_settings
from ivpdata.fetch import Fetch
from ivpdata.measures import profile_measure_line, profile_quote
from ivpdata.page_models.trends import ReleasedTrends, TrendChart, Views
from ivpdata.safetext import markdown_literal

NO_MEASURES = "Geen maatregelen voor dit gebied in de plandocumenten of de eigen registratie."
NO_QUOTES = "Geen citaten over dit gebied in de plandocumenten."
NO_SURVEY = "Geen resultaten van een bewonersonderzoek voor dit gebied (laden via Data beheer, sjabloon)."
SURVEY_COLUMNS = {
    "year": "Jaar",
    "question": "Vraag",
    "value": "Waarde",
    "unit": "Eenheid",
    "respondents": "Respondenten",
    "margin": "Marge (±)",
    "source_title": "Bron",
}


class ProfileViews(Protocol):
    """Per option its public categories, level and note (dashboard.show.profile_views)."""

    def __call__(self, *, target: str, level: str, shown: list[str]) -> Views: ...


class ReleasedProfile(Protocol):
    """The key figures from the public release, labelled, with notes (dashboard.show.released_profile)."""

    def __call__(
        self,
        *,
        target: str,
        level: str,
        year: int,
        population: pd.DataFrame,
        shown: list[str],
        significance_level: float,
    ) -> tuple[pd.DataFrame, list[str]]: ...


class ReleasedRank(Protocol):
    """The rank among the areas whose figure the release shows (dashboard.show.released_rank)."""

    def __call__(self, *, level: str, target: str, year: int, thresholds: mapping.Thresholds) -> str: ...


@dataclass(frozen=True)
class Public:
    """A public view: the public release's choices and figures."""

    views: ProfileViews
    figures: ReleasedProfile
    trends: ReleasedTrends
    rank: ReleasedRank


@dataclass(frozen=True)
class Menu:
    """The areas a profile can show (not the gemeente itself) and what the gemeente has."""

    gemeente_code: str
    gemeente_name: str
    areas: pd.DataFrame  # area_options, indexed by target_code
    labels: dict[str, str]
    options: pd.DataFrame  # category_options
    years: pd.DataFrame  # available_years

    @property
    def option_names(self) -> dict[str, str]:
        return dict(zip(self.options["option_code"], self.options["option_name"], strict=True))

    @property
    def shown(self) -> list[str]:
        """The options the profile shows (all crime, high impact crime, overlast), as far as there are."""
        return [o for o in trends.PROFILE_OPTIONS if o in set(self.options["option_code"])]

    def name(self, target: str) -> str:
        return str(self.areas.at[target, "target_name"])

    def level(self, target: str) -> str:
        return str(self.areas.at[target, "target_level"])


def menu(fetch: Fetch, gemeente_code: str, gemeente_name: str) -> Menu:
    """The wijken, buurten and area groups of a gemeente with their labels, its options and years."""
    areas = fetch(queries.area_options, gemeente_code=gemeente_code)
    areas = areas[areas["target_level"] != "gemeente"]
    return Menu(
        gemeente_code=gemeente_code,
        gemeente_name=gemeente_name,
        areas=areas.set_index("target_code"),
        labels=dict(zip(areas["target_code"], trends.target_labels(areas), strict=True)),
        options=fetch(queries.category_options, gemeente_code=gemeente_code),
        years=fetch(queries.available_years, gemeente_code=gemeente_code),
    )


def heading(menu: Menu, target: str, year: int) -> str:
    """The line under the title (Markdown)."""
    where = f"{markdown_literal(menu.labels[target])} in {markdown_literal(menu.gemeente_name)}"
    return f"{where} · {year} vergeleken met {year - 1} · afdrukken met Ctrl+P"


def option_views(menu: Menu, target: str, public: Public | None) -> Views:
    """Per option the categories counted: in a public view as the release shows the area's level."""
    if public is not None:
        return public.views(target=target, level=menu.level(target), shown=menu.shown)
    codes = menu.options.set_index("option_code")["category_codes"]
    return {option: (tuple(codes[option]), "gemeente", None) for option in menu.shown}


def option_counts(fetch: Fetch, menu: Menu, target: str, views: Views) -> dict[str, pd.DataFrame]:
    """target_month_counts of the area and the city per option."""
    both = (target, menu.gemeente_code)
    return {
        option: fetch(
            queries.target_month_counts, gemeente_code=menu.gemeente_code, target_codes=both, category_codes=view[0]
        )
        for option, view in views.items()
    }


@dataclass(frozen=True)
class KeyFigures:
    """The key figures against the city: the table, its caption and export, and the rank line."""

    table: pd.DataFrame
    title: str
    period: str
    provisional: str
    origin: str | None
    notes: list[str]
    caption: str
    rank: str | None  # Markdown; only for a wijk or buurt


def year_status(years: pd.DataFrame, year: int) -> tuple[dict[int, str], list[int]]:
    """For `year` and the year before: the incomplete ones ('t/m juni 2025') and the provisional ones
    (incomplete included): their columns say so, as the charts draw them dashed."""
    status = years.set_index("year").reindex([year, year - 1])
    incomplete = {
        y: f"t/m {periods.month_label(dt.date(y, int(s.last_month), 1))}" for y, s in status.iterrows() if s.months < 12
    }
    return incomplete, [y for y, s in status.iterrows() if s.is_provisional is True or y in incomplete]


def figures_caption(level: float, incomplete: dict[int, str], provisional: list[int]) -> str:
    """The caption under the key figures: the test, the index, and which years are provisional or incomplete."""
    percent = formatting.number(level * 100)
    return (
        f"Oordeel: exacte Poisson-toets op het aantal tegen het jaar ervoor (niveau {percent}%). "
        "Index: per 1.000 inwoners, de stad = 100."
        + "".join(f" {y} is voorlopig: de cijfers van de laatste maanden kunnen nog veranderen." for y in provisional)
        + "".join(
            f" {y} is nog niet compleet ({to}): vergeleken met dezelfde maanden van {y - 1}."
            for y, to in incomplete.items()
        )
    )


def key_figures(fetch: Fetch, menu: Menu, target: str, year: int, public: Public | None) -> KeyFigures:
    """The area's key figures of `year` against the year before and the city; a year with data for
    only its first months is compared with the same months of the year before."""
    settings, level = load_settings(), menu.level(target)
    alpha = float(settings["significance_level"])
    counts = option_counts(fetch, menu, target, option_views(menu, target, public))
    population = fetch(queries.target_population, target_codes=(target, menu.gemeente_code))
    status = menu.years.set_index("year")
    months = int(status.at[year, "last_month"]) if year in status.index and status.at[year, "months"] < 12 else 12
    if public is not None:  # labelled from the release already
        table, notes = public.figures(
            target=target, level=level, year=year, population=population, shown=menu.shown, significance_level=alpha
        )
    else:
        table = trends.profile_figures(
            counts, population, target, menu.gemeente_code, year, menu.option_names, alpha, months
        )
        notes = []
    incomplete, provisional = year_status(menu.years, year)
    tags = {y: f"Aantal {y} ({', '.join(filter(None, ['voorlopig', incomplete.get(y)]))})" for y in provisional}
    return KeyFigures(
        table=table.rename(columns={f"Aantal {y}": tag for y, tag in tags.items()}),
        title=f"Kerncijfers {menu.labels[target]}",
        period=str(year),
        provisional=f"ja, {' en '.join(tags.values())}" if tags else "nee",
        origin=trends.counts_provenance(counts),
        notes=notes,
        caption=figures_caption(alpha, incomplete, provisional),
        rank=rank_line(fetch, menu, target, year, public, settings) if level in ("wijk", "buurt") else None,
    )


def rank_line(fetch: Fetch, menu: Menu, target: str, year: int, public: Public | None, settings: dict) -> str:
    """'**Rang onder de wijken** (alle misdrijven): 3e van 12 ...': on the first option per 1,000
    inhabitants in calendar `year`; in a public view among the areas the release shows."""
    level, option = menu.level(target), menu.shown[0]
    thresholds = mapping.thresholds_for(settings, level)
    if public is not None:
        rank = public.rank(level=level, target=target, year=year, thresholds=thresholds)
    else:
        codes = tuple(menu.options.set_index("option_code").at[option, "category_codes"])
        counts = fetch(
            queries.area_counts,
            gemeente_code=menu.gemeente_code,
            area_level=level,
            category_codes=codes,
            period=periods.calendar_year(year),
            comparison=None,
        )
        rank = mapping.rank_text(mapping.area_measures(counts, "per_1000", thresholds), target, "per_1000")
    return f"**Rang onder de {level}en** ({markdown_literal(menu.option_names[option].lower())}): {rank}"


def development(fetch: Fetch, menu: Menu, target: str, public: Public | None) -> TrendChart:
    """The first option per 1,000 inhabitants per year, the area against the city, with its measures."""
    option, city = menu.shown[0], menu.gemeente_code
    views = option_views(menu, target, public)
    counts = option_counts(fetch, menu, target, {option: views[option]})
    population = fetch(queries.target_population, target_codes=(target, city))
    names = {target: menu.labels[target], city: menu.gemeente_name}
    data = trends.chart_data(counts, population, "year", "per_1000", False, None, names, menu.option_names)
    notes: list[str] = []
    if public is not None:
        levels = {target: menu.level(target), city: "gemeente"}
        data, notes = public.trends(data, levels=levels, codes={option: views[option][0]}, base_year=None)
    title = f"{menu.option_names[option]} per 1.000 inwoners per jaar"
    return TrendChart(
        heading=f"{title}, {menu.labels[target]}",
        data=data,
        title=title,
        y_title="Per 1.000 inwoners",
        value_format=",.1f",
        lockdowns=trends.lockdowns(load_periods()),
        markers=trends.measure_markers({target: fetch(queries.target_notes, target_code=target)}),
        time_format="%Y",
        export=trends.export_table(data),
        caption=" ".join(notes),
        period="alle jaren",
        filters=None,
        demo=bool(data["is_demo"].any()),
        origin=None,
    )


@dataclass(frozen=True)
class Notes:
    """The measures in the area (from the documents, and recorded ones with a period and result) and
    residents' quotes, as Markdown; a caption when there are none."""

    measures: list[str]
    quotes: list[str]
    no_measures: str
    no_quotes: str


def notes(fetch: Fetch, target: str) -> Notes:
    found = fetch(queries.target_notes, target_code=target)
    measures = [profile_measure_line(n) for n in found[found["kind"] == "maatregel"].itertuples()]
    quotes = [profile_quote(n) for n in found[found["kind"] == "citaat"].itertuples()]
    return Notes(measures, quotes, "" if measures else NO_MEASURES, "" if quotes else NO_QUOTES)


@dataclass(frozen=True)
class Survey:
    """The resident survey of the area as a table, or a caption saying there is none."""

    table: pd.DataFrame | None
    empty: str
    title: str
    demo: bool
    source: str


def survey(fetch: Fetch, menu: Menu, target: str) -> Survey:
    found = fetch(queries.target_survey, target_code=target)
    title = f"Bewonersonderzoek {menu.labels[target]}"
    if found.empty:
        return Survey(None, NO_SURVEY, title, False, "")
    names = SURVEY_COLUMNS
    table = found.astype({"year": str}).rename(columns=names)[list(names.values())].dropna(axis=1, how="all")
    return Survey(table, "", title, bool(found["is_demo"].any()), ", ".join(found["source_title"].unique()))
