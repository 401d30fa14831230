"""Building the default database: schema, counts, atomic replacement, clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from ivpdata.validate import DataError

PUBLIC_VIEWS = {
    "incidents_city_year": [
        "gemeente_code",
        "year",
        "category_code",
        "category_name",
        "incident_count",
        "is_demo",
    ],
    "incidents_area_month": [
        "gemeente_code",
        "area_code",
        "area_level",
        "year",
        "month",
        "category_code",
        "category_name",
        "incident_count",
        "is_demo",
    ],
    "measures_city_year": [
        "gemeente_code",
        "year",
        "measure_code",
        "measure_name",
        "value",
        "unit",
        "priority_code",
        "source",
    ],
}


def test_real_boundaries_are_loaded(db):
    counts = dict(db.execute("SELECT gemeente_code || ' ' || area_level, count(*) FROM areas GROUP BY ALL").fetchall())
    assert counts == {
        "GM0505 gemeente": 1,
        "GM0505 wijk": 13,
        "GM0505 buurt": 132,
        "GM0388 gemeente": 1,
        "GM0388 wijk": 5,
        "GM0388 buurt": 19,
    }
    # Every buurt hangs under a wijk of its own gemeente; the self-intersecting buurt is repaired.
    orphans = db.execute(
        "SELECT count(*) FROM areas b LEFT JOIN areas w ON b.parent_code = w.area_code "
        "WHERE b.area_level = 'buurt' AND (w.area_code IS NULL OR w.gemeente_code <> b.gemeente_code)"
    ).fetchone()[0]
    assert orphans == 0
    area = db.execute("SELECT area_km2 FROM areas WHERE area_code = 'BU05051104'").fetchone()[0]
    assert area > 0


def test_dordrecht_is_the_default(db):
    assert db.execute("SELECT gemeente_code FROM municipalities WHERE is_default").fetchall() == [("GM0505",)]


@pytest.mark.parametrize("view", PUBLIC_VIEWS)
def test_public_views_have_documented_columns(db, view):
    columns = [row[0] for row in db.execute(f"DESCRIBE {view}").fetchall()]
    assert columns[: len(PUBLIC_VIEWS[view])] == PUBLIC_VIEWS[view]


def test_real_population_as_published(db):
    rows = dict(
        db.execute("SELECT area_code, inhabitants FROM population WHERE year = 2019 AND NOT is_demo").fetchall()
    )
    assert rows == {"GM0505": 118654, "GM0388": 18507}


def test_measures_from_the_factsheet_per_year(db):
    lod = db.execute(
        "SELECT value FROM measures_city_year WHERE gemeente_code = 'GM0505' AND year = 2020 "
        "AND measure_code = 'lod-straathandel-drugs'"
    ).fetchone()
    assert lod == (38.0,)


def test_failed_build_leaves_previous_database_untouched(tmp_path: Path, db_file: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    target = db_file  # the previous database: a copy of the run's build of data/ (as good as building it here)
    before = target.read_bytes()

    categories = data / "categories.csv"
    lines = categories.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",misdrijf,", ",misdaad,")  # row 4 of the file
    categories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        build(data, target)
    assert "data/categories.csv, row 4, column 'kind': unknown value 'misdaad'" in str(error.value)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob("ivp.duckdb.tmp-*"))


def test_build_writes_nothing_when_a_file_is_not_utf8(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    themes = data / "themes.csv"
    themes.write_bytes(themes.read_text(encoding="utf-8").replace("Vermogens", "Vérmogens").encode("cp1252"))
    target = tmp_path / "ivp.duckdb"
    with pytest.raises(DataError) as error:
        build(data, target)
    assert "data/themes.csv, row 4: not valid UTF-8 (byte 0xe9)" in str(error.value)
    assert not target.exists()


def test_build_command_reports_problems(tmp_path: Path, capsys):
    from ivpdata.__main__ import main

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    (data / "area_groups.csv").write_text(
        "group_code,gemeente_code,name,member_codes,source_id,note\nx,GM0505,X,BU99999999,,\n", encoding="utf-8"
    )
    assert main(["build", "--data-dir", str(data), "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "left unchanged" in err
    assert "data/area_groups.csv, row 2, column 'member_codes': unknown area code 'BU99999999'" in err


def test_database_file_opens_read_only(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM areas")
    con.close()
