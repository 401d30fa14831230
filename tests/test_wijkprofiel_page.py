"""The Wijkprofiel after imports: measures from the measure template in the list of measures and
as markers in the trend chart (for the buurt, its wijk and its area groups), the resident survey
from the survey template, and provisional or incomplete years labelled in the key figures."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import links
from ivpdata import periods, queries, trends
from ivpdata.config import PROJECT_ROOT
from ivpdata.db import summarise_months
from ivpdata.importing import run_import
from tests.support.dbstate import one_row

TIMEOUT = 90
MEASURE_HEADER = "gemeente;maatregel;omschrijving;begindatum;einddatum;aantal;buurt_of_wijk;toelichting"
SURVEY_HEADER = "gebiedscode;jaar;vraag;waarde;eenheid;respondenten;marge"


def template_file(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def import_closure(db_file: Path, tmp_path: Path, area: str, label: str) -> None:
    rows = [f"GM0505;sluiting-softdrugs;{label};1-3-2024;31-03-2024;1;{area};Opiumwet art. 13b"]
    run_import(template_file(tmp_path / f"{area}.csv", MEASURE_HEADER, rows), db_file, None, "tester")


@pytest.fixture
def app(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(db_file))
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)


def profile(app: AppTest, gebied: str) -> AppTest:
    app.query_params["gebied"] = gebied
    at = app.run().switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not at.exception
    return at


def markers(at: AppTest) -> pd.DataFrame:
    """The measure markers the trend chart draws (the dataset with a column Maatregel)."""
    chart = at.get("vega_lite_chart")[0]
    assert json.loads(chart.proto.spec)["title"]["text"].endswith("per 1.000 inwoners per jaar")
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    found = [frame for frame in frames if "Maatregel" in frame]
    return found[0] if found else pd.DataFrame(columns=["Datum", "Maatregel"])


def measure_lines(at: AppTest) -> list[str]:
    """The measures listed, as a reader sees them (the escapes that keep imported text as text resolved)."""
    return [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("- ")]


def test_an_imported_measure_is_listed_and_marked_for_its_buurt_and_its_wijk(app, db_file, tmp_path):
    import_closure(db_file, tmp_path, "BU05050101", "Sluiting pand Voorstraat")
    for gebied in ("BU05050101", "WK050501"):  # the buurt, and the wijk Binnenstad it lies in
        at = profile(app, gebied)
        lines = [line for line in measure_lines(at) if "Sluiting pand Voorstraat" in line]
        assert len(lines) == 1, gebied
        assert "1 maart 2024 t/m 31 maart 2024" in lines[0] and "Opiumwet art. 13b" in lines[0]
        assert "Eigen registratie van de gemeente" in lines[0]
        shown = markers(at)
        assert shown[shown["Maatregel"] == "Sluiting pand Voorstraat"]["Datum"].tolist() == [pd.Timestamp("2024-03-01")]
    at = profile(app, "WK050507")  # Wielwijk, another wijk: not there
    assert not any("Sluiting pand Voorstraat" in line for line in measure_lines(at))
    assert "Sluiting pand Voorstraat" not in set(markers(at)["Maatregel"])


def test_imported_measures_count_for_the_area_groups_containing_them(db_file, tmp_path):
    with duckdb.connect(str(db_file), read_only=True) as con:
        krispijn = one_row(con, "SELECT min(area_code) FROM areas WHERE parent_code = 'WK050503'")[0]
    import_closure(db_file, tmp_path, "BU05050205", "Sluiting Kasperspad")  # a buurt of the group Kromhout
    import_closure(db_file, tmp_path, krispijn, "Sluiting Krispijn")  # a buurt of a wijk of Dordt-West
    with duckdb.connect(str(db_file), read_only=True) as con:
        notes = {code: queries.target_notes(con, code) for code in ("kromhout", "dordt-west", "WK050503", "WK050507")}
    texts = {code: set(frame["text"]) for code, frame in notes.items()}
    assert "Sluiting Kasperspad" in texts["kromhout"] and "Sluiting Kasperspad" not in texts["dordt-west"]
    assert "Sluiting Krispijn" in texts["dordt-west"] and "Sluiting Krispijn" in texts["WK050503"]
    assert not {"Sluiting Kasperspad", "Sluiting Krispijn"} & texts["WK050507"]
    assert "Kromhout en omgeving" not in texts["kromhout"]  # the documents' own note stays beside it
    assert (
        trends.measure_markers({"kromhout": notes["kromhout"]})["Maatregel"].tolist().count("Sluiting Kasperspad") == 1
    )  # the Trends page's markers read the same columns


def test_the_profile_shows_the_imported_resident_survey_of_its_area(app, db_file, tmp_path):
    rows = [
        "WK050507;2022;Voelt zich veilig in de buurt;68,5;procent;1.090;4,5",
        "WK050507;2024;Voelt zich veilig in de buurt;71;procent;980;4,8",
        "BU05050101;2024;Voelt zich veilig in de buurt;77;procent;;",
    ]
    run_import(template_file(tmp_path / "enquete.csv", SURVEY_HEADER, rows), db_file, None, "tester")
    at = profile(app, "WK050507")
    survey = at.dataframe[-1].value
    assert list(survey.columns) == ["Jaar", "Vraag", "Waarde", "Eenheid", "Respondenten", "Marge (±)", "Bron"]
    assert survey[["Jaar", "Waarde", "Respondenten", "Marge (±)"]].values.tolist() == [
        ["2024", 71.0, 980, 4.8],
        ["2022", 68.5, 1090, 4.5],
    ]  # newest first
    assert not any(c.value.startswith("Geen resultaten van een bewonersonderzoek") for c in at.caption)
    printed = "Afgedrukt zonder de tabel: 2 resultaten over 1 vraag uit 2022 en 2024; de tabel staat op het scherm"
    assert any(c.value.startswith(printed) for c in at.caption)  # what a print says instead of the table
    at.selectbox(key="profiel_gebied").set_value("BU05050101").run()
    assert not at.exception
    survey = at.dataframe[-1].value
    assert list(survey.columns) == ["Jaar", "Vraag", "Waarde", "Eenheid", "Bron"]  # none given: no empty columns
    assert survey[["Jaar", "Waarde"]].values.tolist() == [["2024", 77.0]]
    at.selectbox(key="profiel_gebied").set_value("BU05050509").run()  # a buurt without results
    assert any(c.value.startswith("Geen resultaten van een bewonersonderzoek") for c in at.caption)
    assert all("Vraag" not in frame.value for frame in at.dataframe)  # no survey table


def test_a_provisional_year_is_labelled_in_the_key_figures(app):
    at = profile(app, "WK050507")  # 2025, the default year, has provisional months
    figures = at.table[0].value
    assert [c for c in figures.columns if c.startswith("Aantal")] == ["Aantal 2025 (voorlopig)", "Aantal 2024"]
    assert any("2025 is voorlopig" in c.value for c in at.caption)
    at.selectbox(key="jaar").set_value(2024).run()
    assert not at.exception
    figures = at.table[0].value
    assert [c for c in figures.columns if c.startswith("Aantal")] == ["Aantal 2024", "Aantal 2023"]
    assert not any("voorlopig" in c.value for c in at.caption)


def test_an_incomplete_year_says_how_far_it_goes(app, db_file):
    with duckdb.connect(str(db_file)) as con:  # figures up to June 2025 only
        con.execute("DELETE FROM incident_counts WHERE year = 2025 AND month > 6")
        summarise_months(con)  # as every writer of incident_counts does
    app.query_params["jaar"] = "2025"
    at = profile(app, "WK050507")
    assert at.selectbox(key="jaar").value == 2025
    figures = at.table[0].value
    now, earlier = "Aantal 2025 (voorlopig, t/m juni 2025)", "Aantal 2024 (jan 2024 - jun 2024)"
    assert [c for c in figures.columns if c.startswith("Aantal")] == [now, earlier]
    assert any(
        "2025 is nog niet compleet (t/m juni 2025): vergeleken met dezelfde maanden van 2024" in c.value
        for c in at.caption
    )
    with duckdb.connect(str(db_file), read_only=True) as con:  # the same months a year earlier, not all of 2024
        first_half, whole = one_row(
            con,
            "SELECT sum(incident_count) FILTER (WHERE month <= 6), sum(incident_count) FROM incident_counts AS c "
            "JOIN areas AS a USING (area_code) JOIN incident_categories AS k USING (category_code) "
            "WHERE c.year = 2024 AND a.parent_code = 'WK050507' AND k.kind = 'misdrijf'",
        )
    row = figures.set_index("Onderwerp").loc["Alle misdrijven"]
    assert int(row[earlier]) == first_half < whole


KAART_PERIOD = (dt.date(2024, 7, 1), dt.date(2025, 6, 1))  # a Kaart period that is no calendar year
WONINGINBRAAK = "1.1.1"  # the category option "Diefstal/inbraak woning"


def from_the_kaart(app: AppTest, area: str, public: bool = False) -> AppTest:
    """The Wijkprofiel opened with the link the Kaart gives for a selected area (its category and period)."""
    context = links.case_context("GM0505", 2025, public, False)
    profile_link, _ = links.area_links(area, WONINGINBRAAK, "per_1000", KAART_PERIOD, context, yearly=public)
    for param, value in profile_link.items():
        app.query_params[param] = value
    at = app.run().switch_page("dashboard/pages/wijkprofiel.py").run()
    assert not at.exception
    return at


def subjects(figures: pd.DataFrame) -> list[str]:
    """The key figures' subjects as a reader sees them (the static table escapes Markdown)."""
    return [re.sub(r"\\(.)", r"\1", text) for text in figures["Onderwerp"]]


