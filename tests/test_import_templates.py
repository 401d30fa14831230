"""Imports of measures, indicator values and resident survey results from the downloadable templates: the templates
themselves, round trips as a civil servant fills them in (CSV in Windows-1252 with decimal
commas, XLSX with a title row above the header), re-imports, replacement of demo and document
rows, every refusal leaving the database as it was, and the pages showing the imported rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata import queries
from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import run_import
from ivpdata.importing.kinds import KINDS
from ivpdata.importing.templates import INDICATOR_VALUES, MEASURES, SURVEY, parse_dates, template_bytes
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state


def header(kind: str) -> list[str]:
    return template_bytes(kind, "csv").decode("utf-8-sig").strip().split(";")


def filled_csv(path: Path, kind: str, rows: list[dict[str, str]], encoding: str = "cp1252") -> Path:
    """The CSV template as downloaded, filled in and saved as Excel saves a Dutch CSV."""
    columns = header(kind)
    lines = [";".join(columns)] + [";".join(row.get(c, "") for c in columns) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def filled_xlsx(path: Path, kind: str, rows: Sequence[Mapping[str, object]], con=None) -> Path:
    """The XLSX template as downloaded, with a title row put above the header and rows typed in
    (dates as date cells, numbers as number cells)."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(kind, "xlsx", con)))
    sheet = book.worksheets[0]
    columns = [cell.value for cell in sheet[1]]
    sheet.insert_rows(1)
    sheet["A1"] = "Registratie gemeente Dordrecht, bijgewerkt 2 januari 2025"
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    book.save(path)
    return path


MEASURE_ROWS = [
    {  # a closure in one buurt in March, with a café (Windows-1252) in its name
        "gemeente": "GM0505",
        "maatregel": "sluiting-softdrugs",
        "omschrijving": "Sluiting pand café Voorstraat",
        "begindatum": "1-3-2024",
        "einddatum": "31-03-2024",
        "aantal": "1",
        "buurt_of_wijk": "BU05050101",
        "toelichting": "Opiumwet art. 13b",
    },
    {  # a year for the whole gemeente, no name of its own: the type's name
        "gemeente": "GM0505",
        "maatregel": "huisverbod-tijdelijk",
        "begindatum": "2024-01-01",
        "einddatum": "2024-12-31",
        "aantal": "17",
        "eenheid": "aantal",
    },
    {  # an amount with thousands and a decimal comma, in a wijk, with a priority of the newer plan
        "gemeente": "GM0505",
        "maatregel": "uitkeringsfraude-besparing",
        "begindatum": "01-01-2024",
        "einddatum": "31-12-2024",
        "aantal": "12.345,67",
        "eenheid": "euro",
        "buurt_of_wijk": "WK050501",
        "prioriteit": "ivp23-ondermijning",
    },
]
STORED_MEASURES = (
    "SELECT measure_id, measure_code, label, period_start, period_end, area_code, value, unit, priority_code,"
    " description, source_id, is_demo FROM measures WHERE source_id = 'eigen-registratie' ORDER BY measure_id"
)


