"""data/area_groups.csv: named groups of wijken or buurten (a stadsdeel, an aandachtsgebied)."""

from __future__ import annotations

import pandas as pd

from ivpdata.load.common import Reader, Rows, codes_in
from ivpdata.validate import ProblemCollector, check_unique

FILE = "data/area_groups.csv"


def read_area_groups(reader: Reader) -> Rows:
    """The rows, unchecked: plans may name a group, so its code is known before the members are
    checked (`check_area_groups`)."""
    return reader.csv("area_groups.csv", ["group_code", "gemeente_code", "name", "member_codes", "source_id", "note"])


def group_codes(rows: Rows) -> set[str]:
    return {row["group_code"] for _, row in rows}


def check_area_groups(rows: Rows, area_codes: set[str], problems: ProblemCollector) -> list[dict[str, str]]:
    """The members of each group, each checked to be an area of the group's gemeente."""
    check_unique(rows, "group_code", FILE, problems)
    members = []
    for line, row in rows:
        for code in codes_in(row["member_codes"]):
            if code not in area_codes:
                problems.add(FILE, line, "member_codes", f"unknown area code '{code}'")
            elif code[2:6] != row["gemeente_code"][2:]:
                problems.add(FILE, line, "member_codes", f"'{code}' is not in {row['gemeente_code']}")
            members.append({"group_code": row["group_code"], "area_code": code})
    return members


def area_groups_frame(rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{k: row[k] or None for k in ("group_code", "gemeente_code", "name", "source_id", "note")} for _, row in rows]
    )


def area_group_members_frame(members: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(members)
