"""Boundaries from the CBS Wijk- en buurtkaart: GeoPackage (one or more layers), a zipped
shapefile (one or more .shp) or GeoJSON, in RD New or WGS84, with the attribute names of the
2020s editions (`buurtcode`, `wijkcode`, ...) or older ones (`BU_CODE`, `WK_CODE`, ...).

Only areas of the gemeenten served are applied: existing codes get their new geometry, name,
parent and boundary year; new codes are added; codes missing from the file stay (other data
may refer to them) and the notes list them. Water areas (`water` = 'JA') are skipped: CBS
publishes large waters as areas of their own, and the maps and the incident counts are about
land. Geometry is stored twice: `areas.geometry_wkb` is simplified for display (the maps read
it), `area_exact_geometries` keeps the file's full precision for placing incidents in buurten.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from ivpdata import spatial
from ivpdata.importing.base import MAX_PROBLEMS_PER_CHECK, Checked, Context, Kind, Outcome, changes_frame
from ivpdata.importing.reading import ROW
from ivpdata.validate import BUURT_CODE, GEMEENTE_CODE, WIJK_CODE, DataError, Problem

BOUNDARY_SOURCE = "cbs-wbk"
SUFFIXES = (".gpkg", ".zip", ".geojson")
# Display geometry: simplified to about 7-11 m (the tolerance the maps drew with) and rounded to
# 6 decimals (0.1 m). The exact geometry is kept for point-in-area.
DISPLAY_TOLERANCE = 0.0001
DISPLAY_GRID = 1e-6
PATTERNS = {"gemeente": GEMEENTE_CODE, "wijk": WIJK_CODE, "buurt": BUURT_CODE}
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
FILE_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
WATER = "watervlak (water = JA)"
OTHER_GEMEENTE = "andere gemeente"
FRAME_COLUMNS = ["_layer", "level", "code", "name", "wijk_code", "year_code", "water", "wkb", "area_m2", ROW]


def read_boundaries(path: Path, raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Every layer of a boundary file as one frame (a row per area, geometry as WGS84 WKB), and
    notes on what was read. Raises DataError naming the file and layer."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = Path(path).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="ivp-grenzen-") as folder:
        local = Path(folder) / f"grenzen{suffix}"
        local.write_bytes(raw)  # GDAL picks its driver by suffix; an upload's path may not have one
        layers = _layers(local, suffix, name)
        con = spatial.connect()
        try:
            read = [_read_layer(con, source, layer, label, name) for label, source, layer in layers]
        finally:
            con.close()
    frame = pd.concat([frame for frame, _ in read], ignore_index=True)
    return frame, [note for _, note in read]


def _layers(local: Path, suffix: str, name: str) -> list[tuple[str, str, str | None]]:
    """(label, GDAL path, layer name) of each feature layer in the file."""
    if suffix == ".gpkg":
        try:
            with sqlite3.connect(f"file:{local}?mode=ro", uri=True) as db:
                tables = db.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name"
                ).fetchall()
        except sqlite3.Error as exc:
            raise DataError([Problem(name, None, None, f"geen leesbare GeoPackage ({exc})")]) from exc
        if not tables:
            raise DataError([Problem(name, None, None, "de GeoPackage bevat geen laag met gebieden")])
        return [(table, str(local), table) for (table,) in tables]
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(local) as archive:
                members = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise DataError([Problem(name, None, None, f"geen leesbaar zip-bestand ({exc})")]) from exc
        shapes = sorted(m for m in members if m.lower().endswith(".shp"))
        if not shapes:
            raise DataError([Problem(name, None, None, "het zip-bestand bevat geen shapefile (.shp)")])
        lowered = {m.lower() for m in members}
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
        return [(Path(shp).name, f"/vsizip/{local}/{shp}", None) for shp in shapes]
    if suffix == ".geojson":
        return [(name, str(local), None)]
    raise DataError([Problem(name, None, None, f"'{suffix}' is geen grenzenbestand (.gpkg, .zip of .geojson)")])


def _field(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The file's column for one of `names` (case-insensitive; a shapefile's 10-character cut)."""
    for wanted in names:
        for column in columns:
            lower = column.lower()
            if lower == wanted or (len(wanted) > 10 and lower == wanted[:10]):
                return column
    return None