def test_templates_offer_the_columns_the_import_reads(db):
    for code in (MEASURES, INDICATOR_VALUES, SURVEY):
        template_of = KINDS[code].template
        assert template_of is not None, code  # every template kind offers one to fill in
        columns = list(template_of().columns)
        raw = template_bytes(code, "csv")
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig") == ";".join(columns) + "\r\n"
        book = openpyxl.load_workbook(io.BytesIO(template_bytes(code, "xlsx", db)))
        assert book.sheetnames[1] == "Toelichting"
        assert [c.value for c in book.worksheets[0][1]] == columns
        assert book.worksheets[0].max_row == 1  # only the header: nothing to delete before filling in
    assert header(MEASURES)[:6] == ["gemeente", "maatregel", "omschrijving", "begindatum", "einddatum", "aantal"]
    assert header(INDICATOR_VALUES) == ["indicator", "jaar", "waarde", "bron", "toelichting"]
    assert header(SURVEY) == ["gebiedscode", "jaar", "vraag", "waarde", "eenheid", "respondenten", "marge"]

    def explained(code: str, con) -> dict[str, list]:
        sheet = openpyxl.load_workbook(io.BytesIO(template_bytes(code, "xlsx", con)))["Toelichting"]
        return {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row[0]}

    measures = explained(MEASURES, db)
    assert measures["sluiting-softdrugs"][:2] == ["Sluiting woning/pand vanwege softdrugs", "aantal"]
    assert measures["GM0505"][0] == "Dordrecht"
    assert measures["BU05050101"][1:] == ["buurt", "GM0505"]
    assert measures["ivp23-ondermijning"][1] == "Integraal Veiligheidsplan 2023-2026"
    assert "dd-mm-jjjj" in measures["Datums"][0] and "BU05050101" in measures["Buurt of wijk"][0]
    indicators = explained(INDICATOR_VALUES, db)
    assert indicators["ivp23-jongeren-bereikt"][0] == "Jongeren per jaar bereikt"
    assert indicators["ivp23-jongeren-bereikt"][3] == "in te vullen"
    assert indicators["ivp23-jeugdoverlast"][3].startswith("berekend door de app")
    survey = explained(SURVEY, db)
    assert survey["respondenten"][0] == "nee" and survey["vraag"][0] == "ja"
    assert survey["GM0505"][1:] == ["gemeente", "GM0505"] and survey["BU05050101"][1:] == ["buurt", "GM0505"]
    assert survey["WK050501"][1:] == ["wijk", "GM0505"] and "WK050501" in survey["Gebiedscode"][0]
    without_db = explained(MEASURES, None)  # measure types from data/ when no database is at hand
    assert without_db["huisverbod-tijdelijk"][:2] == ["Tijdelijk huisverbod", "aantal"]
    with pytest.raises(ValueError, match="csv of xlsx"):
        template_bytes(MEASURES, "ods")


def test_dates_as_people_and_excel_write_them():
    import pandas as pd

    parsed = parse_dates(
        pd.Series(["1-3-2024", "01-03-2024", "2024-03-01", "2024-03-01 00:00:00", "31-02-2024", "03/01/2024", ""])
    )
    assert list(parsed) == [dt.date(2024, 3, 1)] * 4 + [None, None, None]


def test_measures_csv_round_trip_reimport_and_a_newer_file(db_file, tmp_path):
    path = filled_csv(tmp_path / "maatregelen 2024.csv", MEASURES, MEASURE_ROWS)
    outcome = run_import(path, db_file, None, "tester")  # recognised by its columns
    assert outcome.kind == MEASURES
    assert (outcome.new, outcome.replaced, outcome.unchanged, outcome.demo_replaced) == (3, 0, 0, 0)
    assert outcome.changes[["period", "area_code", "new"]].values.tolist() == [
        ["2024", "BU05050101", 1],
        ["2024", "GM0505", 1],
        ["2024", "WK050501", 1],
    ]
    assert "gelezen als Windows-1252" in outcome.notes
    march, year = dt.date(2024, 3, 1), dt.date(2024, 1, 1)
    assert fetch(db_file, STORED_MEASURES) == [
        (
            "imp-GM0505-huisverbod-tijdelijk-20240101-20241231-GM0505",
            "huisverbod-tijdelijk",
            "Tijdelijk huisverbod",
            year,
            dt.date(2024, 12, 31),
            None,
            17.0,
            "aantal",
            None,
            None,
            "eigen-registratie",
            False,
        ),
        (
            "imp-GM0505-sluiting-softdrugs-20240301-20240331-BU05050101",
            "sluiting-softdrugs",
            "Sluiting pand café Voorstraat",
            march,
            dt.date(2024, 3, 31),
            "BU05050101",
            1.0,
            "aantal",
            None,
            "Opiumwet art. 13b",
            "eigen-registratie",
            False,
        ),
        (
            "imp-GM0505-uitkeringsfraude-besparing-20240101-20241231-WK050501",
            "uitkeringsfraude-besparing",
            "Uitkeringsfraude: besparing",
            year,
            dt.date(2024, 12, 31),
            "WK050501",
            12345.67,
            "euro",
            "ivp23-ondermijning",
            None,
            "eigen-registratie",
            False,
        ),
    ]
    before = state(db_file)
    again = run_import(path, db_file, MEASURES, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    after = state(db_file)
    assert changed(before, after) == {"load_history"}  # only the history grew
    revised = [{**MEASURE_ROWS[1], "aantal": "18"}, MEASURE_ROWS[0]]
    newer = run_import(filled_csv(tmp_path / "maatregelen 2024 v2.csv", MEASURES, revised), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged) == (0, 1, 1)
    assert fetch(db_file, "SELECT sum(value) FROM measures WHERE source_id = 'eigen-registratie'") == [(12364.67,)]
    yearly = "SELECT value FROM measures_city_year WHERE gemeente_code = 'GM0505' AND year = 2024 AND measure_code = "
    assert fetch(db_file, yearly + "'huisverbod-tijdelijk'") == [(18.0,)]


def test_measures_xlsx_round_trip_with_a_title_row_and_date_cells(db_file, tmp_path):
    with duckdb.connect(str(db_file), read_only=True) as con:
        path = filled_xlsx(
            tmp_path / "maatregelen.xlsx",
            MEASURES,
            [
                {
                    "gemeente": "GM0505",
                    "maatregel": "lod-straathandel-drugs",
                    "begindatum": dt.datetime(2023, 7, 1),
                    "einddatum": dt.datetime(2024, 6, 30),
                    "aantal": 9,
                    "buurt_of_wijk": "bu05050101",
                    "omschrijving": "LOD's Voorstraat",
                },
                {
                    "gemeente": "GM0505",
                    "maatregel": "inbeslagname-waterpijptabak",
                    "begindatum": "1-2-2024",
                    "einddatum": "29-2-2024",
                    "aantal": 2.5,
                    "eenheid": "Kilogram",
                },
            ],
            con,
        )
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == MEASURES and outcome.new == 2
    assert "1 titelregel(s) boven de tabel overgeslagen" in outcome.notes
    assert list(outcome.changes["period"]) == ["2023-07-01 t/m 2024-06-30", "2024"]  # begin-end across years
    assert fetch(
        db_file,
        "SELECT label, period_start, period_end, area_code, value, unit FROM measures "
        "WHERE source_id = 'eigen-registratie' ORDER BY label",
    ) == [
        ("Inbeslagname waterpijptabak", dt.date(2024, 2, 1), dt.date(2024, 2, 29), None, 2.5, "kilogram"),
        ("LOD's Voorstraat", dt.date(2023, 7, 1), dt.date(2024, 6, 30), "BU05050101", 9.0, "aantal"),
    ]
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 2)


