"""What the Maatregelen page shows: the measure results per priority (figures, a timeline, a
table) and the measures taken in a known area; and the same measures within a period, as the
Driehoeksrapportage lists them (`in_period`), so the PDF never repeats the page's logic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ivpdata import formatting, measures, queries
from ivpdata.briefing_model import MeasureGroup
from ivpdata.fetch import Fetch
from ivpdata.periods import Period, add_months, month_end
from ivpdata.safetext import markdown_literal

ALL_PRIORITIES = "Alle prioriteiten"
ALL_CODE = "alle"  # the URL's value for every priority
SOURCE = "gemeente (factsheet en plandocumenten)"
NO_RESULTS = "Voor {name} zijn nog geen resultaten van maatregelen vastgelegd."
NO_AREA_MEASURES = "Voor {name} zijn nog geen maatregelen in een bekend gebied vastgelegd."
EARLIER_MEASURES = 5  # the PDF lists the newest measures that started before the period


@dataclass(frozen=True)
class Overview:
    """Every measure result and measure in an area of a gemeente, with the page's headline figures."""

    results: pd.DataFrame  # queries.measure_results
    in_areas: pd.DataFrame  # queries.area_measures
    caption: str  # Markdown
    figures: dict[str, str]  # label -> Dutch number
    priorities: list[str]  # the choice list: all priorities, then each in plan order
    priority_codes: dict[str, str]  # priority name -> its code (the URL shows codes)


@dataclass(frozen=True)
class Results:
    """Measure results as a timeline and a table show them."""

    title: str
    results: pd.DataFrame  # the rows of queries.measure_results shown (for the timeline)
    table: pd.DataFrame  # measures.results_table
    is_demo: bool


@dataclass(frozen=True)
class AreaMeasure:
    """A measure in an area as the list shows it, with the Voor en na choice it opens."""

    line: str  # Markdown
    choice_id: str


@dataclass(frozen=True)
class InPeriod:
    """The measures of a period as the Driehoeksrapportage lists them."""

    groups: list[MeasureGroup]  # results overlapping the period, per priority in plan order
    area_measures: list[str]  # measures in an area that started in the period (plain text)
    earlier_area_measures: list[str]  # the newest ones that started before it
    note: str  # what to say when no result falls in the period, else ''
    is_demo: bool  # whether anything listed is demo data


def overview(fetch: Fetch, gemeente_code: str) -> Overview:
    """The page's head: the sources, how many results, kinds, priorities and measures in an area."""
    results = fetch(queries.measure_results, gemeente_code=gemeente_code)
    in_areas = fetch(queries.area_measures, gemeente_code=gemeente_code)
    sources = ", ".join(dict.fromkeys(results["source_title"]))
    caption = "Wat er is gedaan, per prioriteit van het veiligheidsplan."
    caption += f" Bronnen: {markdown_literal(sources)}." if sources else ""
    figures = {
        "Resultaten vastgelegd": len(results),
        "Soorten maatregelen": results["type_name"].nunique(),
        "Prioriteiten": results["priority_code"].nunique(),
        "Maatregelen in een gebied": in_areas["measure_id"].nunique(),
    }
    names = [ALL_PRIORITIES, *dict.fromkeys(results["priority_name"].dropna())]
    codes = dict(zip(results["priority_name"], results["priority_code"], strict=True))
    return Overview(results, in_areas, caption, {k: formatting.number(v) for k, v in figures.items()}, names, codes)


def priority_code(overview: Overview, name: str) -> str:
    """A priority's code in the URL ('alle' for every priority)."""
    return overview.priority_codes.get(name, ALL_CODE)


def results_of(results: pd.DataFrame, priority: str | None = None) -> Results:
    """The results of one priority (by name; ALL_PRIORITIES for every one, as chosen on the page), or
    with None all results under a title without a priority."""
    shown = results if priority in (None, ALL_PRIORITIES) else results[results["priority_name"] == priority]
    title = "Resultaten van maatregelen" + (f": {priority}" if priority else "")
    return Results(title, shown, measures.results_table(shown), bool(shown["is_demo"].any()))


def area_measures(in_areas: pd.DataFrame) -> list[AreaMeasure]:
    """Every measure in a known area as a line of the list."""
    return [AreaMeasure(measures.area_measure_line(row), str(row.choice_id)) for row in in_areas.itertuples()]


def _overlaps(starts: pd.Series, ends: pd.Series, period: Period) -> pd.Series:
    first, last = pd.Timestamp(period[0]), pd.Timestamp(month_end(period[1]))
    return (pd.to_datetime(starts) <= last) & (pd.to_datetime(ends).fillna(pd.to_datetime(starts)) >= first)


def measure_groups(results: pd.DataFrame, period: Period) -> list[MeasureGroup]:
    """Measure results whose period overlaps `period`, per priority in plan order."""
    shown = results[_overlaps(results["period_start"], results["period_end"], period)]
    table = measures.results_table(shown)
    return [
        MeasureGroup(priority, group.reset_index(drop=True))
        for priority, group in table.groupby("Prioriteit", sort=False)
    ]


def area_measure_lines(in_areas: pd.DataFrame, period: Period, newest: int | None = None) -> list[str]:
    """Measures in a known area that started in the period, as the page lists them (plain text),
    or only the `newest` ones, newest first."""
    started = in_areas[_overlaps(in_areas["start_date"], in_areas["start_date"], period)]
    if newest is not None:
        started = started.sort_values("start_date", ascending=False, kind="stable").head(newest)
    return [measures.area_measure_text(row) for row in started.itertuples()]


def measures_note(results: pd.DataFrame, groups: list[MeasureGroup], name: str) -> str:
    """What to say when no measure result falls in the period ('' when some do)."""
    if groups:
        return ""
    if results.empty:
        return (
            f"Voor {name} zijn nog geen resultaten van maatregelen vastgelegd. Ze kunnen worden ingevoerd met het "
            "sjabloon op de pagina Data."
        )
    latest = pd.to_datetime(results["period_end"]).max().date()
    return (
        "In deze periode zijn geen resultaten van maatregelen vastgelegd. De laatst vastgelegde resultaten lopen tot "
        f"{formatting.date(latest)} (zie de pagina Maatregelen)."
    )


def in_period(fetch: Fetch, gemeente_code: str, gemeente_name: str, period: Period) -> InPeriod:
    """The page's measures within `period`: results overlapping it per priority, measures in an area
    that started in it and the newest that started before it, for the Driehoeksrapportage."""
    results = fetch(queries.measure_results, gemeente_code=gemeente_code)
    in_areas = fetch(queries.area_measures, gemeente_code=gemeente_code)
    groups = measure_groups(results, period)
    before = (dt.date(1900, 1, 1), add_months(period[0], -1))
    shown = results[_overlaps(results["period_start"], results["period_end"], period)]
    started = in_areas[_overlaps(in_areas["start_date"], in_areas["start_date"], period)]
    return InPeriod(
        groups=groups,
        area_measures=area_measure_lines(in_areas, period),
        earlier_area_measures=area_measure_lines(in_areas, before, EARLIER_MEASURES),
        note=measures_note(results, groups, gemeente_name),
        is_demo=bool(shown["is_demo"].any()) or bool(started["is_demo"].any()),
    )