def _read_layer(
    con: duckdb.DuckDBPyConnection, source: str, layer: str | None, label: str, name: str
) -> tuple[pd.DataFrame, str]:
    where = name if label == name else f"{name}, laag '{label}'"

    def fail(message: str, row: int | None = None) -> DataError:
        return DataError([Problem(where, row, None, message)])

    quoted = source.replace("'", "''")
    layer_option = f", layer := '{layer.replace(chr(39), chr(39) * 2)}'" if layer else ""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE layer AS "
            f"SELECT row_number() OVER () AS feature, * FROM ST_Read('{quoted}'{layer_option})"
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise fail(f"niet te lezen als grenzenbestand ({message})") from exc
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
    features = con.execute("SELECT count(*) FROM layer").fetchone()[0]
    if features == 0:
        raise fail("de laag bevat geen gebieden")
    geom = f'"{geometry[0]}"'
    crs = spatial.crs_of_type(str(geometry[1]))
    if crs is None:  # no CRS in the file (a shapefile without .prj): tell from where the coordinates lie
        extent = con.execute(
            f"SELECT min(ST_XMin({geom})), min(ST_YMin({geom})), max(ST_XMax({geom})), max(ST_YMax({geom})) FROM layer"
        ).fetchone()
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
        return f'trim(CAST("{column}" AS VARCHAR))' if column else "NULL"

    try:
        frame = con.execute(
            f"""SELECT feature AS "{ROW}", {text(CODE_FIELDS[level])} AS code, {text(NAME_FIELDS[level])} AS name,
                {text(WIJK_FIELDS)} AS wijk_code, {text(YEAR_FIELDS)} AS year_code, {text(WATER_FIELDS)} AS water,
                ST_AsWKB({lonlat}) AS wkb, ST_Area({metres}) AS area_m2
            FROM layer ORDER BY feature"""
        ).df()
    except duckdb.Error as exc:
        raise fail(f"de geometrie is niet te lezen ({str(exc).splitlines()[0]})") from exc
    frame["wkb"] = [bytes(w) if w is not None else None for w in frame["wkb"]]
    frame["_layer"] = where
    frame["level"] = level if level else frame["code"].fillna("").str[:2].map(PREFIX_LEVEL).fillna("")
    frame = frame.astype({c: "string" for c in ("code", "name", "wijk_code", "year_code", "water")})
    note = f"{where}: {features} gebieden ({level or 'gemengd'}), {spatial.CRS_NAMES[crs]}"
    return frame[FRAME_COLUMNS], note


