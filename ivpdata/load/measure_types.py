"""data/measure_types.csv: the kinds of measure (a control, a closure) and the priority each serves."""

from __future__ import annotations

import pandas as pd

from ivpdata.load.common import Reader, Rows, records
from ivpdata.validate import ProblemCollector, check_unique, check_values, one_of

FILE = "data/measure_types.csv"


def read_measure_types(reader: Reader) -> Rows:
    """The rows, unchecked: their priorities are known once the plans are read (`check_measure_types`)."""
    return reader.csv("measure_types.csv", ["measure_code", "name", "unit", "priority_code", "description"])


def measure_codes(rows: Rows) -> set[str]:
    return {row["measure_code"] for _, row in rows}


def check_measure_types(rows: Rows, priority_codes: set[str], problems: ProblemCollector) -> None:
    check_unique(rows, "measure_code", FILE, problems)
    check_values(rows, "priority_code", one_of(priority_codes, optional=True), FILE, problems)


def measure_types_frame(rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(records(rows)).replace("", None)
