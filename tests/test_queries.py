"""Every query in queries/ on the tiny hand-made database, against values worked out by hand."""

from __future__ import annotations

import pytest

from ivpdata import queries
from tests.tiny import GEMEENTE, WIJK


def test_municipalities(tiny):
    result = queries.municipalities(tiny)
    assert result.to_dict("records") == [{"gemeente_code": GEMEENTE, "name": "Tinystad", "is_default": True}]


def test_available_years_counts_months(tiny):
    result = queries.available_years(tiny, GEMEENTE)
    assert list(result["year"]) == [2021, 2020]
    assert list(result["months"]) == [4, 1]


def test_key_figures_prefer_published_and_compare_years(tiny):
    result = queries.key_figures(tiny, GEMEENTE, 2021).set_index("figure")
    # totaal 2021 = published 1.1.1 (7) + monthly 2.2.1 (6); 2020 = published 4 + monthly 6.
    assert result.loc["totaal", "incident_count"] == 13
    assert result.loc["totaal", "previous_count"] == 10
    assert result.loc["hic", "incident_count"] == 7
    assert result.loc["hic", "previous_count"] == 4
    assert result.loc["overlast", "incident_count"] == 6
    assert result.loc["overlast", "previous_count"] == 2
    assert result.loc["totaal", "per_1000"] == pytest.approx(13.0)
    assert result.loc["hic", "previous_per_1000"] == pytest.approx(4.0)
    # hic 2021 is the published figure only: real, not demo; totaal mixes in demo rows.
    assert not result.loc["hic", "is_demo"]
    assert result.loc["hic", "source_ids"] == "doc-002"
    assert result.loc["totaal", "is_demo"]


def test_key_figures_without_previous_year(tiny):
    result = queries.key_figures(tiny, GEMEENTE, 2020).set_index("figure")
    assert result.loc["totaal", "incident_count"] == 10
    assert result["previous_count"].isna().all()


def test_published_comparisons_show_both_changes(tiny):
    result = queries.published_comparisons(tiny, GEMEENTE)
    assert len(result) == 1
    row = result.iloc[0]
    assert (row.from_year, row.to_year, row.from_count, row.to_count) == (2020, 2021, 4, 7)
    assert row.published_change_pct == 50
    assert row.computed_change_pct == 75.0


def test_published_series(tiny):
    result = queries.published_series(tiny, GEMEENTE)
    assert list(zip(result["year"], result["incident_count"], strict=True)) == [(2020, 4), (2021, 7)]


def test_wijk_summary_sums_buurten(tiny):
    result = queries.wijk_summary(tiny, GEMEENTE, 2021)
    row = result.set_index("area_code").loc[WIJK]
    assert row.crime_count == 12  # monthly rows: 6 + 6 (published city figures are not per wijk)
    assert row.overlast_count == 6
    assert row.inhabitants == 1000
    assert row.crime_per_1000 == pytest.approx(12.0)


def test_published_figures(tiny):
    result = queries.published_figures(tiny, GEMEENTE)
    assert set(result["figure_id"]) == {"f2020", "f2021", "fchg"}


def test_sources(tiny):
    assert list(queries.sources(tiny)["source_id"]) == ["cbs", "demo", "doc-002"]


def test_views_roll_up_buurten(tiny):
    rows = tiny.execute(
        "SELECT area_level, sum(incident_count) FROM incidents_area_month WHERE year = 2021 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("buurt", 18), ("gemeente", 18), ("wijk", 18)]
    city = dict(
        tiny.execute("SELECT category_code, incident_count FROM incidents_city_year WHERE year = 2021").fetchall()
    )
    assert city == {"1.1.1": 7, "2.2.1": 6, "OVL-JGD": 6, "0.0.0": 13}
