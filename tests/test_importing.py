"""Imports: police 47022NED, 47018NED and 47024NED files in their real layouts (TypedDataSet and StatLine
downloads), every failure path leaving the database exactly as it was, re-imports, replacement of demo
and provisional figures, and a killed import."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from ivpdata import queries
from ivpdata.__main__ import main
from ivpdata.clock import TODAY_VARIABLE
from ivpdata.db import scalar, write_transaction
from ivpdata.importing import outcome_text, run_import
from ivpdata.importing.kept import manifest_entries, manifest_options
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state

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


def test_round_trip_csv_replaces_demo_and_reports_what_it_skipped(db_file, tmp_path):
    outcome = run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester")
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 0)
    assert outcome.demo_replaced == 3  # the demo row of each buurt, month and category in the file, no other
    assert outcome.skipped == {
        "niet-geografische code": 1,
        "andere gemeente": 1,
        "wijk- of gemeentetotaal (berekend uit buurten)": 2,
        "totaal misdrijven (berekend uit soorten)": 1,
        "CBS: geheim (x)": 1,
    }
    stored = fetch(
        db_file,
        "SELECT area_code, year, month, category_code, incident_count, is_demo, source_id FROM incident_counts "
        "WHERE gemeente_code = 'GM0505' AND year = 2024 AND ((month = 1 AND category_code IN ('1.1.1', '1.2.3'))"
        " OR (month = 2 AND category_code = '1.1.1')) AND NOT is_demo ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", 2024, 1, "1.1.1", 3, False, "cbs-47022ned"),
        ("BU05050101", 2024, 2, "1.1.1", 0, False, "cbs-47022ned"),
        ("BU05050102", 2024, 1, "1.2.3", 12, False, "cbs-47022ned"),
    ]
    # The wijk and gemeente follow from the buurten: the other buurten of the wijk keep their demo rows
    # (not in the file: not 0); demo events of the buurten, months and categories imported are gone too.
    wijk = fetch(
        db_file,
        "SELECT bool_or(is_demo), bool_or(NOT is_demo), count(*) FROM incident_counts AS c "
        "INNER JOIN areas AS a USING (area_code) WHERE a.parent_code = 'WK050501' AND year = 2024 "
        "AND month = 1 AND category_code = '1.1.1'",
    )
    buurten = fetch(db_file, "SELECT count(*) FROM areas WHERE parent_code = 'WK050501'")[0][0]
    assert wijk == [(True, True, buurten)]
    events = "SELECT count(*) FROM incident_events WHERE is_demo AND category_code = '1.1.1' AND "
    assert fetch(
        db_file, events + "buurt_code = 'BU05050101' AND occurred_at >= '2024-01-01' AND occurred_at < '2024-03-01'"
    ) == [(0,)]
    assert fetch(db_file, events + "occurred_at >= '2024-01-01' AND occurred_at < '2024-03-01'")[0][0] > 0
    history = fetch(db_file, "SELECT file_name, kind, rows_skipped, loaded_by, length(sha256) FROM load_history")
    assert history == [("47022NED.csv", "politie-misdrijven-maand", 6, "tester", 64)]


def test_reimport_changes_nothing_and_a_newer_file_replaces(db_file, tmp_path):
    path = police_csv(tmp_path / "47022NED.csv")
    run_import(path, db_file, None, "tester")
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    after = state(db_file)
    assert changed(before, after) == {"load_history"}  # only the history grew
    revised = [("1.1.1 ", "BU05050101", "2024MM01", "4"), *ROWS[1:3]]
    newer = run_import(police_csv(tmp_path / "47022NED-revised.csv", revised), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged) == (0, 1, 2)
    assert fetch(
        db_file,
        "SELECT incident_count FROM incident_counts WHERE area_code = 'BU05050101' AND year = 2024 AND month = 1 "
        "AND category_code = '1.1.1'",
    ) == [(4,)]


def test_a_new_month_makes_its_year_available_at_once(db_file, tmp_path, monkeypatch):
    """The sidebar's years come from the months summary (incident_months), written in the import's
    own transaction: January of a new year shows as that year with one month, provisional."""
    monkeypatch.setenv(TODAY_VARIABLE, "2026-02-10")  # January is last month: recent, provisional
    before = [
        tuple(row) for row in queries.available_years(duckdb.connect(str(db_file), read_only=True), "GM0505").values
    ]
    assert before[0][0] == 2025
    run_import(police_csv(tmp_path / "47022NED.csv", [("1.1.1 ", "BU05050101", "2026MM01", "3")]), db_file, None, "t")
    with duckdb.connect(str(db_file), read_only=True) as con:
        after = [tuple(row) for row in queries.available_years(con, "GM0505").values]
        summary = con.execute("SELECT * FROM incident_months ORDER BY ALL").fetchall()
        counted = con.execute(
            "SELECT gemeente_code, year, month, bool_or(is_provisional) FROM incident_counts GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    assert after == [(2026, 1, 1, True), *before]
    assert summary == counted  # the summary says what the counts hold, for both gemeenten


@pytest.mark.parametrize(
    ("today", "provisional"),
    [("2024-03-15", [False, True, True]), ("2026-12-07", [False, False, False])],
)
def test_an_exports_last_months_are_provisional_only_while_recent(db_file, tmp_path, monkeypatch, today, provisional):
    """A file without `*` marks: its last months count as provisional (police_provisional_months,
    3) only while they are recent; an old export's months have been revised since."""
    monkeypatch.setenv(TODAY_VARIABLE, today)
    rows = [("1.1.1 ", "BU05050101", period, "3") for period in ("2023MM11", "2023MM12", "2024MM01")]
    run_import(police_csv(tmp_path / "47022NED.csv", rows), db_file, None, "t")
    stored = fetch(
        db_file,
        "SELECT is_provisional FROM incident_counts WHERE area_code = 'BU05050101' AND category_code = '1.1.1' "
        "AND NOT is_demo ORDER BY year, month",
    )
    assert [row[0] for row in stored] == provisional


