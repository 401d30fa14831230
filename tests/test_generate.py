"""The demo series: equal to published figures, at the real scale, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from ivpdata.build import assemble_tables
from ivpdata.config import DATA_DIR
from ivpdata.generate import allocate_exact, lockdown_intensity
from ivpdata.load import read_sources


def test_every_published_city_year_count_equals_the_demo_sum(db):
    rows = db.execute(
        """
        SELECT f.figure_id, f.value, sum(c.incident_count) AS demo_sum
        FROM published_figures f
        JOIN incident_counts c
          ON c.gemeente_code = f.gemeente_code AND c.category_code = f.category_code
         AND c.year = year(f.period_start)
        WHERE f.kind = 'incident' AND f.category_code <> '0.0.0'
          AND year(f.period_start) = year(f.period_end)
        GROUP BY f.figure_id, f.value
        """
    ).fetchall()
    assert len(rows) == 22  # document 002: 3 overlast + 8 misdrijf categories, 2019 and 2021
    assert all(value == demo_sum for _, value, demo_sum in rows), rows


def test_published_totals_equal_the_sum_of_all_categories(db):
    rows = db.execute(
        """
        SELECT f.gemeente_code, year(f.period_start) AS year, f.value, sum(c.incident_count)
        FROM published_figures f
        JOIN incident_counts c ON c.gemeente_code = f.gemeente_code AND c.year = year(f.period_start)
        JOIN incident_categories k ON k.category_code = c.category_code AND k.kind = 'misdrijf'
        WHERE f.kind = 'incident' AND f.category_code = '0.0.0'
        GROUP BY ALL ORDER BY year
        """
    ).fetchall()
    assert [(year, value) for _, year, value, _ in rows] == [(2017, 755), (2018, 745), (2019, 750), (2020, 770)]
    assert all(value == total for _, _, value, total in rows)


def test_dordrecht_at_real_scale(db):
    # CBS: about 8,274 registered crimes a year in Dordrecht over 2010-2020, falling over time.
    mean = db.execute(
        "SELECT avg(incident_count) FROM incidents_city_year "
        "WHERE gemeente_code = 'GM0505' AND category_code = '0.0.0' AND year BETWEEN 2017 AND 2020"
    ).fetchone()[0]
    assert 7_400 <= mean <= 8_700


def test_demo_population_sums_to_published_total(db):
    rows = db.execute(
        """
        SELECT a.gemeente_code, sum(p.inhabitants)
        FROM population p JOIN areas a USING (area_code)
        WHERE a.area_level = 'buurt' AND p.year = 2019 GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    assert rows == [("GM0388", 18507), ("GM0505", 118654)]


def test_lockdown_dip_and_seasonality_show(db):
    def monthly(category: str, year: int) -> list[int]:
        return [
            r[0]
            for r in db.execute(
                "SELECT sum(incident_count) FROM incident_counts WHERE gemeente_code = 'GM0505' "
                "AND category_code = ? AND year = ? GROUP BY month ORDER BY month",
                [category, year],
            ).fetchall()
        ]

    pickpocketing_2019, pickpocketing_2020 = monthly("1.2.4", 2019), monthly("1.2.4", 2020)
    assert sum(pickpocketing_2020[3:5]) < sum(pickpocketing_2019[3:5])  # April-May lockdown
    burglary = [sum(x) for x in zip(*(monthly("1.1.1", y) for y in (2017, 2018, 2019)), strict=True)]
    assert burglary[11] + burglary[0] > burglary[5] + burglary[6]  # dark months above summer


def test_every_row_of_demo_is_flagged(db):
    assert db.execute("SELECT count(*) FROM incident_counts WHERE NOT is_demo").fetchone()[0] == 0


def test_generation_is_deterministic():
    first = assemble_tables(read_sources(DATA_DIR))
    second = assemble_tables(read_sources(DATA_DIR))
    for table in ("incident_counts", "population"):
        assert first[table].equals(second[table])


@pytest.mark.parametrize("total", [0, 1, 7, 1000])
def test_allocate_exact_sums_to_total(total):
    weights = np.array([0.1, 0.5, 0.25, 0.15])
    result = allocate_exact(total, weights)
    assert result.sum() == total
    assert (result >= 0).all()


def test_lockdown_intensity_counts_days():
    periods = {"lockdowns": [{"start": "2020-03-15", "end": "2020-05-31", "intensity": 1.0}]}
    assert lockdown_intensity(periods, 2020, 2) == 0
    assert lockdown_intensity(periods, 2020, 3) == pytest.approx(17 / 31)
    assert lockdown_intensity(periods, 2020, 4) == 1.0
