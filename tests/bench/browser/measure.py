"""Timing what a user sees in the browser: from an action to the page drawn and settled.

An init script records, with `performance.now()`, every batch of DOM changes and the time two
animation frames later (painted), and whether Streamlit's script state (`data-test-script-state`
on `stApp`) changed. A figure is: action -> a script run (a change of that state, or, for a run so
short that React never shows it, a line in the server's run log) -> the state `notRunning` and no
DOM change for SETTLE seconds; the figure ends when the last DOM change was painted (for a map:
after its deck.gl canvas is there). Reruns that follow (`st.rerun`, `st.switch_page`) are
included. A change inside a <canvas> is not counted: that is fallback content for assistive
technology, which the browser never paints (the data grid rewrites its hidden accessibility table
there 200 ms after new data, a timer, not drawing). Nor is one inside Streamlit's live announcer,
a visually hidden region whose text a screen reader reads out: a multiselect's "42 options
available." came 0.2-0.7 s after the chart was drawn, in 2 of 12 traced changes of 'Wat'.
Beside it: the seconds of the server's script runs that started after the action (its run log)
and the bytes the server sent over the page's websockets meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.bench.browser.servers import RunLog

SETTLE = 0.5  # seconds without a DOM change before a page counts as settled
TIMEOUT_S = 120
MAP_CANVAS = "[data-testid=stDeckGlJsonChart] canvas"
INIT_SCRIPT = """
window.__changes = []; window.__stateChanged = [];
const hidden = n => n.nodeType === 1 && n.closest('canvas, [data-live-announcer]') !== null;
const unpainted = c => { const n = c.target.nodeType === 1 ? c.target : c.target.parentElement;
  const nodes = [...c.addedNodes, ...c.removedNodes];
  return (n !== null && hidden(n)) || (nodes.length > 0 && nodes.every(hidden)); };
new MutationObserver(changes => {
  changes = changes.filter(c => !unpainted(c));
  if (changes.length === 0) return;
  const change = {t: performance.now(), painted: null};
  window.__changes.push(change);
  requestAnimationFrame(() => requestAnimationFrame(() => { change.painted = performance.now(); }));
  if (changes.some(c => c.attributeName === 'data-test-script-state')) window.__stateChanged.push(change.t);
}).observe(document, {attributes: true, childList: true, characterData: true, subtree: true});
"""
SNAPSHOT = """mark => { const app = document.querySelector('[data-testid=stApp]');
  const last = window.__changes[window.__changes.length - 1];
  return {ran: window.__stateChanged.some(t => t >= mark), count: window.__changes.length,
          state: app && app.getAttribute('data-test-script-state'), painted: last ? last.painted : null}; }"""


@dataclass(frozen=True)
class Sample:
    total: float  # seconds from the action to the page drawn and settled
    server: float  # seconds of the server's script runs meanwhile (nan: not measured)
    kilobytes: float  # sent by the server over the websockets (or the file downloaded)


class Meter:
    """Measures actions on one page of one server."""

    def __init__(self, page: Any, runs: RunLog) -> None:
        self.page, self.runs, self.received = page, runs, 0
        page.add_init_script(INIT_SCRIPT)
        page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload: str | bytes) -> None:
        self.received += len(payload)

    def act(self, action: Callable[[], object], *, map_drawn: bool = False, new_document: bool = False) -> Sample:
        """Do `action` and wait until the page has settled (and shows a map, if `map_drawn`).
        `new_document`: the action loads a new page, whose clock starts at its navigation."""
        mark = 0.0 if new_document else float(self.page.evaluate("performance.now()"))
        wall, received = time.time(), self.received
        action()
        if map_drawn:
            self.page.wait_for_selector(MAP_CANVAS, timeout=TIMEOUT_S * 1000)
        end = self._settled(mark, wall)
        return Sample((end - mark) / 1000, sum(self.runs.since(wall)), (self.received - received) / 1024)

    def _settled(self, mark: float, wall: float) -> float:
        """performance.now() when the last DOM change after the action's script runs was painted."""
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            snapshot = self.page.evaluate(SNAPSHOT, mark)
            ran = snapshot["ran"] or self.runs.since(wall)
            if ran and snapshot["state"] == "notRunning" and snapshot["painted"] is not None:
                time.sleep(SETTLE)
                later = self.page.evaluate(SNAPSHOT, mark)
                if later["count"] == snapshot["count"]:
                    return float(later["painted"])
            else:
                time.sleep(0.02)
        raise TimeoutError(f"the page did not settle within {TIMEOUT_S} s: {self.page.url}")

    def first_view(self, url: str, started: float) -> Sample:
        """Open `url` on a server started at `started` (time.time()): seconds from the start to the
        first page drawn and settled."""
        received = self.received
        self.page.goto(url, wait_until="commit")
        painted = self._settled(0.0, started)
        origin = float(self.page.evaluate("performance.timeOrigin"))  # ms since the epoch
        total = (origin + painted) / 1000 - started
        return Sample(total, sum(self.runs.since(started)), (self.received - received) / 1024)

    def download(self, click: Callable[[], object]) -> Sample:
        """Seconds from `click` to the downloaded file saved; its size. The file is made outside a
        script run (a download button's callable), so no server run is timed."""
        started = time.perf_counter()
        with self.page.expect_download(timeout=TIMEOUT_S * 1000) as download:
            click()
        path = download.value.path()
        return Sample(time.perf_counter() - started, float("nan"), path.stat().st_size / 1024)