def test_an_import_reaches_the_public_releases_yearly_input_at_once(db_file, tmp_path):
    """The public release reads the yearly summary (incident_count_years), written in the import's
    own transaction: a replaced demo month changes its year's sum and makes the row a real one."""
    where = "area_code = 'BU05050101' AND year = 2024 AND category_code = '1.1.1'"
    sql = f"SELECT sum(incident_count), count(*) FILTER (WHERE NOT is_demo) FROM incident_counts WHERE {where}"
    before = fetch(db_file, sql)[0]
    january = fetch(db_file, f"SELECT incident_count FROM incident_counts WHERE {where} AND month = 1")[0][0]
    run_import(police_csv(tmp_path / "47022NED.csv", [("1.1.1 ", "BU05050101", "2024MM01", "40")]), db_file, None, "t")
    with duckdb.connect(str(db_file), read_only=True) as con:
        yearly = queries.buurt_year_counts(con, "GM0505", ["BU05050101"], ["1.1.1"]).set_index("year").loc[2024]
        summary = con.execute(
            """SELECT gemeente_code, area_code, year, category_code, incident_count, real_rows, demo_rows,
            bit_count(month_mask), is_provisional, source_id FROM incident_count_years ORDER BY ALL"""
        ).fetchall()
        counted = con.execute(
            """SELECT gemeente_code, area_code, year, category_code, sum(incident_count),
            count(*) FILTER (WHERE NOT is_demo), count(*) FILTER (WHERE is_demo), count(DISTINCT month),
            bool_or(is_provisional), min(source_id)
            FROM incident_counts GROUP BY gemeente_code, area_code, year, category_code ORDER BY ALL"""
        ).fetchall()
    assert (yearly["incident_count"], yearly["real_rows"]) == (before[0] - january + 40, before[1] + 1)
    assert summary == counted  # the summary says what the counts hold, for both gemeenten


def test_an_import_reaches_the_gemeente_months_at_once(db_file, tmp_path):
    """The gemeente's monthly trend reads its summary (incident_gemeente_months), written in the
    import's own transaction: a replaced demo month changes the gemeente's figure at once."""
    run_import(police_csv(tmp_path / "47022NED.csv", [("1.1.1 ", "BU05050101", "2024MM01", "40")]), db_file, None, "t")
    with duckdb.connect(str(db_file), read_only=True) as con:
        summary = con.execute("SELECT * FROM incident_gemeente_months ORDER BY ALL").fetchall()
        counted = con.execute(
            """SELECT i.gemeente_code, i.year, i.month, i.category_code, sum(i.incident_count),
            bool_or(i.is_provisional), bool_or(i.is_demo), count(*) FILTER (WHERE NOT i.is_demo),
            count(*) FILTER (WHERE i.is_demo)
            FROM incident_counts AS i INNER JOIN areas AS a ON i.area_code = a.area_code
            WHERE a.area_level = 'buurt' AND a.gemeente_code = i.gemeente_code
            GROUP BY ALL ORDER BY ALL"""
        ).fetchall()
        january = queries.target_month_counts(con, "GM0505", ["GM0505"], ["1.1.1"]).set_index(["year", "month"])
        buurten = scalar(
            con,
            "SELECT sum(incident_count) FROM incident_counts WHERE gemeente_code = 'GM0505' AND year = 2024 "
            "AND month = 1 AND category_code = '1.1.1'",
        )
    assert summary == counted  # the summary says what the counts hold, for both gemeenten
    assert january.loc[(2024, 1), "incident_count"] == buurten and january.loc[(2024, 1), "real_rows"] >= 1


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
        (b"", "het bestand is leeg"),
        (b"ID;Regio;Inwoners\n1;GM0505;120000\n", "geen bekend bestand herkend aan de kolommen"),
        (None, "geen tekstbestand in UTF-8 of Windows-1252"),  # UTF-16
        (
            [("1.1.1", "BU05059999", "2024MM01", "3")],
            "column 'WijkenEnBuurten': onbekende buurtcode 'BU05059999' (niet in de geladen grenzen)",
        ),
        (
            [("1.1.1", "BU05050101", "2024MM01", "-3")],
            "row 2, column 'GeregistreerdeMisdrijven_1': '-3' is geen geheel getal van 0 of meer",
        ),
        (
            [("1.1.1", "BU05050101", "2024MM01", "drie")],
            "row 2, column 'GeregistreerdeMisdrijven_1': 'drie' is geen aantal",
        ),
        (
            [("1.1.1", "BU05050101", "2024MM01", "3")] * 2,
            "row 3: dezelfde buurt, periode en soort staan twee keer in het bestand",
        ),
        ([("1.1.1", "BU05050101", "2024-01", "3")], "'2024-01' is geen periode (bijv. 2024MM01)"),
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


