"""The Wijkprofiel: one wijk, buurt or area group on one printable page. Its key figures against
the city (with the rank among the areas of its level), its development per year, the measures
and residents' quotes of the plan documents, and the resident survey.

A link (from the Kaart) may name a category option and a period: the option is then the key
figures' first subject, marked "(gekozen)" in words, and the development chart's; the key figures
cover the period against the same months a year earlier. A public view shows whole calendar years
from the public release, which the app keeps (dashboard.show, cached per database): the page
passes it in as `Public`; the page refuses a linked period there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import pandas as pd

from ivpdata import changes, formatting, mapping, periods, provenance, queries, significance, trends
from ivpdata.config import load_periods, load_settings
from ivpdata.fetch import Fetch
from ivpdata.measures import profile_measure_line, profile_quote
from ivpdata.page_models.trends import ReleasedTrends, TrendChart, Views, month_counts_per_option
from ivpdata.safetext import markdown_literal

CHOSEN = "gekozen"  # the linked option's mark in the key figures: in words, not by colour only
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
        minimum: int,
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

    def subjects(self, option: str | None) -> list[str]:
        """The key figures' subjects: a chosen option first, then the fixed ones."""
        chosen = [option] if option in self.option_names else []
        return [*chosen, *(o for o in self.shown if o not in chosen)]

    def months(self) -> list[dt.date]:
        """Every month from the first with data to the last: the periods a link may ask for."""
        return trends.view_months(self.years)


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


def heading(menu: Menu, target: str, year: int, period: periods.Period | None = None, printable: bool = True) -> str:
    """The line under the title (Markdown): the area and the period shown against its comparison,
    and (`printable`: not on a slide) how to print it."""
    where = f"{markdown_literal(menu.labels[target])} in {markdown_literal(menu.gemeente_name)}"
    return f"{where} · {compared(menu, year, period)}" + (" · afdrukken met Ctrl+P" if printable else "")


def whole_year(period: periods.Period) -> int | None:
    """The year when `period` is one whole calendar year, else None."""
    return period[0].year if period == periods.calendar_year(period[0].year) else None


def compared(menu: Menu, year: int, period: periods.Period | None) -> str:
    """'2025 vergeleken met 2024', or for a linked period 'jul 2024 - jun 2025 vergeleken met jul
    2023 - jun 2024' (or '..., zonder vergelijking' when there are no figures a year earlier)."""
    if period is None or whole_year(period) is not None:
        shown = year if period is None else period[0].year
        return f"{shown} vergeleken met {shown - 1}"
    earlier = periods.year_earlier(period, trends.first_month(menu.years))
    against = (
        f"vergeleken met {periods.label(earlier)}" if earlier else "zonder vergelijking (geen cijfers een jaar eerder)"
    )
    return f"{periods.label(period)} {against}"


def option_views(menu: Menu, target: str, public: Public | None, shown: list[str] | None = None) -> Views:
    """Per option (`shown`, default the profile's) the categories counted: in a public view as the
    release shows the area's level."""
    shown = menu.shown if shown is None else shown
    if public is not None:
        return public.views(target=target, level=menu.level(target), shown=shown)
    codes = menu.options.set_index("option_code")["category_codes"]
    return {option: (tuple(codes[option]), "gemeente", None) for option in shown}


def option_counts(fetch: Fetch, menu: Menu, target: str, views: Views) -> dict[str, pd.DataFrame]:
    """target_month_counts of the area and the city per option."""
    return month_counts_per_option(fetch, menu.gemeente_code, (target, menu.gemeente_code), views)


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


