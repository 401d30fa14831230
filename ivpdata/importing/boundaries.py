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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from ivpdata.importing import geofiles
from ivpdata.importing.base import (
    MAX_PROBLEMS_PER_CHECK,
    OTHER_GEMEENTE,
    Checked,
    Context,
    Kind,
    Outcome,
    Skipped,
    changes_frame,
)
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


def check_boundaries(frame: pd.DataFrame, context: Context) -> Checked:
    """Areas of the gemeenten served, with parent, boundary year and both geometries."""
    name = context.file_name
    data = frame.reset_index(drop=True)
    report = _Report(name, data)
    code, level, shaped = _codes(data, report)
    gemeente = "GM" + code.str[2:6]
    water = data["water"].fillna("").str.upper() == "JA"
    kept, skipped = _kept_areas(shaped, gemeente, water, context.gemeenten)
    if not report.problems and not kept.any():
        served = ", ".join(sorted(context.gemeenten))
        report.problems.append(
            Problem(name, None, None, f"geen gebieden van de gemeenten die dit systeem bedient ({served})")
        )
    years = _BoundaryYear.of(data, name, context)
    year = _check_years(data, years, kept, report)
    wijk = _check_parents(data, context, kept, report)
    polygonal = _check_geometries(data, kept, report)
    if report.problems:
        raise DataError(report.problems)

    result = _area_rows(data[kept].copy(), polygonal[kept], wijk[kept], year[kept])
    notes = years.notes(kept, result["boundary_year"])
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


@dataclass
class _Report:
    """The problems of a boundary file: one per offending feature (the first few), naming file,
    layer and feature. Messages may name the feature's columns: '{code}'."""

    name: str
    data: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def __call__(self, mask: pd.Series, column: str | None, message: str) -> None:
        offending = self.data[mask]
        for _, row in offending.head(MAX_PROBLEMS_PER_CHECK).iterrows():
            self.problems.append(Problem(row["_layer"], int(row[ROW]), column, message.format(**row.to_dict())))
        if len(offending) > MAX_PROBLEMS_PER_CHECK:
            rest = len(offending) - MAX_PROBLEMS_PER_CHECK
            self.problems.append(Problem(self.name, None, column, f"en nog {rest} gebieden met hetzelfde probleem"))


def _codes(data: pd.DataFrame, report: _Report) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The area codes in upper case (also written back to `data`), the levels, and whether each
    code has the form of its level."""
    code = data["code"].fillna("").str.upper()
    level = data["level"]
    data["code"] = code
    report(code == "", "code", "gebied zonder code")
    shaped = pd.Series(
        [bool(PATTERNS[lv].fullmatch(c)) if lv in PATTERNS else False for lv, c in zip(level, code, strict=True)],
        index=data.index,
    )
    report((code != "") & ~shaped, "code", "'{code}' is geen geldige gemeente-, wijk- of buurtcode")
    return code, level, shaped


def _kept_areas(
    shaped: pd.Series, gemeente: pd.Series, water: pd.Series, gemeenten: set[str]
) -> tuple[pd.Series, dict[str, int]]:
    """The well-formed land areas of the gemeenten served, and how many others each reason skips."""
    skips = Skipped()  # features, not rows: counted only
    dropped = ~shaped
    dropped |= skips.skip(~dropped & ~gemeente.isin(gemeenten), OTHER_GEMEENTE)
    dropped |= skips.skip(~dropped & water, WATER)
    return ~dropped, skips.counts


@dataclass(frozen=True)
class _BoundaryYear:
    """Boundary year: the attribute (2024BU05050101), else the file name, else the --year option."""

    attribute: pd.Series  # per feature; NA where the attribute has no year
    file: str | None  # from the file name
    option: str  # given with --year; "" if not

    @classmethod
    def of(cls, data: pd.DataFrame, name: str, context: Context) -> _BoundaryYear:
        attribute_year = data["year_code"].fillna("").str.extract(r"^(\d{4})", expand=False)
        file_year = FILE_YEAR.search(Path(name).stem)
        option_year = str(context.options.get("year", "")).strip()
        return cls(attribute_year, file_year.group(1) if file_year else None, option_year)

    def per_feature(self) -> pd.Series:
        fallback = self.file if self.file is not None else self.option
        return self.attribute.fillna(fallback).replace("", pd.NA)

    def notes(self, kept: pd.Series, stored: pd.Series) -> list[str]:
        """Where the year came from, and that --year was ignored where the file names another."""
        if self.attribute[kept].notna().all():
            notes = ["grensjaar uit jaarstatcode"]
        elif self.file is not None:
            notes = [f"grensjaar {self.file} uit de bestandsnaam"]
        else:
            notes = [f"grensjaar {self.option} opgegeven"]
        if self.option and set(stored.astype(str)) - {self.option}:
            notes.append(f"opgegeven jaar {self.option} genegeerd: het bestand noemt zelf het grensjaar")
        return notes


def _check_years(data: pd.DataFrame, years: _BoundaryYear, kept: pd.Series, report: _Report) -> pd.Series:
    """Each feature's boundary year (also written back to `data`); a problem where it is unknown or no year."""
    year = years.per_feature()
    data["year"] = year
    report(
        kept & year.isna(),
        None,
        "grensjaar onbekend: geen jaarstatcode en geen jaar in de bestandsnaam; geef het jaar op (--year)",
    )
    report(kept & year.notna() & ~year.fillna("0").str.fullmatch(r"\d{4}"), None, "'{year}' is geen grensjaar")
    return year


