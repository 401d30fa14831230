"""Stored HTML/JavaScript (issue 14): hostile text planted in every text column the app shows stays
text on every page, in headless Chromium.

Each planted text holds a marker (`ZZ` and a tag) and every payload: HTML that runs script, an iframe
with script, a Markdown image (a tracking pixel) and a fake link pointing at a listener on loopback
that counts requests, a full-page overlay, and Streamlit's own Markdown (colour, formula, bold). The
pages must show the text as typed: no script ran, no request reached the listener, no element of a
payload exists, and the marker with its payload is readable somewhere on the page."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.support.browser import ARTIFACTS, classes_drawn, drawn, navigate, open_page, quiet, serve
from tests.support.listener import Listener

pytestmark = pytest.mark.browser

GEMEENTE = "GM0505"
WIJK, BUURT, MEASURE_BUURT = "WK050507", "BU05050900", "BU05050509"  # Wielwijk, Sterrenburg 1-West, ...
MEASURE = "demo-BU05050509-OVL-JGD:BU05050509"
PRESENTATION = 1  # the example presentation


def payloads(address: str) -> str:
    """Every payload, after the marker, as one text."""
    return " ".join(
        [
            '<img src=x onerror="window.__xss=1">',
            "<script>window.__xss=1</script>",
            '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
            f"![p](http://{address}/pixel.png)",
            f"[Inloggen vereist](http://{address}/login)",
            '<div style="position:fixed;inset:0;background:red" id="overlay"></div>',
            ":red[rood]",
            "$x^2$",
            "**vet**",
        ]
    )


# (table, text columns, key column naming the marker's tag, condition). Each text becomes
# `<text> ZZ<key> <payloads>`: the original stays readable, and the tag tells the fields apart.
PLANTED = [
    ("areas", ["display_name", "name"], "area_code", f"gemeente_code = '{GEMEENTE}' AND area_level <> 'gemeente'"),
    ("area_groups", ["name", "note"], "group_code", "true"),
    ("area_notes", ["text", "title", "section", "date_note"], "note_id", "true"),
    ("measures", ["label", "description", "qualifier"], "measure_id", "true"),
    ("measure_types", ["name"], "measure_code", "true"),
    ("incident_categories", ["name"], "category_code", "true"),
    ("themes", ["name"], "theme_code", "true"),
    ("plans", ["title", "motto"], "plan_id", "true"),
    ("priorities", ["name", "description"], "priority_code", "true"),
    ("plan_principles", ["name", "text"], "plan_id || '-' || sort_order", "true"),
    ("goals", ["description"], "goal_id", "true"),
    ("indicators", ["name", "unit", "note"], "indicator_id", "true"),
    ("published_figures", ["label", "section", "quote"], "figure_id", "true"),
    ("sources", ["title", "publisher", "attribution", "note"], "source_id", "true"),
    ("presentations", ["name"], "presentation_id", "true"),
    ("presentation_slides", ["caption"], "presentation_id || '-' || position", "true"),
]


def marked(tag: str, address: str) -> str:
    return f"ZZ{tag} {payloads(address)}"


def plant(db: Path, address: str) -> None:
    """Append the payloads to every text column the app shows; add a survey result and an import."""
    with duckdb.connect(str(db)) as con:
        for table, columns, key, where in PLANTED:
            sets = ", ".join(f"{c} = coalesce({c}, '') || ' ZZ' || ({key}) || '-{c} ' || $payload" for c in columns)
            con.execute(f"UPDATE {table} SET {sets} WHERE {where}", {"payload": payloads(address)})
        con.execute(
            "INSERT INTO survey_results VALUES ($area, 2024, $question, 61.5, $unit, 412, 4.5, 'eigen-registratie', "
            "false)",
            {"area": WIJK, "question": marked("vraag", address), "unit": marked("eenheid", address)},
        )
        con.execute(
            "INSERT INTO load_history VALUES (TIMESTAMP '2025-03-01 10:00:00', $file, 1234, 'abc', "
            "'bewonersonderzoek', 1, 0, 0, 0, 0, $by)",
            {"file": marked("bestand", address), "by": marked("door", address)},
        )


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def planted(built_db: Path, tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> Iterator[str]:
    """The app served on a copy of the default database with the payloads planted."""
    folder = tmp_path_factory.mktemp("planted")
    db = folder / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    plant(db, listener.address)
    with serve(db, IVP_DATA_DIR=str(folder / "data")) as url:
        yield url


# What a payload leaves behind when it is rendered instead of shown: in the page and in a
# deck.gl tooltip alike.
_ACTIVE = """(listener) => {
    const found = [];
    const plain = ['stMarkdownContainer', 'stMarkdown', 'stCaptionContainer'];
    const where = (el) => {  // the Streamlit element it is in, for the report
        for (let node = el; node; node = node.parentElement) {
            const id = node.getAttribute && node.getAttribute('data-testid');
            if (id && !plain.includes(id)) return ' in ' + id;
        }
        return '';
    };
    if (window.__xss !== undefined) found.push('script ran (window.__xss)');
    for (const img of document.querySelectorAll('img')) {
        if (img.getAttribute('src') === 'x' || (img.src || '').includes(listener)) found.push('img' + where(img));
    }
    for (const a of document.querySelectorAll('a')) {
        if ((a.href || '').includes(listener)) found.push('link "' + a.innerText + '"' + where(a));
    }
    for (const frame of document.querySelectorAll('iframe')) {
        if ((frame.getAttribute('srcdoc') || '').includes('__xss')) found.push('iframe with script' + where(frame));
    }
    for (const script of document.querySelectorAll('script')) {
        if (script.textContent.includes('__xss')) found.push('script element' + where(script));
    }
    for (const div of document.querySelectorAll('#overlay')) found.push('overlay div' + where(div));
    for (const el of document.querySelectorAll('strong, b')) {
        if (el.innerText.trim() === 'vet') found.push('**vet** drawn bold' + where(el));
    }
    for (const el of document.querySelectorAll('.katex')) found.push('$x^2$ drawn as a formula' + where(el));
    for (const el of document.querySelectorAll('span')) {
        const coloured = el.innerText.trim() === 'rood' && el.getAttribute('style');
        if (coloured) found.push(':red[rood] drawn in colour' + where(el));
    }
    return [...new Set(found)];
}"""


# The text of deck.gl's tooltip, '' when none is shown.
_TOOLTIP = """() => [...document.querySelectorAll('.deck-tooltip')]
    .filter((e) => e.offsetParent !== null && e.style.display !== 'none')
    .map((e) => e.innerText).join(' ')"""


def _settled(page, heading: str | None = None) -> None:
    """Wait until the page's script has finished and its elements are drawn."""
    page.locator("h1").first.wait_for(timeout=60_000)
    if heading:
        page.wait_for_function(
            "(h) => [...document.querySelectorAll('h1, h2, h3')].some(e => e.innerText.includes(h))",
            arg=heading,
            timeout=60_000,
        )
    quiet(page)  # the script has finished and its elements are drawn: nothing changes for half a second


