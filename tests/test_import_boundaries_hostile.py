"""Hostile boundary uploads: files that try to make the server fetch a URL or read a local file
through GDAL (a VRT named .geojson, a GeoJSON whose crs is a link, a zip with a path outside or
an embedded VRT, a GeoPackage whose layer is a view), and files too big to handle (a buurt of a
million vertices). A listener on loopback proves that no request leaves the server; every file is
refused with a Dutch message naming it, and the database stays as it was."""

from __future__ import annotations

import http.server
import io
import json
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely

from ivpdata import spatial
from ivpdata.config import DATA_DIR
from ivpdata.importing import geofiles
from ivpdata.importing.run import import_bytes
from ivpdata.validate import DataError
from tests.support.dbstate import state

SECRET = "GEHEIM-7f3a9c"
BUURTEN = DATA_DIR / "geo" / "dordrecht_buurten_2024.geojson"


class Listener:
    """An HTTP server on 127.0.0.1 that records every connection it accepts."""

    def __init__(self) -> None:
        self.connections: list[str] = []
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                body = b'{"type": "FeatureCollection", "features": []}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request: object, client_address: tuple) -> bool:
                owner.connections.append(str(client_address))
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    served = Listener()
    served.thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def refused(db_file: Path, listener: Listener, raw: bytes, name: str, *expected: str) -> str:
    """Upload `raw` as `name` for a preview: refused with a Dutch message naming the file,
    no connection to the listener, no secret in the message, the database unchanged."""
    before = state(db_file)
    with pytest.raises(DataError) as error:
        import_bytes(raw, name, db_file, None, "tester", preview=True)
    message = str(error.value)
    assert listener.connections == [] and listener.requests == []
    assert name in message
    for part in expected:
        assert part in message
    assert SECRET not in message
    assert state(db_file) == before
    return message


def vrt(source: str, geometry: str | None = None) -> bytes:
    """An OGR VRT data source reading `source` (a URL through /vsicurl/ or a local file)."""
    field = f'<GeometryField encoding="WKT" field="{geometry}"/>' if geometry else ""
    return (
        f'<OGRVRTDataSource><OGRVRTLayer name="buurten"><SrcDataSource>{source}</SrcDataSource>{field}'
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


def buurten_geojson(**members: object) -> dict:
    """The real Dordrecht buurten (WGS84) as a GeoJSON document, with extra top-level members."""
    document = json.loads(BUURTEN.read_text(encoding="utf-8"))
    document.update(members)
    return document


@pytest.mark.parametrize("name", ["x_2024.geojson", "x_2024.gpkg"])
def test_vrt_fetching_a_url_is_refused_without_a_request(db_file, listener, name):
    raw = vrt(f"/vsicurl/{listener.url('buurten.geojson')}")
    refused(db_file, listener, raw, name, "geen")


def test_vrt_reading_a_local_file_is_refused_and_leaks_nothing(db_file, listener, tmp_path):
    secret = tmp_path / "geheim.csv"
    secret.write_text(
        f'buurtcode,wijkcode,WKT\n{SECRET},WK050501,"POLYGON((4.6 51.8,4.7 51.8,4.7 51.9,4.6 51.8))"\n',
        encoding="utf-8",
    )
    for source in (str(secret), f"/vsicurl/{listener.url('x')}"):
        for name in ("buurten_2024.geojson", "buurten_2024.gpkg"):
            refused(db_file, listener, vrt(source, "WKT"), name, "geen")
    # the same VRT as the shapefile of a zip
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("buurt.shp", vrt(str(secret), "WKT"))
        zipped.writestr("buurt.shx", b"")
        zipped.writestr("buurt.dbf", b"")
    refused(db_file, listener, archive.getvalue(), "buurten_2024.zip", "buurt.shp", "niet te lezen")


@pytest.mark.parametrize(
    ("crs", "expected"),
    [
        ({"type": "link", "properties": {"href": "URL", "type": "proj4"}}, "coördinatenstelsel"),
        ({"type": "name", "properties": {"name": "URL"}}, "coördinatenstelsel"),
        ({"type": "name", "properties": {"name": "/etc/passwd"}}, "coördinatenstelsel"),
    ],
)
def test_geojson_crs_pointing_elsewhere_is_refused_without_a_request(db_file, listener, crs, expected):
    crs = json.loads(json.dumps(crs).replace("URL", listener.url("crs")))
    raw = json.dumps(buurten_geojson(crs=crs)).encode()
    refused(db_file, listener, raw, "buurten_2024.geojson", expected)


def test_geojson_with_urls_in_links_and_properties_is_read_without_a_request(db_file, listener):
    document = buurten_geojson(links=[{"href": listener.url("links"), "rel": "self"}])
    for feature in document["features"]:
        feature["properties"]["website"] = listener.url("property")
        feature["geometry"]["crs"] = {"type": "link", "properties": {"href": listener.url("geometry")}}
    before = state(db_file)
    outcome = import_bytes(json.dumps(document).encode(), "buurten_2024.geojson", db_file, None, "tester", preview=True)
    assert outcome.kind == "cbs-wijk-buurtkaart" and outcome.replaced == 132
    assert listener.connections == [] and listener.requests == []
    assert state(db_file) == before


def shapefile_zip(tmp_path: Path, extra: dict[str, bytes]) -> bytes:
    """A real zipped shapefile of Dordrecht buurten (GDAL writes it) plus the `extra` members."""
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    con = spatial.connect()
    try:
        con.execute(
            f"COPY (SELECT code AS buurtcode, wijk_code AS wijkcode, geom FROM ST_Read('{BUURTEN}')) "
            f"TO '{folder / 'buurt.shp'}' WITH (FORMAT GDAL, DRIVER 'ESRI Shapefile', SRS 'EPSG:4326')"
        )
    finally:
        con.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for part in sorted(folder.iterdir()):
            zipped.write(part, f"kaart/{part.name}")
        for member, content in extra.items():
            zipped.writestr(member, content)
    return archive.getvalue()


def test_plain_shapefile_zip_is_read(db_file, listener, tmp_path):
    outcome = import_bytes(shapefile_zip(tmp_path, {}), "buurten_2024.zip", db_file, None, "tester", preview=True)
    assert outcome.replaced == 132


def test_shapefile_whose_prj_and_cpg_name_a_url_is_read_without_a_request(db_file, listener, tmp_path):
    raw = shapefile_zip(tmp_path, {})
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(rewritten, "w") as target:
        for member in source.namelist():
            url = listener.url(member).encode()
            target.writestr(member, url if member.endswith((".prj", ".cpg")) else source.read(member))
    outcome = import_bytes(rewritten.getvalue(), "buurten_2024.zip", db_file, None, "tester", preview=True)
    assert outcome.replaced == 132  # no CRS: WGS84 recognised by where the coordinates lie
    assert listener.connections == [] and listener.requests == []


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("../../buiten.shp", "buiten de map"),
        ("/etc/cron.d/x.prj", "buiten de map"),
        ("kaart/buurt.vrt", "'kaart/buurt.vrt'"),
        ("kaart/binnen.zip", "ingepakt bestand"),
        ("kaart/buurt.shp", "meer dan eens in het zip-bestand"),
    ],
)
def test_zip_with_a_member_outside_the_shapefile_is_refused(db_file, listener, tmp_path, member, expected):
    raw = shapefile_zip(tmp_path, {member: vrt(f"/vsicurl/{listener.url('zip')}")})
    refused(db_file, listener, raw, "buurten_2024.zip", expected)


