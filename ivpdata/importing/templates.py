"""Measures (maatregelen), indicator values and resident survey results (bewonersonderzoek)
from the templates the app offers for download.

Measures such as Damocles/Opiumwet closures, lasten onder dwangsom, huisverboden and
buurtbemiddeling come from the gemeente's own case systems: there is no national open data. A
civil servant downloads a template (CSV or XLSX, Dutch column names, an XLSX sheet "Toelichting"
listing the allowed codes), fills it in and imports it like any other export.

Keys, so that re-importing a file changes nothing and a newer file replaces its values:
- a measure is (gemeente, measure type, begin, end, area); its measure_id is derived from that
  key. An empty area (or the gemeente's own code) means the whole gemeente.
- an indicator value is (indicator, year).
- a survey result is (area, year, question); the question compares without regard to case and
  spacing, and a newer file's wording replaces the stored one.
Stored rows with the same key are replaced, whatever their source: demo rows (counted as
`demo_replaced`) and also a measure or value published in a document (source doc-...), because
keeping both would count the same measure twice in the yearly sums (`measures_city_year`). The
published figure itself stays in `published_figures` (page Bronnen en cijfers), and a note says
how many document rows were replaced. Document rows with another key are never touched; where
an imported row overlaps one in time for the same measure type, a note warns that both stand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from ivpdata.config import DATA_DIR
from ivpdata.db import scalar
from ivpdata.importing import base
from ivpdata.importing.base import Checked, Context, Kind, Outcome, changes_frame, problems_for
from ivpdata.importing.reading import ROW, parse_numbers
from ivpdata.validate import DataError, Problem

SOURCE_ID = "eigen-registratie"  # data/sources.csv
MEASURES = "maatregelen"
INDICATOR_VALUES = "indicatorwaarden"
SURVEY = "bewonersonderzoek"

# (column, required, what a civil servant fills in) in template order
MEASURE_SPEC = [
    ("gemeente", True, "CBS-code van de gemeente, bijv. GM0505"),
    ("maatregel", True, "code van de soort maatregel (werkblad Toelichting), bijv. sluiting-softdrugs"),
    ("omschrijving", False, "korte naam zoals die in lijsten verschijnt; leeg = de naam van de soort"),
    ("begindatum", True, "eerste dag van de periode: dd-mm-jjjj of jjjj-mm-dd"),
    ("einddatum", True, "laatste dag van de periode: dd-mm-jjjj of jjjj-mm-dd"),
    ("aantal", True, "het aantal (of bedrag, gewicht) in de periode; decimaalkomma mag"),
    ("eenheid", False, "leeg, of de eenheid van de soort (controle); bijv. aantal, euro, kilogram"),
    ("buurt_of_wijk", False, "CBS-code van de buurt (BU05050101) of wijk (WK050501); leeg = de hele gemeente"),
    ("prioriteit", False, "code van de prioriteit uit het veiligheidsplan; leeg = die van de soort"),
    ("toelichting", False, "vrije tekst"),
]
INDICATOR_SPEC = [
    ("indicator", True, "id van de indicator (werkblad Toelichting), bijv. ivp23-jongeren-bereikt"),
    ("jaar", True, "het jaar waarover de waarde gaat, bijv. 2024"),
    ("waarde", True, "de waarde in de eenheid van de indicator; decimaalkomma mag"),
    ("bron", False, "waar de waarde vandaan komt, bijv. 'registratie team Jeugd'"),
    ("toelichting", False, "vrije tekst"),
]
SURVEY_SPEC = [
    ("gebiedscode", True, "CBS-code van de buurt (BU05050101), wijk (WK050501) of gemeente (GM0505)"),
    ("jaar", True, "het jaar van het onderzoek, bijv. 2024"),
    (
        "vraag",
        True,
        "de vraag of het kengetal, elk jaar in precies dezelfde woorden, bijv. 'Voelt zich veilig in de buurt'",
    ),
    ("waarde", True, "de uitkomst, bijv. 81 (procent) of 6,8 (rapportcijfer); decimaalkomma mag"),
    ("eenheid", True, "bijv. procent, rapportcijfer, aantal"),
    ("respondenten", False, "aantal mensen dat de vraag beantwoordde in dit gebied (heel getal)"),
    ("marge", False, "onzekerheidsmarge (plus of min) in dezelfde eenheid, bijv. 4,5"),
]
# Units counted in whole numbers; in these and euro '1.234' is a Dutch thousand (1234).
COUNT_UNITS = {"aantal", "keer", "personen", "personen per jaar"}
DECIMAL_UNITS = {"kilogram", "gram", "milliliter", "liter"}  # here '1.234' is one point two three four
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?: 00:00:00)?$")  # also an Excel date cell as text
DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
SOURCE_NAMES = {
    "incidents": "de geregistreerde incidenten (politie en meldingen)",
    "measures": "de maatregelen (de jaarsom van maatregel '{measure_code}'; importeer die als maatregelen)",
    "survey": "de enquête (vraag '{survey_question}')",
}


def _columns(spec: list[tuple[str, bool, str]], required_only: bool = False) -> list[str]:
    return [column for column, required, _ in spec if required or not required_only]


def measures_template() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="string") for column in _columns(MEASURE_SPEC)})


def indicator_values_template() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="string") for column in _columns(INDICATOR_SPEC)})


def survey_template() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="string") for column in _columns(SURVEY_SPEC)})


def _normal(name: str) -> str:
    """'Buurt of wijk ' -> 'buurt_of_wijk': headers as people retype them."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _matcher(spec: list[tuple[str, bool, str]]) -> Callable[[pd.DataFrame], bool]:
    required = set(_columns(spec, required_only=True))
    return lambda frame: required <= {_normal(c) for c in frame.columns}


