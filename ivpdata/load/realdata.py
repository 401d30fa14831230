"""data/realdata: real CBS figures (population 2019 per gemeente, registered crime per year), stored
as published figures next to those of the plan documents."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ivpdata.load.common import Reader
from ivpdata.validate import check_values, number

KWB_NAME = "realdata/kwb2019_gemeente_dordrecht_enkhuizen.csv"
KWB_FILE = f"data/{KWB_NAME}"
CRIME_NAME = "realdata/crime_totaal_gemeente_enkhuizen_2010_2020.csv"
CRIME_FILE = f"data/{CRIME_NAME}"
CRIME_TOTAL = "TotaalGeregistreerdeMisdrijven_1"


def read_kwb_population(reader: Reader, gemeente_codes: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Real gemeente population of 1 January 2019 (CBS Kerncijfers wijken en buurten 2019): the
    population table and the same numbers as published figures."""
    rows = reader.csv(KWB_NAME, ["region", "unique_id", "population"])
    check_values(rows, "population", number(minimum=0), KWB_FILE, reader.problems)
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
        figures.append(_population_figure(code, inhabitants, f"{row['region']}: population {inhabitants} (row {line})"))
    return pd.DataFrame(population), pd.DataFrame(figures)


def _population_figure(code: str, inhabitants: int, quote: str) -> dict[str, Any]:
    return {
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
        "quote": quote,
    }


def read_cbs_crime_totals(reader: Reader, names_to_codes: dict[str, str]) -> pd.DataFrame:
    """Real yearly registered crime totals (CBS 83648NED); RegioS holds the gemeente name."""
    rows = reader.csv(CRIME_NAME, ["SoortMisdrijf", "RegioS", "Perioden", CRIME_TOTAL])
    check_values(rows, CRIME_TOTAL, number(minimum=0), CRIME_FILE, reader.problems)
    check_values(rows, "Perioden", _year, CRIME_FILE, reader.problems)
    figures = []
    for line, row in rows:
        code = names_to_codes.get(row["RegioS"])
        if code is None:
            reader.problems.add(CRIME_FILE, line, "RegioS", f"'{row['RegioS']}' is not a configured gemeente")
            continue
        figures.append(_crime_figure(code, row))
    return pd.DataFrame(figures)


def _year(value: str) -> str | None:
    return None if re.fullmatch(r"\d{4}", value) else f"'{value}' is not a year"


def _crime_figure(code: str, row: dict[str, str]) -> dict[str, Any]:
    year = row["Perioden"]
    return {
        "figure_id": f"cbs-83648ned-totaal-{code.lower()}-{year}",
        "source_id": "cbs-83648ned",
        "section": "Geregistreerde criminaliteit; soort misdrijf, regio",
        "label": "Geregistreerde misdrijven, totaal",
        "gemeente_code": code,
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "value": row[CRIME_TOTAL],
        "unit": "aantal",
        "qualifier": "",
        "kind": "incident",
        "category_code": "0.0.0",
        "measure_code": "",
        "priority_code": "",
        "quote": f"{row['SoortMisdrijf']}, {row['RegioS']}, {year}: {row[CRIME_TOTAL]}",
    }