def test_rows_of_another_gemeente_are_named_with_their_row_and_code(db_file, tmp_path):
    rows = [
        ("1.1.1", "BU05050101", "2024MM01", "3"),
        ("1.1.1", "BU99999999", "2024MM01", "5"),  # a mistyped code: no gemeente served
        ("1.1.1", "BU03630000", "2024MM01", "7"),  # Amsterdam
        ("1.2.3", "BU03630000", "2024MM01", "1"),
    ]
    outcome = run_import(police_csv(tmp_path / "regio.csv", rows), db_file, None, "tester", preview=True)
    assert outcome.skipped == {"andere gemeente": 3}
    detail = "GM9999: 1 rij (rij 3, BU99999999); GM0363: 2 rijen (eerste: rij 4, BU03630000)"
    assert outcome.skipped_detail == {"andere gemeente": detail}
    assert f"overgeslagen: 3 andere gemeente ({detail})" in outcome_text(outcome)


def test_every_reason_to_skip_names_its_first_rows(db_file, tmp_path):
    """The Overgeslagen tab named rows only for another gemeente: CBS's '.' and 'x' and the wijk
    and gemeente totals were counts only, and a reader could not find them in the file."""
    rows = [
        ("1.1.1", "BU05050101", "2024MM01", "3"),  # row 2: kept
        ("1.1.1", "WK050501", "2024MM01", "9"),  # row 3: a wijk total
        ("1.2.3", "BU05050101", "2024MM01", "."),  # row 4
        ("2.2.1", "BU05050101", "2024MM01", "."),  # row 5
        ("1.1.1", "GM0505", "2024MM01", "40"),  # row 6: the gemeente total
        ("1.4.6", "BU05050101", "2024MM01", "x"),  # row 7
        ("1.2.3", "WK050501", "2024MM01", "4"),  # row 8
        ("2.2.1", "WK050501", "2024MM01", "5"),  # row 9
    ]
    outcome = run_import(police_csv(tmp_path / "export.csv", rows), db_file, None, "tester", preview=True)
    totals = "wijk- of gemeentetotaal (berekend uit buurten)"
    missing, secret = "CBS: waarde ontbreekt (.)", "CBS: geheim (x)"
    assert outcome.skipped == {totals: 4, missing: 2, secret: 1}
    assert outcome.skipped_detail == {
        totals: "eerste: rijen 3, 6 en 8",
        missing: "rijen 4 en 5",
        secret: "rij 7",
    }
    assert f"{missing} (rijen 4 en 5)" in outcome_text(outcome)


def test_the_national_total_is_no_gemeente(db_file, tmp_path):
    """NL01 (Nederland, in every 47022NED download) was skipped as 'andere gemeente' of a
    gemeente 'GM01' that does not exist."""
    rows = [("1.1.1", "BU05050101", "2024MM01", "3"), ("1.1.1", "NL01", "2024MM01", "5000")]
    outcome = run_import(police_csv(tmp_path / "export.csv", rows), db_file, None, "tester", preview=True)
    assert outcome.skipped == {"niet-geografische code": 1}
    assert "GM01" not in outcome_text(outcome)


def test_a_file_without_a_row_of_the_gemeenten_served_is_refused_naming_them(db_file, tmp_path):
    path = police_csv(tmp_path / "zwijndrecht.csv", [("1.1.1", "BU99999999", "2024MM01", "5")])
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    assert str(error.value).startswith("zwijndrecht.csv")
    assert "geen rijen van de gemeenten die dit systeem bedient (GM0388, GM0505)" in str(error.value)
    assert "het bestand noemt GM9999: 1 rij (rij 2, BU99999999)" in str(error.value)
    assert state(db_file) == before