def key_figures(
    fetch: Fetch,
    menu: Menu,
    target: str,
    year: int,
    public: Public | None,
    option: str | None = None,
    period: periods.Period | None = None,
) -> KeyFigures:
    """The area's key figures of `year` against the year before and the city; a year with data for
    only its first months is compared with the same months of the year before. `option` (a
    link's category option) comes first, marked; `period` (a link's months, never in a public
    view) replaces the calendar year: against the same months a year earlier."""
    if public is not None or period is None:  # a public view: whole calendar years only, never a link's period
        figures = year_key_figures(fetch, menu, target, year, public, option)
    elif (whole := whole_year(period)) is not None:
        figures = year_key_figures(fetch, menu, target, whole, None, option)
    else:
        figures = period_key_figures(fetch, menu, target, period, option)
    return mark_chosen(figures, menu, option)


def _compared_counts(table: pd.DataFrame) -> pd.Series:
    """The key figures' comparison counts: their second 'Aantal' column (the year or months before)."""
    return table[[column for column in table.columns if str(column).startswith("Aantal")][1]]


def mark_chosen(figures: KeyFigures, menu: Menu, option: str | None) -> KeyFigures:
    """The chosen option's subject said in words: 'Diefstal/inbraak woning (gekozen)'."""
    if option not in menu.option_names:
        return figures
    name = menu.option_names[str(option)]
    table = figures.table.copy()
    subject = table["Onderwerp"]  # a public view may name what it leaves out: 'Alle misdrijven (zonder ...)'
    chosen = (subject == name) | subject.str.startswith(f"{name} (")
    table["Onderwerp"] = subject.where(~chosen, subject + f" ({CHOSEN})")
    return replace(figures, table=table)


def year_key_figures(
    fetch: Fetch, menu: Menu, target: str, year: int, public: Public | None, option: str | None
) -> KeyFigures:
    """The key figures of calendar `year` (see `key_figures`)."""
    settings, level, subjects = load_settings(), menu.level(target), menu.subjects(option)
    alpha = float(settings["significance_level"])
    counts = option_counts(fetch, menu, target, option_views(menu, target, public, subjects))
    population = fetch(queries.target_population, target_codes=(target, menu.gemeente_code))
    status = menu.years.set_index("year")
    months = int(status.at[year, "last_month"]) if year in status.index and status.at[year, "months"] < 12 else 12
    if public is not None:  # labelled from the release already
        table, notes = public.figures(
            target=target,
            level=level,
            year=year,
            population=population,
            shown=subjects,
            significance_level=alpha,
            minimum=changes.min_base(settings),
        )
    else:
        table = trends.profile_figures(
            counts,
            population,
            target,
            menu.gemeente_code,
            year,
            menu.option_names,
            alpha,
            months,
            minimum=changes.min_base(settings),
        )
        notes = []
    incomplete, provisional = year_status(menu.years, year)
    tags = {y: f"Aantal {y} ({', '.join(filter(None, ['voorlopig', incomplete.get(y)]))})" for y in provisional}
    rank = rank_line(fetch, menu, target, year, public, settings, option) if level in ("wijk", "buurt") else None
    return KeyFigures(
        table=table.rename(columns={f"Aantal {y}": tag for y, tag in tags.items()}),
        title=f"Kerncijfers {menu.labels[target]}",
        period=str(year),
        provisional=f"ja, {' en '.join(tags.values())}" if tags else "nee",
        origin=_figures_provenance(trends.counts_provenance(counts), population, range(year - 1, year + 1)),
        notes=[*notes, *changes.small_base_notes(_compared_counts(table), changes.min_base(settings))],
        caption=figures_caption(alpha, incomplete, provisional),
        rank=rank,
    )


