"""What the Data beheer page shows: an upload checked and previewed (what it would change), the
upload loaded, and the load history, as plain data. The page passes the app's write gate
(`dashboard.connection.writing`); every import reads the file in a process of its own and writes
in one transaction (ivpdata.importing.run)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from ivpdata import formatting
from ivpdata.config import data_dir, db_path
from ivpdata.importing import KINDS, Outcome, import_bytes, outcome_text, report
from ivpdata.validate import DataError

SUFFIXES = ["csv", "json", "xlsx", "gpkg", "zip", "geojson"]
AUTOMATIC = "Automatisch herkennen"
NO_HISTORY = "Nog geen bestanden geladen: alle cijfers komen uit de meegeleverde data."

Gate = Callable[[], AbstractContextManager[Any]]


@dataclass(frozen=True)
class Upload:
    """A file to load and how: its bytes and name, the kind chosen (None: recognise it), who loads
    it and the options typed (the year, for a CBS file that does not name it)."""

    raw: bytes
    name: str
    kind: str | None
    loaded_by: str
    options: dict[str, str]


@dataclass(frozen=True)
class Preview:
    """What loading a file would change, ready to show."""

    notes: str  # kind and notes, plain text
    totals: dict[str, str]  # figure label -> Dutch number
    coverage: str | None  # what the file covers (Markdown), None when it covers everything it names
    warning: str | None  # rows of a gemeente not served, named (plain text); None without them
    by_period: Styler  # tables in Dutch number format
    by_area: Styler
    skipped: Styler


def kind_label(code: str | None) -> str:
    """The choice list's text for a kind of file; None is 'Automatisch herkennen'."""
    return AUTOMATIC if code is None else KINDS[code].label


def options(year: str) -> dict[str, str]:
    """The import's options from the typed year (none when it is left empty)."""
    return {"year": year.strip()} if year.strip() else {}


def check(upload: Upload, writing: Gate) -> Outcome | DataError:
    """What loading `upload` would change (nothing is written), or why it cannot be loaded."""
    try:
        return import_bytes(
            upload.raw,
            upload.name,
            db_path(),
            upload.kind,
            upload.loaded_by,
            preview=True,
            options=upload.options,
            isolated=True,
            writing=writing,
        )
    except DataError as error:
        return error


def load(upload: Upload, writing: Gate) -> str:
    """Load `upload` in one transaction and keep its copy; what it changed, in one Dutch line.
    DataError (the database unchanged) when the database changed since the preview or the disk is full."""
    outcome = import_bytes(
        upload.raw,
        upload.name,
        db_path(),
        upload.kind,
        upload.loaded_by,
        data_dir=data_dir(),
        options=upload.options,
        isolated=True,
        writing=writing,
    )
    return outcome_text(outcome)


def preview(outcome: Outcome, areas: pd.DataFrame) -> Preview:
    """An import's outcome as the preview shows it. `areas`: queries.area_names."""
    return Preview(
        notes=f"{report.kind_label(outcome.kind)} · {', '.join(outcome.notes)}",
        totals=report.totals(outcome),
        coverage=report.coverage_text(outcome) if outcome.coverage else None,
        warning=report.other_gemeente_warning(outcome),
        by_period=formatting.dutch_table(report.changes_by(outcome, "period", areas)),
        by_area=formatting.dutch_table(report.changes_by(outcome, "area", areas)),
        skipped=formatting.dutch_table(report.skipped_table(outcome)),
    )


NO_EDITS = "Nog geen presentaties gewijzigd."
EDIT_COLUMNS = {"edited_at": "Wanneer", "edited_by": "Door", "change": "Wijziging"}


def edits(log: pd.DataFrame) -> pd.DataFrame | None:
    """The edit log as shown, newest first (None when nothing was changed yet). `log`: edit_log.read."""
    if log.empty:
        return None
    shown = log.rename(columns=EDIT_COLUMNS).iloc[::-1]
    shown["Wanneer"] = pd.to_datetime(shown["Wanneer"]).dt.strftime("%d-%m-%Y %H:%M")  # as the load history
    return shown


def history(loaded: pd.DataFrame) -> Styler | None:
    """The load history as shown (None when nothing was loaded yet). `loaded`: queries.load_history."""
    if loaded.empty:
        return None
    return formatting.dutch_table(report.history_table(loaded), {"Grootte (kB)": 1})
