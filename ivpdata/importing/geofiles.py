"""Reading a boundary file (CBS Wijk- en buurtkaart: GeoPackage, zipped shapefile or GeoJSON)
into one frame, a row per area with its code, name and WGS84 geometry, without trusting it.

A boundary file comes from outside, and GDAL would open whatever its content says (a VRT named
`.geojson` fetches URLs and reads local files). So each kind is read by its own driver only, on
a connection confined to the file's temporary folder, after checks in Python: a GeoJSON is
parsed and written again with only features, plain properties, geometry and a named CRS; a
GeoPackage must be an SQLite file whose layers are plain tables; a zip may hold only the parts
of shapefiles, inside itself, within the size limits. Size, areas, vertices and time are limited.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ivpdata import spatial
from ivpdata.db import one_row, scalar
from ivpdata.formatting import number
from ivpdata.importing import limits
from ivpdata.importing.base import MAX_PROBLEMS_PER_CHECK
from ivpdata.importing.reading import ROW
from ivpdata.validate import DataError, Problem

SUFFIXES = (".gpkg", ".zip", ".geojson")
# Limits (the general ones of a boundary upload come from `limits`). A national CBS Wijk- en
# buurtkaart has about 18,000 areas in three layers, a gemeente's own file a few hundred. Reading
# and checking takes about 7 s per million vertices (a GeoJSON 11 s: it is parsed whole in Python,
# some ten times its size in memory), so the vertex total keeps within the time budget.
MAX_FILE_BYTES = limits.MAX_BOUNDARY_BYTES  # GeoPackage or zip, as uploaded
MAX_GEOJSON_BYTES = 128 * limits.MB
MAX_UNPACKED_BYTES = limits.MAX_ZIP_UNPACKED_BYTES  # all members of a zip together, unpacked
MAX_ZIP_MEMBERS = 100  # the parts of a few shapefiles
MAX_LAYERS = 20
MAX_FEATURES = 100_000  # areas in all layers together
MAX_VERTICES_PER_AREA = 500_000  # a whole gemeente at full precision, with room to spare
MAX_VERTICES_TOTAL = 10_000_000
TIME_BUDGET_SECONDS = 180.0  # reading and checking the file (the Data page stops sooner: limits)
# Each kind is read by its own GDAL driver only (never VRT, never what GDAL guesses from the content).
DRIVERS = {".gpkg": "GPKG", ".zip": "ESRI Shapefile", ".geojson": "GeoJSON"}
DRIVER_NAMES = {"GPKG": "GeoPackage", "ESRI Shapefile": "shapefile", "GeoJSON": "GeoJSON"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".shp.xml")
ARCHIVES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".shz")
SQLITE_HEADER = b"SQLite format 3\x00"
WKT_START = re.compile(r"\s*(undefined|[A-Z][A-Z0-9_]*\s*\[)", re.I)  # a CRS definition in a GeoPackage
EPSG_NAME = re.compile(r"(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:)(\d{4,6})", re.I)
CRS84_NAME = re.compile(r"(?:urn:ogc:def:crs:OGC:(?:1\.3)?:|OGC:)?CRS84", re.I)
# GeoJSON geometry types and how many list levels lie above their lists of positions (-1: a Point).
PATH_LEVELS = {"Point": -1, "MultiPoint": 0, "LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}
TOO_SLOW = (
    "het lezen duurde langer dan {seconds} seconden en is afgebroken; "
    "lever een kleiner bestand aan, bijvoorbeeld alleen de eigen gemeente"
)
# Attribute names per edition, lower case. A shapefile cuts names to 10 characters
# (gemeentecode -> gemeenteco), which `_field` allows for.
CODE_FIELDS = {
    "buurt": ("buurtcode", "bu_code"),
    "wijk": ("wijkcode", "wk_code"),
    "gemeente": ("gemeentecode", "gm_code"),
    "": ("statcode", "code"),  # generalised editions (and data/geo): the level follows from the code
}
NAME_FIELDS = {
    "buurt": ("buurtnaam", "bu_naam"),
    "wijk": ("wijknaam", "wk_naam"),
    "gemeente": ("gemeentenaam", "gm_naam"),
    "": ("statnaam", "name"),
}
WIJK_FIELDS = ("wijkcode", "wk_code", "wijk_code")
YEAR_FIELDS = ("jaarstatcode", "jrstatcode")
WATER_FIELDS = ("water", "h2o")
PREFIX_LEVEL = {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}
FRAME_COLUMNS = ["_layer", "level", "code", "name", "wijk_code", "year_code", "water", "wkb", "area_m2", ROW]


def _size(size: int) -> str:
    """A file size in MB (or kB when small), the Dutch way."""
    return f"{number(size / 2**20, 1)} MB" if size >= 2**20 else f"{number(size / 2**10)} kB"


@dataclass
class _Reading:
    """One boundary file being read: its name, its deadline and the running totals."""

    name: str
    deadline: float
    features: int = 0
    vertices: int = 0

    def refuse(self, message: str, where: str | None = None, row: int | None = None) -> DataError:
        return DataError([Problem(where or self.name, row, None, message)])

    def late(self) -> bool:
        return time.monotonic() > self.deadline

    def check_time(self, where: str | None = None) -> None:
        if self.late():
            raise self.refuse(TOO_SLOW.format(seconds=number(TIME_BUDGET_SECONDS)), where)

    def check_features(self, features: int, where: str | None = None) -> None:
        if features > MAX_FEATURES:
            message = f"het bestand heeft {number(features)} gebieden; ten hoogste {number(MAX_FEATURES)} per bestand"
            raise self.refuse(message, where)

    def check_vertices(self, where: str, row: int, vertices: int) -> None:
        if vertices > MAX_VERTICES_PER_AREA:
            message = (
                f"{number(vertices)} hoekpunten in één gebied; ten hoogste {number(MAX_VERTICES_PER_AREA)} "
                "per gebied (vereenvoudig de grens of lever de gegeneraliseerde kaart aan)"
            )
            raise self.refuse(message, where, row)

    def add(self, where: str, features: int, vertices: int) -> None:
        """Count a layer's areas and vertices towards the file's totals."""
        self.features += features
        self.vertices += vertices
        self.check_features(self.features, where)
        if self.vertices > MAX_VERTICES_TOTAL:
            message = (
                f"{number(self.vertices)} hoekpunten in totaal; ten hoogste {number(MAX_VERTICES_TOTAL)} per bestand"
            )
            raise self.refuse(message, where)


def read_boundaries(path: Path, raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Every layer of a boundary file as one frame (a row per area, geometry as WGS84 WKB), and
    notes on what was read. Raises DataError naming the file and layer."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = Path(path).suffix.lower()
    if suffix not in DRIVERS:
        raise DataError([Problem(name, None, None, f"'{suffix}' is geen grenzenbestand (.gpkg, .zip of .geojson)")])
    limit = MAX_GEOJSON_BYTES if suffix == ".geojson" else MAX_FILE_BYTES
    if len(raw) > limit:
        message = f"het bestand is te groot ({_size(len(raw))}); ten hoogste {_size(limit)}"
        raise DataError([Problem(name, None, None, message)])
    reading = _Reading(name, time.monotonic() + TIME_BUDGET_SECONDS)
    with tempfile.TemporaryDirectory(prefix="ivp-grenzen-") as name_of_folder:
        folder = Path(name_of_folder).resolve()
        layers = _layers(folder, raw, suffix, reading)
        con = spatial.confined(folder)
        try:
            read = [_read_layer(con, source, layer, label, DRIVERS[suffix], reading) for label, source, layer in layers]
        finally:
            con.close()
    frame = pd.concat([frame for frame, _ in read], ignore_index=True)
    return frame, [note for _, note in read]


def _layers(folder: Path, raw: bytes, suffix: str, reading: _Reading) -> list[tuple[str, str, str | None]]:
    """(label, local path, layer name) of each feature layer in the file, after its checks."""
    if suffix == ".gpkg":
        return _geopackage_layers(folder, raw, reading)
    if suffix == ".zip":
        return _shapefile_layers(folder, raw, reading)
    local = folder / "grenzen.geojson"
    local.write_bytes(_clean_geojson(raw, reading))
    return [(reading.name, str(local), None)]


# GeoJSON ----------------------------------------------------------------------------------------


def _clean_geojson(raw: bytes, reading: _Reading) -> bytes:
    """The features of a GeoJSON file, written again with nothing GDAL could follow: no foreign
    members (links, ids, a geometry's own crs), properties as plain values, the CRS by name only."""

    def no_constant(value: str) -> None:
        raise ValueError(f"'{value}' is geen getal in JSON")

    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise reading.refuse(
            f"niet te lezen als GeoJSON: geen geldige JSON (regel {exc.lineno}, kolom {exc.colno})"
        ) from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        detail = "te diep genest" if isinstance(exc, RecursionError) else str(exc)
        raise reading.refuse(f"niet te lezen als GeoJSON: geen geldige JSON ({detail})") from exc
    kind = document.get("type") if isinstance(document, dict) else None
    features = [document] if kind == "Feature" else document.get("features") if kind == "FeatureCollection" else None
    if not isinstance(features, list):
        raise reading.refuse("niet te lezen als GeoJSON: geen FeatureCollection met een lijst 'features'")
    reading.check_features(len(features))
    crs = _geojson_crs(document.get("crs"), reading)
    cleaned, total = [], 0
    for row, feature in enumerate(features, start=1):
        if row % 1000 == 0:
            reading.check_time()
        clean, vertices = _geojson_feature(feature, row, reading)
        total += vertices
        if total > MAX_VERTICES_TOTAL:
            reading.add(reading.name, 0, total)  # raises with the total
        cleaned.append(clean)
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": cleaned}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _geojson_crs(crs: object, reading: _Reading) -> str | None:
    """The CRS as a plain EPSG or CRS84 name; a link, a URL or a file name is refused."""
    if crs is None:
        return None
    properties = crs.get("properties") if isinstance(crs, dict) and crs.get("type") == "name" else None
    given = properties.get("name") if isinstance(properties, dict) else None
    if isinstance(given, str):
        if found := EPSG_NAME.fullmatch(given.strip()):
            return f"urn:ogc:def:crs:EPSG::{found.group(1)}"
        if CRS84_NAME.fullmatch(given.strip()):
            return "urn:ogc:def:crs:OGC:1.3:CRS84"
    raise reading.refuse(
        "onbekend coördinatenstelsel (crs): alleen een naam als EPSG:28992 of EPSG:4326 wordt gelezen; "
        "een verwijzing naar een URL of bestand wordt niet gevolgd"
    )


def _geojson_feature(feature: object, row: int, reading: _Reading) -> tuple[dict[str, Any], int]:
    """A clean copy of one feature and its number of vertices."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(feature, dict) or feature.get("type") != "Feature" or not isinstance(properties, dict | None):
        raise reading.refuse("geen GeoJSON-feature met properties", row=row)
    plain = {
        str(key): value if isinstance(value, str | int | float | bool | None) else json.dumps(value)
        for key, value in (properties or {}).items()
    }
    geometry, vertices = _geojson_geometry(feature.get("geometry"), row, reading)
    return {"type": "Feature", "properties": plain, "geometry": geometry}, vertices


def _geojson_geometry(geometry: object, row: int, reading: _Reading) -> tuple[dict[str, Any] | None, int]:
    """Type and coordinates of a geometry, checked, and its number of vertices."""
    if geometry is None:
        return None, 0
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if not isinstance(geometry, dict) or not isinstance(kind, str) or kind not in PATH_LEVELS:
        raise reading.refuse(f"geometrie van het type '{kind}': verwacht Polygon of MultiPolygon", row=row)
    coordinates = geometry.get("coordinates")
    try:
        paths = _paths(coordinates, PATH_LEVELS[kind])
        vertices = sum(len(path) for path in paths)
        reading.check_vertices(reading.name, row, vertices)
        for path in paths:
            _check_positions(path)
    except ValueError as exc:
        raise reading.refuse(f"de coördinaten van de {kind} kloppen niet ({exc})", row=row) from exc
    return {"type": kind, "coordinates": coordinates}, vertices


def _paths(coordinates: object, levels: int) -> list[list[Any]]:
    """The lists of positions in a geometry's coordinates."""
    if levels < 0:
        return [[coordinates]]
    items: list[object] = [coordinates]
    for _level in range(levels):
        items = [child for item in _lists(items) for child in item]
    return _lists(items)


def _lists(items: list[object]) -> list[list[Any]]:
    """`items`, each of which must be a list (a level of a geometry's coordinates)."""
    lists = [item for item in items if isinstance(item, list)]
    if len(lists) != len(items):
        raise ValueError("verkeerd genest")
    return lists


def _check_positions(path: list) -> None:
    """Positions are 2 or 3 finite numbers each."""
    if not path:
        return
    array = np.asarray(path)  # a ragged list raises ValueError
    if array.ndim != 2 or array.shape[1] not in (2, 3) or array.dtype.kind not in "iuf":
        raise ValueError("een positie is geen paar getallen")
    if not np.isfinite(array).all():
        raise ValueError("een coördinaat is geen eindig getal")


# GeoPackage -------------------------------------------------------------------------------------


def _geopackage_layers(folder: Path, raw: bytes, reading: _Reading) -> list[tuple[str, str, str | None]]:
    """The feature layers of a GeoPackage: an SQLite file whose layers are plain tables."""
    if not raw.startswith(SQLITE_HEADER):
        raise reading.refuse("geen GeoPackage: het bestand is geen SQLite-database")
    local = folder / "grenzen.gpkg"
    local.write_bytes(raw)
    try:
        with contextlib.closing(sqlite3.connect(f"file:{local}?mode=ro", uri=True)) as db:
            db.set_progress_handler(lambda: int(reading.late()), 10_000)
            tables = _geopackage_tables(db, reading)
    except sqlite3.Error as exc:
        reading.check_time()
        raise reading.refuse(f"geen leesbare GeoPackage ({exc})") from exc
    return [(table, str(local), table) for table in tables]


def _geopackage_tables(db: sqlite3.Connection, reading: _Reading) -> list[str]:
    """Names of the feature tables; raises DataError for content other than plain features."""
    name = reading.name
    schema = dict(db.execute("SELECT name, coalesce(sql, type) FROM sqlite_master WHERE type IN ('table', 'view')"))
    if not schema.get("gpkg_contents", "").upper().startswith("CREATE TABLE"):
        raise reading.refuse("geen GeoPackage: de tabel gpkg_contents ontbreekt")
    problems = []
    for table, sql in schema.items():
        if sql.upper().startswith("CREATE VIRTUAL TABLE") and not re.search(r"\bUSING\s+rtree\s*\(", sql, re.I):
            problems.append(Problem(f"{name}, tabel '{table}'", None, None, "virtuele tabel: niet toegestaan"))
    for srs, definition in db.execute("SELECT srs_id, definition FROM gpkg_spatial_ref_sys"):
        if not isinstance(definition, str) or not WKT_START.match(definition):
            message = f"coördinatenstelsel {srs} is geen WKT-definitie: niet toegestaan"
            problems.append(Problem(name, None, None, message))
    tables = []
    for table, kind in db.execute("SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name"):
        where = f"{name}, laag '{table}'"
        if not schema.get(table, "").upper().startswith("CREATE TABLE"):
            problems.append(
                Problem(where, None, None, "geen gewone tabel (een view of virtuele tabel): niet toegestaan")
            )
        elif kind not in ("features", "attributes"):
            problems.append(Problem(where, None, None, f"inhoud van de soort '{kind}': alleen gebieden worden gelezen"))
        elif _computed(db, table):
            problems.append(Problem(where, None, None, "berekende kolommen (GENERATED): niet toegestaan"))
        elif kind == "features":
            tables.append(table)
    if problems:
        raise DataError(problems)
    if not tables:
        raise reading.refuse("de GeoPackage bevat geen laag met gebieden")
    if len(tables) > MAX_LAYERS:
        raise reading.refuse(f"{len(tables)} lagen met gebieden; ten hoogste {MAX_LAYERS}")
    quoted = " + ".join(f"(SELECT count(*) FROM {_quoted(table)})" for table in tables)
    reading.check_features(db.execute(f"SELECT {quoted}").fetchone()[0])
    return tables


def _computed(db: sqlite3.Connection, table: str) -> bool:
    """Whether a table has generated columns (computed on reading, by any SQL function)."""
    return any(column[6] in (2, 3) for column in db.execute(f"PRAGMA table_xinfo({_quoted(table)})"))


def _quoted(identifier: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


# Shapefile in a zip -----------------------------------------------------------------------------


def _shapefile_layers(folder: Path, raw: bytes, reading: _Reading) -> list[tuple[str, str, str | None]]:
    """The shapefiles of a zip, unpacked into `folder` after checking every member."""
    name = reading.name
    target = folder / "zip"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
            problems = _member_problems(members, name)
            if problems:
                raise DataError(problems)
            shapes = sorted(m.filename for m in members if m.filename.lower().endswith(".shp"))
            if not shapes:
                raise reading.refuse("het zip-bestand bevat geen shapefile (.shp)")
            lowered = {m.filename.lower() for m in members}
            problems = [
                Problem(
                    name, None, None, f"shapefile '{shp}': het bijbehorende {part}-bestand ontbreekt in het zip-bestand"
                )
                for shp in shapes
                for part in (".shx", ".dbf")
                if shp[:-4].lower() + part not in lowered
            ]
            if problems:
                raise DataError(problems)
            _unpack(archive, members, target, reading)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise reading.refuse(f"geen leesbaar zip-bestand ({exc})") from exc
    return [(PurePosixPath(shp).name, str(target.joinpath(*PurePosixPath(shp).parts)), None) for shp in shapes]


def _member_problems(members: list[zipfile.ZipInfo], name: str) -> list[Problem]:
    """Members outside the zip's own folder, links, nested archives, other files, too much data."""
    if len(members) > MAX_ZIP_MEMBERS:
        return [
            Problem(name, None, None, f"{len(members)} bestanden in het zip-bestand; ten hoogste {MAX_ZIP_MEMBERS}")
        ]
    problems, seen = [], set()
    for member in members:
        path, lower = member.filename, member.filename.lower()
        if path.startswith("/") or "\\" in path or ":" in path or ".." in PurePosixPath(path).parts:
            problem = "pad buiten de map van het zip-bestand: niet toegestaan"
        elif (member.external_attr >> 16) & 0o170000 == 0o120000:
            problem = "een symbolische koppeling: niet toegestaan"
        elif member.flag_bits & 0x1:
            problem = "versleuteld: niet te lezen"
        elif lower.endswith(ARCHIVES):
            problem = "een ingepakt bestand in het zip-bestand: pak het uit en lever de shapefile zelf aan"
        elif not lower.endswith(SHAPEFILE_PARTS):
            problem = f"geen deel van een shapefile (toegestaan: {', '.join(SHAPEFILE_PARTS)})"
        elif lower in seen:
            problem = "staat meer dan eens in het zip-bestand"
        else:
            problem = None
        seen.add(lower)
        if problem:
            problems.append(Problem(name, None, None, f"'{path}': {problem}"))
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        message = f"het zip-bestand is uitgepakt {_size(unpacked)}; ten hoogste {_size(MAX_UNPACKED_BYTES)}"
        problems.append(Problem(name, None, None, message))
    return problems[: MAX_PROBLEMS_PER_CHECK + 1]


def _unpack(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path, reading: _Reading) -> None:
    """Unpack the checked members, never more bytes than they declare (zipfile stops there)."""
    for member in members:
        destination = target.joinpath(*PurePosixPath(member.filename).parts)
        if not destination.resolve().is_relative_to(target.resolve()):
            raise reading.refuse(f"'{member.filename}': pad buiten de map van het zip-bestand: niet toegestaan")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, destination.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
                reading.check_time()


# Reading a layer with GDAL ----------------------------------------------------------------------


def _run(
    con: duckdb.DuckDBPyConnection,
    reading: _Reading,
    where: str,
    sql: str,
    params: list | None = None,
    fetch: Callable[[duckdb.DuckDBPyConnection], Any] = lambda result: None,
) -> Any:
    """Run one statement (and fetch its result) within the file's time budget: past the deadline
    the statement is interrupted and the file refused."""
    reading.check_time(where)
    timer = threading.Timer(max(reading.deadline - time.monotonic(), 0.0), con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return fetch(con.execute(sql, params or []))
    except duckdb.InterruptException as exc:
        raise reading.refuse(TOO_SLOW.format(seconds=number(TIME_BUDGET_SECONDS)), where) from exc
    finally:
        timer.cancel()


def _field(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The file's column for one of `names` (case-insensitive; a shapefile's 10-character cut)."""
    for wanted in names:
        for column in columns:
            lower = column.lower()
            if lower == wanted or (len(wanted) > 10 and lower == wanted[:10]):
                return column
    return None


def _read_layer(
    con: duckdb.DuckDBPyConnection, source: str, layer: str | None, label: str, driver: str, reading: _Reading
) -> tuple[pd.DataFrame, str]:
    name = reading.name
    where = name if label == name else f"{name}, laag '{label}'"

    def fail(message: str, row: int | None = None) -> DataError:
        return DataError([Problem(where, row, None, message)])

    option = ", layer := ?" if layer else ""
    try:
        _run(
            con,
            reading,
            where,
            "CREATE OR REPLACE TEMP TABLE layer AS SELECT row_number() OVER () AS feature, * "
            f"FROM ST_Read(?, allowed_drivers := ?{option})",
            [source, [driver]] + ([layer] if layer else []),
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0].replace(source, label)
        raise fail(f"niet te lezen als {DRIVER_NAMES[driver]} ({message})") from exc
    described = con.execute("DESCRIBE layer").fetchall()
    columns = [row[0] for row in described]
    geometry = next((row for row in described if str(row[1]).upper().startswith("GEOMETRY")), None)
    if geometry is None:
        raise fail("geen geometrie gevonden: dit is geen grenzenbestand")
    level = next((lvl for lvl, names in CODE_FIELDS.items() if _field(columns, names)), None)
    if level is None:
        raise fail(
            "geen grenzenbestand: een kolom buurtcode, wijkcode of gemeentecode (of BU_CODE, WK_CODE, GM_CODE) "
            f"ontbreekt (kolommen: {', '.join(c for c in columns if c not in ('feature', geometry[0]))})"
        )
    features = scalar(con, "SELECT count(*) FROM layer")
    if features == 0:
        raise fail("de laag bevat geen gebieden")
    geom = _quoted(geometry[0])
    _check_vertices(con, reading, where, geom, features)
    crs = spatial.crs_of_type(str(geometry[1]))
    if crs is None:  # no CRS in the file (a shapefile without .prj): tell from where the coordinates lie
        extent = one_row(
            con,
            f"SELECT min(ST_XMin({geom})), min(ST_YMin({geom})), max(ST_XMax({geom})), max(ST_YMax({geom})) FROM layer",
        )
        crs = spatial.crs_from_range(*extent) if None not in extent else None
        if crs is None:
            raise fail(
                "onbekend coördinatenstelsel: het bestand noemt er geen en de coördinaten passen niet bij "
                "RD New (EPSG:28992) of WGS84 (EPSG:4326)"
            )
    if crs not in spatial.CRS_NAMES:
        raise fail(f"onbekend coördinatenstelsel {crs}: verwacht RD New (EPSG:28992) of WGS84 (EPSG:4326)")
    valid = f"ST_MakeValid({geom}::GEOMETRY)"
    rd, wgs = spatial.RD_NEW, spatial.WGS84
    if crs == rd:
        lonlat, metres = f"ST_Transform({valid}, '{rd}', '{wgs}', always_xy := true)", valid
    else:
        lonlat, metres = valid, f"ST_Transform({valid}, '{wgs}', '{rd}', always_xy := true)"

    def text(names: tuple[str, ...]) -> str:
        column = _field(columns, names)
        return f"trim(CAST({_quoted(column)} AS VARCHAR))" if column else "NULL"

    sql = f"""SELECT feature AS "{ROW}", {text(CODE_FIELDS[level])} AS code, {text(NAME_FIELDS[level])} AS name,
            {text(WIJK_FIELDS)} AS wijk_code, {text(YEAR_FIELDS)} AS year_code, {text(WATER_FIELDS)} AS water,
            ST_AsWKB({lonlat}) AS wkb, ST_Area({metres}) AS area_m2
        FROM layer ORDER BY feature"""
    try:
        frame = _run(con, reading, where, sql, fetch=lambda result: result.df())
    except duckdb.Error as exc:
        raise fail(f"de geometrie is niet te lezen ({str(exc).splitlines()[0]})") from exc
    frame["wkb"] = [bytes(w) if w is not None else None for w in frame["wkb"]]
    frame["_layer"] = where
    frame["level"] = level if level else frame["code"].fillna("").str[:2].map(PREFIX_LEVEL).fillna("")
    frame = frame.astype({c: "string" for c in ("code", "name", "wijk_code", "year_code", "water")})
    note = f"{where}: {features} gebieden ({level or 'gemengd'}), {spatial.CRS_NAMES[crs]}"
    return frame[FRAME_COLUMNS], note


def _check_vertices(con: duckdb.DuckDBPyConnection, reading: _Reading, where: str, geom: str, features: int) -> None:
    """Refuse areas with too many vertices, and a file with too many in all, before any geometry work."""
    largest = con.execute(
        f"SELECT feature, ST_NPoints({geom}) AS n FROM layer WHERE n > ? ORDER BY feature LIMIT ?",
        [MAX_VERTICES_PER_AREA, MAX_PROBLEMS_PER_CHECK],
    ).fetchall()
    problems = []
    for feature, vertices in largest:
        try:
            reading.check_vertices(where, int(feature), int(vertices))
        except DataError as error:
            problems += error.problems
    if problems:
        raise DataError(problems)
    vertices = scalar(con, f"SELECT coalesce(sum(ST_NPoints({geom})), 0) FROM layer")
    reading.add(where, features, int(vertices))