def months_count(db_file: Path, area: str, codes: tuple[str, ...], period: tuple[dt.date, dt.date]) -> int:
    with duckdb.connect(str(db_file), read_only=True) as con:
        counts = queries.target_month_counts(con, "GM0505", (area,), codes)
    months = pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1})
    return int(counts.loc[months.between(*map(pd.Timestamp, period)), "incident_count"].sum())


def test_a_link_from_the_kaart_shows_its_category_and_period(app, db_file):
    at = from_the_kaart(app, "WK050507")
    shown = "jul 2024 - jun 2025"
    assert any(f"{shown} vergeleken met jul 2023 - jun 2024" in c.value for c in at.caption)  # under the title
    figures = at.table[0].value
    counts = [c for c in figures.columns if c.startswith("Aantal")]
    assert counts == [f"Aantal {shown}", "Aantal jul 2023 - jun 2024"]  # its months are not provisional
    first = figures.iloc[0]
    assert subjects(figures) == [  # the chosen category first, and said in words
        "Diefstal/inbraak woning (gekozen)",
        "Alle misdrijven",
        "High impact crime",
        "Overlast",
    ]
    assert int(first[counts[0]]) == months_count(db_file, "WK050507", (WONINGINBRAAK,), KAART_PERIOD)
    earlier = (dt.date(2023, 7, 1), dt.date(2024, 6, 1))
    assert int(first[counts[1]]) == months_count(db_file, "WK050507", (WONINGINBRAAK,), earlier)
    assert any(s.value == f"Kerncijfers tegen de stad, {shown}" for s in at.subheader)
    chart = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert chart["title"]["text"] == "Diefstal/inbraak woning per 1.000 inwoners per jaar"
    rank = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("**Rang")]
    assert rank[0].startswith("**Rang onder de wijken** (diefstal/inbraak woning): ")
    at.button(key="profiel_heel_jaar").click().run()  # back to the calendar year, the category stays
    assert not at.exception
    figures = at.table[0].value
    assert [c for c in figures.columns if c.startswith("Aantal")] == ["Aantal 2025 (voorlopig)", "Aantal 2024"]
    assert subjects(figures)[0] == "Diefstal/inbraak woning (gekozen)"


