"""A database that cannot be read (damaged, missing) gives every page a Dutch message with the way to
rebuild, never a traceback, DuckDB's text or a server path; uncaught errors show no details and no
links that would send them outside (Streamlit's 'Ask Google' / 'Ask ChatGPT')."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import limits
from tests.support.browser import quiet, serve
from tests.support.dbstate import one_row

TIMEOUT = 60
PAGES = ["overzicht", "kaart", "trends", "data"]
HEADER_BYTES = 3 * 4096  # DuckDB's file header; blocks follow it
BLOCK_SIZE = 262144


def garbage(built_db: Path, tmp_path: Path) -> Path:
    """A copy of the database with every byte replaced (a disk or copy gone wrong)."""
    damaged = tmp_path / "beschadigd.duckdb"
    damaged.write_bytes(os.urandom(built_db.stat().st_size))
    return damaged


def damaged_block(built_db: Path, tmp_path: Path) -> Path:
    """A copy that opens, but whose block holding the gemeenten cannot be read (checksum wrong)."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        block = one_row(con, "SELECT min(block_id) FROM pragma_storage_info('municipalities') WHERE block_id >= 0")[0]
    damaged = tmp_path / "beschadigd.duckdb"
    shutil.copyfile(built_db, damaged)
    with damaged.open("r+b") as file:
        file.seek(HEADER_BYTES + block * BLOCK_SIZE + 64)
        file.write(b"\xff" * 64)
    with duckdb.connect(str(damaged), read_only=True) as con, pytest.raises(duckdb.IOException):
        con.execute("SELECT * FROM municipalities").fetchall()  # the damage is where the pages read
    return damaged


def _texts(at: AppTest) -> str:
    kinds = ("error", "warning", "info", "success", "markdown", "caption", "title", "header", "subheader", "text")
    elements = [element for kind in kinds for element in at.get(kind) if isinstance(element, Element)]  # no blocks
    return "\n".join(str(element.value) for element in elements)


def _run(db: Path, page: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    if page != "overzicht":
        at.switch_page(f"dashboard/pages/{page}.py")
    return at.run()


@pytest.mark.parametrize("damage", [garbage, damaged_block])
@pytest.mark.parametrize("page", PAGES)
def test_a_damaged_database_says_how_to_rebuild(built_db, tmp_path, monkeypatch, damage, page):
    db = damage(built_db, tmp_path)
    at = _run(db, page, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    shown = _texts(at)
    assert "De database is beschadigd" in shown and "make build" in shown and "python -m ivpdata build" in shown
    for leak in (str(tmp_path), "beschadigd.duckdb", "IO Error", "IOException", "checksum", "Traceback"):
        assert leak not in shown


@pytest.mark.parametrize("page", ["overzicht", "kaart"])
def test_a_database_of_an_older_version_says_to_rebuild_it(built_db, tmp_path, monkeypatch, page):
    """Code updated, database kept: a table this version reads is missing (as incident_months was
    before it existed)."""
    db = tmp_path / "oud.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE incident_months")
    at = _run(db, page, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    shown = _texts(at)
    assert "De database is gebouwd door een oudere versie van de app" in shown and "make build" in shown
    for leak in (str(tmp_path), "incident_months", "Catalog", "Traceback"):
        assert leak not in shown


def test_a_missing_database_names_no_server_path(tmp_path, monkeypatch):
    at = _run(tmp_path / "nergens" / "ivp.duckdb", "overzicht", monkeypatch)
    assert not at.exception
    shown = _texts(at)
    assert "De database ontbreekt" in shown and "make build" in shown
    assert str(tmp_path) not in shown and "nergens" not in shown


def test_the_server_shows_no_error_details_and_no_outside_links():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showErrorLinks"] == "false"
    # Streamlit refuses an upload over this many MB before the import's own limits see it.
    assert config["server"]["maxUploadSize"] * limits.MB == limits.MAX_BOUNDARY_BYTES


# --- in a browser ----------------------------------------------------------------------------------


def _page_text(browser, url: str, wait_for: str) -> str:
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(wait_for, timeout=30_000)
        quiet(page)  # the run may still add elements: a leak drawn late must be seen too
        return page.inner_text("body")
    finally:
        page.close()


@pytest.mark.browser
def test_browser_a_damaged_database_shows_the_dutch_message_only(built_db, tmp_path, browser):
    db = garbage(built_db, tmp_path)
    with serve(db) as url:  # on localhost, where Streamlit's default shows its outside links
        text = _page_text(browser, f"{url}/kaart", '[data-testid="stAlertContentError"]')
    assert "De database is beschadigd" in text and "make build" in text
    for leak in (str(tmp_path), "IO Error", "Ask Google", "ChatGPT", "Traceback"):
        assert leak not in text


@pytest.mark.browser
def test_browser_an_uncaught_error_shows_no_details_and_no_outside_links(tmp_path, browser):
    """Any error the app does not catch, with the project's .streamlit/config.toml (read from the
    working directory), on localhost: a generic message; no type, message, path or links."""
    script = tmp_path / "fout.py"
    script.write_text('raise RuntimeError("geheim: /srv/ivp/data/ivp.duckdb")\n', encoding="utf-8")
    with serve(tmp_path / "geen.duckdb", script) as url:
        text = _page_text(browser, url, '[data-testid="stException"]')
    assert "/srv/ivp" not in text and "geheim" not in text and "RuntimeError" not in text
    assert "Ask Google" not in text and "ChatGPT" not in text