def test_headers_as_people_retype_them(db_file, tmp_path):
    path = tmp_path / "huisverboden.csv"
    path.write_text(
        "Gemeente;Maatregel;Begindatum;Einddatum;Aantal;Buurt of wijk;Behandelaar\n"
        "GM0505;huisverbod-tijdelijk;01-01-2023;31-12-2023;20;;J. Jansen\n",
        encoding="utf-8",
    )
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == MEASURES and outcome.new == 1
    assert "kolom(men) niet gelezen: Behandelaar" in outcome.notes


def test_a_document_measure_is_replaced_only_for_exactly_its_key(db_file, tmp_path):
    document = "SELECT measure_id, value FROM measures WHERE measure_id = 'd003-sluiting-softdrugs-2020'"
    assert fetch(db_file, document) == [("d003-sluiting-softdrugs-2020", 10.0)]
    figures = fetch(db_file, "SELECT count(*) FROM published_figures")
    filled = [
        {
            "gemeente": "GM0505",
            "maatregel": "sluiting-softdrugs",
            "begindatum": "01-01-2020",
            "einddatum": "31-12-2020",
            "aantal": "11",
        },  # the factsheet's key: replaces its row
        {
            "gemeente": "GM0505",
            "maatregel": "sluiting-harddrugs",
            "begindatum": "01-03-2020",
            "einddatum": "31-03-2020",
            "aantal": "1",
        },  # one month of a year the factsheet counts: both stay
    ]
    outcome = run_import(filled_csv(tmp_path / "sluitingen 2020.csv", MEASURES, filled), db_file, None, "tester")
    assert (outcome.new, outcome.replaced) == (1, 1)
    assert any("1 maatregel(en) uit documenten (doc-003)" in note for note in outcome.notes)
    assert any(note.startswith("let op: 1 rij(en) overlappen") for note in outcome.notes)
    assert fetch(db_file, document) == []
    assert fetch(db_file, "SELECT count(*) FROM measures WHERE measure_id = 'd003-sluiting-harddrugs-2020'") == [(1,)]
    assert fetch(db_file, "SELECT count(*) FROM published_figures") == figures  # the published figure stays
    yearly = "SELECT value FROM measures_city_year WHERE gemeente_code = 'GM0505' AND year = 2020 AND measure_code = "
    assert fetch(db_file, yearly + "'sluiting-softdrugs'") == [(11.0,)]  # not 10 + 11