def check_boundaries(frame: pd.DataFrame, context: Context) -> Checked:
    """Areas of the gemeenten served, with parent, boundary year and both geometries."""
    name = context.file_name
    data = frame.reset_index(drop=True)
    problems: list[Problem] = []

    def report(mask: pd.Series, column: str | None, message: str) -> None:
        """A problem per offending feature (the first few), naming file, layer and feature."""
        offending = data[mask]
        for _, row in offending.head(MAX_PROBLEMS_PER_CHECK).iterrows():
            problems.append(Problem(row["_layer"], int(row[ROW]), column, message.format(**row.to_dict())))
        if len(offending) > MAX_PROBLEMS_PER_CHECK:
            rest = len(offending) - MAX_PROBLEMS_PER_CHECK
            problems.append(Problem(name, None, column, f"en nog {rest} gebieden met hetzelfde probleem"))

    code = data["code"].fillna("").str.upper()
    level = data["level"]
    data["code"] = code
    report(code == "", "code", "gebied zonder code")
    shaped = pd.Series(
        [bool(PATTERNS[lv].fullmatch(c)) if lv in PATTERNS else False for lv, c in zip(level, code, strict=True)],
        index=data.index,
    )
    report((code != "") & ~shaped, "code", "'{code}' is geen geldige gemeente-, wijk- of buurtcode")
    skipped: dict[str, int] = {}

    def skip(mask: pd.Series, reason: str) -> pd.Series:
        if mask.any():
            skipped[reason] = skipped.get(reason, 0) + int(mask.sum())
        return mask

    gemeente = "GM" + code.str[2:6]
    water = data["water"].fillna("").str.upper() == "JA"
    dropped = ~shaped
    dropped |= skip(~dropped & ~gemeente.isin(context.gemeenten), OTHER_GEMEENTE)
    dropped |= skip(~dropped & water, WATER)
    kept = ~dropped
    if not problems and not kept.any():
        served = ", ".join(sorted(context.gemeenten))
        problems.append(Problem(name, None, None, f"geen gebieden van de gemeenten die dit systeem bedient ({served})"))

    # Boundary year: the attribute (2024BU05050101), else the file name, else the --year option.
    attribute_year = data["year_code"].fillna("").str.extract(r"^(\d{4})", expand=False)
    file_year = FILE_YEAR.search(Path(name).stem)
    option_year = str(context.options.get("year", "")).strip()
    fallback = file_year.group(1) if file_year else option_year
    year = attribute_year.fillna(fallback).replace("", pd.NA)
    data["year"] = year
    report(
        kept & year.isna(), None,
        "grensjaar onbekend: geen jaarstatcode en geen jaar in de bestandsnaam; geef het jaar op (--year)",
    )  # fmt: skip
    report(kept & year.notna() & ~year.fillna("0").str.fullmatch(r"\d{4}"), None, "'{year}' is geen grensjaar")

    # Parents: a buurt's wijk comes from the file and must be loaded or in the file.
    wijk = data["wijk_code"].fillna("").str.upper()
    is_buurt = kept & (level == "buurt")
    report(is_buurt & (wijk == ""), "wijkcode", "buurt {code} heeft geen wijkcode")
    report(
        is_buurt & (wijk != "") & (wijk.str[2:8] != code.str[2:8]), "wijkcode",
        "buurt {code} ligt volgens zijn code niet in wijk {wijk_code}",
    )  # fmt: skip
    known_wijken = set(context.areas.loc[context.areas["area_level"] == "wijk", "area_code"])
    known_wijken |= set(code[kept & (level == "wijk")])
    report(
        is_buurt & (wijk != "") & (wijk.str[2:8] == code.str[2:8]) & ~wijk.isin(known_wijken), "wijkcode",
        "wijk {wijk_code} van buurt {code} staat niet in het bestand en niet in de geladen grenzen",
    )  # fmt: skip
    twice = code.where(kept).duplicated(keep=False) & kept
    report(twice, "code", "code {code} staat meer dan eens in het bestand")
    report(kept & data["wkb"].isna(), None, "gebied {code} heeft geen geometrie")

    exact = pd.Series([shapely.from_wkb(w) if w is not None else None for w in data["wkb"]], index=data.index)
    polygonal = exact.map(_polygonal)
    report(
        kept & data["wkb"].notna() & polygonal.map(lambda g: g is None or g.is_empty), None,
        "gebied {code} heeft geen vlak als geometrie",
    )  # fmt: skip
    if problems:
        raise DataError(problems)

    rows = data[kept].copy()
    shapes = polygonal[kept]
    display = shapely.set_precision(
        shapely.simplify(shapes.to_numpy(), DISPLAY_TOLERANCE, preserve_topology=True), DISPLAY_GRID
    )
    cbs_names = rows["name"].fillna("").where(rows["name"].fillna("") != "", rows["code"])
    parent = np.select(
        [rows["level"] == "buurt", rows["level"] == "wijk"], [wijk[kept], "GM" + rows["code"].str[2:6]], None
    )
    centroids = shapely.centroid(shapes.to_numpy())
    result = pd.DataFrame(
        {
            "area_code": rows["code"].astype(str),
            "area_level": rows["level"].astype(str),
            "name": cbs_names.astype(str),
            "display_name": cbs_names.str.replace(r"^Wijk \d+\s+", "", regex=True).astype(str),
            "parent_code": parent,
            "gemeente_code": ("GM" + rows["code"].str[2:6]).astype(str),
            "boundary_year": year[kept].astype(int),
            "geometry_wkb": shapely.to_wkb(display),
            "exact_wkb": shapely.to_wkb(shapes.to_numpy()),
            "centroid_lon": shapely.get_x(centroids),
            "centroid_lat": shapely.get_y(centroids),
            "area_km2": rows["area_m2"].astype(float) / 1e6,
        }
    ).reset_index(drop=True)
    notes = []
    if attribute_year[kept].notna().all():
        notes.append("grensjaar uit jaarstatcode")
    elif file_year:
        notes.append(f"grensjaar {file_year.group(1)} uit de bestandsnaam")
    else:
        notes.append(f"grensjaar {option_year} opgegeven")
    if option_year and set(result["boundary_year"].astype(str)) - {option_year}:
        notes.append(f"opgegeven jaar {option_year} genegeerd: het bestand noemt zelf het grensjaar")
    notes.append("weergave vereenvoudigd tot ca. 10 m; de exacte grens wordt bewaard voor het plaatsen van incidenten")
    served_water = water & shaped & gemeente.isin(context.gemeenten)
    skipped_where = pd.DataFrame(
        {
            "period": year.fillna(""),
            "area_code": np.where(level == "buurt", wijk, np.where(level == "gemeente", gemeente, code)),
            "skipped": 1,
        }
    )[served_water]
    return Checked("cbs-wijk-buurtkaart", result, skipped, notes, skipped_where)