def test_a_misnamed_column_is_named_with_the_formats_the_file_resembles(db_file, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "ID;SoortMisdrijf;Buurtcode;Perioden;GeregistreerdeMisdrijven_1\n1;1.1.1;BU05050101;2024MM01;3\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    (problem,) = error.value.problems
    assert problem.column == "Buurtcode"
    assert "kolom WijkenEnBuurten ontbreekt" in problem.message
    assert "47022NED" in problem.message and "47018NED" in problem.message
    assert "Kerncijfers" not in problem.message, "only the formats the file resembles, not every one"


def test_a_yearly_file_given_as_monthly_is_refused_and_points_to_the_yearly_kind(db_file, tmp_path):
    path = police_csv(tmp_path / "47018NED.csv", [("1.1.1", "BU05050101", "2024JJ00", "3")])
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, "politie-misdrijven-maand", "tester")
    assert "'2024JJ00' is een jaarperiode (47018NED)" in str(error.value)
    assert "importeer jaarcijfers als 'politie-misdrijven-jaar'" in str(error.value)
    assert state(db_file) == before


def test_a_file_that_is_not_what_its_kind_says(db_file, tmp_path):
    path = tmp_path / "kwb-2024.csv"
    path.write_text("gwb_code_10;regio;a_inw\nGM0505;Dordrecht;121000\n", encoding="utf-8")
    before = state(db_file)
    with pytest.raises(DataError, match="dit bestand is geen Geregistreerde misdrijven per buurt en maand"):
        run_import(path, db_file, "politie-misdrijven-maand", "tester")
    assert state(db_file) == before


def test_command_line_import_and_preview(db_file, tmp_path, capsys):
    path = police_csv(tmp_path / "47022NED.csv")
    kept = tmp_path / "data"
    assert main(["import", str(path), "--db", str(db_file), "--preview", "--data-dir", str(kept)]) == 0
    assert "Preview (nothing changed)" in capsys.readouterr().out
    assert fetch(db_file, "SELECT count(*) FROM load_history") == [(0,)]
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
        "from ivpdata.db import scalar, write_transaction\n"
        "from ivpdata.importing import import_file\n"
        "with write_transaction(Path(sys.argv[1])) as con:\n"
        "    import_file(con, Path(sys.argv[2]), None, 'tester', 3)\n"
        "    os._exit(9)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(db_file), str(path)], check=False)
    assert result.returncode == 9
    assert state(db_file) == before


# --- CBS types without a category of their own (REST), 47018NED, 47024NED, StatLine downloads ---------


def typed_csv(path: Path, header: list[str], rows) -> Path:
    """A TypedDataSet CSV as the OData API writes it: quoted, `;`, an ID column first."""
    lines = [";".join(f'"{h}"' for h in header)]
    lines += [";".join([str(i), *(f'"{v}"' for v in row)]) for i, row in enumerate(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def statline_csv(path: Path, header: list[str], rows, title: str) -> Path:
    """A StatLine download: title rows above the table, titles as values, footnotes below."""
    lines = [f'"{title}"', '"Gewijzigd op 12 maart 2025."', ""]
    lines += [";".join(f'"{v}"' for v in [*header])]
    lines += [";".join(f'"{v}"' for v in row) for row in rows]
    lines += ["", '"Bron: Politie, CBS"', '"* voorlopige cijfers"']
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_cbs_types_without_a_category_are_summed_into_rest(db_file, tmp_path):
    rows = [
        ("1.1.1 ", "BU05050101", "2024MM03", "2"),
        ("1.6.3 ", "BU05050101", "2024MM03", "1"),  # Mensenhandel: no category of its own
        ("2.6.1 ", "BU05050101", "2024MM03", "4"),  # Inrichting Wet Milieubeheer: neither
        ("3.1.1 ", "BU05050101", "2024MM03", "x"),  # Drugshandel, secret: skipped, not summed
        ("2.6.0 ", "BU05050101", "2024MM03", "5"),  # a subtotal of 2.6.x: would count twice
        ("0.0.0 ", "BU05050101", "2024MM03", "12"),  # the total: would count twice
        ("1.6.3 ", "BU05050102", "2024MM03", "-"),
    ]
    outcome = run_import(typed_csv(tmp_path / "47022NED.csv", HEADER, rows), db_file, None, "tester")
    assert outcome.skipped == {
        "totaal misdrijven (berekend uit soorten)": 1,
        "subtotaal van soorten (berekend uit soorten)": 1,
        "CBS: geheim (x)": 1,
    }
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 0)  # 1.1.1 and two REST rows
    assert any("opgeteld bij REST" in note and "1.6.3, 2.6.1" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT area_code, category_code, incident_count, is_demo FROM incident_counts WHERE year = 2024 "
        "AND month = 3 AND category_code IN ('1.1.1', 'REST') AND area_code IN ('BU05050101', 'BU05050102') "
        "AND NOT is_demo ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", "1.1.1", 2, False),
        ("BU05050101", "REST", 5, False),
        ("BU05050102", "REST", 0, False),
    ]
    # 1.1.1 of BU05050102 is not in the file: it keeps its demo row
    assert fetch(
        db_file,
        "SELECT is_demo FROM incident_counts WHERE year = 2024 AND month = 3 AND category_code = '1.1.1' "
        "AND area_code = 'BU05050102'",
    ) == [(True,)]
    again = run_import(typed_csv(tmp_path / "47022NED.csv", HEADER, rows), db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3)


