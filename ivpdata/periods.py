"""Periods of whole months, as (first month, last month) with each month as its first day."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

Period = tuple[dt.date, dt.date]


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
    return " - ".join(format_date(month, "MMM y", locale="nl") for month in period)
