"""Incident events from the gemeente's own systems: CSV with lat/lon (Dutch decimal commas),
XLSX with RD x/y under a title row, CSV with only a buurtcode; points placed in buurten by the
exact boundaries; every failure path leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest
import shapely

from ivpdata import queries, spatial
from ivpdata.h3cells import cell_columns
from ivpdata.importing import KINDS, run_import
from ivpdata.importing.events import ID_BASE, TEMPLATE_COLUMNS
from ivpdata.validate import DataError
from tests.support.dbstate import changed, fetch, one_row, state

ROTTERDAM = (4.4792, 51.9225)  # lon, lat: outside Dordrecht and Enkhuizen


def inside(db: Path, code: str) -> tuple[float, float]:
    """A point well inside a buurt (its representative point), rounded as stored."""
    wkb = fetch(db, "SELECT geometry_wkb FROM areas WHERE area_code = ?", [code])[0][0]
    point = shapely.from_wkb(bytes(wkb)).buffer(-0.0003).representative_point()
    return round(point.x, 6), round(point.y, 6)


def dutch(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def write_csv(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    text = "\r\n".join(";".join(line) for line in [header, *lines]) + "\r\n"
    path.write_text(text, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    return path


def lat_lon_csv(db: Path, path: Path) -> Path:
    a, b = inside(db, "BU05050101"), inside(db, "BU05050102")
    lines = [
        ["15-01-2024", "14:30", "1.1.1", dutch(a[1]), dutch(a[0]), ""],
        ["16-01-2024", "", "Diefstal/inbraak woning", dutch(b[1]), dutch(b[0]), "BU05050101"],  # name; buurt differs
        ["2024-02-03", "23:05", "1.1.1", dutch(a[1]), dutch(a[0]), "BU05050101"],
        ["03-02-2024", "09:00", "1.1.1", dutch(ROTTERDAM[1]), dutch(ROTTERDAM[0]), ""],  # outside
    ]
    return write_csv(path, ["datum", "tijd", "categorie", "lat", "lon", "buurtcode"], lines)


def test_csv_with_lat_lon_replaces_demo_events_and_reimports_unchanged(db_file, tmp_path):
    # demo events of the buurten, months and category in the file (covered) and of the others
    demo_query = (
        "SELECT buurt_code = 'BU05050101' OR (buurt_code = 'BU05050102' AND month(occurred_at) = 1) AS covered, "
        "count(*) FROM incident_events WHERE is_demo AND gemeente_code = 'GM0505' AND category_code = '1.1.1' "
        "AND occurred_at >= '2024-01-01' AND occurred_at < '2024-03-01' GROUP BY ALL"
    )
    demo_before = dict(fetch(db_file, demo_query))
    assert demo_before[False] > 0
    path = lat_lon_csv(db_file, tmp_path / "meldingen.csv")
    outcome = run_import(path, db_file, None, "tester")
    assert outcome.kind == "eigen-incidenten"
    assert (outcome.new, outcome.replaced, outcome.unchanged) == (3, 0, 0)
    assert outcome.demo_replaced == demo_before.get(True, 0)
    assert outcome.skipped == {"buiten de gemeente": 1}
    assert any("1 rij: de opgegeven buurtcode verschilt" in note for note in outcome.notes)
    assert dict(fetch(db_file, demo_query)) == {False: demo_before[False]}  # other buurten keep theirs
    stored = fetch(
        db_file,
        "SELECT occurred_at, category_code, buurt_code, lon, lat, h3_r8, h3_r9, h3_r10, source_id, event_id >= ? "
        "FROM incident_events WHERE NOT is_demo ORDER BY occurred_at",
        [ID_BASE],
    )
    a, b = inside(db_file, "BU05050101"), inside(db_file, "BU05050102")
    assert [r[:5] for r in stored] == [
        (dt.datetime(2024, 1, 15, 14, 30), "1.1.1", "BU05050101", *a),
        (dt.datetime(2024, 1, 16), "1.1.1", "BU05050102", *b),  # the point wins over the buurtcode
        (dt.datetime(2024, 2, 3, 23, 5), "1.1.1", "BU05050101", *a),
    ]
    cells = cell_columns(np.array([a[1]]), np.array([a[0]]))
    assert stored[0][5:8] == (int(cells["h3_r8"][0]), int(cells["h3_r9"][0]), int(cells["h3_r10"][0]))
    assert all(r[8] == "eigen-incidenten" and r[9] for r in stored)
    changes = outcome.changes.set_index(["period", "area_code"])
    assert changes.loc[("2024-01", "WK050501"), "new"] == 2
    assert changes.loc[("2024-02", ""), "skipped"] == 1  # outside every buurt: no wijk
    ids = fetch(db_file, "SELECT count(DISTINCT event_id), count(*) FROM incident_events")[0]
    assert ids[0] == ids[1]
    before = state(db_file)
    again = run_import(path, db_file, None, "tester")
    assert (again.new, again.replaced, again.unchanged, again.demo_replaced) == (0, 0, 3, 0)
    assert changed(before, state(db_file)) == {"load_history"}


def xlsx_rd(db: Path, path: Path, category: str = "1.2.3") -> Path:
    """A workbook as a case system exports it: a title row, id, date with time, RD x/y."""
    points = [inside(db, "BU05050102"), inside(db, "BU05050103")]
    con = spatial.connect()
    rd = [
        one_row(
            con,
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_Point(?, ?), 'EPSG:4326', 'EPSG:28992', "
            "always_xy := true) AS p)",
            list(point),
        )
        for point in points
    ]
    con.close()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Export meldingen Stadstoezicht, januari 2024"])
    sheet.append(["id", "datum", "categorie", "x", "y"])
    sheet.append(["ST-0001", dt.datetime(2024, 1, 5, 8, 15), category, round(rd[0][0], 2), round(rd[0][1], 2)])
    sheet.append(["ST-0002", "2024-01-06 17:45", "OVL-JGD", f"{rd[1][0]:.2f}".replace(".", ","), f"{rd[1][1]:.2f}"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_xlsx_with_rd_coordinates_and_ids(db_file, tmp_path):
    outcome = run_import(xlsx_rd(db_file, tmp_path / "stadstoezicht.xlsx"), db_file, None, "tester")
    assert (outcome.new, outcome.skipped) == (2, {})
    assert any("titelregel" in note for note in outcome.notes)
    stored = fetch(
        db_file,
        "SELECT occurred_at, category_code, buurt_code, lon, lat FROM incident_events WHERE NOT is_demo ORDER BY 1",
    )
    expected = [inside(db_file, "BU05050102"), inside(db_file, "BU05050103")]
    assert [r[:3] for r in stored] == [
        (dt.datetime(2024, 1, 5, 8, 15), "1.2.3", "BU05050102"),
        (dt.datetime(2024, 1, 6, 17, 45), "OVL-JGD", "BU05050103"),
    ]
    for (_, _, _, lon, lat), (x, y) in zip(stored, expected, strict=True):
        assert lon == pytest.approx(x, abs=2e-6) and lat == pytest.approx(y, abs=2e-6)  # RD rounded to 1 cm
    # The same ids with a corrected category: replaced, not added.
    newer = run_import(xlsx_rd(db_file, tmp_path / "stadstoezicht-v2.xlsx", "1.2.4"), db_file, None, "tester")
    assert (newer.new, newer.replaced, newer.unchanged) == (0, 1, 1)
    assert fetch(db_file, "SELECT category_code FROM incident_events WHERE NOT is_demo ORDER BY occurred_at") == [
        ("1.2.4",),
        ("OVL-JGD",),
    ]


def test_csv_with_only_buurtcode_is_stored_without_a_place_on_the_hotspot_map(db_file, tmp_path):
    lines = [
        ["01-03-2024", "OVL-JGD", "BU05050101"],
        ["01-03-2024", "OVL-JGD", "BU05050101"],  # the same again: a second incident
        ["02-03-2024", "OVL-JGD", "BU03630000"],  # another gemeente
    ]
    path = write_csv(tmp_path / "jeugdoverlast.csv", ["datum", "categorie", "buurtcode"], lines)
    outcome = run_import(path, db_file, None, "tester")
    assert (outcome.new, outcome.skipped) == (2, {"andere gemeente": 1})
    assert outcome.skipped_detail == {"andere gemeente": "GM0363: 1 rij (rij 4, BU03630000)"}
    assert any("alleen met buurtcode" in note for note in outcome.notes)
    assert any("1 rij gelijk aan een eerdere rij" in note for note in outcome.notes)
    stored = fetch(db_file, "SELECT buurt_code, lon, lat, h3_r9 FROM incident_events WHERE NOT is_demo")
    assert stored == [("BU05050101", None, None, None)] * 2
    with duckdb.connect(str(db_file), read_only=True) as con:
        period = (dt.date(2024, 3, 1), dt.date(2024, 3, 1))
        cells = queries.hotspot_cells(con, "GM0505", ["OVL-JGD"], period, 9, 1)
        demo = one_row(
            con,
            "SELECT count(*) FROM incident_events WHERE buurt_code = 'BU05050101' AND category_code = 'OVL-JGD' "
            "AND occurred_at >= '2024-03-01' AND occurred_at < '2024-04-01'",
        )[0]
        placed = one_row(
            con,
            "SELECT count(*) FROM incident_events WHERE gemeente_code = 'GM0505' AND category_code = 'OVL-JGD' "
            "AND occurred_at >= '2024-03-01' AND occurred_at < '2024-04-01' AND h3_r9 IS NOT NULL",
        )[0]
    assert demo == 2  # the buurt's demo events of March are replaced by the two imported ones
    assert int(cells["event_count"].sum()) == placed  # neither has a cell (other buurten keep their demo events)
    assert run_import(path, db_file, None, "tester").unchanged == 2


def test_points_are_placed_by_the_exact_boundary(db_file, tmp_path):
    buurten = {
        code: shapely.from_wkb(bytes(wkb))
        for code, wkb in fetch(db_file, "SELECT area_code, geometry_wkb FROM areas WHERE area_level = 'buurt'")
    }
    display = buurten["BU05050101"]
    exact = display.buffer(-0.0004)
    others = shapely.union_all([g for code, g in buurten.items() if code != "BU05050101"])
    # inside the display geometry, outside the exact one and outside every other buurt
    point = display.difference(exact).difference(others).representative_point()
    path = write_csv(
        tmp_path / "rand.csv",
        ["datum", "categorie", "lat", "lon"],
        [["10-01-2024", "1.1.1", str(point.y), str(point.x)]],
    )
    preview = run_import(path, db_file, None, "tester", preview=True)
    assert preview.new == 1
    assert preview.changes.loc[preview.changes["new"] > 0, "area_code"].tolist() == ["WK050501"]
    with duckdb.connect(str(db_file)) as con:
        con.execute("INSERT INTO area_exact_geometries VALUES ('BU05050101', ?)", [shapely.to_wkb(exact)])
    with pytest.raises(DataError, match="geen incidenten binnen de gemeenten"):
        run_import(path, db_file, None, "tester")
    assert fetch(db_file, "SELECT count(*) FROM incident_events WHERE NOT is_demo") == [(0,)]


def test_template_has_the_columns_the_import_reads():
    template_of = KINDS["eigen-incidenten"].template
    assert template_of is not None  # the kind offers a template to fill in
    template = template_of()
    assert list(template.columns) == TEMPLATE_COLUMNS and template.empty
    assert KINDS["eigen-incidenten"].recognises(template)


def failing(db_file: Path, path: Path, *expected: str) -> None:
    before = state(db_file)
    with pytest.raises(DataError) as error:
        run_import(path, db_file, None, "tester")
    message = str(error.value)
    for part in (path.name, *expected):
        assert part in message
    assert state(db_file) == before


@pytest.mark.parametrize(
    ("header", "line", "expected"),
    [
        (["datum", "categorie", "buurtcode"], ["31-02-2024", "1.1.1", "BU05050101"], "row 2, column 'datum'"),
        (["datum", "categorie", "buurtcode"], ["2024-01-05", "Fietsendiefstal", "BU05050101"], "onbekende categorie"),
        (["datum", "categorie", "lat", "lon"], ["2024-01-05", "1.1.1", "", ""], "geen plaats"),
        (["datum", "categorie", "x", "y"], ["2024-01-05", "1.1.1", "105200,5", "ca. 425700"], "column 'y'"),
        (["datum", "categorie", "buurtcode"], ["2024-01-05", "1.1.1", "BU05059999"], "onbekende buurtcode"),
    ],
)
def test_bad_rows_fail_and_change_nothing(db_file, tmp_path, header, line, expected):
    good = ["05-01-2024", "1.1.1", "BU05050101", "51,81", "4,66"][: len(header)]
    if "lat" in header:
        good = ["05-01-2024", "1.1.1", "51,8128", "4,6655"]
    if "x" in header:
        good = ["05-01-2024", "1.1.1", "105200", "425700"]
    failing(db_file, write_csv(tmp_path / "fout.csv", header, [line, good]), expected)


def test_duplicate_id_fails(db_file, tmp_path):
    lines = [["A1", "05-01-2024", "1.1.1", "BU05050101"], ["A1", "06-01-2024", "1.1.1", "BU05050102"]]
    path = write_csv(tmp_path / "dubbel.csv", ["id", "datum", "categorie", "buurtcode"], lines)
    failing(db_file, path, "row 3, column 'id'", "'A1' staat meer dan eens")
