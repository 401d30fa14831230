"""The WCAG 2.1 A and AA audit: every page of the app, on its default view and with a selection
made, checked by axe-core (bundled by the PyPI package axe-playwright-python) in headless Chromium.

No serious or critical violation may remain, except those of Streamlit's own markup that the app
cannot change: each is allow-listed below by rule and element, with the reason. The result per page
is what the page Toegankelijkheid publishes (data/toegankelijkheid.json): each page's test checks
its entry against the live audit, so the page never claims a result that is not verified. Run with
IVP_WRITE_AUDIT=1 to write the file from the audit (after a fix, or to date it).

What axe cannot judge (keyboard, focus, zoom) is tested in tests/test_keyboard.py."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import routes
from dashboard.routes import Param
from ivpdata.config import DATA_DIR
from tests.support.browser import ARTIFACTS, navigate, quiet

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = {"serious", "critical"}
GEMEENTE = "GM0505"
AUDIT_FILE = DATA_DIR / "toegankelijkheid.json"

# Each page's view with a selection made: another gemeente, year, area or category than the default.
SELECTIONS: dict[str, dict[str, str]] = {
    routes.OVERZICHT.path: {Param.GEMEENTE: "GM0388", Param.JAAR: "2019"},
    routes.KAART.path: {
        Param.GEMEENTE: GEMEENTE,
        Param.NIVEAU: "buurt",
        Param.WAT: "hic",
        Param.SELECTIE: "BU05050900",
    },
    routes.TRENDS.path: {Param.GEMEENTE: GEMEENTE, Param.GEBIED: f"{GEMEENTE},dordt-west", Param.PER: "month"},
    routes.WIJKPROFIEL.path: {Param.GEMEENTE: GEMEENTE, Param.GEBIED: "WK050507"},
    routes.PRIORITEITEN.path: {Param.GEMEENTE: "GM0388"},
    routes.MAATREGELEN.path: {Param.GEMEENTE: GEMEENTE, Param.TAB: "Per soort"},
    routes.VOOR_EN_NA.path: {Param.GEMEENTE: GEMEENTE, Param.MAATREGEL: "demo-BU05050509-OVL-JGD:BU05050509"},
    routes.BRONNEN.path: {Param.GEMEENTE: "GM0388"},
    routes.DATA.path: {Param.GEMEENTE: "GM0388"},
    routes.PRESENTATIES.path: {Param.GEMEENTE: "GM0388"},
    routes.RAPPORTAGE.path: {Param.GEMEENTE: GEMEENTE, Param.JAAR: "2024"},
    routes.TOEGANKELIJKHEID.path: {Param.GEMEENTE: "GM0388"},
}

# Violations in Streamlit's own markup that the app cannot change (no parameter, configuration or
# public API sets them): (axe rule id, CSS selector the failing element must match, reason in Dutch
# as the page Toegankelijkheid shows it). Matched per element in the page, never per rule or page:
# any other element breaking the same rule still fails the test.
ALLOWED: tuple[tuple[str, str, str], ...] = ()  # none left (the page menu is the app's own: frame.menu)

# Streamlit's own English texts a page can show (its widgets' defaults), looked for in every page's
# visible text and accessible names. Only the upload box's texts remain: Streamlit 1.67 has no
# parameter for them, and the page Toegankelijkheid says so (dashboard/pages/toegankelijkheid.py).
ENGLISH = re.compile(
    r"\b(Choose an option|Choose options|No results|Select all|Select \d+ match|Press Enter|Running\.\.\.|"
    r"Drag and drop|Browse files|per file|Made with Streamlit|Deploy|Rerun|Clear caches?|Something went wrong|"
    r"Download as CSV|Show more|Show less|Copy to clipboard|Upload)\b",
)
# The upload box (page Data beheer), and the statement quoting Streamlit's texts it cannot change.
QUOTED = {"Upload", "per file", "No results"}
ENGLISH_ALLOWED = {routes.DATA.path: {"Upload", "per file"}, routes.TOEGANKELIJKHEID.path: QUOTED}
_TEXTS = """() => [document.body.innerText,
    ...[...document.querySelectorAll('[aria-label],[placeholder],[title]')].filter(e => e.checkVisibility())
        .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')])
].filter(Boolean).join('\\n')"""

_MATCHES = "([target, selector]) => { const e = document.querySelector(target); return !!e && e.matches(selector); }"


@dataclass(frozen=True)
class English:
    page: str
    view: str
    text: str


def _english(page, route: routes.Route, view: str) -> list[English]:
    """Streamlit's English texts on the page, beyond those its statement lists."""
    found = {match.group(0) for match in ENGLISH.finditer(page.evaluate(_TEXTS))}
    return [English(route.path, view, text) for text in sorted(found - ENGLISH_ALLOWED.get(route.path, set()))]