def test_real_rows_replace_demo_rows_with_the_same_key(db_file, tmp_path):
    with duckdb.connect(str(db_file)) as con:
        con.execute(
            "INSERT INTO measures (measure_id, gemeente_code, measure_code, label, period_start, period_end, area_code,"
            " value, unit, source_id, is_demo) VALUES ('demo-lod', 'GM0505', 'lod-straathandel-drugs', 'LOD (demo)',"
            " '2024-01-01', '2024-12-31', 'WK050501', 30, 'aantal', 'demo', true)"
        )
    rows = [
        {
            "gemeente": "GM0505",
            "maatregel": "lod-straathandel-drugs",
            "begindatum": "01-01-2024",
            "einddatum": "31-12-2024",
            "aantal": "24",
            "buurt_of_wijk": "WK050501",
        }
    ]
    outcome = run_import(filled_csv(tmp_path / "lod.csv", MEASURES, rows), db_file, None, "tester")
    assert (outcome.new, outcome.replaced, outcome.demo_replaced) == (1, 0, 1)
    assert outcome.changes[["period", "area_code", "demo_replaced"]].values.tolist() == [["2024", "WK050501", 1]]
    assert fetch(db_file, "SELECT measure_id, value, is_demo FROM measures WHERE area_code = 'WK050501'") == [
        ("imp-GM0505-lod-straathandel-drugs-20240101-20241231-WK050501", 24.0, False)
    ]


INDICATOR_ROWS = [
    {"indicator": "ivp23-jongeren-bereikt", "jaar": "2025", "waarde": "1.130", "bron": "team Jeugd"},  # demo value
    {"indicator": "ivp23-jongeren-bereikt", "jaar": "2026", "waarde": "1.175", "toelichting": "tot en met juni"},
    {"indicator": "ivp19-crimineel-vermogen", "jaar": "2023", "waarde": "3.250.000,50", "bron": "OM"},
]
STORED_VALUES = (
    "SELECT indicator_id, year, value, source_id, is_demo, note FROM indicator_values"
    " WHERE source_id = 'eigen-registratie' ORDER BY ALL"
)


def test_indicator_values_csv_round_trip_replacing_demo_values(db_file, tmp_path):
    path = filled_csv(tmp_path / "indicatoren.csv", INDICATOR_VALUES, INDICATOR_ROWS)
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == INDICATOR_VALUES
    assert (outcome.new, outcome.replaced, outcome.unchanged, outcome.demo_replaced) == (3, 0, 0, 1)
    assert outcome.changes[["period", "area_code", "new", "demo_replaced"]].values.tolist() == [
        ["2023", "GM0505", 1, 0],
        ["2025", "GM0505", 1, 1],
        ["2026", "GM0505", 1, 0],
    ]
    assert fetch(db_file, STORED_VALUES) == [
        ("ivp19-crimineel-vermogen", 2023, 3250000.5, "eigen-registratie", False, "bron: OM"),
        ("ivp23-jongeren-bereikt", 2025, 1130.0, "eigen-registratie", False, "bron: team Jeugd"),
        ("ivp23-jongeren-bereikt", 2026, 1175.0, "eigen-registratie", False, "tot en met juni"),
    ]
    demo = "SELECT year FROM indicator_values WHERE indicator_id = 'ivp23-jongeren-bereikt' AND is_demo ORDER BY 1"
    assert fetch(db_file, demo) == [(2022,), (2023,), (2024,)]  # other years keep their demo values
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    assert changed(before, state(db_file)) == {"load_history"}
    newer = [{**INDICATOR_ROWS[1], "waarde": "1.190"}]
    revised = run_import(filled_csv(tmp_path / "indicatoren-juli.csv", INDICATOR_VALUES, newer), db_file, None, "t")
    assert (revised.new, revised.replaced, revised.unchanged) == (0, 1, 0)
    assert fetch(db_file, STORED_VALUES)[2][2] == 1190.0


def test_indicator_values_xlsx_round_trip_with_a_title_row(db_file, tmp_path):
    rows = [
        {"indicator": "ivp19-lod-drugshandel", "jaar": 2023, "waarde": 95},
        {"indicator": "IVP19-professionals-getraind", "jaar": 2023, "waarde": 171.0, "bron": "Veilig Thuis"},
    ]
    outcome = run_import(filled_xlsx(tmp_path / "indicatoren.xlsx", INDICATOR_VALUES, rows), db_file, None, "tester")
    assert outcome.kind == INDICATOR_VALUES and outcome.new == 2
    assert fetch(db_file, STORED_VALUES) == [
        ("ivp19-lod-drugshandel", 2023, 95.0, "eigen-registratie", False, None),
        ("ivp19-professionals-getraind", 2023, 171.0, "eigen-registratie", False, "bron: Veilig Thuis"),
    ]


