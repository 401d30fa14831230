"""Imports: police 47022NED files in their real layouts, every failure path leaving the database
exactly as it was, re-imports, replacement of demo and provisional figures, and a killed import."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ivpdata.__main__ import main
from ivpdata.build import build
from ivpdata.config import DATA_DIR
from ivpdata.importing import run_import
from ivpdata.validate import DataError

HEADER = ["ID", "SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]
# (category, area, period, count) in CBS's layout: keys right-padded with spaces.
ROWS = [
    ("1.1.1 ", "BU05050101", "2024MM01", "3"),
    ("1.1.1 ", "BU05050101", "2024MM02", "-"),  # CBS nil: 0
    ("1.2.3 ", "BU05050102", "2024MM01", "12"),
    ("1.1.1 ", "WK050501  ", "2024MM01", "9"),  # a wijk total: computed here from buurten
    ("1.1.1 ", "GM0505    ", "2024MM01", "40"),  # the gemeente total
    ("0.0.0 ", "BU05050101", "2024MM01", "20"),  # all crime: the sum of the categories here
    ("1.1.1 ", "BU03630000", "2024MM01", "5"),  # another gemeente
    ("1.1.1 ", "NL00      ", "2024MM01", "5000"),  # the country
    ("1.1.1 ", "BU05050103", "2024MM01", "x"),  # secret
]


def police_csv(path: Path, rows=ROWS, delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    lines = [delimiter.join(f'"{h}"' for h in HEADER)]
    lines += [delimiter.join([str(i), *(f'"{v}"' for v in row)]) for i, row in enumerate(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    return path


def police_json(path: Path, rows=ROWS) -> Path:
    records = [dict(zip(HEADER, [i, *row], strict=True)) for i, row in enumerate(rows)]
    path.write_text(json.dumps({"odata.metadata": "https://opendata.cbs.nl/...", "value": records}), encoding="utf-8")
    return path


@pytest.fixture
def db_file(built_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, copy)
    return copy


def state(db: Path) -> tuple:
    """Everything an import may touch, as a fingerprint."""
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            con.execute(sql).fetchone()
            for sql in [
                "SELECT count(*), sum(incident_count), sum(hash(area_code, year, month, category_code, incident_count,"
                " is_demo, is_provisional, source_id)) FROM incident_counts",
                "SELECT count(*), sum(hash(event_id)) FROM incident_events",
                "SELECT count(*) FROM load_history",
            ]
        )


def counts(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_round_trip_csv_replaces_demo_and_reports_what_it_skipped(db_file, tmp_path):
    outcome = run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester")
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 0)
    assert outcome.demo_replaced > 100  # every demo buurt row of those months and categories
    assert outcome.skipped == {
        "niet-geografische code": 1,
        "andere gemeente": 1,
        "wijk- of gemeentetotaal (berekend uit buurten)": 2,
        "totaal misdrijven (berekend uit soorten)": 1,
        "CBS: geheim (x)": 1,
    }
    stored = counts(
        db_file,
        "SELECT area_code, year, month, category_code, incident_count, is_demo, source_id FROM incident_counts "
        "WHERE gemeente_code = 'GM0505' AND year = 2024 AND ((month = 1 AND category_code IN ('1.1.1', '1.2.3'))"
        " OR (month = 2 AND category_code = '1.1.1')) ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", 2024, 1, "1.1.1", 3, False, "cbs-47022ned"),
        ("BU05050101", 2024, 2, "1.1.1", 0, False, "cbs-47022ned"),
        ("BU05050102", 2024, 1, "1.2.3", 12, False, "cbs-47022ned"),
    ]
    # The wijk and gemeente follow from the buurten; demo events of those months are gone too.
    wijk = counts(
        db_file,
        "SELECT incident_count, is_demo FROM incidents_area_month WHERE area_code = 'WK050501' AND year = 2024 "
        "AND month = 1 AND category_code = '1.1.1'",
    )
    assert wijk == [(3, False)]
    events = "SELECT count(*) FROM incident_events WHERE gemeente_code = 'GM0505' AND category_code = '1.1.1' AND "
    assert counts(db_file, events + "occurred_at >= '2024-01-01' AND occurred_at < '2024-03-01'") == [(0,)]
    assert counts(db_file, events + "occurred_at >= '2024-03-01' AND occurred_at < '2024-04-01'")[0][0] > 0
    history = counts(db_file, "SELECT file_name, kind, rows_skipped, loaded_by, length(sha256) FROM load_history")
    assert history == [("47022NED.csv", "politie-misdrijven-maand", 6, "tester", 64)]


def test_reimport_changes_nothing_and_a_newer_file_replaces(db_file, tmp_path):
    path = police_csv(tmp_path / "47022NED.csv")
    run_import(path, db_file, None, "tester")
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    after = state(db_file)
    assert after[:2] == before[:2] and after[2][0] == before[2][0] + 1  # only the history grew
    revised = [("1.1.1 ", "BU05050101", "2024MM01", "4"), *ROWS[1:3]]
    newer = run_import(police_csv(tmp_path / "47022NED-revised.csv", revised), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged) == (0, 1, 2)
    assert counts(
        db_file,
        "SELECT incident_count FROM incident_counts WHERE area_code = 'BU05050101' AND year = 2024 AND month = 1 "
        "AND category_code = '1.1.1'",
    ) == [(4,)]


def test_json_comma_csv_and_windows_1252_read_the_same(db_file, tmp_path):
    first = run_import(police_json(tmp_path / "47022NED.json"), db_file, None, "tester", preview=True)
    comma = run_import(police_csv(tmp_path / "a.csv", delimiter=","), db_file, None, "tester", preview=True)
    ansi = run_import(police_csv(tmp_path / "b.csv", encoding="cp1252"), db_file, None, "tester", preview=True)
    assert first.demo_replaced == comma.demo_replaced == ansi.demo_replaced > 0
    assert first.skipped == comma.skipped == ansi.skipped


def test_preview_shows_the_changes_and_changes_nothing(db_file, tmp_path):
    before = state(db_file)
    outcome = run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester", preview=True)
    assert outcome.demo_replaced > 0
    # per month and wijk: the new rows where they land; skipped there: the wijk total, the 0.0.0
    # row and the secret row of its buurten; the gemeente total counts for the gemeente
    changes = outcome.changes.set_index(["period", "area_code"])
    assert changes.loc[("2024-01", "WK050501"), ["new", "skipped"]].tolist() == [2, 3]
    assert changes.loc[("2024-01", "GM0505"), "skipped"] == 1
    assert changes.loc[("2024-02", "WK050501"), "new"] == 1
    assert state(db_file) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"ID;Regio;Inwoners\n1;GM0505;120000\n", "no known export recognised from its columns"),
        (None, "not a text file in UTF-8 or Windows-1252"),  # UTF-16
        (
            [("1.1.1", "BU05059999", "2024MM01", "3")],
            "column 'WijkenEnBuurten': unknown buurt code 'BU05059999'",
        ),
        (
            [("1.1.1", "BU05050101", "2024MM01", "-3")],
            "row 2, column 'GeregistreerdeMisdrijven_1': '-3' is not",
        ),
        ([("1.1.1", "BU05050101", "2024MM01", "drie")], "row 2, column 'GeregistreerdeMisdrijven_1': 'drie' is not a"),
        ([("1.1.1", "BU05050101", "2024MM01", "3")] * 2, "row 3: the same buurt, period and category appear twice"),
        ([("1.1.1", "BU05050101", "2024JJ00", "3")], "is a yearly period (47018NED)"),
        ([("1.1.1", "BU05050101", "2024-01", "3")], "'2024-01' is not a period YYYYMMmm"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_changes_nothing(db_file, tmp_path, content, message):
    path = tmp_path / "export.csv"
    if content is None:
        police_csv(path, encoding="utf-16")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        police_csv(path, content)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    assert message in str(error.value)
    assert str(error.value).startswith("export.csv")
    assert state(db_file) == before


def test_a_file_that_is_not_what_its_kind_says(db_file, tmp_path):
    path = tmp_path / "kwb-2024.csv"
    path.write_text("gwb_code_10;regio;a_inw\nGM0505;Dordrecht;121000\n", encoding="utf-8")
    before = state(db_file)
    with pytest.raises(DataError, match="this file is not a Geregistreerde misdrijven per buurt en maand"):
        run_import(path, db_file, "politie-misdrijven-maand", "tester")
    assert state(db_file) == before


def test_command_line_import_and_preview(db_file, tmp_path, capsys):
    path = police_csv(tmp_path / "47022NED.csv")
    kept = tmp_path / "data"
    assert main(["import", str(path), "--db", str(db_file), "--preview", "--data-dir", str(kept)]) == 0
    assert "Preview (nothing changed)" in capsys.readouterr().out
    assert counts(db_file, "SELECT count(*) FROM load_history") == [(0,)]
    assert not kept.exists()  # a preview keeps nothing
    assert main(["import", str(path), "--db", str(db_file), "--by", "team veiligheid", "--data-dir", str(kept)]) == 0
    assert "Imported:" in capsys.readouterr().out
    assert (kept / "imports" / "manifest.csv").read_text(encoding="utf-8").count("team veiligheid") == 1
    bad = police_csv(tmp_path / "bad.csv", [("1.1.1", "BU05059999", "2024MM01", "3")])
    assert main(["import", str(bad), "--db", str(db_file), "--data-dir", str(kept)]) == 1
    assert "bad.csv, row 2, column 'WijkenEnBuurten'" in capsys.readouterr().err


def test_a_killed_import_leaves_the_database_as_before(db_file, tmp_path):
    path = police_csv(tmp_path / "47022NED.csv")
    before = state(db_file)
    # The process dies after the import did all its work inside the transaction, before commit.
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from ivpdata.db import write_transaction\n"
        "from ivpdata.importing import import_file\n"
        "with write_transaction(Path(sys.argv[1])) as con:\n"
        "    import_file(con, Path(sys.argv[2]), None, 'tester', 3)\n"
        "    os._exit(9)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(db_file), str(path)], check=False)
    assert result.returncode == 9
    assert state(db_file) == before


def test_a_rebuild_replays_the_kept_imports(db_file, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester", data_dir=data)
    rebuilt = tmp_path / "rebuilt.duckdb"
    build(data, rebuilt)
    query = (
        "SELECT area_code, month, category_code, incident_count, is_demo FROM incident_counts WHERE year = 2024 "
        "AND source_id = 'cbs-47022ned' ORDER BY ALL"
    )
    assert counts(rebuilt, query) == counts(db_file, query) != []
    assert counts(rebuilt, "SELECT file_name, loaded_by FROM load_history") == [("47022NED.csv", "tester")]
