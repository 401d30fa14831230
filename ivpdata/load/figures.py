"""data/published/figures.csv: the figures the plan documents publish, with the real CBS figures
(data/realdata) they are stored with."""

from __future__ import annotations

import pandas as pd

from ivpdata.load.common import Check, Codes, Reader, Rows, records
from ivpdata.validate import ProblemCollector, check_unique, check_values, iso_date, number, one_of

FILE = "data/published/figures.csv"
COLUMNS = [
    "figure_id",
    "document",
    "section",
    "label",
    "gemeente_code",
    "period_start",
    "period_end",
    "value",
    "unit",
    "qualifier",
    "kind",
    "category_code",
    "measure_code",
    "priority_code",
    "quote",
]
FIGURE_KINDS = ("incident", "incident_change", "measure", "survey", "context", "population")
QUALIFIERS = ("", "circa", "meer dan", "ten minste")


def read_figures(reader: Reader, codes: Codes) -> Rows:
    rows = reader.csv("published/figures.csv", COLUMNS)
    check_unique(rows, "figure_id", FILE, reader.problems)
    for column, check in _column_checks(codes):
        check_values(rows, column, check, FILE, reader.problems)
    _check_rows(rows, reader.problems)
    return rows


def figure_ids(rows: Rows) -> set[str]:
    return {row["figure_id"] for _, row in rows}


def _column_checks(codes: Codes) -> list[tuple[str, Check]]:
    return [
        ("gemeente_code", one_of(codes.gemeenten)),
        ("period_start", iso_date),
        ("period_end", iso_date),
        ("value", number()),
        ("qualifier", one_of(QUALIFIERS)),
        ("kind", one_of(FIGURE_KINDS)),
        ("category_code", one_of(codes.categories, optional=True)),
        ("measure_code", one_of(codes.measures, optional=True)),
        ("priority_code", one_of(codes.priorities, optional=True)),
        ("document", codes.known_document),
    ]


def _check_rows(rows: Rows, problems: ProblemCollector) -> None:
    """What a figure needs given its kind, and a period that does not end before it starts."""
    for line, row in rows:
        if row["kind"] in ("incident", "incident_change") and not row["category_code"]:
            problems.add(FILE, line, "category_code", f"a figure of kind {row['kind']} needs a category")
        if row["kind"] == "measure" and not row["measure_code"]:
            problems.add(FILE, line, "measure_code", "a figure of kind measure needs a measure_code")
        if row["period_start"] > row["period_end"]:
            problems.add(FILE, line, "period_end", "period ends before it starts")


def figures_frame(rows: Rows, *real_figures: pd.DataFrame) -> pd.DataFrame:
    """The published figures, then `real_figures` (already with their source_id)."""
    figures = pd.DataFrame(records(rows))
    figures["source_id"] = "doc-" + figures["document"]
    figures = figures.drop(columns=["document"])
    figures = pd.concat([figures, *real_figures], ignore_index=True)
    figures["value"] = figures["value"].astype(float)
    for column in ("period_start", "period_end"):
        figures[column] = pd.to_datetime(figures[column]).dt.date
    for column in ("qualifier", "category_code", "measure_code", "priority_code", "section", "quote"):
        figures[column] = figures[column].replace("", None)
    return figures
