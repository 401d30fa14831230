"""Period presets (laatste 12 maanden, dit jaar tot nu, vorig jaar, eigen keuze) on every page with
a period, through Streamlit's AppTest: a preset sets the period the page shows (and the Kaart's
comparison follows it), the slider names its preset, links with months open as those months, and
a gemeente with few months is offered only the presets its data can form.

The database: the default one with Dordrecht's data up to June 2025 (so the three presets are three
different periods) and Enkhuizen's only from September 2024 to June 2025 (ten months: no 12 months,
no whole previous year, but this year to date)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio, SelectSlider

from ivpdata import periods, queries
from ivpdata.clock import TODAY_VARIABLE
from ivpdata.config import PROJECT_ROOT
from ivpdata.db import summarise_months
from ivpdata.page_models import rapportage

TIMEOUT = 60
DORDRECHT, ENKHUIZEN = "GM0505", "GM0388"
M = dt.date
LAST_12, THIS_YEAR, LAST_YEAR = (
    (M(2024, 7, 1), M(2025, 6, 1)),
    (M(2025, 1, 1), M(2025, 6, 1)),
    periods.calendar_year(2024),
)
ALL_PRESETS = ["Laatste 12 maanden", "Dit jaar tot nu", "Vorig jaar", "Eigen keuze"]


@pytest.fixture(scope="module")
def sparse_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("presets") / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM incident_counts WHERE year = 2025 AND month > 6")
        con.execute("DELETE FROM incident_counts WHERE gemeente_code = ? AND year * 100 + month < 202409", [ENKHUIZEN])
        summarise_months(con)  # as every writer of incident_counts does
    yield db


@pytest.fixture
def database(sparse_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IVP_DB", str(sparse_db))
    monkeypatch.setenv(TODAY_VARIABLE, "2025-07-10")  # the data reaches this year: "Dit jaar tot nu"
    return sparse_db


@pytest.fixture
def con(sparse_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(sparse_db), read_only=True) as connection:
        yield connection


def open_page(page: str, **params: str) -> AppTest:
    """A new session on `page` opened with these URL parameters, as a browser opens a link."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"gemeente": DORDRECHT, **params})
    at.switch_page(f"dashboard/pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _presets(at: AppTest) -> Radio:
    return next(radio for radio in at.radio if radio.label == "Periode")


def _slider(at: AppTest) -> SelectSlider:
    return next(slider for slider in at.select_slider if slider.label == "Maanden")


def _choose(at: AppTest, preset: str) -> None:
    _presets(at).set_value(preset).run()
    assert not at.exception, [e.message for e in at.exception]


def _move(at: AppTest, period: periods.Period) -> None:
    _slider(at).set_value(period).run()
    assert not at.exception, [e.message for e in at.exception]


def _kaart_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if " · " in c.value)


def _said(period: periods.Period) -> str:
    """'jul 2024 - jun 2025 vergeleken met jul 2023 - jun 2024': a period and the year before."""
    earlier = periods.year_earlier(period, M(2017, 1, 1))
    assert earlier
    return f"{periods.label(period)} vergeleken met {periods.label(earlier)}"


def _url_months(period: periods.Period) -> str:
    return f"{period[0]:%Y-%m}..{period[1]:%Y-%m}"


# --- Kaart ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "period"),
    [(periods.LAATSTE_12_MAANDEN, LAST_12), (periods.DIT_JAAR, THIS_YEAR), (periods.VORIG_JAAR, LAST_YEAR)],
)
def test_a_preset_sets_the_kaart_period_and_its_comparison(database, con, preset, period):
    at = open_page("kaart", jaar="2025", periode="2023-03..2023-05")  # a period that is no preset
    assert _presets(at).value == periods.EIGEN_KEUZE
    assert _presets(at).options == ALL_PRESETS
    _choose(at, preset)
    assert _said(period) in _kaart_caption(at)
    assert _slider(at).value == period  # the slider shows the preset's months
    assert at.query_params["periode"] == _url_months(period)
    assert "periodekeuze" not in at.query_params  # the months name the preset: a link needs no more
    codes = list(queries.category_options(con, DORDRECHT)["category_codes"].iloc[0])
    earlier = periods.year_earlier(period, M(2017, 1, 1))
    expected = queries.area_counts(con, DORDRECHT, "wijk", codes, period, earlier)
    table = at.dataframe[0].value
    assert table["Aantal"].sum() == expected["incident_count"].sum() > 0
    assert table["Vergelijkingsperiode"].sum() == expected["comparison_count"].sum() > 0


