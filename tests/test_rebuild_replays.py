"""A rebuild replays what the app kept in the data folder: the imports under data/imports (police
counts, free text in names and options, the templates, KWB population, in their order) and the
presentations' mirror file.

A build of data/ takes seconds, so the imports of all these tests go into one copy of the database
and one data folder, which is rebuilt once; each test compares its own part of the rebuilt
database with the database the imports went into. (Moved here from test_importing.py,
test_import_templates.py, test_import_population.py and test_presentations.py.)"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from ivpdata.importing import run_import
from ivpdata.importing.kept import manifest_entries
from ivpdata.importing.templates import INDICATOR_VALUES, MEASURES, SURVEY
from tests.support.dbstate import fetch
from tests.test_import_population import kwb_csv, odata_json
from tests.test_import_templates import MEASURE_ROWS, STORED_SURVEY, SURVEY_ROWS, filled_csv, filled_xlsx
from tests.test_importing import police_csv
from tests.test_presentations import KAART, TRENDS, _new, _titles

FREE_BY = 'Jan, "de Boer"; afd. Veiligheid'
FREE_NAME = 'misdrijven, "maart".csv'
CLOSURES = [
    {
        "gemeente": "GM0505",
        "maatregel": "sluiting-softdrugs",
        "begindatum": "01-01-2020",
        "einddatum": "31-12-2020",
        "aantal": "11",
    },
    *MEASURE_ROWS,
]


@dataclass(frozen=True)
class Replayed:
    imported: Path  # the database the imports went into
    rebuilt: Path  # built afterwards from the data folder alone
    data: Path
    presentation_id: int


@pytest.fixture(scope="module")
def replayed(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    folder = tmp_path_factory.mktemp("replay")
    imported = folder / "ivp.duckdb"
    shutil.copyfile(built_db, imported)
    data = folder / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    run_import(police_csv(folder / "47022NED.csv"), imported, None, "tester", data_dir=data)
    free_text = police_csv(folder / FREE_NAME)
    run_import(free_text, imported, None, FREE_BY, data_dir=data, options={"year": "2024;x=1&y"})
    run_import(filled_csv(folder / "maatregelen.csv", MEASURES, CLOSURES), imported, None, "tester", data_dir=data)
    values = filled_xlsx(
        folder / "indicatoren.xlsx",
        INDICATOR_VALUES,
        [{"indicator": "ivp23-jongeren-bereikt", "jaar": 2025, "waarde": 1130}],
    )
    run_import(values, imported, None, "tester", data_dir=data)
    run_import(filled_csv(folder / "enquete.csv", SURVEY, SURVEY_ROWS), imported, None, "tester", data_dir=data)
    run_import(odata_json(folder / "TypedDataSet.json"), imported, None, "tester", data_dir=data)
    kwb = kwb_csv(folder / "kerncijfers.csv")
    run_import(kwb, imported, None, "tester", data_dir=data, options={"year": "2022"})
    presentation_id = _new(imported, data, "Raad december", KAART, TRENDS)
    rebuilt = folder / "rebuilt.duckdb"
    build(data, rebuilt)
    return Replayed(imported, rebuilt, data, presentation_id)


def _same(replayed: Replayed, query: str) -> list[tuple]:
    """The rows of `query` in the rebuilt database, which equal those in the imported one."""
    rows = fetch(replayed.rebuilt, query)
    assert rows == fetch(replayed.imported, query)
    return rows


LOADS = "SELECT file_name, loaded_by, kind FROM load_history ORDER BY loaded_at"


def test_a_rebuild_replays_the_kept_imports(replayed):
    query = (
        "SELECT area_code, month, category_code, incident_count, is_demo FROM incident_counts WHERE year = 2024 "
        "AND source_id = 'cbs-47022ned' ORDER BY ALL"
    )
    assert _same(replayed, query) != []
    loads = _same(replayed, LOADS)  # every kept import replayed once, in its order
    assert len(loads) == 7 and loads[0] == ("47022NED.csv", "tester", loads[0][2])


def test_free_text_in_names_survives_the_manifest_and_a_rebuild(replayed):
    assert [(name, by) for name, by, _ in _same(replayed, LOADS)][1] == (FREE_NAME, FREE_BY)
    query = "SELECT area_code, month, incident_count FROM incident_counts WHERE source_id = 'cbs-47022ned' ORDER BY ALL"
    assert _same(replayed, query) != []
    entries = manifest_entries(replayed.data / "imports" / "manifest.csv")
    assert [entry["options"] for entry in entries if entry["file_name"] == FREE_NAME] == ["year=2024%3Bx%3D1%26y"]


def test_a_rebuild_replays_the_kept_template_imports(replayed):
    for query in (
        "SELECT * EXCLUDE (figure_id) FROM measures ORDER BY measure_id",
        "SELECT * FROM indicator_values ORDER BY ALL",
        STORED_SURVEY,
    ):
        _same(replayed, query)
    rebuilt = replayed.rebuilt
    assert fetch(rebuilt, "SELECT count(*) FROM measures WHERE measure_id = 'd003-sluiting-softdrugs-2020'") == [(0,)]
    assert fetch(rebuilt, "SELECT count(*) FROM survey_results") == [(3,)]


def test_a_rebuild_replays_kwb_imports_with_their_year(replayed):
    _same(replayed, "SELECT area_code, year, inhabitants, source_id FROM population WHERE NOT is_demo ORDER BY ALL")
    assert fetch(replayed.rebuilt, "SELECT count(*) FROM population WHERE source_id = 'cbs-kwb'") == [(7,)]
    kinds = [kind for _, _, kind in _same(replayed, LOADS) if kind.startswith("kwb-")]
    assert kinds == ["kwb-inwoners-odata", "kwb-inwoners"]


def test_build_restores_presentations_from_the_mirror_file(replayed):
    assert _titles(replayed.rebuilt) == _titles(replayed.imported) != []
    assert fetch(replayed.rebuilt, "SELECT presentation_id FROM presentations WHERE name = 'Raad december'") == [
        (replayed.presentation_id,)
    ]
