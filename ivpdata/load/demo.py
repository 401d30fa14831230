"""data/demo_profile.yaml and data/periods.yaml: how the demo series are generated, and the
demo measures its local shifts name (so the before/after view has a generated change to find)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ivpdata.load.common import Codes, Reader
from ivpdata.validate import ProblemCollector

PROFILE_FILE = "data/demo_profile.yaml"


@dataclass(frozen=True)
class DemoFiles:
    profile: dict[str, Any]
    periods: dict[str, Any]
    notes: list[dict[str, Any]]  # area notes as area_notes_frame takes them, each with its target_code


def read_demo_files(reader: Reader, codes: Codes) -> DemoFiles:
    profile = reader.yaml("demo_profile.yaml") or {}
    periods = reader.yaml("periods.yaml") or {}
    for code in profile.get("categories", {}):
        if code not in codes.categories:
            reader.problems.add(PROFILE_FILE, None, "categories", f"unknown category '{code}'")
    return DemoFiles(profile, periods, _demo_area_measures(profile, codes.priorities, codes.areas, reader.problems))


def _demo_area_measures(
    profile: dict[str, Any], priority_codes: set[str], area_codes: set[str], problems: ProblemCollector
) -> list[dict[str, Any]]:
    """A demo measure at each local shift of the demo profile that names one. Marked demo, as all
    generated data."""
    notes = []
    for position, shift in enumerate(profile.get("local_shifts", []), start=1):
        measure = shift.get("measure")
        if not measure:
            continue
        key = f"local_shifts[{position}].measure"
        if measure.get("priority") not in priority_codes:
            problems.add(PROFILE_FILE, None, key, f"unknown priority '{measure.get('priority')}'")
        if shift["area"] not in area_codes:
            problems.add(PROFILE_FILE, None, key, f"unknown area '{shift['area']}'")
        notes.append(_demo_note(shift, measure))
    return notes


def _demo_note(shift: dict[str, Any], measure: dict[str, Any]) -> dict[str, Any]:
    return {
        "note_id": f"demo-{shift['area']}-{shift['category']}",
        "source_id": "demo",
        "section": "Demodata",
        "kind": "maatregel",
        "title": str(measure.get("title", "")),
        "note_date": dt.date.fromisoformat(f"{shift['from']}-01"),
        "date_note": None,
        "priority_code": measure.get("priority"),
        "incident_focus": shift["category"],
        "text": str(measure.get("text", "")),
        "is_demo": True,
        "target_code": shift["area"],
    }
