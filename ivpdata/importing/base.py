"""What every import kind shares: the context a check reads, what a check and an import produce,
and how problems name their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ivpdata.clock import today
from ivpdata.formatting import counted, dutch_list
from ivpdata.importing.reading import ROW
from ivpdata.periods import MONTH_NAMES
from ivpdata.validate import Problem

FIRST_YEAR = 1900  # no figure of this product is older; an earlier year is a typing error
MAX_PROBLEMS_PER_CHECK = 10  # a file with 100,000 bad rows gets ten examples and a count
CHANGE_COLUMNS = ["period", "area_code", "new", "replaced", "unchanged", "demo_replaced", "skipped"]
OTHER_GEMEENTE = "andere gemeente"  # the skip reason of a row whose area code names a gemeente not served
MAX_GEMEENTEN_NAMED = 3


def current_month() -> int:
    """The current month as a month index (year * 12 + month - 1)."""
    now = today()
    return now.year * 12 + now.month - 1


def current_year() -> int:
    return today().year


def month_text(index: int) -> str:
    """A month index as Dutch text: 'december 2026'."""
    return f"{MONTH_NAMES[index % 12]} {index // 12}"


def future_month_message(value: object) -> str:
    return (
        f"periode '{value}' ligt na de huidige maand ({month_text(current_month())}): "
        "cijfers over de toekomst bestaan niet; controleer de periode"
    )


def future_year_message(value: object) -> str:
    return f"jaar '{value}' ligt na het huidige jaar ({current_year()}): cijfers over de toekomst bestaan niet"


def last_day_of_this_month() -> dt.date:
    """The last day of the current month: a period may run to it, not beyond."""
    index = current_month() + 1
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass
class Context:
    """What a check may read (never write): the database as it is, the file, the options given."""

    con: duckdb.DuckDBPyConnection
    path: Path
    file_name: str
    provisional_months: int
    options: dict[str, str] = field(default_factory=dict)  # e.g. {"year": "2024"} (CLI --year)

    @cached_property
    def areas(self) -> pd.DataFrame:
        """area_code, area_level, parent_code, gemeente_code, name, display_name of every area."""
        return self.con.execute(
            "SELECT area_code, area_level, parent_code, gemeente_code, name, display_name FROM areas"
        ).df()

    @cached_property
    def categories(self) -> pd.DataFrame:
        return self.con.execute("SELECT category_code, name, kind, cbs_code FROM incident_categories").df()

    @cached_property
    def gemeenten(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT gemeente_code FROM municipalities").fetchall()}


@dataclass
class Checked:
    """What a check made of a file: rows ready to apply, and rows skipped with their reason."""

    kind: str
    rows: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # skipped rows of the gemeenten served, per period and area (CHANGE_COLUMNS period, area_code, skipped)
    skipped_where: pd.DataFrame | None = None
    # which rows a reason skipped, in Dutch (`other_gemeente_detail`), for the reasons that name them
    skipped_detail: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """What an import changed (or, in a preview, would change): per period and area, how many
    rows are new, replace a stored row, equal a stored row, or replace demo rows; and, in Dutch,
    what the file covers and what keeps its figures (`coverage`, see coverage.py)."""

    kind: str
    changes: pd.DataFrame  # CHANGE_COLUMNS; period is text ('2024-01', '2024'), area_code may be ''
    skipped: dict[str, int]
    notes: list[str]
    coverage: list[str] = field(default_factory=list)
    skipped_detail: dict[str, str] = field(default_factory=dict)  # `Checked.skipped_detail`

    def total(self, column: str) -> int:
        return int(self.changes[column].sum()) if len(self.changes) else 0

    @property
    def new(self) -> int:
        return self.total("new")

    @property
    def replaced(self) -> int:
        return self.total("replaced")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    @property
    def demo_replaced(self) -> int:
        return self.total("demo_replaced")

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def changes_frame(frame: pd.DataFrame, skipped_where: pd.DataFrame | None = None) -> pd.DataFrame:
    """CHANGE_COLUMNS from a frame with some of them (missing counts are 0), with the skipped
    rows per period and area merged in."""
    frame = frame.copy()
    for column in CHANGE_COLUMNS:
        if column not in frame:
            frame[column] = "" if column in ("period", "area_code") else 0
    frame = frame[CHANGE_COLUMNS]
    if skipped_where is not None and len(skipped_where):
        frame = pd.concat([frame, changes_frame(skipped_where)])
    counts = CHANGE_COLUMNS[2:]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame["area_code"] = frame["area_code"].fillna("").astype(str)
    frame["period"] = frame["period"].astype(str)
    return frame.groupby(["period", "area_code"], as_index=False)[counts].sum().sort_values(["period", "area_code"])


@dataclass(frozen=True)
class Kind:
    """One kind of export: how to recognise it, check it and apply it.

    `columns` are the columns that identify a table (for detection and messages); `matches`
    replaces the plain 'all columns present' test where names vary (title headers, ordinals).
    Files that are not tables (boundaries) name their `suffixes` and bring their own `read`.
    `template` gives the empty table a user fills in (offered for download)."""

    label: str
    columns: list[str]
    check: Callable[[pd.DataFrame, Context], Checked]
    apply: Callable[[duckdb.DuckDBPyConnection, Checked, Context], Outcome]
    matches: Callable[[pd.DataFrame], bool] | None = None
    suffixes: tuple[str, ...] = ()
    read: Callable[[Path, bytes, str], tuple[pd.DataFrame, list[str]]] | None = None
    template: Callable[[], pd.DataFrame] | None = None

    def recognises(self, frame: pd.DataFrame) -> bool:
        if self.matches is not None:
            return self.matches(frame)
        return bool(self.columns) and all(column in frame.columns for column in self.columns)


def other_gemeente_detail(skipped: pd.DataFrame) -> str:
    """The gemeenten of rows skipped as OTHER_GEMEENTE, each with its number of rows and its first
    row and code, in file order: 'GM9999: 1 rij (rij 3, BU99999999); GM0363: 2 rijen (eerste: rij
    4, BU03630000)'. `skipped`: per area code skipped, its first file row (`row`) and number of
    rows (`rows`); a mistyped code shows here as a gemeente nobody knows."""
    frame = skipped.assign(gemeente="GM" + skipped["code"].str[2:6]).sort_values("row")
    per_gemeente = frame.groupby("gemeente", sort=False).agg(
        rows=("rows", "sum"), row=("row", "first"), code=("code", "first")
    )
    named = [
        f"{gemeente}: {counted(first.rows, 'rij', 'rijen')} ({'' if first.rows == 1 else 'eerste: '}"
        f"rij {first.row}, {first.code})"
        for gemeente, first in per_gemeente.head(MAX_GEMEENTEN_NAMED).iterrows()
    ]
    rest = len(per_gemeente) - MAX_GEMEENTEN_NAMED
    if rest > 0:
        named.append(f"en nog {counted(rest, 'gemeente', 'gemeenten')}")
    return "; ".join(named)


FIRST_ROWS_NAMED = 3


def first_rows(rows: Sequence[int], count: int) -> str:
    """Which file rows a reason skipped: 'rij 7', 'rijen 4 en 5', 'eerste: rijen 3, 6 en 8'.
    `rows`: the first rows (up to FIRST_ROWS_NAMED) of the `count` it skipped."""
    named = dutch_list([str(row) for row in rows[:FIRST_ROWS_NAMED]])
    text = f"rij {named}" if count == 1 else f"rijen {named}"
    return f"eerste: {text}" if count > FIRST_ROWS_NAMED else text


class Skipped:
    """The rows a check skips, per reason: how many (`counts`, for `Checked.skipped`) and, given
    the file's row numbers, the first few (`details`, for `Checked.skipped_detail`)."""

    def __init__(self, rows: pd.Series | None = None) -> None:
        self.rows = None if rows is None else rows.to_numpy()  # ROW, one per row; None: not named
        self.counts: dict[str, int] = {}
        self._firsts: dict[str, list[int]] = {}

    def skip(self, mask: pd.Series, reason: str) -> pd.Series:
        """Count the rows of `mask` (one boolean per row) as skipped for `reason`; returns `mask`."""
        if mask.any():
            self.counts[reason] = self.counts.get(reason, 0) + int(mask.sum())
            if self.rows is not None:
                found = self.rows[np.flatnonzero(mask.to_numpy())[:FIRST_ROWS_NAMED]]
                self._firsts[reason] = sorted([*self._firsts.get(reason, []), *map(int, found)])[:FIRST_ROWS_NAMED]
        return mask

    def details(self) -> dict[str, str]:
        """Per reason its first rows ('eerste: rijen 3, 6 en 8'); rows of another gemeente are named
        per gemeente and code by the check itself (`other_gemeente_detail`)."""
        return {
            reason: first_rows(rows, self.counts[reason])
            for reason, rows in self._firsts.items()
            if reason != OTHER_GEMEENTE
        }


