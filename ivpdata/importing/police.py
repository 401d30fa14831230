"""Police registrations per buurt, published via CBS: registered crime per month (47022NED,
`politie-misdrijven-maand`) and per year (47018NED, `politie-misdrijven-jaar`), and registered
nuisance per month (47024NED, `politie-overlast-maand`). Each is read as the TypedDataSet (CSV
or JSON from the OData API) or as the CSV a user downloads from StatLine (titles instead of codes:
"Soort misdrijf", "Wijken en buurten", "Perioden", "Geregistreerde misdrijven (aantal)").

Only buurt rows of the gemeenten served are stored: wijk and gemeente figures follow from them
here. Rows that do not belong (other gemeenten, non-geographic codes, wijk and gemeente totals,
the all-crime total, subtotals, types the product does not know) are skipped, counted per reason
and shown: never dropped silently. CBS crime types without a category of their own are summed
into `REST` ("Overige misdrijven"), as the demo data do: the categories then add up to the total.

Yearly figures are stored as years (`incident_counts_year`), never split into invented months.

47024NED: the keys of its `Overlast` dimension could not be established from public sources
(no dimension listing found). The overlast categories are therefore matched on their `cbs_code`
in data/categories.csv (filled with the product's own codes: put the real key there once known),
on their names, and on the title aliases below (unverified wording). Unknown types are skipped
and named in the notes, so that a user sees which key to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from ivpdata.db import scalar, summarise_months
from ivpdata.formatting import counted, number
from ivpdata.importing import coverage
from ivpdata.importing.base import (
    FIRST_YEAR,
    OTHER_GEMEENTE,
    Checked,
    Context,
    Kind,
    Outcome,
    Skipped,
    changes_frame,
    current_month,
    current_year,
    future_month_message,
    no_gemeente_served,
    other_gemeente_detail,
    problems_for,
)
from ivpdata.importing.reading import CBS_NIL, CBS_SKIPPED, NON_GEOGRAPHIC, NON_GEOGRAPHIC_PATTERN, ROW, parse_numbers
from ivpdata.validate import DataError, Problem

MONTH_PERIOD = re.compile(r"^(\d{4})MM(\d{2})$")
YEAR_PERIOD = re.compile(r"^(\d{4})JJ00$")
CBS_TYPE_CODE = re.compile(r"^\d+\.\d+\.\d+$")  # a SoortMisdrijf key: 1.1.1, 2.6.10
TITLE_WITH_CODE = re.compile(r"^(\d+\.\d+\.\d+)\s+\S")  # StatLine titles: "1.1.1 Diefstal/inbraak woning"
REST = "REST"  # CBS crime types without a category of their own
AREA_CODE = re.compile(r"^(NL\d\d|GM\d{4}|WK\w{6}|BU\w{8}|PV\d\d|LD\d\d|RE\d\d)$")
STATLINE_PERIOD = re.compile(r"^(\d{4})(?:\s+([A-Za-z]+))?\s*(\*{0,2})$")
DUTCH_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
# StatLine titles of the CBS SoortMisdrijf types without a category of their own (47018NED and
# 47022NED dimension SoortMisdrijf), so that a title-only download still finds their code.
CBS_CRIME_TITLES = {
    "mensenhandel": "1.6.3", "inrichting wet milieubeheer": "2.6.1", "bodem": "2.6.2", "water": "2.6.3",
    "afval": "2.6.4", "bouwstoffen": "2.6.5", "mest": "2.6.7", "transport gevaarlijke stoffen": "2.6.8",
    "vuurwerk": "2.6.9", "bestrijdingsmiddelen": "2.6.10", "natuur en landschap": "2.6.11",
    "ruimtelijke ordening": "2.6.12", "dieren": "2.6.13", "voedselveiligheid": "2.6.14",
    "bijzondere wetten": "2.7.2", "leefbaarheid (overig)": "2.7.3", "drugshandel": "3.1.1",
    "mensensmokkel": "3.1.2", "wapenhandel": "3.1.3", "kinderporno": "3.2.1", "kinderprostitutie": "3.2.2",
    "onder invloed (lucht)": "3.3.2", "lucht (overig)": "3.3.5", "onder invloed (water)": "3.4.2",
    "weg (overig)": "3.5.5", "discriminatie": "3.7.1", "vreemdelingenzorg": "3.7.2",
    "maatsch. integriteit (overig)": "3.7.3", "maatschappelijke integriteit (overig)": "3.7.3",
}  # fmt: skip
CRIME_TOTAL_TITLES = {"totaal misdrijven", "misdrijven, totaal"}
# Likely 47024NED titles per overlast category (unverified, see the module docstring).
NUISANCE_TITLES = {
    "burengerucht": "OVL-BG", "overlast jeugd": "OVL-JGD", "jeugdoverlast": "OVL-JGD", "jeugd": "OVL-JGD",
    "overlast door persoon met verward gedrag": "OVL-OG", "overlast verward persoon": "OVL-OG",
    "verward persoon": "OVL-OG", "persoon met verward gedrag": "OVL-OG",
}  # fmt: skip
NON_GEOGRAPHIC_NAMES = {"nederland": "NL00", "niet in te delen": "GM0999", "buitenland": "GM0998"}
AREA = "WijkenEnBuurten"
PERIOD = "Perioden"
SKIP_TOTAL_AREA = "wijk- of gemeentetotaal (berekend uit buurten)"


@dataclass(frozen=True)
class PoliceTable:
    """One police table: its columns in the TypedDataSet and the titles of a StatLine download."""

    kind: str
    table_id: str
    type_column: str  # SoortMisdrijf / Overlast
    count_column: str  # GeregistreerdeMisdrijven_1 / GeregistreerdeOverlast_1
    yearly: bool
    category_kind: str  # the categories it fills: 'misdrijf' or 'overlast'
    source_id: str
    type_titles: tuple[str, ...]  # StatLine header of the type dimension
    count_title: str  # StatLine header of the count, followed by " (aantal)"
    label: str

    @property
    def columns(self) -> list[str]:
        return [self.type_column, AREA, PERIOD, self.count_column]

    @property
    def period_example(self) -> str:
        return "2024JJ00" if self.yearly else "2024MM01"


MONTHLY_CRIME = PoliceTable(
    kind="politie-misdrijven-maand",
    table_id="47022NED",
    type_column="SoortMisdrijf",
    count_column="GeregistreerdeMisdrijven_1",
    yearly=False,
    category_kind="misdrijf",
    source_id="cbs-47022ned",
    type_titles=("Soort misdrijf",),
    count_title="Geregistreerde misdrijven",
    label="Geregistreerde misdrijven per buurt en maand (Politie/CBS 47022NED)",
)
YEARLY_CRIME = PoliceTable(
    kind="politie-misdrijven-jaar",
    table_id="47018NED",
    type_column="SoortMisdrijf",
    count_column="GeregistreerdeMisdrijven_1",
    yearly=True,
    category_kind="misdrijf",
    source_id="cbs-47018ned",
    type_titles=("Soort misdrijf",),
    count_title="Geregistreerde misdrijven",
    label="Geregistreerde misdrijven per buurt en jaar (Politie/CBS 47018NED)",
)
MONTHLY_NUISANCE = PoliceTable(
    kind="politie-overlast-maand",
    table_id="47024NED",
    type_column="Overlast",
    count_column="GeregistreerdeOverlast_1",
    yearly=False,
    category_kind="overlast",
    source_id="cbs-47024ned",
    type_titles=("Soort overlast", "Overlast"),
    count_title="Geregistreerde overlast",
    label="Geregistreerde overlast per buurt en maand (Politie/CBS 47024NED)",
)
POLICE_SOURCE = MONTHLY_CRIME.source_id
POLICE_COLUMNS = MONTHLY_CRIME.columns


# --- recognising a file: TypedDataSet or StatLine download, monthly or yearly ---------------------


@dataclass(frozen=True)
class StatlineColumns:
    """The columns of a StatLine download: type, region, period, count, and a region code (if any)."""

    type: str
    region: str
    period: str
    count: str
    code: str | None


def _statline_columns(frame: pd.DataFrame, table: PoliceTable) -> StatlineColumns | None:
    """The file's columns for type, region, period, count (and a region code column, if any) when
    it is a StatLine download of `table`; None otherwise."""
    by_title = {str(c).strip().lower(): str(c) for c in frame.columns if c != ROW}
    type_column = next((by_title[t.lower()] for t in table.type_titles if t.lower() in by_title), None)
    count_title = table.count_title.lower()
    count = next((c for t, c in by_title.items() if t == count_title or t.startswith(count_title + " (")), None)
    region, period = by_title.get("wijken en buurten"), by_title.get("perioden")
    if type_column is None or region is None or period is None or count is None:
        return None
    taken = {type_column, region, period, count}
    code = next((c for t, c in by_title.items() if "code" in t and c not in taken), None)
    return StatlineColumns(type_column, region, period, count, code)


def _frequencies(frame: pd.DataFrame, table: PoliceTable) -> tuple[bool, bool] | None:
    """(has monthly periods, has yearly periods) of a file in either layout; None if it is not one."""
    if all(column in frame.columns for column in table.columns):
        periods = pd.Series(frame[PERIOD].unique(), dtype="string")  # a few hundred distinct values
        return bool(periods.str.match(MONTH_PERIOD).any()), bool(periods.str.match(YEAR_PERIOD).any())
    columns = _statline_columns(frame, table)
    if columns is None:
        return None
    parts = pd.Series(frame[columns.period].unique(), dtype="string").str.extract(STATLINE_PERIOD)
    valid = parts[0].notna()
    return bool((valid & parts[1].notna()).any()), bool((valid & parts[1].isna()).any())


def _recognises(table: PoliceTable, yearly: bool = False):
    """The file has the table's columns (either layout); for the yearly kind also a yearly period."""

    def matches(frame: pd.DataFrame) -> bool:
        found = _frequencies(frame, table)
        return found is not None and (found[1] or not yearly)

    return matches


