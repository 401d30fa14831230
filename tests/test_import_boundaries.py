"""Boundary imports (CBS Wijk- en buurtkaart): GeoPackage with several layers, zipped shapefile
with the older attribute names, GeoJSON in RD New and WGS84, all written here with DuckDB's
spatial extension from the real geometry of Dordrecht buurten in data/geo; every failure path
leaves the database as it was."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import shapely

from ivpdata import spatial
from ivpdata.config import DATA_DIR
from ivpdata.importing import run_import
from ivpdata.importing.boundaries import DISPLAY_TOLERANCE
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, state

GEO = DATA_DIR / "geo"
BUURTEN = ["BU05050100", "BU05050101", "BU05050102", "BU05050103"]  # wijk 01 Binnenstad
WIJK = "WK050501"


@pytest.fixture(scope="module")
def geo() -> Iterator[duckdb.DuckDBPyConnection]:
    """Real Dordrecht geometry in RD New (EPSG:28992), densified to 5 m as the full-precision
    CBS map is (the files in data/geo are generalised): tables buurten, wijken, gemeenten. Made
    once per module (the tests only read it, to write their files)."""
    con = spatial.connect()
    rd = "ST_Transform(geom, 'EPSG:4326', 'EPSG:28992', always_xy := true)"
    con.execute(
        f"CREATE TABLE buurten AS SELECT code, name, wijk_code, gemeente_code, {rd} AS geom "
        f"FROM ST_Read('{GEO / 'dordrecht_buurten_2024.geojson'}') WHERE code IN ({', '.join(map(repr, BUURTEN))})"
    )
    con.execute(
        f"CREATE TABLE wijken AS SELECT code, name, gemeente_code, {rd} AS geom "
        f"FROM ST_Read('{GEO / 'dordrecht_wijken_2024.geojson'}') WHERE code = '{WIJK}'"
    )
    con.execute(
        f"CREATE TABLE gemeenten AS SELECT code, name, {rd} AS geom "
        f"FROM ST_Read('{GEO / 'dordrecht_gemeente_2024.geojson'}')"
    )
    for table in ("buurten", "wijken", "gemeenten"):
        shapes = con.execute(f"SELECT code, ST_AsWKB(geom) AS wkb FROM {table}").df()
        shapes["dense"] = [shapely.to_wkb(shapely.segmentize(shapely.from_wkb(bytes(w)), 5)) for w in shapes["wkb"]]
        con.register("dense", shapes[["code", "dense"]])
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT t.* EXCLUDE (geom), ST_GeomFromWKB(d.dense) AS geom "
            f"FROM {table} AS t JOIN dense AS d USING (code) ORDER BY code"
        )
        con.unregister("dense")
    yield con
    con.close()


def write(con: duckdb.DuckDBPyConnection, sql: str, path: Path, driver: str, srs: str = "EPSG:28992", **opts) -> Path:
    options = "".join(f", {key} '{value}'" for key, value in opts.items())
    con.execute(f"COPY ({sql}) TO '{path}' WITH (FORMAT GDAL, DRIVER '{driver}', SRS '{srs}'{options})")
    return path


def cbs_2020s_layers(year: int) -> dict[str, str]:
    """SQL for the three layers with the attribute names of the 2020s editions. The buurten layer
    also holds a water area and a buurt of another gemeente (as a national file does); the first
    buurt is renamed and BU05050103 gets a new code (a redivision)."""
    jaar = f"'{year}'"
    return {
        "gemeenten": f"""SELECT code AS gemeentecode, name AS gemeentenaam, {jaar} || code AS jaarstatcode,
            'NEE' AS water, geom FROM gemeenten""",
        "wijken": f"""SELECT code AS wijkcode, name AS wijknaam, gemeente_code AS gemeentecode,
            'Dordrecht' AS gemeentenaam, {jaar} || code AS jaarstatcode, 'NEE' AS water, geom FROM wijken""",
        "buurten": f"""SELECT CASE code WHEN 'BU05050103' THEN 'BU05050199' ELSE code END AS buurtcode,
                CASE code WHEN 'BU05050100' THEN 'Nieuwe Haven' ELSE name END AS buurtnaam,
                wijk_code AS wijkcode, gemeente_code AS gemeentecode, 'Dordrecht' AS gemeentenaam,
                {jaar} || CASE code WHEN 'BU05050103' THEN 'BU05050199' ELSE code END AS jaarstatcode,
                'NEE' AS water, geom FROM buurten
            UNION ALL SELECT 'BU05050101', 'Merwede (water)', 'WK050501', 'GM0505', 'Dordrecht',
                {jaar} || 'BU05050101', 'JA', ST_Buffer(geom, -20) FROM buurten WHERE code = 'BU05050101'
            UNION ALL SELECT 'BU03630000', 'Kop van Amsterdam', 'WK036300', 'GM0363', 'Amsterdam',
                {jaar} || 'BU03630000', 'NEE', geom FROM buurten WHERE code = 'BU05050102'""",
    }


def geopackage(con: duckdb.DuckDBPyConnection, path: Path, layers: dict[str, str]) -> Path:
    """One GeoPackage with several layers, as CBS publishes it. GDAL writes one layer per file
    here, so the others are copied in with SQLite (the GeoPackage format is a SQLite database)."""
    for number, (layer, sql) in enumerate(layers.items()):
        part = path if number == 0 else path.with_name(f"{path.stem}-{layer}.gpkg")
        write(con, sql, part, "GPKG", LAYER_NAME=layer, LAYER_CREATION_OPTIONS="SPATIAL_INDEX=NO")
        if number == 0:
            continue
        with sqlite3.connect(path) as db:
            db.execute("ATTACH ? AS part", [str(part)])
            ddl = db.execute("SELECT sql FROM part.sqlite_master WHERE type = 'table' AND name = ?", [layer]).fetchone()
            db.execute(ddl[0])
            db.execute(f'INSERT INTO main."{layer}" SELECT * FROM part."{layer}"')
            for table in ("gpkg_contents", "gpkg_geometry_columns"):
                db.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table} WHERE table_name = ?", [layer])
            db.commit()
            db.execute("DETACH part")
        part.unlink()
    return path


def test_geopackage_in_rd_updates_adds_and_keeps(db_file, tmp_path, geo):
    path = geopackage(geo, tmp_path / "wijkenbuurten_2025_v1.gpkg", cbs_2020s_layers(2025))
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == "cbs-wijk-buurtkaart"
    assert outcome.skipped == {"andere gemeente": 1, "watervlak (water = JA)": 1}
    changes = outcome.changes.set_index(["period", "area_code"])
    assert changes.loc[("2025", WIJK), ["new", "replaced", "unchanged", "skipped"]].tolist() == [1, 4, 0, 1]
    assert changes.loc[("2025", "GM0505"), ["new", "replaced"]].tolist() == [0, 1]
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (1, 5, 0)
    stored = fetch(
        db_file,
        "SELECT area_code, area_level, name, display_name, parent_code, boundary_year, source_id FROM areas "
        "WHERE area_code IN ('BU05050100', 'BU05050199', 'BU05050103', 'WK050501', 'GM0505') ORDER BY area_code",
    )
    assert stored == [
        ("BU05050100", "buurt", "Nieuwe Haven", "Nieuwe Haven", WIJK, 2025, "cbs-wbk-2024"),
        ("BU05050103", "buurt", "Wijnstraat en omgeving", "Wijnstraat en omgeving", WIJK, 2024, "cbs-wbk-2024"),  # kept
        ("BU05050199", "buurt", "Wijnstraat en omgeving", "Wijnstraat en omgeving", WIJK, 2025, "cbs-wbk"),
        ("GM0505", "gemeente", "Dordrecht", "Dordrecht", None, 2025, "cbs-wbk-2024"),
        (WIJK, "wijk", "Wijk 01 Binnenstad", "Binnenstad", "GM0505", 2025, "cbs-wbk-2024"),
    ]
    assert fetch(db_file, "SELECT boundary_year FROM municipalities WHERE gemeente_code = 'GM0505'") == [(2025,)]
    assert fetch(db_file, "SELECT count(*) FROM areas WHERE area_code = 'BU03630000'") == [(0,)]
    kept = next(note for note in outcome.notes if "niet in het bestand" in note)
    assert kept.startswith("141 gebieden") and "BU05050103" in kept  # the other 129 buurten and 12 wijken
    # Exact geometry: the file's, in WGS84; display geometry: simplified, within the tolerance.
    source = geo.execute(
        "SELECT ST_AsWKB(ST_Transform(geom, 'EPSG:28992', 'EPSG:4326', always_xy := true)) FROM buurten "
        "WHERE code = 'BU05050100'"
    ).fetchone()[0]
    exact_wkb, display_wkb, km2 = fetch(
        db_file,
        "SELECT x.geometry_wkb, a.geometry_wkb, a.area_km2 FROM areas a JOIN area_exact_geometries x USING (area_code) "
        "WHERE area_code = 'BU05050100'",
    )[0]
    exact, display, original = (shapely.from_wkb(bytes(w)) for w in (exact_wkb, display_wkb, source))
    assert shapely.hausdorff_distance(exact, original) < 1e-9
    assert shapely.get_num_coordinates(display) * 5 < shapely.get_num_coordinates(exact)
    assert shapely.hausdorff_distance(display, exact) <= DISPLAY_TOLERANCE * 1.01
    area_rd = geo.execute("SELECT ST_Area(geom) FROM buurten WHERE code = 'BU05050100'").fetchone()[0]
    assert km2 == pytest.approx(area_rd / 1e6, rel=1e-6)
    # Re-importing the same file changes nothing.
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 6)
    assert changed(before, state(db_file)) == {"load_history"}


def test_zipped_shapefile_with_older_attribute_names(db_file, tmp_path, geo):
    folder = tmp_path / "shp"
    folder.mkdir()
    write(
        geo,
        "SELECT code AS BU_CODE, name AS BU_NAAM, wijk_code AS WK_CODE, gemeente_code AS GM_CODE, "
        "'Dordrecht' AS GM_NAAM, 'NEE' AS WATER, '2019' || code AS JRSTATCODE, geom FROM buurten",
        folder / "buurt_2019_v3.shp",
        "ESRI Shapefile",
    )
    archive = tmp_path / "WijkBuurtkaart_2019_v3.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in sorted(folder.iterdir()):
            zipped.write(part, f"WijkBuurtkaart_2019_v3/{part.name}")  # CBS puts the files in a folder
    outcome = run_import(archive, db_file, None, "tester")
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (0, 4, 0)
    assert fetch(db_file, "SELECT DISTINCT boundary_year FROM areas WHERE list_contains(?, area_code)", [BUURTEN]) == [
        (2019,)
    ]
    assert any("buurt_2019_v3.shp" in note and "RD New" in note for note in outcome.notes)


@pytest.mark.parametrize("srs", ["EPSG:4326", "EPSG:28992"])
def test_geojson_in_wgs84_or_rd_with_the_year_from_the_name_or_option(db_file, tmp_path, geo, srs):
    geom = "geom" if srs == "EPSG:28992" else "ST_Transform(geom, 'EPSG:28992', 'EPSG:4326', always_xy := true)"
    sql = f"SELECT code AS buurtcode, name AS buurtnaam, wijk_code AS wijkcode, {geom} AS geom FROM buurten"
    named = write(geo, sql, tmp_path / "buurten_2023.geojson", "GeoJSON", srs)
    outcome = run_import(named, db_file, None, "tester")
    assert outcome.replaced == 4 and "grensjaar 2023 uit de bestandsnaam" in outcome.notes
    unnamed = write(geo, sql, tmp_path / "buurten.geojson", "GeoJSON", srs)
    with pytest.raises(DataError) as error:
        run_import(unnamed, db_file, None, "tester")
    assert "grensjaar onbekend" in str(error.value) and "buurten.geojson" in str(error.value)
    outcome = run_import(unnamed, db_file, None, "tester", options={"year": "2024"})
    assert outcome.replaced == 4  # year 2024 again: replaced (the geometry is unchanged)
    exact = fetch(db_file, "SELECT geometry_wkb FROM area_exact_geometries WHERE area_code = 'BU05050101'")[0][0]
    original = geo.execute(
        "SELECT ST_AsWKB(ST_Transform(geom, 'EPSG:28992', 'EPSG:4326', always_xy := true)) FROM buurten "
        "WHERE code = 'BU05050101'"
    ).fetchone()[0]
    assert shapely.hausdorff_distance(shapely.from_wkb(bytes(exact)), shapely.from_wkb(bytes(original))) < 1e-7


def failing(db_file: Path, path: Path, *expected: str) -> str:
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    message = str(error.value)
    assert path.name in message
    for part in expected:
        assert part in message
    assert state(db_file) == before
    return message


def test_unknown_crs_fails(db_file, tmp_path, geo):
    sql = (
        "SELECT code AS buurtcode, wijk_code AS wijkcode, '2024' || code AS jaarstatcode, "
        "ST_Transform(geom, 'EPSG:28992', 'EPSG:3857', always_xy := true) AS geom FROM buurten"
    )
    failing(db_file, write(geo, sql, tmp_path / "web.geojson", "GeoJSON", "EPSG:3857"), "EPSG:3857")
    # A shapefile without .prj: the coordinates (Web Mercator metres) fit neither RD nor WGS84.
    folder = tmp_path / "noprj"
    folder.mkdir()
    write(geo, sql, folder / "buurt.shp", "ESRI Shapefile", "EPSG:3857")
    archive = tmp_path / "zonder_prj.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            if part.suffix != ".prj":
                zipped.write(part, part.name)
    failing(db_file, archive, "onbekend coördinatenstelsel")


def test_not_a_boundary_file_fails(db_file, tmp_path, geo):
    path = write(geo, "SELECT name AS naam, geom FROM buurten", tmp_path / "kaart_2024.gpkg", "GPKG")
    failing(db_file, path, "geen grenzenbestand", "buurtcode")


def test_empty_layer_fails(db_file, tmp_path, geo):
    sql = "SELECT code AS buurtcode, wijk_code AS wijkcode, geom FROM buurten WHERE false"
    path = write(geo, sql, tmp_path / "leeg_2024.gpkg", "GPKG", LAYER_NAME="buurten")
    failing(db_file, path, "laag 'buurten'", "bevat geen gebieden")


def test_buurt_without_wijk_code_fails(db_file, tmp_path, geo):
    sql = (
        "SELECT code AS buurtcode, name AS buurtnaam, CASE WHEN code = 'BU05050102' THEN NULL ELSE wijk_code END "
        "AS wijkcode, geom FROM buurten ORDER BY code"
    )
    path = write(geo, sql, tmp_path / "buurten_2024.gpkg", "GPKG", LAYER_NAME="buurten")
    failing(
        db_file,
        path,
        "buurten_2024.gpkg, laag 'buurten', row 3, column 'wijkcode': buurt BU05050102 heeft geen wijkcode",
    )


def test_corrupt_files_fail(db_file, tmp_path, geo):
    garbage = tmp_path / "kapot_2024.gpkg"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    failing(db_file, garbage, "geen leesbare GeoPackage")
    good = geopackage(geo, tmp_path / "goed_2024.gpkg", cbs_2020s_layers(2024))
    truncated = tmp_path / "half_2024.gpkg"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    failing(db_file, truncated)
    broken_zip = tmp_path / "kapot_2024.zip"
    broken_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    failing(db_file, broken_zip, "zip")
    broken_json = tmp_path / "kapot_2024.geojson"
    broken_json.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', encoding="utf-8")
    failing(db_file, broken_json, "niet te lezen")