def period_key_figures(fetch: Fetch, menu: Menu, target: str, period: periods.Period, option: str | None) -> KeyFigures:
    """The key figures of a linked period of months against the same months a year earlier."""
    settings, subjects = load_settings(), menu.subjects(option)
    alpha = float(settings["significance_level"])
    counts = option_counts(fetch, menu, target, option_views(menu, target, None, subjects))
    population = fetch(queries.target_population, target_codes=(target, menu.gemeente_code))
    earlier = periods.year_earlier(period, trends.first_month(menu.years))
    table = period_figures(
        counts,
        population,
        target,
        menu.gemeente_code,
        period,
        earlier,
        menu.option_names,
        alpha,
        minimum=changes.min_base(settings),
    )
    now = f"Aantal {periods.label(period)}"
    provisional = any(bool(within(frame, period)["is_provisional"].any()) for frame in counts.values())
    tag = f"{now} (voorlopig)"
    level = menu.level(target)
    rank = rank_line(fetch, menu, target, period[1].year, None, settings, option, period)
    return KeyFigures(
        table=table.rename(columns={now: tag}) if provisional else table,
        title=f"Kerncijfers {menu.labels[target]}",
        period=periods.label(period),
        provisional=f"ja, {tag}" if provisional else "nee",
        origin=_figures_provenance(
            trends.counts_provenance({o: within(f, period) for o, f in counts.items()}),
            population,
            range((earlier or period)[0].year, period[1].year + 1),
        ),
        notes=changes.small_base_notes(_compared_counts(table), changes.min_base(settings)),
        caption=period_caption(alpha, period, earlier, provisional),
        rank=rank if level in ("wijk", "buurt") else None,
    )


def _figures_provenance(counted: str | None, population: pd.DataFrame, years: range) -> str | None:
    """The key figures' provenance: of their counts and of the inhabitants of `years` under their
    rates per 1,000 (demo inhabitants make real counts' rates partly demo, as on the Kaart)."""
    inhabitants = provenance.of_flags(population.loc[population["year"].isin(years), "is_demo"])
    return provenance.combined([counted, inhabitants])


def within(counts: pd.DataFrame, period: periods.Period) -> pd.DataFrame:
    """The target_month_counts rows of the months of `period`."""
    months = pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1})
    return counts[months.between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]


def period_figures(
    counts: dict[str, pd.DataFrame],
    population: pd.DataFrame,
    target: str,
    city: str,
    period: periods.Period,
    earlier: periods.Period | None,
    option_names: dict[str, str],
    level: float,
    *,
    minimum: int,
) -> pd.DataFrame:
    """Key figures of an area against the city over a period of months, with the change against
    `earlier` (the same months a year earlier; None: no figures then). Rates per 1,000 inhabitants
    of the period's last year, as the Kaart gives them, for the area and the city alike."""
    inhabitants = population.set_index(["target_code", "year"])["inhabitants"]
    now_column = f"Aantal {periods.label(period)}"
    earlier_column = f"Aantal {periods.label(earlier)}" if earlier else "Aantal een jaar eerder"
    rows = []
    for option, frame in counts.items():
        mine, theirs = frame[frame["target_code"] == target], frame[frame["target_code"] == city]
        now_rows, before_rows = within(mine, period), within(mine, earlier) if earlier else mine.iloc[0:0]
        now, before = int(now_rows["incident_count"].sum()), int(before_rows["incident_count"].sum())
        people, city_people = inhabitants.get((target, period[1].year)), inhabitants.get((city, period[1].year))
        rate = now * 1000 / people if people else np.nan
        city_rate = int(within(theirs, period)["incident_count"].sum()) * 1000 / city_people if city_people else np.nan
        reason = period_reason(mine, period, earlier) or period_reason(theirs, period, earlier)
        compare = bool(before) and not reason
        rows.append(
            {
                "Onderwerp": option_names.get(option, option),
                now_column: now if not now_rows.empty else provenance.NO_FIGURES,
                earlier_column: before if not before_rows.empty else provenance.NO_FIGURES,
                "Verandering (%)": changes.relative(before, now, minimum) if compare else np.nan,
                "Oordeel": reason or str(significance.verdict(now, before, level, significance.p_value(now, before))),
                "Per 1.000 inwoners": rate,
                "Stad per 1.000": city_rate,
                "Index (stad = 100)": rate / city_rate * 100 if city_rate else np.nan,
            }
        )
    return pd.DataFrame(rows)


