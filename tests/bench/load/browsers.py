"""The real-browser check beside the protocol load: a few headless Chromium sessions doing the
protocol users' kind of actions (the Kaart's Niveau radio, the sidebar to Trends, its Per radio,
back to the Kaart), each a change, timed by the browser bench's Meter (tests/bench/browser/measure.py:
from the action to the page drawn and settled). One thread and one Chromium per session, so that
the sessions act at the same time as each other and as the protocol users. Chromium starts and
opens the Kaart before the level begins (`prepare`), so the level's time goes to actions."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench.browser.figures import VIEWPORT, nav, radio
from tests.bench.browser.measure import Meter
from tests.bench.browser.servers import RunLog
from tests.support.browser import CHROMIUM, chromium

READY_TIMEOUT_S = 300.0  # Chromium started and the Kaart drawn (a wait, not a target)
Outcome = tuple[list[float], list[str]]  # seconds of each action; failures


class BrowserCheck:
    """`count` Chromium sessions on `url`; `runs`: the server's run log (None: not known)."""

    def __init__(self, url: str, runs: RunLog | None, count: int) -> None:
        self.url, self.count = url, count
        self.runs = runs or RunLog(Path("/nonexistent/runs.log"))  # none: the page's own script state
        self.ready = threading.Barrier(count + 1, timeout=READY_TIMEOUT_S)
        self.go = threading.Event()
        self.deadline = 0.0
        self.sessions: list[asyncio.Future[Outcome]] = []

    async def prepare(self) -> None:
        """Start every session and wait until each shows the Kaart (or has failed)."""
        if not CHROMIUM.exists():
            return
        self.sessions = [asyncio.ensure_future(asyncio.to_thread(self._session)) for _ in range(self.count)]
        with contextlib.suppress(threading.BrokenBarrierError):  # a session failed to start: it says why
            await asyncio.to_thread(self.ready.wait)

    async def run(self, deadline: float) -> Outcome:
        """Act until `deadline` (time.monotonic()); the seconds of every action and the failures."""
        if not CHROMIUM.exists():
            return [], ["Chromium not found at /usr/bin/chromium (apt-get install chromium)"]
        self.deadline = deadline
        self.go.set()
        done = await asyncio.gather(*self.sessions)
        return [s for seconds, _ in done for s in seconds], [f for _, failures in done for f in failures]

    def _session(self) -> Outcome:
        seconds: list[float] = []
        failures: list[str] = []
        try:
            with chromium() as browser:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                meter = Meter(page, self.runs)
                meter.act(
                    lambda: page.goto(f"{self.url}/kaart", wait_until="commit"), map_drawn=True, new_document=True
                )
                self.ready.wait()
                if not self.go.wait(READY_TIMEOUT_S):  # the level never began
                    return seconds, failures
                actions = _actions(page)
                while time.monotonic() < self.deadline:
                    action, drawn = actions[len(seconds) % len(actions)]
                    seconds.append(meter.act(action, map_drawn=drawn).total)
        except Exception as error:  # a failed browser action is a figure, not a crash
            self.ready.abort()
            failures.append(f"{type(error).__name__}: {str(error)[:120]}")
        return seconds, failures


def _actions(page: Any) -> list[tuple[Callable[[], object], bool]]:
    """One round: (action, whether a map must be drawn after it)."""
    return [
        (radio(page, "Niveau", "buurt"), True),
        (radio(page, "Niveau", "wijk"), True),
        (nav(page, "Trends"), False),
        (radio(page, "Per", "Kwartaal"), False),
        (radio(page, "Per", "Maand"), False),
        (nav(page, "Kaart"), True),
    ]
