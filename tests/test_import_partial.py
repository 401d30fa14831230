"""Imports that cover part of a gemeente: a police file for 2 of Dordrecht's 132 buurten replaces
the demo figures of exactly the buurten, months and categories it holds; every other buurt keeps
its figures (missing is never silently zero), and the preview says so in Dutch before anyone
confirms. The same for nuisance (47024NED) and the gemeente's own incidents."""

from __future__ import annotations

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ivpdata.config import PROJECT_ROOT
from ivpdata.importing import outcome_text, run_import
from ivpdata.validate import DataError
from tests.support.dbstate import fetch, state
from tests.test_import_events import write_csv
from tests.test_import_limits import Upload
from tests.test_importing import NUISANCE_HEADER, police_csv, typed_csv

COVERED = ("BU05050101", "BU05050102")  # Groenmarkt en omgeving, Grote Markt en omgeving (wijk WK050501)
FILE_COUNTS = {"BU05050101": [2, 0, 1, 3, 0, 0, 1, 2, 0, 1, 0, 4], "BU05050102": [0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1]}


def two_buurten_rows(counts: dict[str, list[int]] = FILE_COUNTS) -> list[tuple[str, str, str, str]]:
    """Woninginbraak (1.1.1) per month of 2025 for two buurten: 24 rows."""
    return [("1.1.1 ", code, f"2025MM{m:02d}", str(n)) for code, row in counts.items() for m, n in enumerate(row, 1)]


def per_buurt(db, year: int = 2025, category: str = "1.1.1") -> dict[str, tuple[int, int, bool]]:
    """Per Dordrecht buurt: (months stored, sum, any demo) for the year and category."""
    rows = fetch(
        db,
        "SELECT area_code, count(*), sum(incident_count), bool_or(is_demo) FROM incident_counts "
        "WHERE gemeente_code = 'GM0505' AND year = ? AND category_code = ? GROUP BY area_code",
        [year, category],
    )
    return {code: (months, total, demo) for code, months, total, demo in rows}


def city_total(db, year: int = 2025, category: str = "1.1.1") -> int:
    return fetch(
        db,
        "SELECT sum(incident_count) FROM incidents_area_month WHERE area_code = 'GM0505' AND year = ? "
        "AND category_code = ?",
        [year, category],
    )[0][0]


def test_two_buurten_replace_only_their_own_demo_figures(db_file, tmp_path):
    before = per_buurt(db_file)
    total_before = city_total(db_file)
    assert len(before) == 132
    outcome = run_import(police_csv(tmp_path / "47022NED.csv", two_buurten_rows()), db_file, None, "tester")
    assert outcome.demo_replaced == 24  # the demo rows actually replaced, not every demo row of the gemeente
    after = per_buurt(db_file)
    assert len(after) == 132
    others = set(before) - set(COVERED)
    assert {code: after[code] for code in others} == {code: before[code] for code in others}
    assert all(after[code][2] for code in others)  # still demo, and never 0 because the file lacks them
    for code in COVERED:
        assert after[code] == (12, sum(FILE_COUNTS[code]), False)
    stored = fetch(
        db_file,
        "SELECT area_code, month, incident_count, is_demo, source_id FROM incident_counts WHERE year = 2025 "
        "AND category_code = '1.1.1' AND area_code IN ('BU05050101', 'BU05050102') ORDER BY ALL",
    )
    assert stored == [
        (code, m, n, False, "cbs-47022ned") for code, row in FILE_COUNTS.items() for m, n in enumerate(row, 1)
    ]
    contribution = sum(before[code][1] for code in COVERED)
    assert city_total(db_file) == total_before - contribution + sum(map(sum, FILE_COUNTS.values()))
    # other categories and years of the two buurten are untouched demo
    assert per_buurt(db_file, 2024)["BU05050101"][2] is True
    assert per_buurt(db_file, 2025, "1.2.3")["BU05050101"][2] is True


