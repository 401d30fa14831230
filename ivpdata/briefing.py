"""The Driehoeksrapportage: what the PDF briefing for the driehoek (mayor, police chief,
prosecutor) shows for a gemeente and a period of whole months, gathered from the database the way
the pages compute it: key figures as the Overzicht, "Wat valt op" as the Overzicht, the city's
categories as the CompStat of the Trends page, the map as the Kaart, the plan's status as
Prioriteiten and the measures as Maatregelen. Plain data out (dataclasses, DataFrames and one
Altair chart, the types in ivpdata/briefing_model.py); the layout is ivpdata/briefing_pdf.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import duckdb
import numpy as np
import pandas as pd
import shapely
from babel.dates import format_date

from ivpdata import (
    changes,
    charts,
    disclosure,
    formatting,
    mapping,
    overview,
    progress,
    provenance,
    queries,
    significance,
    trends,
)
from ivpdata import fetch as fetching
from ivpdata.briefing_model import (
    DEMO_WARNING as DEMO_WARNING,  # re-exported: callers read briefing.DEMO_WARNING
)
from ivpdata.briefing_model import (
    Briefing,
    HotspotMap,
    KeyFigure,
    MeasureGroup,
    NotableChange,
    PriorityStatus,
)
from ivpdata.briefing_pdf import render_pdf
from ivpdata.fetch import Fetch
from ivpdata.page_models import maatregelen, overzicht, prioriteiten
from ivpdata.page_models import trends as trends_model
from ivpdata.periods import (
    Period,
    Window,
    add_months,
    calendar_year,
    month_label,
    month_short,
    public_year,
    year_earlier,
)

KEY_FIGURE_OPTIONS = {"totaal": "misdrijven", "hic": "hic", "overlast": "overlast"}  # figure -> category option
MAP_OPTION = "hic"
MAP_LEVEL = "buurt"
TOP_AREAS = 5
PLURALS = {"buurt": "buurten", "wijk": "wijken"}
NO_COMPARISON = overzicht.NO_COMPARISON
PUBLIC_MAP_OPTION = "misdrijven"  # one of the release's public buurt totals (disclosure.PUBLIC_BUURT_OPTIONS)
NO_PUBLIC_YEAR = "Openbare versie: er is nog geen volledig kalenderjaar met gegevens."
HIDDEN_REASON = f"{mapping.PUBLIC_REASON}: afgeschermd volgens de onthullingsregels"  # greyed on the public map


def month_name(month: dt.date) -> str:
    return format_date(month, "MMMM", locale="nl")


def period_text(period: Period) -> str:
    """'oktober 2025', 'januari t/m oktober 2025', 'november 2024 t/m oktober 2025'."""
    start, end = period
    if start == end:
        return month_label(start)
    if start.year == end.year:
        return f"{month_name(start)} t/m {month_name(end)} {end.year}"
    return f"{month_label(start)} t/m {month_label(end)}"


def short_period_text(period: Period) -> str:
    """'okt 2025', 'jan–okt 2025', 'nov 2024–okt 2025': for column headers."""
    start, end = period
    if start == end:
        return month_short(start)
    if start.year == end.year:
        return f"{format_date(start, 'MMM', locale='nl')}–{month_short(end)}"
    return f"{month_short(start)}–{month_short(end)}"


def months_text(months: list[dt.date]) -> str:
    """Runs of consecutive months: 'juli t/m oktober 2025', 'maart 2024 en juli t/m augustus 2025'."""
    runs: list[list[dt.date]] = []
    for month in sorted(set(months)):
        if runs and add_months(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    texts = [period_text((run[0], run[-1])) for run in runs]
    return " en ".join([", ".join(texts[:-1]), texts[-1]]) if len(texts) > 1 else "".join(texts)


def normalise(start: dt.date, end: dt.date) -> Period:
    """Whole months: each date as the first day of its month."""
    period = (start.replace(day=1), end.replace(day=1))
    if period[0] > period[1]:
        raise ValueError(f"period starts after it ends: {start} > {end}")
    return period


def _option_codes(options: pd.DataFrame) -> dict[str, list[str]]:
    return {row.option_code: list(row.category_codes) for row in options.itertuples()}


def _in(frame: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    if period is None:
        return frame.iloc[0:0]
    months = pd.to_datetime({"year": frame["year"], "month": frame["month"], "day": 1})
    return frame[months.between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]


def monthly_key_figures(
    counts: pd.DataFrame,
    population: pd.DataFrame,
    codes: dict[str, list[str]],
    gemeente_code: str,
    period: Period,
    comparison: Period | None,
) -> pd.DataFrame:
    """The key_figures query's columns for a period of months that is not a calendar year: sums of
    the monthly counts (as the Trends page sums them), inhabitants in the period's last year."""
    inhabitants = population[population["target_code"] == gemeente_code].set_index("year")
    now, before = _in(counts, period), _in(counts, comparison)
    rows = []
    for figure, option in KEY_FIGURE_OPTIONS.items():
        mine, theirs = (f[f["category_code"].isin(codes.get(option, []))] for f in (now, before))
        pop = inhabitants.loc[period[1].year] if period[1].year in inhabitants.index else None
        prev_pop = (
            inhabitants.loc[comparison[1].year] if comparison and comparison[1].year in inhabitants.index else None
        )
        count = float(mine["incident_count"].sum()) if not mine.empty else np.nan
        previous = float(theirs["incident_count"].sum()) if not theirs.empty else np.nan
        is_demo = bool(mine["is_demo"].any() or theirs["is_demo"].any())
        option_codes = codes.get(option, [])
        now_cover = provenance.monthly_coverage(counts, period, option_codes) if "real_rows" in counts else None
        before_cover = (
            provenance.monthly_coverage(counts, comparison, option_codes) if now_cover and comparison else None
        )
        rows.append(
            {
                "figure": figure,
                "incident_count": count,
                "previous_count": previous,
                "per_1000": count * 1000 / pop["inhabitants"] if pop is not None else np.nan,
                "previous_per_1000": previous * 1000 / prev_pop["inhabitants"] if prev_pop is not None else np.nan,
                "is_demo": is_demo,
                "is_provisional": bool(mine["is_provisional"].any()),
                "source_ids": "demo" if is_demo else None,
                "previous_source_ids": "demo" if is_demo else None,
                "population_is_demo": bool(pop is not None and pop["is_demo"]),
                **_coverage_columns(now_cover, before_cover),
            }
        )
    return pd.DataFrame(rows)


