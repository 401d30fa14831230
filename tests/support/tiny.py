"""A tiny hand-made database: one gemeente, one wijk, two buurten, figures small enough to
check by hand. Expected values in the tests are worked out in the comments here."""

from __future__ import annotations

import duckdb
import shapely

from ivpdata.config import SCHEMA_FILE
from ivpdata.db import summarise_city_years, summarise_months

GEMEENTE = "GM0001"
WIJK = "WK000101"
BUURT_A = "BU00010101"
BUURT_B = "BU00010102"


def _area(code: str, level: str, parent: str | None, x: float) -> tuple:
    geometry = shapely.box(x, 52.0, x + 0.01, 52.01)
    return (
        code,
        level,
        f"Naam {code}",
        f"Naam {code}",
        parent,
        GEMEENTE,
        2024,
        shapely.to_wkb(geometry),
        x + 0.005,
        52.005,
        0.7,
        "cbs",
    )


def tiny_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    con.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, ?, NULL, NULL)",
        [
            ("demo", "Demodata", "Veiligheidsbeeld", "Demodata"),
            ("doc-002", "Raadsvoorstel", "Gemeente", "Bron: gemeente"),
            ("cbs", "Kerncijfers", "CBS", "Bron: CBS"),
        ],
    )
    con.execute("INSERT INTO municipalities VALUES (?, 'Tinystad', 2024, true)", [GEMEENTE])
    con.executemany(
        "INSERT INTO areas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _area(GEMEENTE, "gemeente", None, 4.0),
            _area(WIJK, "wijk", GEMEENTE, 4.0),
            _area(BUURT_A, "buurt", WIJK, 4.0),
            _area(BUURT_B, "buurt", WIJK, 4.01),
        ],
    )
    # Inhabitants: buurt A 600/610 and B 400/390, so wijk and gemeente have 1,000 both years.
    population = [(BUURT_A, 2020, 600), (BUURT_A, 2021, 610), (BUURT_B, 2020, 400), (BUURT_B, 2021, 390)]
    population += [(code, year, 1000) for code in (WIJK, GEMEENTE) for year in (2020, 2021)]
    con.executemany("INSERT INTO population VALUES (?, ?, ?, 'demo', true)", population)
    con.execute("INSERT INTO themes VALUES ('hic', 'High impact crime', NULL)")
    con.executemany(
        "INSERT INTO incident_categories VALUES (?, ?, ?, 'politie', NULL, ?)",
        [
            ("0.0.0", "Totaal misdrijven", "totaal", 0),
            ("1.1.1", "Diefstal/inbraak woning", "misdrijf", 1),
            ("2.2.1", "Vernieling", "misdrijf", 2),
            ("OVL-JGD", "Jeugdoverlast", "overlast", 3),
        ],
    )
    con.execute("INSERT INTO category_themes VALUES ('1.1.1', 'hic')")
    # Monthly demo counts. 2021: 1.1.1 = 2+3+1 = 6, 2.2.1 = 4+2 = 6, OVL-JGD = 6 (months 1,2,3,6).
    # 2020: 1.1.1 = 4, 2.2.1 = 6, OVL-JGD = 2 (month 1 only).
    counts = [
        (BUURT_A, 2021, 1, "1.1.1", 2),
        (BUURT_A, 2021, 2, "1.1.1", 3),
        (BUURT_A, 2021, 1, "2.2.1", 4),
        (BUURT_A, 2021, 3, "OVL-JGD", 6),
        (BUURT_B, 2021, 1, "1.1.1", 1),
        (BUURT_B, 2021, 6, "2.2.1", 2),
        (BUURT_A, 2020, 1, "1.1.1", 4),
        (BUURT_A, 2020, 1, "2.2.1", 6),
        (BUURT_B, 2020, 1, "OVL-JGD", 2),
    ]
    con.executemany(f"INSERT INTO incident_counts VALUES ('{GEMEENTE}', ?, ?, ?, ?, ?, 'demo', false, true)", counts)
    # Published: 1.1.1 was 4 in 2020 and 7 in 2021 (not the 6 the monthly rows add up to: the
    # published figure wins); the published change says +50% where the counts give +75%.
    con.executemany(
        "INSERT INTO published_figures VALUES "
        "(?, 'doc-002', 'Tabel', ?, ?, ?, ?, ?, ?, NULL, ?, '1.1.1', NULL, NULL, ?)",
        [
            ("f2020", "Woninginbraak", GEMEENTE, "2020-01-01", "2020-12-31", 4, "aantal", "incident", "4"),
            ("f2021", "Woninginbraak", GEMEENTE, "2021-01-01", "2021-12-31", 7, "aantal", "incident", "7"),
            ("fchg", "Woninginbraak", GEMEENTE, "2020-01-01", "2021-12-31", 50, "procent", "incident_change", "50%"),
        ],
    )
    # An area group of buurt B only, notes about the group and about the wijk, a survey result.
    con.execute(f"INSERT INTO area_groups VALUES ('grp', '{GEMEENTE}', 'Groep B', 'doc-002', NULL)")
    con.execute(f"INSERT INTO area_group_members VALUES ('grp', '{BUURT_B}')")
    con.executemany(
        "INSERT INTO area_notes VALUES (?, 'doc-002', 'Sectie', ?, ?, ?, NULL, NULL, ?, ?, false)",
        [
            ("n-grp", "maatregel", "Aanpak B", "2021-03-01", "1.1.1", "Aanpak in groep B"),
            ("n-wijk", "citaat", None, None, None, "Citaat over de wijk"),
        ],
    )
    con.executemany("INSERT INTO area_note_targets VALUES (?, ?)", [("n-grp", "grp"), ("n-wijk", WIJK)])
    con.execute(
        "INSERT INTO survey_results VALUES (?, 2021, 'Voelt zich veilig', 81, 'procent', 120, 4.5, 'cbs', false)",
        [WIJK],
    )
    summarise_months(con)  # as a build does, once every table is written
    summarise_city_years(con)
    return con
