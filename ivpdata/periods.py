"""Periods of whole months, as (first month, last month) with each month as its first day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date, get_month_names

Period = tuple[dt.date, dt.date]
MONTH_NAMES = tuple(get_month_names("wide", locale="nl")[month] for month in range(1, 13))  # januari ...


def month_starts(first_year: int, last_year: int) -> list[dt.date]:
    return [dt.date(year, month, 1) for year in range(first_year, last_year + 1) for month in range(1, 13)]


def calendar_year(year: int) -> Period:
    return dt.date(year, 1, 1), dt.date(year, 12, 1)


def year_earlier(period: Period, earliest: dt.date) -> Period | None:
    """The same months a year earlier, or None when that lies before `earliest` (no data)."""
    start, end = (month.replace(year=month.year - 1) for month in period)
    return (start, end) if start >= earliest else None


def label(period: Period) -> str:
    """'jan 2024 - dec 2024'."""
    return " - ".join(month_short(month) for month in period)


@lru_cache(maxsize=2048)  # a period slider writes each of its months on every rerun (Babel: ~20 µs each)
def month_short(month: dt.date) -> str:
    """'mrt 2025': a month as captions and the period sliders write it."""
    return format_date(month, "MMM y", locale="nl")


def add_months(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month: 2024-02-01 -> 2024-02-29."""
    return add_months(month, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """A named period of whole months and the same months a year earlier."""

    label: str
    period: Period
    earlier: Period
    short: str = ""  # a column header where room is short (CompStat); empty: the label

    @property
    def heading(self) -> str:
        return self.short or self.label


def compstat_windows(reference: dt.date) -> list[Window]:
    """CompStat's periods up to and including the reference month: that month, the last 3
    months, the year to date and the last 12 months, each against a year earlier."""
    reference = reference.replace(day=1)
    periods = [
        ("Peilmaand", "", (reference, reference)),
        ("Laatste 3 maanden", "Laatste 3 mnd", (add_months(reference, -2), reference)),
        ("Jaar tot peilmaand", "Jaar t/m peilmaand", (reference.replace(month=1), reference)),
        ("Laatste 12 maanden", "Laatste 12 mnd", (add_months(reference, -11), reference)),
    ]
    return [
        Window(name, period, (add_months(period[0], -12), add_months(period[1], -12)), short)
        for name, short, period in periods
    ]


@lru_cache(maxsize=2048)
def month_label(month: dt.date) -> str:
    """'november 2025'."""
    return format_date(month, "MMMM y", locale="nl")


def public_year(year: int, complete_years: list[int]) -> int | None:
    """The calendar year a public view shows for the chosen `year`: that year when all its months
    have data, else the last complete year before it (None when there is none). Public figures are
    whole calendar years only, so that no two public periods differ by a few months."""
    earlier = [y for y in complete_years if y <= year]
    return max(earlier) if earlier else None


def public_periods(year: int, complete_years: list[int]) -> tuple[Period | None, Period | None]:
    """The public view's period (a whole calendar year) and its comparison (the calendar year
    before, when complete), for the chosen `year`."""
    shown = public_year(year, complete_years)
    if shown is None:
        return None, None
    return calendar_year(shown), calendar_year(shown - 1) if shown - 1 in complete_years else None


def public_note(asked: str | None, period: Period | None) -> str | None:
    """A Dutch note when a link asked for another period than the public view shows (`asked`:
    the URL's text, as '2025-02..2025-12')."""
    if period is None:
        return "Openbare weergave: er is nog geen volledig kalenderjaar met gegevens."
    given = f"{period[0]:%Y-%m}..{period[1]:%Y-%m}"
    if asked in (None, "", given):
        return None
    return (
        f"Openbare weergave: cijfers alleen over hele kalenderjaren, daarom {label(period)} in plaats van de "
        "gevraagde periode (zo volgt geen klein aantal uit het verschil van twee periodes)."
    )


def calendar_window(year: int) -> Window:
    """A whole calendar year against the year before: the public view's only CompStat period."""
    return Window(f"Kalenderjaar {year}", calendar_year(year), calendar_year(year - 1))


# Period presets: a period named after the months with data, offered beside the month slider.
LAATSTE_12_MAANDEN, DIT_JAAR, VORIG_JAAR, EIGEN_KEUZE = "laatste-12-maanden", "dit-jaar", "vorig-jaar", "eigen-keuze"
PRESETS: dict[str, str] = {  # the URL's text: the label
    LAATSTE_12_MAANDEN: "Laatste 12 maanden",
    DIT_JAAR: "Dit jaar tot nu",
    VORIG_JAAR: "Vorig jaar",
    EIGEN_KEUZE: "Eigen keuze",
}


@dataclass(frozen=True)
class Span:
    """The months with data: the first and the latest (the data's last complete month)."""

    first: dt.date
    latest: dt.date


def preset_period(preset: str, span: Span) -> Period | None:
    """The period a preset names: the 12 months up to the latest month with data, January of its
    year up to it, or the whole calendar year before. None for "eigen keuze", and for a preset the
    data cannot form (a month before the first with data): never a shorter period under its name."""
    latest = span.latest.replace(day=1)
    formed = {
        LAATSTE_12_MAANDEN: (add_months(latest, -11), latest),
        DIT_JAAR: (latest.replace(month=1), latest),
        VORIG_JAAR: calendar_year(latest.year - 1),
    }.get(preset)
    return formed if formed is not None and formed[0] >= span.first.replace(day=1) else None


def preset_label(preset: str, span: Span, today: dt.date) -> str:
    """A preset's name (`PRESETS`) while the data reaches this year; after that, named after the
    data's years: on 7 December 2026 with data up to December 2025, "Dit jaar tot nu" would name
    2025, so it reads "Jaar 2025" (and "Vorig jaar" "Jaar 2024")."""
    latest = span.latest.year
    if latest >= today.year:
        return PRESETS[preset]
    return {
        LAATSTE_12_MAANDEN: "Laatste 12 maanden met cijfers",
        DIT_JAAR: f"Jaar {latest}",
        VORIG_JAAR: f"Jaar {latest - 1}",
    }.get(preset, PRESETS[preset])


def offered_presets(span: Span) -> list[str]:
    """The presets the data can form, in the order shown, and "eigen keuze" last (always)."""
    return [preset for preset in PRESETS if preset == EIGEN_KEUZE or preset_period(preset, span)]


def preset_of(period: Period, span: Span, preferred: str | None = None) -> str:
    """The preset `period` equals ("eigen keuze" when none): `preferred` first (the one a user
    chose, when two name the same months: in December the last 12 months are this year)."""
    order = [preferred, *PRESETS] if preferred else list(PRESETS)
    return next((preset for preset in order if preset_period(preset, span) == tuple(period)), EIGEN_KEUZE)