def test_demo_events_of_other_buurten_remain(db_file, tmp_path):
    query = (
        "SELECT buurt_code IN ('BU05050101', 'BU05050102') AS covered, count(*) FROM incident_events "
        "WHERE is_demo AND gemeente_code = 'GM0505' AND category_code = ? AND year(occurred_at) = ? GROUP BY ALL"
    )
    before = dict(fetch(db_file, query, ["1.1.1", 2025]))
    assert before[True] > 0 and before[False] > 0
    run_import(police_csv(tmp_path / "47022NED.csv", two_buurten_rows()), db_file, None, "tester")
    assert dict(fetch(db_file, query, ["1.1.1", 2025])) == {False: before[False]}  # only the two buurten's go
    assert dict(fetch(db_file, query, ["1.1.1", 2024]))[True] > 0  # another year of the same buurten stays


def test_the_preview_says_what_the_file_covers_and_what_keeps_its_figures(db_file, tmp_path):
    rows = [*two_buurten_rows(), ("1.1.1 ", "WK050502  ", "2025MM01", "7")]  # a wijk total: not stored
    path = police_csv(tmp_path / "47022NED.csv", rows)
    before = state(db_file)
    preview = run_import(path, db_file, None, "tester", preview=True)
    assert state(db_file) == before  # said before anyone confirms
    text = " ".join(preview.coverage)
    assert "Het bestand bevat 2 van de 132 buurten van Dordrecht (Groenmarkt en omgeving, Grote Markt en omgeving)" in (
        text
    )
    assert "12 maanden (januari t/m december 2025)" in text
    assert "1 soort misdrijf (Diefstal/inbraak woning)" in text
    assert "vervangen de echte cijfers de demodata (24 rijen)" in text
    assert "De andere 130 buurten en alle andere maanden en soorten houden hun huidige cijfers" in text
    assert "gemarkeerd als 'Gemengd: echt en demo'" in text
    assert "Wijk- en gemeentetotalen in het bestand (1 rij) worden niet opgeslagen" in text
    # after the import the outcome says the same; a second file for the same buurten finds real figures
    done = run_import(path, db_file, None, "tester")
    assert "2 van de 132 buurten van Dordrecht" in outcome_text(done)
    revised = {"BU05050101": [5] * 12, "BU05050102": FILE_COUNTS["BU05050102"]}
    again = run_import(police_csv(tmp_path / "47022NED-2.csv", two_buurten_rows(revised)), db_file, None, "t")
    assert again.demo_replaced == 0
    text = " ".join(again.coverage)
    assert "stonden al echte cijfers: 12 rijen worden bijgewerkt, 12 zijn gelijk" in text
    assert "demodata (" not in text


def test_a_file_with_gaps_and_a_whole_gemeente_are_described_as_they_are(db_file, tmp_path):
    gaps = {"BU05050101": FILE_COUNTS["BU05050101"][:6], "BU05050102": FILE_COUNTS["BU05050102"]}
    outcome = run_import(police_csv(tmp_path / "a.csv", two_buurten_rows(gaps)), db_file, None, "t", preview=True)
    assert outcome.demo_replaced == 18
    text = " ".join(outcome.coverage)
    assert "6 van de 24 combinaties van buurt, maand en soort misdrijf staan niet in het bestand" in text
    one_gap = {"BU05050101": FILE_COUNTS["BU05050101"][:11], "BU05050102": FILE_COUNTS["BU05050102"]}
    single = run_import(police_csv(tmp_path / "b.csv", two_buurten_rows(one_gap)), db_file, None, "t", preview=True)
    said = "1 van de 24 combinaties van buurt, maand en soort misdrijf staat niet in het bestand en houdt haar"
    assert said in " ".join(single.coverage)  # 'staan' and 'houden' after '1 van de' read wrong
    buurten = [
        r[0]
        for r in fetch(
            db_file, "SELECT area_code FROM areas WHERE gemeente_code = 'GM0505' AND area_level = 'buurt' ORDER BY 1"
        )
    ]
    rows = [("1.1.1 ", code, "2025MM03", "1") for code in buurten[:-2]]
    text = " ".join(run_import(police_csv(tmp_path / "b.csv", rows), db_file, None, "t", preview=True).coverage)
    assert "130 van de 132 buurten van Dordrecht" in text
    assert "1 maand (maart 2025)" in text
    names = dict(fetch(db_file, "SELECT area_code, display_name FROM areas WHERE area_code IN (?, ?)", buurten[-2:]))
    assert f"De andere 2 buurten ({names[buurten[-2]]}, {names[buurten[-1]]})" in text  # few: named