def test_moving_the_kaart_slider_names_its_preset_or_eigen_keuze(database):
    at = open_page("kaart", jaar="2025")
    _choose(at, periods.LAATSTE_12_MAANDEN)
    _move(at, (M(2024, 7, 1), M(2025, 5, 1)))
    assert _presets(at).value == periods.EIGEN_KEUZE  # no longer the last 12 months
    assert "periodekeuze" not in at.query_params and at.query_params["periode"] == "2024-07..2025-05"
    assert _said((M(2024, 7, 1), M(2025, 5, 1))) in _kaart_caption(at)
    _move(at, LAST_YEAR)
    assert _presets(at).value == periods.VORIG_JAAR
    _choose(at, periods.EIGEN_KEUZE)  # keeps the months, to move them from there
    assert _slider(at).value == LAST_YEAR and _said(LAST_YEAR) in _kaart_caption(at)


def test_kaart_links_with_months_open_as_those_months(database):
    at = open_page("kaart", jaar="2025", periode="2025-01..2025-06")  # an old link, this year to date
    assert _presets(at).value == periods.DIT_JAAR and _slider(at).value == THIS_YEAR
    assert _said(THIS_YEAR) in _kaart_caption(at)
    at = open_page("kaart", jaar="2025", periode="2024-03..2024-05")
    assert _presets(at).value == periods.EIGEN_KEUZE and _slider(at).value == (M(2024, 3, 1), M(2024, 5, 1))
    # A shared link names both: its months win (a preset relative to a later month would differ).
    at = open_page("kaart", jaar="2025", periodekeuze=periods.LAATSTE_12_MAANDEN, periode="2024-03..2024-05")
    assert _presets(at).value == periods.EIGEN_KEUZE and _slider(at).value == (M(2024, 3, 1), M(2024, 5, 1))
    at = open_page("kaart", jaar="2025", periodekeuze=periods.LAATSTE_12_MAANDEN)  # a preset alone
    assert _presets(at).value == periods.LAATSTE_12_MAANDEN and _said(LAST_12) in _kaart_caption(at)
    assert at.query_params["periode"] == _url_months(LAST_12)


def test_an_address_that_lags_behind_does_not_undo_a_preset(database):
    """Fast clicks: the browser's address still shows what an earlier run wrote. That echo is no link."""
    at = open_page("kaart", jaar="2025")
    _choose(at, periods.VORIG_JAAR)
    written = dict(at.query_params)
    _choose(at, periods.DIT_JAAR)
    at.query_params["periode"] = written["periode"]  # the address the browser still shows
    _choose(at, periods.LAATSTE_12_MAANDEN)
    assert _slider(at).value == LAST_12 and _said(LAST_12) in _kaart_caption(at)
    assert at.query_params["periode"] == _url_months(LAST_12)


def test_a_gemeente_with_few_months_is_offered_only_the_presets_it_can_form(database):
    """Enkhuizen has September 2024 - June 2025: no 12 months and no whole previous year."""
    at = open_page("kaart", gemeente=ENKHUIZEN, jaar="2025", periodekeuze=periods.VORIG_JAAR)
    assert _presets(at).options == ["Dit jaar tot nu", "Eigen keuze"]
    assert _said(periods.calendar_year(2025)) in _kaart_caption(at)  # not the link's impossible preset: the default
    assert "periodekeuze" not in at.query_params
    _choose(at, periods.DIT_JAAR)
    assert periods.label(THIS_YEAR) in _kaart_caption(at)
    at = open_page("kaart", jaar="2025")  # Dordrecht, last year; then the sidebar switches to Enkhuizen
    _choose(at, periods.VORIG_JAAR)
    at.selectbox(key="gemeente").set_value(ENKHUIZEN).run()
    assert not at.exception, [e.message for e in at.exception]
    assert _presets(at).options == ["Dit jaar tot nu", "Eigen keuze"]
    assert _presets(at).value == periods.EIGEN_KEUZE  # last year is no preset here
    assert periods.label(tuple(_slider(at).value)) in _kaart_caption(at)  # the caption shows the slider's months
    for page in ("trends", "rapportage"):
        assert _presets(open_page(page, gemeente=ENKHUIZEN)).options == ["Dit jaar tot nu", "Eigen keuze"]