def period_reason(counts: pd.DataFrame, period: periods.Period, earlier: periods.Period | None) -> str:
    """Why the period is not compared with the months a year earlier ('' when it is)."""
    if earlier is None:
        return "niet vergeleken: geen cijfers een jaar eerder"
    if "real_rows" not in counts:
        return ""
    now, before = (provenance.monthly_coverage(counts, p) for p in (period, earlier))
    return provenance.reason(now, before, periods.label(period), periods.label(earlier))


def period_caption(level: float, period: periods.Period, earlier: periods.Period | None, provisional: bool) -> str:
    """The caption under the key figures of a linked period."""
    percent = formatting.number(level * 100)
    against = f"dezelfde maanden een jaar eerder ({periods.label(earlier)})" if earlier else "geen (geen cijfers)"
    return (
        f"Periode uit de link: {periods.label(period)}; vergeleken met {against}. "
        f"Oordeel: exacte Poisson-toets op het aantal (niveau {percent}%). "
        f"Per 1.000 inwoners: het aantal in de periode per 1.000 inwoners van {period[1].year}. "
        "Index: per 1.000 inwoners, de stad = 100."
        + (" De periode bevat voorlopige cijfers: die kunnen nog veranderen." if provisional else "")
    )


def rank_line(
    fetch: Fetch,
    menu: Menu,
    target: str,
    year: int,
    public: Public | None,
    settings: dict,
    option: str | None = None,
    period: periods.Period | None = None,
) -> str:
    """'**Rang onder de wijken** (alle misdrijven): 3e van 12 ...': on the chosen option (else the
    first) per 1,000 inhabitants in calendar `year` or `period`; in a public view on the first
    option in `year`, among the areas the release shows."""
    level = menu.level(target)
    option = menu.shown[0] if public is not None else menu.subjects(option)[0]
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
            period=period or periods.calendar_year(year),
            comparison=None,
        )
        rank = mapping.rank_text(mapping.area_measures(counts, "per_1000", thresholds), target, "per_1000")
    return f"**Rang onder de {level}en** ({markdown_literal(menu.option_names[option].lower())}): {rank}"


def development(fetch: Fetch, menu: Menu, target: str, public: Public | None, option: str | None = None) -> TrendChart:
    """The chosen option (else the first) per 1,000 inhabitants per year, the area against the
    city, with its measures."""
    subjects, city = menu.subjects(option), menu.gemeente_code
    option, views = subjects[0], option_views(menu, target, public, subjects)
    counts = {option: option_counts(fetch, menu, target, views)[option]}  # the key figures' query, read once
    population = fetch(queries.target_population, target_codes=(target, city))
    # The gemeente first and named as on Trends, which opens with it: its line blue on both pages.
    names = {city: f"{menu.gemeente_name} ({trends.LEVEL_NAMES['gemeente']})", target: menu.labels[target]}
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
    """The resident survey of the area as a table, or a caption saying there is none; `printed`:
    the line a print gives instead of the table (which can be longer than the page)."""

    table: pd.DataFrame | None
    empty: str
    title: str
    demo: bool
    source: str
    printed: str = ""


def survey(fetch: Fetch, menu: Menu, target: str) -> Survey:
    found = fetch(queries.target_survey, target_code=target)
    title = f"Bewonersonderzoek {menu.labels[target]}"
    if found.empty:
        return Survey(None, NO_SURVEY, title, False, "")
    names = SURVEY_COLUMNS
    table = found.astype({"year": str}).rename(columns=names)[list(names.values())].dropna(axis=1, how="all")
    years = [str(y) for y in sorted({int(y) for y in found["year"]})]
    when = " en ".join([", ".join(years[:-1]), years[-1]] if len(years) > 1 else years)
    questions, results = found["question"].nunique(), "resultaat" if len(found) == 1 else "resultaten"
    printed = (
        f"Afgedrukt zonder de tabel: {len(found)} {results} over {questions} "
        f"{'vraag' if questions == 1 else 'vragen'} uit {when}; de tabel staat op het scherm en in de export."
    )
    demo, source = bool(found["is_demo"].any()), ", ".join(found["source_title"].unique())
    return Survey(table, "", title, demo, source, printed)