# --- StatLine download to the TypedDataSet layout ---------------------------------------------------


def _from_statline(
    frame: pd.DataFrame, context: Context, table: PoliceTable, columns: StatlineColumns
) -> tuple[pd.DataFrame, pd.Series, dict[str, str]]:
    """The download as TypedDataSet columns (codes for regions and periods), whether each row is
    provisional (`*`), and the file's own column names for messages."""
    name = context.file_name
    problems: list[Problem] = []
    period_titles = frame[columns.period]
    parsed: dict[str, tuple[str, bool]] = {}
    for title in period_titles.unique():
        match = STATLINE_PERIOD.match(str(title))
        if not match:
            continue
        year, month, star = match.groups()
        if month is None:
            parsed[title] = (f"{year}JJ00", bool(star))
        elif month.lower() in DUTCH_MONTHS:
            parsed[title] = (f"{year}MM{DUTCH_MONTHS[month.lower()]:02d}", bool(star))
    problems += problems_for(
        ~period_titles.isin(list(parsed)),
        frame,
        name,
        columns.period,
        "'{value}' is geen periode zoals StatLine die schrijft (bijv. '2024 januari', '2024 januari*' of '2024')",
    )
    regions, region_problems = _statline_regions(frame, context, columns)
    problems += region_problems
    if problems:
        raise DataError(problems)
    counts = frame[columns.count]
    numbers = parse_numbers(counts, whole=True)
    symbol = counts.isin([CBS_NIL, *CBS_SKIPPED])
    counts = counts.where(symbol | numbers.isna(), numbers.astype("string"))
    typed = pd.DataFrame(
        {
            table.type_column: frame[columns.type],
            AREA: regions,
            PERIOD: period_titles.map({t: p[0] for t, p in parsed.items()}).astype("string"),
            table.count_column: counts,
            ROW: frame[ROW],
        }
    )
    provisional = period_titles.map({t: p[1] for t, p in parsed.items()}).astype(bool)
    shown = {table.type_column: columns.type, AREA: columns.region, PERIOD: columns.period}
    shown[table.count_column] = columns.count
    return typed, provisional, shown