def _normalised(frame: pd.DataFrame, spec: list[tuple[str, bool, str]]) -> tuple[pd.DataFrame, list[str]]:
    """The template's columns by their normal names (missing optional ones empty), and a note
    on columns that are not read."""
    data = frame.rename(columns={c: _normal(c) for c in frame.columns if c != ROW})
    known = _columns(spec)
    for column in known:
        if column not in data:
            data[column] = ""
    extra = [str(c) for c in frame.columns if c != ROW and _normal(c) not in known]
    notes = [f"kolom(men) niet gelezen: {', '.join(extra)}"] if extra else []
    return data[[*known, ROW]].reset_index(drop=True), notes


def _required(data: pd.DataFrame, name: str, spec: list[tuple[str, bool, str]]) -> list[Problem]:
    problems = []
    for column in _columns(spec, required_only=True):
        problems += problems_for(data[column] == "", data, name, column, f"lege cel: '{column}' is verplicht")
    return problems


def _duplicates(data: pd.DataFrame, key: list[str], name: str, what: str) -> list[Problem]:
    """Rows whose key an earlier row of the file already has, naming that row."""
    first = data.groupby(key, dropna=False)[ROW].transform("min")
    return problems_for(
        first != data[ROW], data.assign(_first=first), name, None, lambda r: f"{what} staat al op rij {r['_first']}"
    )


def parse_dates(values: pd.Series) -> pd.Series:
    """dd-mm-jjjj (also d-m-jjjj), jjjj-mm-dd and Excel date cells read as text
    ('2024-03-01 00:00:00') as dates; anything else, and days that do not exist, as None."""

    def one(text: str) -> dt.date | None:
        iso, dutch = ISO_DATE.match(text), DUTCH_DATE.match(text)
        try:
            if iso:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if dutch:
                return dt.date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
        except ValueError:
            return None
        return None

    return pd.Series([one(str(v)) for v in values], index=values.index, dtype=object)


def _amounts(values: pd.Series, units: pd.Series) -> pd.Series:
    """Numbers as typed, with '1.234' a thousand and more except in units of weight and volume."""
    thousands = parse_numbers(values, whole=True)
    plain = parse_numbers(values)
    return thousands.where(~units.isin(DECIMAL_UNITS), plain)


def _source_problem(context: Context) -> list[Problem]:
    if scalar(context.con, "SELECT count(*) FROM sources WHERE source_id = ?", [SOURCE_ID]):
        return []
    message = f"bron '{SOURCE_ID}' ontbreekt in de database (data/sources.csv): bouw de database opnieuw"
    return [Problem(context.file_name, None, None, message)]


def _suggest(value: str, names: dict[str, str], what: str) -> str:
    """'onbekende maatregel 'Tijdelijk huisverbod' (gebruik de code 'huisverbod-tijdelijk')'."""
    code = names.get(value.casefold())
    hint = f" (gebruik de code '{code}')" if code else " (zie het werkblad Toelichting van het sjabloon)"
    return f"onbekende {what} '{value}'{hint}"


# Measures ------------------------------------------------------------------------------------


def check_measures(frame: pd.DataFrame, context: Context) -> Checked:
    """Every row a measure of a known type in a gemeente served, over a valid period, with a
    count of 0 or more, in an area of that gemeente (or none), for a priority of its plans."""
    name = context.file_name
    data, notes = _normalised(frame, MEASURE_SPEC)
    problems = _source_problem(context) + _required(data, name, MEASURE_SPEC)
    gemeente, gemeente_problems = _measure_gemeenten(data, name, context)
    code, types, type_problems = _measure_types(data, name, context)
    unit = code.map(types["unit"])
    start, end, period_problems = _measure_periods(data, name)
    value, value_problems = _measure_amounts(data, name, unit)
    area, area_problems = _measure_areas(data, name, context, gemeente)
    priority, priority_problems = _measure_priorities(data, name, context, gemeente)
    problems += gemeente_problems + type_problems + period_problems + value_problems + area_problems
    problems += priority_problems
    keyed = pd.DataFrame({"g": gemeente, "c": code, "s": start.astype(str), "e": end.astype(str), "a": area})
    problems += _duplicates(
        keyed.assign(**{ROW: data[ROW]}),
        ["g", "c", "s", "e", "a"],
        name,
        "dezelfde gemeente, maatregel, begindatum, einddatum en buurt/wijk",
    )
    if problems:
        raise DataError(problems)

    label = data["omschrijving"].where(data["omschrijving"] != "", code.map(types["name"]))
    measures = _Measures(gemeente, code, label, start, end, area, value, unit, priority)
    return Checked(MEASURES, _measure_rows(measures, data["toelichting"]), notes=notes)


def _measure_gemeenten(data: pd.DataFrame, name: str, context: Context) -> tuple[pd.Series, list[Problem]]:
    """The column gemeente in upper case; a problem where it is no gemeente served."""
    names = context.con.execute("SELECT gemeente_code, name FROM municipalities").df()
    gemeente = data["gemeente"].str.upper()
    gemeente_names = {n.casefold(): c for c, n in zip(names["gemeente_code"], names["name"], strict=True)}
    known_list = ", ".join(sorted(context.gemeenten))
    problems = problems_for(
        (gemeente != "") & ~gemeente.isin(context.gemeenten),
        data,
        name,
        "gemeente",
        lambda r: _suggest(r["gemeente"], gemeente_names, "gemeente") + f"; in deze database: {known_list}",
    )
    return gemeente, problems


