"""Imports: read an export a safety team has, check it, show what it would change, and apply it to
the database in one transaction (it lands whole or not at all), with a line in the load history.

Supported so far: police registered crime per buurt per month (CBS/Politie 47022NED) as the
TypedDataSet CSV or JSON. Each import kind is a reader (file -> checked rows) plus an applier
(rows -> changes); `KINDS` lists them.

Real-world mess handled by `read_table`: UTF-8 with or without BOM and Windows-1252, `;` or `,`
delimiters, space-padded codes (CBS pads keys), CBS symbols (`.` missing, `x` secret, `-` nil).
Rows that do not belong (other gemeenten, non-geographic codes, wijk and gemeente totals that
are computed from buurten here, categories the product does not know) are skipped, counted per
reason and shown: never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ivpdata.config import load_settings
from ivpdata.db import write_transaction
from ivpdata.formatting import number
from ivpdata.validate import DataError, Problem

MAX_PROBLEMS_PER_CHECK = 10  # a file with 100,000 bad rows gets ten examples and a count
NON_GEOGRAPHIC = {"NL00", "GM0998", "GM0999", "PV99", "LD99", "RE99"}
CBS_NIL = "-"
CBS_SKIPPED = {".": "CBS: waarde ontbreekt (.)", "x": "CBS: geheim (x)"}
MONTH_PERIOD = re.compile(r"^(\d{4})MM(\d{2})$")
YEAR_PERIOD = re.compile(r"^(\d{4})JJ00$")
POLICE_SOURCE = "cbs-47022ned"


@dataclass
class Checked:
    """What a reader made of a file: rows ready to apply, and rows skipped with their reason."""

    kind: str
    rows: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What an import changed (or, in a preview, would change)."""

    kind: str
    new: int
    replaced: int
    unchanged: int
    demo_replaced: int
    skipped: dict[str, int]
    notes: list[str]
    periods: pd.DataFrame  # rows per year and month: new / replaced / unchanged

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read in: UTF-8 (with or without BOM), else
    Windows-1252. UTF-16 and binary files are refused with the reason."""
    if not raw.strip():
        raise DataError([Problem(name, None, None, "the file is empty")])
    if b"\x00" in raw[:4096]:
        message = "not a text file in UTF-8 or Windows-1252 (UTF-16 or a binary file?); save it as CSV UTF-8"
        raise DataError([Problem(name, None, None, message)])
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"neither UTF-8 nor Windows-1252 (byte {raw[exc.start]:#x}); save it as CSV UTF-8"
        raise DataError([Problem(name, line, None, message)]) from exc


def read_table(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    """A CSV (`;` or `,`) or JSON (OData `{"value": [...]}` or a list of records) file as text
    columns with surrounding spaces removed, and notes on how it was read."""
    text, encoding = decode(raw, name)
    notes = [f"gelezen als {encoding}"]
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]) from exc
        records = data.get("value", []) if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DataError([Problem(name, None, None, "JSON without a list of records (OData 'value')")])
        frame = pd.DataFrame.from_records(records).astype("string")
    else:
        header = text.splitlines()[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype="string", keep_default_na=False)
        except pd.errors.ParserError as exc:
            raise DataError([Problem(name, None, None, f"not a readable CSV: {exc}")]) from exc
        notes.append(f"scheidingsteken '{delimiter}'")
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    if frame.empty:
        raise DataError([Problem(name, None, None, "the file has a header but no data rows")])
    return frame, notes


def _problems_for(mask: pd.Series, data: pd.DataFrame, name: str, column: str | None, message: str) -> list[Problem]:
    """One problem per offending row (the first few) and a count of the rest. `{value}` in the
    message is the row's value in `column`; `data` has the spreadsheet row number in `row`."""
    offending = data[mask]
    problems = [
        Problem(name, int(row["row"]), column, message.format(value=row[column] if column else ""))
        for _, row in offending.head(MAX_PROBLEMS_PER_CHECK).iterrows()
    ]
    if len(offending) > MAX_PROBLEMS_PER_CHECK:
        rest = len(offending) - MAX_PROBLEMS_PER_CHECK
        problems.append(Problem(name, None, column, f"and {rest} more rows with the same problem"))
    return problems


POLICE_COLUMNS = ["SoortMisdrijf", "WijkenEnBuurten", "Perioden", "GeregistreerdeMisdrijven_1"]


