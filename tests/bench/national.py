"""A generated national-scale database for `make bench`: 320 gemeenten of 8 wijken and 40 buurten
each (12,800 buurten, about the Netherlands' 14,000), ten years of monthly counts for 30
categories: 46 million rows.

Reference tables (sources, categories, themes) are copied from a built default database, so the
pages find what they expect. The fixture leaves out the primary and foreign keys of incident_counts:
DuckDB checks them on insert (for 46 million rows that takes minutes and gigabytes) and no query
uses them; everything else is the product's schema.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import shapely

from ivpdata.config import SCHEMA_FILE
from ivpdata.db import summarise_city_years, summarise_months
from tests.support.dbstate import one_row

GEMEENTEN = 320
WIJKEN_PER_GEMEENTE = 8
BUURTEN_PER_WIJK = 5
FIRST_YEAR, LAST_YEAR = 2016, 2025
CATEGORIES = 30
BENCH_GEMEENTE = "GM1100"  # one gemeente in the middle of the set
REFERENCE_TABLES = ("sources", "themes", "incident_categories", "category_themes")


def _schema_without_count_key() -> str:
    schema = SCHEMA_FILE.read_text(encoding="utf-8")
    found = re.search(r"CREATE TABLE incident_counts \(.*?\n\);", schema, re.S)
    if found is None:
        raise ValueError(f"{SCHEMA_FILE.name} has no CREATE TABLE incident_counts")
    table = found.group(0)
    lean = table.replace(",\n    PRIMARY KEY (area_code, year, month, category_code)", "")
    lean = re.sub(r" REFERENCES \w+ \(\w+\)", "", lean)
    return schema.replace(table, lean)


def build_national(target: Path, default_db: Path) -> dict[str, float]:
    """Write the fixture to `target`; returns its size in rows and the seconds it took."""
    started = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute(_schema_without_count_key())
    con.execute(f"ATTACH '{default_db}' AS ref (READ_ONLY)")
    for table in REFERENCE_TABLES:
        con.execute(f"INSERT INTO {table} SELECT * FROM ref.{table}")
    categories = [
        row[0]
        for row in con.execute(
            "SELECT category_code FROM incident_categories WHERE kind IN ('misdrijf', 'overlast') "
            "ORDER BY kind, sort_order LIMIT ?",
            [CATEGORIES],
        ).fetchall()
    ]
    con.execute("DETACH ref")
    box = shapely.to_wkb(shapely.box(0, 0, 0.01, 0.01))
    con.execute(
        """
        INSERT INTO municipalities
        SELECT printf('GM%04d', 1000 + g), printf('Gemeente %d', g), 2024, g = 100 FROM range(?) AS t (g)
        """,
        [GEMEENTEN],
    )
    con.execute(
        """
        INSERT INTO areas
        WITH codes AS (
            SELECT g, w, b,
                printf('GM%04d', 1000 + g) AS gemeente,
                printf('WK%04d%02d', 1000 + g, w) AS wijk,
                printf('BU%04d%02d%02d', 1000 + g, w, b) AS buurt
            FROM range(?) AS tg (g), range(?) AS tw (w), range(?) AS tb (b)
        )
        SELECT DISTINCT gemeente, 'gemeente', gemeente, gemeente, NULL, gemeente, 2024, ?, 5.0, 52.0, 40, 'demo'
        FROM codes
        UNION ALL
        SELECT DISTINCT wijk, 'wijk', wijk, wijk, gemeente, gemeente, 2024, ?, 5.0, 52.0, 5, 'demo' FROM codes
        UNION ALL
        SELECT buurt, 'buurt', buurt, buurt, wijk, gemeente, 2024, ?, 5.0 + b * 0.01, 52.0 + w * 0.01, 1, 'demo'
        FROM codes
        """,
        [GEMEENTEN, WIJKEN_PER_GEMEENTE, BUURTEN_PER_WIJK, box, box, box],
    )
    con.execute(
        """
        INSERT INTO population
        SELECT a.area_code, y,
            CASE a.area_level WHEN 'buurt' THEN 800 WHEN 'wijk' THEN 4000 ELSE 32000 END, 'demo', true
        FROM areas AS a, range(?, ?) AS t (y)
        """,
        [FIRST_YEAR, LAST_YEAR + 1],
    )
    # Counts are generated in gemeente order, as an import per gemeente would store them.
    con.execute(
        """
        INSERT INTO incident_counts
        SELECT a.gemeente_code, a.area_code, y, m, c, floor(random() * 6)::INTEGER, 'demo', y = ? AND m > 6, true
        FROM (SELECT * FROM areas WHERE area_level = 'buurt' ORDER BY area_code) AS a,
            range(?, ?) AS ty (y), range(1, 13) AS tm (m), unnest(?::VARCHAR[]) AS tc (c)
        """,
        [LAST_YEAR, FIRST_YEAR, LAST_YEAR + 1, categories],
    )
    summarise_months(con)
    summarise_city_years(con)
    rows = one_row(con, "SELECT count(*) FROM incident_counts")[0]
    con.close()
    return {"rows": rows, "seconds": time.perf_counter() - started, "categories": len(categories)}