def _measure_types(data: pd.DataFrame, name: str, context: Context) -> tuple[pd.Series, pd.DataFrame, list[Problem]]:
    """The measure codes in lower case and the known measure types (by code); problems for an
    unknown type and for a unit that is not the type's."""
    types = context.con.execute("SELECT measure_code, name, unit, priority_code FROM measure_types").df()
    code = data["maatregel"].str.lower()
    type_names = {n.casefold(): c for c, n in zip(types["measure_code"], types["name"], strict=True)}
    known_types = types.set_index("measure_code")
    problems = problems_for(
        (code != "") & ~code.isin(known_types.index),
        data,
        name,
        "maatregel",
        lambda r: _suggest(r["maatregel"], type_names, "maatregel"),
    )
    unit = code.map(known_types["unit"])
    given_unit = data["eenheid"].str.lower()
    problems += problems_for(
        unit.notna() & (given_unit != "") & (given_unit != unit.fillna("").str.lower()),
        data.assign(_unit=unit),
        name,
        "eenheid",
        lambda r: f"eenheid '{r['eenheid']}' past niet bij maatregel '{r['maatregel']}' (die telt in {r['_unit']})",
    )
    return code, known_types, problems


def _measure_periods(data: pd.DataFrame, name: str) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Begin and end dates (None where unreadable); problems for unreadable dates, dates after the
    current month and a begin after the end."""
    start, end = parse_dates(data["begindatum"]), parse_dates(data["einddatum"])
    problems: list[Problem] = []
    for column, parsed in (("begindatum", start), ("einddatum", end)):
        problems += problems_for(
            (data[column] != "") & parsed.isna(),
            data,
            name,
            column,
            "'{value}' is geen (bestaande) datum: gebruik dd-mm-jjjj of jjjj-mm-dd",
        )
    last_day = base.last_day_of_this_month()
    for column, parsed in (("begindatum", start), ("einddatum", end)):
        problems += problems_for(
            pd.Series([d is not None and d > last_day for d in parsed], index=data.index),
            data,
            name,
            column,
            f"'{{value}}' ligt na de huidige maand ({base.month_text(base.current_month())}): een periode over de "
            "toekomst kan nog geen aantal hebben",
        )
    after = pd.Series([s is not None and e is not None and s > e for s, e in zip(start, end, strict=True)])
    problems += problems_for(
        after,
        data,
        name,
        "begindatum",
        lambda r: f"begindatum {r['begindatum']} ligt na einddatum {r['einddatum']}",
    )
    return start, end, problems


def _measure_amounts(data: pd.DataFrame, name: str, unit: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """The column aantal as numbers; problems for no number, a negative one and a fraction of a
    type that counts in whole numbers."""
    value = _amounts(data["aantal"], unit)
    filled = data["aantal"] != ""
    problems = problems_for(filled & value.isna(), data, name, "aantal", "'{value}' is geen getal")
    problems += problems_for(
        filled & (value < 0).fillna(False), data, name, "aantal", "'{value}' is negatief: vul 0 of meer in"
    )
    problems += problems_for(
        filled & unit.isin(COUNT_UNITS) & (value >= 0).fillna(False) & (value % 1 != 0),
        data.assign(_unit=unit),
        name,
        "aantal",
        lambda r: f"'{r['aantal']}' is geen heel getal (maatregel '{r['maatregel']}' telt in {r['_unit']})",
    )
    return value, problems


def _measure_areas(
    data: pd.DataFrame, name: str, context: Context, gemeente: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """The buurt or wijk code ("" for the whole gemeente); problems for an unknown code and for an
    area of another gemeente."""
    area = data["buurt_of_wijk"].str.upper().str.replace(" ", "", regex=False)
    area = area.where(area != gemeente, "")  # the gemeente's own code: the whole gemeente
    areas = context.areas.set_index("area_code")
    area_gemeente = area.map(areas["gemeente_code"])
    problems = problems_for(
        (area != "") & area_gemeente.isna(),
        data,
        name,
        "buurt_of_wijk",
        "onbekende buurt- of wijkcode '{value}' (niet in de geladen grenzen; vorm BU05050101 of WK050501)",
    )
    problems += problems_for(
        area_gemeente.notna() & (area_gemeente != gemeente) & gemeente.isin(context.gemeenten),
        data.assign(_in=area_gemeente, _gm=gemeente),
        name,
        "buurt_of_wijk",
        lambda r: f"'{r['buurt_of_wijk']}' ligt in gemeente {r['_in']}, niet in {r['_gm']}",
    )
    return area, problems


def _measure_priorities(
    data: pd.DataFrame, name: str, context: Context, gemeente: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """The priority codes in lower case; problems for an unknown priority and for a priority of
    another gemeente's plan."""
    priorities = context.con.execute(
        "SELECT p.priority_code, pl.gemeente_code FROM priorities AS p INNER JOIN plans AS pl ON p.plan_id = pl.plan_id"
    ).df()
    priority = data["prioriteit"].str.lower()
    plan_gemeente = priority.map(priorities.set_index("priority_code")["gemeente_code"])
    problems = problems_for(
        (priority != "") & plan_gemeente.isna(),
        data,
        name,
        "prioriteit",
        "onbekende prioriteit '{value}' (zie het werkblad Toelichting van het sjabloon)",
    )
    problems += problems_for(
        plan_gemeente.notna() & (plan_gemeente != gemeente) & gemeente.isin(context.gemeenten),
        data.assign(_in=plan_gemeente, _gm=gemeente),
        name,
        "prioriteit",
        lambda r: f"prioriteit '{r['prioriteit']}' hoort bij een plan van {r['_in']}, niet van {r['_gm']}",
    )
    return priority, problems


