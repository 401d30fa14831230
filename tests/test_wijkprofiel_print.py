"""The Wijkprofiel prints on one A4 landscape page (issue 20), measured in headless Chromium: the
PDF the browser prints of the page as a 1920 x 1080 screen shows it."""

from __future__ import annotations

import io

import pypdf
import pytest

from tests.support.browser import ARTIFACTS, quiet, shown

A4_LANDSCAPE = (841.89, 595.28)  # points
# The area with the most measures and quotes of the documents: the longest profile. (A wijk, Wielwijk,
# is printed in tests/test_browser.py::test_trends_and_wijkprofiel_render_offline.)
PROFILES = {"dordt-west": "Dordt-West"}


@pytest.mark.parametrize("area", PROFILES)
def test_the_wijkprofiel_prints_on_one_a4_landscape_page(server, browser, area):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/wijkprofiel?gemeente=GM0505&jaar=2025&gebied={area}")
    page.get_by_role("heading", name=PROFILES[area]).wait_for(timeout=30_000)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas')
    shown(page.get_by_text("Wat bewoners zeggen"))
    quiet(page, 1_000)  # the run has finished and the page is drawn
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"wijkprofiel-{area}.pdf").write_bytes(pdf)
    page.close()
    printed = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(printed.pages) == 1
    box = printed.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    text = " ".join(printed.pages[0].extract_text().split())
    for section in ("Kerncijfers tegen de stad, 2025", "Index (stad = 100)", "Ontwikkeling", "Wat bewoners zeggen"):
        assert section in text
    assert "Bewonersonderzoek" in text  # the last section, on the same page
    assert "Exporteren" not in text and "Meer trends voor dit gebied" not in text  # controls are not printed


def test_the_public_key_figures_are_aligned_right_in_the_browser(server, browser):
    """A public buurt's key figures hold 'x' among the numbers (text): in the browser their cells
    are aligned right, as numbers are (Streamlit aligns a text cell left in the cell's own style,
    which a plain Styler rule does not override); the subjects stay left."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/wijkprofiel?gemeente=GM0505&jaar=2024&gebied=BU05050900&openbaar=ja")
    quiet(page)
    row = page.get_by_test_id("stTable").locator("tbody tr").nth(1)  # High impact crime: hidden here ('x')
    cells = row.locator("td, th").evaluate_all("cells => cells.map(c => [c.innerText, getComputedStyle(c).textAlign])")
    page.close()
    # Onderwerp; Aantal 2024, Aantal 2023, Verandering (%); Oordeel (words, and 'x' when hidden)
    assert cells[:5] == [
        ["High impact crime (zonder zedenmisdrijf en huiselijk geweld)", "left"],
        *[["x", "right"]] * 3,
        ["x", "left"],
    ], cells
