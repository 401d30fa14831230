"""Police registered crime per buurt (CBS/Politie 47022NED, monthly) as the TypedDataSet CSV or
JSON. Only buurt rows of the gemeenten served are stored: wijk and gemeente figures follow from
them here. Rows that do not belong (other gemeenten, non-geographic codes, wijk and gemeente
totals, categories the product does not know) are skipped, counted per reason and shown: never
dropped silently.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ivpdata.importing.base import Checked, Context, Kind, Outcome, changes_frame, problems_for
from ivpdata.importing.reading import CBS_NIL, CBS_SKIPPED, NON_GEOGRAPHIC, NON_GEOGRAPHIC_PATTERN
from ivpdata.validate import DataError

MONTH_PERIOD = re.compile(r"^(\d{4})MM(\d{2})$")
YEAR_PERIOD = re.compile(r"^(\d{4})JJ00$")
POLICE_SOURCE = "cbs-47022ned"


POLICE_COLUMNS = ["SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]


def check_police_months(frame: pd.DataFrame, context: Context) -> Checked:
    """47022NED (registered crime per month, wijk and buurt) as TypedDataSet rows. Only buurt rows
    of the gemeenten served are stored: wijk and gemeente figures follow from them here. The
    columns are present (`import_file` checks them)."""
    name, areas, gemeenten = context.file_name, context.areas, context.gemeenten
    categories = set(context.categories["category_code"])
    data = frame
    area = data["WijkenEnBuurten"]
    value = data["GeregistreerdeMisdrijven_1"]
    period = data["Perioden"]
    # Slicing, not a regex extract: five times faster on a million rows (measured).
    monthly = period.str.match(MONTH_PERIOD)
    yearly = period.str.match(YEAR_PERIOD)
    problems = problems_for(
        yearly & (yearly.cumsum() == 1), data, name, "Perioden",  # a yearly file: say it once
        "'{value}' is a yearly period (47018NED): this import takes monthly periods (47022NED, e.g. 2024MM01)",
    )  # fmt: skip
    problems += problems_for(~monthly & ~yearly, data, name, "Perioden", "'{value}' is not a period YYYYMMmm")
    skipped: dict[str, int] = {}

    def skip(mask: pd.Series, reason: str) -> pd.Series:
        if mask.any():
            skipped[reason] = skipped.get(reason, 0) + int(mask.sum())
        return mask

    problems += problems_for(area == "", data, name, "WijkenEnBuurten", "no area code")
    gemeente_part = "GM" + area.str[2:6]
    dropped = area == ""
    dropped |= skip(area.isin(NON_GEOGRAPHIC) | area.str.match(NON_GEOGRAPHIC_PATTERN), "niet-geografische code")
    dropped |= skip(~dropped & ~gemeente_part.isin(gemeenten), "andere gemeente")
    dropped |= skip(~dropped & ~area.str.startswith("BU"), "wijk- of gemeentetotaal (berekend uit buurten)")
    dropped |= skip(~dropped & (data["SoortMisdrijf"] == "0.0.0"), "totaal misdrijven (berekend uit soorten)")
    dropped |= skip(~dropped & ~data["SoortMisdrijf"].isin(categories), "soort misdrijf niet in categories.csv")
    for symbol, reason in CBS_SKIPPED.items():
        dropped |= skip(~dropped & (value == symbol), reason)
    known = set(areas.loc[areas["area_level"] == "buurt", "area_code"])
    problems += problems_for(
        ~dropped & ~area.isin(known), data, name, "WijkenEnBuurten",
        "unknown buurt code '{value}' (not in the boundaries loaded)",
    )  # fmt: skip
    counts = pd.to_numeric(value.where(value != CBS_NIL, "0"), errors="coerce")
    count_column = "GeregistreerdeMisdrijven_1"
    problems += problems_for(~dropped & counts.isna(), data, name, count_column, "'{value}' is not a count")
    problems += problems_for(
        ~dropped & counts.notna() & ((counts < 0) | (counts % 1 != 0)), data, name, count_column,
        "'{value}' is not a whole number of 0 or more",
    )  # fmt: skip
    kept = data[~dropped].assign(
        year=period.str[:4].where(monthly).astype("Int64"), month=period.str[6:8].where(monthly).astype("Int64"),
        count=counts,
    )  # fmt: skip
    duplicate = kept.duplicated(["WijkenEnBuurten", "Perioden", "SoortMisdrijf"], keep="first")
    problems += problems_for(duplicate, kept, name, None, "the same buurt, period and category appear twice")
    months = kept["month"]
    problems += problems_for(
        months.notna() & ((months < 1) | (months > 12)), kept, name, "Perioden", "'{value}': month outside 1-12"
    )
    if problems:
        raise DataError(problems)
    # Skipped rows of the gemeenten served, per month and wijk (a buurt row counts for its wijk).
    parent = area.map(areas.set_index("area_code")["parent_code"]).where(area.str.startswith("BU"), area)
    served = dropped & gemeente_part.isin(gemeenten) & monthly & parent.notna() & (area != "")
    skipped_where = pd.DataFrame({"period": period.str[:4] + "-" + period.str[6:8], "area_code": parent, "skipped": 1})[
        served
    ]
    rows = pd.DataFrame(
        {
            "gemeente_code": "GM" + kept["WijkenEnBuurten"].str[2:6],
            "area_code": kept["WijkenEnBuurten"],
            "year": kept["year"].astype(int),
            "month": kept["month"].astype(int),
            "category_code": kept["SoortMisdrijf"],
            "incident_count": kept["count"].astype(int),
        }
    ).astype({"gemeente_code": str, "area_code": str, "category_code": str})
    return Checked("politie-misdrijven-maand", rows.reset_index(drop=True), skipped, skipped_where=skipped_where)


def apply_police_months(con: duckdb.DuckDBPyConnection, checked: Checked, context: Context) -> Outcome:
    """Replace stored counts for the same buurt, month and category; real figures replace the
    demo series of the same gemeente, months and categories (counts and events). The file's last
    `provisional_months` months are provisional: the police revise them, a later file replaces them."""
    month_index = checked.rows["year"] * 12 + checked.rows["month"] - 1
    first_provisional = int(month_index.max()) - context.provisional_months + 1 if len(month_index) else 0
    incoming = checked.rows.assign(is_provisional=month_index >= first_provisional)
    provisional_from = f"{first_provisional // 12}-{first_provisional % 12 + 1:02d}"
    con.register("incoming_rows", incoming)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    # Per month and wijk: what each incoming row does to the stored row with its key.
    compared = con.execute(
        """
        SELECT printf('%d-%02d', i.year, i.month) AS period, a.parent_code AS area_code,
            count(*) FILTER (WHERE c.area_code IS NULL OR c.is_demo) AS new,
            count(*) FILTER (WHERE NOT c.is_demo AND (c.incident_count <> i.incident_count
                OR c.is_provisional <> i.is_provisional)) AS replaced,
            count(*) FILTER (WHERE NOT c.is_demo AND c.incident_count = i.incident_count
                AND c.is_provisional = i.is_provisional) AS unchanged,
            count(*) FILTER (WHERE NOT c.is_demo AND c.is_provisional AND NOT i.is_provisional) AS definitive
        FROM incoming AS i
        INNER JOIN areas AS a ON i.area_code = a.area_code
        LEFT JOIN incident_counts AS c
            ON i.area_code = c.area_code AND i.year = c.year AND i.month = c.month
            AND i.category_code = c.category_code
        GROUP BY ALL
        """
    ).df()
    keys = "(SELECT DISTINCT gemeente_code, year, month, category_code FROM incoming)"
    demo = con.execute(
        f"""SELECT printf('%d-%02d', c.year, c.month) AS period, a.parent_code AS area_code, count(*) AS demo_replaced
        FROM incident_counts AS c INNER JOIN {keys} AS k
            ON c.gemeente_code = k.gemeente_code AND c.year = k.year AND c.month = k.month
            AND c.category_code = k.category_code
        INNER JOIN areas AS a ON c.area_code = a.area_code
        WHERE c.is_demo GROUP BY ALL"""
    ).df()
    con.execute(
        f"""DELETE FROM incident_counts AS c USING {keys} AS k
        WHERE c.is_demo AND c.gemeente_code = k.gemeente_code AND c.year = k.year AND c.month = k.month
            AND c.category_code = k.category_code"""
    )
    con.execute(
        f"""DELETE FROM incident_events AS e USING {keys} AS k
        WHERE e.is_demo AND e.gemeente_code = k.gemeente_code AND year(e.occurred_at) = k.year
            AND month(e.occurred_at) = k.month AND e.category_code = k.category_code"""
    )
    con.execute(
        """DELETE FROM incident_counts AS c USING incoming AS i
        WHERE c.area_code = i.area_code AND c.year = i.year AND c.month = i.month
            AND c.category_code = i.category_code"""
    )
    con.execute(
        f"""INSERT INTO incident_counts (gemeente_code, area_code, year, month, category_code, incident_count,
            source_id, is_provisional, is_demo)
        SELECT gemeente_code, area_code, year, month, category_code, incident_count, '{POLICE_SOURCE}',
            is_provisional, false FROM incoming"""
    )
    notes = list(checked.notes)
    provisional = int(incoming["is_provisional"].sum())
    if provisional:
        notes.append(f"{provisional} rijen vanaf {provisional_from} gelden als voorlopig")
    definitive = int(compared["definitive"].sum())
    if definitive:
        notes.append(f"{definitive} voorlopige cijfers vervangen door definitieve")
    changes = pd.concat([compared.drop(columns="definitive"), demo])
    return Outcome(checked.kind, changes_frame(changes, checked.skipped_where), checked.skipped, notes)


KINDS = {
    "politie-misdrijven-maand": Kind(
        "Geregistreerde misdrijven per buurt en maand (Politie/CBS 47022NED)",
        POLICE_COLUMNS,
        check_police_months,
        apply_police_months,
    ),
}