@dataclass(frozen=True)
class _Measures:
    """The checked columns of a measures file, one value per row."""

    gemeente: pd.Series
    code: pd.Series
    label: pd.Series
    start: pd.Series
    end: pd.Series
    area: pd.Series  # "" for the whole gemeente
    value: pd.Series
    unit: pd.Series
    priority: pd.Series  # "" for the type's own


def _measure_rows(m: _Measures, description: pd.Series) -> pd.DataFrame:
    """The measures rows, each with its outcome period (a calendar year, or begin t/m end) and
    area (or the gemeente)."""
    rows = pd.DataFrame(
        {
            "measure_id": [
                f"imp-{g}-{c}-{s:%Y%m%d}-{e:%Y%m%d}-{a or g}"
                for g, c, s, e, a in zip(m.gemeente, m.code, m.start, m.end, m.area, strict=True)
            ],
            "gemeente_code": m.gemeente,
            "measure_code": m.code,
            "label": m.label,
            "period_start": m.start,
            "period_end": m.end,
            "area_code": m.area.where(m.area != "", None),
            "value": m.value.astype(float),
            "unit": m.unit,
            "priority_code": m.priority.where(m.priority != "", None),
            "description": description.where(description != "", None),
            "period": [
                str(s.year) if s.year == e.year else f"{s:%Y-%m-%d} t/m {e:%Y-%m-%d}"
                for s, e in zip(m.start, m.end, strict=True)
            ],
            "outcome_area": m.area.where(m.area != "", m.gemeente),
        }
    )
    text_columns = ("gemeente_code", "measure_code", "label", "unit", "area_code", "priority_code", "description")
    return rows.astype({c: object for c in (*text_columns, "period", "outcome_area")})