def other_gemeente_rows(codes: pd.Series, rows: pd.Series) -> str:
    """`other_gemeente_detail` of the skipped rows' area `codes` and file `rows`, one per row."""
    frame = pd.DataFrame({"code": codes.to_numpy(), "row": rows.to_numpy()})
    per_code = frame.groupby("code", sort=False).agg(row=("row", "min"), rows=("row", "size"))
    return other_gemeente_detail(per_code.reset_index())


def no_gemeente_served(name: str, column: str | None, gemeenten: set[str], detail: str) -> Problem:
    """The problem of a file none of whose rows belong to a gemeente served (a file of the wrong
    gemeente, or its codes mistyped): loading it would change nothing."""
    served = ", ".join(sorted(gemeenten))
    return Problem(
        name,
        None,
        column,
        f"geen rijen van de gemeenten die dit systeem bedient ({served}); het bestand noemt {detail}",
    )


def problems_for(
    mask: pd.Series, data: pd.DataFrame, name: str, column: str | None, message: str | Callable[[pd.Series], str]
) -> list[Problem]:
    """One problem per offending row (the first few) and a count of the rest. `{value}` in a text
    message is the row's value in `column`; a message may also be a function of the row. `data`
    has the file's row number in `ROW`; a missing value in `mask` counts as not offending."""
    offending = data[mask.fillna(False).astype(bool)]

    def text(row: pd.Series) -> str:
        return message(row) if callable(message) else message.format(value=row[column] if column else "")

    problems = [
        Problem(name, int(row[ROW]), column, text(row)) for _, row in offending.head(MAX_PROBLEMS_PER_CHECK).iterrows()
    ]
    if len(offending) > MAX_PROBLEMS_PER_CHECK:
        rest = len(offending) - MAX_PROBLEMS_PER_CHECK
        problems.append(Problem(name, None, column, f"en nog {counted(rest, 'rij', 'rijen')} met hetzelfde probleem"))
    return problems
