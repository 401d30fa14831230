"""What every reader of data/ shares: the data directory with the problems found so far, and the
codes that later files are checked against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivpdata.validate import ProblemCollector, read_csv_rows, read_yaml

Rows = list[tuple[int, dict[str, str]]]  # (line number, row) as read_csv_rows gives them


@dataclass
class Reader:
    """Reads files of one data directory; every problem goes to `problems`."""

    data_dir: Path
    problems: ProblemCollector

    def csv(self, name: str, required: list[str]) -> Rows:
        return read_csv_rows(self.data_dir / name, required, self.problems, self.data_dir)

    def yaml(self, name: str) -> Any:
        return read_yaml(self.data_dir / name, self.problems, self.data_dir)


@dataclass(frozen=True)
class Codes:
    """The codes of the reference files, which the published files and the demo profile must use."""

    sources: set[str]
    themes: set[str]
    categories: set[str]
    gemeenten: set[str]
    areas: set[str]
    area_groups: set[str]
    measures: set[str]
    priorities: set[str]

    def known_document(self, document: str) -> str | None:
        """Published files name a plan document by its number (002); its source is doc-002."""
        return None if f"doc-{document}" in self.sources else f"no source 'doc-{document}' in data/sources.csv"


def codes_in(text: str) -> list[str]:
    """The codes of a `;`-separated list, without blanks."""
    return list(filter(None, (code.strip() for code in text.split(";"))))


def records(rows: Rows) -> list[dict[str, str]]:
    return [row for _, row in rows]


Check = Callable[[str], str | None]
