"""Inhabitants per buurt, wijk and gemeente: CBS Kerncijfers wijken en buurten (KWB), one edition a
year, inhabitants on 1 January of that year.

Two layouts: the spreadsheet/CSV edition (`kwb-2024.xlsx`, `kwb-2024.csv`: `gwb_code_10`, `regio`,
`gm_naam`, `recs`, `a_inw`; older editions name the code `gwb_code`) and the OData TypedDataSet
(`84583NED` ...: `WijkenEnBuurten`, `SoortRegio_2`, `AantalInwoners_5`; 2013: `RegioS`,
`AantalInwoners_4`: the ordinal after the `_` shifts between editions, so columns are found by
their stem). Neither has a year column: the year comes from the import options (`--year`), else
from the file name (`kwb-2024`, a table id), else from the table id in an OData JSON's metadata.

Buurt, wijk and gemeente rows of the gemeenten served are all stored (the pages read the stored
row of each level; CBS rounds, so a wijk is not the sum of its buurten). Inhabitants CBS hides
(`.`, `x`) are not stored: the pages then show no rate for that area. Real figures replace every
demo row of their gemeente and year, so a year is never part real, part demo.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ivpdata.importing import base
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
from ivpdata.importing.reading import CBS_NIL, CBS_SKIPPED, NON_GEOGRAPHIC, NON_GEOGRAPHIC_PATTERN, ROW, parse_numbers
from ivpdata.validate import DataError, Problem

KWB_SOURCE = "cbs-kwb"
# The OData table of each edition (CBS StatLine "Kerncijfers wijken en buurten <year>").
KWB_TABLES = {
    "82339NED": 2013, "82931NED": 2014, "83220NED": 2015, "83487NED": 2016, "83765NED": 2017, "84286NED": 2018,
    "84583NED": 2019, "84799NED": 2020, "85039NED": 2021, "85318NED": 2022, "85618NED": 2023,
    "85984NED": 2024, "86165NED": 2025,
}  # fmt: skip
TABLE_ID = re.compile(r"(\d{5}NED)", re.IGNORECASE)
KWB_NAME = re.compile(r"kwb[-_ ]?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
AREA_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
FIRST_YEAR, LAST_YEAR = 1990, 2100
LEVEL_WORD = {"BU": "buurtcode", "WK": "wijkcode", "GM": "gemeentecode"}
EMPTY_REASON = "CBS: geen waarde (leeg)"
NAMES_IN_NOTE = 10

SHEET_CODES = ("gwb_code_10", "gwb_code")  # the code column, newest name first
SHEET_COLUMNS = ["gwb_code_10", "regio", "recs", "a_inw"]
ODATA_KEYS = ("WijkenEnBuurten", "RegioS")  # RegioS in the 2013 edition (82339NED)
ODATA_COLUMNS = ["WijkenEnBuurten", "SoortRegio_2", "AantalInwoners_5"]


def _lower(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c).strip().lower(): c for c in frame.columns}


def _by_stem(frame: pd.DataFrame, stem: str) -> list[str]:
    """OData columns named `<stem>_<ordinal>` (`AantalInwoners_5`, `AantalInwoners_4`, ...)."""
    pattern = re.compile(rf"^{re.escape(stem)}_\d+$")
    return [c for c in frame.columns if pattern.match(str(c))]


def matches_sheet(frame: pd.DataFrame) -> bool:
    columns = _lower(frame)
    return any(c in columns for c in SHEET_CODES) and ("a_inw" in columns or "recs" in columns)


def _odata_key(frame: pd.DataFrame) -> str | None:
    return next((c for c in ODATA_KEYS if c in frame.columns), None)


def matches_odata(frame: pd.DataFrame) -> bool:
    return _odata_key(frame) is not None and bool(_by_stem(frame, "SoortRegio") or _by_stem(frame, "AantalInwoners"))


def _header_row(frame: pd.DataFrame) -> int:
    return max(int(frame[ROW].iloc[0]) - 1, 1) if len(frame) else 1


def _columns(frame: pd.DataFrame, name: str) -> tuple[str, str]:
    """The code column and the inhabitants column of either layout, or a problem naming what is missing."""
    if matches_odata(frame):
        counts = _by_stem(frame, "AantalInwoners")
        if len(counts) == 1:
            return str(_odata_key(frame)), counts[0]
        message = (
            "kolom AantalInwoners_N (aantal inwoners) ontbreekt"
            if not counts
            else f"meer dan één kolom aantal inwoners ({', '.join(counts)})"
        )
        raise DataError([Problem(name, _header_row(frame), "AantalInwoners_N", message)])
    columns = _lower(frame)
    code = next((columns[c] for c in SHEET_CODES if c in columns), None)
    inhabitants = columns.get("a_inw")
    if code is None or inhabitants is None:
        missing = [c for c, found in (("gwb_code_10", code), ("a_inw", inhabitants)) if found is None]
        message = (
            f"kolom(men) {', '.join(missing)} ontbreken: dit is geen Kerncijfers wijken en buurten "
            "(CBS-spreadsheet met gwb_code_10 en a_inw, of OData-tabel met WijkenEnBuurten en AantalInwoners_N)"
        )
        raise DataError([Problem(name, _header_row(frame), missing[0], message)])
    return code, inhabitants


def kwb_year(context: Context) -> tuple[int, str]:
    """The year of the figures and where it came from: the options, else the file name (`kwb-2024`,
    an OData table id), else the table id in an OData JSON's metadata. Refused when none says."""
    name = context.file_name
    from_name = KWB_NAME.search(name)
    ids = [t.upper() for t in TABLE_ID.findall(name) if t.upper() in KWB_TABLES]
    named = int(from_name.group(1)) if from_name else (KWB_TABLES[ids[0]] if ids else None)
    if named is None:
        try:
            head = context.path.read_bytes()[:4096].decode("utf-8", errors="ignore")
        except OSError:
            head = ""
        in_file = [t.upper() for t in TABLE_ID.findall(head) if t.upper() in KWB_TABLES]
        named = KWB_TABLES[in_file[0]] if in_file else None
    given = str(context.options.get("year") or "").strip()
    if given:
        if not given.isdigit() or not FIRST_YEAR <= int(given) <= LAST_YEAR:
            raise DataError([Problem(name, None, None, f"jaar '{given}' is geen jaartal (bijvoorbeeld 2024)")])
        _refuse_future(int(given), name, "opgegeven")
        source = "opgegeven jaar"
        if named is not None and named != int(given):
            source += f"; let op: het bestand noemt {named}"
        return int(given), source
    if named is not None:
        _refuse_future(named, name, "uit de bestandsnaam" if from_name or ids else "uit de tabel-id in het bestand")
        return named, "jaar uit de bestandsnaam" if from_name or ids else "jaar uit de tabel-id in het bestand"
    message = (
        "het jaar van de cijfers is onbekend: Kerncijfers wijken en buurten hebben geen jaarkolom. "
        "Geef het jaar op (python -m ivpdata import ... --year 2024, of het veld Jaar op de pagina Data) "
        "of noem het bestand naar de editie (kwb-2024.csv, 85984NED.json)"
    )
    raise DataError([Problem(name, None, None, message)])