def _statline_regions(
    frame: pd.DataFrame, context: Context, columns: StatlineColumns
) -> tuple[pd.Series, list[Problem]]:
    """Area codes: from a code column when there is one, else the value itself when it is a code,
    else the one area of the gemeenten served with that name."""
    names = frame[columns.region]
    codes = frame[columns.code] if columns.code else pd.Series("", index=frame.index, dtype="string")
    codes = codes.where(codes != "", names.where(names.str.match(AREA_CODE), ""))
    areas = context.areas[context.areas["gemeente_code"].isin(context.gemeenten)]
    lookup: dict[str, str] = {}
    unclear: dict[str, str] = {}
    for title in names[codes == ""].unique():
        key = str(title).strip()
        if key.lower() in NON_GEOGRAPHIC_NAMES:
            lookup[title] = NON_GEOGRAPHIC_NAMES[key.lower()]
            continue
        found = areas.loc[areas["name"] == key, "area_code"]
        if found.empty:
            found = areas.loc[areas["display_name"] == key, "area_code"]
        if len(found) == 1:
            lookup[title] = found.iloc[0]
        else:
            unclear[title] = (
                f"gebiedsnaam '{title}' is niet eenduidig ({', '.join(sorted(found))})"
                if len(found) > 1
                else f"gebiedsnaam '{title}' is onbekend in de geladen gemeenten"
            )
    problems: list[Problem] = []
    unresolved = (codes == "") & names.isin(list(unclear))
    for _, row in frame[unresolved].drop_duplicates(columns.region).head(10).iterrows():
        message = unclear[row[columns.region]] + (
            "; voeg bij het downloaden in StatLine de regiocode toe (kolom 'Regiocode') of importeer de TypedDataSet"
        )
        problems.append(Problem(context.file_name, int(row[ROW]), columns.region, message))
    return codes.where(codes != "", names.map(lookup)).fillna("").astype("string"), problems


# --- checking ----------------------------------------------------------------------------------------


def _resolve_types(values: pd.Series, context: Context, table: PoliceTable) -> tuple[dict, dict]:
    """Per distinct type in the file (code, "code title" or title): its category, or the reason
    it is skipped."""
    categories = context.categories
    own = categories[categories["kind"] == table.category_kind]
    by_code = {c: k for c, k in zip(own["cbs_code"], own["category_code"], strict=True) if isinstance(c, str) and c}
    by_title = {str(n).lower(): k for n, k in zip(own["name"], own["category_code"], strict=True)}
    totals = set(categories.loc[categories["kind"] == "totaal", "cbs_code"].dropna())
    has_rest = REST in set(categories["category_code"])
    category: dict[str, str] = {}
    reason: dict[str, str] = {}
    for value in values.unique():
        text = str(value).strip()
        with_code = TITLE_WITH_CODE.match(text)
        key = with_code.group(1) if with_code else text
        title = text.lower()
        if table.category_kind == "misdrijf":
            if not with_code and not CBS_TYPE_CODE.match(text):
                key = CBS_CRIME_TITLES.get(title, key)  # a title without its code
            if key in totals or title in CRIME_TOTAL_TITLES:
                reason[value] = "totaal misdrijven (berekend uit soorten)"
            elif key in by_code or title in by_title:
                category[value] = by_code.get(key) or by_title[title]
            elif CBS_TYPE_CODE.match(key) and "0" in key.split("."):
                reason[value] = "subtotaal van soorten (berekend uit soorten)"
            elif CBS_TYPE_CODE.match(key) and has_rest:
                category[value] = REST
            else:
                reason[value] = "soort misdrijf onbekend (geen CBS-soortcode)"
        elif title.startswith("totaal") or key in totals:
            reason[value] = "totaal overlast (berekend uit soorten)"
        elif key in by_code or title in by_title or title in NUISANCE_TITLES:
            category[value] = by_code.get(key) or by_title.get(title) or NUISANCE_TITLES[title]
        else:
            reason[value] = "soort overlast niet in categories.csv"
    return category, reason


