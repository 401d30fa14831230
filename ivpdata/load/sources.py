"""data/sources.csv: every source a figure, area or plan may cite."""

from __future__ import annotations

import pandas as pd

from ivpdata.load.common import Reader, Rows, records
from ivpdata.validate import check_unique

FILE = "data/sources.csv"
COLUMNS = ["source_id", "title", "publisher", "published", "licence", "attribution", "url", "note"]


def read_source_list(reader: Reader) -> Rows:
    rows = reader.csv("sources.csv", COLUMNS)
    check_unique(rows, "source_id", FILE, reader.problems)
    return rows


def source_ids(rows: Rows) -> set[str]:
    return {row["source_id"] for _, row in rows}


def sources_frame(rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(records(rows)).replace("", None)
