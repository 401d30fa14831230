"""`python -m dashboard run app.py [options]`: Streamlit's own command line (`python -m streamlit`),
with the first view's modules imported beside it once the server has started
(`dashboard.warm_up`). Run it from the project folder, as `make run`, deploy/ and the tests do."""

from __future__ import annotations

import importlib
import runpy
import sys

from dashboard import warm_up


def main() -> None:
    # Streamlit itself first, in this thread: the server's own imports and the thread's then share
    # no package, so neither waits on a module the other is importing.
    importlib.import_module("streamlit")
    warm_up.start()
    sys.argv = ["streamlit", *sys.argv[1:]]
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
