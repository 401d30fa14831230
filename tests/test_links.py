"""Links between pages (dashboard/links.py): the parameters open the page on the same case."""

import datetime as dt

import pandas as pd

from dashboard import links, permalinks
from ivpdata import progress

PERIOD = (dt.date(2024, 7, 1), dt.date(2025, 6, 1))
COMPARISON = (dt.date(2023, 7, 1), dt.date(2024, 6, 1))
CONTEXT = links.case_context("GM0505", 2025, public=False, presenting=False)


def _change(**values: str) -> pd.Series:
    names = {"area_name": "Buurt", "category_name": "Woninginbraak"}
    return pd.Series({"area_code": "BU1", "category_code": "1.1.1", **names, **values})


def test_trend_link_shows_the_buurt_alone_as_a_rolling_year_over_both_periods():
    link = links.trend_link(_change(), PERIOD, COMPARISON, CONTEXT)
    assert link == {
        "gemeente": "GM0505",
        "jaar": "2025",
        "gebied": "BU1",
        "wat": "1.1.1",
        "per": "month",
        "maat": "count",
        "12m": "ja",
        "index": "geen",
        "maanden": "2023-07..2025-06",
    }


def test_a_public_trend_link_is_per_calendar_year_and_keeps_the_public_view():
    context = links.case_context("GM0505", 2024, public=True, presenting=True)
    link = links.trend_link(_change(), PERIOD, COMPARISON, context, yearly=True)
    assert link["per"] == "year" and "12m" not in link
    assert (link["openbaar"], link["weergave"], link["jaar"]) == ("ja", "presentatie", "2024")


def test_map_link_passes_both_periods_as_the_kaart_reads_them():
    link = links.map_link(_change(), PERIOD, COMPARISON, CONTEXT | {"openbaar": "ja"})
    assert link["periode"] == permalinks.RANGE_SEPARATOR.join(permalinks.url_text(m) for m in PERIOD)
    assert link["vergelijking"] == permalinks.RANGE_SEPARATOR.join(permalinks.url_text(m) for m in COMPARISON)
    shown = {k: link[k] for k in ("gemeente", "jaar", "openbaar", "wat", "niveau", "maat", "selectie")}
    assert shown == {
        "gemeente": "GM0505",
        "jaar": "2025",
        "openbaar": "ja",
        "wat": "1.1.1",
        "niveau": "buurt",
        "maat": "change",
        "selectie": "BU1",
    }


def test_a_public_map_link_selects_the_wijk_of_a_wijk_change():
    link = links.map_link(_change(area_code="WK1", level="wijk"), PERIOD, COMPARISON, CONTEXT)
    assert (link["niveau"], link["selectie"]) == ("wijk", "WK1")


def test_an_indicator_counted_from_incidents_links_to_its_trend():
    row = {
        "actual_source": "incidents",
        "category_codes": ["0.0.0"],
        "theme_code": None,
        "target_code": None,
    }
    area, what = progress.trend_target(row, "GM0505") or ("", "")
    expected = {**CONTEXT, "gebied": "GM0505", "wat": "misdrijven"}
    assert links.area_trend_link(CONTEXT, area, what) == expected
    assert progress.trend_target({**row, "actual_source": "survey"}, "GM0505") is None


def test_the_wijkprofiel_links_to_its_area_beside_the_city():
    assert links.area_trend_link(CONTEXT, ("WK050501", "GM0505")) == {**CONTEXT, "gebied": "WK050501,GM0505"}


def test_a_kaart_area_links_to_its_wijkprofiel_and_trends_with_its_category_and_period():
    period = (dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    profile, trend = links.area_links("BU1", "1.1.1", "index", period, CONTEXT)
    assert profile == {
        "gemeente": "GM0505",
        "jaar": "2025",
        "gebied": "BU1",
        "wat": "1.1.1",
        "periode": "2025-01..2025-06",
    }
    assert trend == {
        "gemeente": "GM0505",
        "jaar": "2025",
        "gebied": "BU1",
        "wat": "1.1.1",
        "per": "month",
        "maat": "per_1000",  # the Trends' rate for a rate on the map
        "index": "geen",
        "maanden": "2025-01..2025-06",
    }
    public = links.case_context("GM0505", 2024, public=True, presenting=False)
    _, yearly = links.area_links("WK1", "geweld", "count", period, public, yearly=True)
    assert (yearly["per"], yearly["maat"], yearly["openbaar"]) == ("year", "count", "ja")