@dataclass(frozen=True)
class Finding:
    page: str
    view: str
    rule: str
    impact: str
    target: str
    help: str
    html: str
    allowed: bool

    def __str__(self) -> str:
        return f"{self.page} ({self.view}): {self.rule} [{self.impact}] {self.target} - {self.help}"


def _query(params: dict[str, str]) -> str:
    return "&".join(f"{name}={value.replace(' ', '+')}" for name, value in params.items())


def _url(server: str, route: routes.Route, params: dict[str, str] | None = None) -> str:
    """The page's address; the default page is at `/` (its own path answers "Page not found")."""
    path = "" if route.default else route.path
    return f"{server}/{path}" + (f"?{_query(params)}" if params else "")


def _audit(page, route: routes.Route, view: str) -> list[Finding]:
    from axe_playwright_python.sync_playwright import Axe

    quiet(page)
    # An open dialog makes the rest of the page inert, and axe would skip it: the audit must see the page.
    assert page.locator('[data-testid="stDialog"]').count() == 0, f"{route.path}: a dialog covers the page"
    # Only violations in full: passes and incomplete results list one element each (axe-core's own
    # speed option), enough to show below that the page was judged.
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    response = Axe().run(page, options=options).response
    judged = {rule["id"] for kind in ("passes", "violations", "incomplete") for rule in response[kind]}
    assert "color-contrast" in judged, f"{route.path}: axe judged no text"
    return [
        _finding(page, route.path, view, violation, node)
        for violation in response["violations"]
        for node in violation["nodes"]
    ]


def _finding(page, path: str, view: str, violation: dict, node: dict) -> Finding:
    target = " ".join(map(str, node["target"]))
    rule = violation["id"]
    allowed = any(rule == r and page.evaluate(_MATCHES, [target, selector]) for r, selector, _ in ALLOWED)
    return Finding(path, view, rule, violation["impact"] or "", target, violation["help"], node["html"][:300], allowed)


@dataclass(frozen=True)
class Audit:
    """One page's audit: its violations (both views) and the English texts of Streamlit's it shows."""

    route: routes.Route
    findings: list[Finding]
    english: list[English]

    def entry(self) -> dict:
        """What the page Toegankelijkheid publishes for this page (data/toegankelijkheid.json)."""
        severe = [f for f in self.findings if f.impact in SEVERE]
        return {
            "pagina": self.route.path,
            "titel": self.route.title,
            "ernstig": sum(1 for f in severe if not f.allowed),
            "uitzonderingen": sorted({f.rule for f in severe if f.allowed}),
        }