class _Distinct:
    """A column's distinct values and which one each row holds: a test or lookup runs once per
    distinct value (a few thousand areas, a hundred periods) and is spread over the rows (a million)."""

    def __init__(self, column: pd.Series):
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        self.codes = codes
        self.index = column.index
        self.values = pd.Series(uniques)

    def spread(self, derived: pd.Series, rows: np.ndarray | None = None) -> pd.Series:
        """`derived` (one value per distinct value) per row, for all rows or the `rows` (a mask)."""
        codes = self.codes if rows is None else self.codes[rows]
        index = self.index if rows is None else self.index[rows]
        return pd.Series(derived.array.take(codes), index=index)

    def flag(self, derived: pd.Series) -> pd.Series:
        """A test of the distinct values per row, as plain booleans (a missing value is False)."""
        return pd.Series(derived.fillna(False).to_numpy(dtype=bool)[self.codes], index=self.index)


@dataclass
class _Columns:
    """The distinct values of the columns a check tests."""

    area: _Distinct
    period: _Distinct
    type: _Distinct
    count: _Distinct

    @classmethod
    def of(cls, data: pd.DataFrame, table: PoliceTable) -> _Columns:
        return cls(*(_Distinct(data[c]) for c in (AREA, PERIOD, table.type_column, table.count_column)))


def _check(frame: pd.DataFrame, context: Context, table: PoliceTable) -> Checked:
    name = context.file_name
    data, provisional, shown = _typed(frame, context, table)
    columns = _Columns.of(data, table)
    area, periods = data[AREA], columns.period.values
    monthly_period = periods.str.match(MONTH_PERIOD).fillna(False)
    yearly_period = periods.str.match(YEAR_PERIOD).fillna(False)
    monthly, yearly = columns.period.flag(monthly_period), columns.period.flag(yearly_period)
    wanted, other = (yearly, monthly) if table.yearly else (monthly, yearly)
    wanted_period = yearly_period if table.yearly else monthly_period
    other_message = _other_frequency_message(table)
    problems = problems_for(other & (other.cumsum() == 1), data, name, shown[PERIOD], other_message)  # say it once
    problems += problems_for(
        ~monthly & ~yearly, data, name, shown[PERIOD], f"'{{value}}' is geen periode (bijv. {table.period_example})"
    )
    problems += problems_for(area == "", data, name, shown[AREA], "geen gebiedscode")
    category_of, reason_of = _resolve_types(data[table.type_column], context, table)
    dropped, skips, other = _dropped(columns, context.gemeenten, reason_of, data[ROW])
    skipped, skipped_detail = skips.counts, skips.details()
    if other.any():
        skipped_detail[OTHER_GEMEENTE] = _other_gemeente_detail(columns.area, data[ROW], other)
    counts, count_problems = _counts(data, columns, name, shown, table, dropped, context.areas)
    problems += count_problems
    if other.any() and not columns.area.flag(_of_gemeenten(columns.area.values, context.gemeenten)).any():
        problems.append(no_gemeente_served(name, shown[AREA], context.gemeenten, skipped_detail[OTHER_GEMEENTE]))
    # Columns of the kept rows only, indexed as those rows: an empty frame stays empty.
    keep = ~dropped.to_numpy()
    kept = data[keep].assign(
        year=columns.period.spread(periods.str[:4].where(wanted_period).astype("Int64"), keep),
        month=columns.period.spread(periods.str[6:8].where(monthly_period).astype("Int64"), keep),
        count=counts[keep],
        category=columns.type.spread(columns.type.values.map(category_of).astype(object), keep),
    )
    problems += _kept_problems(kept, name, shown[PERIOD], table)
    if problems:
        raise DataError(problems)
    rows, notes = _count_rows(kept, provisional, dropped, table)
    notes += _unknown_nuisance_notes(reason_of)
    skipped_where = _skipped_where(columns, context, table, dropped & wanted)
    return Checked(table.kind, rows.reset_index(drop=True), skipped, notes, skipped_where, skipped_detail)


def _typed(
    frame: pd.DataFrame, context: Context, table: PoliceTable
) -> tuple[pd.DataFrame, pd.Series | None, dict[str, str]]:
    """The file in the TypedDataSet layout, which rows are provisional (StatLine `*`; None for a
    TypedDataSet) and the file's own column names for messages."""
    if all(column in frame.columns for column in table.columns):
        return frame, None, {column: column for column in table.columns}
    statline = _statline_columns(frame, table)
    if statline is None:  # only files in either layout get here (`_recognises`)
        return frame, None, {column: column for column in table.columns}
    return _from_statline(frame, context, table, statline)


def _other_frequency_message(table: PoliceTable) -> str:
    """The problem of a period of the other frequency (months in a yearly table, or years)."""
    if table.yearly:
        return (
            "'{value}' is een maandperiode (47022NED): deze import neemt jaarperioden (47018NED, bijv. 2024JJ00); "
            "importeer maandcijfers als 'politie-misdrijven-maand'"
        )
    if table.category_kind == "misdrijf":
        return (
            "'{value}' is een jaarperiode (47018NED): deze import neemt maandperioden (47022NED, bijv. 2024MM01); "
            "importeer jaarcijfers als 'politie-misdrijven-jaar'"
        )
    return (
        "'{value}' is een jaarperiode: deze import neemt maandperioden (47024NED, bijv. 2024MM01); "
        "jaarcijfers overlast worden niet geïmporteerd (tel de maanden op)"
    )