YEAR_ROWS = [
    ("1.1.1 ", "BU05050101", "2023JJ00", "30"),
    ("1.1.1 ", "BU05050102", "2023JJ00", "12"),
    ("1.6.3 ", "BU05050101", "2023JJ00", "1"),  # REST
    ("2.6.4 ", "BU05050101", "2023JJ00", "2"),  # REST
    ("1.1.1 ", "WK050501  ", "2023JJ00", "42"),  # wijk total
    ("0.0.0 ", "BU05050101", "2023JJ00", "99"),  # total
    ("1.1.1 ", "BU03630000", "2023JJ00", "8"),  # another gemeente
]


def city_year(db: Path, year: int, category: str) -> list[tuple]:
    """Dordrecht's city total of a year and category as the app reads it: stored
    (`incident_city_years`), and the same as its definition, the view `incidents_city_year`."""
    columns = "incident_count, is_demo, months, source_id"
    where = f"WHERE gemeente_code = 'GM0505' AND year = {year} AND category_code = '{category}'"
    stored = fetch(db, f"SELECT {columns} FROM incident_city_years {where}")
    assert stored == fetch(db, f"SELECT {columns} FROM incidents_city_year {where}"), "stored city total out of date"
    return stored


def test_yearly_47018ned_is_stored_as_years_and_shown_in_the_yearly_totals(db_file, tmp_path, monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, "2024-05-01")  # 2023's figures are last year's: still provisional
    monthly_before = state(db_file)["incident_counts"]
    demo_city = city_year(db_file, 2023, "1.1.1")
    assert demo_city[0][1] is True  # before: the demo series
    outcome = run_import(typed_csv(tmp_path / "47018NED.csv", HEADER, YEAR_ROWS), db_file, None, "tester")
    assert outcome.kind == "politie-misdrijven-jaar"  # recognised from its periods
    assert (outcome.new, outcome.replaced, outcome.unchanged, outcome.demo_replaced) == (3, 0, 0, 0)
    assert outcome.skipped == {
        "andere gemeente": 1,
        "wijk- of gemeentetotaal (berekend uit buurten)": 1,
        "totaal misdrijven (berekend uit soorten)": 1,
    }
    assert any("niet over maanden verdeeld" in note and "demodata blijven demo" in note for note in outcome.notes)
    assert set(outcome.changes["period"]) == {"2023"}
    stored = fetch(
        db_file,
        "SELECT area_code, year, category_code, incident_count, is_provisional, source_id FROM incident_counts_year "
        "ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", 2023, "1.1.1", 30, True, "cbs-47018ned"),  # the file's last year is provisional
        ("BU05050101", 2023, "REST", 3, True, "cbs-47018ned"),
        ("BU05050102", 2023, "1.1.1", 12, True, "cbs-47018ned"),
    ]
    assert state(db_file)["incident_counts"] == monthly_before  # no monthly figure invented, the demo months stay
    # Overzicht: two buurten are no city: the city's figure stays the one it had (issue 15, item 4)
    assert city_year(db_file, 2023, "1.1.1") == demo_city
    assert any("bevat 2 van de 132 buurten van Dordrecht" in note for note in outcome.notes)
    again = run_import(typed_csv(tmp_path / "47018NED.csv", HEADER, YEAR_ROWS), db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3)
    revised = [("1.1.1 ", "BU05050101", "2023JJ00", "31"), *YEAR_ROWS[1:]]
    newer = run_import(typed_csv(tmp_path / "47018NED-2.csv", HEADER, revised), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged) == (0, 1, 2)


def test_yearly_figures_of_every_buurt_win_over_the_demo_months(db_file, tmp_path):
    buurten = [r[0] for r in fetch(db_file, "SELECT area_code FROM areas WHERE area_code LIKE 'BU0505%'")]
    rows = [("1.1.1 ", code, "2023JJ00", "1") for code in buurten]
    outcome = run_import(typed_csv(tmp_path / "47018NED.csv", HEADER, rows), db_file, None, "tester")
    assert not any("van de 132 buurten" in note for note in outcome.notes)
    # Overzicht: the real yearly figures win over the demo months; other categories stay demo.
    assert city_year(db_file, 2023, "1.1.1") == [(len(buurten), False, 12, "cbs-47018ned")]
    assert city_year(db_file, 2023, "1.2.3")[0][1:] == (True, 12, "demo")
    assert city_year(db_file, 2023, "0.0.0")[0][1] is True  # the sum of real and demo categories


