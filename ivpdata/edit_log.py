"""Who changed what outside an import: every edit of the saved presentations, with its time and
the user who made it, in `data/wijzigingen.csv` (an import is recorded in the load history).

The file is written whole next to its final name before the database commits and put in place
after it (as `presentations.change` does with its mirror), so the log never names a change that
did not happen; only a crash between the commit and the rename would leave one change unlisted."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pandas as pd

FILE_NAME = "wijzigingen.csv"
COLUMNS = ["edited_at", "edited_by", "change"]


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def read(data_dir: Path) -> pd.DataFrame:
    """Every recorded change, oldest first (no rows when nothing was changed yet)."""
    file = path(data_dir)
    if not file.exists():
        return pd.DataFrame(columns=COLUMNS)
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return pd.DataFrame(rows, columns=COLUMNS)


def staged(data_dir: Path, by: str, change: str, at: dt.datetime) -> Path:
    """The log with one more line, written durably beside the log; `commit` puts it in place."""
    rows = read(data_dir).to_dict("records")
    rows.append({"edited_at": at.isoformat(timespec="seconds"), "edited_by": by, "change": change})
    temporary = path(data_dir).with_name(f"{FILE_NAME}.tmp-{os.getpid()}")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def commit(temporary: Path, data_dir: Path) -> None:
    temporary.replace(path(data_dir))
