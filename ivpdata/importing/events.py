"""Single incidents from the gemeente's own case systems (CSV or XLSX): a date (`datum`, maybe
with a time or a `tijd` column), a category (`categorie`: a code or a name from categories.csv)
and a place: `lat`/`lon` (WGS84), `x`/`y` (RD New) or only a `buurtcode`.

Points are placed in buurten by the exact boundaries (`area_exact_geometries`, else
`areas.geometry_wkb`) with the spatial extension; points outside every buurt of the gemeenten
served are skipped ("buiten de gemeente"). Where a row gives both a point and a buurtcode that
disagree, the point wins and a note counts them: boundaries are generalised (data/geo to about
100 m) and case systems often store the buurt of an address, so disagreement near a border is
expected rather than an error. Rows with only a buurtcode have no place on the hotspot map: they
are stored without lon/lat/H3 (the hotspot query leaves them out) and still count per buurt.

Each event gets a stable id: from the file's `id` column when it has one (twice in a file is a
problem), else from gemeente, time, category and place (identical rows are counted as separate
incidents, numbered in file order). Re-importing a file changes nothing; real events replace
the demo events of the same buurt, month and category (other buurten keep theirs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from ivpdata import spatial
from ivpdata.formatting import counted
from ivpdata.h3cells import EVENT_DECIMALS, cell_columns
from ivpdata.importing import base, coverage
from ivpdata.importing.base import (
    OTHER_GEMEENTE,
    Checked,
    Context,
    Kind,
    Outcome,
    Skipped,
    changes_frame,
    no_gemeente_served,
    other_gemeente_rows,
    problems_for,
)
from ivpdata.importing.reading import ROW, parse_numbers
from ivpdata.validate import BUURT_CODE, DataError, Problem

EVENT_KIND = "eigen-incidenten"
EVENT_SOURCE = "eigen-incidenten"
TEMPLATE_COLUMNS = ["id", "datum", "tijd", "categorie", "lat", "lon", "x", "y", "buurtcode"]
# Imported event ids: 2**62 plus 60 bits of the key's hash, far above the demo ids (1, 2, ...).
ID_BASE = 1 << 62
DATE = (
    r"^(?:(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$"
)
TIME = r"^(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?$"
OUTSIDE = "buiten de gemeente"


def _column(frame: pd.DataFrame, name: str) -> str | None:
    """The file's column called `name`, in any case."""
    return next((c for c in frame.columns if str(c).strip().lower() == name), None)


def matches_events(frame: pd.DataFrame) -> bool:
    return _column(frame, "datum") is not None and _column(frame, "categorie") is not None


def template_events() -> pd.DataFrame:
    """The empty table a gemeente fills in (one row per incident)."""
    return pd.DataFrame({column: pd.Series(dtype="string") for column in TEMPLATE_COLUMNS})


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    column = _column(frame, name)
    return frame[column].fillna("").astype(str).str.strip() if column else pd.Series("", index=frame.index)


