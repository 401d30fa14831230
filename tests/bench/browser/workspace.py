"""What the servers run on: a copy of the database and of the data folder, with a saved presentation."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ivpdata import presentations
from ivpdata.build import build
from ivpdata.config import DATA_DIR, PROJECT_ROOT

GEMEENTE = "GM0505"
BARE_APP = Path(__file__).parent / "bare" / "app.py"
APP = PROJECT_ROOT / "app.py"
# The saved presentation the bench steps through: the Overzicht, then the Kaart (as a sidebar click).
SLIDES = (
    presentations.Slide("overzicht", {"gemeente": GEMEENTE}, "Overzicht"),
    presentations.Slide("kaart", {"gemeente": GEMEENTE, "niveau": "wijk"}, "Kaart per wijk"),
)


@dataclass(frozen=True)
class Workspace:
    db: Path
    data_dir: Path
    folder: Path  # run logs and server output
    presentation_id: int


def prepare(source: Path | None, folder: Path) -> Workspace:
    """Copy `source` (or build the default data when it is None or missing) and data/ into `folder`,
    and save the bench's presentation there through the domain API."""
    db, data_dir = folder / "ivp.duckdb", folder / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns("*.duckdb*"))
    if source is not None and source.exists():
        shutil.copyfile(source, db)
    else:
        build(DATA_DIR, db)
    made = presentations.change(db, data_dir, _make, by="make bench", what="Presentatie 'Bench' gemaakt.")
    return Workspace(db, data_dir, folder, made)


def _make(con: duckdb.DuckDBPyConnection) -> int:
    presentation_id = presentations.create(con, "Bench")
    for slide in SLIDES:
        presentations.add_slide(con, presentation_id, slide)
    return presentation_id
