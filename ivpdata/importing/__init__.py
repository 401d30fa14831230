"""Imports: read an export a safety team has, check it, show what it would change, and apply it
to the database in one transaction, with a line in the load history.

- `reading`: files as text tables (encodings, delimiters, XLSX, title rows, Dutch numbers).
- `base`: what kinds share (context, checked rows, outcome per period and area, problems).
- one module per source (`police`, ...), each with its `KINDS`; `kinds` lists them all.
- `limits`: the limits every file is read within (size, unpacked size, rows, columns, field
  length, nesting, time) and the checks that apply them before the expensive work.
- `prepare`: read a file within the limits and recognise its kind (for uploads in a process of
  its own with a time budget), before the database is involved.
- `kept`: the copies of imported files and their manifest, committed with the import.
- `run`: check and apply in one transaction, load history, keep the copy, replay on a rebuild.
"""

from ivpdata.importing.base import Checked, Context, Kind, Outcome
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.prepare import Prepared, detect_kind, read_file, read_isolated
from ivpdata.importing.run import import_bytes, import_file, outcome_text, replay, run_import

__all__ = [
    "KINDS",
    "Checked",
    "Context",
    "Kind",
    "Outcome",
    "Prepared",
    "detect_kind",
    "import_bytes",
    "import_file",
    "outcome_text",
    "read_file",
    "read_isolated",
    "replay",
    "run_import",
]
