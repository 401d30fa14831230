"""Running an import: recognise the file, check it, apply it in one transaction (it lands whole
or not at all), write the load history, keep a copy for rebuilds. A preview does the same work
and rolls it back, so it shows exactly what the import would change."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ivpdata.config import load_settings
from ivpdata.db import write_transaction
from ivpdata.formatting import number
from ivpdata.importing.base import Context, Outcome
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.reading import read_table
from ivpdata.validate import DataError, Problem


def detect_kind(frame: pd.DataFrame, name: str) -> str:
    """The kind whose columns the file has."""
    for code, kind in KINDS.items():
        if kind.recognises(frame):
            return code
    known = "; ".join(f"{k.label}: {', '.join(k.columns)}" for k in KINDS.values() if k.columns)
    found = ", ".join(str(c) for c in frame.columns[:8] if not str(c).startswith("_"))
    raise DataError([Problem(name, 1, None, f"geen bekend bestand herkend aan de kolommen ({found}). Bekend: {known}")])


def read_export(path: Path, raw: bytes, name: str, kind: str | None) -> tuple[str, pd.DataFrame, list[str]]:
    """The file's kind and its table. Files that are not tables (boundaries) are recognised by
    their suffix and read by their kind; tables by their columns."""
    if kind is not None and kind not in KINDS:
        raise DataError([Problem(name, None, None, f"onbekende soort '{kind}' (bekend: {', '.join(KINDS)})")])
    suffix = Path(name).suffix.lower()
    by_suffix = [code for code, spec in KINDS.items() if suffix in spec.suffixes]
    code = kind or (by_suffix[0] if by_suffix else None)
    if code is not None and KINDS[code].read is not None:
        frame, notes = KINDS[code].read(path, raw, name)
        return code, frame, notes
    frame, notes = read_table(raw, name)
    code = code or detect_kind(frame, name)
    spec = KINDS[code]
    if not spec.recognises(frame):
        missing = [c for c in spec.columns if c not in frame.columns]
        expected = f"verwachte kolommen: {', '.join(spec.columns)}"
        what = f"kolom(men) ontbreken: {', '.join(missing)}" if missing else expected
        raise DataError([Problem(name, 1, None, f"dit bestand is geen {spec.label}: {what}")])
    return code, frame, notes


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None,
    loaded_by: str,
    provisional_months: int,
    loaded_at: dt.datetime | None = None,
    file_name: str | None = None,
    options: dict[str, str] | None = None,
) -> Outcome:
    """Check and apply one file on `con` (inside the caller's transaction) and add a line to the
    load history. Raises DataError, naming file, row and column, before anything is changed."""
    raw = Path(path).read_bytes()
    name = file_name or Path(path).name
    code, frame, notes = read_export(Path(path), raw, name, kind)
    context = Context(con, Path(path), name, provisional_months, dict(options or {}))
    checked = KINDS[code].check(frame, context)
    checked.notes = notes + checked.notes
    outcome = KINDS[code].apply(con, checked, context)
    con.execute(
        """INSERT INTO load_history (loaded_at, file_name, file_size, sha256, kind, rows_new, rows_replaced,
            rows_unchanged, rows_demo_replaced, rows_skipped, loaded_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            loaded_at or dt.datetime.now(), name, len(raw), hashlib.sha256(raw).hexdigest(), code, outcome.new,
            outcome.replaced, outcome.unchanged, outcome.demo_replaced, outcome.skipped_total, loaded_by,
        ],
    )  # fmt: skip
    return outcome


class _Preview(Exception):  # noqa: N818 - not an error: it carries a preview out of the transaction
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def run_import(
    path: Path,
    db: Path,
    kind: str | None,
    loaded_by: str,
    preview: bool = False,
    data_dir: Path | None = None,
    file_name: str | None = None,
    options: dict[str, str] | None = None,
) -> Outcome:
    """Import one file into the database at `db` in one transaction; with `preview`, the same
    work is done and rolled back. With `data_dir`, a copy of the file is kept there (imports/),
    so that a rebuild replays it. `file_name` is the name the user knows (an upload's name)."""
    months = provisional_months()
    loaded_at = dt.datetime.now()
    name = file_name or Path(path).name
    try:
        with write_transaction(db) as con:
            outcome = import_file(con, path, kind, loaded_by, months, loaded_at, name, options)
            if preview:
                raise _Preview(outcome)
    except _Preview as done:
        return done.outcome
    if data_dir is not None:
        keep(Path(path), Path(data_dir), outcome.kind, loaded_by, loaded_at, name, options or {})
    return outcome


def import_bytes(raw: bytes, file_name: str, db: Path, kind: str | None, loaded_by: str, **kwargs: Any) -> Outcome:
    """`run_import` for an upload: the bytes are written under their own name (the suffix tells
    a GeoPackage from a CSV) in a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ivp-upload-") as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(raw)
        return run_import(path, db, kind, loaded_by, file_name=file_name, **kwargs)


def provisional_months() -> int:
    return int(load_settings().get("police_provisional_months", 3))


MANIFEST_COLUMNS = ["loaded_at", "file", "file_name", "kind", "loaded_by", "options"]


def keep(
    path: Path, data_dir: Path, kind: str, loaded_by: str, loaded_at: dt.datetime, name: str, options: dict[str, str]
) -> Path:
    """Store the imported file under data/imports/ and list it in the manifest, in load order:
    the database is rebuilt from data/, imports included."""
    folder = data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    raw = path.read_bytes()
    copy = folder / f"{hashlib.sha256(raw).hexdigest()[:16]}-{Path(name).name}"
    if not copy.exists():
        copy.write_bytes(raw)
    manifest = folder / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines() if manifest.exists() else [",".join(MANIFEST_COLUMNS)]
    option_text = ";".join(f"{key}={value}" for key, value in sorted(options.items()))
    fields = [loaded_at.isoformat(timespec="seconds"), copy.name, Path(name).name, kind, loaded_by, option_text]
    lines.append(",".join(value.replace(",", " ") for value in fields))
    temporary = manifest.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(manifest)  # a crash leaves the old manifest or the new one, never half
    return copy


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Apply the kept imports of data/imports/manifest.csv in their order (when building)."""
    manifest = Path(data_dir) / "imports" / "manifest.csv"
    if not manifest.exists():
        return 0
    entries = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    for entry in entries.itertuples():
        options = dict(part.split("=", 1) for part in str(getattr(entry, "options", "")).split(";") if "=" in part)
        import_file(
            con, manifest.parent / entry.file, entry.kind, entry.loaded_by, provisional_months(),
            dt.datetime.fromisoformat(entry.loaded_at), entry.file_name, options,
        )  # fmt: skip
    return len(entries)


def outcome_text(outcome: Outcome) -> str:
    """'1.234 nieuw, 0 vervangen, ...; overgeslagen: 12 andere gemeente' for a message."""
    parts = [
        f"{number(outcome.new)} nieuw",
        f"{number(outcome.replaced)} vervangen",
        f"{number(outcome.unchanged)} ongewijzigd",
        f"{number(outcome.demo_replaced)} demorijen vervangen",
    ]
    skipped = ", ".join(f"{number(n)} {reason}" for reason, n in outcome.skipped.items())
    return "; ".join(parts) + (f"; overgeslagen: {skipped}" if skipped else "") + f" ({', '.join(outcome.notes)})"
