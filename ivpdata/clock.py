"""The date the app and its imports take as today. IVP_TODAY (jjjj-mm-dd) sets it, for tests
(also in an import's own process, which inherits the environment)."""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "IVP_TODAY"


def today() -> dt.date:
    """Today, or the date IVP_TODAY gives."""
    given = os.environ.get(TODAY_VARIABLE, "").strip()
    return dt.date.fromisoformat(given) if given else dt.date.today()