def test_a_published_figure_and_real_months_win_over_yearly_counts(db_file, tmp_path):
    rows = [("1.1.1 ", "BU05050101", "2021JJ00", "30"), ("1.1.1 ", "BU05050101", "2023JJ00", "30")]
    run_import(typed_csv(tmp_path / "47018NED.csv", HEADER, rows), db_file, None, "tester")
    assert city_year(db_file, 2021, "1.1.1") == [(89, False, 12, "doc-002")]  # published in document 002
    buurten = [r[0] for r in fetch(db_file, "SELECT area_code FROM areas WHERE area_code LIKE 'BU0505%'")]
    months = [
        ("1.1.1 ", code, f"2023MM{m:02d}", "2" if code == "BU05050101" else "0")
        for code in buurten
        for m in range(1, 13)
    ]
    outcome = run_import(typed_csv(tmp_path / "47022NED.csv", HEADER, months), db_file, None, "tester")
    # a whole year of real months for every buurt of the gemeente replaces the demo months and wins
    assert city_year(db_file, 2023, "1.1.1") == [(24, False, 12, "cbs-47022ned")]
    note = next(note for note in outcome.notes if "jaarcijfers wijken af" in note)
    assert "BU05050101 2023 1.1.1: jaar 30, maanden samen 24" in note


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("1.1.1", "BU05050101", "2023JJ00", "3"), ("1.1.1", "BU05050101", "2023MM01", "3")],
            "row 3, column 'Perioden': '2023MM01' is een maandperiode (47022NED): deze import neemt jaarperioden",
        ),
        (
            [("1.1.1", "BU05050101", "2023JJ00", "3"), ("1.1.1", "BU05050102", "2023", "3")],
            "row 3, column 'Perioden': '2023' is geen periode (bijv. 2024JJ00)",
        ),
        ([("1.1.1", "BU05059999", "2023JJ00", "3")], "onbekende buurtcode 'BU05059999'"),
        ([("1.1.1", "BU05050101", "2023JJ00", "3,5")], "'3,5' is geen aantal"),
        ([("1.1.1", "BU05050101", "2023JJ00", "3")] * 2, "row 3: dezelfde buurt, jaar en soort staan twee keer"),
    ],
)
def test_a_bad_yearly_file_is_refused_and_changes_nothing(db_file, tmp_path, rows, message):
    path = typed_csv(tmp_path / "export.csv", HEADER, rows)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, "politie-misdrijven-jaar", "tester")
    assert message in str(error.value)
    assert state(db_file) == before


NUISANCE_HEADER = ["ID", "Overlast", "WijkenEnBuurten", "Perioden", "GeregistreerdeOverlast_1"]
NUISANCE_ROWS = [
    ("OVL-JGD", "BU05050101", "2024MM01", "4"),
    ("OVL-BG", "BU05050101", "2024MM01", "2"),
    ("OVL-BG", "BU05050102", "2024MM02", "-"),
    ("A099", "BU05050101", "2024MM01", "7"),  # a type without category: skipped and named
    ("OVL-BG", "WK050501  ", "2024MM01", "9"),
]


def test_nuisance_47024ned_round_trip(db_file, tmp_path):
    path = typed_csv(tmp_path / "47024NED.csv", NUISANCE_HEADER, NUISANCE_ROWS)
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == "politie-overlast-maand"
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 0)
    assert outcome.demo_replaced > 0
    assert outcome.skipped == {
        "wijk- of gemeentetotaal (berekend uit buurten)": 1,
        "soort overlast niet in categories.csv": 1,
    }
    assert any("'A099'" in note and "cbs_code" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT area_code, month, category_code, incident_count, source_id FROM incident_counts "
        "WHERE year = 2024 AND NOT is_demo ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", 1, "OVL-BG", 2, "cbs-47024ned"),
        ("BU05050101", 1, "OVL-JGD", 4, "cbs-47024ned"),
        ("BU05050102", 2, "OVL-BG", 0, "cbs-47024ned"),
    ]
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("OVL-BG", "BU05050101", "2024JJ00", "3")], "'2024JJ00' is een jaarperiode: deze import neemt maandperioden"),
        ([("OVL-BG", "BU05059999", "2024MM01", "3")], "onbekende buurtcode 'BU05059999'"),
        ([("OVL-BG", "BU05050101", "2024MM01", "-1")], "'-1' is geen geheel getal van 0 of meer"),
    ],
)
def test_a_bad_nuisance_file_is_refused_and_changes_nothing(db_file, tmp_path, rows, message):
    path = typed_csv(tmp_path / "export.csv", NUISANCE_HEADER, rows)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    assert message in str(error.value)
    assert state(db_file) == before