def _dropped(
    columns: _Columns, gemeenten: set[str], reason_of: dict, rows: pd.Series
) -> tuple[pd.Series, Skipped, pd.Series]:
    """Which rows are not stored (no area, not a buurt of a gemeente served, a type or value that
    is skipped), the rows each reason skips (`rows`: the file's row numbers), and which rows are
    of another gemeente."""
    area, value, types = columns.area.values, columns.count.values, columns.type.values
    skips = Skipped(rows)
    skip = skips.skip
    by_area, by_value = columns.area.flag, columns.count.flag
    dropped = by_area(area == "")
    non_geographic = area.isin(NON_GEOGRAPHIC) | area.str.match(NON_GEOGRAPHIC_PATTERN)
    dropped |= skip(by_area(non_geographic), "niet-geografische code")
    other = skip(~dropped & by_area(~_of_gemeenten(area, gemeenten)), OTHER_GEMEENTE)
    dropped |= other
    dropped |= skip(~dropped & by_area(~area.str.startswith("BU")), SKIP_TOTAL_AREA)
    reasons = types.map(reason_of)
    for reason in dict.fromkeys(reason_of.values()):
        dropped |= skip(~dropped & columns.type.flag(reasons == reason), reason)
    for symbol, reason in CBS_SKIPPED.items():
        dropped |= skip(~dropped & by_value(value == symbol), reason)
    return dropped, skips, other


def _of_gemeenten(areas: pd.Series, gemeenten: set[str]) -> pd.Series:
    """Which area codes name one of `gemeenten` (GM0505, WK050501 and BU05050101 name GM0505)."""
    return ("GM" + areas.str[2:6]).isin(gemeenten)


def _other_gemeente_detail(area: _Distinct, rows: pd.Series, other: pd.Series) -> str:
    """`base.other_gemeente_detail` of the `other` rows, counted per distinct area code."""
    positions = np.flatnonzero(other.to_numpy())
    codes = area.codes[positions]
    distinct, first = np.unique(codes, return_index=True)
    per_code = pd.DataFrame(
        {
            "code": area.values.to_numpy()[distinct],
            "row": rows.to_numpy()[positions[first]],
            "rows": np.bincount(codes)[distinct],
        }
    )
    return other_gemeente_detail(per_code)


def _counts(
    data: pd.DataFrame,
    columns: _Columns,
    name: str,
    shown: dict[str, str],
    table: PoliceTable,
    dropped: pd.Series,
    areas: pd.DataFrame,
) -> tuple[pd.Series, list[Problem]]:
    """The counts as numbers (the CBS nil symbol as 0); problems of the rows kept for a buurt that
    is not loaded and for a count that is no whole number of 0 or more."""
    value = columns.count.values
    known = set(areas.loc[areas["area_level"] == "buurt", "area_code"])
    problems = problems_for(
        ~dropped & columns.area.flag(~columns.area.values.isin(known)),
        data,
        name,
        shown[AREA],
        "onbekende buurtcode '{value}' (niet in de geladen grenzen)",
    )
    counts = columns.count.spread(pd.to_numeric(value.where(value != CBS_NIL, "0"), errors="coerce"))
    count_column = shown[table.count_column]
    problems += problems_for(~dropped & counts.isna(), data, name, count_column, "'{value}' is geen aantal")
    problems += problems_for(
        ~dropped & counts.notna() & ((counts < 0) | (counts % 1 != 0)),
        data,
        name,
        count_column,
        "'{value}' is geen geheel getal van 0 of meer",
    )
    return counts, problems


def _kept_problems(kept: pd.DataFrame, name: str, period_column: str, table: PoliceTable) -> list[Problem]:
    """Problems of the rows kept: a key twice, a month outside 1-12, a period out of range."""
    duplicate = kept.duplicated([AREA, PERIOD, table.type_column], keep="first")
    what = "jaar" if table.yearly else "periode"
    problems = problems_for(
        duplicate, kept, name, None, f"dezelfde buurt, {what} en soort staan twee keer in het bestand"
    )
    if not table.yearly:
        months = kept["month"]
        problems += problems_for(
            months.notna() & ((months < 1) | (months > 12)), kept, name, period_column, "'{value}': maand buiten 1-12"
        )
    return problems + _period_problems(kept, name, period_column, table.yearly)


def _count_rows(
    kept: pd.DataFrame, provisional: pd.Series | None, dropped: pd.Series, table: PoliceTable
) -> tuple[pd.DataFrame, list[str]]:
    """The rows for the counts table (types without a category of their own summed into REST),
    and a note on that sum."""
    rows = pd.DataFrame(
        {
            "gemeente_code": "GM" + kept[AREA].str[2:6],
            "area_code": kept[AREA],
            "year": kept["year"].astype(int),
            "month": kept["month"].astype("Int64"),
            "category_code": kept["category"],
            "incident_count": kept["count"].astype(int),
        }
    ).astype({"gemeente_code": str, "area_code": str, "category_code": str})
    if provisional is not None:
        rows["is_provisional"] = provisional[~dropped].to_numpy()
    if table.yearly:
        rows = rows.drop(columns="month")
    rest = (rows["category_code"] == REST).to_numpy()
    if not rest.any():
        return rows, []
    # CBS types without a category of their own, summed per buurt and period into REST
    types = kept.loc[rest, table.type_column]
    shown_types = ", ".join(sorted({TITLE_WITH_CODE.sub(r"\1", t).split(" ")[0] for t in types.unique()})[:8])
    note = (
        f"{counted(int(rest.sum()), 'rij', 'rijen')} van {types.nunique()} CBS-soorten zonder eigen categorie "
        f"opgeteld bij {REST} (Overige misdrijven): {shown_types}{', ...' if types.nunique() > 8 else ''}"
    )
    keys = ["area_code", "year"] if table.yearly else ["area_code", "year", "month"]
    summed = {"incident_count": "sum"} | ({"is_provisional": "max"} if "is_provisional" in rows else {})
    rest_rows = rows[rest].groupby(["gemeente_code", *keys, "category_code"], as_index=False).agg(summed)
    return pd.concat([rows[~rest], rest_rows[rows.columns]], ignore_index=True), [note]