def _coverage_columns(now: provenance.Coverage | None, before: provenance.Coverage | None) -> dict:
    """The key_figures query's coverage columns for monthly sums (none when the counts have none)."""
    if now is None:
        return {}
    before = before or provenance.Coverage()
    return {
        "current_is_demo": bool(now.demo_rows),
        "previous_is_demo": bool(before.demo_rows),
        "real_rows": now.real_rows,
        "demo_rows": now.demo_rows,
        "cells": now.cells,
        "expected_cells": now.expected_cells,
        "previous_real_rows": before.real_rows,
        "previous_demo_rows": before.demo_rows,
        "previous_cells": before.cells,
        "previous_expected_cells": before.expected_cells,
    }


# Dutch names of derived columns, for the disclosure note ("x bij verandering: ...").
DERIVED_NAMES = {
    "per_1000": "per 1.000 inwoners",
    "previous_per_1000": "per 1.000 inwoners",
    "difference": "verschil",
    "change": "verandering",
    "change_abs": "verschil",
    "verdict": "oordeel",
}


def protect(
    frame: pd.DataFrame,
    counts: list[str],
    rules: disclosure.Rules | None,
    derived: dict[str, list[str]] | None = None,
    lines: list[list[str]] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The frame as a public view may show it (disclosure.protect_table), or as it is without rules:
    hidden counts become '< 5' or 'x', and so do the columns `derived` from them."""
    if rules is None or frame.empty:
        return frame, []
    numeric = frame.assign(**{c: pd.to_numeric(frame[c], errors="coerce").fillna(0) for c in counts})
    result = disclosure.protect_table(
        numeric, counts, rules, derived=derived, lines=lines if lines is not None else [], labels=DERIVED_NAMES
    )
    return result.frame, result.notes


def key_figures(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    level: float,
    names: tuple[str, str] = ("nu", "eerder"),
) -> list[KeyFigure]:
    """Key figures formatted as overview.key_figure_cards formats them, with the change's verdict.
    (The public figures arrive already protected, from the Overzicht's page model.)"""
    result = []
    for row in figures.itertuples():
        count, previous = row.incident_count, row.previous_count
        labelled = isinstance(count, str) or isinstance(previous, str)  # a release's '< 5' or 'x'
        has_previous = not labelled and not formatting.is_missing(previous)
        now, before = provenance.key_figure_coverage(row), provenance.key_figure_coverage(row, previous=True)
        note = provenance.reason(now, before, names[0], names[1]) if has_previous else ""
        comparable = not labelled and not formatting.is_missing(count) and has_previous and bool(previous) and not note
        hidden = labelled  # a figure the release hides, or one that would give it away
        difference = count - previous if comparable else None
        verdict = str(significance.verdict(count, previous, level)) if comparable and not hidden else ""
        if isinstance(row.source_ids, str) and row.source_ids:
            source_text = overview.source_line(row.source_ids, sources)
        else:
            source_text = "Bron: politie/CBS, maandcijfers per buurt"
        if provenance.MIXED in (now.provenance, before.provenance):
            source_text += " · deels echte cijfers (import)"
        if row.population_is_demo:
            source_text += " · inwonertal: demodata"
        result.append(
            KeyFigure(
                figure=row.figure,
                label=overview.FIGURE_LABELS[row.figure],
                count=None if formatting.is_missing(count) or isinstance(count, str) else float(count),
                previous_count=None
                if formatting.is_missing(previous) or isinstance(previous, str)
                else float(previous),
                value=formatting.shown(row.incident_count) if not formatting.is_missing(count) else formatting.MISSING,
                previous=formatting.shown(row.previous_count)
                if not formatting.is_missing(previous)
                else formatting.MISSING,
                difference=disclosure.HIDDEN_MARK if hidden else formatting.signed(difference),
                change=disclosure.HIDDEN_MARK
                if hidden
                else formatting.change_percent(difference / previous)
                if comparable
                else formatting.MISSING,
                per_1000=formatting.shown(row.per_1000, 1),
                previous_per_1000=formatting.shown(row.previous_per_1000, 1),
                verdict=verdict,
                is_demo=bool(row.is_demo or row.population_is_demo),
                is_provisional=bool(row.is_provisional),
                source_line=source_text,
                help=overview.FIGURE_HELP[row.figure],
                provenance=provenance.combined([now.provenance, before.provenance if has_previous else None]),
                comparison_note=note,
            )
        )
    return result


def notable(pairs: pd.DataFrame, settings: dict) -> tuple[list[NotableChange], list[str]]:
    """'Wat valt op' of buurt and category pairs by the Overzicht's rule (`overzicht.listed_changes`
    of trends.notable_changes with the same settings), with the PDF's note on a missing percentage."""
    alpha, min_count = float(settings["significance_level"]), int(settings["notable_min_count"])
    rows = trends.notable_changes(pairs, alpha, min_count, int(settings["notable_changes"]))
    listed = overzicht.listed_changes(rows, settings)
    return listed, percent_notes(listed, settings)


def percent_notes(listed: list[NotableChange], settings: dict) -> list[str]:
    """The PDF's note under a list that leaves out a percentage (a base under `changes.min_base`)."""
    return (
        [changes.rule_note(changes.min_base(settings))] if any(c.change == formatting.MISSING for c in listed) else []
    )


def city_changes(
    counts: pd.DataFrame,
    options: pd.DataFrame,
    period: Period,
    comparison: Period,
    level: float,
    minimum: int,
    rules: disclosure.Rules | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Per category of the gemeente: the period against a year earlier with the CompStat verdict
    (trends.compstat, as on the Trends page), categories in the app's order, without those that
    had no incident in either period. A percentage only on a base of `minimum` (changes.short_text).
    With disclosure rules small counts are hidden, and further cells where the misdrijf and
    overlast totals (public key figures) would give them away."""
    categories = options[options["option_kind"] == "categorie"]
    names = dict(zip(categories["option_code"], categories["option_name"], strict=True))
    table, _ = trends_model.compstat_table(counts, [Window("Periode", period, comparison)], level, names)
    columns = [
        "Categorie",
        "Nu",
        "Eerder",
        "Verschil",
        "Verandering",
        "Oordeel",
        "current",
        "earlier",
        "verdict",
        "reason",
    ]
    if table.empty:
        return pd.DataFrame(columns=columns), []
    table = table.set_index("category_code")
    totals = table["current"] + table["earlier"]
    table = table.loc[[code for code in categories["option_code"] if code in table.index and totals[code] > 0]]
    overlast = set(_option_codes(options).get("overlast", []))
    table = table.assign(group=["overlast" if code in overlast else "misdrijf" for code in table.index])
    pair = ["current", "earlier"]
    derived = {"difference": pair, "change": pair, "verdict": pair}
    shown, notes = protect(table.reset_index(), pair, rules, derived, lines=[["group"]])
    return _city_frame(shown, table, minimum, notes)


def _corrected_verdicts(table: pd.DataFrame, reasons: pd.DataFrame, level: float) -> pd.DataFrame:
    """The verdict per category, its p-value corrected for the table's tests (Benjamini-Hochberg, as
    `trends.corrected`); only pairs whose figures are both shown are tested."""
    shown = (reasons["current"] == disclosure.SHOWN) & (reasons["earlier"] == disclosure.SHOWN)
    tested = shown & (table["current"] + table["earlier"] > 0)
    verdicts = pd.Series(significance.NEUTRAL, index=table.index, dtype=object)
    if tested.any():
        p = significance.adjusted(significance.p_value(table.loc[tested, "current"], table.loc[tested, "earlier"]))
        verdicts[tested] = significance.verdict(table.loc[tested, "current"], table.loc[tested, "earlier"], level, p)
    return table.assign(verdict=verdicts.astype(str))


def _city_frame(
    shown: pd.DataFrame, table: pd.DataFrame, minimum: int, notes: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The table of categories as the PDF prints it: `shown` with labels where hidden, `table` the
    true counts (current, earlier) in the same order."""
    marks = {
        significance.RISE: f"{trends.RISE_MARK} stijging",
        significance.FALL: f"{trends.FALL_MARK} daling",
        significance.NOT_COMPARABLE: significance.NOT_COMPARABLE,
    }
    percentages = [
        v
        if isinstance(v, str)
        else formatting.MISSING
        if verdict == significance.NOT_COMPARABLE
        else changes.short_text(before, now, minimum)
        for v, before, now, verdict in zip(
            shown["change"], table["earlier"], table["current"], table["verdict"], strict=True
        )
    ]
    skipped = (table["verdict"] == significance.NOT_COMPARABLE).to_numpy()
    if formatting.MISSING in [p for p, s in zip(percentages, skipped, strict=True) if not s]:
        notes = [*notes, changes.rule_note(minimum)]
    if skipped.any() and "reason" in table:
        reason = str(pd.Series(table["reason"].to_numpy()[skipped]).mode().iloc[0])
        notes = [*notes, f"{reason[:1].upper()}{reason[1:]}."]
    return pd.DataFrame(
        {
            "Categorie": shown["category_name"],
            "Nu": shown["current"].map(formatting.shown),
            "Eerder": shown["earlier"].map(formatting.shown),
            "Verschil": [
                formatting.MISSING if skip else v if isinstance(v, str) else formatting.signed(v)
                for v, skip in zip(shown["difference"], skipped, strict=True)
            ],
            "Verandering": percentages,
            "Oordeel": shown["verdict"].map(
                lambda v: "niet getoond" if v == disclosure.HIDDEN_MARK else marks.get(v, "niet significant")
            ),
            "current": table["current"].astype(int).to_numpy(),
            "earlier": table["earlier"].astype(int).to_numpy(),
            "verdict": shown["verdict"].astype(str).to_numpy(),
            "reason": table["reason"].to_numpy() if "reason" in table else "",
        }
    ), notes


def released_city_changes(
    releases: dict[int, disclosure.Release],
    gemeente_code: str,
    options: pd.DataFrame,
    year: int,
    level: float,
    minimum: int,
    rules: disclosure.Rules,
) -> tuple[pd.DataFrame, list[str]]:
    """`city_changes` of calendar `year` against the year before as the public release has them:
    each category's gemeente figure (disclosure.public_figure), a hidden one '< 5' or 'x' and what
    follows from it 'x'. Categories without any incident in both years are left out."""
    now, before = releases[year], releases[year - 1]
    categories = options[options["option_kind"] == "categorie"]
    rows, reasons = [], []
    for code, name in zip(categories["option_code"], categories["option_name"], strict=True):
        if code not in now.kinds:  # not in the release: not public
            continue
        (current, current_reason), (earlier, earlier_reason) = (
            disclosure.public_figure(release, "gemeente", (gemeente_code,), (code,), rules) for release in (now, before)
        )
        if current_reason == earlier_reason == disclosure.SHOWN and not current + earlier:
            continue
        difference = current - earlier
        rows.append(
            {
                "category_name": name,
                "current": current,
                "earlier": earlier,
                "difference": difference,
                "change": difference,
            }
        )
        reasons.append({"current": current_reason, "earlier": earlier_reason})
    columns = ["Categorie", "Nu", "Eerder", "Verschil", "Verandering", "Oordeel", "current", "earlier", "verdict"]
    if not rows:
        return pd.DataFrame(columns=columns), []
    table = _corrected_verdicts(pd.DataFrame(rows), pd.DataFrame(reasons), level)
    pair = ["current", "earlier"]
    derived = {"difference": pair, "change": pair, "verdict": pair}
    shown = disclosure.labelled_table(
        table, pd.DataFrame(reasons), rules, counts=pair, derived=derived, labels=DERIVED_NAMES
    )
    return _city_frame(shown.frame, table, minimum, shown.notes)


def _oriented(wkb: bytes) -> shapely.Geometry:
    """A boundary for d3 (Vega): simplified as on the Kaart, exterior rings clockwise."""
    geometry = shapely.from_wkb(bytes(wkb)).simplify(0.0001, preserve_topology=True)
    return shapely.orient_polygons(geometry, exterior_cw=True)


MAP_WIDTH, MAP_MAX_HEIGHT, MAP_MIN_HEIGHT = 560, 600, 260  # pixels, before the PNG's scale


def _aspect(extent: tuple[float, float, float, float]) -> float:
    """Height over width of a lon/lat box as Mercator draws it (locally: x shrinks by cos(lat))."""
    min_x, min_y, max_x, max_y = extent
    width = (max_x - min_x) * np.cos(np.radians((min_y + max_y) / 2))
    return (max_y - min_y) / width if width > 0 else 1.0


def map_size(extent: tuple[float, float, float, float]) -> tuple[int, int]:
    """Chart width and height that fit the gemeente's shape without wasting the page."""
    aspect = _aspect(extent)
    height = min(max(MAP_WIDTH * aspect, MAP_MIN_HEIGHT), MAP_MAX_HEIGHT)
    return int(min(MAP_WIDTH, height / aspect)), int(height)


def spread_marks(marks: pd.DataFrame, extent: tuple[float, float, float, float], share: float = 0.035) -> pd.DataFrame:
    """Move numbered marks apart that would overlap (neighbouring small buurten): each pair closer
    than `share` of the map's larger side is pushed apart along the line between them."""
    if len(marks) < 2:
        return marks
    scale = np.cos(np.radians((extent[1] + extent[3]) / 2))
    xy = np.column_stack([marks["lon"].to_numpy(float) * scale, marks["lat"].to_numpy(float)])
    minimum = share * max((extent[2] - extent[0]) * scale, extent[3] - extent[1])
    for _ in range(50):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                gap = xy[j] - xy[i]
                distance = float(np.hypot(*gap))
                if distance < minimum:
                    direction = gap / distance if distance > 0 else np.array([1.0, 0.0])
                    push = direction * (minimum - distance) / 2
                    xy[i] -= push
                    xy[j] += push
                    moved = True
        if not moved:
            break
    return marks.assign(lon=xy[:, 0] / scale, lat=xy[:, 1])


def hotspot_map(
    counts: pd.DataFrame,
    geometries: pd.DataFrame,
    option_name: str,
    settings: dict,
    period: Period,
    level: str = MAP_LEVEL,
    rules: disclosure.Rules | None = None,
    reasons: pd.DataFrame | None = None,
) -> HotspotMap:
    """The Kaart's choropleth for one option per area of `level`: per 1,000 inhabitants (as a count
    when no inhabitants are known), unstable areas grey, the same classes, colours and legend.

    With disclosure rules, an area whose count a public view may not show is grey as well (the
    areas sum to the public city figure, so complementary cells are hidden too). With `reasons`
    (per row of `counts`: incident_count and comparison_count, decided by a public release) those
    decide instead, and `counts` holds the release's figures."""
    measure = "per_1000" if counts["inhabitants"].notna().any() else "count"
    thresholds = mapping.thresholds_for(settings, level)
    values = mapping.area_measures(counts, measure, thresholds)
    public, table_notes = _public_values(values, rules, reasons)
    hidden = public["incident_count"].map(lambda v: isinstance(v, str)).astype(bool)
    values.loc[hidden, "is_stable"] = False
    values.loc[hidden, "unstable_reason"] = HIDDEN_REASON  # the legend says so (mapping.hatch_text)
    values, legend = _classes(values, measure, thresholds)
    top, top_counts, rank = _top_areas(values, public, level, thresholds)
    if top["Verandering"].astype(str).str.contains(" naar ").any():
        table_notes = [*table_notes, changes.rule_note(thresholds.min_incidents_for_change)]
    what = f"{option_name} {mapping.MEASURES[measure].lower()}" if measure == "per_1000" else f"{option_name}, aantal"
    chart: alt.TopLevelMixin | None = None
    outside: list[str] = []
    missing = ""
    if geometries.empty:
        missing = f"Geen grenzen van {PLURALS.get(level, level)} bekend: geen kaart."
    elif not values["incident_count"].sum():
        missing = f"Geen incidenten geregistreerd in {period_text(period)}: geen kaart."
        top, top_counts = top.iloc[0:0], top_counts.iloc[0:0]
    else:
        chart, outside = _choropleth(geometries, values, legend, measure, rank)
    has_unstable = not values["is_stable"].all()
    return HotspotMap(
        title=f"{what} per {level}, {period_text(period)}",
        level=level,
        measure=measure,
        measure_label=mapping.MEASURES[measure],
        chart=chart,
        legend=legend,
        top=top,
        top_counts=top_counts,
        notes=_map_notes(len(top), level, measure, has_unstable, bool(hidden.any()), outside, thresholds),
        is_demo=mapping.shows_demo(values, measure) if not values.empty else False,
        table_notes=table_notes,
        missing=missing,
    )


def _public_values(
    values: pd.DataFrame, rules: disclosure.Rules | None, reasons: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[str]]:
    """The map's counts and what follows from them as a public view may show them (labels where
    hidden), with the notes; as they are without rules."""
    pair = ["incident_count", "comparison_count"]
    derived = {"per_1000": ["incident_count"], "change": pair, "change_abs": pair}
    if reasons is not None and rules is not None:
        labelled = disclosure.labelled_table(
            values[[*pair, *derived]], reasons, rules, counts=pair, derived=derived, labels=DERIVED_NAMES
        )
        return labelled.frame, labelled.notes
    return protect(values[[*pair, *derived]], pair, rules, derived, lines=[[]])


def _classes(
    values: pd.DataFrame, measure: str, thresholds: mapping.Thresholds
) -> tuple[pd.DataFrame, list[mapping.LegendEntry]]:
    """Each area's class (its legend label; unstable ones grey) by the Kaart's bounds, and the legend."""
    bounds = mapping.class_bounds(values.loc[values["is_stable"], "value"], measure, thresholds)
    grey = mapping.hatch_text(values)  # why the grey areas are grey, as the Kaart's legend says it
    highest = mapping.highest_shown(values, measure)
    legend = mapping.legend(measure, bounds, not values["is_stable"].all(), grey, highest=highest)
    classes = mapping.assign_classes(values["value"].fillna(0), bounds, measure)
    values = values.assign(klasse=[legend[int(k)].label for k in classes])
    values.loc[~values["is_stable"], "klasse"] = grey
    return values, legend


def _top_areas(
    values: pd.DataFrame, public: pd.DataFrame, level: str, thresholds: mapping.Thresholds
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The TOP_AREAS stable areas with the highest value: as Dutch text (public labels where hidden),
    with their true counts, and their numbers on the map by area code."""
    stable = values[values["is_stable"]].sort_values("value", ascending=False, kind="stable").head(TOP_AREAS)
    rank = {code: str(i) for i, code in enumerate(stable["area_code"], start=1)}
    top_counts = stable.assign(Nr=list(rank.values()))
    shown = public.loc[stable.index]
    notes = top_counts.get("comparison_note", pd.Series("", index=top_counts.index))
    change = [
        provenance.NOT_COMPARED
        if note
        else changes.NO_COMPARISON
        if not e
        else disclosure.HIDDEN_MARK
        if isinstance(c, str)
        else changes.change_text(e, n, thresholds.min_incidents_for_change)
        for c, e, n, note in zip(
            shown["change"], top_counts["comparison_count"], top_counts["incident_count"], notes, strict=True
        )
    ]
    top = pd.DataFrame(
        {
            "Nr": top_counts["Nr"],
            level.capitalize(): top_counts["area_name"],
            "Aantal": shown["incident_count"].map(formatting.shown),
            "Per 1.000 inwoners": shown["per_1000"].map(lambda v: formatting.shown(v, 1)),
            "Verandering": change,
        }
    ).reset_index(drop=True)
    return top, top_counts, rank


def _choropleth(
    geometries: pd.DataFrame,
    values: pd.DataFrame,
    legend: list[mapping.LegendEntry],
    measure: str,
    rank: dict[str, str],
) -> tuple[alt.TopLevelMixin, list[str]]:
    """The map, fitted to the areas with a stable figure, numbered by `rank`; and the names of the
    areas entirely out of view (far-off grey areas: water, an island, a business park)."""
    merged = geometries.merge(values, on=["area_code", "area_name"], how="left")
    merged["klasse"] = merged["klasse"].fillna(mapping.hatch_text(values))
    stable = merged["is_stable"].fillna(False).astype(bool).to_numpy()
    shapes = [_oriented(w) for w in merged["geometry_wkb"]]
    features = [
        {"type": "Feature", "geometry": mapping.geojson_geometry(shape), "properties": {"name": name, "klasse": klasse}}
        for shape, name, klasse in zip(shapes, merged["area_name"], merged["klasse"], strict=True)
    ]
    in_view = [shape for shape, keep in zip(shapes, stable, strict=True) if keep] if stable.any() else shapes
    extent = shapely.union_all(in_view).bounds
    box = shapely.box(*extent)
    outside = [name for shape, name in zip(shapes, merged["area_name"], strict=True) if not shape.intersects(box)]
    ranked = [
        (shapely.point_on_surface(shape), rank[code], klasse)
        for shape, code, klasse in zip(shapes, merged["area_code"], merged["klasse"], strict=True)
        if code in rank
    ]
    marks = pd.DataFrame(
        [{"lon": p.x, "lat": p.y, "label": label, "klasse": klasse} for p, label, klasse in ranked],
        columns=["lon", "lat", "label", "klasse"],
    )  # each mark in its area's class colour: it covers a small area
    width, height = map_size(extent)
    fit_box = extent if stable.any() else None
    chart = charts.choropleth_chart(
        features, legend, "", mapping.MEASURES[measure], spread_marks(marks, extent), width, height, fit_box
    )
    return chart, outside


def _map_notes(
    top: int,
    level: str,
    measure: str,
    has_unstable: bool,
    hidden: bool,
    outside: list[str],
    thresholds: mapping.Thresholds,
) -> list[str]:
    """The notes under the map: its numbers, what grey means, what is out of view, counts shown."""
    areas = PLURALS.get(level, level)
    numbers = (
        f"Nummers op de kaart: de {top} {areas} met de hoogste waarde (zie de tabel), elk in de kleur van zijn klasse."
    )
    notes = [numbers] if top else []
    if has_unstable and measure == "per_1000":
        minimum = formatting.number(thresholds.min_inhabitants_for_rate)
        notes.append(
            f"Grijs: minder dan {minimum} inwoners of inwonertal onbekend; een cijfer per 1.000 zegt daar weinig."
            + (" Of afgeschermd volgens de onthullingsregels." if hidden else "")
        )
    if outside:
        notes.append(f"Buiten beeld (geen stabiel cijfer): {', '.join(outside)}.")
    if measure == "count":
        notes.append("Geen inwonertallen bekend: de kaart toont aantallen.")
    return notes


def choose_plan(plans: pd.DataFrame, year: int) -> pd.Series | None:
    """The plan in force in `year`; else the newest one that started before it; else the newest."""
    if plans.empty:
        return None
    covering = plans[(plans["start_year"] <= year) & (plans["end_year"] >= year)]
    earlier = plans[plans["start_year"] <= year]
    chosen = covering if not covering.empty else earlier if not earlier.empty else plans
    return chosen.sort_values("start_year", ascending=False).iloc[0]


def _with_unit(name: str, unit: str) -> str:
    """An indicator's name with its unit, unless the name ends with it ('Overlast per 1.000 inwoners')."""
    return name if not unit or name.casefold().endswith(unit.casefold()) else f"{name} ({unit})"


def _indicator_rows(mine: pd.DataFrame) -> pd.DataFrame:
    table = progress.indicator_table(mine)
    number = formatting.auto_number
    return pd.DataFrame(
        {
            "Indicator": [
                _with_unit(name, unit) for name, unit in zip(table["Indicator"], table["Eenheid"], strict=True)
            ],
            "Basis": [f"{number(v)} ({y})" for v, y in zip(table["Basis"], table["Basisjaar"], strict=True)],
            "Actueel": [
                formatting.MISSING if formatting.is_missing(v) else f"{number(v)} ({y.replace(' (', ', ').rstrip(')')})"
                for v, y in zip(table["Actueel"], table["Jaar"], strict=True)
            ],
            "Verwacht (pad)": table["Verwacht"].map(number),
            "Marge (±)": table["Marge (±)"].map(number),
            "Doel": [f"{number(v)} ({y})" for v, y in zip(table["Doel"], table["Doeljaar"], strict=True)],
            "Status": table["Status"].fillna(progress.NO_DATA),
        }
    )


def priority_statuses(found: prioriteiten.Plan) -> list[PriorityStatus]:
    """The plan's top-level priorities as the Prioriteiten page judges them (its page model), laid
    out for the PDF: status counts, goals, and per indicator its figures and status."""
    return [
        PriorityStatus(
            name=priority.name,
            themes=priority.themes,
            statuses=priority.statuses,
            goals=[goal + (" (demodoel)" if demo else "") for goal, demo in priority.goals],
            indicators=_indicator_rows(priority.assessed) if not priority.assessed.empty else pd.DataFrame(),
        )
        for priority in found.priorities
    ]


def public_releases(
    con: duckdb.DuckDBPyConnection, gemeente_code: str, options: pd.DataFrame, rules: disclosure.Rules
) -> dict[int, disclosure.Release]:
    """The public release of every complete calendar year, from the same queries as the pages'
    (show.releases): the yearly counts of every buurt and category."""
    categories = {option: tuple(codes) for option, codes in _option_codes(options).items()}
    codes = sorted({code for found in categories.values() for code in found})
    buurten = queries.buurten(con, gemeente_code)
    yearly = queries.buurt_year_counts(con, gemeente_code, list(buurten["area_code"]), codes)
    return disclosure.make_releases(yearly, buurten, categories, rules)


def public_period(asked: Period, years: list[int]) -> tuple[Period, Period | None, str]:
    """The public version's period: the last complete calendar year (of `years`) that the asked
    period's last month falls in or before, the year before when it has a release, and one Dutch
    line saying so. Raises ValueError when there is no such year."""
    shown = public_year(asked[1].year, years)
    if shown is None:
        raise ValueError(NO_PUBLIC_YEAR)
    period = calendar_year(shown)
    comparison = calendar_year(shown - 1) if shown - 1 in years else None
    note = f"Openbare versie: cijfers over het hele kalenderjaar {shown}"
    note += f", vergeleken met {shown - 1}" if comparison else ""
    if asked != period:
        note += (
            f", in plaats van {period_text(asked)}: openbare cijfers gaan alleen over hele kalenderjaren, zodat "
            "geen klein aantal uit het verschil van twee periodes volgt"
        )
    return period, comparison, note + "."


def released_map(
    con: duckdb.DuckDBPyConnection,
    releases: dict[int, disclosure.Release],
    gemeente_code: str,
    options: pd.DataFrame,
    settings: dict,
    year: int,
    rules: disclosure.Rules,
) -> HotspotMap:
    """The public map: per buurt only the release's 'Alle misdrijven' total (sensitive categories
    left out) against the year before; a hidden buurt is grey and has no rank."""
    categories = {option: tuple(codes) for option, codes in _option_codes(options).items()}
    codes, level, note = disclosure.public_selection(categories[PUBLIC_MAP_OPTION], MAP_LEVEL, categories, rules)
    period, comparison = calendar_year(year), calendar_year(year - 1)
    counts = queries.area_counts(con, gemeente_code, level, codes, period, comparison)
    found = {
        column: [
            disclosure.public_figure(releases[shown], level, (code,), codes, rules)
            if shown in releases
            else (0.0, disclosure.SHOWN)
            for code in counts["area_code"]
        ]
        for column, shown in (("incident_count", year), ("comparison_count", year - 1))
    }
    counts = counts.assign(**{column: [int(n) for n, _ in pairs] for column, pairs in found.items()})
    reasons = pd.DataFrame({column: [r for _, r in pairs] for column, pairs in found.items()}, index=counts.index)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    hotspots = hotspot_map(
        counts,
        queries.area_geometries(con, gemeente_code, level),
        names.get(PUBLIC_MAP_OPTION, PUBLIC_MAP_OPTION),
        settings,
        period,
        level,
        rules,
        reasons,
    )
    if note:
        hotspots.notes.append(f"Openbare versie: {note[:1].lower()}{note[1:]}")
    return hotspots


@dataclass(frozen=True)
class Case:
    """What the briefing is about: the gemeente, its period and comparison (the public version: a
    calendar year of the release, never other months), and what every section needs."""

    con: duckdb.DuckDBPyConnection
    gemeente_code: str
    name: str
    period: Period
    comparison: Period | None
    settings: dict
    options: pd.DataFrame
    years: pd.DataFrame  # queries.available_years
    public: overzicht.Public | None  # the release and the rules; None internally
    public_note: str  # which calendar year the public version shows, and instead of which months

    @property
    def fetch(self) -> Fetch:
        return fetching.on(self.con)

    @property
    def alpha(self) -> float:
        return float(self.settings["significance_level"])


def case_of(
    con: duckdb.DuckDBPyConnection, gemeente_code: str, period: Period, settings: dict, public: bool = False
) -> Case:
    """The gemeente and the period of whole months, compared with the same months a year earlier."""
    municipalities = queries.municipalities(con)
    names = dict(zip(municipalities["gemeente_code"], municipalities["name"], strict=True))
    if gemeente_code not in names:
        raise ValueError(f"unknown gemeente {gemeente_code}")
    years = queries.available_years(con, gemeente_code)
    earliest = dt.date(int(years["year"].min()), 1, 1) if not years.empty else period[0]
    comparison = year_earlier(period, earliest)
    options = queries.category_options(con, gemeente_code)
    release, note = None, ""
    if public:
        rules = disclosure.Rules.from_settings(settings)
        release = overzicht.Public(public_releases(con, gemeente_code, options, rules), rules)
        period, comparison, note = public_period(period, sorted(release.releases))
    return Case(con, gemeente_code, names[gemeente_code], period, comparison, settings, options, years, release, note)


def gathered_key_figures(case: Case, counts: pd.DataFrame) -> tuple[list[KeyFigure], list[str]]:
    """The key figures: the Overzicht's (its page model) for a calendar year or the public version;
    for other months the sums of the monthly counts. Formatted for the PDF, with disclosure notes."""
    period, comparison = case.period, case.comparison
    if case.public is not None or period == calendar_year(period[0].year):
        shown = overzicht.key_figures(case.fetch, case.gemeente_code, period[0].year, case.options, case.public)
        figures, notes = shown.figures, shown.notes
    else:
        population = queries.target_population(case.con, [case.gemeente_code])
        codes = _option_codes(case.options)
        figures, notes = monthly_key_figures(counts, population, codes, case.gemeente_code, period, comparison), []
    names = (short_period_text(period), short_period_text(comparison) if comparison else "")
    formatted = key_figures(figures, queries.sources(case.con), case.alpha, names=names)
    return formatted, notes


def gathered_notable(case: Case) -> overzicht.Notable:
    """'Wat valt op' as the Overzicht computes it (its page model), for the briefing's period; the
    public version's from the release."""
    if case.public is not None:
        year = case.period[0].year
        return overzicht.released_notable(
            case.fetch, case.gemeente_code, year, case.years, case.options, case.settings, case.public
        )
    return overzicht.notable(case.fetch, case.gemeente_code, case.period, case.comparison, case.years, case.settings)


def gathered_city_changes(case: Case, counts: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Per category of the gemeente, as the Trends page's CompStat (public: from the release)."""
    minimum = changes.min_base(case.settings)
    if case.comparison is None:
        return city_changes(counts.iloc[0:0], case.options, case.period, case.period, case.alpha, minimum)
    if case.public is not None:
        return released_city_changes(
            case.public.releases,
            case.gemeente_code,
            case.options,
            case.period[0].year,
            case.alpha,
            minimum,
            case.public.rules,
        )
    return city_changes(counts, case.options, case.period, case.comparison, case.alpha, minimum)


def gathered_map(case: Case) -> HotspotMap:
    """The Kaart's choropleth of the map option per buurt; public: the release's buurt totals."""
    if case.public is not None:
        return released_map(
            case.con,
            case.public.releases,
            case.gemeente_code,
            case.options,
            case.settings,
            case.period[0].year,
            case.public.rules,
        )
    codes = _option_codes(case.options)
    option = MAP_OPTION if MAP_OPTION in codes else "misdrijven"
    counts = queries.area_counts(
        case.con, case.gemeente_code, MAP_LEVEL, tuple(codes.get(option, [])), case.period, case.comparison
    )
    geometries = queries.area_geometries(case.con, case.gemeente_code, MAP_LEVEL)
    names = dict(zip(case.options["option_code"], case.options["option_name"], strict=True))
    return hotspot_map(counts, geometries, names.get(option, option), case.settings, case.period)


@dataclass(frozen=True)
class PlanSection:
    title: str  # '' when the gemeente has no plan
    note: str
    priorities: list[PriorityStatus]
    is_demo: bool  # demo goals or demo indicator figures


def gathered_plan(case: Case) -> PlanSection:
    """The plan in force and its priorities, as the Prioriteiten page judges them."""
    plan = choose_plan(queries.plans(case.con, case.gemeente_code), case.period[1].year)
    if plan is None:
        note = f"Voor {case.name} is nog geen veiligheidsplan opgenomen: geen prioriteiten om te volgen."
        return PlanSection("", note, [], False)
    years = f"{plan['start_year']}-{plan['end_year']}"
    title = plan["title"] if years in plan["title"] else f"{plan['title']} ({years})"
    found = prioriteiten.plan(fetching.on(case.con), case.gemeente_code, plan.rename(plan["plan_id"]))
    goals_demo = found.demo_goals
    notes = []
    if int(plan["end_year"]) < case.period[1].year:
        notes.append(f"Dit plan liep tot en met {plan['end_year']}; er is geen nieuwer plan opgenomen.")
    if goals_demo:
        notes.append(
            "Demodoelen: doelen en streefwaarden met '(demodoel)' zijn illustraties bij de documenten, geen door "
            "de raad vastgestelde doelen."
        )
    return PlanSection(title, " ".join(notes), priority_statuses(found), goals_demo or found.demo_indicators)


@dataclass(frozen=True)
class MeasuresSection:
    groups: list[MeasureGroup]
    lines: list[str]  # measures in an area that started in the period
    earlier: list[str]  # the last few that started before it
    note: str
    is_demo: bool  # a result or a started measure shown is demo data


def gathered_measures(case: Case) -> MeasuresSection:
    """Measure results in the period per priority and measures started in an area, as Maatregelen."""
    found = maatregelen.in_period(fetching.on(case.con), case.gemeente_code, case.name, case.period)
    return MeasuresSection(
        groups=found.groups,
        lines=found.area_measures,
        earlier=found.earlier_area_measures,
        note=found.note,
        is_demo=found.is_demo,
    )


def provisional_months(counts: pd.DataFrame, period: Period) -> list[dt.date]:
    """The months of the period with provisional figures."""
    in_period = _in(counts, period)
    provisional = in_period.loc[in_period["is_provisional"].astype(bool), ["year", "month"]].drop_duplicates()
    return [dt.date(int(y), int(m), 1) for y, m in zip(provisional["year"], provisional["month"], strict=True)]


def gather(
    con: duckdb.DuckDBPyConnection,
    gemeente_code: str,
    period_start: dt.date,
    period_end: dt.date,
    settings: dict,
    public: bool = False,
    made_on: dt.date | None = None,
) -> Briefing:
    """Everything the briefing shows for a gemeente and a period of whole months, compared with
    the same months a year earlier: each section gathered as its page computes it."""
    about = case_of(con, gemeente_code, normalise(period_start, period_end), settings, public)
    category_codes = list(about.options.loc[about.options["option_kind"] == "categorie", "option_code"])
    counts = queries.target_month_counts(con, gemeente_code, [gemeente_code], category_codes)
    figures, key_notes = gathered_key_figures(about, counts)
    notable = gathered_notable(about)
    city, city_notes = gathered_city_changes(about, counts)
    hotspots, plan, measured = gathered_map(about), gathered_plan(about), gathered_measures(about)
    demo_parts = [
        part
        for part, is_demo in (
            ("kerncijfers en veranderingen", any(f.is_demo for f in figures) or bool(counts["is_demo"].any())),
            ("kaart", hotspots.is_demo),
            ("prioriteiten", plan.is_demo),
            ("maatregelen", measured.is_demo),
        )
        if is_demo
    ]
    months = provisional_months(counts, about.period)
    return Briefing(
        **period_texts(about.period, about.comparison, public),
        gemeente_code=gemeente_code,
        gemeente_name=about.name,
        period=about.period,
        comparison=about.comparison,
        made_on=made_on or dt.date.today(),
        public=public,
        settings=settings,
        key_figures=figures,
        key_notes=key_notes,
        provisional_text=months_text(months) if months else "",
        notable=notable.changes,
        notable_notes=[*notable.notes, *percent_notes(notable.changes, settings)],
        notable_caption=notable.caption,
        city_changes=city,
        hotspots=hotspots,
        plan_title=plan.title,
        plan_note=plan.note,
        priorities=plan.priorities,
        measure_groups=measured.groups,
        area_measures=measured.lines,
        earlier_area_measures=measured.earlier,
        measures_note=measured.note,
        demo_parts=demo_parts,
        city_notes=city_notes,
        public_note=about.public_note,
    )


def period_texts(period: Period, comparison: Period | None, public: bool) -> dict[str, str]:
    """The Briefing's period_text, comparison_text, period_short and comparison_short: the public
    version says calendar years."""
    if public:
        return {
            "period_text": f"kalenderjaar {period[0].year}",
            "comparison_text": f"kalenderjaar {comparison[0].year}" if comparison else "",
            "period_short": str(period[0].year),
            "comparison_short": str(comparison[0].year) if comparison else "",
        }
    return {
        "period_text": period_text(period),
        "comparison_text": period_text(comparison) if comparison else "",
        "period_short": short_period_text(period),
        "comparison_short": short_period_text(comparison) if comparison else "",
    }


def briefing_pdf(
    con: duckdb.DuckDBPyConnection,
    gemeente_code: str,
    start: dt.date,
    end: dt.date,
    settings: dict,
    public: bool = False,
) -> bytes:
    """The Driehoeksrapportage as PDF bytes (one click in the app)."""
    return render_pdf(gather(con, gemeente_code, start, end, settings, public=public))
