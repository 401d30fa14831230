"""The Data beheer page model: an upload checked (nothing written), refused with the file named,
loaded in one transaction, and the load history as the page shows it."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pytest

from ivpdata import queries
from ivpdata.importing import KINDS, report
from ivpdata.importing.templates import MEASURES
from ivpdata.page_models import data as model
from ivpdata.validate import DataError
from tests.support.dbstate import changed, state
from tests.test_import_templates import MEASURE_ROWS, filled_csv
from tests.test_importing import police_csv


@pytest.fixture
def target(db_file: Path, tmp_path: Path, monkeypatch) -> Path:
    """The page's database and data folder: a copy of the default database, kept copies in tmp_path."""
    monkeypatch.setenv("IVP_DB", str(db_file))
    monkeypatch.setenv("IVP_DATA_DIR", str(tmp_path / "data"))
    return db_file


def _upload(path: Path, year: str = "") -> model.Upload:
    return model.Upload(path.read_bytes(), path.name, None, "team Veiligheid", model.options(year))


def _areas(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return queries.area_names(con)


def test_the_kind_list_and_the_typed_year():
    assert model.kind_label(None) == "Automatisch herkennen"
    assert model.kind_label(MEASURES) == KINDS[MEASURES].label
    assert model.options("  2024 ") == {"year": "2024"} and model.options("   ") == {}


def test_a_check_shows_what_would_change_and_writes_nothing(target, tmp_path):
    upload = _upload(filled_csv(tmp_path / "maatregelen 2024.csv", MEASURES, MEASURE_ROWS))
    before = state(target)
    outcome = model.check(upload, contextlib.nullcontext)
    assert not isinstance(outcome, DataError)
    assert changed(before, state(target)) == set()
    shown = model.preview(outcome, _areas(target))
    assert shown.totals["Nieuw"] == "3" and shown.totals["Overgeslagen"] == "0"
    assert shown.notes.startswith("Maatregelen") and "Windows-1252" in shown.notes
    assert list(shown.by_period.data["Periode"]) == ["2024"]
    assert set(shown.by_area.data["Code"]) == {"BU05050101", "GM0505", "WK050501"}


def test_the_preview_warns_of_rows_of_another_gemeente_naming_row_and_code(target, tmp_path):
    rows = [("1.1.1", "BU05050101", "2024MM01", "3"), ("1.1.1", "BU99999999", "2024MM01", "5")]
    outcome = model.check(_upload(police_csv(tmp_path / "export.csv", rows)), contextlib.nullcontext)
    assert not isinstance(outcome, DataError)
    shown = model.preview(outcome, _areas(target))
    assert shown.warning is not None
    assert "1 rij wordt overgeslagen" in shown.warning and "GM9999: 1 rij (rij 3, BU99999999)" in shown.warning
    assert shown.skipped.data.set_index("Reden").loc["andere gemeente", "Welke rijen"] == (
        "GM9999: 1 rij (rij 3, BU99999999)"
    )
    assert list(shown.by_period.data["Periode"]) == ["jan 2024", report.UNPLACED]  # months as the app writes them


def test_the_tables_per_period_and_per_area_add_up_to_the_headline(target, tmp_path):
    """A row of another gemeente is skipped before it has a period or an area here: the tables per
    period and per area left it out, and their Overgeslagen added up to less than the headline.
    A last row holds the skipped rows that no period or area of this file takes."""
    rows = [
        ("1.1.1", "BU05050101", "2024MM01", "3"),
        ("1.1.1", "BU05050101", "2024MM02", "."),  # skipped in its month and buurt
        ("1.1.1", "BU99999999", "2024MM01", "5"),  # skipped before either
    ]
    outcome = model.check(_upload(police_csv(tmp_path / "export.csv", rows)), contextlib.nullcontext)
    assert not isinstance(outcome, DataError)
    shown = model.preview(outcome, _areas(target))
    assert shown.totals["Overgeslagen"] == "2"
    for table, label in ((shown.by_period.data, "Periode"), (shown.by_area.data, "Gebied")):
        assert table["Overgeslagen"].sum() == 2, table
        assert table["Nieuw"].sum() == 1, table
        assert "(overige overgeslagen rijen)" in set(table[label]), table


def test_a_preview_without_skipped_rows_warns_of_nothing(target, tmp_path):
    rows = [("1.1.1", "BU05050101", "2024MM01", "3")]
    outcome = model.check(_upload(police_csv(tmp_path / "export.csv", rows)), contextlib.nullcontext)
    assert not isinstance(outcome, DataError)
    assert model.preview(outcome, _areas(target)).warning is None


def test_a_bad_file_is_refused_naming_it_and_writes_nothing(target, tmp_path):
    path = tmp_path / "rommel.csv"
    path.write_text("dit;is;geen\nexport;van;iets\n", encoding="utf-8")
    before = state(target)
    refused = model.check(_upload(path), contextlib.nullcontext)
    assert isinstance(refused, DataError) and "rommel.csv" in str(refused)
    assert changed(before, state(target)) == set()


def test_loading_writes_the_file_and_the_history_shows_it(target, tmp_path):
    with duckdb.connect(str(target), read_only=True) as con:
        assert model.history(queries.load_history(con)) is None
    upload = _upload(filled_csv(tmp_path / "maatregelen 2024.csv", MEASURES, MEASURE_ROWS))
    text = model.load(upload, contextlib.nullcontext)
    assert "3 nieuw" in text
    with duckdb.connect(str(target), read_only=True) as con:
        history = model.history(queries.load_history(con))
    assert history is not None and list(history.data["Bestand"]) == ["maatregelen 2024.csv"]
    assert list(history.data["Door"]) == ["team Veiligheid"]