def check_police_months(
    frame: pd.DataFrame, name: str, areas: pd.DataFrame, categories: set[str], gemeenten: set[str]
) -> Checked:
    """47022NED (registered crime per month, wijk and buurt) as TypedDataSet rows. Only buurt rows
    of the gemeenten served are stored: wijk and gemeente figures follow from them here. The
    columns are present (`import_file` checks them)."""
    # Spreadsheet row numbers: the header is row 1 (a JSON record gets its position + 1).
    data = frame.assign(row=range(2, len(frame) + 2))
    area = data["WijkenEnBuurten"]
    value = data["GeregistreerdeMisdrijven_1"]
    period = data["Perioden"]
    # Slicing, not a regex extract: five times faster on a million rows (measured).
    monthly = period.str.match(MONTH_PERIOD)
    yearly = period.str.match(YEAR_PERIOD)
    problems = _problems_for(
        yearly & (yearly.cumsum() == 1), data, name, "Perioden",  # a yearly file: say it once
        "'{value}' is a yearly period (47018NED): this import takes monthly periods (47022NED, e.g. 2024MM01)",
    )  # fmt: skip
    problems += _problems_for(~monthly & ~yearly, data, name, "Perioden", "'{value}' is not a period YYYYMMmm")
    skipped: dict[str, int] = {}

    def skip(mask: pd.Series, reason: str) -> pd.Series:
        if mask.any():
            skipped[reason] = skipped.get(reason, 0) + int(mask.sum())
        return mask

    problems += _problems_for(area == "", data, name, "WijkenEnBuurten", "no area code")
    gemeente_part = "GM" + area.str[2:6]
    dropped = area == ""
    dropped |= skip(area.isin(NON_GEOGRAPHIC) | area.str.match(r"^(PV|LD|RE)\d\d$"), "niet-geografische code")
    dropped |= skip(~dropped & ~gemeente_part.isin(gemeenten), "andere gemeente")
    dropped |= skip(~dropped & ~area.str.startswith("BU"), "wijk- of gemeentetotaal (berekend uit buurten)")
    dropped |= skip(~dropped & (data["SoortMisdrijf"] == "0.0.0"), "totaal misdrijven (berekend uit soorten)")
    dropped |= skip(~dropped & ~data["SoortMisdrijf"].isin(categories), "soort misdrijf niet in categories.csv")
    for symbol, reason in CBS_SKIPPED.items():
        dropped |= skip(~dropped & (value == symbol), reason)
    known = set(areas.loc[areas["area_level"] == "buurt", "area_code"])
    problems += _problems_for(
        ~dropped & ~area.isin(known), data, name, "WijkenEnBuurten",
        "unknown buurt code '{value}' (not in the boundaries loaded)",
    )  # fmt: skip
    counts = pd.to_numeric(value.where(value != CBS_NIL, "0"), errors="coerce")
    count_column = "GeregistreerdeMisdrijven_1"
    problems += _problems_for(~dropped & counts.isna(), data, name, count_column, "'{value}' is not a count")
    problems += _problems_for(
        ~dropped & counts.notna() & ((counts < 0) | (counts % 1 != 0)), data, name, count_column,
        "'{value}' is not a whole number of 0 or more",
    )  # fmt: skip
    kept = data[~dropped].assign(
        year=period.str[:4].where(monthly).astype("Int64"), month=period.str[6:8].where(monthly).astype("Int64"),
        count=counts,
    )  # fmt: skip
    duplicate = kept.duplicated(["WijkenEnBuurten", "Perioden", "SoortMisdrijf"], keep="first")
    problems += _problems_for(duplicate, kept, name, None, "the same buurt, period and category appear twice")
    months = kept["month"]
    problems += _problems_for(
        months.notna() & ((months < 1) | (months > 12)), kept, name, "Perioden", "'{value}': month outside 1-12"
    )
    if problems:
        raise DataError(problems)
    rows = pd.DataFrame(
        {
            "gemeente_code": "GM" + kept["WijkenEnBuurten"].str[2:6],
            "area_code": kept["WijkenEnBuurten"],
            "year": kept["year"].astype(int),
            "month": kept["month"].astype(int),
            "category_code": kept["SoortMisdrijf"],
            "incident_count": kept["count"].astype(int),
        }
    ).astype({"gemeente_code": str, "area_code": str, "category_code": str})
    return Checked("politie-misdrijven-maand", rows.reset_index(drop=True), skipped)


