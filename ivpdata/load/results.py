"""data/published/results.csv, and the measures table: results a document lists without a figure
of their own ("a plan was drawn up") or with one kept in figures.csv (figure_id), and the figures of
kind measure. Each becomes a measure with its priority."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ivpdata.load.common import Check, Codes, Reader, Rows
from ivpdata.load.figures import FILE as FIGURES_FILE
from ivpdata.validate import check_unique, check_values, iso_date, one_of

FILE = "data/published/results.csv"
COLUMNS = [
    "result_id",
    "document",
    "section",
    "label",
    "gemeente_code",
    "period_start",
    "period_end",
    "priority_code",
    "measure_code",
    "figure_id",
    "quote",
]


def read_results(reader: Reader, codes: Codes, figure_ids: set[str]) -> Rows:
    rows = reader.csv("published/results.csv", COLUMNS)
    check_unique(rows, "result_id", FILE, reader.problems)
    for column, check in _column_checks(codes, figure_ids):
        check_values(rows, column, check, FILE, reader.problems)
    for line, row in rows:
        if row["period_start"] > row["period_end"]:
            reader.problems.add(FILE, line, "period_end", "period ends before it starts")
    return rows


def _column_checks(codes: Codes, figure_ids: set[str]) -> list[tuple[str, Check]]:
    def not_a_figure(value: str) -> str | None:
        return f"'{value}' is also a figure_id in {FIGURES_FILE}" if value in figure_ids else None

    return [
        ("result_id", not_a_figure),
        ("gemeente_code", one_of(codes.gemeenten)),
        ("period_start", iso_date),
        ("period_end", iso_date),
        ("priority_code", one_of(codes.priorities)),
        ("measure_code", one_of(codes.measures, optional=True)),
        ("figure_id", one_of(figure_ids, optional=True)),
        ("document", codes.known_document),
    ]


def measures_frame(figures: pd.DataFrame, result_rows: Rows) -> pd.DataFrame:
    """The figures of kind measure, then the results (with the value of their figure, if any)."""
    measures = _figure_measures(figures[figures["kind"] == "measure"])
    by_figure = figures.set_index("figure_id")
    results = pd.DataFrame([_result_measure(row, by_figure) for _, row in result_rows], columns=measures.columns)
    return pd.concat([measures, results], ignore_index=True)


def _figure_measures(figures: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": figures["figure_id"],
            "gemeente_code": figures["gemeente_code"],
            "measure_code": figures["measure_code"],
            "label": figures["label"],
            "period_start": figures["period_start"],
            "period_end": figures["period_end"],
            "area_code": None,
            "value": figures["value"],
            "unit": figures["unit"],
            "qualifier": figures["qualifier"],
            "priority_code": figures["priority_code"],
            "source_id": figures["source_id"],
            "figure_id": figures["figure_id"],
            "description": figures["quote"],
            "is_demo": False,
        }
    )


def _result_measure(row: dict[str, str], by_figure: pd.DataFrame) -> dict[str, Any]:
    def of_figure(column: str) -> Any:
        return by_figure.loc[row["figure_id"], column] if row["figure_id"] else None

    return {
        "measure_id": row["result_id"],
        "gemeente_code": row["gemeente_code"],
        "measure_code": row["measure_code"] or None,
        "label": row["label"],
        "period_start": dt.date.fromisoformat(row["period_start"]),
        "period_end": dt.date.fromisoformat(row["period_end"]),
        "area_code": None,
        "value": of_figure("value"),
        "unit": of_figure("unit"),
        "qualifier": of_figure("qualifier") or None,
        "priority_code": row["priority_code"],
        "source_id": f"doc-{row['document']}",
        "figure_id": row["figure_id"] or None,
        "description": row["quote"],
        "is_demo": False,
    }