def _polygonal(geometry: shapely.Geometry | None) -> shapely.Geometry | None:
    """The polygons of a geometry (a repaired polygon can come back as a collection with lines)."""
    if geometry is None:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def apply_boundaries(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Update existing areas, add new ones; codes not in the file stay. Per boundary year and wijk."""
    incoming = checked.rows
    con.register("incoming_rows", incoming)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming_areas AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    compared = con.execute(
        """
        SELECT i.area_code, i.area_level, i.parent_code, i.boundary_year,
            a.area_code IS NOT NULL AS existed,
            a.area_code IS NOT NULL AND a.name = i.name AND a.display_name = i.display_name
                AND a.parent_code IS NOT DISTINCT FROM i.parent_code AND a.boundary_year = i.boundary_year
                AND a.geometry_wkb = i.geometry_wkb AND x.geometry_wkb IS NOT DISTINCT FROM i.exact_wkb AS same
        FROM incoming_areas AS i
        LEFT JOIN areas AS a ON i.area_code = a.area_code
        LEFT JOIN area_exact_geometries AS x ON i.area_code = x.area_code
        """
    ).df()
    changed = compared.loc[~compared["same"], "area_code"].tolist()
    con.execute("CREATE OR REPLACE TEMP TABLE changed_areas AS SELECT unnest(?::VARCHAR[]) AS area_code", [changed])
    # source_id stays as it was for existing areas: DuckDB cannot update a column with a foreign
    # key on a row other tables refer to. The load history names the file.
    con.execute(
        """UPDATE areas AS a SET name = i.name, display_name = i.display_name, parent_code = i.parent_code,
            boundary_year = i.boundary_year, geometry_wkb = i.geometry_wkb, centroid_lon = i.centroid_lon,
            centroid_lat = i.centroid_lat, area_km2 = i.area_km2
        FROM incoming_areas AS i
        WHERE a.area_code = i.area_code AND i.area_code IN (SELECT area_code FROM changed_areas)"""
    )
    con.execute(
        f"""INSERT INTO areas (area_code, area_level, name, display_name, parent_code, gemeente_code, boundary_year,
            geometry_wkb, centroid_lon, centroid_lat, area_km2, source_id)
        SELECT area_code, area_level, name, display_name, parent_code, gemeente_code, boundary_year, geometry_wkb,
            centroid_lon, centroid_lat, area_km2, '{BOUNDARY_SOURCE}'
        FROM incoming_areas WHERE area_code NOT IN (SELECT area_code FROM areas)"""
    )
    con.execute("DELETE FROM area_exact_geometries WHERE area_code IN (SELECT area_code FROM changed_areas)")
    con.execute(
        """INSERT INTO area_exact_geometries (area_code, geometry_wkb)
        SELECT area_code, exact_wkb FROM incoming_areas WHERE area_code IN (SELECT area_code FROM changed_areas)"""
    )
    con.execute(
        """UPDATE municipalities AS m SET boundary_year = i.boundary_year
        FROM (SELECT gemeente_code, max(boundary_year) AS boundary_year FROM incoming_areas GROUP BY ALL) AS i
        WHERE m.gemeente_code = i.gemeente_code AND m.boundary_year <> i.boundary_year"""
    )
    compared["period"] = compared["boundary_year"].astype(str)
    # a buurt counts for its wijk; a wijk and a gemeente for themselves
    compared["area_code"] = compared["parent_code"].where(compared["area_level"] == "buurt", compared["area_code"])
    compared["new"] = (~compared["existed"]).astype(int)
    compared["replaced"] = (compared["existed"] & ~compared["same"]).astype(int)
    compared["unchanged"] = compared["same"].astype(int)
    notes = list(checked.notes)
    missing = con.execute(
        """SELECT a.area_code FROM areas AS a
        INNER JOIN (SELECT DISTINCT gemeente_code, area_level FROM incoming_areas) AS l
            ON a.gemeente_code = l.gemeente_code AND a.area_level = l.area_level
        WHERE a.area_code NOT IN (SELECT area_code FROM incoming_areas) ORDER BY a.area_code"""
    ).fetchall()
    if missing:
        codes = [code for (code,) in missing]
        shown = ", ".join(codes[:10]) + (f" en {len(codes) - 10} meer" if len(codes) > 10 else "")
        notes.append(
            f"{len(codes)} gebieden niet in het bestand blijven staan (andere gegevens verwijzen ernaar): {shown}"
        )
    con.execute("DROP TABLE incoming_areas")
    con.execute("DROP TABLE changed_areas")
    return Outcome(checked.kind, changes_frame(compared, checked.skipped_where), checked.skipped, notes)


KINDS = {
    "cbs-wijk-buurtkaart": Kind(
        label="CBS Wijk- en buurtkaart (grenzen: GeoPackage, shapefile in zip, GeoJSON)",
        columns=[],
        check=check_boundaries,
        apply=apply_boundaries,
        suffixes=SUFFIXES,
        read=read_boundaries,
    ),
}
