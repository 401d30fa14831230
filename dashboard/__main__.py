"""`python -m dashboard run app.py [options]`: Streamlit's own command line (`python -m streamlit`),
with the modules of the first view imported beside it.

Streamlit runs nothing of the app before the first browser connects, so the first visitor after a
(re)start waited for pandas, Altair, DuckDB, Arrow and the app's own modules to load (about a
second) after the page's own code had loaded. Imported in a thread once the server has started,
while the browser loads the page, they are ready when the first run asks for them: a run finds them in
`sys.modules`, as every later run does. Only what the first view loads (tests/test_architecture.py
keeps the PDF, Excel and statistics libraries out of it)."""

from __future__ import annotations

import importlib
import runpy
import sys
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


def warm_up() -> None:
    for name in FIRST_VIEW:
        importlib.import_module(name)


def _after_start() -> None:
    """`warm_up` once the server has made its runtime: its own start first (the two share one
    interpreter lock), the imports while the first browser loads the page."""
    from streamlit import runtime

    while not runtime.exists():
        time.sleep(0.05)
    warm_up()


def main() -> None:
    # Streamlit itself first, in this thread: the server's own imports and the thread's then share
    # no package, so neither waits on a module the other is importing (or finds a cycle there).
    importlib.import_module("streamlit")
    threading.Thread(target=_after_start, name="warm-up", daemon=True).start()
    sys.argv = ["streamlit", *sys.argv[1:]]
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