def test_the_public_view_refuses_a_linked_period_that_is_no_calendar_year(app):
    at = from_the_kaart(app, "WK050507", public=True)
    assert [i.value for i in at.info] == [periods.public_note("2024-07..2025-06", periods.calendar_year(2025))]
    figures = at.table[0].value
    assert [c for c in figures.columns if c.startswith("Aantal")] == ["Aantal 2025 (voorlopig)", "Aantal 2024"]
    texts = [c.value for c in at.caption] + [s.value for s in at.subheader] + list(figures.columns)
    assert not any("jul 2024" in text or "jun 2025" in text for text in texts)  # the asked period is never shown
    assert any("2025 vergeleken met 2024" in c.value for c in at.caption)
    assert subjects(figures)[0] == "Diefstal/inbraak woning (gekozen)"
    # the city's rate of all crimes leaves the sensitive categories out, as the wijk's does: said
    # in the row, since the Overzicht's card of the same city counts them (64,1 against 63,7)
    assert "Alle misdrijven (zonder zedenmisdrijf en huiselijk geweld)" in subjects(figures)


def test_the_public_key_figures_align_their_figures_right(app):
    """A public buurt's key figures with hidden cells ('x', '< 5': text): every column of figures
    is aligned right, as the numbers among them are; the subjects stay left."""
    app.query_params.update({"jaar": "2024", "openbaar": "ja"})
    at = profile(app, "BU05050900")
    table = at.table[0]
    figures = table.value
    hidden = [i for i, c in enumerate(figures.columns) if figures[c].isin(["x"]).any() and c.startswith("Aantal")]
    assert hidden, "this buurt has hidden counts in 2024"
    styles = table.proto.arrow_data.styler.styles
    right = {int(col) for col in re.findall(r"_row\d+_col(\d+)", styles.split("text-align: right")[0])}
    assert set(hidden) <= right and 0 not in right, styles