SURVEY_ROWS = [
    {
        "gebiedscode": "WK050507",
        "jaar": "2024",
        "vraag": "Voelt zich veilig in de buurt",
        "waarde": "71,5",
        "eenheid": "procent",
        "respondenten": "1.090",
        "marge": "4,5",
    },
    {
        "gebiedscode": "bu05050101 ",
        "jaar": "2024",
        "vraag": "Voelt  zich veilig in de buurt ",
        "waarde": "77",
        "eenheid": "%",
    },  # code in lower case, spaces in the question, '%' for procent, no respondents or margin
    {
        "gebiedscode": "GM0505",
        "jaar": "2024",
        "vraag": "Rapportcijfer veiligheid",
        "waarde": "6,8",
        "eenheid": "rapportcijfer",
        "respondenten": "3200",
    },
]
STORED_SURVEY = "SELECT * FROM survey_results ORDER BY area_code, year, question"


def test_survey_csv_round_trip_reimport_and_a_newer_file(db_file, tmp_path):
    with duckdb.connect(str(db_file)) as con:
        con.execute(
            "INSERT INTO survey_results VALUES ('WK050507', 2024, 'Voelt zich veilig in de buurt', 60, 'procent',"
            " NULL, NULL, 'demo', true)"
        )
    path = filled_csv(tmp_path / "bewonersonderzoek 2024.csv", SURVEY, SURVEY_ROWS)
    outcome = run_import(path, db_file, None, "tester")  # recognised by its columns
    assert outcome.kind == SURVEY
    assert (outcome.new, outcome.replaced, outcome.unchanged, outcome.demo_replaced) == (3, 0, 0, 1)
    assert outcome.changes[["period", "area_code", "new", "demo_replaced"]].values.tolist() == [
        ["2024", "BU05050101", 1, 0],
        ["2024", "GM0505", 1, 0],
        ["2024", "WK050507", 1, 1],
    ]
    safe = "Voelt zich veilig in de buurt"
    assert fetch(db_file, STORED_SURVEY) == [
        ("BU05050101", 2024, safe, 77.0, "procent", None, None, "eigen-registratie", False),
        ("GM0505", 2024, "Rapportcijfer veiligheid", 6.8, "rapportcijfer", 3200, None, "eigen-registratie", False),
        ("WK050507", 2024, safe, 71.5, "procent", 1090, 4.5, "eigen-registratie", False),
    ]
    before = state(db_file)
    again = run_import(path, db_file, SURVEY, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    assert changed(before, state(db_file)) == {"load_history"}
    newer = [
        {**SURVEY_ROWS[0], "waarde": "73"},  # a corrected value
        {**SURVEY_ROWS[1], "vraag": "voelt zich veilig in de buurt"},  # the same question in other case
        {**SURVEY_ROWS[2], "jaar": "2025", "waarde": "7,0"},  # a new year
    ]
    revised = run_import(filled_csv(tmp_path / "bewonersonderzoek v2.csv", SURVEY, newer), db_file, None, "tester")
    assert (revised.new, revised.replaced, revised.unchanged) == (1, 2, 0)
    assert fetch(db_file, "SELECT area_code, year, question, value FROM survey_results ORDER BY ALL") == [
        ("BU05050101", 2024, "voelt zich veilig in de buurt", 77.0),
        ("GM0505", 2024, "Rapportcijfer veiligheid", 6.8),
        ("GM0505", 2025, "Rapportcijfer veiligheid", 7.0),
        ("WK050507", 2024, safe, 73.0),
    ]


def test_survey_xlsx_round_trip_with_a_title_row(db_file, tmp_path):
    rows = [
        {
            "gebiedscode": "WK050501",
            "jaar": 2023,
            "vraag": "Overlast van jongeren",
            "waarde": 18.25,
            "eenheid": "procent",
            "respondenten": 412,
            "marge": 3,
        }
    ]
    with duckdb.connect(str(db_file), read_only=True) as con:
        path = filled_xlsx(tmp_path / "bewonersonderzoek.xlsx", SURVEY, rows, con)
    assert openpyxl.load_workbook(path).sheetnames == ["Bewonersonderzoek", "Toelichting"]
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == SURVEY and outcome.new == 1
    assert "1 titelregel(s) boven de tabel overgeslagen" in outcome.notes
    assert fetch(db_file, STORED_SURVEY) == [
        ("WK050501", 2023, "Overlast van jongeren", 18.25, "procent", 412, 3.0, "eigen-registratie", False)
    ]
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 1)


