"""A copy of the default database whose figures of Dordrecht are marked real, as after importing
police files (and, with `population`, CBS's Kerncijfers): for what a page says about provenance."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ivpdata.db import summarise_months


def real_dordrecht(built_db: Path, folder: Path, *, population: bool) -> Path:
    """Every count of Dordrecht real; its inhabitants too when `population`, else still demo."""
    db = folder / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE incident_counts SET is_demo = false WHERE gemeente_code = 'GM0505'")
        if population:
            con.execute("UPDATE population SET is_demo = false WHERE area_code LIKE '%0505%'")
        summarise_months(con)  # as every writer of incident_counts does
    return db
