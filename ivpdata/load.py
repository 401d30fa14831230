"""Read and validate the source files in a data directory into tables ready for the database.

Nothing here touches a database: `read_sources` either returns every table or raises a
`DataError` listing every problem found (file, row, column, message).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import shape

from ivpdata.config import DemoSettings, Gemeente
from ivpdata.plans import Known, read_plans
from ivpdata.validate import (
    BUURT_CODE,
    GEMEENTE_CODE,
    WIJK_CODE,
    ProblemCollector,
    check_unique,
    check_values,
    display_name,
    iso_date,
    number,
    one_of,
    read_csv_rows,
    read_yaml,
)

FIGURE_KINDS = ("incident", "incident_change", "measure", "survey", "context", "population")
QUALIFIERS = ("", "circa", "meer dan", "ten minste")
NOTE_KINDS = ("citaat", "maatregel")
ALL_CRIME = "misdrijven"  # the incident focus "all registered crime" (see queries/category_options.sql)
CATEGORY_KINDS = ("totaal", "misdrijf", "overlast", "melding")
LEVEL_PATTERNS = {"gemeente": GEMEENTE_CODE, "wijk": WIJK_CODE, "buurt": BUURT_CODE}
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


@dataclass
class SourceData:
    """Everything the build writes, as DataFrames named after their tables."""

    default_gemeente: str
    gemeenten: list[Gemeente]
    sources: pd.DataFrame
    municipalities: pd.DataFrame
    areas: pd.DataFrame
    area_groups: pd.DataFrame
    area_group_members: pd.DataFrame
    area_notes: pd.DataFrame
    area_note_targets: pd.DataFrame
    themes: pd.DataFrame
    incident_categories: pd.DataFrame
    category_themes: pd.DataFrame
    published_figures: pd.DataFrame
    measure_types: pd.DataFrame
    measures: pd.DataFrame
    plans: pd.DataFrame
    priorities: pd.DataFrame
    plan_principles: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    indicator_values: pd.DataFrame
    population: pd.DataFrame
    demo_profile: dict[str, Any]
    periods: dict[str, Any]


def read_sources(data_dir: Path) -> SourceData:
    problems = ProblemCollector()
    data_dir = Path(data_dir)

    def csv_rows(name: str, required: list[str]) -> list[tuple[int, dict[str, str]]]:
        return read_csv_rows(data_dir / name, required, problems, data_dir)

    # Reference lists first: later files are checked against them.
    source_rows = csv_rows(
        "sources.csv", ["source_id", "title", "publisher", "published", "licence", "attribution", "url", "note"]
    )
    check_unique(source_rows, "source_id", "data/sources.csv", problems)
    source_ids = {r["source_id"] for _, r in source_rows}

    theme_rows = csv_rows("themes.csv", ["theme_code", "name", "description"])
    check_unique(theme_rows, "theme_code", "data/themes.csv", problems)
    theme_codes = {r["theme_code"] for _, r in theme_rows}

    category_rows = csv_rows(
        "categories.csv", ["category_code", "name", "kind", "source_system", "cbs_code", "themes", "sort_order"]
    )
    check_unique(category_rows, "category_code", "data/categories.csv", problems)
    check_values(category_rows, "kind", one_of(CATEGORY_KINDS), "data/categories.csv", problems)
    check_values(category_rows, "sort_order", number(), "data/categories.csv", problems)
    category_codes = {r["category_code"] for _, r in category_rows}
    category_themes = []
    for line, row in category_rows:
        for theme in filter(None, (t.strip() for t in row["themes"].split(";"))):
            if theme_rows and theme not in theme_codes:  # no cascade when themes.csv is unreadable
                problems.add("data/categories.csv", line, "themes", f"unknown theme '{theme}'")
            category_themes.append({"category_code": row["category_code"], "theme_code": theme})

    config = read_yaml(data_dir / "gemeenten.yaml", problems, data_dir)
    gemeenten = _parse_gemeenten(config, problems)
    names_to_codes = {g.name: g.code for g in gemeenten}
    gemeente_codes = set(names_to_codes.values())

    areas = _read_areas(data_dir, gemeenten, problems)
    area_codes = set(areas["area_code"]) if not areas.empty else set()

    measure_type_rows = csv_rows("measure_types.csv", ["measure_code", "name", "unit", "priority_code", "description"])
    group_rows = csv_rows(
        "area_groups.csv", ["group_code", "gemeente_code", "name", "member_codes", "source_id", "note"]
    )
    group_codes = {r["group_code"] for _, r in group_rows}
    known = Known(
        gemeenten=gemeente_codes,
        sources=source_ids,
        categories=category_codes,
        themes=theme_codes,
        areas=area_codes | group_codes,  # an indicator may be about an area group
        measures={r["measure_code"] for _, r in measure_type_rows},
    )
    plan_tables = read_plans(data_dir, known, problems)
    priorities = plan_tables["priorities"]
    priority_codes = set(priorities["priority_code"]) if not priorities.empty else set()

    check_unique(measure_type_rows, "measure_code", "data/measure_types.csv", problems)
    check_values(
        measure_type_rows, "priority_code", one_of(priority_codes, optional=True), "data/measure_types.csv", problems
    )
    measure_codes = {r["measure_code"] for _, r in measure_type_rows}

    def known_document(document: str) -> str | None:
        """Published files name a plan document by its number (002); its source is doc-002."""
        return None if f"doc-{document}" in source_ids else f"no source 'doc-{document}' in data/sources.csv"

    figures_file = "data/published/figures.csv"
    figure_rows = csv_rows(
        "published/figures.csv",
        [
            "figure_id", "document", "section", "label", "gemeente_code", "period_start", "period_end",
            "value", "unit", "qualifier", "kind", "category_code", "measure_code", "priority_code", "quote",
        ],
    )  # fmt: skip
    check_unique(figure_rows, "figure_id", figures_file, problems)
    for column, check in [
        ("gemeente_code", one_of(gemeente_codes)),
        ("period_start", iso_date),
        ("period_end", iso_date),
        ("value", number()),
        ("qualifier", one_of(QUALIFIERS)),
        ("kind", one_of(FIGURE_KINDS)),
        ("category_code", one_of(category_codes, optional=True)),
        ("measure_code", one_of(measure_codes, optional=True)),
        ("priority_code", one_of(priority_codes, optional=True)),
        ("document", known_document),
    ]:
        check_values(figure_rows, column, check, figures_file, problems)
    for line, row in figure_rows:
        if row["kind"] in ("incident", "incident_change") and not row["category_code"]:
            problems.add(figures_file, line, "category_code", f"a figure of kind {row['kind']} needs a category")
        if row["kind"] == "measure" and not row["measure_code"]:
            problems.add(figures_file, line, "measure_code", "a figure of kind measure needs a measure_code")
        if row["period_start"] > row["period_end"]:
            problems.add(figures_file, line, "period_end", "period ends before it starts")

    # Results a document lists without a figure of their own ("a plan was drawn up"), or with one
    # kept in figures.csv (figure_id): each becomes a measure with its priority.
    results_file = "data/published/results.csv"
    result_rows = csv_rows(
        "published/results.csv",
        [
            "result_id", "document", "section", "label", "gemeente_code", "period_start", "period_end",
            "priority_code", "measure_code", "figure_id", "quote",
        ],
    )  # fmt: skip
    check_unique(result_rows, "result_id", results_file, problems)
    figure_ids = {r["figure_id"] for _, r in figure_rows}
    for column, check in [
        ("result_id", lambda v: f"'{v}' is also a figure_id in {figures_file}" if v in figure_ids else None),
        ("gemeente_code", one_of(gemeente_codes)),
        ("period_start", iso_date),
        ("period_end", iso_date),
        ("priority_code", one_of(priority_codes)),
        ("measure_code", one_of(measure_codes, optional=True)),
        ("figure_id", one_of(figure_ids, optional=True)),
        ("document", known_document),
    ]:
        check_values(result_rows, column, check, results_file, problems)
    for line, row in result_rows:
        if row["period_start"] > row["period_end"]:
            problems.add(results_file, line, "period_end", "period ends before it starts")

    check_unique(group_rows, "group_code", "data/area_groups.csv", problems)
    members = []
    for line, row in group_rows:
        for code in filter(None, (c.strip() for c in row["member_codes"].split(";"))):
            if code not in area_codes:
                problems.add("data/area_groups.csv", line, "member_codes", f"unknown area code '{code}'")
            elif code[2:6] != row["gemeente_code"][2:]:
                problems.add("data/area_groups.csv", line, "member_codes", f"'{code}' is not in {row['gemeente_code']}")
            members.append({"group_code": row["group_code"], "area_code": code})

    notes_file = "data/published/area_notes.csv"
    note_rows = csv_rows(
        "published/area_notes.csv",
        [
            "note_id", "document", "section", "area_codes", "kind", "title", "note_date", "date_note",
            "priority_code", "incident_focus", "text",
        ],
    )  # fmt: skip
    check_unique(note_rows, "note_id", notes_file, problems)
    for column, check in [
        ("kind", one_of(NOTE_KINDS)),
        ("note_date", lambda v: iso_date(v) if v else None),
        ("document", known_document),
        ("priority_code", one_of(priority_codes, optional=True)),
        ("incident_focus", one_of(category_codes | theme_codes | {ALL_CRIME}, optional=True)),
    ]:
        check_values(note_rows, column, check, notes_file, problems)
    note_targets = []
    for line, row in note_rows:
        if row["kind"] == "maatregel" and not row["title"]:
            problems.add(notes_file, line, "title", "a measure needs a short title (for lists and maps)")
        for code in filter(None, (c.strip() for c in row["area_codes"].split(";"))):
            if code not in area_codes | group_codes:
                problems.add(notes_file, line, "area_codes", f"'{code}' is neither an area code nor an area group")
            note_targets.append({"note_id": row["note_id"], "target_code": code})

    real_population, population_figures = _read_kwb_population(data_dir, gemeente_codes, problems)
    crime_figures = _read_cbs_crime_totals(data_dir, names_to_codes, problems)

    demo_profile = read_yaml(data_dir / "demo_profile.yaml", problems, data_dir) or {}
    periods = read_yaml(data_dir / "periods.yaml", problems, data_dir) or {}
    for code in demo_profile.get("categories", {}):
        if code not in category_codes:
            problems.add("data/demo_profile.yaml", None, "categories", f"unknown category '{code}'")
    demo_notes = _demo_area_measures(demo_profile, priority_codes, area_codes, problems)

    problems.raise_if_any()

    figures = pd.DataFrame([r for _, r in figure_rows])
    figures["source_id"] = "doc-" + figures["document"]
    figures = figures.drop(columns=["document"])
    figures = pd.concat([figures, population_figures, crime_figures], ignore_index=True)
    figures["value"] = figures["value"].astype(float)
    for column in ("period_start", "period_end"):
        figures[column] = pd.to_datetime(figures[column]).dt.date
    for column in ("qualifier", "category_code", "measure_code", "priority_code", "section", "quote"):
        figures[column] = figures[column].replace("", None)

    measure_figures = figures[figures["kind"] == "measure"]
    measures = pd.DataFrame(
        {
            "measure_id": measure_figures["figure_id"],
            "gemeente_code": measure_figures["gemeente_code"],
            "measure_code": measure_figures["measure_code"],
            "label": measure_figures["label"],
            "period_start": measure_figures["period_start"],
            "period_end": measure_figures["period_end"],
            "area_code": None,
            "value": measure_figures["value"],
            "unit": measure_figures["unit"],
            "qualifier": measure_figures["qualifier"],
            "priority_code": measure_figures["priority_code"],
            "source_id": measure_figures["source_id"],
            "figure_id": measure_figures["figure_id"],
            "description": measure_figures["quote"],
            "is_demo": False,
        }
    )
    by_figure = figures.set_index("figure_id")
    results = pd.DataFrame(
        [
            {
                "measure_id": r["result_id"],
                "gemeente_code": r["gemeente_code"],
                "measure_code": r["measure_code"] or None,
                "label": r["label"],
                "period_start": dt.date.fromisoformat(r["period_start"]),
                "period_end": dt.date.fromisoformat(r["period_end"]),
                "area_code": None,
                "value": by_figure.loc[r["figure_id"], "value"] if r["figure_id"] else None,
                "unit": by_figure.loc[r["figure_id"], "unit"] if r["figure_id"] else None,
                "qualifier": (by_figure.loc[r["figure_id"], "qualifier"] or None) if r["figure_id"] else None,
                "priority_code": r["priority_code"],
                "source_id": f"doc-{r['document']}",
                "figure_id": r["figure_id"] or None,
                "description": r["quote"],
                "is_demo": False,
            }
            for _, r in result_rows
        ],
        columns=measures.columns,
    )
    measures = pd.concat([measures, results], ignore_index=True)

    default = config.get("default") if isinstance(config, dict) else None
    return SourceData(
        default_gemeente=default,
        gemeenten=gemeenten,
        sources=pd.DataFrame([r for _, r in source_rows]).replace("", None),
        municipalities=pd.DataFrame(
            [
                {
                    "gemeente_code": g.code,
                    "name": g.name,
                    "boundary_year": g.boundary_year,
                    "is_default": g.code == default,
                }
                for g in gemeenten
            ]
        ),
        areas=areas,
        area_groups=pd.DataFrame(
            [
                {k: r[k] or None for k in ("group_code", "gemeente_code", "name", "source_id", "note")}
                for _, r in group_rows
            ]
        ),
        area_group_members=pd.DataFrame(members),
        area_notes=pd.DataFrame(
            [
                {
                    "note_id": r["note_id"],
                    "source_id": f"doc-{r['document']}",
                    "section": r["section"],
                    "kind": r["kind"],
                    "title": r["title"] or None,
                    "note_date": dt.date.fromisoformat(r["note_date"]) if r["note_date"] else None,
                    "date_note": r["date_note"] or None,
                    "priority_code": r["priority_code"] or None,
                    "incident_focus": r["incident_focus"] or None,
                    "text": r["text"],
                    "is_demo": False,
                }
                for _, r in note_rows
            ]
            + [{k: v for k, v in note.items() if k != "target_code"} for note in demo_notes]
        ),
        area_note_targets=pd.DataFrame(
            note_targets + [{"note_id": n["note_id"], "target_code": n["target_code"]} for n in demo_notes]
        ),
        themes=pd.DataFrame([r for _, r in theme_rows]),
        incident_categories=pd.DataFrame(
            [
                {
                    "category_code": r["category_code"],
                    "name": r["name"],
                    "kind": r["kind"],
                    "source_system": r["source_system"],
                    "cbs_code": r["cbs_code"] or None,
                    "sort_order": int(float(r["sort_order"])),
                }
                for _, r in category_rows
            ]
        ),
        category_themes=pd.DataFrame(category_themes),
        published_figures=figures,
        measure_types=pd.DataFrame([r for _, r in measure_type_rows]).replace("", None),
        measures=measures,
        plans=plan_tables["plans"],
        priorities=priorities,
        plan_principles=plan_tables["plan_principles"],
        goals=plan_tables["goals"],
        indicators=plan_tables["indicators"],
        indicator_values=plan_tables["indicator_values"],
        population=real_population,
        demo_profile=demo_profile,
        periods=periods,
    )


def _demo_area_measures(
    profile: dict, priority_codes: set[str], area_codes: set[str], problems: ProblemCollector
) -> list[dict]:
    """A demo measure at each local shift of the demo profile that names one, so that the
    before/after view has a generated change to find. Marked demo, as all generated data."""
    notes = []
    for position, shift in enumerate(profile.get("local_shifts", []), start=1):
        measure = shift.get("measure")
        if not measure:
            continue
        key = f"local_shifts[{position}].measure"
        if measure.get("priority") not in priority_codes:
            problems.add("data/demo_profile.yaml", None, key, f"unknown priority '{measure.get('priority')}'")
        if shift["area"] not in area_codes:
            problems.add("data/demo_profile.yaml", None, key, f"unknown area '{shift['area']}'")
        notes.append(
            {
                "note_id": f"demo-{shift['area']}-{shift['category']}",
                "source_id": "demo",
                "section": "Demodata",
                "kind": "maatregel",
                "title": str(measure.get("title", "")),
                "note_date": dt.date.fromisoformat(f"{shift['from']}-01"),
                "date_note": None,
                "priority_code": measure.get("priority"),
                "incident_focus": shift["category"],
                "text": str(measure.get("text", "")),
                "is_demo": True,
                "target_code": shift["area"],
            }
        )
    return notes


def _parse_gemeenten(config: Any, problems: ProblemCollector) -> list[Gemeente]:
    file = "data/gemeenten.yaml"
    if not isinstance(config, dict) or not isinstance(config.get("gemeenten"), list):
        if config is not None:
            problems.add(file, None, None, "expected a mapping with a list 'gemeenten'")
        return []
    gemeenten = []
    for index, item in enumerate(config["gemeenten"], start=1):
        where = f"gemeenten[{index}]"
        try:
            code = str(item["code"])
            if not GEMEENTE_CODE.fullmatch(code):
                problems.add(file, None, f"{where}.code", f"'{code}' is not a gemeente code like GM0505")
            demo = item.get("demo")
            gemeenten.append(
                Gemeente(
                    code=code,
                    name=str(item["name"]),
                    boundary_year=int(item["boundary_year"]),
                    geo={level: str(item["geo"][level]) for level in ("gemeente", "wijk", "buurt")},
                    demo=DemoSettings(
                        seed=int(demo["seed"]),
                        total_crime=int(demo["total_crime"]),
                        population_growth_per_year=float(demo["population_growth_per_year"]),
                        centre_area=str(demo["centre_area"]),
                        pressure={str(k): float(v) for k, v in (demo.get("pressure") or {}).items()},
                    )
                    if demo
                    else None,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            problems.add(file, None, where, f"missing or invalid setting: {exc}")
    codes = [g.code for g in gemeenten]
    if config.get("default") not in codes:
        problems.add(file, None, "default", f"default '{config.get('default')}' is not one of {codes}")
    return gemeenten


def _read_areas(data_dir: Path, gemeenten: list[Gemeente], problems: ProblemCollector) -> pd.DataFrame:
    records = []
    for gemeente in gemeenten:
        for level in ("gemeente", "wijk", "buurt"):
            path = data_dir / gemeente.geo[level]
            name = display_name(path, data_dir)
            if not path.exists():
                problems.add(name, None, None, "file is missing")
                continue
            try:
                collection = json.loads(path.read_text(encoding="utf-8"))
                features = collection["features"]
            except (ValueError, KeyError, UnicodeDecodeError) as exc:
                problems.add(name, None, None, f"not a GeoJSON FeatureCollection: {exc}")
                continue
            for number_, feature in enumerate(features, start=1):
                props = feature.get("properties") or {}
                code = str(props.get("code", "")).strip()
                if not LEVEL_PATTERNS[level].fullmatch(code):
                    problems.add(name, number_, "code", f"'{code}' is not a {level} code")
                    continue
                if code[2:6] != gemeente.code[2:]:
                    problems.add(name, number_, "code", f"'{code}' is not in gemeente {gemeente.code}")
                    continue
                try:
                    geometry = shapely.make_valid(shape(feature["geometry"]))
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    problems.add(name, number_, "geometry", f"invalid geometry: {exc}")
                    continue
                parent = {"gemeente": None, "wijk": gemeente.code, "buurt": "WK" + code[2:8]}[level]
                cbs_name = str(props.get("name", code)).strip()
                records.append(
                    {
                        "area_code": code,
                        "area_level": level,
                        "name": cbs_name,
                        "display_name": re.sub(r"^Wijk \d+\s+", "", cbs_name),
                        "parent_code": parent,
                        "gemeente_code": gemeente.code,
                        "boundary_year": gemeente.boundary_year,
                        "geometry_wkb": shapely.to_wkb(geometry),
                        "centroid_lon": geometry.centroid.x,
                        "centroid_lat": geometry.centroid.y,
                        "area_km2": _area_km2(geometry),
                        "source_id": "cbs-wbk-2024",
                        "_file": name,
                        "_row": number_,
                    }
                )
    areas = pd.DataFrame(records)
    if areas.empty:
        return areas
    for dup in areas[areas.duplicated("area_code", keep="first")].itertuples():
        problems.add(dup._file, dup._row, "code", f"duplicate area code '{dup.area_code}'")
    known = set(areas["area_code"])
    for row in areas[areas["parent_code"].notna() & ~areas["parent_code"].isin(known)].itertuples():
        problems.add(row._file, row._row, "code", f"parent '{row.parent_code}' of '{row.area_code}' is not in the data")
    return areas.drop(columns=["_file", "_row"])


def _area_km2(geometry: shapely.Geometry) -> float:
    """Area from lon/lat degrees with a local equirectangular scale: good to ~1% for a gemeente."""
    lat0 = math.radians(geometry.centroid.y)
    scaled = shapely.transform(
        geometry, lambda xy: xy * [KM_PER_DEGREE_LON_EQUATOR * math.cos(lat0), KM_PER_DEGREE_LAT]
    )
    return float(scaled.area)


def _read_kwb_population(
    data_dir: Path, gemeente_codes: set[str], problems: ProblemCollector
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Real gemeente population of 1 January 2019 (CBS Kerncijfers wijken en buurten 2019)."""
    file = "data/realdata/kwb2019_gemeente_dordrecht_enkhuizen.csv"
    rows = read_csv_rows(
        data_dir / "realdata/kwb2019_gemeente_dordrecht_enkhuizen.csv",
        ["region", "unique_id", "population"],
        problems,
        data_dir,
    )
    check_values(rows, "population", number(minimum=0), file, problems)
    population, figures = [], []
    for line, row in rows:
        code = row["unique_id"]
        if code not in gemeente_codes:
            continue  # other gemeenten in the file are not served here
        try:
            inhabitants = int(row["population"])
        except ValueError:
            continue  # reported by check_values
        population.append(
            {"area_code": code, "year": 2019, "inhabitants": inhabitants, "source_id": "cbs-kwb-2019", "is_demo": False}
        )
        figures.append(
            {
                "figure_id": f"cbs-kwb2019-inwoners-{code.lower()}",
                "source_id": "cbs-kwb-2019",
                "section": "Kerncijfers wijken en buurten 2019",
                "label": "Inwoners op 1 januari 2019",
                "gemeente_code": code,
                "period_start": "2019-01-01",
                "period_end": "2019-01-01",
                "value": inhabitants,
                "unit": "inwoners",
                "qualifier": "",
                "kind": "population",
                "category_code": "",
                "measure_code": "",
                "priority_code": "",
                "quote": f"{row['region']}: population {inhabitants} (row {line})",
            }
        )
    return pd.DataFrame(population), pd.DataFrame(figures)