def _unknown_nuisance_notes(reason_of: dict) -> list[str]:
    """A note naming the nuisance types skipped for want of a category."""
    unknown = [t for t, r in reason_of.items() if r == "soort overlast niet in categories.csv"]
    if not unknown:
        return []
    listed = ", ".join(f"'{t}'" for t in sorted(map(str, unknown))[:8])
    return [
        f"soorten overlast zonder categorie overgeslagen: {listed}; vul hun sleutel in als cbs_code in "
        "data/categories.csv om ze mee te nemen"
    ]


def _skipped_where(columns: _Columns, context: Context, table: PoliceTable, dropped: pd.Series) -> pd.DataFrame:
    """Skipped rows (`dropped`: of the frequency wanted) of the gemeenten served, per period and
    wijk (a buurt row counts for its wijk)."""
    area, period = columns.area.values, columns.period.values
    parent = area.map(context.areas.set_index("area_code")["parent_code"]).where(area.str.startswith("BU"), area)
    served_area = ("GM" + area.str[2:6]).isin(context.gemeenten) & parent.notna() & (area != "")
    served = (dropped & columns.area.flag(served_area)).to_numpy()
    period_text = period.str[:4] if table.yearly else period.str[:4] + "-" + period.str[6:8]
    return pd.DataFrame(
        {
            "period": columns.period.spread(period_text.astype(object), served),
            "area_code": columns.area.spread(parent.astype(object), served),
            "skipped": 1,
        }
    )


def _period_problems(kept: pd.DataFrame, name: str, column: str, yearly: bool) -> list[Problem]:
    """No period after the current month (a year: after the current year), none before FIRST_YEAR."""
    year, month = kept["year"], kept["month"]
    after_month = year * 12 + month - 1 > current_month()
    late = year > current_year() if yearly else after_month & month.between(1, 12)
    problems = problems_for(late, kept, name, column, lambda r: future_month_message(r[PERIOD]))
    return problems + problems_for(
        year < FIRST_YEAR, kept, name, column, f"'{{value}}' is geen bestaande periode (jaar voor {FIRST_YEAR})"
    )


def check_police_months(frame: pd.DataFrame, context: Context) -> Checked:
    """47022NED (registered crime per month, wijk and buurt). The columns are present
    (`import_file` checks them)."""
    return _check(frame, context, MONTHLY_CRIME)


def check_police_years(frame: pd.DataFrame, context: Context) -> Checked:
    """47018NED (registered crime per year, wijk and buurt)."""
    return _check(frame, context, YEARLY_CRIME)


def check_nuisance_months(frame: pd.DataFrame, context: Context) -> Checked:
    """47024NED (registered nuisance per month, wijk and buurt)."""
    return _check(frame, context, MONTHLY_NUISANCE)


# --- applying ----------------------------------------------------------------------------------------


def _provisional(rows: pd.DataFrame, context: Context, yearly: bool) -> tuple[pd.Series, str | None]:
    """Which rows are provisional: as the file marks them (StatLine `*`), else the file's last
    `provisional_months` months (the police revise them), or for years the file's last year; in
    both cases only as far as they are recent (the last `provisional_months` months before this
    one, last year): an old export's last months have been revised since and are definitive."""
    if "is_provisional" in rows:
        return rows["is_provisional"].astype(bool), None
    if yearly:
        last = int(rows["year"].max()) if len(rows) else 0
        first = max(last, current_year() - 1)
        return rows["year"] >= first, str(first)
    month_index = rows["year"] * 12 + rows["month"] - 1
    last = int(month_index.max()) if len(month_index) else 0
    first = max(last - context.provisional_months + 1, current_month() - context.provisional_months)
    return month_index >= first, f"{first // 12}-{first % 12 + 1:02d}"


def _apply(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context, table: PoliceTable) -> Outcome:
    """Replace stored counts for the same buurt, period and category. A monthly real figure
    replaces the demo row of its own buurt, month and category (and that key's demo events); every
    buurt, month and category the file does not hold keeps its row: a missing row is "not
    covered", never 0. Yearly figures go to their own table and leave the monthly (demo) series
    as it is."""
    yearly = table.yearly
    target = "incident_counts_year" if yearly else "incident_counts"
    keys = ["area_code", "year"] if yearly else ["area_code", "year", "month"]
    is_provisional, provisional_from = _provisional(checked.rows, context, yearly)
    incoming = checked.rows.assign(is_provisional=is_provisional.to_numpy())
    if not yearly:
        incoming["month"] = incoming["month"].astype(int)
    on = " AND ".join(f"i.{k} = c.{k}" for k in [*keys, "category_code"])
    _require_source(con, context, table.source_id)
    compared = _compare_counts(con, incoming, target, on, yearly)
    _write_counts(con, target, keys, table)
    notes = list(checked.notes) + _provisional_notes(incoming, compared, provisional_from)
    if yearly:
        notes.append(
            "jaarcijfers worden niet over maanden verdeeld: kaarten en trends per maand tonen voor deze jaren de "
            "maandcijfers die er al zijn (demodata blijven demo); het Overzicht toont de echte jaarcijfers waar "
            "geen echte maandcijfers voor het hele jaar zijn"
        )
        notes += _yearly_coverage(con)
    notes += _yearly_differences(con)
    changes = compared.drop(columns="definitive")
    outcome = Outcome(
        checked.kind,
        changes_frame(changes, checked.skipped_where),
        checked.skipped,
        notes,
        skipped_detail=checked.skipped_detail,
    )
    if not yearly:
        outcome.coverage = _coverage(con, checked, table)
    return outcome


