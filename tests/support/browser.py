"""Serving the app with Streamlit and looking at it in headless Chromium, for the browser tests.

Needs Debian's chromium at /usr/bin/chromium (installed by .ci/run). Without it the browser tests
fail with a message saying so: they never pass quietly. The fixtures (`browser`, `server`,
`own_server`) are in tests/conftest.py."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import ProxySettings
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ivpdata import theme
from ivpdata.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Nothing a test browser asks for leaves the machine: every address but localhost goes to a proxy
# that does not exist, Chromium's own calls home included. Chromium does this natively; a
# Playwright route that aborts outside requests sends every request through Playwright instead,
# a third more CPU per page load. Tests still see each request in their `request` events.
NO_OUTSIDE: ProxySettings = {"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1"}
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
STARTUP_SECONDS = 60
DRAW_SECONDS = 30  # deck.gl's drawing, waited for by `drawn`


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serve(
    db: Path,
    script: str | Path = "app.py",
    *,
    address: str = "127.0.0.1",
    secrets: Path | None = None,
    port: int | None = None,
    **env: str,
) -> Iterator[str]:
    """`script` (the app) on `db`, served by Streamlit from the project folder (so with its
    .streamlit/config.toml) on `address` and a free port (or `port`); yields its URL, always on
    localhost. Secrets come from `secrets` only: without it from a file that does not exist, so a
    developer's own ~/.streamlit/secrets.toml never reaches a test. The theme is the deployed one
    (`python -m ivpdata theme`, as `make run` and deploy/ load it), so the audits see what users see."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="ivp-secrets-") as folder:
        secrets_file = secrets or Path(folder) / "secrets.toml"  # absent: Streamlit finds no secrets
        command = [sys.executable, "-m", "dashboard", "run", str(script), "--server.port", str(port)]  # as make run
        command += ["--server.address", address, "--secrets.files", str(secrets_file), "--server.headless", "true"]
        url = f"http://localhost:{port}"
        themed = theme.environment(theme.build_theme())
        environment = {**os.environ, **themed, "IVP_DB": str(db), "PYTHONPATH": str(PROJECT_ROOT), **env}
        with running(command, f"{url}/_stcore/health", "Streamlit", cwd=PROJECT_ROOT, env=environment):
            yield url


@contextmanager
def running(command: list[str], ready: str, name: str, **popen: Any) -> Iterator[None]:
    """A server process (`command`), waited for until `ready` answers 200 and stopped afterwards.
    Its output goes to a file, not a pipe (a full pipe would block it), and is shown if it fails to start."""
    with tempfile.TemporaryDirectory(prefix="ivp-server-") as folder:
        log = Path(folder) / "server.log"
        with log.open("wb") as errors:  # the server keeps its own handle
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, **popen)
        deadline = time.monotonic() + STARTUP_SECONDS  # a wait for the server, not a timing assertion
        while not _answers(ready):
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                process.wait(timeout=10)
                pytest.fail(f"{name} did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        try:
            yield
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium (Debian's), launched by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium not found at /usr/bin/chromium: install Debian's package `chromium` (see README).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=NO_OUTSIDE)
        yield instance
        instance.close()


def open_page(browser, url: str, requests: list[str]):
    """A new page at `url`, recording every request it makes in `requests`."""
    page = browser.new_page(viewport={"width": 1600, "height": 2200})
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return page


def shown(locator) -> None:
    """Fails unless the element becomes visible: a page under load may still be drawing it."""
    locator.wait_for(state="visible", timeout=30_000)


_QUIET = """([ms, key]) => {
    const app = document.querySelector('[data-testid=stApp]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    // A lazily loaded element (a chart, table, widget) shows a skeleton until its code has arrived:
    // on a loaded machine that can take longer than `ms` without any other change on the page.
    const loading = document.querySelector('[data-testid=stSkeleton], [data-testid=stAppSkeleton]') !== null;
    const now = state + '|' + loading + '|' + document.body.innerHTML.length + '|' + document.body.innerText;
    const last = window[key];
    if (!last || last.page !== now) {
        window[key] = {page: now, since: performance.now()};
        return false;
    }
    return state === 'notRunning' && !loading && performance.now() - last.since >= ms;
}"""


def quiet(page, ms: int = 500, timeout: int = 60_000) -> None:
    """Wait until the script has finished, no element is still loading its code (Streamlit's
    skeleton) and the page has not changed (its text and markup) for `ms`: a condition, where a
    fixed pause would wait as long on a fast page and too short on a slow one."""
    key = f"__quiet_{time.monotonic_ns()}"  # a fresh record for each wait
    page.wait_for_function(_QUIET, arg=[ms, key], polling=100, timeout=timeout)


_NAVIGATE = """(url) => {
    window.__navigated = false;
    new MutationObserver((changes, observer) => {
        window.__navigated = true;
        observer.disconnect();
    }).observe(document.body, {attributes: true, attributeFilter: ['data-test-script-state'], subtree: true});
    history.pushState({}, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
}"""


NAVIGATION_START_MS = 20_000  # how long `navigate` waits for the session's run to start


def navigate(page, url: str, timeout: int = 60_000) -> None:
    """Go to `url` (a page of the app the tab shows) inside the app, as the browser's back and forward
    buttons do: Streamlit reruns the session on that page with the URL's parameters, without loading
    its frontend again (about half a page load's CPU: 1.0 against 1.9-2.4 CPU-seconds a page, measured
    on five pages). The session goes on, so use it where a test visits page after page, not where a
    test is about opening a link anew.

    Waits for the page to be quiet first: a run still going (after a click) could take the new
    address into its own, and no run of ours would be seen (one run in four under load, before).
    Then waits until a run has started and the page is quiet again. Fails unless the address
    shows each of the URL's parameters with its value: on the same page, a value the session wrote
    itself is taken for an address lagging behind the newest input, not for a link
    (dashboard/permalinks.py), so it is not applied again. The check reads the address: it holds
    for every parameter the app writes back (the sidebar's, and each control's through
    dashboard/permalinks.py); one the app leaves alone (presentatie, dia, an unknown name) stays as
    pushed and passes unchecked, and a path Streamlit does not know shows the default page under
    the pushed address. So the caller checks that the page shown is the one asked for (its heading
    or an element of its own)."""
    quiet(page, timeout=timeout)
    page.evaluate(_NAVIGATE, url)
    try:
        page.wait_for_function("window.__navigated === true", polling=50, timeout=NAVIGATION_START_MS)
    except PlaywrightTimeoutError:
        # No run started: seen twice in a full fresh-clone run under load (an accessibility audit's
        # second view, gemeente only), never alone. The tab opens the address anew instead: the
        # caller's checks are of the page the address shows; the back button has tests of its own.
        page.goto(url)
    quiet(page, timeout=timeout)
    wanted = parse_qs(urlsplit(url).query, keep_blank_values=True)
    shown = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    missed = {name: value for name, value in wanted.items() if shown.get(name) != value}
    assert not missed, f"{url}: the page shows {page.url}"


def share_link(page) -> str:
    """The link the sidebar's "Deel deze weergave" offers (opened, read, closed)."""
    page.get_by_text("Deel deze weergave").click()
    code = page.get_by_test_id("stCode").last
    code.wait_for(timeout=10_000)
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


def outside(requests: list[str], server: str) -> list[str]:
    """Requests to anything but the app (its own blob: and data: URLs are inside)."""
    inside = (server, f"blob:{server}", "data:")
    return sorted({url for url in requests if not url.startswith(inside)})


def map_pixels(chart):
    """The element's screenshot as an array of RGB integers (rows x columns x 3)."""
    return pixels_of(chart.screenshot())


def pixels_of(shot: bytes):
    """A screenshot (PNG) as an array of RGB integers (rows x columns x 3)."""
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)


