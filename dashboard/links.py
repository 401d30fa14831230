"""Links between pages: the query parameters that open a page on one case.

The domain says what a link shows (an area, a category, two periods); this module writes it in
the URL contract of `dashboard.routes` (parameter names) and `dashboard.permalinks` (value texts),
so a link opens the page exactly as its controls would have set it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from dashboard.permalinks import MANY_SEPARATOR, RANGE_SEPARATOR, url_text
from dashboard.routes import JA, PRESENTATIEMODUS, Param
from ivpdata.periods import Period


class NotableRow(Protocol):
    """A notable change (an itertuples row of `trends.notable_changes`): its area and category."""

    @property
    def area_code(self) -> str: ...
    @property
    def category_code(self) -> str: ...


def month_range(period: Period) -> str:
    """A period of months as a page's range slider writes it: '2025-01..2025-12'."""
    return f"{url_text(period[0])}{RANGE_SEPARATOR}{url_text(period[1])}"


def case_context(gemeente_code: str, year: int, public: bool, presenting: bool) -> dict[str, str]:
    """The case a link carries (gemeente, jaar, the public view and presentatiemodus), so that a
    link opened in a new tab shows the same case: a page link replaces all query parameters."""
    context = {Param.GEMEENTE: gemeente_code, Param.JAAR: str(year)}
    if public:
        context[Param.OPENBAAR] = JA
    if presenting:
        context[Param.WEERGAVE] = PRESENTATIEMODUS
    return context


def trend_link(
    change: NotableRow,
    period: Period,
    comparison: Period,
    context: dict[str, str],
    yearly: bool = False,
) -> dict[str, str]:
    """Query parameters of the Trends page for one notable change: the buurt alone, as a rolling
    12-month sum over both periods, so the line runs from the earlier count (at the end of the
    comparison period) to the count now (at the end of the period); `yearly` (the public view's
    calendar years): per year."""
    frequency = {Param.PER: "year"} if yearly else {Param.PER: "month", Param.TWAALF_MAANDEN: JA}
    return {
        **context,
        Param.GEBIED: change.area_code,
        Param.WAT: change.category_code,
        **frequency,
        Param.MAAT: "count",
        Param.INDEX: "geen",
        Param.MAANDEN: month_range((comparison[0], period[1])),
    }


def map_link(change: NotableRow, period: Period, comparison: Period, context: dict[str, str]) -> dict[str, str]:
    """Query parameters of the Kaart for one notable change: its category, buurten, the change
    between the same two periods, the buurt (or, in a public list, the wijk) selected."""
    return {
        **context,
        Param.WAT: change.category_code,
        Param.NIVEAU: getattr(change, "level", "buurt"),
        Param.MAAT: "change",
        Param.SELECTIE: change.area_code,
        Param.PERIODE: month_range(period),
        Param.VERGELIJKING: month_range(comparison),
    }


def area_trend_link(
    context: dict[str, str], area_codes: str | Sequence[str], what: str | None = None
) -> dict[str, str]:
    """Query parameters of the Trends page for one or more areas (and a category option or codes)
    in the case `context` (`case_context`)."""
    areas = MANY_SEPARATOR.join([area_codes] if isinstance(area_codes, str) else area_codes)
    return {**context, Param.GEBIED: areas} | ({Param.WAT: what} if what else {})


def area_links(
    area_code: str, option_code: str, measure: str, period: Period, context: dict[str, str], yearly: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """Query parameters of the Wijkprofiel and of the Trends page for an area selected on the Kaart,
    with the Kaart's category option and period: the Trends per month over the period's months
    (`yearly`, the public view's calendar years: per year), as a count, or per 1,000 inhabitants
    when the Kaart shows a rate (per 1,000 or index). The Wijkprofiel reads the area and the year
    (`context`); it is given the category and period too, so that the link says the whole case."""
    case = {**context, Param.GEBIED: area_code, Param.WAT: option_code}
    profile = {**case, Param.PERIODE: month_range(period)}
    rate = measure in ("per_1000", "index")
    trend = {
        **case,
        Param.PER: "year" if yearly else "month",
        Param.MAAT: "per_1000" if rate else "count",
        Param.INDEX: "geen",
        Param.MAANDEN: month_range(period),
    }
    return profile, trend
