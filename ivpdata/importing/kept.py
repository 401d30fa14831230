"""The kept copies of imported files (data/imports/) and their manifest, from which a rebuild
replays the imports in order. The copy and the next manifest are written and flushed to disk
before the import commits (`Staged`), and the manifest is swapped in by a rename after the
commit: the import and its copy land together or not at all. The manifest is a quoted CSV, so
no text in a field can break it."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import hashlib
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ivpdata.importing import limits

LOG = logging.getLogger(__name__)


def safe_file_name(name: str) -> str:
    """A file name to store under: letters, digits, '.', '-', '_' and spaces, its suffix kept."""
    cleaned = re.sub(r"[^\w.\- ]", "_", Path(name.replace("\\", "/")).name).strip(". ")[:120]
    return cleaned or f"bestand{Path(name).suffix.lower()[:10]}"


MANIFEST_COLUMNS = ["loaded_at", "file", "file_name", "kind", "loaded_by", "options"]


@dataclass
class Staged:
    """A kept copy and the next manifest, written but not yet in force."""

    manifest: Path
    staged: Path
    copy: Path
    created: bool

    def publish(self) -> None:
        """Put the new manifest in force: a rename, which needs no space and is atomic."""
        self.staged.replace(self.manifest)

    def discard(self) -> None:
        for path in (self.staged, self.copy) if self.created else (self.staged,):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def stage_copy(
    path: Path, data_dir: Path, kind: str, loaded_by: str, loaded_at: dt.datetime, name: str, options: dict[str, str]
) -> Staged:
    """Store the imported file under data/imports/ and write the manifest with it added, in load
    order, next to the manifest in force (the database is rebuilt from data/, imports included).
    Raises DataError if either cannot be written (a full disk), leaving nothing behind."""
    folder = data_dir / "imports"
    raw = path.read_bytes()
    copy = folder / f"{hashlib.sha256(raw).hexdigest()[:16]}-{safe_file_name(name)}"
    staged = Staged(folder / "manifest.csv", folder / "manifest.csv.new", copy, created=False)
    partial = copy.with_name(copy.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not copy.exists():
            staged.created = True
            _write_durably(partial, lambda file: file.write(raw), binary=True)
            partial.replace(copy)
        entry = {
            "loaded_at": loaded_at.isoformat(timespec="seconds"),
            "file": copy.name,
            "file_name": Path(name).name,
            "kind": kind,
            "loaded_by": loaded_by,
            "options": urlencode(sorted(options.items())),
        }
        entries = [*manifest_entries(staged.manifest), entry]
        _write_durably(staged.staged, lambda file: _write_entries(file, entries))
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        staged.discard()
        LOG.exception("keeping a copy of %s failed", name)
        reason = "de schijf is vol" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
        message = f"de kopie voor het herbouwen (map imports) kon niet worden opgeslagen: {reason}; er is niets geladen"
        raise limits.refuse(name, message) from exc
    return staged


def _write_durably(path: Path, write: Callable[[Any], Any], binary: bool = False) -> None:
    """Write a file and wait until it is on disk (a full disk shows here, not later)."""
    with path.open("wb") if binary else path.open("w", encoding="utf-8", newline="") as file:
        write(file)
        file.flush()
        os.fsync(file.fileno())


def _write_entries(file: Any, entries: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(file, MANIFEST_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(entries)


def manifest_entries(manifest: Path) -> list[dict[str, str]]:
    """The manifest's lines (csv quoting: any text in a field is safe)."""
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8", newline="") as file:
        return [{column: entry.get(column) or "" for column in MANIFEST_COLUMNS} for entry in csv.DictReader(file)]


def manifest_options(text: str) -> dict[str, str]:
    """Options as 'year=2024&...' (URL-encoded: any value is safe); older manifests joined them with ';'."""
    return dict(parse_qsl(text.replace(";", "&"), keep_blank_values=True))
