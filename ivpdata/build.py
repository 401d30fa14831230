"""Build the database from a data directory, atomically.

The new database is written to a temporary file next to the target and renamed over it only
when complete, so a failed build leaves the previous database untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ivpdata import presentations, snapshot
from ivpdata.config import DATA_DIR, SCHEMA_FILE, db_path
from ivpdata.db import scalar, summarise_city_years, summarise_months, transaction
from ivpdata.generate import generate_demo
from ivpdata.importing import replay
from ivpdata.load import SourceData, read_sources
from ivpdata.validate import DataError, Problem, ProblemCollector

# Insert order follows the foreign keys.
TABLE_ORDER = (
    "sources",
    "municipalities",
    "areas",
    "area_groups",
    "area_group_members",
    "population",
    "themes",
    "incident_categories",
    "category_themes",
    "plans",
    "priorities",
    "published_figures",
    "area_notes",
    "area_note_targets",
    "measure_types",
    "plan_principles",
    "goals",
    "indicators",
    "indicator_values",
    "measures",
    "incident_counts",
    "incident_events",
    "presentations",
    "presentation_slides",
)


@dataclass(frozen=True)
class BuildReport:
    path: Path
    row_counts: dict[str, int]


def source_fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes())
    for path in sorted(p for p in Path(data_dir).rglob("*") if p.is_file() and ".duckdb" not in p.name):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def assemble_tables(data: SourceData) -> dict[str, pd.DataFrame]:
    """Source tables plus the generated demo series, keyed by table name."""
    populations = [data.population]
    counts = []
    events = []
    for gemeente in data.gemeenten:
        demo = generate_demo(
            gemeente,
            data.areas,
            data.population,
            data.published_figures,
            data.incident_categories,
            data.demo_profile,
            data.periods,
        )
        populations.append(demo.population)
        counts.append(demo.incident_counts)
        events.append(demo.incident_events)
    population = pd.concat(populations, ignore_index=True)
    # A real figure replaces the demo figure for the same area and year.
    population = population.sort_values("is_demo").drop_duplicates(["area_code", "year"], keep="first")
    tables = {name: getattr(data, name) for name in TABLE_ORDER if hasattr(data, name)}
    tables["population"] = population
    tables["incident_counts"] = pd.concat(counts, ignore_index=True)
    tables["incident_events"] = pd.concat(events, ignore_index=True)
    tables["incident_events"].insert(0, "event_id", range(1, len(tables["incident_events"]) + 1))
    return tables


def build(data_dir: Path = DATA_DIR, target: Path | None = None) -> BuildReport:
    """Validate `data_dir`, generate the demo series and write the database to `target`."""
    target = Path(target or db_path())
    data = read_sources(Path(data_dir))  # raises DataError listing every problem
    tables = assemble_tables(data)
    problems = ProblemCollector()
    tables.update(presentations.read_file(Path(data_dir), problems))  # saved by the app
    problems.raise_if_any()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with snapshot.exclusive(target), snapshot.writable_copy(target, fresh=True) as fresh, transaction(fresh) as con:
            con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
            for name in TABLE_ORDER:
                frame = tables[name]
                if frame.empty:
                    continue
                columns = ", ".join(f'"{c}"' for c in frame.columns)
                con.register("incoming", frame)
                con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM incoming")
                con.unregister("incoming")
            replay(con, Path(data_dir))  # imports kept under data/imports, in their order
            summarise_months(con)
            summarise_city_years(con)
            con.execute(
                "INSERT INTO build_info VALUES (?, ?, ?)",
                [dt.datetime.now(), str(data_dir), source_fingerprint(Path(data_dir))],
            )
            row_counts = {name: scalar(con, f"SELECT count(*) FROM {name}") for name in TABLE_ORDER}
    except Exception as exc:
        if isinstance(exc, DataError | snapshot.WriteBusyError):
            raise
        raise DataError([Problem(str(data_dir), None, None, f"database rejected the data: {exc}")]) from exc
    return BuildReport(target, row_counts)
