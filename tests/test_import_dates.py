"""Imports refuse what cannot be: a period after the current month (police months and years, own
incidents, templates, population), an impossible date or time; each with a Dutch message naming
file, row, column and value, and the database left as it was. The clock is set with IVP_TODAY.
Also: a police file whose only rows are duplicates of another gemeente is skipped, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivpdata.clock import TODAY_VARIABLE
from ivpdata.importing import run_import
from ivpdata.importing.templates import INDICATOR_VALUES, MEASURES, SURVEY
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state
from tests.test_import_events import write_csv
from tests.test_import_population import SHEET_ROWS, kwb_csv
from tests.test_import_templates import filled_csv
from tests.test_importing import police_csv

TODAY = "2025-06-15"  # the clock in these tests: the current month is June 2025


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, TODAY)


def refused(db_file: Path, path: Path, *expected: str, kind: str | None = None, options=None) -> str:
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, kind, "tester", options=options)
    message = str(error.value)
    assert message.startswith(path.name), message
    for part in expected:
        assert part in message, message
    assert state(db_file) == before
    return message


def accepted(db_file: Path, path: Path, kind: str | None = None, options=None) -> None:
    outcome = run_import(path, db_file, kind, "tester", preview=True, options=options)
    assert outcome.new + outcome.replaced + outcome.unchanged > 0


# --- police -------------------------------------------------------------------------------------


def test_a_police_month_after_the_current_month_is_refused(db_file, tmp_path):
    rows = [("1.1.1 ", "BU05050101", "2025MM06", "3"), ("1.1.1 ", "BU05050101", "2025MM07", "4")]
    refused(
        db_file,
        police_csv(tmp_path / "47022NED.csv", rows),
        "47022NED.csv, row 3, column 'Perioden': periode '2025MM07' ligt na de huidige maand (juni 2025)",
    )
    accepted(db_file, police_csv(tmp_path / "47022NED.csv", rows[:1]))


def test_the_year_2031_does_not_reach_the_jaar_list(db_file, tmp_path):
    rows = [("1.1.1 ", "BU05050101", "2024MM01", "3"), ("1.2.3 ", "BU05050102", "2031MM01", "12")]
    refused(db_file, police_csv(tmp_path / "47022NED.csv", rows), "row 3", "'2031MM01' ligt na de huidige maand")
    assert fetch(db_file, "SELECT count(*) FROM incident_counts WHERE year > 2025") == [(0,)]


def test_a_police_year_after_the_current_year_is_refused(db_file, tmp_path):
    rows = [("1.1.1 ", "BU05050101", "2025JJ00", "30"), ("1.1.1 ", "BU05050102", "2026JJ00", "40")]
    refused(
        db_file,
        police_csv(tmp_path / "47018NED.csv", rows),
        "row 3, column 'Perioden': periode '2026JJ00' ligt na",
        kind="politie-misdrijven-jaar",
    )
    accepted(db_file, police_csv(tmp_path / "47018NED.csv", rows[:1]), kind="politie-misdrijven-jaar")


def test_a_police_period_before_1900_is_refused(db_file, tmp_path):
    rows = [("1.1.1 ", "BU05050101", "0024MM01", "3")]
    refused(db_file, police_csv(tmp_path / "47022NED.csv", rows), "row 2", "'0024MM01' is geen bestaande periode")


def test_duplicate_rows_of_another_gemeente_are_refused_not_a_crash(db_file, tmp_path):
    # The three lines that crashed the import with "cannot convert float NaN to integer". A file
    # with no row of a gemeente served would change nothing: it is refused, naming its gemeente.
    rows = [("1.1.1 ", "BU03630000", "2024MM01", "5"), ("1.1.1 ", "BU03630000", "2024MM01", "5")]
    before = state(db_file)
    with pytest.raises(DataError, match=r"het bestand noemt GM0363: 2 rijen \(eerste: rij 2, BU03630000\)"):
        run_import(police_csv(tmp_path / "amsterdam.csv", rows), db_file, None, "tester")
    assert changed(before, state(db_file)) == set(), "nothing changes, not even the load history"
    # next to a row of a gemeente served, that row alone is imported
    mixed = [*rows, ("1.1.1 ", "BU05050101", "2024MM01", "3")]
    assert run_import(police_csv(tmp_path / "gemengd.csv", mixed), db_file, None, "tester", preview=True).new == 1


# --- own incidents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "line", "expected"),
    [
        (
            ["datum", "tijd", "categorie", "buurtcode"],
            ["01-02-2024", "25:61", "1.1.1", "BU05050101"],
            "row 2, column 'tijd': '25:61' is geen bestaande tijd",
        ),
        (
            ["datum", "tijd", "categorie", "buurtcode"],
            ["01-02-2024", "23:60", "1.1.1", "BU05050101"],
            "row 2, column 'tijd': '23:60' is geen bestaande tijd",
        ),
        (
            ["datum", "categorie", "buurtcode"],
            ["2024-02-01 24:00", "1.1.1", "BU05050101"],
            "row 2, column 'datum': '2024-02-01 24:00' is geen bestaande datum",
        ),
        (
            ["datum", "categorie", "buurtcode"],
            ["16-06-2025", "1.1.1", "BU05050101"],
            "row 2, column 'datum': '16-06-2025' ligt na vandaag (15-06-2025)",
        ),
        (
            ["datum", "categorie", "buurtcode"],
            ["2031-01-01", "1.1.1", "BU05050101"],
            "row 2, column 'datum': '2031-01-01' ligt na vandaag",
        ),
    ],
)
def test_an_impossible_or_future_event_time_is_refused(db_file, tmp_path, header, line, expected):
    good = ["05-01-2024", "10:00", "1.1.1", "BU05050101"] if "tijd" in header else ["05-01-2024", "1.1.1", "BU05050101"]
    refused(db_file, write_csv(tmp_path / "incidenten.csv", header, [line, good]), expected)


def test_an_event_of_today_is_accepted(db_file, tmp_path):
    lines = [["15-06-2025", "23:59", "1.1.1", "BU05050101"]]
    accepted(db_file, write_csv(tmp_path / "vandaag.csv", ["datum", "tijd", "categorie", "buurtcode"], lines))


# --- templates ----------------------------------------------------------------------------------


def _measure(begin: str, end: str) -> dict[str, str]:
    return {
        "gemeente": "GM0505",
        "maatregel": "huisverbod-tijdelijk",
        "begindatum": begin,
        "einddatum": end,
        "aantal": "3",
    }


def test_a_measure_period_after_the_current_month_is_refused(db_file, tmp_path):
    rows = [_measure("01-06-2025", "30-06-2025"), _measure("01-06-2025", "01-07-2025")]
    refused(
        db_file,
        filled_csv(tmp_path / "maatregelen.csv", MEASURES, rows),
        "row 3, column 'einddatum': '01-07-2025' ligt na de huidige maand (juni 2025)",
    )
    accepted(db_file, filled_csv(tmp_path / "maatregelen.csv", MEASURES, rows[:1]))


def test_an_indicator_value_of_a_future_year_is_refused(db_file, tmp_path):
    rows = [{"indicator": "ivp23-jongeren-bereikt", "jaar": "2026", "waarde": "12"}]
    refused(
        db_file,
        filled_csv(tmp_path / "indicatoren.csv", INDICATOR_VALUES, rows),
        "row 2, column 'jaar': jaar '2026' ligt na het huidige jaar (2025)",
    )
    accepted(db_file, filled_csv(tmp_path / "indicatoren.csv", INDICATOR_VALUES, [{**rows[0], "jaar": "2025"}]))


def test_a_survey_of_a_future_year_is_refused(db_file, tmp_path):
    row = {"gebiedscode": "GM0505", "jaar": "2031", "vraag": "Voelt zich veilig", "waarde": "81", "eenheid": "procent"}
    refused(db_file, filled_csv(tmp_path / "enquete.csv", SURVEY, [row]), "row 2, column 'jaar': jaar '2031' ligt na")


# --- population ---------------------------------------------------------------------------------


def test_inhabitants_of_a_future_year_are_refused(db_file, tmp_path):
    refused(db_file, kwb_csv(tmp_path / "kwb-2031.csv", SHEET_ROWS), "jaar '2031' ligt na het huidige jaar (2025)")
    path = kwb_csv(tmp_path / "kerncijfers.csv", SHEET_ROWS)
    refused(db_file, path, "jaar '2026' ligt na het huidige jaar", options={"year": "2026"})
    accepted(db_file, path, options={"year": "2025"})
