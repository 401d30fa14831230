"""The demo counts form a full grid (every buurt, category, year and month, zeros included), and
each count sits in its own buurt and month: a local shift in data/demo_profile.yaml shows in that
buurt from that month on, and nowhere else."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from ivpdata.config import DATA_DIR

SHIFTS = yaml.safe_load((DATA_DIR / "demo_profile.yaml").read_text(encoding="utf-8"))["local_shifts"]


def test_every_buurt_has_a_count_for_every_category_year_and_month(db: duckdb.DuckDBPyConnection):
    missing, duplicated = db.execute(
        """
        WITH grid AS (
            SELECT a.area_code, k.category_code, k.year, m.month
            FROM areas a
            JOIN (SELECT DISTINCT gemeente_code, category_code, year FROM incident_counts WHERE is_demo) k
              ON k.gemeente_code = a.gemeente_code
            CROSS JOIN range(1, 13) m(month)
            WHERE a.area_level = 'buurt'
        ), n AS (
            SELECT g.*, count(c.incident_count) AS rows_
            FROM grid g LEFT JOIN incident_counts c USING (area_code, category_code, year, month)
            GROUP BY ALL
        )
        SELECT count(*) FILTER (rows_ = 0), count(*) FILTER (rows_ > 1) FROM n
        """
    ).fetchone() or (None, None)
    assert (missing, duplicated) == (0, 0)


def _share(db: duckdb.DuckDBPyConnection, area_code: str, category_code: str, months: str) -> float:
    """The buurt's share of its gemeente's demo counts of the category in the months (a SQL condition)."""
    return db.execute(
        f"""
        SELECT sum(incident_count) FILTER (area_code = $area) / sum(incident_count)
        FROM incident_counts
        WHERE gemeente_code = (SELECT gemeente_code FROM areas WHERE area_code = $area)
          AND category_code = $category AND is_demo AND {months}
        """,
        {"area": area_code, "category": category_code},
    ).fetchone()[0]  # type: ignore[index]


@pytest.mark.parametrize("shift", SHIFTS, ids=lambda shift: f"{shift['area']}-{shift['category']}")
def test_a_local_shift_shows_in_its_buurt_from_its_month(db: duckdb.DuckDBPyConnection, shift: dict):
    """The shifted buurt's share of the city's counts, from the shift's month on against the twelve
    months before it, moves the way the factor says: by at least the factor to the power 0.4 (the
    share cannot move by the whole factor, as the buurt's gain is part of the city's total)."""
    first = int(str(shift["from"]).replace("-", ""))
    before = _share(db, shift["area"], shift["category"], f"year * 100 + month BETWEEN {first - 100} AND {first - 1}")
    after = _share(db, shift["area"], shift["category"], f"year * 100 + month >= {first}")
    moved = float(shift["factor"]) ** 0.4
    assert (after > before * moved) if moved > 1 else (after < before * moved), (before, after)
