"""What the Data page shows about an import: its changes per period and per area, what was
skipped and why, the problems that stopped it, and the load history, as Dutch tables."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd

from ivpdata.formatting import number
from ivpdata.importing import limits, templates
from ivpdata.importing.base import OTHER_GEMEENTE, Outcome
from ivpdata.importing.kinds import KINDS
from ivpdata.periods import month_short
from ivpdata.safetext import markdown_literal
from ivpdata.validate import DataError

COUNT_LABELS = {
    "new": "Nieuw",
    "replaced": "Vervangen",
    "unchanged": "Ongewijzigd",
    "demo_replaced": "Demo vervangen",
    "skipped": "Overgeslagen",
}


COUNT_HELP = {
    "Nieuw": "Rijen die er nog niet waren of die demodata vervangen",
    "Vervangen": "Echte cijfers die al stonden en nu anders worden",
    "Ongewijzigd": "Echte cijfers die al stonden en gelijk blijven",
    "Demo vervangen": "Demorijen (of demo-incidenten) die door echte cijfers worden vervangen; wat het bestand "
    "niet bevat, houdt zijn cijfers (zie de uitleg hieronder)",
    "Overgeslagen": "Rijen die niet worden opgeslagen; de redenen staan onder 'Overgeslagen'",
}


def kind_label(code: str) -> str:
    return KINDS[code].label if code in KINDS else code


def totals(outcome: Outcome) -> dict[str, str]:
    """Headline counts in Dutch number format, e.g. {'Nieuw': '1.234', ...}; skipped includes
    rows of other gemeenten that have no period or area here."""
    figures = {label: outcome.total(column) for column, label in COUNT_LABELS.items() if column != "skipped"}
    figures["Overgeslagen"] = outcome.skipped_total
    return {label: number(value) for label, value in figures.items()}


def coverage_text(outcome: Outcome) -> str:
    """What the file covers and what keeps its figures, in Dutch sentences (empty for kinds that
    do not say it); literal Markdown, as names come from boundary files."""
    return markdown_literal(" ".join(outcome.coverage))


def changes_by(outcome: Outcome, by: str, area_names: pd.DataFrame) -> pd.DataFrame:
    """Rows per outcome for each period (`by="period"`) or area (`by="area"`), named in Dutch."""
    changes = outcome.changes
    counts = list(COUNT_LABELS)
    if by == "period":
        table = changes.groupby("period", as_index=False)[counts].sum().rename(columns={"period": "Periode"})
        table["Periode"] = table["Periode"].map(_period_text)  # after sorting: '2024-01' sorts as it should
    else:
        table = changes.groupby("area_code", as_index=False)[counts].sum()
        names = dict(zip(area_names["area_code"], area_names["display_name"], strict=True))
        table.insert(0, "Gebied", table["area_code"].map(names).fillna(table["area_code"]).replace("", "(geen gebied)"))
        table = table.rename(columns={"area_code": "Code"})
    return _with_unplaced(table, outcome, "Periode" if by == "period" else "Gebied").rename(columns=COUNT_LABELS)


UNPLACED = "(overige overgeslagen rijen)"  # e.g. another gemeente's rows: skipped before a period or area


def _with_unplaced(table: pd.DataFrame, outcome: Outcome, label: str) -> pd.DataFrame:
    """The table with a last row for the skipped rows that no period or area of it takes, so that
    its columns add up to the headline."""
    unplaced = outcome.skipped_total - int(table["skipped"].sum())
    if unplaced <= 0:
        return table.reset_index(drop=True)
    row = {column: 0 for column in COUNT_LABELS} | {"skipped": unplaced, label: UNPLACED}
    if "Code" in table.columns:
        row["Code"] = ""
    return pd.concat([table, pd.DataFrame([row])], ignore_index=True)


def _period_text(period: str) -> str:
    """'jan 2024' for a month ('2024-01'), a year as it is, '(geen periode)' for none."""
    if len(period) == 7 and period[4] == "-":
        return month_short(dt.date(int(period[:4]), int(period[5:]), 1))
    return period or "(geen periode)"


def skipped_table(outcome: Outcome) -> pd.DataFrame:
    """Per reason, how many rows it skips and, where the check names them, which."""
    return pd.DataFrame(
        {
            "Reden": list(outcome.skipped),
            "Rijen": list(outcome.skipped.values()),
            "Welke rijen": [outcome.skipped_detail.get(reason, "") for reason in outcome.skipped],
        }
    )


def other_gemeente_warning(outcome: Outcome) -> str | None:
    """What a preview says before loading a file with rows of a gemeente not served (a regional
    export, or a mistyped code), naming them; None without such rows."""
    detail = outcome.skipped_detail.get(OTHER_GEMEENTE)
    if detail is None:
        return None
    count = outcome.skipped[OTHER_GEMEENTE]
    rows = "1 rij wordt" if count == 1 else f"{number(count)} rijen worden"
    return (
        f"{rows} overgeslagen omdat de gebiedscode niet bij een gemeente van dit systeem hoort (een andere "
        f"gemeente, of een verkeerd getypte code): {detail}. Is een code verkeerd getypt, verbeter dan het "
        "bestand en laad het opnieuw."
    )


def problems_table(error: DataError) -> pd.DataFrame:
    """The validation report: file, row, column, problem (row and column empty where the problem is
    about the whole file)."""
    return pd.DataFrame(
        {
            "Bestand": [p.file for p in error.problems],
            "Rij": [p.row for p in error.problems],
            "Kolom": [p.column or "" for p in error.problems],
            "Probleem": [p.message for p in error.problems],
        }
    ).astype({"Rij": "Int64"})


def problems_shown(error: DataError) -> pd.DataFrame:
    """`problems_table` for st.table, which renders Markdown in cells: every text shown literally
    (file names and values come from the file)."""
    table = problems_table(error)
    for column in ("Bestand", "Kolom", "Probleem"):
        table[column] = table[column].map(markdown_literal)
    return table


def limits_text() -> str:
    """One line for the Data page: what an upload may be."""
    return (
        f"Grenzen: CSV, JSON en XLSX tot {limits.megabytes(limits.MAX_TABLE_BYTES)}, "
        f"{number(limits.MAX_ROWS)} rijen, {number(limits.MAX_COLUMNS)} kolommen en "
        f"{number(limits.MAX_FIELD_CHARS)} tekens per veld (XLSX zonder formules, uitgepakt tot "
        f"{limits.megabytes(limits.MAX_XLSX_UNPACKED_BYTES)}); grenzen (GeoPackage, zip, GeoJSON) tot "
        f"{limits.megabytes(limits.MAX_BOUNDARY_BYTES)}. Een bestand dat niet binnen "
        f"{number(limits.READ_SECONDS)} seconden is gelezen, wordt geweigerd."
    )


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The load history with Dutch headers, the kind by its label and a short checksum."""
    return pd.DataFrame(
        {
            "Geladen op": history["loaded_at"].dt.strftime("%d-%m-%Y %H:%M"),
            "Bestand": history["file_name"],
            "Grootte (kB)": (history["file_size"] / 1000).round(1),
            "SHA-256": history["sha256"].str[:12] + "…",
            "Soort": history["kind"].map(kind_label),
            "Nieuw": history["rows_new"],
            "Vervangen": history["rows_replaced"],
            "Ongewijzigd": history["rows_unchanged"],
            "Demo vervangen": history["rows_demo_replaced"],
            "Overgeslagen": history["rows_skipped"],
            "Door": history["loaded_by"],
        }
    )


def template_kinds() -> list[str]:
    """The kinds a user fills in from a template (own registrations), in KINDS order."""
    return [code for code, kind in KINDS.items() if kind.template is not None]


def template_file(code: str, fmt: str, con: duckdb.DuckDBPyConnection | None = None) -> bytes:
    """A kind's template as CSV or XLSX: with an explanation sheet where the kind has one."""
    if code in templates.TEMPLATE_SPECS:
        return templates.template_bytes(code, fmt, con)
    template = KINDS[code].template
    if template is None:
        raise ValueError(f"{code} has no template")
    frame = template()
    if fmt == "csv":
        return frame.to_csv(index=False, sep=";").encode("utf-8-sig")
    out = io.BytesIO()
    frame.to_excel(out, index=False, sheet_name="Gegevens")
    return out.getvalue()
