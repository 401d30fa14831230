"""Reading a file for an import, before the database is involved: the size limit first, then
the file read by its kind (boundaries) or as a table recognised by its columns.

A hostile file can make reading slow or large, so `read_isolated` reads in a Python process of
its own, stopped after `limits.READ_SECONDS`: the app's write gate is taken only afterwards, for
the check and apply against the database (`run`)."""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ivpdata.formatting import number
from ivpdata.importing import limits
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.reading import read_table
from ivpdata.validate import DataError, Problem

LOG = logging.getLogger(__name__)
CBS_ROW_ID = "ID"  # the row number column of every CBS TypedDataSet (police and KWB OData files)


def detect_kind(frame: pd.DataFrame, name: str) -> str:
    """The kind whose columns the file has."""
    for code, kind in KINDS.items():
        if kind.recognises(frame):
            return code
    raise DataError([_unrecognised(frame, name)])


def _unrecognised(frame: pd.DataFrame, name: str) -> Problem:
    """Why no kind recognised the file. When the file has most columns of some kinds (a column
    renamed or mistyped), those kinds and the columns they miss; else every kind's columns."""
    columns = [str(c) for c in frame.columns if not str(c).startswith("_")]
    found = ", ".join(columns[:8])
    present = {code: sum(c in columns for c in kind.columns) for code, kind in KINDS.items() if kind.columns}
    best = max(present.values(), default=0)
    close = [KINDS[code] for code, n in present.items() if n == best and n >= 2 and n * 2 >= len(KINDS[code].columns)]
    if not close:
        known = "; ".join(f"{k.label}: {', '.join(k.columns)}" for k in KINDS.values() if k.columns)
        return Problem(name, 1, None, f"geen bekend bestand herkend aan de kolommen ({found}). Bekend: {known}")
    missing = list(dict.fromkeys(c for kind in close for c in kind.columns if c not in columns))
    named = {CBS_ROW_ID, *(c for kind in KINDS.values() for c in kind.columns)}
    unknown = [c for c in columns if c not in named]
    labels = " of ".join(kind.label for kind in close)
    what = f"kolom {missing[0]} ontbreekt" if len(missing) == 1 else f"kolommen {', '.join(missing)} ontbreken"
    others = f"; kolommen die geen bekend bestand heeft: {', '.join(unknown)}" if unknown else ""
    message = f"geen bekend bestand herkend: het lijkt op {labels}, maar {what}{others}"
    return Problem(name, 1, unknown[0] if len(unknown) == 1 else None, message)


@dataclass
class Prepared:
    """A file read within the limits, its kind known; not yet checked against the database."""

    kind: str
    frame: pd.DataFrame
    notes: list[str]


def read_file(path: Path, name: str, kind: str | None) -> Prepared:
    """Read a file and apply the limits (size first, before reading it); no database needed.
    Files that are not tables (boundaries) are recognised by their suffix and read by their kind;
    tables by their columns."""
    if kind is not None and kind not in KINDS:
        raise DataError([Problem(name, None, None, f"onbekende soort '{kind}' (bekend: {', '.join(KINDS)})")])
    suffix = Path(name).suffix.lower()
    by_suffix = [code for code, spec in KINDS.items() if suffix in spec.suffixes]
    code = kind or (by_suffix[0] if by_suffix else None)
    read = KINDS[code].read if code is not None else None
    reads_itself = read is not None
    limits.check_size(
        Path(path).stat().st_size, name, limits.MAX_BOUNDARY_BYTES if reads_itself else limits.MAX_TABLE_BYTES
    )
    raw = Path(path).read_bytes()
    if code is not None and read is not None:
        frame, notes = read(path, raw, name)
        return Prepared(code, frame, notes)
    frame, notes = read_table(raw, name)
    code = code or detect_kind(frame, name)
    spec = KINDS[code]
    if not spec.recognises(frame):
        missing = [c for c in spec.columns if c not in frame.columns]
        expected = f"verwachte kolommen: {', '.join(spec.columns)}"
        what = f"kolom(men) ontbreken: {', '.join(missing)}" if missing else expected
        raise DataError([Problem(name, 1, None, f"dit bestand is geen {spec.label}: {what}")])
    return Prepared(code, frame, notes)


def read_isolated(path: Path, name: str, kind: str | None, seconds: float | None = None) -> Prepared:
    """`read_file` in a Python process of its own, stopped after `seconds` (default
    `limits.READ_SECONDS`): a hostile file costs that process, not the app's, and never more than
    the time budget. (A new interpreter rather than multiprocessing: a spawned child would re-run
    the app's main script.)"""
    seconds = limits.READ_SECONDS if seconds is None else seconds
    with tempfile.TemporaryDirectory(prefix="ivp-lezen-") as folder:
        result = Path(folder) / "gelezen.pickle"
        job = json.dumps({"path": str(path), "name": name, "kind": kind, "result": str(result)}).encode()
        try:
            finished = subprocess.run(READER, input=job, timeout=seconds, env=_reader_env(), check=False)
        except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
            shown = number(seconds, 0 if float(seconds).is_integer() else 2)
            message = f"het bestand kon niet binnen {shown} seconden worden gelezen; het is niet geladen"
            raise limits.refuse(name, message) from exc
        if finished.returncode != 0 or not result.exists():  # out of memory, or killed
            raise limits.refuse(name, "het bestand kon niet worden gelezen: het leesproces stopte onverwacht")
        status, value = pickle.loads(result.read_bytes())  # written by our own reader just now
    if status == "refused":
        raise DataError(value)
    if status == "failed":
        raise limits.refuse(name, f"het bestand kon niet worden gelezen ({value})")
    return value


READER = [sys.executable, "-c", "from ivpdata.importing.prepare import read_in_child; read_in_child()"]


def _reader_env() -> dict[str, str]:
    """This environment, with the folder holding `ivpdata` first on the path."""
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}


def read_in_child() -> None:
    """The reader process of `read_isolated`: the job on stdin, (status, Prepared | problems |
    error name) pickled to the job's result file."""
    job = json.loads(sys.stdin.buffer.read())
    try:
        result: tuple[str, Any] = ("ok", read_file(Path(job["path"]), job["name"], job["kind"]))
    except DataError as error:  # its problems travel; a DataError does not pickle whole
        result = ("refused", error.problems)
    except Exception as exc:  # any failure of a hostile file is a refusal; logged here
        LOG.exception("reading %s failed", job["name"])
        result = ("failed", type(exc).__name__)
    Path(job["result"]).write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
