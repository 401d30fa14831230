"""Saved presentations: named sequences of views ("dia's") for presentatiemodus.

A slide is a page plus the query parameters that restore it exactly (the permalink of the view), so
a presentation replays what its maker saw. The database holds them; every change is mirrored to
`data/presentaties.yaml` (written whole, atomically) so that a rebuild of the database restores them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

import duckdb
import pandas as pd
import yaml

from ivpdata import edit_log, queries, snapshot
from ivpdata.db import scalar, write_transaction
from ivpdata.validate import ProblemCollector, display_name, read_yaml

FILE_NAME = "presentaties.yaml"
MAX_NAME_LENGTH = 80
# A slide's page: a URL path as dashboard.routes names them (the app checks it is one of its pages).
PAGE_NAME = re.compile(r"[a-z][a-z_]*")
T = TypeVar("T")


class PresentationError(ValueError):
    """A change a user asked for that cannot be made; the message is Dutch and shown as is."""


@dataclass(frozen=True)
class Slide:
    page: str  # URL path of the page, e.g. "kaart"
    params: dict[str, str] = field(default_factory=dict)
    caption: str = ""

    @property
    def query(self) -> str:
        return urlencode(self.params)


@dataclass(frozen=True)
class Presentation:
    presentation_id: int
    name: str
    slides: tuple[Slide, ...]

    @property
    def gemeente_codes(self) -> list[str]:
        """The gemeenten its slides show, in the order of the slides (a slide names its own)."""
        return list(dict.fromkeys(slide.params["gemeente"] for slide in self.slides if "gemeente" in slide.params))


def from_frames(presentations: pd.DataFrame, slides: pd.DataFrame) -> list[Presentation]:
    """Presentations from the rows of the queries `presentations` and `presentation_slides`."""
    by_id: dict[int, list[Slide]] = {int(i): [] for i in presentations["presentation_id"]}
    for row in slides.sort_values(["presentation_id", "position"]).itertuples():
        by_id[int(row.presentation_id)].append(Slide(row.page, dict(parse_qsl(row.query)), row.caption))
    return [
        Presentation(int(row.presentation_id), row.name, tuple(by_id[int(row.presentation_id)]))
        for row in presentations.itertuples()
    ]


def read_all(con: duckdb.DuckDBPyConnection) -> list[Presentation]:
    return from_frames(queries.presentations(con), queries.presentation_slides(con))


# Changes. Each takes a read-write connection inside a transaction (see `change`).


def create(con: duckdb.DuckDBPyConnection, name: str) -> int:
    name = _valid_name(con, name)
    new_id = scalar(con, "SELECT coalesce(max(presentation_id), 0) + 1 FROM presentations")
    con.execute("INSERT INTO presentations VALUES (?, ?, ?)", [new_id, name, _now()])
    return int(new_id)


def rename(con: duckdb.DuckDBPyConnection, presentation_id: int, name: str) -> None:
    _existing(con, presentation_id)
    name = _valid_name(con, name, presentation_id)
    sql = "UPDATE presentations SET name = ?, updated_at = ? WHERE presentation_id = ?"
    con.execute(sql, [name, _now(), presentation_id])


def delete(con: duckdb.DuckDBPyConnection, presentation_id: int) -> None:
    _existing(con, presentation_id)
    con.execute("DELETE FROM presentation_slides WHERE presentation_id = ?", [presentation_id])
    con.execute("DELETE FROM presentations WHERE presentation_id = ?", [presentation_id])


def add_slide(con: duckdb.DuckDBPyConnection, presentation_id: int, slide: Slide) -> int:
    """Append a view; returns its position (1 = first)."""
    _existing(con, presentation_id)
    if not PAGE_NAME.fullmatch(slide.page):
        raise PresentationError("Deze weergave is geen pagina van de app en kan niet worden toegevoegd.")
    position = _count(con, presentation_id) + 1
    con.execute(
        "INSERT INTO presentation_slides VALUES (?, ?, ?, ?, ?)",
        [presentation_id, position, slide.page, urlencode(slide.params), slide.caption or slide.page],
    )
    _touch(con, presentation_id)
    return position


def move_slide(con: duckdb.DuckDBPyConnection, presentation_id: int, position: int, offset: int) -> int:
    """Move a slide up (offset -1) or down (+1); returns its new position. At an end it stays."""
    _existing(con, presentation_id)
    count = _count(con, presentation_id)
    if not 1 <= position <= count:
        raise PresentationError(f"Dia {position} bestaat niet (de presentatie heeft {count} dia's).")
    target = min(max(position + offset, 1), count)
    if target != position:
        swap = [(position, 0), (target, position), (0, target)]  # 0: out of the way for a moment
        for old, new in swap:
            con.execute(
                "UPDATE presentation_slides SET position = ? WHERE presentation_id = ? AND position = ?",
                [new, presentation_id, old],
            )
        _touch(con, presentation_id)
    return target


def remove_slide(con: duckdb.DuckDBPyConnection, presentation_id: int, position: int) -> None:
    _existing(con, presentation_id)
    count = _count(con, presentation_id)
    if not 1 <= position <= count:
        raise PresentationError(f"Dia {position} bestaat niet (de presentatie heeft {count} dia's).")
    sql = "DELETE FROM presentation_slides WHERE presentation_id = ? AND position = ?"
    con.execute(sql, [presentation_id, position])
    for later in range(position + 1, count + 1):
        con.execute(
            "UPDATE presentation_slides SET position = ? WHERE presentation_id = ? AND position = ?",
            [later - 1, presentation_id, later],
        )
    _touch(con, presentation_id)


def change(db: Path, data_dir: Path, edit: Callable[[duckdb.DuckDBPyConnection], T], *, by: str, what: str) -> T:
    """Apply `edit` in one transaction, mirror the result to data/presentaties.yaml and record
    who made the change (`by`) and what it was (`what`, Dutch) in the edit log.

    The files are written (to temporary names) before the commit and put in place after it, so a
    failure anywhere leaves the database and the files as they were."""
    target = Path(data_dir) / FILE_NAME
    temporary = target.with_name(f"{FILE_NAME}.tmp-{os.getpid()}")
    log: Path | None = None
    try:
        with snapshot.exclusive(db):  # the files follow the database in the order the edits land
            with write_transaction(db) as con:
                result = edit(con)
                temporary.write_text(to_yaml(read_all(con)), encoding="utf-8")
                log = edit_log.staged(data_dir, by, what, _now())
            temporary.replace(target)
            edit_log.commit(log, data_dir)
    except snapshot.WriteBusyError as busy:
        raise PresentationError(snapshot.WriteBusyError.user_message) from busy
    finally:
        temporary.unlink(missing_ok=True)
        if log is not None:
            log.unlink(missing_ok=True)
    return result


# The mirror file.


def to_yaml(presentations: list[Presentation]) -> str:
    entries = [
        {
            "id": p.presentation_id,
            "name": p.name,
            "slides": [{"page": s.page, "caption": s.caption, "params": dict(s.params)} for s in p.slides],
        }
        for p in sorted(presentations, key=lambda p: p.presentation_id)
    ]
    header = "# Presentaties, written by the app (page Presentaties); the build restores them from here.\n"
    return header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)


def read_file(data_dir: Path, problems: ProblemCollector) -> dict[str, pd.DataFrame]:
    """Rows for the tables `presentations` and `presentation_slides` (empty when there is no file)."""
    path = Path(data_dir) / FILE_NAME
    presentations: list[dict] = []
    slides: list[dict] = []
    if path.exists():
        name = display_name(path, Path(data_dir))
        content = read_yaml(path, problems, Path(data_dir)) or []
        if not isinstance(content, list):
            problems.add(name, None, None, "expected a list of presentations")
            content = []
        seen: set[object] = set()
        for number, entry in enumerate(content, start=1):
            where = f"presentation {number}"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), int) or not entry.get("name"):
                problems.add(name, None, where, "needs an integer `id` and a `name`")
                continue
            if entry["id"] in seen or entry["name"] in seen:
                problems.add(name, None, where, f"duplicate id or name ({entry['id']}, {entry['name']})")
                continue
            seen.update((entry["id"], entry["name"]))
            presentations.append({"presentation_id": entry["id"], "name": str(entry["name"]), "updated_at": _now()})
            for position, slide in enumerate(entry.get("slides") or [], start=1):
                if not isinstance(slide, dict) or not PAGE_NAME.fullmatch(str(slide.get("page"))):
                    page = slide.get("page") if isinstance(slide, dict) else None
                    problems.add(
                        name,
                        None,
                        f"{where}, slide {position}",
                        f"`page` must be a page name (lower case letters), not '{page}'",
                    )
                    continue
                params = {str(k): str(v) for k, v in (slide.get("params") or {}).items()}
                slides.append(
                    {
                        "presentation_id": entry["id"],
                        "position": position,
                        "page": str(slide["page"]),
                        "query": urlencode(params),
                        "caption": str(slide.get("caption") or slide["page"]),
                    }
                )
    return {
        "presentations": pd.DataFrame(presentations, columns=["presentation_id", "name", "updated_at"]),
        "presentation_slides": pd.DataFrame(
            slides, columns=["presentation_id", "position", "page", "query", "caption"]
        ),
    }


def _valid_name(con: duckdb.DuckDBPyConnection, name: str, own_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PresentationError("Geef de presentatie een naam.")
    if len(name) > MAX_NAME_LENGTH:
        raise PresentationError(f"De naam is te lang ({len(name)} tekens; hoogstens {MAX_NAME_LENGTH}).")
    other = con.execute(
        "SELECT presentation_id FROM presentations WHERE lower(name) = lower(?) AND presentation_id IS DISTINCT FROM ?",
        [name, own_id],
    ).fetchone()
    if other:
        raise PresentationError(f"Er is al een presentatie met de naam '{name}'.")
    return name


def _existing(con: duckdb.DuckDBPyConnection, presentation_id: int) -> None:
    if not con.execute("SELECT 1 FROM presentations WHERE presentation_id = ?", [presentation_id]).fetchone():
        raise PresentationError(f"Presentatie {presentation_id} bestaat niet (meer).")


def _count(con: duckdb.DuckDBPyConnection, presentation_id: int) -> int:
    sql = "SELECT count(*) FROM presentation_slides WHERE presentation_id = ?"
    return int(scalar(con, sql, [presentation_id]))


def _touch(con: duckdb.DuckDBPyConnection, presentation_id: int) -> None:
    con.execute("UPDATE presentations SET updated_at = ? WHERE presentation_id = ?", [_now(), presentation_id])


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
