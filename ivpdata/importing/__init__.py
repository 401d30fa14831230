"""Imports: read an export a safety team has, check it, show what it would change, and apply it
to the database in one transaction, with a line in the load history.

- `reading`: files as text tables (encodings, delimiters, XLSX, title rows, Dutch numbers).
- `base`: what kinds share (context, checked rows, outcome per period and area, problems).
- one module per source (`police`, ...), each with its `KINDS`; `kinds` lists them all.
- `run`: recognise, check, apply in one transaction, load history, kept copies and replay.
"""

from ivpdata.importing.base import Checked, Context, Kind, Outcome
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.run import detect_kind, import_bytes, import_file, outcome_text, replay, run_import

__all__ = [
    "KINDS", "Checked", "Context", "Kind", "Outcome",
    "detect_kind", "import_bytes", "import_file", "outcome_text", "replay", "run_import",
]  # fmt: skip