def _text(page) -> str:
    """The page's text as a reader sees it (invisible joiners and runs of white space dropped)."""
    return " ".join(page.evaluate("document.body.innerText").replace("\u2060", "").split())


class Visit:
    """One page after another in one browser tab; every finding kept with the page it was on."""

    def __init__(self, browser, server: str, listener: Listener) -> None:
        self.server, self.listener = server, listener
        self.requests: list[str] = []
        self.page = open_page(browser, f"{server}/?gemeente={GEMEENTE}&jaar=2025", self.requests)
        self.findings: list[str] = []

    def check(self, where: str, *tags: str) -> None:
        """Nothing active on the page, and each tag's marker readable with its payload."""
        self.active(where)
        text = _text(self.page)
        whole = " ".join(payloads(self.listener.address).split())
        for tag in tags:
            if not re.search(rf"ZZ{re.escape(tag)}\S* {re.escape(whole)}", text):
                self.findings.append(f"{where}: {tag} not shown as text")

    def active(self, where: str) -> None:
        for finding in self.page.evaluate(_ACTIVE, self.listener.address):
            if f"{where}: {finding}" not in self.findings:
                self.findings.append(f"{where}: {finding}")

    def go(self, path: str, heading: str | None = None) -> None:
        """The next page, inside the app (one session, its frontend loaded once)."""
        navigate(self.page, f"{self.server}/{path}")
        _settled(self.page, heading)


