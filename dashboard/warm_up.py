"""The first view's modules, imported in a thread once the server has started (`start`, by
`python -m dashboard`), and a script run's wait for them (`wait`, first in app.py).

Streamlit runs nothing of the app before the first browser connects, so the first visitor after a
(re)start waited for pandas, Altair, DuckDB, Arrow and the app's own modules to load (about a
second) after the page's own code had loaded. Imported while the browser loads the page, they are
ready when the first run asks for them: a run finds them in `sys.modules`, as every later run
does. A run that starts before the thread is done waits for it, so the two never import the same
modules at once. Only what the first view loads (tests/test_architecture.py keeps the PDF, Excel
and statistics libraries out of it)."""

from __future__ import annotations

import importlib
import threading
import time

# The modules the router (app.py) and the Overzicht import; what they import comes with them.
FIRST_VIEW = (
    "dashboard.access",
    "dashboard.connection",
    "dashboard.frame",
    "dashboard.links",
    "dashboard.permalinks",
    "dashboard.presenting",
    "dashboard.routes",
    "dashboard.selection",
    "dashboard.show",
    "ivpdata.charts",
    "ivpdata.page_models.overzicht",
    "ivpdata.queries",
    "ivpdata.safetext",
)
_DONE = threading.Event()
_DONE.set()  # nothing to wait for unless `start` was called (a plain `streamlit run`, AppTest)


def imports() -> None:
    for name in FIRST_VIEW:
        importlib.import_module(name)


def start() -> None:
    """`imports` in a thread, once the server has made its runtime: its own start first (the two
    share one interpreter lock), the imports while the first browser loads the page."""
    _DONE.clear()
    threading.Thread(target=_after_start, name="warm-up", daemon=True).start()


def _after_start() -> None:
    from streamlit import runtime

    try:
        while not runtime.exists():
            time.sleep(0.05)
        imports()
    finally:
        _DONE.set()


def wait() -> None:
    """Until the modules `start` imports are in: a script run does not import them beside it."""
    _DONE.wait()