def _refuse_future(year: int, name: str, where: str) -> None:
    """Inhabitants on 1 January of a year after this one cannot have been counted."""
    if year > base.current_year():
        raise DataError([Problem(name, None, None, f"{base.future_year_message(year)} (jaar {where})")])


def check_population(frame: pd.DataFrame, context: Context) -> Checked:
    """Rows of the gemeenten served, ready to store: area_code, gemeente_code, year, inhabitants."""
    name, areas, gemeenten = context.file_name, context.areas, context.gemeenten
    code_column, count_column = _columns(frame, name)
    year, year_source = kwb_year(context)
    data = frame
    code = data[code_column].str.upper()
    value = data[count_column]
    skips = Skipped(data[ROW])
    skip = skips.skip
    problems = problems_for(code == "", data, name, code_column, "geen gebiedscode")
    dropped = code == ""
    dropped |= skip(code.isin(NON_GEOGRAPHIC) | code.str.match(NON_GEOGRAPHIC_PATTERN), "niet-geografische code")
    valid = code.str.match(AREA_CODE)
    problems += problems_for(
        ~dropped & ~valid, data, name, code_column, "'{value}' is geen gebiedscode (GM0505, WK050501 of BU05050101)"
    )
    dropped |= ~valid
    other = skip(~dropped & ~("GM" + code.str[2:6]).isin(gemeenten), OTHER_GEMEENTE)
    dropped |= other
    named_other = other_gemeente_rows(code[other], data[ROW][other]) if other.any() else None
    if named_other and not (~dropped).any():
        problems.append(no_gemeente_served(name, code_column, gemeenten, named_other))
    served = ~dropped
    duplicate = served & code.where(served).duplicated(keep="first")
    problems += problems_for(duplicate, data, name, code_column, "gebiedscode '{value}' komt twee keer voor")
    hidden = pd.Series(False, index=data.index)
    for symbol, reason in CBS_SKIPPED.items():
        hidden |= skip(served & (value.str.lower() == symbol), reason)
    hidden |= skip(served & (value == ""), EMPTY_REASON)
    kept = served & ~hidden
    known = set(areas["area_code"])
    unknown = kept & ~code.isin(known)
    for prefix, word in LEVEL_WORD.items():
        problems += problems_for(
            unknown & code.str.startswith(prefix),
            data,
            name,
            code_column,
            f"onbekende {word} '{{value}}' (niet in de geladen grenzen; grenzen van {year} eerst laden)",
        )
    counts = parse_numbers(value.where(value != CBS_NIL, "0"), whole=True)
    problems += problems_for(kept & counts.isna(), data, name, count_column, "'{value}' is geen aantal inwoners")
    problems += problems_for(
        kept & counts.notna() & ((counts < 0) | (counts % 1 != 0)),
        data,
        name,
        count_column,
        "'{value}' is geen geheel aantal inwoners van 0 of meer",
    )
    if problems:
        raise DataError(problems)

    parents = areas.set_index("area_code")["parent_code"]
    where = code.map(parents).where(code.str.startswith("BU"), code)  # a buurt counts for its wijk
    skipped_where = pd.DataFrame({"period": str(year), "area_code": where, "skipped": 1})[hidden & where.notna()]
    rows = pd.DataFrame(
        {
            "area_code": code[kept].astype(str),
            "gemeente_code": ("GM" + code[kept].str[2:6]).astype(str),
            "year": year,
            "inhabitants": counts[kept].astype("int64"),
        }
    ).reset_index(drop=True)
    notes = [f"inwoners op 1 januari {year} ({year_source})"]
    if hidden.any():
        names = areas.set_index("area_code")["display_name"]
        shown = [f"{c} {names.get(c, '')}".strip() for c in code[hidden].head(NAMES_IN_NOTE)]
        more = f" en {int(hidden.sum()) - NAMES_IN_NOTE} meer" if hidden.sum() > NAMES_IN_NOTE else ""
        notes.append(
            f"geen inwonertal (CBS geheim of ontbrekend), niet opgeslagen; geen cijfer per 1.000 inwoners voor: "
            f"{', '.join(shown)}{more}"
        )
    missing_city = sorted(set(rows["gemeente_code"]) - set(rows["area_code"]))
    if missing_city:
        notes.append(f"geen gemeentetotaal in het bestand voor {', '.join(missing_city)}")
    kind = "kwb-inwoners-odata" if matches_odata(frame) else "kwb-inwoners"
    skipped_detail = skips.details() | ({OTHER_GEMEENTE: named_other} if named_other else {})
    return Checked(kind, rows, skips.counts, notes, skipped_where, skipped_detail)


