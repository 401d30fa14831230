"""Maatregelen: what was done per priority and type, and incidents before and after a measure
taken in an area.

The before/after view compares the months before a measure's start with as many months from its
start, with the exact Poisson test of the trends work (`ivpdata.significance`), beside the same
comparison for the rest of the gemeente: a fall that the whole city shows is not the measure's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import pandas as pd
from babel.dates import format_date

from ivpdata import changes, formatting, significance
from ivpdata.periods import Period, add_months, label
from ivpdata.safetext import markdown_literal
from ivpdata.trends import note_when

BEFORE_AFTER_MONTHS = 12
ALL_CRIME = "misdrijven"  # the option of all registered crime (queries/category_options.sql)
# The buurt map's size in pixels: the right half of the page, 360 high. Measured in Chromium with the
# sidebar open, that half is 402 px wide in a 1280 px window, 562 at 1600 and 722 at 1920: the first
# view fits the whole gemeente into the narrowest; wider windows leave more room around it.
MAP_SIZE = (400, 360)
MIN_MONTHS_AFTER = 3  # fewer months after a start say too little
CAUTION = (
    "Voor en na laat zien wat er veranderde, niet waardoor: het seizoen, andere maatregelen of een "
    "verschuiving naar de buurt ernaast kunnen meespelen. De rest van de gemeente is de vergelijking."
)


@dataclass(frozen=True)
class Windows:
    """Equal periods of whole months just before a start month and from it on."""

    before: Period
    after: Period

    @property
    def months(self) -> int:
        first, last = self.after
        return (last.year - first.year) * 12 + last.month - first.month + 1


def windows(start: dt.date, first_month: dt.date, last_month: dt.date, months: int = BEFORE_AFTER_MONTHS):
    """`months` months before `start` and from it on; shorter, equal windows when the data end
    sooner. None when fewer than MIN_MONTHS_AFTER months follow or the months before are missing."""
    start = start.replace(day=1)
    available = (last_month.year - start.year) * 12 + last_month.month - start.month + 1
    length = min(months, available)
    if length < MIN_MONTHS_AFTER or add_months(start, -length) < first_month:
        return None
    return Windows((add_months(start, -length), add_months(start, -1)), (start, add_months(start, length - 1)))


def start_months(first_month: dt.date, last_month: dt.date) -> list[dt.date]:
    """The months a before/after comparison can start in."""
    month, options = first_month, []
    while month <= last_month:
        if windows(month, first_month, last_month) is not None:
            options.append(month)
        month = add_months(month, 1)
    return options


def default_start(start_date: object, options: list[dt.date]) -> dt.date | None:
    """The month a measure started, when it is known and can be compared; else no default."""
    if pd.isna(start_date):
        return None
    month = pd.Timestamp(start_date).date().replace(day=1)
    return month if month in options else None


def default_focus(focus: object, options: pd.DataFrame) -> str:
    """The option (of queries/category_options.sql) a measure's comparison opens on: the incidents it
    aims at; for a category without counts in this gemeente the smallest theme holding it (an
    overlast measure stays with overlast); all crime only for a measure aiming at crime in general or
    at nothing known."""
    if focus in set(options["option_code"]):
        return str(focus)
    themes = options[options["option_kind"] == "thema"]
    holding = themes[[focus in list(codes) for codes in themes["category_codes"]]]
    if holding.empty:
        return ALL_CRIME
    return str(holding.loc[holding["category_codes"].map(len).idxmin(), "option_code"])


def _window_sum(totals: pd.DataFrame, target_code: str, period: Period) -> int:
    rows = totals[
        (totals["target_code"] == target_code)
        & (totals["month_start"] >= pd.Timestamp(period[0]))
        & (totals["month_start"] <= pd.Timestamp(period[1]))
    ]
    return int(rows["incident_count"].sum())


def before_after(
    totals: pd.DataFrame,
    target_code: str,
    gemeente_code: str,
    names: tuple[str, str],
    span: Windows,
    level: float,
    *,
    minimum: int,
) -> pd.DataFrame:
    """Counts before and after for the area and for the rest of the gemeente, with the change (a
    fraction; none on a base under `minimum`: `changes.relative`), its p-value and verdict.
    `names` are the area's and the gemeente's names."""
    area = [_window_sum(totals, target_code, span.before), _window_sum(totals, target_code, span.after)]
    city = [_window_sum(totals, gemeente_code, span.before), _window_sum(totals, gemeente_code, span.after)]
    rest = [city[0] - area[0], city[1] - area[1]]
    rows = []
    for name, (before, after) in [(names[0], area), (f"Rest van {names[1]}", rest)]:
        p = float(significance.p_value(after, before))
        rows.append(
            {
                "Gebied": name,
                "Voor": before,
                "Na": after,
                "Verandering": changes.relative(before, after, minimum) / 100,
                "p": p,
                "Oordeel": str(significance.verdict(after, before, level, p=p)),
            }
        )
    return pd.DataFrame(rows)


def before_after_text(comparison: pd.DataFrame) -> str:
    """'Wielwijk: 96 → 34 (−65%), daling' per row (Markdown: the areas' names shown as typed)."""
    parts = []
    for row in comparison.itertuples():
        counts = f"{formatting.number(row.Voor)} → {formatting.number(row.Na)}"
        if not formatting.is_missing(row.Verandering):
            counts += f" ({formatting.change_percent(row.Verandering)})"
        change = f"{counts}, {row.Oordeel}"
        parts.append(f"{markdown_literal(row.Gebied)}: {change}")
    return "; ".join(parts) + "."


def p_text(p: float) -> str:
    """'0,043', or '< 0,001' where three decimals would read as zero."""
    return "< 0,001" if p < 0.001 else formatting.number(p, 3)


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as shown: change in percent, p-value as text."""
    return comparison.assign(
        Verandering=(comparison["Verandering"] * 100).round(1), p=comparison["p"].map(p_text)
    ).rename(columns={"Verandering": "Verandering (%)", "Voor": "Voor (aantal)", "Na": "Na (aantal)"})


def before_after_series(totals: pd.DataFrame, target_code: str, span: Windows) -> pd.DataFrame:
    """Monthly counts in the area over both windows, each month labelled 'voor' or 'na'."""
    months = pd.date_range(span.before[0], span.after[1], freq="MS")
    own = totals[totals["target_code"] == target_code].set_index("month_start")
    frame = pd.DataFrame({"month_start": months})
    frame["incident_count"] = own["incident_count"].reindex(months, fill_value=0).to_numpy()
    frame["is_provisional"] = own["is_provisional"].reindex(months, fill_value=False).to_numpy()
    frame["Periode"] = ["voor" if m < pd.Timestamp(span.after[0]) else "na" for m in months]
    return frame


def window_caption(span: Windows, series: pd.DataFrame) -> str:
    """The two periods, and what to keep in mind about them."""
    short = "" if span.months == BEFORE_AFTER_MONTHS else f" (nog maar {span.months} maanden na de start)"
    provisional = " · lichte balken: voorlopige cijfers" if series["is_provisional"].any() else ""
    return f"Voor: {label(span.before)} · na: {label(span.after)}{short}{provisional}"


def period_text(start: object, end: object) -> str:
    """'2020', 'januari 2020', 'jan 2019 - jun 2022' for a result's period."""
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    if first.replace(day=1) == last.replace(day=1) and first.day == 1:
        return format_date(first, "MMMM y", locale="nl")
    return label((first, last))


def results_table(results: pd.DataFrame) -> pd.DataFrame:
    """Measure results as a reader would list them, plan and priority order kept."""
    return pd.DataFrame(
        {
            "Prioriteit": results["priority_name"].fillna("(geen prioriteit)"),
            "Soort": results["type_name"],
            "Resultaat": results["label"],
            "Periode": [period_text(s, e) for s, e in zip(results["period_start"], results["period_end"], strict=True)],
            "Waarde": list(map(formatting.result_value, results["value"], results["unit"], results["qualifier"])),
            "Bron": results["source_title"],
        }
    ).reset_index(drop=True)


class NamedMeasure(Protocol):
    """A measure in an area as a choice (a row of queries/area_measures.sql: itertuples or Series)."""

    @property
    def label(self) -> object: ...
    @property
    def target_name(self) -> object: ...


class AreaMeasure(NamedMeasure, Protocol):
    """A measure in an area with its start, priority and whether it is demo data."""

    @property
    def start_date(self) -> object: ...
    @property
    def priority_name(self) -> object: ...
    @property
    def is_demo(self) -> object: ...


class ProfileNote(Protocol):
    """A measure or quote on the Wijkprofiel (an itertuples row of its notes)."""

    @property
    def text(self) -> str: ...
    @property
    def source_title(self) -> str: ...
    @property
    def section(self) -> object: ...
    @property
    def note_date(self) -> object: ...
    @property
    def date_note(self) -> object: ...
    @property
    def period_end(self) -> object: ...
    @property
    def amount(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...


def _area_measure_parts(measure: AreaMeasure) -> tuple[str, str, str, str, bool]:
    """Label, area, start and priority of a measure in an area, and whether it is demo data."""
    start = measure.start_date
    when = "niet genoemd" if pd.isna(start) else format_date(pd.Timestamp(start).date(), "MMMM y", locale="nl")
    if isinstance(getattr(measure, "date_note", None), str) and not pd.isna(start):
        when = f"ca. {when}"
    priority = measure.priority_name if isinstance(measure.priority_name, str) else "geen prioriteit"
    return str(measure.label), str(measure.target_name), when, priority, bool(measure.is_demo)


def area_measure_line(measure: AreaMeasure) -> str:
    """'**Fietslabels in de binnenstad** · Binnenstad · start: niet genoemd · <priority>' (Markdown;
    the texts from the data shown as typed)."""
    label, area, when, priority, demo = _area_measure_parts(measure)
    line = f"**{markdown_literal(label)}** · {markdown_literal(area)} · start: {when} · {markdown_literal(priority)}"
    return line + (" · *demodata*" if demo else "")


def area_measure_text(measure: AreaMeasure) -> str:
    """'Fietslabels in de binnenstad · Binnenstad · start: niet genoemd · <priority>' (plain text)."""
    label, area, when, priority, demo = _area_measure_parts(measure)
    return " · ".join([label, area, f"start: {when}", priority, *(["demodata"] if demo else [])])


def option_label(measure: NamedMeasure) -> str:
    """'Fietslabels in de binnenstad (Binnenstad)' for a choice list."""
    demo = " · demo" if getattr(measure, "is_demo", False) else ""
    return f"{measure.label} ({measure.target_name}){demo}"


def outline_rows(outlines: pd.DataFrame, name: str) -> pd.DataFrame:
    """A measure's area as the map's area-group outlines expect it (as an area group)."""
    return outlines.assign(group_code=outlines["target_code"], group_name=name)


def profile_measure_line(note: ProfileNote) -> str:
    """A measure in the Wijkprofiel as a Markdown list item: its text, and below it in small type
    its source, date and (for a recorded one) period and result. Every text from the data shows
    as typed."""
    when = note_when(note.note_date, note.date_note)
    if pd.notna(note.period_end):
        when += f" t/m {formatting.date(pd.Timestamp(note.period_end).date())}"
        when += f" · resultaat: {markdown_literal(formatting.result_value(note.amount, note.unit, None))}"
    section = f", {note.section}" if isinstance(note.section, str) else ""
    details = " · ".join(filter(None, [markdown_literal(f"{note.source_title}{section}"), when]))
    return f"- {markdown_literal(note.text)}  \n  :small[{details}]"


def profile_quote(note: ProfileNote) -> str:
    """A residents' quote as a Markdown block quote with its source in small type."""
    source = markdown_literal(f"{note.source_title}, {note.section}")
    return f"> {markdown_literal(note.text)}\n\n:small[{source}]"