def _read_cbs_crime_totals(data_dir: Path, names_to_codes: dict[str, str], problems: ProblemCollector) -> pd.DataFrame:
    """Real yearly registered crime totals (CBS 83648NED); RegioS holds the gemeente name."""
    file = "data/realdata/crime_totaal_gemeente_enkhuizen_2010_2020.csv"
    rows = read_csv_rows(
        data_dir / "realdata/crime_totaal_gemeente_enkhuizen_2010_2020.csv",
        ["SoortMisdrijf", "RegioS", "Perioden", "TotaalGeregistreerdeMisdrijven_1"],
        problems,
        data_dir,
    )
    check_values(rows, "TotaalGeregistreerdeMisdrijven_1", number(minimum=0), file, problems)
    check_values(
        rows, "Perioden", lambda v: None if re.fullmatch(r"\d{4}", v) else f"'{v}' is not a year", file, problems
    )
    figures = []
    for line, row in rows:
        code = names_to_codes.get(row["RegioS"])
        if code is None:
            problems.add(file, line, "RegioS", f"'{row['RegioS']}' is not a configured gemeente")
            continue
        year = row["Perioden"]
        figures.append(
            {
                "figure_id": f"cbs-83648ned-totaal-{code.lower()}-{year}",
                "source_id": "cbs-83648ned",
                "section": "Geregistreerde criminaliteit; soort misdrijf, regio",
                "label": "Geregistreerde misdrijven, totaal",
                "gemeente_code": code,
                "period_start": f"{year}-01-01",
                "period_end": f"{year}-12-31",
                "value": row["TotaalGeregistreerdeMisdrijven_1"],
                "unit": "aantal",
                "qualifier": "",
                "kind": "incident",
                "category_code": "0.0.0",
                "measure_code": "",
                "priority_code": "",
                "quote": f"{row['SoortMisdrijf']}, {row['RegioS']}, {year}: {row['TotaalGeregistreerdeMisdrijven_1']}",
            }
        )
    return pd.DataFrame(figures)
