"""DuckDB's spatial extension, loaded from the pinned wheel (no network: `INSTALL spatial`
downloads at run time and fails on many municipal networks), and the few geometry helpers the
imports share: which coordinate system a layer uses, and RD New to WGS84.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import duckdb_extension_spatial  # type: ignore[import-untyped]  # the wheel ships no type information
import numpy as np
import pandas as pd

from ivpdata.db import scalar

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
CRS_NAMES = {RD_NEW: "RD New (EPSG:28992)", WGS84: "WGS84 (EPSG:4326)"}
# Coordinate ranges of the Netherlands (with a margin), to recognise a layer without a CRS.
RD_RANGE = ((-10_000.0, 300_000.0), (280_000.0, 640_000.0))  # x, y in metres
WGS84_RANGE = ((3.0, 7.6), (50.6, 53.8))  # lon, lat in degrees
# How the extension names a geometry column's CRS, e.g. GEOMETRY('EPSG:28992').
TYPED_CRS = re.compile(r"GEOMETRY\('([^']+)'\)", re.I)
WGS84_ALIASES = {"EPSG:4326", "OGC:CRS84", "CRS84", "EPSG:4258"}  # ETRS89 equals WGS84 to within a metre here


def extension_path() -> Path:
    version = duckdb.__version__
    return Path(duckdb_extension_spatial.__file__).parent / "extensions" / f"v{version}" / "spatial.duckdb_extension"


def load_spatial(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Load the extension into `con` (once; loading again is harmless)."""
    loaded = scalar(con, "SELECT count(*) FROM duckdb_extensions() WHERE extension_name = 'spatial' AND loaded")
    if not loaded:
        con.execute(f"LOAD '{extension_path()}'")
    return con


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the spatial extension, for geometry work on trusted files."""
    return load_spatial(duckdb.connect())


def confined(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the spatial extension that reads files in `folder` only: no other
    local path, no network, no GDAL virtual file system paths (ST_Read refuses /vsicurl/, /vsizip/,
    ...), no extension loaded on the fly, and the settings locked. For files from outside. GDAL
    itself can still follow a reference inside a file (a VRT's source): name the driver too."""
    con = connect()
    allowed = str(Path(folder).resolve()).replace("'", "''") + "/"
    for setting in (
        "autoinstall_known_extensions = false",
        "autoload_known_extensions = false",
        f"allowed_directories = ['{allowed}']",
        "enable_external_access = false",
        "lock_configuration = true",
    ):
        con.execute(f"SET {setting}")
    return con


def crs_of_type(column_type: str) -> str | None:
    """'EPSG:28992' for GEOMETRY('EPSG:28992'); WGS84 aliases as 'EPSG:4326'; None without a CRS."""
    found = TYPED_CRS.search(column_type)
    if not found:
        return None
    crs = found.group(1).upper()
    return WGS84 if crs in WGS84_ALIASES else crs


def crs_from_range(min_x: float, min_y: float, max_x: float, max_y: float) -> str | None:
    """RD New or WGS84 from where the coordinates lie; None when they fit neither."""
    for crs, ((x0, x1), (y0, y1)) in ((RD_NEW, RD_RANGE), (WGS84, WGS84_RANGE)):
        if x0 <= min_x and max_x <= x1 and y0 <= min_y and max_y <= y1:
            return crs
    return None


def rd_to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RD New (x, y in metres) to WGS84 (lon, lat), point by point."""
    con = connect()
    try:
        con.register(
            "given", pd.DataFrame({"i": np.arange(len(x)), "x": np.asarray(x, float), "y": np.asarray(y, float)})
        )
        moved = con.execute(
            f"""SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                SELECT i, ST_Transform(ST_Point(x, y), '{RD_NEW}', '{WGS84}', always_xy := true) AS p FROM given
            ) ORDER BY i"""
        ).fetchnumpy()
    finally:
        con.close()
    return np.asarray(moved["lon"], dtype=float), np.asarray(moved["lat"], dtype=float)
