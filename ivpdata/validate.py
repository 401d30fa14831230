"""Reading source files with checks that name the file, row, column and problem.

Every reader collects all problems of a file before giving up, so one run shows everything that
is wrong. Row numbers are the line numbers a spreadsheet or text editor shows (header = 1).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

GEMEENTE_CODE = re.compile(r"GM\d{4}")
WIJK_CODE = re.compile(r"WK\d{4}[0-9A-Z]{2}")
BUURT_CODE = re.compile(r"BU\d{4}[0-9A-Z]{4}")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            # a CSV has rows; a YAML file has lines (and keys rather than columns)
            where += f", line {self.row}" if self.file.endswith((".yaml", ".yml")) else f", row {self.row}"
        if self.column:
            where += f", key '{self.column}'" if self.file.endswith((".yaml", ".yml")) else f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """One or more problems in source data; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemCollector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def display_name(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def read_csv_rows(
    path: Path, required: list[str], problems: ProblemCollector, base: Path
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file as (line number, row dict), checking columns and encoding."""
    name = display_name(path, base)
    if not path.exists():
        problems.add(name, None, None, "file is missing")
        return []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(name, line, None, f"not valid UTF-8 (byte {raw[exc.start]:#x}); save as UTF-8")
        return []
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        problems.add(name, 1, None, f"missing column(s): {', '.join(missing)}")
        return []
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.add(name, line, None, "more fields than the header has")
            continue
        rows.append((line, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        problems.add(name, None, None, "file has no data rows")
    return rows


def read_yaml(path: Path, problems: ProblemCollector, base: Path, loader: type = yaml.SafeLoader) -> Any:
    """The file's content, or None with the problem recorded. `loader` must be a SafeLoader."""
    name = display_name(path, base)
    if not path.exists():
        problems.add(name, None, None, "file is missing")
        return None
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except UnicodeDecodeError:
        problems.add(name, None, None, "not valid UTF-8; save as UTF-8")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.add(name, line, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")
    return None


def check_unique(
    rows: list[tuple[int, dict[str, str]]],
    key: str,
    file: str,
    problems: ProblemCollector,
) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        value = row[key]
        if value in seen:
            problems.add(file, line, key, f"duplicate value '{value}' (first on row {seen[value]})")
        else:
            seen[value] = line


def check_values(
    rows: list[tuple[int, dict[str, str]]],
    column: str,
    check: Callable[[str], str | None],
    file: str,
    problems: ProblemCollector,
) -> None:
    """Apply `check` to each value; it returns an error message or None."""
    for line, row in rows:
        message = check(row[column])
        if message:
            problems.add(file, line, column, message)


def one_of(allowed: Iterable[str], *, optional: bool = False) -> Callable[[str], str | None]:
    allowed_set = set(allowed)

    def check(value: str) -> str | None:
        if optional and value == "":
            return None
        if value not in allowed_set:
            shown = ", ".join(sorted(allowed_set)) if len(allowed_set) <= 12 else "see the reference file"
            return f"unknown value '{value}' (allowed: {shown})"
        return None

    return check


def number(*, optional: bool = False, minimum: float | None = None) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if optional and value == "":
            return None
        try:
            parsed = float(value)
        except ValueError:
            return f"'{value}' is not a number (use '.' as decimal separator)"
        if minimum is not None and parsed < minimum:
            return f"{value} is below the minimum {minimum:g}"
        return None

    return check


def iso_date(value: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"'{value}' is not a date in the form YYYY-MM-DD"
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"'{value}' is not a valid date"
    return None