def _audit_page(server: str, browser, route: routes.Route) -> Audit:
    """The page audited in a browser page of its own: the default view, then the view with a
    selection, reached inside the app as a user reaches it (tests.support.browser.navigate: half
    the CPU of a page opened anew)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(_url(server, route))
    found: list[Finding] = []
    english: list[English] = []
    for view, params in (("standaard", None), ("keuze", SELECTIONS[route.path])):
        if params:
            navigate(page, _url(server, route, params))
        found += _audit(page, route, view)
        english += _english(page, route, view)
    page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    report = "".join(f"{f}\n    {f.html}\n" for f in found)
    (ARTIFACTS / f"accessibility-{route.path}.txt").write_text(report, encoding="utf-8")
    return Audit(route, found, english)


@contextmanager
def _statement_file() -> Iterator[dict]:
    """The published statement, read and (with IVP_WRITE_AUDIT=1) written back under a lock: the
    pages are audited by tests that may run at the same time."""
    with (Path(tempfile.gettempdir()) / "ivp-toegankelijkheid.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        published = json.loads(AUDIT_FILE.read_text(encoding="utf-8"))
        yield published
        if os.environ.get("IVP_WRITE_AUDIT") == "1":
            published["datum"] = dt.date.today().isoformat()
            AUDIT_FILE.write_text(json.dumps(published, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_every_page_has_a_selection_audited():
    assert set(SELECTIONS) == routes.paths()


@pytest.mark.parametrize("route", routes.ROUTES, ids=lambda route: route.path)
def test_the_page_passes_the_audit_as_published(server, browser, route):
    """Per page (each its own test, so the pages are audited side by side): no serious or critical
    violation but an allowed exception; no placeholder, label or message of Streamlit's own left in
    English but the upload box's that the page Toegankelijkheid lists; and what that page publishes
    for this page (data/toegankelijkheid.json) is what the audit found. IVP_WRITE_AUDIT=1 writes the
    page's entry from this audit."""
    audit = _audit_page(server, browser, route)
    with _statement_file() as published:
        entries = {entry["pagina"]: entry for entry in published["paginas"]}
        if os.environ.get("IVP_WRITE_AUDIT") == "1":
            entries[route.path] = audit.entry()
            published["paginas"] = [entries[r.path] for r in routes.ROUTES if r.path in entries]
    severe = [f for f in audit.findings if f.impact in SEVERE and not f.allowed]
    assert severe == [], "WCAG 2.1 AA violations:\n" + "\n".join(map(str, severe))
    assert audit.english == []
    assert entries.get(route.path) == audit.entry(), "the page Toegankelijkheid says otherwise"


def test_the_published_statement_names_the_audit_and_every_page():
    """The statement's date, axe version, rules and allowed exceptions are this audit's, and it has
    an entry for every page, in the menu's order (the entries are checked by the audit per page). An
    allowed exception that no page has any more is removed, so it hides nothing later.
    IVP_WRITE_AUDIT=1 writes these parts."""
    exceptions = [{"regel": rule, "element": selector, "reden": reason} for rule, selector, reason in ALLOWED]
    with _statement_file() as published:
        if os.environ.get("IVP_WRITE_AUDIT") == "1":
            published.update(axe=_axe_version(), regels=TAGS, uitzonderingen=exceptions)
    dt.date.fromisoformat(published["datum"])  # a real date
    assert (published["axe"], published["regels"], published["uitzonderingen"]) == (_axe_version(), TAGS, exceptions)
    assert [entry["pagina"] for entry in published["paginas"]] == [route.path for route in routes.ROUTES]
    used = {rule for entry in published["paginas"] for rule in entry["uitzonderingen"]}
    assert [rule for rule, _, _ in ALLOWED if rule not in used] == []


def _axe_version() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    match = re.match(r"/\*! axe v([\d.]+)", AXE_SCRIPT)
    return match.group(1) if match else "onbekend"


def test_the_table_toolbar_offers_no_download_past_the_export(server, browser):
    """The table toolbar's CSV download would bypass the app's export (source, period, disclosure):
    client.disableDataExport in .streamlit/config.toml hides it."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(_url(server, routes.BRONNEN))
    quiet(page)
    table = page.get_by_test_id("stDataFrame").first
    table.hover()
    toolbar = table.get_by_test_id("stBaseButton-elementToolbar")
    toolbar.first.wait_for(timeout=10_000)
    labels = [toolbar.nth(i).get_attribute("aria-label") or "" for i in range(toolbar.count())]
    print("toolbar:", labels)  # Streamlit's own (English) labels, listed on the page Toegankelijkheid
    assert labels and not any("download" in label.lower() for label in labels)
    assert all(label.endswith(": Gepubliceerde cijfers") for label in labels)  # the table's name (alt)
    page.close()