def test_planted_payloads_stay_text_on_every_page(planted, listener, browser):
    visit = Visit(browser, planted, listener)
    page = visit.page
    _settled(page, "Veiligheidsbeeld")
    visit.check("Overzicht", WIJK, "BU0505", "doc-002")  # a wijk, a buurt in "Wat valt op", a source

    visit.go(f"kaart?gemeente={GEMEENTE}&jaar=2025&niveau=buurt&groepen=ja&selectie={BUURT}", "Kaart")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.wait_for(timeout=30_000)
    drawn(chart, classes_drawn)  # deck.gl draws after the element appears: its tooltips only then
    visit.check("Kaart (buurt gekozen)", BUURT)
    box = chart.bounding_box()
    tooltips = set()
    for row in range(1, 8):  # hover over the map: every buurt's tooltip holds a planted name
        for column in range(1, 8):
            page.mouse.move(box["x"] + box["width"] * column / 8, box["y"] + box["height"] * row / 8)
            page.wait_for_timeout(60)
            visit.active("Kaart (tooltip)")
            tooltips.add(page.evaluate(_TOOLTIP))
    # The hovers reached tooltips, and they show a planted buurt name with its payload as text:
    # without one, the check above would have looked at no tooltip.
    assert any("ZZBU0505" in text and '<img src=x onerror="window.__xss=1">' in text for text in tooltips), tooltips
    visit.go(f"kaart?gemeente={GEMEENTE}&jaar=2025&niveau=wijk&hotspots=ja&wat=hic", "Kaart")
    drawn(page.get_by_test_id("stDeckGlJsonChart"), lambda _: True)  # drawn: two pictures alike
    visit.check("Kaart (wijken, hotspots)")

    visit.go(f"trends?gemeente={GEMEENTE}&jaar=2025&gebied={GEMEENTE},dordt-west,{WIJK},{BUURT}", "Trends")
    visit.check("Trends", "dordt-west", WIJK, BUURT)

    for area in (WIJK, BUURT, "dordt-west"):
        visit.go(f"wijkprofiel?gemeente={GEMEENTE}&jaar=2025&gebied={area}")
        visit.check(f"Wijkprofiel {area}", area)
        if area == WIJK:
            # measures and quotes with their source; the survey question is in a dataframe (a canvas: plain text)
            visit.check("Wijkprofiel (teksten)", "d002-nplv-dordt-west-text", "d002-citaat-wielwijk-section", "doc-002")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "injectie-wijkprofiel.png"), full_page=True)
            page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.click()  # the list of areas
            page.get_by_role("option").first.wait_for(timeout=10_000)
            visit.check("Wijkprofiel (keuzelijst gebied)", "WK0505")
            page.keyboard.press("Escape")

    visit.go(f"prioriteiten?gemeente={GEMEENTE}", "Prioriteiten")
    visit.check("Prioriteiten", "ivp")
    visit.go(f"maatregelen?gemeente={GEMEENTE}", "Maatregelen")
    visit.check("Maatregelen")
    visit.go(f"maatregelen?gemeente={GEMEENTE}&tab=Per+soort", "Maatregelen")
    visit.check("Maatregelen (per soort)")
    visit.go(f"voor_en_na?gemeente={GEMEENTE}&maatregel={MEASURE}", "Voor en na")
    drawn(page.get_by_test_id("stDeckGlJsonChart"), lambda _: True)  # drawn: two pictures alike
    visit.check("Voor en na", MEASURE.split(":")[0], MEASURE_BUURT)
    visit.go(f"bronnen?gemeente={GEMEENTE}", "Bronnen")
    visit.check("Bronnen", "doc-002")
    visit.go(f"data?gemeente={GEMEENTE}", "Data")
    visit.check("Data beheer")
    visit.go(f"presentaties?gemeente={GEMEENTE}", "Presentaties")
    visit.check("Presentaties", str(PRESENTATION), f"{PRESENTATION}-1")
    page.get_by_test_id("stSidebar").get_by_text("Voeg toe aan presentatie").click()
    page.get_by_text("Titel van de dia").wait_for(timeout=10_000)
    visit.check("Voeg toe aan presentatie (zijbalk)", str(PRESENTATION))

    visit.go(f"?presentatie={PRESENTATION}")  # the planted presentation, run: its bar names it
    page.get_by_test_id("stButton").filter(has_text="Volgende").wait_for(timeout=30_000)
    _settled(page)
    visit.check("Presentatie dia 1", str(PRESENTATION))
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.search.includes('dia=2')", timeout=30_000)
    _settled(page)  # slide 2 is on another page: the app may still switch to it after a first run
    page.wait_for_function("(tag) => document.body.innerText.includes(tag)", arg=f"ZZ{PRESENTATION}", timeout=30_000)
    _settled(page)
    visit.check("Presentatie dia 2", str(PRESENTATION))

    visit.go(f"rapportage?gemeente={GEMEENTE}", "Driehoeksrapportage")
    visit.check("Driehoeksrapportage")

    page.close()
    leaked = sorted({r for r in visit.requests if listener.address in r})
    assert visit.findings == [] and listener.hits == [] and leaked == [], (
        "\n".join(visit.findings) + f"\nlistener hits: {listener.hits}\nrequests to the listener: {leaked}"
    )