def _occurred_at(dates: pd.Series, times: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Timestamps from dd-mm-jjjj / jjjj-mm-dd (maybe with a time) and an optional hh:mm column;
    NaT where unreadable. Also returns which rows had a bad date and which a bad time."""
    parts = dates.str.extract(DATE)
    clock = times.str.extract(TIME)
    has_time = times != ""
    for unit in ("H", "M", "S"):
        parts[unit] = clock[unit].where(has_time, parts[unit])
    fields = pd.DataFrame(
        {
            "year": parts["y"].fillna(parts["y2"]),
            "month": parts["m"].fillna(parts["m2"]),
            "day": parts["d"].fillna(parts["d2"]),
            "hour": parts["H"].fillna("0"),
            "minute": parts["M"].fillna("0"),
            "second": parts["S"].fillna("0"),
        }
    ).apply(pd.to_numeric, errors="coerce")
    # to_datetime would move 25:61 to 02:01 the next day: an impossible time is refused instead.
    impossible = (fields["hour"] > 23) | (fields["minute"] > 59) | (fields["second"] > 59)
    stamps = pd.to_datetime(fields, errors="coerce").mask(impossible)
    bad_time = has_time & (clock["H"].isna() | impossible)
    return stamps, stamps.isna() & ~bad_time, bad_time


def _future_problems(occurred_at: pd.Series, data: pd.DataFrame, name: str, datum: str | None) -> list[Problem]:
    """An incident cannot have happened after today."""
    today = base.today()
    late = occurred_at >= pd.Timestamp(today + dt.timedelta(days=1))
    return problems_for(
        late,
        data,
        name,
        datum,
        lambda r: f"'{r[datum]}' ligt na vandaag ({today:%d-%m-%Y}): een incident kan niet in de toekomst liggen",
    )


def check_events(frame: pd.DataFrame, context: Context) -> Checked:
    name, data = context.file_name, frame.reset_index(drop=True)
    occurred_at, problems = _read_times(data, name)
    category, category_problems = _read_categories(data, name, context.categories)
    places, place_problems = _read_places(data, name)
    problems += category_problems + place_problems
    if problems:
        raise DataError(problems)

    placed = _place_in_buurten(data, name, context, places)
    keys, key_problems = _event_keys(data, name, places, placed, occurred_at, category)
    if placed.problems or key_problems:
        raise DataError(placed.problems + key_problems)
    notes = _event_notes(places, placed, keys, has_ids=_column(data, "id") is not None)
    if not placed.kept.any() and OTHER_GEMEENTE in placed.skipped_detail:
        detail = placed.skipped_detail[OTHER_GEMEENTE]
        raise DataError([no_gemeente_served(name, places.buurt_column, context.gemeenten, detail)])
    if not placed.kept.any():
        raise DataError([Problem(name, None, None, "geen incidenten binnen de gemeenten die dit systeem bedient")])

    rows = _event_rows(keys, places, placed, occurred_at, category)
    month = occurred_at.dt.strftime("%Y-%m")
    skipped_where = pd.DataFrame({"period": month, "area_code": "", "skipped": 1})[placed.outside]
    return Checked(EVENT_KIND, rows, placed.skipped, notes, skipped_where, placed.skipped_detail)


def _read_times(data: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    """When each incident happened, with the problems of unreadable and future dates and times."""
    occurred_at, bad_date, bad_time = _occurred_at(_text(data, "datum"), _text(data, "tijd"))
    datum, tijd = _column(data, "datum"), _column(data, "tijd")
    problems = problems_for(
        bad_date, data, name, datum, "'{value}' is geen bestaande datum (dd-mm-jjjj of jjjj-mm-dd, tijd 00:00-23:59)"
    )
    if tijd:
        problems += problems_for(bad_time, data, name, tijd, "'{value}' is geen bestaande tijd (uu:mm, 00:00-23:59)")
    return occurred_at, problems + _future_problems(occurred_at, data, name, datum)


def _read_categories(data: pd.DataFrame, name: str, categories: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    """Each row's category code (from a code or a name in categories.csv); NA where unknown."""
    categorie = _column(data, "categorie")
    by_code = dict(zip(categories["category_code"], categories["category_code"], strict=True))
    by_name = dict(zip(categories["name"].str.lower(), categories["category_code"], strict=True))
    given = _text(data, "categorie")
    category = given.map(by_code).fillna(given.str.lower().map(by_name))
    kinds = category.map(dict(zip(categories["category_code"], categories["kind"], strict=True)))
    problems = problems_for(
        category.isna(), data, name, categorie, "onbekende categorie '{value}' (een code of naam uit categories.csv)"
    )
    problems += problems_for(
        kinds == "totaal", data, name, categorie, "'{value}' is een totaal, geen categorie voor een incident"
    )
    return category, problems


@dataclass(frozen=True)
class _Places:
    """What the rows say about place: a point (WGS84, rounded) where given, and the buurtcode."""

    lon: pd.Series
    lat: pd.Series
    located: pd.Series  # a point: lat/lon or x/y
    buurt_given: pd.Series  # upper case, "" where empty
    buurt_column: str | None


def _read_places(data: pd.DataFrame, name: str) -> tuple[_Places, list[Problem]]:
    """Place: WGS84 lon/lat, RD x/y or a buurt code."""
    problems: list[Problem] = []
    lon, lat = pd.Series(np.nan, index=data.index), pd.Series(np.nan, index=data.index)
    place_columns = {c: _column(data, c) for c in ("lat", "lon", "x", "y", "buurtcode")}
    if not any(place_columns.values()):
        problems.append(Problem(name, 1, None, "geen plaats: kolommen lat en lon, x en y (RD) of buurtcode ontbreken"))
    numbers = {}
    for axis in ("lat", "lon", "x", "y"):
        text = _text(data, axis)
        numbers[axis] = parse_numbers(text.where(text != "", None))
        problems += problems_for(
            (text != "") & numbers[axis].isna(), data, name, place_columns[axis], "'{value}' is geen getal"
        )
    for first, second in (("lat", "lon"), ("x", "y")):
        half = numbers[first].notna() ^ numbers[second].notna()
        problems += problems_for(half, data, name, None, f"alleen {first} of {second} ingevuld: geef beide")
    wgs = numbers["lat"].notna() & numbers["lon"].notna()
    rd = ~wgs & numbers["x"].notna() & numbers["y"].notna()
    lon[wgs], lat[wgs] = numbers["lon"][wgs], numbers["lat"][wgs]
    if rd.any():
        lon[rd], lat[rd] = spatial.rd_to_wgs84(numbers["x"][rd].to_numpy(), numbers["y"][rd].to_numpy())
    located = wgs | rd
    buurt_given = _text(data, "buurtcode").str.upper()
    problems += problems_for(
        ~located
        & (buurt_given == "")
        & ~(numbers["lat"].notna() ^ numbers["lon"].notna())
        & ~(numbers["x"].notna() ^ numbers["y"].notna()),
        data,
        name,
        None,
        "geen plaats: vul lat en lon, x en y (RD) of buurtcode in",
    )
    rounded = _Places(
        lon.round(EVENT_DECIMALS), lat.round(EVENT_DECIMALS), located, buurt_given, place_columns["buurtcode"]
    )
    return rounded, problems


@dataclass
class _Placed:
    """Each row's buurt and gemeente, which rows are kept, and why the others are skipped."""

    buurt: pd.Series
    gemeente: pd.Series
    outside: pd.Series  # a point outside every buurt served
    kept: pd.Series
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped_detail: dict[str, str] = field(default_factory=dict)  # `Checked.skipped_detail`


def _place_in_buurten(data: pd.DataFrame, name: str, context: Context, places: _Places) -> _Placed:
    """A point's buurt by the boundaries, else the buurtcode given; rows outside the gemeenten
    served skipped, buurtcodes that are malformed or not loaded a problem."""
    located, buurt_given = places.located, places.buurt_given
    buurt = pd.Series(pd.NA, index=data.index, dtype="string")
    buurt[located] = _buurten_of(context, places.lon[located], places.lat[located])
    areas = context.areas.set_index("area_code")
    skips = Skipped(data[ROW])
    skip = skips.skip
    by_buurt = ~located
    outside = skip(located & buurt.isna(), OUTSIDE)
    problems = problems_for(
        by_buurt & ~buurt_given.str.fullmatch(BUURT_CODE.pattern),
        data,
        name,
        places.buurt_column,
        "'{value}' is geen buurtcode (BU + 8 tekens)",
    )
    other = skip(by_buurt & ~("GM" + buurt_given.str[2:6]).isin(context.gemeenten), OTHER_GEMEENTE)
    known_buurten = set(areas.index[areas["area_level"] == "buurt"])
    problems += problems_for(
        by_buurt & ~other & buurt_given.str.fullmatch(BUURT_CODE.pattern) & ~buurt_given.isin(known_buurten),
        data,
        name,
        places.buurt_column,
        "onbekende buurtcode '{value}' (niet in de geladen grenzen)",
    )
    buurt = buurt.where(located, buurt_given)
    gemeente = buurt.map(areas["gemeente_code"])
    detail = skips.details()
    if other.any():
        detail[OTHER_GEMEENTE] = other_gemeente_rows(buurt_given[other], data[ROW][other])
    return _Placed(buurt, gemeente, outside, ~outside & ~other, skips.counts, problems, detail)


def _event_keys(
    data: pd.DataFrame, name: str, places: _Places, placed: _Placed, occurred_at: pd.Series, category: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """Stable keys: the file's id, else what the row says (identical rows numbered in file order)."""
    id_column, kept, gemeente = _column(data, "id"), placed.kept, placed.gemeente.fillna("")
    ids = _text(data, "id")
    if id_column:
        problems = problems_for(kept & (ids == ""), data, name, id_column, "id ontbreekt")
        twice = ids.where(kept & (ids != "")).duplicated(keep=False) & kept & (ids != "")
        problems += problems_for(twice, data, name, id_column, "id '{value}' staat meer dan eens in het bestand")
        return gemeente + "|id|" + ids, problems
    place = np.where(
        places.located,
        places.lon.map("{:.6f}".format) + "," + places.lat.map("{:.6f}".format),
        "buurt " + placed.buurt.fillna(""),
    )
    keys = gemeente + "|" + occurred_at.astype(str) + "|" + category.fillna("") + "|" + place
    return keys + "|" + keys.groupby(keys).cumcount().astype(str), []


def _event_notes(places: _Places, placed: _Placed, keys: pd.Series, has_ids: bool) -> list[str]:
    """Notes on buurtcodes the points overrule, incidents without a point and repeated rows."""
    notes = []
    kept, located = placed.kept, places.located
    differs = located & kept & (places.buurt_given != "") & (places.buurt_given != placed.buurt)
    if differs.any():
        notes.append(
            f"{counted(int(differs.sum()), 'rij', 'rijen')}: de opgegeven buurtcode verschilt van de buurt waarin "
            "de coördinaten liggen (de coördinaten tellen)"
        )
    only_buurt = kept & ~located
    if only_buurt.any():
        notes.append(
            f"{int(only_buurt.sum())} incidenten alleen met buurtcode: opgeslagen zonder coördinaten, "
            "niet op de hotspotkaart"
        )
    repeats = 0 if has_ids else int((kept & ~keys.str.endswith("|0")).sum())
    if repeats:
        same = "gelijk aan een eerdere rij (datum, categorie, plaats): als aparte incidenten"
        notes.append(f"{counted(repeats, 'rij', 'rijen')} {same}")
    return notes


def _event_rows(
    keys: pd.Series, places: _Places, placed: _Placed, occurred_at: pd.Series, category: pd.Series
) -> pd.DataFrame:
    """The incident_events rows of the kept incidents, with H3 cells where there is a point."""
    kept = placed.kept
    rows = pd.DataFrame(
        {
            "event_id": [ID_BASE + int(hashlib.sha256(k.encode()).hexdigest()[:15], 16) for k in keys[kept]],
            "gemeente_code": placed.gemeente[kept].astype(str),
            "occurred_at": occurred_at[kept].dt.as_unit("us"),
            "category_code": category[kept].astype(str),
            "lon": places.lon[kept].astype("Float64"),
            "lat": places.lat[kept].astype("Float64"),
            "buurt_code": placed.buurt[kept].astype(str),
        }
    ).reset_index(drop=True)
    with_place = rows["lon"].notna().to_numpy()
    for column in ("h3_r8", "h3_r9", "h3_r10"):
        rows[column] = pd.array([pd.NA] * len(rows), dtype="UInt64")
    if with_place.any():
        cells = cell_columns(rows["lat"][with_place].to_numpy(float), rows["lon"][with_place].to_numpy(float))
        for column, values in cells.items():
            rows.loc[with_place, column] = values
    return rows


def _buurten_of(context: Context, lon: pd.Series, lat: pd.Series) -> np.ndarray:
    """The buurt (of a gemeente served) each point lies in, by the exact boundaries; NA outside."""
    con = spatial.load_spatial(context.con)
    points = pd.DataFrame({"i": np.arange(len(lon)), "lon": lon.to_numpy(float), "lat": lat.to_numpy(float)})
    con.register("event_points", points)
    try:
        found = con.execute(
            """
            WITH buurten AS (
                SELECT a.area_code, ST_GeomFromWKB(coalesce(x.geometry_wkb, a.geometry_wkb)) AS geom
                FROM areas AS a
                LEFT JOIN area_exact_geometries AS x ON a.area_code = x.area_code
                INNER JOIN municipalities AS m ON a.gemeente_code = m.gemeente_code
                WHERE a.area_level = 'buurt'
            )
            SELECT p.i, min(b.area_code) AS buurt  -- a point on a shared border: the lowest code
            FROM event_points AS p
            INNER JOIN buurten AS b ON ST_Intersects(b.geom, ST_Point(p.lon, p.lat))
            GROUP BY p.i
            """
        ).df()
    finally:
        con.unregister("event_points")
    result = pd.Series(pd.NA, index=range(len(points)), dtype="string")
    result[found["i"].to_numpy()] = found["buurt"].to_numpy()
    return result.to_numpy()


def apply_events(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """New and changed events written, unchanged ones left; the demo events of the buurten,
    months and categories the file holds removed (other buurten keep theirs). Per month and wijk."""
    compared = _compare_events(con, checked.rows)
    keys, demo = _delete_covered_demo_events(con)
    con.execute(
        """DELETE FROM incident_events WHERE event_id IN
        (SELECT event_id FROM compared_events WHERE existed AND NOT same)"""
    )
    con.execute(
        f"""INSERT INTO incident_events (event_id, gemeente_code, occurred_at, category_code, lon, lat, buurt_code,
            h3_r8, h3_r9, h3_r10, source_id, is_demo)
        SELECT event_id, gemeente_code, occurred_at, category_code, lon, lat, buurt_code, h3_r8, h3_r9, h3_r10,
            '{EVENT_SOURCE}', false
        FROM incoming_events WHERE event_id IN (SELECT event_id FROM compared_events WHERE NOT same)"""
    )
    real = con.execute(
        """SELECT gemeente_code, count(*) FILTER (WHERE existed AND NOT same), count(*) FILTER (WHERE same)
        FROM compared_events GROUP BY ALL"""
    ).fetchall()
    con.execute("DROP TABLE incoming_events")
    con.execute("DROP TABLE compared_events")
    demo_per_gemeente = demo.groupby("gemeente_code")["demo_replaced"].sum()
    counts = {
        code: coverage.Counts(demo=int(demo_per_gemeente.get(code, 0)), changed=changed, same=same)
        for code, changed, same in real
    }
    changes = changes_frame(
        pd.concat([compared, demo.drop(columns="gemeente_code").fillna({"area_code": ""})]), checked.skipped_where
    )
    outcome = Outcome(
        checked.kind, changes, checked.skipped, list(checked.notes), skipped_detail=checked.skipped_detail
    )
    outcome.coverage = coverage.describe(con, keys, counts, coverage.mixed_events(con, keys), coverage.EVENTS)
    return outcome


def _compare_events(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Temp tables `incoming_events` (the rows) and `compared_events` (whether each was stored and
    is the same); returns the new, replaced and unchanged events per month and wijk."""
    con.register("incoming_rows", rows)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming_events AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE compared_events AS
        SELECT i.event_id, i.gemeente_code, strftime(i.occurred_at, '%Y-%m') AS period, a.parent_code AS area_code,
            e.event_id IS NOT NULL AS existed,
            e.event_id IS NOT NULL AND e.gemeente_code = i.gemeente_code AND e.occurred_at = i.occurred_at
                AND e.category_code = i.category_code AND e.lon IS NOT DISTINCT FROM i.lon
                AND e.lat IS NOT DISTINCT FROM i.lat AND e.buurt_code IS NOT DISTINCT FROM i.buurt_code
                AND NOT e.is_demo AS same
        FROM incoming_events AS i
        INNER JOIN areas AS a ON i.buurt_code = a.area_code
        LEFT JOIN incident_events AS e ON i.event_id = e.event_id"""
    )
    return con.execute(
        """SELECT period, area_code, count(*) FILTER (WHERE NOT existed) AS new,
            count(*) FILTER (WHERE existed AND NOT same) AS replaced, count(*) FILTER (WHERE same) AS unchanged
        FROM compared_events GROUP BY ALL"""
    ).df()


def _delete_covered_demo_events(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Remove the demo events of each buurt, month and category in `incoming_events`. Returns those
    keys and the demo events removed per month, wijk and gemeente."""
    keys = con.execute(
        """SELECT DISTINCT gemeente_code, buurt_code AS area_code, year(occurred_at) AS year,
            month(occurred_at) AS month, category_code
        FROM incoming_events"""
    ).df()
    con.register("covered_keys", keys)
    same_key = """e.buurt_code = k.area_code AND year(e.occurred_at) = k.year AND month(e.occurred_at) = k.month
        AND e.category_code = k.category_code"""
    demo = con.execute(
        f"""SELECT strftime(e.occurred_at, '%Y-%m') AS period, a.parent_code AS area_code, e.gemeente_code,
            count(*) AS demo_replaced
        FROM incident_events AS e
        INNER JOIN covered_keys AS k ON {same_key}
        LEFT JOIN areas AS a ON e.buurt_code = a.area_code
        WHERE e.is_demo GROUP BY ALL"""
    ).df()
    con.execute(f"DELETE FROM incident_events AS e USING covered_keys AS k WHERE e.is_demo AND {same_key}")
    con.unregister("covered_keys")
    return keys, demo


KINDS = {
    EVENT_KIND: Kind(
        label="Incidenten uit eigen registratie (datum, categorie, plaats)",
        columns=["datum", "categorie"],
        check=check_events,
        apply=apply_events,
        matches=matches_events,
        template=template_events,
    ),
}
