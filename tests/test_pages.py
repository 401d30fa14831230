"""Every page through Streamlit's AppTest, on the default database."""

from __future__ import annotations

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from ivpdata.config import PROJECT_ROOT

TIMEOUT = 60


class _NavigationPagesManager(PagesManager):
    """AppTest resets PagesManager.uses_pages_directory before every run and then sees our
    `pages/` folder as a v1 multipage app: from the second run on it executes the page file
    alone, skipping app.py (sidebar, st.navigation). The real server keeps the flag False once
    st.navigation has run; this subclass makes AppTest reset a shadow attribute instead."""


@pytest.fixture
def app(built_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(built_db))
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_overzicht_shows_key_figures_for_dordrecht(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Veiligheidsbeeld Dordrecht"
    metrics = _metrics(at)
    assert list(metrics) == ["Geregistreerde misdrijven", "High impact crime", "Overlastregistraties"]
    assert all("t.o.v. 2024" in delta for _, delta in metrics.values())
    captions = " ".join(c.value for c in at.caption)
    assert "Demodata" in captions and "Bron:" in captions
    assert len(at.get("vega_lite_chart")) == 2  # published overlast and misdrijven tables


def test_overzicht_in_2021_shows_published_overlast_exactly(app):
    at = app.run()
    at.selectbox(key="jaar").set_value(2021).run()
    value, _ = _metrics(at)["Overlastregistraties"]
    assert value == "2.811"  # 490 + 944 + 1.377, as published in document 002
    markdown = " ".join(m.value for m in at.markdown)
    assert "Per 1.000 inwoners" in markdown


def test_switching_gemeente_to_enkhuizen(app):
    at = app.run()
    at.selectbox(key="gemeente").set_value("GM0388").run()
    assert not at.exception
    assert at.title[0].value == "Veiligheidsbeeld Enkhuizen"
    at.selectbox(key="jaar").set_value(2019).run()
    value, delta = _metrics(at)["Geregistreerde misdrijven"]
    assert value == "750"  # CBS 83648NED, as published
    assert delta == "+5 (+0,7%) t.o.v. 2018"
    captions = " ".join(c.value for c in at.caption)
    assert "Geregistreerde criminaliteit" in captions


def test_bronnen_lists_every_published_figure(app):
    at = app.run()
    at.switch_page("pages/bronnen.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) >= 140
    assert "meer dan € 3.000.000" in set(table["Cijfer"])
    assert "€ 229.258,79" in set(table["Cijfer"])