def test_a_year_later_the_presets_name_the_datas_years(database, monkeypatch):
    """With data up to June 2025 on 7 December 2026, "Dit jaar tot nu" would name 2025."""
    monkeypatch.setenv(TODAY_VARIABLE, "2026-12-07")
    at = open_page("kaart", gemeente=ENKHUIZEN)
    assert _presets(at).options == ["Jaar 2025", "Eigen keuze"]
    assert _presets(open_page("kaart")).options == [
        "Laatste 12 maanden met cijfers",
        "Jaar 2025",
        "Jaar 2024",
        "Eigen keuze",
    ]


# --- Trends --------------------------------------------------------------------------------------


def _chart_months(at: AppTest) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last month of the trend chart's series."""
    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    shown = pd.to_datetime(next(frame for frame in frames if "Reeks" in frame.columns)["Periode"])
    return shown.min(), shown.max()


@pytest.mark.parametrize(
    ("preset", "period"),
    [(periods.LAATSTE_12_MAANDEN, LAST_12), (periods.DIT_JAAR, THIS_YEAR), (periods.VORIG_JAAR, LAST_YEAR)],
)
def test_a_preset_limits_the_trend_chart_to_its_months(database, preset, period):
    at = open_page("trends", gebied=DORDRECHT, wat="misdrijven")
    assert _presets(at).value == periods.EIGEN_KEUZE and "maanden" not in at.query_params  # all months
    assert _chart_months(at) == (pd.Timestamp("2017-01-01"), pd.Timestamp("2025-06-01"))
    _choose(at, preset)
    assert _chart_months(at) == tuple(pd.Timestamp(month) for month in period)
    assert at.query_params["maanden"] == _url_months(period)


def test_trends_links_with_months_still_open_them(database):
    at = open_page("trends", gebied=DORDRECHT, maanden="2024-07..2025-06")
    assert _presets(at).value == periods.LAATSTE_12_MAANDEN
    assert _chart_months(at) == (pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-01"))
    _move(at, (M(2017, 1, 1), M(2025, 6, 1)))  # all months again: no parameter, no preset
    assert "maanden" not in at.query_params and _presets(at).value == periods.EIGEN_KEUZE


def test_public_trends_keep_the_slider_alone(database):
    at = open_page("trends", openbaar="ja")
    assert not [radio for radio in at.radio if radio.label == "Periode"]
    assert "periodekeuze" not in at.query_params


# --- Driehoeksrapportage -------------------------------------------------------------------------


def test_a_preset_sets_the_briefings_period(database):
    at = open_page("rapportage", jaar="2024")
    assert _presets(at).value == periods.VORIG_JAAR  # the sidebar's year is last year
    assert rapportage.internal_caption(LAST_YEAR) in [c.value for c in at.caption]
    _choose(at, periods.LAATSTE_12_MAANDEN)
    assert rapportage.internal_caption(LAST_12) in [c.value for c in at.caption]
    assert at.query_params["periode"] == _url_months(LAST_12)
    at = open_page("rapportage", jaar="2024", periode="2025-01..2025-06")  # a link opens as its months
    assert _presets(at).value == periods.DIT_JAAR
    assert rapportage.internal_caption(THIS_YEAR) in [c.value for c in at.caption]


def test_the_public_briefing_keeps_whole_calendar_years(database):
    at = open_page("rapportage", openbaar="ja")
    assert not [radio for radio in at.radio if radio.label == "Periode"]
    assert at.selectbox(key="rapportage_jaar_openbaar").value == 2024
