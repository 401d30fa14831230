"""data/published/area_notes.csv: quotes and measures the plan documents tie to areas or area groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ivpdata.load.common import Check, Codes, Reader, Rows, codes_in
from ivpdata.validate import check_unique, check_values, iso_date, one_of

FILE = "data/published/area_notes.csv"
COLUMNS = [
    "note_id",
    "document",
    "section",
    "area_codes",
    "kind",
    "title",
    "note_date",
    "date_note",
    "priority_code",
    "incident_focus",
    "text",
]
NOTE_KINDS = ("citaat", "maatregel")
ALL_CRIME = "misdrijven"  # the incident focus "all registered crime" (see queries/category_options.sql)


@dataclass(frozen=True)
class AreaNotes:
    rows: Rows
    targets: list[dict[str, str]]  # note_id, target_code: an area or an area group


def read_area_notes(reader: Reader, codes: Codes) -> AreaNotes:
    rows = reader.csv("published/area_notes.csv", COLUMNS)
    check_unique(rows, "note_id", FILE, reader.problems)
    for column, check in _column_checks(codes):
        check_values(rows, column, check, FILE, reader.problems)
    targets = []
    for line, row in rows:
        if row["kind"] == "maatregel" and not row["title"]:
            reader.problems.add(FILE, line, "title", "a measure needs a short title (for lists and maps)")
        for code in codes_in(row["area_codes"]):
            if code not in codes.areas | codes.area_groups:
                reader.problems.add(FILE, line, "area_codes", f"'{code}' is neither an area code nor an area group")
            targets.append({"note_id": row["note_id"], "target_code": code})
    return AreaNotes(rows, targets)


def _column_checks(codes: Codes) -> list[tuple[str, Check]]:
    return [
        ("kind", one_of(NOTE_KINDS)),
        ("note_date", lambda v: iso_date(v) if v else None),
        ("document", codes.known_document),
        ("priority_code", one_of(codes.priorities, optional=True)),
        ("incident_focus", one_of(codes.categories | codes.themes | {ALL_CRIME}, optional=True)),
    ]


def area_notes_frame(notes: AreaNotes, demo_notes: list[dict[str, Any]]) -> pd.DataFrame:
    """The published notes, then the demo measures (without their target)."""
    return pd.DataFrame(
        [_note(row) for _, row in notes.rows] + [{k: v for k, v in n.items() if k != "target_code"} for n in demo_notes]
    )


def area_note_targets_frame(notes: AreaNotes, demo_notes: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        notes.targets + [{"note_id": n["note_id"], "target_code": n["target_code"]} for n in demo_notes]
    )


def _note(row: dict[str, str]) -> dict[str, Any]:
    return {
        "note_id": row["note_id"],
        "source_id": f"doc-{row['document']}",
        "section": row["section"],
        "kind": row["kind"],
        "title": row["title"] or None,
        "note_date": dt.date.fromisoformat(row["note_date"]) if row["note_date"] else None,
        "date_note": row["date_note"] or None,
        "priority_code": row["priority_code"] or None,
        "incident_focus": row["incident_focus"] or None,
        "text": row["text"],
        "is_demo": False,
    }