def test_zip_that_unpacks_beyond_the_limit_is_refused(db_file, listener, tmp_path, monkeypatch):
    monkeypatch.setattr(geofiles, "MAX_UNPACKED_BYTES", 2_000_000)
    raw = shapefile_zip(tmp_path, {"kaart/leeg.cpg": b"\x00" * 3_000_000})
    refused(db_file, listener, raw, "buurten_2024.zip", "uitgepakt", "MB")


def buurten_geopackage(tmp_path: Path) -> Path:
    """Dordrecht's buurten as a plain GeoPackage (layer 'buurten'), to be made hostile."""
    path = tmp_path / "kaart.gpkg"
    con = spatial.connect()
    try:
        con.execute(
            f"COPY (SELECT code AS buurtcode, wijk_code AS wijkcode, geom FROM ST_Read('{BUURTEN}')) "
            f"TO '{path}' WITH (FORMAT GDAL, DRIVER 'GPKG', SRS 'EPSG:4326', LAYER_NAME 'buurten')"
        )
    finally:
        con.close()
    return path


def test_geopackage_whose_layer_is_a_view_is_refused(db_file, listener, tmp_path):
    path = buurten_geopackage(tmp_path)
    with sqlite3.connect(path) as db:  # a view that reads a remote raster when GDAL reads the layer
        db.execute(
            "CREATE VIEW remote AS SELECT fid, buurtcode, wijkcode, geom, "
            f"gdal_get_pixel_value('/vsicurl/{listener.url('tif')}', 1, 'pixel', 0, 0) AS pixel FROM buurten"
        )
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('remote', 'features', 'remote', 4326)"
        )
        db.execute(
            "INSERT INTO gpkg_geometry_columns SELECT 'remote', column_name, geometry_type_name, srs_id, z, m "
            "FROM gpkg_geometry_columns WHERE table_name = 'buurten'"
        )
    refused(db_file, listener, path.read_bytes(), "kaart_2024.gpkg", "laag 'remote'", "geen gewone tabel")