def _require_source(con: duckdb.DuckDBPyConnection, context: Context, source: str) -> None:
    """incident_counts has no foreign key on source_id (see schema.sql): checked here."""
    if not scalar(con, "SELECT count(*) FROM sources WHERE source_id = ?", [source]):
        message = f"bron '{source}' ontbreekt in data/sources.csv: voeg haar toe en bouw de database opnieuw"
        raise DataError([Problem(context.file_name, None, None, message)])


def _compare_counts(
    con: duckdb.DuckDBPyConnection, incoming: pd.DataFrame, target: str, on: str, yearly: bool
) -> pd.DataFrame:
    """Temp table `incoming`: each incoming row with what it does to the stored row of its key.
    Returns per period and wijk the new, replaced, unchanged, demo-replaced and now-definitive rows."""
    period_sql = "CAST(i.year AS VARCHAR)" if yearly else "printf('%d-%02d', i.year, i.month)"
    group = "i.year, i.wijk_code" if yearly else "i.year, i.month, i.wijk_code"
    con.register("incoming_rows", pa.Table.from_pandas(incoming, preserve_index=False))  # Arrow: scanned without copies
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE incoming AS
        SELECT i.*, a.parent_code AS wijk_code,
            CASE WHEN c.area_code IS NULL OR c.is_demo THEN 'new'
                WHEN c.incident_count <> i.incident_count OR c.is_provisional <> i.is_provisional THEN 'replaced'
                ELSE 'unchanged' END AS action,
            coalesce(c.is_demo, false) AS stored_demo,
            coalesce(NOT c.is_demo AND c.is_provisional AND NOT i.is_provisional, false) AS definitive,
            c.source_id AS stored_source, c.rowid AS stored_row
        FROM incoming_rows AS i
        INNER JOIN areas AS a ON i.area_code = a.area_code
        LEFT JOIN {target} AS c ON {on}"""
    )
    con.unregister("incoming_rows")
    return con.execute(
        f"""SELECT {period_sql} AS period, i.wijk_code AS area_code,
            count(*) FILTER (WHERE action = 'new') AS new,
            count(*) FILTER (WHERE action = 'replaced') AS replaced,
            count(*) FILTER (WHERE action = 'unchanged') AS unchanged,
            count(*) FILTER (WHERE stored_demo) AS demo_replaced,
            count(*) FILTER (WHERE definitive) AS definitive
        FROM incoming AS i GROUP BY {group}"""  # the period text made per group, not per row
    ).df()


def _write_counts(con: duckdb.DuckDBPyConnection, target: str, keys: list[str], table: PoliceTable) -> None:
    """Write the rows of `incoming` that change something; monthly ones also remove their key's demo events."""
    source = table.source_id
    # Only rows that change are written, in place where a row with the key is stored (demo or an
    # earlier import): an update of the count columns touches no index, which a delete and insert
    # (five indexes: the key and the foreign keys) would. The source (a foreign key) only where it
    # changes. The stored row is found by the rowid `_compare_counts` took from it, earlier in this
    # transaction (nothing deleted since): a join on the key again costs four times as much.
    values = "incident_count = i.incident_count, is_provisional = i.is_provisional, is_demo = false"
    changed = "i.action <> 'unchanged' AND c.rowid = i.stored_row"
    con.execute(
        f"UPDATE {target} AS c SET {values} FROM incoming AS i WHERE {changed} AND i.stored_source = '{source}'"
    )
    con.execute(
        f"""UPDATE {target} AS c SET {values}, source_id = '{source}' FROM incoming AS i
        WHERE {changed} AND i.stored_source <> '{source}'"""
    )
    if not table.yearly:
        _delete_demo_events(con)
    columns = ", ".join(["gemeente_code", *keys, "category_code", "incident_count"])
    con.execute(
        f"""INSERT INTO {target} ({columns}, source_id, is_provisional, is_demo)
        SELECT {columns}, '{source}', is_provisional, false FROM incoming WHERE stored_source IS NULL"""
    )
    if not table.yearly:
        gemeenten = [row[0] for row in con.execute("SELECT DISTINCT gemeente_code FROM incoming").fetchall()]
        summarise_months(con, gemeenten)


def _provisional_notes(incoming: pd.DataFrame, compared: pd.DataFrame, provisional_from: str | None) -> list[str]:
    """Notes on how many rows count as provisional and how many provisional figures became definitive."""
    notes = []
    provisional = int(incoming["is_provisional"].sum())
    rows = "1 rij geldt" if provisional == 1 else f"{number(provisional)} rijen gelden"
    if provisional and provisional_from is not None:
        notes.append(f"{rows} als voorlopig (vanaf {provisional_from}: recent, de politie herziet ze nog)")
    elif provisional:
        notes.append(f"{rows} als voorlopig (gemarkeerd met * in het bestand)")
    definitive = int(compared["definitive"].sum())
    if definitive:
        notes.append(f"{definitive} voorlopige cijfers vervangen door definitieve")
    return notes


