"""The WCAG 2.1 A and AA audit: every page of the app, on its default view and with a selection
made, checked by axe-core (bundled by the PyPI package axe-playwright-python) in headless Chromium.

No serious or critical violation may remain, except those of Streamlit's own markup that the app
cannot change: each is allow-listed below by rule and element, with the reason. The result per page
is what the page Toegankelijkheid publishes (data/toegankelijkheid.json): this test checks the file
against the live audit, so the page never claims a result that is not verified. Run with
IVP_WRITE_AUDIT=1 to write the file from the audit (after a fix, or to date it).

What axe cannot judge (keyboard, focus, zoom) is tested in tests/test_keyboard.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass

import pytest

from dashboard import routes
from dashboard.routes import Param
from ivpdata.config import DATA_DIR
from tests.support.browser import ARTIFACTS, quiet

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
    routes.RAPPORTAGE.path: {Param.GEMEENTE: GEMEENTE, Param.KALENDERJAAR: "2024"},
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
QUOTED = {"Upload", "per file"}
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


@pytest.fixture(scope="module")
def audited(server, browser) -> tuple[list[Finding], list[English]]:
    """Every page audited in one browser page: the default view, then the view with a selection;
    and the English texts of Streamlit's each view shows."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    found: list[Finding] = []
    english: list[English] = []
    for route in routes.ROUTES:
        for view, params in (("standaard", None), ("keuze", SELECTIONS[route.path])):
            page.goto(_url(server, route, params))
            found += _audit(page, route, view)
            english += _english(page, route, view)
    page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility.txt").write_text("".join(f"{f}\n    {f.html}\n" for f in found), encoding="utf-8")
    return found, english


@pytest.fixture(scope="module")
def findings(audited) -> list[Finding]:
    return audited[0]


def test_no_english_text_of_streamlits_beyond_the_statement(audited):
    """Dutch everywhere the app can set it: no placeholder, label or message of Streamlit's own
    left in English, but the upload box's that the page Toegankelijkheid lists."""
    assert audited[1] == []


def test_every_page_has_a_selection_audited():
    assert set(SELECTIONS) == routes.paths()


def test_no_serious_or_critical_violation(findings):
    severe = [f for f in findings if f.impact in SEVERE and not f.allowed]
    assert severe == [], "WCAG 2.1 AA violations:\n" + "\n".join(map(str, severe))


def test_every_allowed_exception_still_occurs(findings):
    """An allow-list entry that no longer matches anything is removed, so it hides nothing later."""
    used = {f.rule for f in findings if f.allowed}
    assert [rule for rule, _, _ in ALLOWED if rule not in used] == []


def test_the_published_statement_matches_the_audit(findings):
    """What the page Toegankelijkheid says (data/toegankelijkheid.json) is what this audit found:
    per page the serious and critical violations left, and the exceptions allowed. IVP_WRITE_AUDIT=1
    writes the file from this audit."""
    live = _statement(findings)
    if os.environ.get("IVP_WRITE_AUDIT") == "1":
        AUDIT_FILE.write_text(json.dumps(live, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    published = json.loads(AUDIT_FILE.read_text(encoding="utf-8"))
    dt.date.fromisoformat(published["datum"])  # a real date
    assert {k: v for k, v in published.items() if k != "datum"} == {k: v for k, v in live.items() if k != "datum"}


def _statement(findings: list[Finding]) -> dict:
    severe = [f for f in findings if f.impact in SEVERE]
    pages = [
        {
            "pagina": route.path,
            "titel": route.title,
            "ernstig": sum(1 for f in severe if f.page == route.path and not f.allowed),
            "uitzonderingen": sorted({f.rule for f in severe if f.page == route.path and f.allowed}),
        }
        for route in routes.ROUTES
    ]
    exceptions = [{"regel": rule, "element": selector, "reden": reason} for rule, selector, reason in ALLOWED]
    return {
        "datum": dt.date.today().isoformat(),
        "axe": _axe_version(),
        "regels": TAGS,
        "paginas": pages,
        "uitzonderingen": exceptions,
    }


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
