"""Running an import: read the file (`prepare`), check it, apply it in one transaction (it lands
whole or not at all), write the load history, keep a copy for rebuilds (`kept`). A preview does
the same work and rolls it back, so it shows exactly what the import would change."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb

from ivpdata import snapshot
from ivpdata.config import load_settings
from ivpdata.db import summarise_city_years, write_transaction
from ivpdata.formatting import number
from ivpdata.importing import limits
from ivpdata.importing.base import Context, Outcome
from ivpdata.importing.kept import Staged, manifest_entries, manifest_options, safe_file_name, stage_copy
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.prepare import Prepared, read_file, read_isolated

LOG = logging.getLogger(__name__)


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None,
    loaded_by: str,
    provisional_months: int,
    loaded_at: dt.datetime | None = None,
    file_name: str | None = None,
    options: dict[str, str] | None = None,
    prepared: Prepared | None = None,
) -> Outcome:
    """Check and apply one file on `con` (inside the caller's transaction) and add a line to the
    load history. Raises DataError, naming file, row and column, before anything is changed.
    With `prepared`, the file was read already (`read_isolated`)."""
    name = file_name or Path(path).name
    prepared = prepared or read_file(Path(path), name, kind)
    raw = Path(path).read_bytes()
    context = Context(con, Path(path), name, provisional_months, dict(options or {}))
    checked = KINDS[prepared.kind].check(prepared.frame, context)
    checked.notes = prepared.notes + checked.notes
    outcome = KINDS[prepared.kind].apply(con, checked, context)
    summarise_city_years(con)  # a city total may read what any kind of file changed
    con.execute(
        """INSERT INTO load_history (loaded_at, file_name, file_size, sha256, kind, rows_new, rows_replaced,
            rows_unchanged, rows_demo_replaced, rows_skipped, loaded_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            loaded_at or dt.datetime.now(),
            name,
            len(raw),
            hashlib.sha256(raw).hexdigest(),
            prepared.kind,
            outcome.new,
            outcome.replaced,
            outcome.unchanged,
            outcome.demo_replaced,
            outcome.skipped_total,
            loaded_by,
        ],
    )
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
    prepared: Prepared | None = None,
) -> Outcome:
    """Import one file into the database at `db` in one transaction; with `preview`, the same
    work is done and rolled back. With `data_dir`, a copy of the file is kept there (imports/),
    so that a rebuild replays it: written before the commit, listed in the manifest after it.
    `file_name` is the name the user knows (an upload's name)."""
    name = file_name or Path(path).name
    check_loaded_by(loaded_by, name)
    try:
        with snapshot.exclusive(db):  # the kept copy joins the manifest in the order the imports land
            return _import_and_keep(path, db, kind, loaded_by, preview, data_dir, name, options, prepared)
    except snapshot.WriteBusyError as exc:
        LOG.warning("import of %s refused: %s", name, exc)
        busy = "er loopt al een andere import of build op deze database"
        message = f"{busy}; er is niets geladen, probeer het over een minuut opnieuw"
        raise limits.refuse(name, message) from exc


def _import_and_keep(
    path: Path,
    db: Path,
    kind: str | None,
    loaded_by: str,
    preview: bool,
    data_dir: Path | None,
    name: str,
    options: dict[str, str] | None,
    prepared: Prepared | None,
) -> Outcome:
    months = provisional_months()
    loaded_at = dt.datetime.now()
    staged: Staged | None = None
    try:
        with write_transaction(db) as con:
            outcome = import_file(con, path, kind, loaded_by, months, loaded_at, name, options, prepared)
            if preview:
                raise _Preview(outcome)
            if data_dir is not None:
                staged = stage_copy(Path(path), Path(data_dir), outcome.kind, loaded_by, loaded_at, name, options or {})
    except _Preview as done:
        return done.outcome
    except BaseException as exc:
        if staged is not None:
            staged.discard()
        if isinstance(exc, duckdb.IOException | OSError):  # not written (disk full) or not opened
            LOG.exception("import of %s not committed", name)
            message = "de database kon niet worden bijgewerkt (schijf vol?); er is niets geladen"
            raise limits.refuse(name, message) from exc
        raise
    if staged is not None:
        staged.publish()
    return outcome


