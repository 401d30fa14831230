"""The browser section of `make bench`:
`python -m tests.bench.browser [--db FILE] [--rounds N] [--quick-rounds N] [--first N]`."""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from pathlib import Path

from ivpdata.config import db_path
from tests.bench.browser import figures, report, workspace
from tests.support.browser import chromium

# The quick figures (0.15-0.3 s) in 16 samples a side: a median of 6 moved between about 1.2x and
# 1.65x from run to run for 'Wat' (nineteenth session), with one or two slow samples deciding it.
QUICK_ROUNDS = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="database to copy (default: $IVP_DB or data/ivp.duckdb)")
    parser.add_argument("--first", type=int, default=3, help="server starts per side for the first view")
    parser.add_argument("--rounds", type=int, default=3, help="samples per warm figure (a radio: twice as many)")
    parser.add_argument(
        "--quick-rounds",
        type=int,
        default=QUICK_ROUNDS,
        help="rounds of the quick figures, the Niveau radio and 'Wat' (two samples a round)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ivp-bench-browser-") as folder:
        space = workspace.prepare(arguments.db or db_path(), Path(folder))
        measured, memory = run(space, arguments.first, arguments.rounds, arguments.quick_rounds)
        report.show(measured)
        report.memory(memory)


def run(
    space: workspace.Workspace, first: int, rounds: int, quick_rounds: int = QUICK_ROUNDS
) -> tuple[figures.Figures, dict[str, tuple[float, float]]]:
    """Every figure; the servers and the browser are stopped at the end, also on an error. Last, the
    memory of each server after all its sessions and reruns (no full collection after a run:
    .streamlit/config.toml)."""
    with chromium() as browser, ExitStack() as servers:
        measured, sides = figures.first_views(browser, space, first, servers)
        figures.sidebar_to_map(sides, rounds, measured)
        figures.map_radio(sides, quick_rounds, measured)
        figures.chart_multiselect(sides, quick_rounds, measured)
        figures.map_page_loads(sides, rounds, measured)
        app = sides[0]
        figures.next_slide(app, space, rounds, measured)
        figures.briefing_pdf(app, measured)
        memory = {side.name: side.server.memory_mb() for side in sides}
    return measured, memory


if __name__ == "__main__":
    main()
