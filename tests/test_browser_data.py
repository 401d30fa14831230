"""The Data page in a real browser: upload a police export, read the preview, confirm, and see
the load history; a wrong file gets its validation report and changes nothing. The file is read by
a process of its own (a new interpreter: the server's main script is not run again)."""

from __future__ import annotations

import duckdb
import pytest

from tests.support.browser import ARTIFACTS, open_page, outside, shown
from tests.support.dbstate import one_row
from tests.test_importing import police_csv

pytestmark = pytest.mark.browser


def test_upload_preview_confirm_and_history(own_server, browser):
    url, db, folder = own_server
    requests: list[str] = []
    page = open_page(browser, f"{url}/data", requests)
    shown(page.get_by_text("Nog geen bestanden geladen").first)
    shown(page.get_by_text("Grenzen: CSV, JSON en XLSX tot 200 MB").first)  # the limits, by the uploader

    # a wrong file: the report names row and column, nothing is loaded
    bad = folder / "kapot.csv"
    bad.write_text(
        '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
        '0;"1.1.1 ";"BU05059999";"2024MM01";"3"\n',
        encoding="utf-8",
    )
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    shown(page.get_by_text("kan niet worden geladen").first)
    shown(page.get_by_text("BU05059999").first)
    assert page.get_by_role("button", name="Laden bevestigen").count() == 0

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(police_csv(folder / "47022NED.csv"))
    )
    shown(page.get_by_text("Voorbeeld: wat er verandert").first)
    shown(page.get_by_text("Demo vervangen").first)
    # the row of another gemeente (Amsterdam) is named before anything is loaded
    shown(page.get_by_text("GM0363: 1 rij (rij 8, BU03630000)").first)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-preview.png"), full_page=True)
    with duckdb.connect(str(db), read_only=True) as con:
        assert one_row(con, "SELECT count(*) FROM load_history")[0] == 0  # a preview changes nothing

    page.get_by_role("button", name="Laden bevestigen").click()
    try:
        shown(page.get_by_text("is geladen").first)
    finally:
        page.screenshot(path=str(ARTIFACTS / "data-loaded.png"), full_page=True)
    # the load history (a data grid: its cells are in the page, drawn on a canvas)
    history = page.locator('[data-testid="stDataFrame"]').get_by_text("47022NED.csv", exact=True)
    history.first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "data-loaded.png"), full_page=True)
    assert outside(requests, url) == []
    page.close()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT file_name, rows_new FROM load_history").fetchall() == [("47022NED.csv", 3)]
    assert (folder / "data" / "imports" / "manifest.csv").exists()  # kept for rebuilds