def _delete_demo_events(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the demo events of the buurten, months and categories imported (their demo counts
    were overwritten in place); other buurten keep theirs."""
    con.execute(
        """DELETE FROM incident_events AS e
        USING (SELECT DISTINCT area_code, year, month, category_code FROM incoming) AS k
        WHERE e.is_demo AND e.buurt_code = k.area_code AND year(e.occurred_at) = k.year
            AND month(e.occurred_at) = k.month AND e.category_code = k.category_code"""
    )


def _coverage(con: duckdb.DuckDBPyConnection, checked: Checked, table: PoliceTable) -> list[str]:
    """The Dutch sentences on what the file covers (after the rows were written, in the same
    transaction: a preview rolls them back)."""
    keys = con.execute(f"SELECT DISTINCT {', '.join(coverage.KEYS)} FROM incoming").to_arrow_table().to_pandas()
    per_gemeente = con.execute(
        """SELECT gemeente_code, count(*) FILTER (WHERE stored_demo),
            count(*) FILTER (WHERE action = 'replaced'), count(*) FILTER (WHERE action = 'unchanged'),
            count(*) FILTER (WHERE stored_source IS NULL)
        FROM incoming GROUP BY ALL"""
    ).fetchall()
    counts = {row[0]: coverage.Counts(*row[1:]) for row in per_gemeente}
    words = coverage.CRIME if table.category_kind == "misdrijf" else coverage.NUISANCE
    totals = checked.skipped.get(SKIP_TOTAL_AREA, 0)
    return coverage.describe(con, keys, counts, coverage.mixed_counts(con, keys), words, totals)


def _yearly_coverage(con: duckdb.DuckDBPyConnection) -> list[str]:
    """A note per gemeente whose buurten the yearly file holds only in part: its yearly figures are
    then no city figure (incidents_city_year in schema.sql uses a year only with every buurt)."""
    partial = con.execute(
        """SELECT m.name, count(DISTINCT i.area_code) AS held,
            (SELECT count(*) FROM areas AS b WHERE b.area_level = 'buurt' AND b.gemeente_code = i.gemeente_code)
        FROM incoming AS i INNER JOIN municipalities AS m USING (gemeente_code)
        GROUP BY ALL ORDER BY m.name"""
    ).fetchall()
    return [
        f"het bestand bevat {held} van de {total} buurten van {name}: het Overzicht telt deze jaarcijfers niet "
        "als cijfer voor de hele gemeente (dat blijft het cijfer dat er al was)"
        for name, held, total in partial
        if held < total
    ]


def _yearly_differences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """A note where a buurt's yearly figure differs from the sum of its real monthly counts for a
    whole year (not an error: the police revise figures, and the tables are published apart)."""
    if not scalar(con, "SELECT count(*) FROM incident_counts_year"):
        return []
    found = con.execute(
        """SELECT y.area_code, y.year, y.category_code, y.incident_count, m.months_sum
        FROM (SELECT DISTINCT area_code, year, category_code FROM incoming) AS s
        INNER JOIN incident_counts_year AS y USING (area_code, year, category_code)
        INNER JOIN (
            SELECT area_code, year, category_code, sum(incident_count) AS months_sum
            FROM incident_counts WHERE NOT is_demo
            GROUP BY ALL HAVING count(DISTINCT month) = 12
        ) AS m USING (area_code, year, category_code)
        WHERE y.incident_count <> m.months_sum
        ORDER BY ALL"""
    ).fetchall()
    if not found:
        return []
    area, year, category, year_count, months_sum = found[0]
    return [
        f"{len(found)} jaarcijfers wijken af van de som van de echte maandcijfers (bijv. {area} {year} {category}: "
        f"jaar {year_count}, maanden samen {months_sum}); de politie herziet cijfers, het Overzicht toont de "
        "maandcijfers"
    ]


def apply_police_months(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    return _apply(con, checked, context, MONTHLY_CRIME)


def apply_police_years(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    return _apply(con, checked, context, YEARLY_CRIME)


def apply_nuisance_months(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    return _apply(con, checked, context, MONTHLY_NUISANCE)


# Detection tries kinds in order: the yearly kind first (a file with yearly periods), then the
# monthly one (any file with these columns, so that a monthly kind given a yearly file says so).
KINDS = {
    YEARLY_CRIME.kind: Kind(
        YEARLY_CRIME.label,
        YEARLY_CRIME.columns,
        check_police_years,
        apply_police_years,
        matches=_recognises(YEARLY_CRIME, yearly=True),
    ),
    MONTHLY_CRIME.kind: Kind(
        MONTHLY_CRIME.label,
        MONTHLY_CRIME.columns,
        check_police_months,
        apply_police_months,
        matches=_recognises(MONTHLY_CRIME),
    ),
    MONTHLY_NUISANCE.kind: Kind(
        MONTHLY_NUISANCE.label,
        MONTHLY_NUISANCE.columns,
        check_nuisance_months,
        apply_nuisance_months,
        matches=_recognises(MONTHLY_NUISANCE),
    ),
}