def apply_population(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Store the file's figures: equal stored real figures stay as they are, different ones are
    replaced, and every demo row of the same gemeente and year goes (demo_replaced)."""
    con.register("incoming_rows", checked.rows)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    # Per year and wijk (a buurt counts for its wijk): what each incoming row does to the stored row.
    compared = con.execute(
        """
        SELECT i.year::VARCHAR AS period,
            CASE WHEN a.area_level = 'buurt' THEN a.parent_code ELSE a.area_code END AS area_code,
            count(*) FILTER (WHERE p.area_code IS NULL OR p.is_demo) AS new,
            count(*) FILTER (WHERE NOT p.is_demo AND p.inhabitants <> i.inhabitants) AS replaced,
            count(*) FILTER (WHERE NOT p.is_demo AND p.inhabitants = i.inhabitants) AS unchanged
        FROM incoming AS i
        INNER JOIN areas AS a ON i.area_code = a.area_code
        LEFT JOIN population AS p ON i.area_code = p.area_code AND i.year = p.year
        GROUP BY ALL
        """
    ).df()
    demo_rows = """FROM population AS p
        INNER JOIN areas AS a ON p.area_code = a.area_code
        INNER JOIN (SELECT DISTINCT gemeente_code, year FROM incoming) AS k
            ON a.gemeente_code = k.gemeente_code AND p.year = k.year
        WHERE p.is_demo"""
    demo = con.execute(
        f"""SELECT p.year::VARCHAR AS period,
            CASE WHEN a.area_level = 'buurt' THEN a.parent_code ELSE a.area_code END AS area_code,
            count(*) AS demo_replaced
        {demo_rows} GROUP BY ALL"""
    ).df()
    con.execute(
        """DELETE FROM population AS p USING areas AS a, (SELECT DISTINCT gemeente_code, year FROM incoming) AS k
        WHERE p.is_demo AND p.area_code = a.area_code AND a.gemeente_code = k.gemeente_code AND p.year = k.year"""
    )
    con.execute(
        """DELETE FROM population AS p USING incoming AS i
        WHERE p.area_code = i.area_code AND p.year = i.year AND p.inhabitants <> i.inhabitants"""
    )
    con.execute(
        f"""INSERT INTO population (area_code, year, inhabitants, source_id, is_demo)
        SELECT i.area_code, i.year, i.inhabitants, '{KWB_SOURCE}', false FROM incoming AS i
        WHERE NOT EXISTS (SELECT 1 FROM population AS p WHERE p.area_code = i.area_code AND p.year = i.year)"""
    )
    changes = pd.concat([compared, demo])
    outcome = Outcome(
        checked.kind,
        changes_frame(changes, checked.skipped_where),
        checked.skipped,
        list(checked.notes),
        skipped_detail=checked.skipped_detail,
    )
    outcome.coverage = _coverage(con)
    return outcome


def _coverage(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per gemeente and year the file holds: how many of its areas get an inhabitant count, and that
    the others have none for that year (no figure per 1,000 inhabitants there, never a zero)."""
    held = con.execute(
        """SELECT m.name, i.year, count(DISTINCT i.area_code) AS held,
            (SELECT count(*) FROM areas AS b WHERE b.gemeente_code = a.gemeente_code) AS areas
        FROM incoming AS i
        INNER JOIN areas AS a ON i.area_code = a.area_code
        INNER JOIN municipalities AS m ON a.gemeente_code = m.gemeente_code
        GROUP BY ALL ORDER BY m.name, i.year"""
    ).fetchall()
    return [
        f"Het bestand bevat inwonertallen voor {held} van de {areas} gebieden (gemeente, wijken en buurten) van "
        f"{name} op 1 januari {year}. De demo-inwonertallen van {year} vervallen voor de hele gemeente; de "
        f"andere {areas - held} gebieden hebben dan geen inwonertal voor {year}, en daar staat geen cijfer per "
        "1.000 inwoners (geen 0)."
        for name, year, held, areas in held
        if held < areas
    ]


KINDS = {
    "kwb-inwoners": Kind(
        "Inwoners per buurt, wijk en gemeente (CBS Kerncijfers wijken en buurten, spreadsheet of CSV)",
        SHEET_COLUMNS,
        check_population,
        apply_population,
        matches=matches_sheet,
    ),
    "kwb-inwoners-odata": Kind(
        "Inwoners per buurt, wijk en gemeente (CBS Kerncijfers wijken en buurten, OData 84583NED e.a.)",
        ODATA_COLUMNS,
        check_population,
        apply_population,
        matches=matches_odata,
    ),
}