def test_a_plan_indicator_reads_the_imported_survey(db_file, tmp_path):
    with duckdb.connect(str(db_file)) as con:  # no plan has a survey indicator yet
        con.execute(
            "INSERT INTO indicators (indicator_id, goal_id, name, unit, direction, baseline_year, baseline_value,"
            " target_year, target_value, actual_source, survey_question, is_demo_target) VALUES ('ivp19-veilig',"
            " 'ivp19-ondermijning-lod', 'Voelt zich veilig', 'procent', 'higher', 2019, 70, 2022, 75, 'survey',"
            " 'Voelt zich veilig in de buurt', true)"
        )
    rows = [
        {
            "gebiedscode": "GM0505",
            "jaar": "2021",
            "vraag": "Voelt zich veilig in de buurt",
            "waarde": "74",
            "eenheid": "procent",
        },
        {**SURVEY_ROWS[0], "jaar": "2021"},
    ]
    path = filled_csv(tmp_path / "enquete.csv", SURVEY, rows)
    with duckdb.connect(str(db_file), read_only=True) as con:
        before = queries.indicator_actuals(con, "GM0505", "GM0505-ivp-2019-2022")
        sheet = openpyxl.load_workbook(io.BytesIO(template_bytes(SURVEY, "xlsx", con)))["Toelichting"]
    listed = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Voelt zich veilig in de buurt"]
    assert listed[0][1:4] == ("ivp19-veilig", "Voelt zich veilig", "GM0505")  # the question to copy, word for word
    run_import(path, db_file, None, "tester")
    with duckdb.connect(str(db_file), read_only=True) as con:
        actuals = queries.indicator_actuals(con, "GM0505", "GM0505-ivp-2019-2022")
    assert before[before["indicator_id"] == "ivp19-veilig"].empty
    found = actuals[actuals["indicator_id"] == "ivp19-veilig"]
    assert found[["year", "value"]].values.tolist() == [[2021, 74.0]]  # the city's, not the wijk's