def apply_police_months(con: duckdb.DuckDBPyConnection, checked: Checked, provisional_months: int) -> Outcome:
    """Replace stored counts for the same buurt, month and category; real figures replace the
    demo series of the same gemeente, months and categories (counts and events). The file's last
    `provisional_months` months are provisional: the police revise them, a later file replaces them."""
    month_index = checked.rows["year"] * 12 + checked.rows["month"] - 1
    first_provisional = int(month_index.max()) - provisional_months + 1 if len(month_index) else 0
    incoming = checked.rows.assign(is_provisional=month_index >= first_provisional)
    provisional_from = f"{first_provisional // 12}-{first_provisional % 12 + 1:02d}"
    con.register("incoming_rows", incoming)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM incoming_rows")
    con.unregister("incoming_rows")
    compared = con.execute(
        """
        SELECT i.year, i.month,
            count(*) FILTER (WHERE c.area_code IS NULL) AS new,
            count(*) FILTER (WHERE c.is_demo) AS demo,
            count(*) FILTER (WHERE NOT c.is_demo AND (c.incident_count <> i.incident_count
                OR c.is_provisional <> i.is_provisional)) AS replaced,
            count(*) FILTER (WHERE NOT c.is_demo AND c.incident_count = i.incident_count
                AND c.is_provisional = i.is_provisional) AS unchanged
        FROM incoming AS i
        LEFT JOIN incident_counts AS c
            ON i.area_code = c.area_code AND i.year = c.year AND i.month = c.month
            AND i.category_code = c.category_code
        GROUP BY i.year, i.month ORDER BY i.year, i.month
        """
    ).df()
    keys = "(SELECT DISTINCT gemeente_code, year, month, category_code FROM incoming)"
    demo_removed = con.execute(
        f"""DELETE FROM incident_counts AS c USING {keys} AS k
        WHERE c.is_demo AND c.gemeente_code = k.gemeente_code AND c.year = k.year AND c.month = k.month
            AND c.category_code = k.category_code"""
    ).fetchone()[0]
    con.execute(
        f"""DELETE FROM incident_events AS e USING {keys} AS k
        WHERE e.is_demo AND e.gemeente_code = k.gemeente_code AND year(e.occurred_at) = k.year
            AND month(e.occurred_at) = k.month AND e.category_code = k.category_code"""
    )
    con.execute(
        """DELETE FROM incident_counts AS c USING incoming AS i
        WHERE c.area_code = i.area_code AND c.year = i.year AND c.month = i.month
            AND c.category_code = i.category_code"""
    )
    con.execute(
        f"""INSERT INTO incident_counts (gemeente_code, area_code, year, month, category_code, incident_count,
            source_id, is_provisional, is_demo)
        SELECT gemeente_code, area_code, year, month, category_code, incident_count, '{POLICE_SOURCE}',
            is_provisional, false FROM incoming"""
    )
    notes = list(checked.notes)
    provisional = int(incoming["is_provisional"].sum())
    if provisional:
        notes.append(f"{provisional} rijen vanaf {provisional_from} gelden als voorlopig")
    return Outcome(
        kind=checked.kind,
        new=int(compared["new"].sum()),
        replaced=int(compared["replaced"].sum()),
        unchanged=int(compared["unchanged"].sum()),
        demo_replaced=int(demo_removed),
        skipped=checked.skipped,
        notes=notes,
        periods=compared.rename(columns={"year": "Jaar", "month": "Maand"}),
    )


@dataclass(frozen=True)
class Kind:
    label: str
    check: Callable[..., Checked]
    apply: Callable[[duckdb.DuckDBPyConnection, Checked, int], Outcome]
    columns: list[str]


KINDS = {
    "politie-misdrijven-maand": Kind(
        "Geregistreerde misdrijven per buurt en maand (Politie/CBS 47022NED)",
        check_police_months,
        apply_police_months,
        POLICE_COLUMNS,
    ),
}