def apply_measures(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Each row replaces the stored measures with its key (demo, earlier imports, and a document's
    measure with exactly that key); nothing else is touched."""
    incoming = checked.rows
    con.register("incoming_rows", incoming)
    con.execute(  # typed: a column of a file that is empty throughout arrives without a type
        """CREATE OR REPLACE TEMP TABLE incoming_measures AS SELECT measure_id::VARCHAR AS measure_id,
            gemeente_code::VARCHAR AS gemeente_code, measure_code::VARCHAR AS measure_code, label::VARCHAR AS label,
            period_start::DATE AS period_start, period_end::DATE AS period_end, area_code::VARCHAR AS area_code,
            value::DOUBLE AS value, unit::VARCHAR AS unit, priority_code::VARCHAR AS priority_code,
            description::VARCHAR AS description
        FROM incoming_rows"""
    )
    con.unregister("incoming_rows")
    matched = con.execute(
        f"""SELECT i.measure_id AS incoming_id, m.measure_id, m.is_demo, m.source_id,
            m.measure_id = i.measure_id AND m.source_id = '{SOURCE_ID}' AND m.label = i.label
                AND m.value IS NOT DISTINCT FROM i.value AND m.unit IS NOT DISTINCT FROM i.unit
                AND m.priority_code IS NOT DISTINCT FROM i.priority_code
                AND m.description IS NOT DISTINCT FROM i.description AS same
        FROM incoming_measures AS i INNER JOIN measures AS m
            ON m.gemeente_code = i.gemeente_code AND m.measure_code = i.measure_code
            AND m.period_start = i.period_start AND m.period_end = i.period_end
            AND m.area_code IS NOT DISTINCT FROM i.area_code"""
    ).df()
    changes = _changes(incoming.rename(columns={"measure_id": "incoming_id"}), matched)
    notes = list(checked.notes)
    documents = matched[~matched["is_demo"] & (matched["source_id"] != SOURCE_ID)]
    if len(documents):
        sources = ", ".join(sorted(set(documents["source_id"])))
        notes.append(
            f"{len(documents)} maatregel(en) uit documenten ({sources}) met precies dezelfde sleutel vervangen "
            "(het gepubliceerde cijfer blijft bij Bronnen en cijfers)"
        )
    if len(matched):
        con.execute("DELETE FROM measures WHERE list_contains(?, measure_id)", [list(matched["measure_id"])])
    con.execute(
        f"""INSERT INTO measures (measure_id, gemeente_code, measure_code, label, period_start, period_end, area_code,
            value, unit, priority_code, source_id, description, is_demo)
        SELECT measure_id, gemeente_code, measure_code, label, period_start, period_end, area_code, value, unit,
            priority_code, '{SOURCE_ID}', description, false FROM incoming_measures"""
    )
    overlapping = scalar(
        con,
        f"""SELECT count(DISTINCT i.measure_id) FROM incoming_measures AS i INNER JOIN measures AS m
            ON m.gemeente_code = i.gemeente_code AND m.measure_code = i.measure_code
            AND m.period_start <= i.period_end AND i.period_start <= m.period_end
        WHERE m.source_id <> '{SOURCE_ID}' AND NOT m.is_demo""",
    )
    if overlapping:
        notes.append(
            f"let op: {overlapping} rij(en) overlappen in tijd met een maatregel van dezelfde soort uit een document "
            "over een andere periode of voor een gebied; beide blijven staan, tel ze niet dubbel"
        )
    return Outcome(checked.kind, changes_frame(changes), checked.skipped, notes)


def _years(data: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    """The column jaar as numbers, with a problem for each filled cell that is no year."""
    year = pd.to_numeric(data["jaar"], errors="coerce")
    whole = (year % 1 == 0).fillna(False).astype(bool)
    a_year = (year.between(base.FIRST_YEAR, 9999) & whole).fillna(False).astype(bool)
    problems = problems_for(
        (data["jaar"] != "") & ~a_year, data, name, "jaar", "'{value}' is geen jaartal (bijv. 2024)"
    )
    return year, problems + problems_for(
        a_year & (year > base.current_year()), data, name, "jaar", lambda r: base.future_year_message(r["jaar"])
    )


def _replaced_from_elsewhere(matched: pd.DataFrame, what: str) -> list[str]:
    """A note when stored rows that are neither demo nor an earlier import are replaced."""
    others = matched[~matched["is_demo"] & (matched["source_id"] != SOURCE_ID)]
    if others.empty:
        return []
    return [f"{len(others)} {what} ({', '.join(sorted(set(others['source_id'])))}) vervangen"]


def _changes(incoming: pd.DataFrame, matched: pd.DataFrame) -> pd.DataFrame:
    """Per incoming row (incoming_id, period, outcome_area): new, replaced or unchanged, and the
    demo rows it replaces; `matched` has the stored rows with its key (is_demo, same)."""
    real = matched[~matched["is_demo"]]
    per_row = incoming[["incoming_id", "period", "outcome_area"]].assign(
        stored=incoming["incoming_id"].map(real.groupby("incoming_id").size()).fillna(0),
        same=incoming["incoming_id"].map(real.groupby("incoming_id")["same"].all().astype(bool)).eq(True),
        demo_replaced=incoming["incoming_id"].map(matched[matched["is_demo"]].groupby("incoming_id").size()).fillna(0),
    )
    unchanged = (per_row["stored"] == 1) & per_row["same"]
    return pd.DataFrame(
        {
            "period": per_row["period"],
            "area_code": per_row["outcome_area"],
            "new": (per_row["stored"] == 0).astype(int),
            "replaced": ((per_row["stored"] > 0) & ~unchanged).astype(int),
            "unchanged": unchanged.astype(int),
            "demo_replaced": per_row["demo_replaced"].astype(int),
        }
    )


# Indicator values ----------------------------------------------------------------------------


def check_indicator_values(frame: pd.DataFrame, context: Context) -> Checked:
    """Every row a year's value of an indicator that takes its values from this input (actual
    source 'manual'): a known indicator, a year, a number of 0 or more, each (indicator, year) once."""
    name = context.file_name
    data, notes = _normalised(frame, INDICATOR_SPEC)
    problems = _source_problem(context) + _required(data, name, INDICATOR_SPEC)
    indicators = context.con.execute(
        """SELECT i.indicator_id, i.name, i.unit, i.actual_source, i.measure_code, i.survey_question,
            pl.gemeente_code
        FROM indicators AS i INNER JOIN goals AS g ON i.goal_id = g.goal_id
        INNER JOIN priorities AS p ON g.priority_code = p.priority_code
        INNER JOIN plans AS pl ON p.plan_id = pl.plan_id"""
    ).df()
    indicators = indicators.set_index("indicator_id")
    indicator = data["indicator"].str.lower()
    source = indicator.map(indicators["actual_source"])
    problems += problems_for(
        (indicator != "") & source.isna(),
        data,
        name,
        "indicator",
        "onbekende indicator '{value}' (zie het werkblad Toelichting van het sjabloon)",
    )

    def fed_elsewhere(row: pd.Series) -> str:
        known = indicators.loc[row["indicator"].lower()]
        where = SOURCE_NAMES[known["actual_source"]].format(**known.to_dict())
        return (
            f"indicator '{row['indicator']}' ({known['name']}) haalt zijn waarden uit {where}, "
            "niet uit ingevoerde waarden"
        )

    problems += problems_for(source.notna() & (source != "manual"), data, name, "indicator", fed_elsewhere)
    year, year_problems = _years(data, name)
    problems += year_problems
    unit = indicator.map(indicators["unit"]).fillna("")
    decimal = unit.isin(DECIMAL_UNITS) | unit.str.contains(r"per 1\.000|%|procent|cijfer", regex=True)
    value = parse_numbers(data["waarde"], whole=True).where(~decimal, parse_numbers(data["waarde"]))
    filled = data["waarde"] != ""
    problems += problems_for(filled & value.isna(), data, name, "waarde", "'{value}' is geen getal")
    problems += problems_for(filled & (value < 0).fillna(False), data, name, "waarde", "'{value}' is negatief")
    keyed = pd.DataFrame({"i": indicator, "j": data["jaar"], ROW: data[ROW]})
    problems += _duplicates(keyed, ["i", "j"], name, "dezelfde indicator en hetzelfde jaar")
    if problems:
        raise DataError(problems)

    note = [
        "; ".join(part for part in (f"bron: {b}" if b else "", t) if part) or None
        for b, t in zip(data["bron"], data["toelichting"], strict=True)
    ]
    rows = pd.DataFrame(
        {
            "indicator_id": indicator.astype(object),
            "year": year.astype(int),
            "value": value.astype(float),
            "note": pd.Series(note, index=data.index, dtype=object),
            "period": year.astype(int).astype(str).astype(object),
            "outcome_area": indicator.map(indicators["gemeente_code"]).astype(object),
        }
    )
    return Checked(INDICATOR_VALUES, rows, notes=notes)


def apply_indicator_values(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Each row replaces the stored value of its indicator and year (demo, an earlier import, or a
    value from a plan file)."""
    con.register("incoming_rows", checked.rows)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE incoming_values AS SELECT indicator_id::VARCHAR AS indicator_id,
            year::INTEGER AS year, value::DOUBLE AS value, note::VARCHAR AS note FROM incoming_rows"""
    )
    con.unregister("incoming_rows")
    matched = con.execute(
        f"""SELECT i.indicator_id || ':' || i.year AS incoming_id, v.is_demo, v.source_id,
            v.source_id = '{SOURCE_ID}' AND v.value = i.value AND v.note IS NOT DISTINCT FROM i.note AS same
        FROM incoming_values AS i INNER JOIN indicator_values AS v
            ON v.indicator_id = i.indicator_id AND v.year = i.year"""
    ).df()
    incoming = checked.rows.assign(incoming_id=checked.rows["indicator_id"] + ":" + checked.rows["period"])
    changes = _changes(incoming, matched)
    notes = list(checked.notes)
    notes += _replaced_from_elsewhere(matched, "waarde(n) uit een plan of document")
    con.execute(
        """DELETE FROM indicator_values AS v USING incoming_values AS i
        WHERE v.indicator_id = i.indicator_id AND v.year = i.year"""
    )
    con.execute(
        f"""INSERT INTO indicator_values (indicator_id, year, value, source_id, is_demo, note)
        SELECT indicator_id, year, value, '{SOURCE_ID}', false, note FROM incoming_values"""
    )
    return Outcome(checked.kind, changes_frame(changes), checked.skipped, notes)


# Resident survey ------------------------------------------------------------------------------

PERCENT_UNITS = {"procent", "%"}


def check_survey(frame: pd.DataFrame, context: Context) -> Checked:
    """Every row a result of a known area (buurt, wijk or gemeente) in a year, a question, a
    number of 0 or more (at most 100 in procent), optionally the respondents (a whole number) and
    the margin (0 or more); each (area, year, question) once."""
    name = context.file_name
    data, notes = _normalised(frame, SURVEY_SPEC)
    problems = _source_problem(context) + _required(data, name, SURVEY_SPEC)
    areas = context.areas
    area = data["gebiedscode"].str.upper().str.replace(" ", "", regex=False)
    problems += problems_for(
        (area != "") & ~area.isin(areas["area_code"]),
        data,
        name,
        "gebiedscode",
        lambda r: f"onbekende gebiedscode '{r['gebiedscode']}' ({_area_hint(r['gebiedscode'], areas)})",
    )
    year, year_problems = _years(data, name)
    problems += year_problems
    question = data["vraag"].str.split().str.join(" ")
    unit = data["eenheid"].str.strip().str.lower().replace("%", "procent")
    value = parse_numbers(data["waarde"], whole=True).where(unit.isin(COUNT_UNITS), parse_numbers(data["waarde"]))
    filled = data["waarde"] != ""
    problems += problems_for(filled & value.isna(), data, name, "waarde", "'{value}' is geen getal")
    problems += problems_for(filled & (value < 0).fillna(False), data, name, "waarde", "'{value}' is negatief")
    problems += problems_for(
        filled & unit.isin(PERCENT_UNITS) & (value > 100).fillna(False),
        data,
        name,
        "waarde",
        "'{value}' is meer dan 100 procent",
    )
    respondents = parse_numbers(data["respondenten"], whole=True)
    given = data["respondenten"] != ""
    problems += problems_for(
        given & ~((respondents >= 0) & (respondents % 1 == 0)).fillna(False).astype(bool),
        data,
        name,
        "respondenten",
        "'{value}' is geen heel getal van 0 of meer",
    )
    margin = parse_numbers(data["marge"])
    given = data["marge"] != ""
    problems += problems_for(
        given & ~(margin >= 0).fillna(False).astype(bool), data, name, "marge", "'{value}' is geen getal van 0 of meer"
    )
    keyed = pd.DataFrame({"a": area, "j": data["jaar"], "v": question.str.casefold(), ROW: data[ROW]})
    problems += _duplicates(keyed, ["a", "j", "v"], name, "hetzelfde gebied, jaar en dezelfde vraag")
    if problems:
        raise DataError(problems)

    rows = pd.DataFrame(
        {
            "area_code": area.astype(object),
            "year": year.astype(int),
            "question": question.astype(object),
            "value": value.astype(float),
            "unit": unit.astype(object),
            "respondents": respondents.round().astype("Int64"),
            "margin": margin.astype(float),
            "period": year.astype(int).astype(str).astype(object),
            "outcome_area": area.astype(object),
        }
    )
    return Checked(SURVEY, rows, notes=notes)


def _area_hint(value: str, areas: pd.DataFrame) -> str:
    """'gebruik de code WK050501' where a name was typed, else the form of a code."""
    named = areas[
        (areas["display_name"].str.casefold() == value.strip().casefold())
        | (areas["name"].str.casefold() == value.strip().casefold())
    ]
    if len(named):
        return "gebruik de code " + " of ".join(
            f"'{c}' ({lvl})" for c, lvl in zip(named["area_code"], named["area_level"], strict=True)
        )
    return "niet in de geladen grenzen; vorm BU05050101, WK050501 of GM0505"


def apply_survey(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Each row replaces the stored result of its area, year and question (demo, an earlier
    import); nothing else is touched."""
    rows = checked.rows
    incoming = rows.assign(incoming_id=rows["area_code"] + ":" + rows["period"] + ":" + rows["question"])
    con.register("incoming_rows", incoming)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE incoming_survey AS SELECT incoming_id::VARCHAR AS incoming_id,
            area_code::VARCHAR AS area_code, year::INTEGER AS year, question::VARCHAR AS question,
            value::DOUBLE AS value, unit::VARCHAR AS unit, respondents::INTEGER AS respondents,
            margin::DOUBLE AS margin
        FROM incoming_rows"""
    )
    con.unregister("incoming_rows")
    same_key = "s.area_code = i.area_code AND s.year = i.year AND lower(s.question) = lower(i.question)"
    matched = con.execute(
        f"""SELECT i.incoming_id, s.is_demo, s.source_id,
            s.source_id = '{SOURCE_ID}' AND s.question = i.question AND s.value = i.value AND s.unit = i.unit
                AND s.respondents IS NOT DISTINCT FROM i.respondents AND s.margin IS NOT DISTINCT FROM i.margin AS same
        FROM incoming_survey AS i INNER JOIN survey_results AS s ON {same_key}"""
    ).df()
    changes = _changes(incoming, matched)
    notes = list(checked.notes)
    notes += _replaced_from_elsewhere(matched, "uitkomst(en) uit een andere bron")
    con.execute(f"DELETE FROM survey_results AS s USING incoming_survey AS i WHERE {same_key}")
    con.execute(
        f"""INSERT INTO survey_results (area_code, year, question, value, unit, respondents, margin, source_id, is_demo)
        SELECT area_code, year, question, value, unit, respondents, margin, '{SOURCE_ID}', false FROM incoming_survey"""
    )
    return Outcome(checked.kind, changes_frame(changes), checked.skipped, notes)


# Templates for download ----------------------------------------------------------------------

DATE_NOTE = "dd-mm-jjjj (1-3-2024 of 01-03-2024) of jjjj-mm-dd (2024-03-01); een datumcel in Excel mag ook"
AREA_NOTE = "CBS-code: buurt BU + 8 tekens (BU05050101), wijk WK + 6 tekens (WK050501); leeg = de hele gemeente"
NUMBER_NOTE = "decimaalkomma of -punt; bij aantallen en euro is 1.234 duizend tweehonderdvierendertig"
SURVEY_NUMBER_NOTE = "decimaalkomma of -punt (6,8 of 6.8); bij respondenten is 1.234 duizend tweehonderdvierendertig"
SURVEY_AREA_NOTE = "CBS-code: buurt BU + 8 tekens (BU05050101), wijk WK + 6 tekens (WK050501), gemeente GM0505"
REIMPORT_NOTE = "Hetzelfde bestand opnieuw importeren verandert niets; een nieuwere versie vervangt"
SHEET_TITLES = {MEASURES: "Maatregelen", INDICATOR_VALUES: "Indicatorwaarden", SURVEY: "Bewonersonderzoek"}


def template_bytes(kind_code: str, fmt: str, con: duckdb.DuckDBPyConnection | None = None) -> bytes:
    """The template of a kind as CSV (';', UTF-8 with BOM: Excel opens it in Dutch settings) or
    XLSX (a header row to fill in, and a sheet 'Toelichting' with the columns and the allowed
    codes: from `con`'s database, else the measure types of data/)."""
    if kind_code not in TEMPLATE_SPECS:
        raise ValueError(f"geen sjabloon voor '{kind_code}' (wel voor: {', '.join(TEMPLATE_SPECS)})")
    spec = TEMPLATE_SPECS[kind_code]
    columns = _columns(spec)
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(columns)
        return text.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"onbekend formaat '{fmt}' (csv of xlsx)")
    from openpyxl import Workbook  # loaded for an XLSX template only (0.2 s that every import would pay)
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLES[kind_code]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Toelichting")
    for row in _explanation(kind_code, spec, con):
        notes.append(row)
        if len(row) == 1 or (row and row[0] in ("Kolom", "Code", "Indicator", "Vraag")):
            notes.cell(notes.max_row, 1).font = Font(bold=True)
    for letter, width in zip("ABCDE", (34, 50, 40, 40, 30), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _explanation(kind_code: str, spec: list[tuple[str, bool, str]], con) -> list[list[str]]:
    rows: list[list[str]] = [["Kolom", "Verplicht", "Wat vult u in"]]
    rows += [[column, "ja" if required else "nee", what] for column, required, what in spec]
    if kind_code == SURVEY:
        return _survey_explanation(rows, con)
    rows += [[], ["Getallen", NUMBER_NOTE]]
    if kind_code == MEASURES:
        rows += [["Datums", DATE_NOTE], ["Buurt of wijk", AREA_NOTE]]
        rows += [[f"{REIMPORT_NOTE} de waarden met dezelfde gemeente, maatregel, begin- en einddatum en buurt/wijk."]]
    else:
        rows += [[f"{REIMPORT_NOTE} de waarde van dezelfde indicator en hetzelfde jaar."]]
    if con is None:
        if kind_code == MEASURES:
            types = pd.read_csv(DATA_DIR / "measure_types.csv", dtype=str, keep_default_na=False)
            rows += [[], ["Soorten maatregelen (kolom maatregel)"], ["Code", "Naam", "Eenheid", "Prioriteit"]]
            rows += types[["measure_code", "name", "unit", "priority_code"]].values.tolist()
        rows += [[], ["De toegestane codes van gemeenten, gebieden, prioriteiten en indicatoren staan in de app."]]
        return rows
    if kind_code == INDICATOR_VALUES:
        table = con.execute(
            """SELECT i.indicator_id, i.name, i.unit, pl.title, i.actual_source
            FROM indicators AS i INNER JOIN goals AS g ON i.goal_id = g.goal_id
            INNER JOIN priorities AS p ON g.priority_code = p.priority_code
            INNER JOIN plans AS pl ON p.plan_id = pl.plan_id
            ORDER BY i.actual_source <> 'manual', pl.gemeente_code, pl.start_year, i.indicator_id"""
        ).fetchall()
        rows += [[], ["Indicatoren (kolom indicator)"], ["Indicator", "Naam", "Eenheid", "Plan", "Waarden"]]
        rows += [
            [i, n, u, t, "in te vullen" if s == "manual" else "berekend door de app: niet invullen"]
            for i, n, u, t, s in table
        ]
        return rows
    rows += [[], ["Gemeenten (kolom gemeente)"], ["Code", "Naam"]]
    rows += [list(r) for r in con.execute("SELECT gemeente_code, name FROM municipalities ORDER BY 1").fetchall()]
    rows += [[], ["Soorten maatregelen (kolom maatregel)"], ["Code", "Naam", "Eenheid", "Prioriteit"]]
    rows += [
        list(r)
        for r in con.execute("SELECT measure_code, name, unit, priority_code FROM measure_types ORDER BY 1").fetchall()
    ]
    rows += [[], ["Prioriteiten (kolom prioriteit)"], ["Code", "Naam", "Plan", "Gemeente"]]
    rows += [
        list(r)
        for r in con.execute(
            """SELECT p.priority_code, p.name, pl.title, pl.gemeente_code FROM priorities AS p
            INNER JOIN plans AS pl ON p.plan_id = pl.plan_id ORDER BY pl.gemeente_code, pl.start_year, p.sort_order"""
        ).fetchall()
    ]
    rows += [[], ["Wijken en buurten (kolom buurt_of_wijk)"], ["Code", "Naam", "Niveau", "Gemeente"]]
    rows += [
        list(r)
        for r in con.execute(
            """SELECT area_code, display_name, area_level, gemeente_code FROM areas WHERE area_level <> 'gemeente'
            ORDER BY gemeente_code, area_code"""
        ).fetchall()
    ]
    return rows


def _survey_explanation(rows: list[list[str]], con: duckdb.DuckDBPyConnection | None) -> list[list[str]]:
    rows += [[], ["Getallen", SURVEY_NUMBER_NOTE], ["Gebiedscode", SURVEY_AREA_NOTE]]
    replaces = "de uitkomst van hetzelfde gebied, jaar en dezelfde vraag (hoofdletters en spaties tellen niet mee)."
    rows += [[f"{REIMPORT_NOTE} {replaces}"]]
    if con is None:
        return [*rows, [], ["De toegestane gebiedscodes staan in de app."]]
    read = con.execute(
        """SELECT DISTINCT i.survey_question, i.indicator_id, i.name, coalesce(i.target_code, pl.gemeente_code)
        FROM indicators AS i INNER JOIN goals AS g ON i.goal_id = g.goal_id
        INNER JOIN priorities AS p ON g.priority_code = p.priority_code
        INNER JOIN plans AS pl ON p.plan_id = pl.plan_id
        WHERE i.actual_source = 'survey' ORDER BY ALL"""
    ).fetchall()
    if read:
        rows += [[], ["Vragen die indicatoren van de plannen lezen (neem ze letterlijk over)"]]
        rows += [["Vraag", "Indicator", "Naam", "Gebiedscode"], *[list(r) for r in read]]
    stored = con.execute(
        """SELECT question, unit, min(year), max(year), count(DISTINCT area_code) FROM survey_results
        GROUP BY ALL ORDER BY 1"""
    ).fetchall()
    if stored:
        rows += [[], ["Vragen die al in de database staan"], ["Vraag", "Eenheid", "Van", "Tot en met", "Gebieden"]]
        rows += [list(r) for r in stored]
    rows += [[], ["Gebieden (kolom gebiedscode)"], ["Code", "Naam", "Niveau", "Gemeente"]]
    rows += [
        list(r)
        for r in con.execute(
            """SELECT area_code, display_name, area_level, gemeente_code FROM areas
            ORDER BY gemeente_code, area_level = 'buurt', area_level = 'wijk', area_code"""
        ).fetchall()
    ]
    return rows


TEMPLATE_SPECS = {MEASURES: MEASURE_SPEC, INDICATOR_VALUES: INDICATOR_SPEC, SURVEY: SURVEY_SPEC}

KINDS = {
    MEASURES: Kind(
        "Maatregelen uit de eigen registratie (sjabloon)",
        _columns(MEASURE_SPEC, required_only=True),
        check_measures,
        apply_measures,
        matches=_matcher(MEASURE_SPEC),
        template=measures_template,
    ),
    INDICATOR_VALUES: Kind(
        "Indicatorwaarden per jaar (sjabloon)",
        _columns(INDICATOR_SPEC, required_only=True),
        check_indicator_values,
        apply_indicator_values,
        matches=_matcher(INDICATOR_SPEC),
        template=indicator_values_template,
    ),
    SURVEY: Kind(
        "Bewonersonderzoek per gebied en jaar (sjabloon)",
        _columns(SURVEY_SPEC, required_only=True),
        check_survey,
        apply_survey,
        matches=_matcher(SURVEY_SPEC),
        template=survey_template,
    ),
}