def drawn(chart, done: Callable[[bytes], bool], *, before: bytes | None = None) -> bytes:
    """The element's screenshot once deck.gl has drawn it: `done(screenshot)` holds, two screenshots
    in a row show the same picture (nothing still loading or moving) and, given `before` (the map as
    it was), the picture has changed. A wait for a condition instead of a fixed pause: deck.gl draws
    a while after its element appears, later on a loaded machine. After DRAW_SECONDS the last
    screenshot is returned, and the caller's assertion on it says what is missing."""
    started = time.monotonic()
    deadline = started + DRAW_SECONDS  # a wait for drawing, not a timing assertion
    previous: bytes | None = None
    while True:
        if chart.count() != 1 and time.monotonic() < deadline:  # a rerun still replacing the element
            chart.page.wait_for_timeout(250)
            continue
        try:
            shot = chart.screenshot()
        except PlaywrightError:  # replaced between the count and the picture: look again
            if time.monotonic() > deadline:
                raise
            chart.page.wait_for_timeout(250)
            continue
        ready = done(shot) and previous is not None and not _changed(previous, shot, 0.001)
        if (ready and (before is None or _changed(before, shot, 0.01))) or time.monotonic() > deadline:
            print(f"drawn: waited {time.monotonic() - started:.1f} s for the map")  # shown with -s; never asserted
            return shot
        previous = shot
        chart.page.wait_for_timeout(250)


def _changed(first: bytes, second: bytes, share: float) -> bool:
    """Whether more than `share` of the pixels differ between two screenshots."""
    if first == second:
        return False
    a, b = pixels_of(first), pixels_of(second)
    return a.shape != b.shape or bool((a != b).any(axis=2).mean() > share)


def near(pixels, colours: list[str], tolerance: int = 60):
    """Which pixels show one of these colours (drawn with alpha over the map's background)."""
    import numpy as np

    rgb = [np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) for c in colours]
    return np.any([np.abs(pixels - colour).sum(axis=2) < tolerance for colour in rgb], axis=0)


def class_colours_on(chart) -> set[tuple[int, int, int]]:
    """The colours of the sequential scale that the drawn map shows (fills have alpha)."""
    return class_colours(chart.screenshot())


def class_colours(shot: bytes) -> set[tuple[int, int, int]]:
    """The colours of the sequential scale that a screenshot of a map shows (fills have alpha)."""
    from PIL import Image

    from ivpdata.mapping import SEQUENTIAL

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    counted = image.getcolors(maxcolors=image.width * image.height)  # never more colours than pixels
    assert counted is not None
    colours = {colour for _, colour in counted if isinstance(colour, tuple)}  # RGB: a tuple per colour
    palette = {_rgb(c) for c in SEQUENTIAL}
    return {p for p in palette if any(sum(abs(a - b) for a, b in zip(p, c, strict=True)) < 60 for c in colours)}


def classes_drawn(shot: bytes) -> bool:
    """Whether a map's screenshot shows at least three classes of the sequential scale."""
    return len(class_colours(shot)) >= 3


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' as (red, green, blue)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