STATLINE_CRIME = ["Soort misdrijf", "Wijken en buurten", "Perioden", "Geregistreerde misdrijven (aantal)"]
STATLINE_ROWS = [
    ("Totaal misdrijven", "Groenmarkt en omgeving", "2024 januari", "20"),
    ("1.1.1 Diefstal/inbraak woning", "Groenmarkt en omgeving", "2024 januari", "3"),
    ("1.1.1 Diefstal/inbraak woning", "Groenmarkt en omgeving", "2024 februari*", "-"),
    ("Diefstal van brom-, snor-, fietsen", "Grote Markt en omgeving", "2024 januari", "12"),
    ("1.6.3 Mensenhandel", "Grote Markt en omgeving", "2024 januari", "1"),
    ("Bodem", "Grote Markt en omgeving", "2024 januari", "2"),  # a title without its code: 2.6.2
    ("1.1.1 Diefstal/inbraak woning", "Wijk 01 Binnenstad", "2024 januari", "9"),
    ("1.1.1 Diefstal/inbraak woning", "Dordrecht", "2024 januari", "40"),
    ("1.1.1 Diefstal/inbraak woning", "Nederland", "2024 januari", "5000"),
    ("1.1.1 Diefstal/inbraak woning", "Wijnstraat en omgeving", "2024 januari", "x"),
]
STATLINE_TITLE = "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers"


def test_statline_download_reads_titles_names_and_provisional_marks(db_file, tmp_path):
    path = statline_csv(tmp_path / "Geregistreerde_misdrijven.csv", STATLINE_CRIME, STATLINE_ROWS, STATLINE_TITLE)
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == "politie-misdrijven-maand"
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (4, 0, 0)
    assert outcome.skipped == {
        "niet-geografische code": 1,
        "wijk- of gemeentetotaal (berekend uit buurten)": 2,
        "totaal misdrijven (berekend uit soorten)": 1,
        "CBS: geheim (x)": 1,
    }
    assert "3 titelregel(s) boven de tabel overgeslagen" in outcome.notes
    assert any("1 rij geldt als voorlopig (gemarkeerd met *" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT area_code, month, category_code, incident_count, is_provisional, source_id FROM incident_counts "
        "WHERE year = 2024 AND NOT is_demo ORDER BY ALL",
    )
    assert stored == [
        ("BU05050101", 1, "1.1.1", 3, False, "cbs-47022ned"),
        ("BU05050101", 2, "1.1.1", 0, True, "cbs-47022ned"),  # "2024 februari*"
        ("BU05050102", 1, "1.2.3", 12, False, "cbs-47022ned"),
        ("BU05050102", 1, "REST", 3, False, "cbs-47022ned"),
    ]


def test_statline_download_with_a_region_code_column_and_yearly_periods(db_file, tmp_path):
    header = ["Soort misdrijf", "Wijken en buurten", "Regiocode", "Perioden", "Geregistreerde misdrijven (aantal)"]
    rows = [
        ("1.1.1 Diefstal/inbraak woning", "Groenmarkt en omgeving", "BU05050101", "2023", "30"),
        ("1.1.1 Diefstal/inbraak woning", "Centrum", "BU05050108", "2024*", "7"),
        ("1.1.1 Diefstal/inbraak woning", "Centrum", "BU03630000", "2024*", "70"),  # Amsterdam's Centrum
    ]
    title = "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers"
    outcome = run_import(statline_csv(tmp_path / "jaar.csv", header, rows, title), db_file, None, "tester")
    assert outcome.kind == "politie-misdrijven-jaar"
    assert outcome.skipped == {"andere gemeente": 1}
    stored = fetch(
        db_file,
        "SELECT area_code, year, category_code, incident_count, is_provisional FROM incident_counts_year ORDER BY ALL",
    )
    assert stored == [("BU05050101", 2023, "1.1.1", 30, False), ("BU05050108", 2024, "1.1.1", 7, True)]


def test_statline_nuisance_download(db_file, tmp_path):
    header = ["Soort overlast", "Wijken en buurten", "Perioden", "Geregistreerde overlast (aantal)"]
    rows = [
        ("Totaal registraties overlast", "Groenmarkt en omgeving", "2024 maart", "9"),
        ("Burengerucht", "Groenmarkt en omgeving", "2024 maart", "3"),
        ("Overlast jeugd", "Groenmarkt en omgeving", "2024 maart", "6"),
    ]
    title = "Geregistreerde overlast; soort overlast, wijk, buurt, maandcijfers"
    outcome = run_import(statline_csv(tmp_path / "overlast.csv", header, rows, title), db_file, None, "tester")
    assert outcome.kind == "politie-overlast-maand"
    assert outcome.skipped == {"totaal overlast (berekend uit soorten)": 1}
    stored = fetch(db_file, "SELECT category_code, incident_count FROM incident_counts WHERE NOT is_demo ORDER BY ALL")
    assert stored == [("OVL-BG", 3), ("OVL-JGD", 6)]


