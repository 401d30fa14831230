"""The page Toegankelijkheid: the toegankelijkheidsverklaring, through Streamlit's AppTest."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import routes
from ivpdata import formatting
from ivpdata.access import Role
from ivpdata.config import DATA_DIR, PROJECT_ROOT, load_settings


@pytest.fixture
def app(built_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(built_db))
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_statement_names_the_standard_the_audit_and_the_contact(app):
    at = app.switch_page(routes.TOEGANKELIJKHEID.file).run()
    assert not at.exception
    assert at.title[0].value == "Toegankelijkheid"
    text = _text(at)
    for standard in ("WCAG 2.1", "EN 301 549", "Besluit digitale toegankelijkheid overheid"):
        assert standard in text
    audit = json.loads((DATA_DIR / "toegankelijkheid.json").read_text(encoding="utf-8"))
    assert f"getoetst op **{formatting.date(dt.date.fromisoformat(audit['datum']))}**" in text  # '5 december 2026'
    assert load_settings()["accessibility_contact"] in text
    assert "Upload" in text and "500MB per file" in text  # Streamlit's English, listed honestly


def test_the_table_gives_the_result_of_every_page(app):
    at = app.switch_page(routes.TOEGANKELIJKHEID.file).run()
    table = at.table[0].value
    assert list(table["Pagina"]) == [route.title for route in routes.ROUTES]
    assert (table["Ernstige problemen"] == 0).all()


def test_every_role_sees_the_page():
    """Beside Bronnen, for every role including publiek (navigation_pages keeps the routes a role reaches)."""
    assert routes.ROUTES.index(routes.TOEGANKELIJKHEID) == routes.ROUTES.index(routes.BRONNEN) + 1
    assert routes.TOEGANKELIJKHEID.group == routes.BRONNEN.group
    assert all(role.at_least(routes.TOEGANKELIJKHEID.role) for role in Role)