VALID_MEASURE = {
    "gemeente": "GM0505",
    "maatregel": "sluiting-softdrugs",
    "begindatum": "01-03-2024",
    "einddatum": "31-03-2024",
    "aantal": "2",
    "buurt_of_wijk": "BU05050101",
}
VALID_VALUE = {"indicator": "ivp23-jongeren-bereikt", "jaar": "2024", "waarde": "1.100"}
VALID_SURVEY = {
    "gebiedscode": "WK050501",
    "jaar": "2024",
    "vraag": "Voelt zich veilig",
    "waarde": "80",
    "eenheid": "procent",
    "respondenten": "300",
    "marge": "4",
}
VALID = {MEASURES: VALID_MEASURE, INDICATOR_VALUES: VALID_VALUE, SURVEY: VALID_SURVEY}
# (kind, the row's changes, column named, words of the message); the bad row is row 3, below a good one
# with another key (BAD_BASE: another measure type, another year)
BAD_BASE = {
    MEASURES: {**VALID_MEASURE, "maatregel": "sluiting-harddrugs"},
    INDICATOR_VALUES: {**VALID_VALUE, "jaar": "2025"},
    SURVEY: {**VALID_SURVEY, "vraag": "Overlast van jongeren"},
}
FAILURES = {
    "unknown gemeente": (MEASURES, {"gemeente": "GM9999"}, "gemeente", "onbekende gemeente 'GM9999'"),
    "gemeente by name": (MEASURES, {"gemeente": "Dordrecht"}, "gemeente", "gebruik de code 'GM0505'"),
    "unknown measure type": (MEASURES, {"maatregel": "sluiting-cafe"}, "maatregel", "onbekende maatregel"),
    "measure type by name": (
        MEASURES,
        {"maatregel": "Tijdelijk huisverbod"},
        "maatregel",
        "gebruik de code 'huisverbod-tijdelijk'",
    ),
    "unknown area": (MEASURES, {"buurt_of_wijk": "BU05059999"}, "buurt_of_wijk", "onbekende buurt- of wijkcode"),
    "area of another gemeente": (
        MEASURES,
        {"buurt_of_wijk": "WK038801"},
        "buurt_of_wijk",
        "ligt in gemeente GM0388, niet in GM0505",
    ),
    "unknown priority": (MEASURES, {"prioriteit": "ivp23-fietsdiefstal"}, "prioriteit", "onbekende prioriteit"),
    "priority of another gemeente": (
        MEASURES,
        {"prioriteit": "livp18-overlast"},
        "prioriteit",
        "hoort bij een plan van GM0388, niet van GM0505",
    ),
    "date in another format": (MEASURES, {"begindatum": "2024/03/01"}, "begindatum", "geen (bestaande) datum"),
    "date that does not exist": (MEASURES, {"einddatum": "31-02-2024"}, "einddatum", "geen (bestaande) datum"),
    "begin after end": (MEASURES, {"begindatum": "01-04-2024"}, "begindatum", "ligt na einddatum 31-03-2024"),
    "count not a number": (MEASURES, {"aantal": "twee"}, "aantal", "'twee' is geen getal"),
    "negative count": (MEASURES, {"aantal": "-1"}, "aantal", "negatief"),
    "count not whole": (MEASURES, {"aantal": "2,5"}, "aantal", "geen heel getal"),
    "unit of another type": (MEASURES, {"eenheid": "kilogram"}, "eenheid", "past niet bij maatregel"),
    "empty required cell": (MEASURES, {"einddatum": ""}, "einddatum", "lege cel: 'einddatum' is verplicht"),
    "duplicate measure key": (
        MEASURES,
        {"maatregel": "sluiting-softdrugs", "buurt_of_wijk": "bu05050101 "},
        None,
        "staat al op rij 2",
    ),
    "unknown indicator": (INDICATOR_VALUES, {"indicator": "ivp23-onbekend"}, "indicator", "onbekende indicator"),
    "indicator fed by incidents": (
        INDICATOR_VALUES,
        {"indicator": "ivp23-jeugdoverlast"},
        "indicator",
        "haalt zijn waarden uit de geregistreerde incidenten",
    ),
    "year not a year": (INDICATOR_VALUES, {"jaar": "2024-2025"}, "jaar", "geen jaartal"),
    "value not a number": (INDICATOR_VALUES, {"waarde": "n.v.t."}, "waarde", "'n.v.t.' is geen getal"),
    "negative value": (INDICATOR_VALUES, {"waarde": "-3"}, "waarde", "negatief"),
    "empty value": (INDICATOR_VALUES, {"waarde": ""}, "waarde", "lege cel: 'waarde' is verplicht"),
    "duplicate indicator year": (INDICATOR_VALUES, {"jaar": "2024", "waarde": "1.200"}, None, "staat al op rij 2"),
    "unknown area code": (SURVEY, {"gebiedscode": "WK059999"}, "gebiedscode", "onbekende gebiedscode 'WK059999'"),
    "area by name": (SURVEY, {"gebiedscode": "Wielwijk"}, "gebiedscode", "'WK050507' (wijk)"),
    "survey year not a year": (SURVEY, {"jaar": "'24"}, "jaar", "geen jaartal"),
    "empty question": (SURVEY, {"vraag": " "}, "vraag", "lege cel: 'vraag' is verplicht"),
    "survey value not a number": (SURVEY, {"waarde": "ruim 80"}, "waarde", "'ruim 80' is geen getal"),
    "negative survey value": (SURVEY, {"waarde": "-2"}, "waarde", "negatief"),
    "more than 100 percent": (SURVEY, {"waarde": "180"}, "waarde", "meer dan 100 procent"),
    "empty unit": (SURVEY, {"eenheid": ""}, "eenheid", "lege cel: 'eenheid' is verplicht"),
    "respondents not whole": (SURVEY, {"respondenten": "300,5"}, "respondenten", "geen heel getal"),
    "negative margin": (SURVEY, {"marge": "-1"}, "marge", "geen getal van 0 of meer"),
    "duplicate survey key": (SURVEY, {"vraag": "voelt zich  VEILIG"}, None, "staat al op rij 2"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_a_bad_row_is_refused_naming_row_and_column_and_changes_nothing(db_file, tmp_path, case):
    kind, change, column, message = FAILURES[case]
    path = filled_csv(tmp_path / "sjabloon.csv", kind, [VALID[kind], {**BAD_BASE[kind], **change}], encoding="utf-8")
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    assert len(error.value.problems) == 1, error.value.problems
    problem = error.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("sjabloon.csv", 3, column)
    assert message in problem.message
    assert state(db_file) == before


def test_an_indicator_fed_by_measures_says_which_measure(db_file, tmp_path):
    with duckdb.connect(str(db_file)) as con:  # no plan has one yet
        con.execute(
            "INSERT INTO indicators (indicator_id, goal_id, name, unit, direction, baseline_year, baseline_value,"
            " target_year, target_value, actual_source, measure_code, is_demo_target) VALUES ('ivp19-lod-som',"
            " 'ivp19-ondermijning-lod', 'LOD''s per jaar', 'aantal', 'higher', 2019, 0, 2022, 30, 'measures',"
            " 'lod-straathandel-drugs', true)"
        )
    row = {"indicator": "ivp19-lod-som", "jaar": "2022", "waarde": "26"}
    before = state(db_file)
    with pytest.raises(DataError, match="de jaarsom van maatregel 'lod-straathandel-drugs'"):
        run_import(filled_csv(tmp_path / "lod.csv", INDICATOR_VALUES, [row]), db_file, None, "tester")
    assert state(db_file) == before


@pytest.fixture
def app(db_file, monkeypatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(db_file))
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)


def test_maatregelen_page_shows_an_imported_measure(app, db_file, tmp_path):
    run_import(filled_csv(tmp_path / "maatregelen.csv", MEASURES, MEASURE_ROWS), db_file, None, "tester")
    at = app.run()
    at.switch_page("dashboard/pages/maatregelen.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Resultaten vastgelegd"] == "106"  # 103 from documents and 3 imported
    table = at.dataframe[0].value
    imported = table[table["Resultaat"] == "Sluiting pand café Voorstraat"]
    source = "Eigen registratie van de gemeente (maatregelen, indicatoren en bewonersonderzoek)"
    assert list(imported["Bron"]) == [source]
    assert list(imported["Periode"]) and "2024" in imported["Periode"].iloc[0]
    lines = [m.value for m in at.markdown if m.value.startswith("**Sluiting pand café Voorstraat**")]
    assert len(lines) == 1 and "maart 2024" in lines[0]  # among the measures in an area


def test_prioriteiten_page_shows_an_imported_indicator_value(app, db_file, tmp_path):
    rows = [{"indicator": "ivp23-jongeren-bereikt", "jaar": "2026", "waarde": "1.234"}]
    run_import(filled_csv(tmp_path / "indicatoren.csv", INDICATOR_VALUES, rows), db_file, None, "tester")
    app.query_params["plan"] = "GM0505-ivp-2023-2026"
    at = app.run()
    at.switch_page("dashboard/pages/prioriteiten.py").run()
    assert not at.exception
    shown = [frame.value for frame in at.dataframe]
    found = [t[t["Indicator"] == "Jongeren per jaar bereikt"] for t in shown if "Indicator" in t]
    found = [t for t in found if len(t)]
    assert len(found) == 1
    assert found[0].iloc[0]["Actueel"] == 1234 and found[0].iloc[0]["Jaar"] == "2026"


def test_the_cli_and_the_data_page_offer_the_survey_template(app, db_file, tmp_path, capsys):
    from ivpdata.__main__ import main

    path = filled_csv(tmp_path / "enquete.csv", SURVEY, SURVEY_ROWS[:1])
    argv = ["import", str(path), "--kind", SURVEY, "--db", str(db_file), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == 0
    assert "Imported: 1 nieuw" in capsys.readouterr().out
    assert (tmp_path / "data" / "imports" / "manifest.csv").read_text(encoding="utf-8").count(SURVEY) == 1
    at = app.run()
    at.switch_page("dashboard/pages/data.py").run()
    assert not at.exception
    assert "Bewonersonderzoek per gebied en jaar (sjabloon)" in [m.value for m in at.markdown]
    assert {"sjabloon_bewonersonderzoek_csv", "sjabloon_bewonersonderzoek_xlsx"} <= {
        b.key for b in at.get("download_button")
    }
    assert "Bewonersonderzoek per gebied en jaar (sjabloon)" in at.selectbox(key="data_kind").options
    history = at.dataframe[0].value
    assert history[["Bestand", "Soort", "Nieuw"]].values.tolist() == [
        ["enquete.csv", "Bewonersonderzoek per gebied en jaar (sjabloon)", 1]
    ]
