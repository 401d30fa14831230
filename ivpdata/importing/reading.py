"""Reading an export into text columns: the real-world mess a safety team's files come in.

UTF-8 with or without BOM and Windows-1252; `;` or `,` delimiters; CSV, JSON (OData) or XLSX;
title rows above the table and footnotes below it (StatLine downloads, spreadsheets); codes
padded with spaces (CBS pads keys); Dutch decimal commas; CBS symbols (`.` missing, `x` secret,
`-` nil). Every row keeps its line (CSV, XLSX) or record number (JSON) in `ROW`, so a problem
can name it.
"""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pandas as pd

from ivpdata.validate import DataError, Problem

ROW = "_row"  # the row number in the file, as a spreadsheet shows it
HEADER_SEARCH_ROWS = 30  # title rows above a table, looked for in the first rows only
NON_GEOGRAPHIC = {"NL00", "GM0998", "GM0999", "PV99", "LD99", "RE99"}
NON_GEOGRAPHIC_PATTERN = r"^(PV|LD|RE)\d\d$"
CBS_NIL = "-"
CBS_SKIPPED = {".": "CBS: waarde ontbreekt (.)", "x": "CBS: geheim (x)"}
XLSX_MAGIC = b"PK\x03\x04"
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read in: UTF-8 (with or without BOM), else
    Windows-1252. UTF-16 and binary files are refused with the reason."""
    if not raw.strip():
        raise DataError([Problem(name, None, None, "het bestand is leeg")])
    if b"\x00" in raw[:4096]:
        message = "geen tekstbestand in UTF-8 of Windows-1252 (UTF-16 of een binair bestand?); sla het op als CSV UTF-8"
        raise DataError([Problem(name, None, None, message)])
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"geen UTF-8 en geen Windows-1252 (byte {raw[exc.start]:#x}); sla het op als CSV UTF-8"
        raise DataError([Problem(name, line, None, message)]) from exc


def read_table(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    """A CSV (`;` or `,`), JSON (OData `{"value": [...]}` or a list of records) or XLSX file as
    text columns with surrounding spaces removed, a `ROW` column, and notes on how it was read."""
    if raw.startswith(XLSX_MAGIC):
        frame, notes = _read_xlsx(raw, name)
    else:
        text, encoding = decode(raw, name)
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")):
            frame, notes = _read_json(stripped, name)
        else:
            frame, notes = _read_csv(text, name)
        notes.insert(0, f"gelezen als {encoding}")
    if frame.empty:
        raise DataError([Problem(name, None, None, "het bestand heeft kopregels maar geen gegevens")])
    return frame.reset_index(drop=True), notes


def _read_json(text: str, name: str) -> tuple[pd.DataFrame, list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(name, exc.lineno, None, f"geen geldige JSON: {exc.msg}")]) from exc
    records = data.get("value", []) if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError([Problem(name, None, None, "JSON zonder lijst met records (OData 'value')")])
    frame = pd.DataFrame.from_records(records)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = _stripped(frame.astype("string"))
    frame[ROW] = np.arange(2, len(frame) + 2)  # record 1 is 'row 2', as if the keys were a header
    return frame, []


def _read_csv(text: str, name: str) -> tuple[pd.DataFrame, list[str]]:
    head = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = max([";", ",", "\t"], key=lambda d: sum(line.count(d) for line in head))
    head_rows = list(csv.reader(head, delimiter=delimiter))
    header_index = _header_index(head_rows)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype="string", keep_default_na=False, header=None,
            skiprows=header_index, skip_blank_lines=False, on_bad_lines="error", engine="c",
        )  # fmt: skip
    except pd.errors.ParserError as exc:
        raise DataError([Problem(name, None, None, f"geen leesbaar CSV-bestand: {exc}")]) from exc
    shown = {";": "';'", ",": "','", "\t": "tab"}[delimiter]
    notes = [f"scheidingsteken {shown}"]
    return _with_header(frame, header_index, name, notes)


def _read_xlsx(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    try:
        sheets = pd.read_excel(io.BytesIO(raw), sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds; the message is what counts
        raise DataError([Problem(name, None, None, f"geen leesbaar XLSX-bestand: {exc}")]) from exc
    filled = {title: sheet for title, sheet in sheets.items() if not sheet.dropna(how="all").empty}
    if not filled:
        raise DataError([Problem(name, None, None, "het werkboek heeft geen werkblad met gegevens")])
    title, sheet = next(iter(filled.items()))
    notes = [f"werkblad '{title}'"] + ([f"{len(filled) - 1} andere werkbladen niet gelezen"] if len(filled) > 1 else [])
    sheet = sheet.fillna("").astype(str).replace(r"\.0$", "", regex=True)  # 12.0 -> 12: whole numbers read as float
    header_index = _header_index(sheet.head(HEADER_SEARCH_ROWS).values.tolist())
    return _with_header(sheet.iloc[header_index:], header_index, f"{name}", notes)


def _header_index(rows: list[list[str]]) -> int:
    """The header is the first row as wide as the table: title rows above it fill fewer cells."""
    filled = [sum(1 for cell in row if str(cell).strip()) for row in rows]
    widest = max(filled, default=0)
    return next((i for i, n in enumerate(filled) if n == widest and n >= 2), 0)


def _with_header(table: pd.DataFrame, header_index: int, name: str, notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows below the header as a frame with the header's names; empty rows and footnotes (rows
    below the table that fill at most one cell) are left out, and the notes say so."""
    table = table.reset_index(drop=True)
    header = [str(c).strip() if str(c).strip() else f"kolom {i + 1}" for i, c in enumerate(table.iloc[0])]
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        message = f"kolomnaam komt twee keer voor: {', '.join(duplicates)}"
        raise DataError([Problem(name, header_index + 1, None, message)])
    body = table.iloc[1:]
    body.columns = header
    body = _stripped(body)
    body[ROW] = np.arange(header_index + 2, header_index + 2 + len(body))
    filled = body[header].ne("").sum(axis=1)
    empty = filled == 0
    footnote = (filled <= 1) & (len(header) > 2)
    # footnotes: narrow rows after the last full row
    last_full = filled[~footnote & ~empty].index.max() if (~footnote & ~empty).any() else -1
    trailing = footnote & (body.index > last_full) & ~empty
    if header_index:
        notes.append(f"{header_index} titelregel(s) boven de tabel overgeslagen")
    if trailing.any():
        notes.append(f"{int(trailing.sum())} voetnoot-regel(s) onder de tabel overgeslagen")
    return body[~empty & ~trailing], notes


def _stripped(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns with surrounding spaces removed (CBS pads its keys) and no missing values."""
    return pd.DataFrame({column: frame[column].fillna("").astype("string").str.strip() for column in frame.columns})


def parse_numbers(values: pd.Series, whole: bool = False) -> pd.Series:
    """Numbers as Dutch and international files write them: `1.234,5` and `1234,5` (decimal
    comma), `1234.5` (decimal point). In a column of whole numbers `1.234` is 1234 (a Dutch
    thousands separator). Anything else becomes NA, for the caller to report."""
    text = values.astype("string").str.strip().str.replace(" ", "", regex=False)
    dutch = text.str.contains(",", regex=False).fillna(False)
    if whole:
        dutch |= text.str.match(THOUSANDS).fillna(False)
    text = text.where(~dutch, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce")