def import_bytes(
    raw: bytes,
    file_name: str,
    db: Path,
    kind: str | None,
    loaded_by: str,
    *,
    isolated: bool = False,
    writing: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext,
    **kwargs: Any,
) -> Outcome:
    """`run_import` for an upload: the bytes are written under their own name (the suffix tells
    a GeoPackage from a CSV) in a temporary folder that is removed afterwards. The file is read
    first (with `isolated`, in a process of its own with a time budget), and only the database
    work runs inside `writing()` (the app's write gate)."""
    limits.check_size(len(raw), file_name, limits.MAX_BOUNDARY_BYTES)
    check_loaded_by(loaded_by, file_name)
    with tempfile.TemporaryDirectory(prefix="ivp-upload-") as folder:
        path = Path(folder) / safe_file_name(file_name)
        try:
            path.write_bytes(raw)
        except OSError as exc:
            LOG.exception("storing the upload %s failed", file_name)
            raise limits.refuse(file_name, "het bestand kon niet tijdelijk worden opgeslagen (schijf vol?)") from exc
        prepared = (read_isolated if isolated else read_file)(path, file_name, kind)
        with writing():
            return run_import(path, db, kind, loaded_by, file_name=file_name, prepared=prepared, **kwargs)


CONTROL_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters, line and paragraph separators


def check_loaded_by(loaded_by: str, name: str) -> None:
    """'Geladen door' (--by) is plain text of one line: it goes to the load history and the manifest."""
    controls = sorted({c for c in loaded_by if unicodedata.category(c) in CONTROL_CATEGORIES})
    if controls:
        names = {"\n": "regeleinde", "\r": "regeleinde", "\t": "tab"}
        shown = ", ".join(dict.fromkeys(names.get(c, f"U+{ord(c):04X}") for c in controls))
        message = f"'Geladen door' (--by) bevat een stuurteken ({shown}); gebruik gewone tekst op één regel"
        raise limits.refuse(name, message)
    if len(loaded_by) > limits.MAX_NAME_CHARS:
        message = f"'Geladen door' (--by) heeft {limits.over(len(loaded_by), 'tekens', limits.MAX_NAME_CHARS)}"
        raise limits.refuse(name, message)


def provisional_months() -> int:
    return int(load_settings().get("police_provisional_months", 3))


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Apply the kept imports of data/imports/manifest.csv in their order (when building)."""
    folder = Path(data_dir) / "imports"
    entries = manifest_entries(folder / "manifest.csv")
    for entry in entries:
        copy = folder / Path(entry["file"]).name  # a manifest names files in its own folder only
        import_file(
            con,
            copy,
            entry["kind"],
            entry["loaded_by"],
            provisional_months(),
            dt.datetime.fromisoformat(entry["loaded_at"]),
            entry["file_name"],
            manifest_options(entry["options"]),
        )
    return len(entries)


def _skipped_text(outcome: Outcome, reason: str) -> str:
    """'12 andere gemeente (GM0590: 12 rijen (eerste: rij 4, BU05900101))': a reason's count, and
    which rows it skipped where the check names them."""
    detail = outcome.skipped_detail.get(reason)
    text = f"{number(outcome.skipped[reason])} {reason}"
    return f"{text} ({detail})" if detail else text


def outcome_text(outcome: Outcome) -> str:
    """'1.234 nieuw, 0 vervangen, ...; overgeslagen: 12 andere gemeente (notes)', followed by what
    the file covers (`Outcome.coverage`), for a message."""
    parts = [
        f"{number(outcome.new)} nieuw",
        f"{number(outcome.replaced)} vervangen",
        f"{number(outcome.unchanged)} ongewijzigd",
        f"{number(outcome.demo_replaced)} demorijen vervangen",
    ]
    skipped = ", ".join(_skipped_text(outcome, reason) for reason in outcome.skipped)
    text = "; ".join(parts) + (f"; overgeslagen: {skipped}" if skipped else "") + f" ({', '.join(outcome.notes)})"
    return " ".join([text + ".", *outcome.coverage]) if outcome.coverage else text
