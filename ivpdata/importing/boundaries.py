"""Boundaries from the CBS Wijk- en buurtkaart: GeoPackage (one or more layers), a zipped
shapefile (one or more .shp) or GeoJSON, in RD New or WGS84, with the attribute names of the
2020s editions (`buurtcode`, `wijkcode`, ...) or older ones (`BU_CODE`, `WK_CODE`, ...). The
file is read by `geofiles`, which trusts nothing in it.

Only areas of the gemeenten served are applied: existing codes get their new geometry, name,
parent and boundary year; new codes are added; codes missing from the file stay (other data
may refer to them) and the notes list them. Water areas (`water` = 'JA') are skipped: CBS
publishes large waters as areas of their own, and the maps and the incident counts are about
land. Geometry is stored twice: `areas.geometry_wkb` is simplified for display (the maps read
it), `area_exact_geometries` keeps the file's full precision for placing incidents in buurten.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from ivpdata.importing import geofiles
from ivpdata.importing.base import MAX_PROBLEMS_PER_CHECK, Checked, Context, Kind, Outcome, changes_frame
from ivpdata.importing.reading import ROW
from ivpdata.validate import BUURT_CODE, GEMEENTE_CODE, WIJK_CODE, DataError, Problem

BOUNDARY_SOURCE = "cbs-wbk"
SUFFIXES = geofiles.SUFFIXES
# Display geometry: simplified to about 7-11 m (the tolerance the maps drew with) and rounded to
# 6 decimals (0.1 m). The exact geometry is kept for point-in-area.
DISPLAY_TOLERANCE = 0.0001
DISPLAY_GRID = 1e-6
PATTERNS = {"gemeente": GEMEENTE_CODE, "wijk": WIJK_CODE, "buurt": BUURT_CODE}
FILE_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
WATER = "watervlak (water = JA)"
OTHER_GEMEENTE = "andere gemeente"


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
        read=geofiles.read_boundaries,
    ),
}