def detect_kind(frame: pd.DataFrame, name: str) -> str:
    """The kind whose columns the file has."""
    for code, kind in KINDS.items():
        if all(column in frame.columns for column in kind.columns):
            return code
    known = "; ".join(f"{k.label}: {', '.join(k.columns)}" for k in KINDS.values())
    found = ", ".join(frame.columns[:8])
    raise DataError([Problem(name, 1, None, f"no known export recognised from its columns ({found}). Known: {known}")])


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None,
    loaded_by: str,
    provisional_months: int,
    loaded_at: dt.datetime | None = None,
    file_name: str | None = None,
) -> Outcome:
    """Check and apply one file on `con` (inside the caller's transaction) and add a line to the
    load history. Raises DataError, naming file, row and column, before anything is changed."""
    raw = Path(path).read_bytes()
    name = file_name or Path(path).name
    frame, notes = read_table(raw, name)
    code = kind or detect_kind(frame, name)
    if code not in KINDS:
        raise DataError([Problem(name, None, None, f"unknown import kind '{code}' (known: {', '.join(KINDS)})")])
    spec = KINDS[code]
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        message = f"this file is not a {spec.label}: missing column(s) {', '.join(missing)}"
        raise DataError([Problem(name, 1, None, message)])
    areas = con.execute("SELECT area_code, area_level FROM areas").df()
    categories = {r[0] for r in con.execute("SELECT category_code FROM incident_categories").fetchall()}
    gemeenten = {r[0] for r in con.execute("SELECT gemeente_code FROM municipalities").fetchall()}
    checked = spec.check(frame, name, areas, categories, gemeenten)
    checked.notes = notes + checked.notes
    outcome = spec.apply(con, checked, provisional_months)
    con.execute(
        """INSERT INTO load_history (loaded_at, file_name, file_size, sha256, kind, rows_new, rows_replaced,
            rows_unchanged, rows_demo_replaced, rows_skipped, loaded_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            loaded_at or dt.datetime.now(), name, len(raw), hashlib.sha256(raw).hexdigest(), code, outcome.new,
            outcome.replaced, outcome.unchanged, outcome.demo_replaced, outcome.skipped_total, loaded_by,
        ],
    )  # fmt: skip
    return outcome


class _Preview(Exception):  # noqa: N818 - not an error: it carries a preview out of the transaction
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def run_import(
    path: Path, db: Path, kind: str | None, loaded_by: str, preview: bool = False, data_dir: Path | None = None
) -> Outcome:
    """Import one file into the database at `db` in one transaction; with `preview`, the same
    work is done and rolled back, so the preview shows exactly what the import would change.
    With `data_dir`, a copy of the file is kept there (imports/), so that a rebuild replays it."""
    months = provisional_months()
    loaded_at = dt.datetime.now()
    try:
        with write_transaction(db) as con:
            outcome = import_file(con, path, kind, loaded_by, months, loaded_at)
            if preview:
                raise _Preview(outcome)
    except _Preview as done:
        return done.outcome
    if data_dir is not None:
        keep(Path(path), Path(data_dir), outcome.kind, loaded_by, loaded_at)
    return outcome


def provisional_months() -> int:
    return int(load_settings().get("police_provisional_months", 3))


MANIFEST_COLUMNS = ["loaded_at", "file", "file_name", "kind", "loaded_by"]


def keep(path: Path, data_dir: Path, kind: str, loaded_by: str, loaded_at: dt.datetime) -> Path:
    """Store the imported file under data/imports/ and list it in the manifest, in load order:
    the database is rebuilt from data/, imports included."""
    folder = data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    raw = path.read_bytes()
    copy = folder / f"{hashlib.sha256(raw).hexdigest()[:16]}-{path.name}"
    if not copy.exists():
        copy.write_bytes(raw)
    manifest = folder / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines() if manifest.exists() else [",".join(MANIFEST_COLUMNS)]
    fields = [loaded_at.isoformat(timespec="seconds"), copy.name, path.name, kind, loaded_by]
    lines.append(",".join(value.replace(",", " ") for value in fields))
    temporary = manifest.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(manifest)  # a crash leaves the old manifest or the new one, never half
    return copy


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Apply the kept imports of data/imports/manifest.csv in their order (when building)."""
    manifest = Path(data_dir) / "imports" / "manifest.csv"
    if not manifest.exists():
        return 0
    entries = pd.read_csv(manifest, dtype=str)
    for entry in entries.itertuples():
        import_file(
            con, manifest.parent / entry.file, entry.kind, entry.loaded_by, provisional_months(),
            dt.datetime.fromisoformat(entry.loaded_at), entry.file_name,
        )  # fmt: skip
    return len(entries)


def outcome_text(outcome: Outcome) -> str:
    """'1.234 nieuw, 0 vervangen, ...; overgeslagen: 12 andere gemeente' for a message."""
    parts = [
        f"{number(outcome.new)} nieuw",
        f"{number(outcome.replaced)} vervangen",
        f"{number(outcome.unchanged)} ongewijzigd",
        f"{number(outcome.demo_replaced)} demorijen vervangen",
    ]
    skipped = ", ".join(f"{number(n)} {reason}" for reason, n in outcome.skipped.items())
    return "; ".join(parts) + (f"; overgeslagen: {skipped}" if skipped else "") + f" ({', '.join(outcome.notes)})"