def _check_parents(data: pd.DataFrame, context: Context, kept: pd.Series, report: _Report) -> pd.Series:
    """Parents: a buurt's wijk comes from the file and must be loaded or in the file. Also no code
    twice. Returns the wijk code of each feature (upper case, "" where none)."""
    code, level = data["code"], data["level"]
    wijk = data["wijk_code"].fillna("").str.upper()
    is_buurt = kept & (level == "buurt")
    report(is_buurt & (wijk == ""), "wijkcode", "buurt {code} heeft geen wijkcode")
    report(
        is_buurt & (wijk != "") & (wijk.str[2:8] != code.str[2:8]),
        "wijkcode",
        "buurt {code} ligt volgens zijn code niet in wijk {wijk_code}",
    )
    known_wijken = set(context.areas.loc[context.areas["area_level"] == "wijk", "area_code"])
    known_wijken |= set(code[kept & (level == "wijk")])
    report(
        is_buurt & (wijk != "") & (wijk.str[2:8] == code.str[2:8]) & ~wijk.isin(known_wijken),
        "wijkcode",
        "wijk {wijk_code} van buurt {code} staat niet in het bestand en niet in de geladen grenzen",
    )
    twice = code.where(kept).duplicated(keep=False) & kept
    report(twice, "code", "code {code} staat meer dan eens in het bestand")
    return wijk


def _check_geometries(data: pd.DataFrame, kept: pd.Series, report: _Report) -> pd.Series:
    """The polygons of each feature; a problem where a kept feature has none."""
    report(kept & data["wkb"].isna(), None, "gebied {code} heeft geen geometrie")
    exact = pd.Series([shapely.from_wkb(w) if w is not None else None for w in data["wkb"]], index=data.index)
    polygonal = exact.map(_polygonal)
    report(
        kept & data["wkb"].notna() & polygonal.map(lambda g: g is None or g.is_empty),
        None,
        "gebied {code} heeft geen vlak als geometrie",
    )
    return polygonal


def _area_rows(rows: pd.DataFrame, shapes: pd.Series, wijk: pd.Series, year: pd.Series) -> pd.DataFrame:
    """The areas table rows of the kept features, with the display and the exact geometry."""
    display = shapely.set_precision(
        shapely.simplify(shapes.to_numpy(), DISPLAY_TOLERANCE, preserve_topology=True), DISPLAY_GRID
    )
    cbs_names = rows["name"].fillna("").where(rows["name"].fillna("") != "", rows["code"])
    parent = np.select(
        [rows["level"] == "buurt", rows["level"] == "wijk"],
        [wijk, "GM" + rows["code"].str[2:6]],
        np.asarray(None),
    )  # a gemeente has no parent (None, as numpy makes of a default None itself)
    centroids = shapely.centroid(shapes.to_numpy())
    return pd.DataFrame(
        {
            "area_code": rows["code"].astype(str),
            "area_level": rows["level"].astype(str),
            "name": cbs_names.astype(str),
            "display_name": cbs_names.str.replace(r"^Wijk \d+\s+", "", regex=True).astype(str),
            "parent_code": parent,
            "gemeente_code": ("GM" + rows["code"].str[2:6]).astype(str),
            "boundary_year": year.astype(int),
            "geometry_wkb": shapely.to_wkb(display),
            "exact_wkb": shapely.to_wkb(shapes.to_numpy()),
            "centroid_lon": shapely.get_x(centroids),
            "centroid_lat": shapely.get_y(centroids),
            "area_km2": rows["area_m2"].astype(float) / 1e6,
        }
    ).reset_index(drop=True)


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
    compared = _compare_areas(con, checked.rows)
    _write_areas(con, compared.loc[~compared["same"], "area_code"].tolist())
    compared["period"] = compared["boundary_year"].astype(str)
    # a buurt counts for its wijk; a wijk and a gemeente for themselves
    compared["area_code"] = compared["parent_code"].where(compared["area_level"] == "buurt", compared["area_code"])
    compared["new"] = (~compared["existed"]).astype(int)
    compared["replaced"] = (compared["existed"] & ~compared["same"]).astype(int)
    compared["unchanged"] = compared["same"].astype(int)
    notes = list(checked.notes) + _missing_areas_notes(con)
    con.execute("DROP TABLE incoming_areas")
    con.execute("DROP TABLE changed_areas")
    return Outcome(checked.kind, changes_frame(compared, checked.skipped_where), checked.skipped, notes)


def _compare_areas(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Temp table `incoming_areas` (the rows); returns per area whether it existed and is the same."""
    con.register("incoming_rows", rows)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming_areas AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    return con.execute(
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


def _write_areas(con: duckdb.DuckDBPyConnection, changed: list[str]) -> None:
    """Write the `changed` areas of `incoming_areas` (temp table `changed_areas`): update or add
    them with both geometries, and the gemeenten's boundary year."""
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


def _missing_areas_notes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """A note naming the stored areas (of the gemeenten and levels in the file) the file leaves out."""
    missing = con.execute(
        """SELECT a.area_code FROM areas AS a
        INNER JOIN (SELECT DISTINCT gemeente_code, area_level FROM incoming_areas) AS l
            ON a.gemeente_code = l.gemeente_code AND a.area_level = l.area_level
        WHERE a.area_code NOT IN (SELECT area_code FROM incoming_areas) ORDER BY a.area_code"""
    ).fetchall()
    if not missing:
        return []
    codes = [code for (code,) in missing]
    shown = ", ".join(codes[:10]) + (f" en {len(codes) - 10} meer" if len(codes) > 10 else "")
    return [f"{len(codes)} gebieden niet in het bestand blijven staan (andere gegevens verwijzen ernaar): {shown}"]


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
