"""`make loadtest`: `python -m tests.bench.load [--sessions 1,10,25,50,100,200] [--seconds 40] [--replicas 2]
[--think 5] [--browsers 3] [--url URL ...] [--db FILE]`. See tests/bench/load/__init__.py."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from ivpdata.config import db_path
from tests.bench.browser.servers import RunLog, Server
from tests.bench.load import browsers, levels, report, servers
from tests.bench.load.protocol import FailedError, Session
from tests.bench.load.report import Ladder
from tests.bench.load.scenario import STEPS

# A user reads the map or chart a click drew before the next click: 5 s on average (uniform 0-10 s).
# The printed capacity in actions per second does not depend on it.
THINK_SECONDS = 5.0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.load", description=__doc__)
    parser.add_argument(
        "--sessions", default="1,10,25,50,100,200", help="concurrent sessions per level, comma-separated"
    )
    parser.add_argument("--seconds", type=float, default=40.0, help="seconds per level")
    parser.add_argument("--think", type=float, default=THINK_SECONDS, help="mean pause between actions, seconds")
    parser.add_argument("--replicas", type=int, default=2, help="measure 1 replica, then this many (1: one only)")
    parser.add_argument("--browsers", type=int, default=3, help="Chromium sessions beside the level below (0: none)")
    parser.add_argument("--browser-level", type=int, default=25, help="the level the browsers run beside")
    parser.add_argument("--url", action="append", help="a running server instead (repeat for replicas)")
    parser.add_argument("--db", type=Path, default=None, help="database to copy (default: $IVP_DB or data/ivp.duckdb)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Ladder]:
    """Every ladder of levels, printed as measured (for one replica, then for --replicas)."""
    options = arguments(argv)
    counts = [int(count) for count in options.sessions.split(",")]
    if options.url:
        return [asyncio.run(_ladder(options, counts, options.url, []))]
    with tempfile.TemporaryDirectory(prefix="ivp-loadtest-") as folder:
        db, data_dir = servers.workspace(options.db or db_path(), Path(folder))
        with servers.replicas(options.replicas, db, data_dir, Path(folder)) as started:
            asyncio.run(_warm([server.url for server in started]))
            ladders = [
                asyncio.run(_ladder(options, counts, [s.url for s in started[:n]], started[:n]))
                for n in sorted({1, options.replicas})
            ]
    report.scaling(ladders)
    return ladders


async def _ladder(options: argparse.Namespace, counts: list[int], urls: list[str], started: list[Server]) -> Ladder:
    report.header(len(urls), options.seconds, options.think)
    ladder = Ladder(len(urls), [])
    for count in counts:
        beside = None
        if options.browsers and count == options.browser_level and len(urls) == 1:
            runs: RunLog | None = started[0].runs if started else None
            beside = browsers.BrowserCheck(urls[0], runs, options.browsers)
        pids = [server.pid for server in started]
        result = await levels.run(urls, count, options.seconds, options.think, pids, beside)
        report.level(result)
        ladder.levels.append(result)
    report.targets(ladder)
    return ladder


async def _warm(urls: list[str]) -> None:
    """Every step once on every server, unmeasured: the first visitor's cold caches are not the load."""
    for url in urls:
        session = Session(url)
        await session.connect()
        try:
            for step in STEPS:
                await (session.change(step.widget) if step.widget else session.open(step.page))
        except FailedError as failure:
            print(f"warm-up on {url} failed: {failure}")
        finally:
            await session.close()


if __name__ == "__main__":
    main()