def test_geopackage_with_a_computed_column_is_refused(db_file, listener, tmp_path):
    path = buurten_geopackage(tmp_path)
    with sqlite3.connect(path) as db:  # computed whenever GDAL reads a row
        db.execute(
            "ALTER TABLE buurten ADD COLUMN pixel GENERATED ALWAYS AS "
            f"(gdal_get_pixel_value('/vsicurl/{listener.url('tif')}', 1, 'pixel', 0, 0)) VIRTUAL"
        )
    refused(db_file, listener, path.read_bytes(), "kaart_2024.gpkg", "laag 'buurten'", "berekende kolommen")


def test_file_that_is_not_a_geopackage_is_refused_by_its_header(db_file, listener):
    raw = json.dumps(buurten_geojson()).encode()  # readable, but a GeoJSON, not a GeoPackage
    refused(db_file, listener, raw, "buurten_2024.gpkg", "geen GeoPackage")


def circle(vertices: int) -> list[list[float]]:
    """A ring of `vertices` points around the centre of Dordrecht (WGS84), closed."""
    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([4.69 + 0.01 * np.cos(angle), 51.80 + 0.006 * np.sin(angle)])
    return np.vstack([ring, ring[:1]]).round(7).tolist()


def huge_buurt_geojson(vertices: int) -> bytes:
    document = buurten_geojson()
    document["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [circle(vertices)]}
    return json.dumps(document).encode()


def huge_buurt_geopackage(path: Path, vertices: int) -> bytes:
    """A GeoPackage (layer 'buurten') of one buurt with `vertices` vertices."""
    con = spatial.connect()
    try:
        con.execute(
            f"COPY (SELECT 'BU05050100' AS buurtcode, 'WK050501' AS wijkcode, ST_GeomFromWKB(?) AS geom) "
            f"TO '{path}' WITH (FORMAT GDAL, DRIVER 'GPKG', SRS 'EPSG:4326', LAYER_NAME 'buurten')",
            [shapely.to_wkb(shapely.Polygon(circle(vertices)))],
        )
    finally:
        con.close()
    return path.read_bytes()


@pytest.mark.slow  # the fast lane refuses the same buurt shape over a lowered limit (below)
def test_buurt_of_a_million_vertices_is_refused_as_geojson(db_file, listener):
    message = refused(db_file, listener, huge_buurt_geojson(1_000_000), "buurten_2024.geojson", "hoekpunten")
    assert "row 1" in message  # the first feature


@pytest.mark.slow  # the fast lane refuses the same buurt shape over a lowered limit (below)
def test_buurt_of_a_million_vertices_is_refused_as_geopackage(db_file, listener, tmp_path):
    raw = huge_buurt_geopackage(tmp_path / "groot.gpkg", 1_000_000)
    message = refused(db_file, listener, raw, "groot_2024.gpkg", "laag 'buurten'", "hoekpunten")
    assert "row 1" in message


def test_a_buurt_over_the_vertex_limit_per_area_is_refused_in_either_format(db_file, listener, tmp_path, monkeypatch):
    """The million-vertex refusals above, in small: the limit per area lowered to 1.000."""
    monkeypatch.setattr(geofiles, "MAX_VERTICES_PER_AREA", 1_000)
    expected = "2.001 hoekpunten in één gebied; ten hoogste 1.000"
    message = refused(db_file, listener, huge_buurt_geojson(2_000), "buurten_2024.geojson", expected)
    assert "row 1" in message
    raw = huge_buurt_geopackage(tmp_path / "groot.gpkg", 2_000)
    message = refused(db_file, listener, raw, "groot_2024.gpkg", "laag 'buurten'", expected)
    assert "row 1" in message
    raw = huge_buurt_geojson(999)  # 1.000 with the closing vertex: allowed, so a refusal is not about the shape
    assert import_bytes(raw, "buurten_2024.geojson", db_file, None, "tester", preview=True) is not None


def test_total_vertices_features_size_and_time_have_limits(db_file, listener, monkeypatch):
    raw = json.dumps(buurten_geojson()).encode()
    name = "buurten_2024.geojson"
    with monkeypatch.context() as patched:
        patched.setattr(geofiles, "MAX_VERTICES_TOTAL", 500)
        refused(db_file, listener, raw, name, "hoekpunten in totaal")
    with monkeypatch.context() as patched:
        patched.setattr(geofiles, "MAX_FEATURES", 100)
        refused(db_file, listener, raw, name, "132 gebieden", "100")
    with monkeypatch.context() as patched:
        patched.setattr(geofiles, "MAX_GEOJSON_BYTES", 10_000)
        refused(db_file, listener, raw, name, "te groot")
    with monkeypatch.context() as patched:
        patched.setattr(geofiles, "TIME_BUDGET_SECONDS", 0.0)
        refused(db_file, listener, raw, name, "duurde langer")
