"""Population imports: CBS Kerncijfers wijken en buurten (KWB) as the spreadsheet/CSV edition and as
the OData TypedDataSet, in their real layouts; the year from the options, the file name or the
table id; demo rows of a gemeente and year replaced as a whole; every failure path leaving the
database exactly as it was; the Kaart page with a buurt whose inhabitants CBS hides."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata.__main__ import main
from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import run_import
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state

# The spreadsheet edition's first columns (kwb-2024.csv); the real file has about 130 more.
SHEET_HEADER = ["gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi", "a_inw", "a_man"]
# (code, regio, gm_naam, recs, a_inw)
SHEET_ROWS = [
    ("NL00", "Nederland", "Nederland", "Land", "17942942"),
    ("GM0505", "Dordrecht", "Dordrecht", "Gemeente", "121434"),
    ("WK050501", "Wijk 01 Binnenstad", "Dordrecht", "Wijk", "9265"),
    ("BU05050101", "Groenmarkt en omgeving", "Dordrecht", "Buurt", "940"),
    ("BU05050102", "Grote Markt en omgeving", "Dordrecht", "Buurt", "565"),
    ("BU05050100", "Nieuwe Haven en omgeving", "Dordrecht", "Buurt", "."),  # hidden by CBS
    ("GM0363", "Amsterdam", "Amsterdam", "Gemeente", "931298"),
    ("BU03630000", "Kop Zeedijk", "Amsterdam", "Buurt", "1055"),
]
STORED = [("BU05050101", 940), ("BU05050102", 565), ("GM0505", 121434), ("WK050501", 9265)]


def sheet_record(code: str, regio: str, gm_naam: str, recs: str, a_inw: str) -> list[str]:
    digits = code[2:].lstrip("0") or "0"
    return [code.ljust(10), digits, regio, gm_naam, recs, code, "1", a_inw, "."]


def kwb_csv(path: Path, rows=SHEET_ROWS, header=SHEET_HEADER, delimiter: str = ";") -> Path:
    """As CBS publishes kwb-2024.csv: `;`, UTF-8 with BOM, CRLF, codes padded to 10 characters."""
    lines = [delimiter.join(header)] + [delimiter.join(sheet_record(*row)) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


ODATA_HEADER = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "AantalInwoners_5", "Mannen_6"]


def odata_record(i: int, code: str, gemeente: str, soort: str, inhabitants: int | None) -> list:
    # CBS pads keys and texts: codes to 10 characters, region type to 10, gemeente name to 40.
    return [i, code.ljust(10), gemeente.ljust(40), soort.ljust(10), code.ljust(10), inhabitants, None]


ODATA_ROWS = [
    ("NL00", "Nederland", "Land", 17282163),
    ("GM0505", "Dordrecht", "Gemeente", 118654),  # as the real 2019 figure already stored
    ("WK050501", "Dordrecht", "Wijk", 9043),
    ("BU05050101", "Dordrecht", "Buurt", 905),
    ("BU05050100", "Dordrecht", "Buurt", None),  # hidden: null in the TypedDataSet
    ("GM0388", "Enkhuizen", "Gemeente", 18507),
    ("BU03880101", "Enkhuizen", "Buurt", 2410),
]


def odata_json(path: Path, rows=ODATA_ROWS, table: str = "84583NED") -> Path:
    records = [dict(zip(ODATA_HEADER, odata_record(i, *row), strict=True)) for i, row in enumerate(rows)]
    metadata = f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata#Cbs.OData.WebAPI.TypedDataSet"
    path.write_text(json.dumps({"odata.metadata": metadata, "value": records}), encoding="utf-8")
    return path


def demo_rows(db: Path, gemeente: str, year: int) -> int:
    return fetch(
        db,
        "SELECT count(*) FROM population p JOIN areas a USING (area_code) "
        f"WHERE p.is_demo AND a.gemeente_code = '{gemeente}' AND p.year = {year}",
    )[0][0]


def test_kwb_csv_replaces_the_demo_year_and_reports_what_it_skipped(db_file, tmp_path):
    demo_before = demo_rows(db_file, "GM0505", 2024)
    enkhuizen_before = demo_rows(db_file, "GM0388", 2024)
    other_year = demo_rows(db_file, "GM0505", 2023)
    assert demo_before > 100 and enkhuizen_before > 0 and other_year > 0
    outcome = run_import(kwb_csv(tmp_path / "kwb-2024.csv"), db_file, None, "tester")
    assert outcome.kind == "kwb-inwoners"
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (4, 0, 0)
    assert outcome.demo_replaced == demo_before  # every demo row of Dordrecht 2024, hidden buurt included
    assert outcome.skipped == {"niet-geografische code": 1, "andere gemeente": 2, "CBS: waarde ontbreekt (.)": 1}
    assert outcome.skipped_detail == {
        "niet-geografische code": "rij 2",
        "andere gemeente": "GM0363: 2 rijen (eerste: rij 8, GM0363)",
        "CBS: waarde ontbreekt (.)": "rij 7",
    }
    stored = fetch(
        db_file,
        "SELECT area_code, inhabitants FROM population p JOIN areas a USING (area_code) "
        "WHERE a.gemeente_code = 'GM0505' AND p.year = 2024 ORDER BY ALL",
    )
    assert stored == STORED  # no demo row left beside the real ones; the hidden buurt has none
    assert fetch(
        db_file, "SELECT DISTINCT source_id, is_demo FROM population WHERE year = 2024 AND area_code LIKE '%0505%'"
    ) == [("cbs-kwb", False)]
    assert demo_rows(db_file, "GM0388", 2024) == enkhuizen_before  # another gemeente, untouched
    assert demo_rows(db_file, "GM0505", 2023) == other_year  # another year, untouched
    # per year and wijk: a buurt counts for its wijk, the gemeente row for the gemeente
    changes = outcome.changes.set_index(["period", "area_code"])
    assert changes.loc[("2024", "WK050501"), ["new", "skipped"]].tolist() == [3, 1]
    assert changes.loc[("2024", "GM0505"), ["new", "demo_replaced"]].tolist() == [1, 1]
    assert int(changes["demo_replaced"].sum()) == demo_before
    assert set(changes.index.get_level_values("period")) == {"2024"}
    assert any("inwoners op 1 januari 2024 (jaar uit de bestandsnaam)" in note for note in outcome.notes)
    assert any("niet opgeslagen" in note and "BU05050100 Nieuwe Haven en omgeving" in note for note in outcome.notes)
    # a file for part of the gemeente says, before anyone confirms, what the other areas get: no count
    assert outcome.coverage == [
        "Het bestand bevat inwonertallen voor 4 van de 146 gebieden (gemeente, wijken en buurten) van Dordrecht "
        "op 1 januari 2024. De demo-inwonertallen van 2024 vervallen voor de hele gemeente; de andere 142 gebieden "
        "hebben dan geen inwonertal voor 2024, en daar staat geen cijfer per 1.000 inwoners (geen 0)."
    ]
    history = fetch(db_file, "SELECT file_name, kind, rows_new, rows_demo_replaced, rows_skipped FROM load_history")
    assert history == [("kwb-2024.csv", "kwb-inwoners", 4, demo_before, 4)]
    # the pages' wijk figure is the stored wijk row
    assert fetch(db_file, "SELECT inhabitants FROM population WHERE area_code = 'WK050501' AND year = 2024") == [
        (9265,)
    ]


def test_reimport_changes_nothing_and_newer_figures_replace(db_file, tmp_path):
    path = kwb_csv(tmp_path / "kwb-2024.csv")
    run_import(path, db_file, None, "tester")
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 4, 0)
    after = state(db_file)
    assert changed(before, after) == {"load_history"}  # only the history grew
    revised = [row if row[0] != "BU05050101" else (*row[:4], "951") for row in SHEET_ROWS]
    newer = run_import(kwb_csv(tmp_path / "kwb_2024.csv", revised), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged, newer.demo_replaced) == (0, 1, 3, 0)
    assert newer.changes.set_index(["period", "area_code"]).loc[("2024", "WK050501"), "replaced"] == 1
    assert fetch(db_file, "SELECT inhabitants FROM population WHERE area_code = 'BU05050101' AND year = 2024") == [
        (951,)
    ]


def test_kwb_xlsx_with_a_title_row(db_file, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "KWB2023"
    sheet.append(["Kerncijfers wijken en buurten 2023"])
    sheet.append(SHEET_HEADER)
    secret = [("BU05050103", "Wijnstraat en omgeving", "Dordrecht", "Buurt", "x")]
    for row in SHEET_ROWS[1:5] + secret:
        record = sheet_record(*row)
        inhabitants = int(record[7]) if record[7].isdigit() else record[7]  # numbers as numbers, symbols as text
        sheet.append([*record[:7], inhabitants, *record[8:]])
    path = tmp_path / "kwb-2023.xlsx"
    workbook.save(path)
    outcome = run_import(path, db_file, None, "tester")
    assert (outcome.new, outcome.skipped) == (4, {"CBS: geheim (x)": 1})
    assert any("1 titelregel(s) boven de tabel overgeslagen" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT area_code, inhabitants FROM population WHERE year = 2023 AND NOT is_demo "
        "AND area_code LIKE '%0505%' ORDER BY ALL",
    )
    assert stored == STORED
    assert demo_rows(db_file, "GM0505", 2023) == 0


def test_odata_json_takes_its_year_from_the_table_id_and_keeps_an_equal_real_figure(db_file, tmp_path):
    assert fetch(
        db_file, "SELECT inhabitants, source_id FROM population WHERE area_code = 'GM0505' AND year = 2019"
    ) == [(118654, "cbs-kwb-2019")]
    outcome = run_import(odata_json(tmp_path / "TypedDataSet.json"), db_file, None, "tester")
    assert outcome.kind == "kwb-inwoners-odata"
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 2)  # both gemeente rows equal the stored
    assert outcome.skipped == {"niet-geografische code": 1, "CBS: geen waarde (leeg)": 1}
    assert any("jaar uit de tabel-id in het bestand" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT area_code, inhabitants, source_id FROM population WHERE year = 2019 AND NOT is_demo ORDER BY ALL",
    )
    assert stored == [
        ("BU03880101", 2410, "cbs-kwb"),
        ("BU05050101", 905, "cbs-kwb"),
        ("GM0388", 18507, "cbs-kwb-2019"),  # unchanged: left as it was
        ("GM0505", 118654, "cbs-kwb-2019"),
        ("WK050501", 9043, "cbs-kwb"),
    ]
    assert demo_rows(db_file, "GM0505", 2019) == demo_rows(db_file, "GM0388", 2019) == 0


def test_odata_csv_of_2013_maps_columns_by_their_stem(db_file, tmp_path):
    # 82339NED (2013): the key is RegioS and the inhabitants column AantalInwoners_4.
    header = ["ID", "RegioS", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "AantalInwoners_4", "Mannen_5"]
    lines = [";".join(f'"{h}"' for h in header)]
    for i, row in enumerate(
        [("GM0505", "Gemeente", "118000"), ("BU05050101", "Buurt", "880"), ("BU05050102", "Buurt", "")]
    ):
        code, soort, inhabitants = row
        lines.append(f'{i};"{code:<10}";"{"Dordrecht":<40}";"{soort:<10}";"{code:<10}";{inhabitants};')
    path = tmp_path / "82339NED_TypedDataSet.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == "kwb-inwoners-odata"
    assert (outcome.new, outcome.skipped) == (2, {"CBS: geen waarde (leeg)": 1})
    assert fetch(
        db_file, "SELECT area_code, inhabitants FROM population WHERE year = 2013 AND NOT is_demo ORDER BY ALL"
    ) == [("BU05050101", 880), ("GM0505", 118000)]


def test_an_older_edition_with_gwb_code_and_dutch_thousands_and_the_year_given(db_file, tmp_path):
    header = ["gwb_code", "regio", "gm_naam", "recs", "a_inw"]
    lines = [
        ";".join(header),
        "GM0505;Dordrecht;Dordrecht;Gemeente;118.450",
        "BU05050101;Groenmarkt;Dordrecht;Buurt;1.005",
    ]
    path = tmp_path / "kerncijfers-wijken-buurten.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    outcome = run_import(path, db_file, None, "tester", options={"year": "2018"})
    assert outcome.new == 2
    assert any("opgegeven jaar" in note for note in outcome.notes)
    assert fetch(
        db_file, "SELECT area_code, inhabitants FROM population WHERE year = 2018 AND NOT is_demo ORDER BY ALL"
    ) == [("BU05050101", 1005), ("GM0505", 118450)]


def test_a_year_given_wins_over_the_file_name_with_a_note(db_file, tmp_path):
    outcome = run_import(kwb_csv(tmp_path / "kwb-2024.csv"), db_file, None, "tester", options={"year": "2023"})
    assert any("let op: het bestand noemt 2024" in note for note in outcome.notes)
    assert fetch(db_file, "SELECT count(*) FROM population WHERE year = 2023 AND source_id = 'cbs-kwb'") == [(4,)]


def _replace(rows_: list[tuple], code: str, value: str) -> list[tuple]:
    return [(*row[:4], value) if row[0] == code else row for row in rows_]


@pytest.mark.parametrize(
    ("name", "content", "options", "message"),
    [
        (
            "kwb-2024.csv",
            [*SHEET_ROWS, ("BU05059999", "Nergens", "Dordrecht", "Buurt", "10")],
            None,
            "kwb-2024.csv, row 10, column 'gwb_code_10': onbekende buurtcode 'BU05059999' (niet in de geladen "
            "grenzen; grenzen van 2024 eerst laden)",
        ),
        (
            "kwb-2024.csv",
            _replace(SHEET_ROWS, "BU05050102", "veel"),
            None,
            "kwb-2024.csv, row 6, column 'a_inw': 'veel' is geen aantal inwoners",
        ),
        (
            "kwb-2024.csv",
            _replace(SHEET_ROWS, "WK050501", "-5"),
            None,
            "kwb-2024.csv, row 4, column 'a_inw': '-5' is geen geheel aantal inwoners van 0 of meer",
        ),
        (
            "kwb-2024.csv",
            [*SHEET_ROWS, SHEET_ROWS[3]],
            None,
            "kwb-2024.csv, row 10, column 'gwb_code_10': gebiedscode 'BU05050101' komt twee keer voor",
        ),
        (
            "kwb-2024.csv",
            [*SHEET_ROWS, ("XX123", "Onzin", "Dordrecht", "Buurt", "10")],
            None,
            "kwb-2024.csv, row 10, column 'gwb_code_10': 'XX123' is geen gebiedscode",
        ),
        ("kerncijfers.csv", SHEET_ROWS, None, "kerncijfers.csv: het jaar van de cijfers is onbekend"),
        ("kwb-2024.csv", SHEET_ROWS, {"year": "twintig"}, "kwb-2024.csv: jaar 'twintig' is geen jaartal"),
        (
            "kwb-2024.csv",
            "wrong columns",
            None,
            "kwb-2024.csv, row 1, column 'a_inw': kolom(men) a_inw ontbreken: dit is geen Kerncijfers wijken",
        ),
        (
            "85984NED.json",
            "odata without inhabitants",
            None,
            "85984NED.json, row 1, column 'AantalInwoners_N': kolom AantalInwoners_N (aantal inwoners) ontbreekt",
        ),
    ],
)
def test_a_bad_file_is_refused_in_dutch_and_changes_nothing(db_file, tmp_path, name, content, options, message):
    path = tmp_path / name
    if content == "wrong columns":
        kwb_csv(path, header=[h if h != "a_inw" else "inwoners" for h in SHEET_HEADER])
    elif content == "odata without inhabitants":
        odata_json(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data["value"]:
            del record["AantalInwoners_5"]
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        kwb_csv(path, content)
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester", options=options)
    assert message in str(error.value)
    assert str(error.value).startswith(name)
    assert state(db_file) == before


def test_command_line_takes_the_year(db_file, tmp_path, capsys):
    path = kwb_csv(tmp_path / "kerncijfers.csv")
    kept = tmp_path / "data"
    assert main(["import", str(path), "--db", str(db_file), "--data-dir", str(kept)]) == 1
    assert "kerncijfers.csv: het jaar van de cijfers is onbekend" in capsys.readouterr().err
    assert main(["import", str(path), "--db", str(db_file), "--data-dir", str(kept), "--year", "2022"]) == 0
    assert "4 nieuw" in capsys.readouterr().out
    assert "year=2022" in (kept / "imports" / "manifest.csv").read_text(encoding="utf-8")
    assert fetch(db_file, "SELECT count(*) FROM population WHERE year = 2022 AND source_id = 'cbs-kwb'") == [(4,)]


def test_kaart_with_a_buurt_whose_inhabitants_cbs_hides(db_file, tmp_path, monkeypatch):
    """A KWB file for every area of Dordrecht with one buurt hidden: the map shows no rate there."""
    areas = fetch(db_file, "SELECT area_code, area_level, display_name FROM areas WHERE gemeente_code = 'GM0505'")
    hidden = "BU05050104"
    kwb_rows = [
        (code, name, "Dordrecht", level.capitalize(), "." if code == hidden else str(400 + 37 * i))
        for i, (code, level, name) in enumerate(sorted(areas))
    ]
    outcome = run_import(kwb_csv(tmp_path / "kwb-2024.csv", kwb_rows), db_file, None, "tester")
    assert outcome.new == len(areas) - 1 and outcome.skipped == {"CBS: waarde ontbreekt (.)": 1}
    monkeypatch.setenv("IVP_DB", str(db_file))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in {"niveau": "buurt", "maat": "per_1000", "selectie": hidden}.items():
        app.query_params[key] = value
    at = app.run()
    at.selectbox(key="jaar").set_value(2024).run()
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception
    assert at.radio(key="kaart_maat").value == "per_1000"
    assert at.subheader[0].value == "Kalkhaven"  # the hidden buurt, selected
    assert any("geen rangorde" in m.value for m in at.markdown)
    table = at.dataframe[0].value.set_index("Code")
    assert len(table) == sum(level == "buurt" for _, level, _ in areas)
    assert pd.isna(table.loc[hidden, "Inwoners"]) and pd.isna(table.loc[hidden, "Per 1.000 inwoners"])
    note = "per 1.000 inwoners en index niet getoond: inwonertal onbekend (CBS: geheim of ontbrekend)"
    assert table.loc[hidden, "Opmerking"] == note  # grey, with why
    stored = dict(kwb_rows[i][::4] for i in range(len(kwb_rows)))
    assert table.loc["BU05050101", "Inwoners"] == int(stored["BU05050101"])
