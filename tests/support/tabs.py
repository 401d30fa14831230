"""Browser tabs reused within a test module, the `browser` fixture (tests/conftest.py).

Opening the app in a new tab costs Chromium a new renderer process that parses and compiles
Streamlit's scripts again: measured on the Overzicht, 4.4-4.9 CPU-seconds per page load in a
new tab of a context of its own (Playwright's `Browser.new_page`), 3.8 in a new tab of a shared
context and 2.1 in a tab that had shown the app before (the Kaart: 5.1-5.6 in a new tab, 3.5-4.0
reused). The suite's browser tests open dozens of tabs (69 for 142 page loads when counted) on
two cores, so a tab that a test closes goes back to a pool instead: its listeners removed, the
origin's storage cleared (the sidebar's state, the theme), the context's cookies too once no other
tab is open, and parked on a plain page of the same
origin, where the next test's `goto` finds the renderer warm. A tab whose page a test changed in
ways that outlive a navigation (media emulation, routes, init scripts) is closed for real, as is
one that breaks while parking.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError

DEFAULT_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}  # Playwright's own default
PARK_PATH = "/_stcore/health"  # Streamlit's health check: a line of text on the app's own origin
PARK_MS = 10_000
# Page methods whose effect outlives a navigation: a tab that used one is not handed on.
LASTING = frozenset(
    {
        "add_init_script",
        "emulate_media",
        "expose_binding",
        "expose_function",
        "route",
        "route_from_har",
        "route_web_socket",
        "set_extra_http_headers",
        "set_default_timeout",
        "set_default_navigation_timeout",
    }
)


class Tab:
    """A page of the module's shared context. Everything is the page's, but `on` (remembered, to be
    removed) and `close` (back to the pool when the page can be handed on, else closed)."""

    def __init__(self, page: Page, idle: list[Page]) -> None:
        self._page: Page | None = page
        self._idle = idle
        self._listeners: list[tuple[str, Any]] = []
        self._lasting = False

    def __getattr__(self, name: str) -> Any:
        if self._page is None:
            raise AttributeError(f"{name}: this tab was closed")
        self._lasting = self._lasting or name in LASTING
        return getattr(self._page, name)

    def on(self, event: Any, handler: Any) -> None:  # Any: Playwright types each event's handler apart
        self._listeners.append((event, handler))
        self.page.on(event, handler)

    @property
    def page(self) -> Page:
        """The Playwright page itself."""
        if self._page is None:
            raise AttributeError("this tab was closed")
        return self._page

    def close(self, **options: Any) -> None:
        page, self._page = self._page, None
        if page is None or page.is_closed():
            return
        for event, handler in self._listeners:
            page.remove_listener(event, handler)
        if not self._lasting and _parked(page):
            self._idle.append(page)
            if all(other in self._idle for other in page.context.pages):  # no test's tab still open
                page.context.clear_cookies()
        else:
            page.close(**options)


def _parked(page: Page) -> bool:
    """Whether the page was emptied and parked on a plain page of its own origin."""
    origin = urlsplit(page.url)
    if origin.scheme not in ("http", "https"):
        return page.url == "about:blank"
    try:
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto(f"{origin.scheme}://{origin.netloc}{PARK_PATH}", timeout=PARK_MS)
    except PlaywrightError:  # a page a test left broken or busy: not handed on
        return False
    return True


class Tabs:
    """A test module's Chromium: `new_page` hands out tabs of one shared context (reused after
    `close`); a page with other options than its viewport, and `new_context`, get a context of
    their own. Everything is closed with the module."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self._shared: BrowserContext | None = None
        self._idle: list[Page] = []
        self._own: list[BrowserContext] = []

    def new_page(self, viewport: ViewportSize | None = None, **options: Any) -> Tab | Page:
        if options:
            page = self.browser.new_page(viewport=viewport, **options)
            self._own.append(page.context)
            return page
        if self._shared is None:
            self._shared = self.browser.new_context()
        page = self._idle.pop() if self._idle else self._shared.new_page()
        page.set_viewport_size(viewport or DEFAULT_VIEWPORT)
        return Tab(page, self._idle)

    def new_context(self, **options: Any) -> BrowserContext:
        context = self.browser.new_context(**options)
        self._own.append(context)
        return context

    def close(self) -> None:
        for context in [*self._own, *([self._shared] if self._shared else [])]:
            with contextlib.suppress(PlaywrightError):
                context.close()