def test_statline_unknown_or_ambiguous_area_names_are_refused(db_file, tmp_path):
    rows = [("1.1.1 Diefstal/inbraak woning", "Atlantis", "2024 januari", "3")]
    path = statline_csv(tmp_path / "export.csv", STATLINE_CRIME, rows, STATLINE_TITLE)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    message = str(error.value)
    assert "export.csv, row 5, column 'Wijken en buurten': gebiedsnaam 'Atlantis' is onbekend" in message
    assert "voeg bij het downloaden in StatLine de regiocode toe" in message
    assert state(db_file) == before
    # Two gemeenten served, each with a buurt 'Centrum': the name alone does not say which.
    with duckdb.connect(str(db_file)) as con:
        con.execute("UPDATE areas SET name = 'Centrum' WHERE area_code = 'BU03880001'")
    rows = [("1.1.1 Diefstal/inbraak woning", "Centrum", "2024 januari", "3")]
    before = state(db_file)
    with pytest.raises(DataError, match=r"gebiedsnaam 'Centrum' is niet eenduidig \(BU03880001, BU05050108\)"):
        run_import(statline_csv(tmp_path / "export.csv", STATLINE_CRIME, rows, STATLINE_TITLE), db_file, None, "t")
    assert state(db_file) == before


def test_statline_bad_period_title_is_refused(db_file, tmp_path):
    rows = [("1.1.1 Diefstal/inbraak woning", "Groenmarkt en omgeving", "2024 jan", "3")]
    path = statline_csv(tmp_path / "export.csv", STATLINE_CRIME, rows, STATLINE_TITLE)
    before = state(db_file)
    with pytest.raises(DataError, match="row 5, column 'Perioden': '2024 jan' is geen periode zoals StatLine"):
        run_import(path, db_file, None, "tester")
    assert state(db_file) == before


# --- The import and its kept copy are one unit; free text cannot break the manifest --------------------


class FullDisk:
    """A file being written when the disk fills up: half of the first write lands, then ENOSPC."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def __getattr__(self, name):
        return getattr(self.handle, name)


@contextmanager
def commit_fails(path):
    """write_transaction whose commit cannot be written (a full disk): DuckDB rolls back."""
    with write_transaction(path) as con:
        yield con
        raise duckdb.IOException('Could not write file "ivp.duckdb.wal": No space left on device')


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (1, "de kopie voor het herbouwen (map imports) kon niet worden opgeslagen: de schijf is vol"),  # the copy
        (2, "de kopie voor het herbouwen (map imports) kon niet worden opgeslagen: de schijf is vol"),  # manifest
        ("commit", "de database kon niet worden bijgewerkt (schijf vol?)"),
    ],
)
def test_a_full_disk_loads_nothing_and_keeps_nothing(db_file, tmp_path, monkeypatch, step, message):
    data = tmp_path / "data"
    run_import(police_csv(tmp_path / "eerder.csv", ROWS[:1]), db_file, None, "tester", data_dir=data)
    imports = data / "imports"
    kept_before = {path.name: path.read_bytes() for path in imports.iterdir()}
    before = state(db_file)
    if step == "commit":
        monkeypatch.setattr("ivpdata.importing.run.write_transaction", commit_fails)
    else:
        writes: list[Path] = []
        real_open = Path.open

        def open_on_a_full_disk(self, mode="r", *args, **kwargs):
            handle = real_open(self, mode, *args, **kwargs)
            if self.parent == imports and set(mode) & set("wax"):
                writes.append(self)
                return FullDisk(handle) if len(writes) == step else handle
            return handle

        monkeypatch.setattr(Path, "open", open_on_a_full_disk)
    with pytest.raises(DataError) as error:
        run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester", data_dir=data)
    assert str(error.value) == f"47022NED.csv: {message}; er is niets geladen"
    assert state(db_file) == before
    assert {path.name: path.read_bytes() for path in imports.iterdir()} == kept_before  # no copy, no half file
    monkeypatch.undo()
    run_import(police_csv(tmp_path / "47022NED.csv"), db_file, None, "tester", data_dir=data)  # room again
    assert len(manifest_entries(imports / "manifest.csv")) == 2


@pytest.mark.parametrize("by", ["team\nVeiligheid", "team\r\nVeiligheid", "team\tVeiligheid", "team\u202eVeiligheid"])
def test_a_control_character_in_by_is_refused(db_file, tmp_path, capsys, by):
    data = tmp_path / "data"
    path = police_csv(tmp_path / "47022NED.csv")
    before = state(db_file)
    assert main(["import", str(path), "--db", str(db_file), "--by", by, "--data-dir", str(data)]) == 1
    assert "47022NED.csv: 'Geladen door' (--by) bevat een stuurteken" in capsys.readouterr().err
    assert state(db_file) == before
    assert not data.exists()


def test_a_manifest_of_an_older_version_is_still_read(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "loaded_at,file,file_name,kind,loaded_by,options\n"
        "2025-03-01T10:00:00,0123-kwb.csv,kwb.csv,kwb-inwoners,team Veiligheid,year=2022\n",
        encoding="utf-8",
    )
    (entry,) = manifest_entries(manifest)
    assert (entry["file"], entry["loaded_by"], manifest_options(entry["options"])) == (
        "0123-kwb.csv",
        "team Veiligheid",
        {"year": "2022"},
    )