def test_nuisance_replaces_only_the_buurt_it_holds(db_file, tmp_path):
    before = per_buurt(db_file, 2024, "OVL-JGD")
    rows = [("OVL-JGD", "BU05050101", f"2024MM{m:02d}", "1") for m in range(1, 4)]
    outcome = run_import(typed_csv(tmp_path / "47024NED.csv", NUISANCE_HEADER, rows), db_file, None, "tester")
    assert outcome.demo_replaced == 3
    after = per_buurt(db_file, 2024, "OVL-JGD")
    assert {k: v for k, v in after.items() if k != "BU05050101"} == {
        k: v for k, v in before.items() if k != "BU05050101"
    }
    assert "1 soort overlast (Melding overlast jeugd)" in " ".join(outcome.coverage)


def test_own_incidents_replace_demo_events_of_their_buurt_only(db_file, tmp_path):
    query = (
        "SELECT buurt_code, count(*) FROM incident_events WHERE is_demo AND category_code = 'OVL-JGD' "
        "AND occurred_at >= '2024-03-01' AND occurred_at < '2024-04-01' GROUP BY ALL"
    )
    before = dict(fetch(db_file, query))
    assert before.get("BU05050101", 0) > 0 and len(before) > 1
    lines = [["01-03-2024", "OVL-JGD", "BU05050101"], ["05-03-2024", "OVL-JGD", "BU05050101"]]
    path = write_csv(tmp_path / "jeugdoverlast.csv", ["datum", "categorie", "buurtcode"], lines)
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.demo_replaced == before["BU05050101"]
    assert dict(fetch(db_file, query)) == {k: v for k, v in before.items() if k != "BU05050101"}
    text = " ".join(outcome.coverage)
    assert "Het bestand bevat incidenten in 1 van de 132 buurten van Dordrecht (Groenmarkt en omgeving)" in text
    assert "1 maand (maart 2024)" in text and "1 categorie (Melding overlast jeugd)" in text
    assert "De andere 131 buurten en alle andere maanden en categorieën houden hun huidige incidenten" in text


def test_the_data_page_shows_the_coverage_before_confirming(db_file, tmp_path, monkeypatch):
    monkeypatch.setenv("IVP_DB", str(db_file))
    monkeypatch.setenv("IVP_DATA_DIR", str(tmp_path / "data"))
    raw = police_csv(tmp_path / "47022NED.csv", two_buurten_rows()).read_bytes()
    monkeypatch.setattr(streamlit, "file_uploader", lambda *args, **kwargs: Upload("47022NED.csv", raw))
    before = state(db_file)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("dashboard/pages/data.py").run()
    assert not at.exception
    assert "Voorbeeld: wat er verandert" in [header.value for header in at.subheader]
    shown = " ".join(info.value for info in at.info).replace("\\", "")
    assert "Het bestand bevat 2 van de 132 buurten van Dordrecht" in shown
    assert "De andere 130 buurten en alle andere maanden en soorten houden hun huidige cijfers" in shown
    assert {m.label: m.value for m in at.metric}["Demo vervangen"] == "24"
    assert state(db_file) == before


def test_a_bad_partial_file_still_changes_nothing(db_file, tmp_path):
    rows = [*two_buurten_rows(), ("1.1.1 ", "BU05050102", "2025MM13", "1")]
    before = state(db_file)
    with pytest.raises(DataError, match=r"47022NED\.csv, row 26, column 'Perioden': '2025MM13': maand buiten 1-12"):
        run_import(police_csv(tmp_path / "47022NED.csv", rows), db_file, None, "tester")
    assert state(db_file) == before
