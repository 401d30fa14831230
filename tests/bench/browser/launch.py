"""`python -m dashboard` (Streamlit's `streamlit run`, the first view's modules imported beside
it), with every script run timed: `python -m tests.bench.browser.launch run SCRIPT [options]`.

Runs in the server's process. It wraps Streamlit's script runner from outside (the app's code is
not changed) and appends one line per script run to the file named by $BENCH_RUN_LOG:
`wall-clock start <TAB> seconds <TAB> page`. The wrapped method is private Streamlit API: fine for
a benchmark, never for the app (tests/test_architecture.py)."""

from __future__ import annotations

import os
import runpy
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.runtime.scriptrunner import script_runner

from dashboard.__main__ import main as dashboard_main
from ivpdata.config import PROJECT_ROOT

_run_script = script_runner.ScriptRunner._run_script


def _timed(self: script_runner.ScriptRunner, rerun_data: Any) -> None:
    started, clock = time.time(), time.perf_counter()
    try:
        _run_script(self, rerun_data)
    finally:
        seconds = time.perf_counter() - clock
        page = rerun_data.page_name or rerun_data.page_script_hash[:8]
        with open(os.environ["BENCH_RUN_LOG"], "a", encoding="utf-8") as log:  # noqa: PTH123
            log.write(f"{started:.3f}\t{seconds:.3f}\t{page}\n")


if __name__ == "__main__":
    script_runner.ScriptRunner._run_script = _timed  # type: ignore[method-assign]
    if Path(sys.argv[2]).resolve() == PROJECT_ROOT / "app.py":
        dashboard_main()  # as `make run` serves the app
    else:  # the bare app: Streamlit's own command
        sys.argv = ["streamlit", *sys.argv[1:]]
        runpy.run_module("streamlit", run_name="__main__", alter_sys=True)
