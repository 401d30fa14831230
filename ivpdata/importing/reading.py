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
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ivpdata.formatting import number
from ivpdata.importing import limits
from ivpdata.importing.limits import over, refuse
from ivpdata.validate import DataError, Problem

ROW = "_row"  # the row number in the file, as a spreadsheet shows it
HEADER_SEARCH_ROWS = 30  # title rows above a table, looked for in the first rows only
NON_GEOGRAPHIC = {"NL00", "GM0998", "GM0999", "PV99", "LD99", "RE99"}
NON_GEOGRAPHIC_PATTERN = r"^(NL|PV|LD|RE)\d\d$"  # Nederland (NL01), provinces, landsdelen
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
            utf8 = raw.removeprefix(b"\xef\xbb\xbf") if encoding == "UTF-8" else None  # the text's bytes
            frame, notes = _read_csv(text, name, utf8)
        notes.insert(0, f"gelezen als {encoding}")
    if frame.empty:
        raise DataError([Problem(name, None, None, "het bestand heeft kopregels maar geen gegevens")])
    _check_table(frame, name)
    return frame.reset_index(drop=True), notes


def _check_table(frame: pd.DataFrame, name: str) -> None:
    """Rows, columns and field lengths within the limits (the readers refuse most files earlier,
    before building the table; this holds for every format)."""
    columns = [column for column in frame.columns if column != ROW]
    if len(columns) > limits.MAX_COLUMNS:
        raise refuse(name, f"het bestand heeft {over(len(columns), 'kolommen', limits.MAX_COLUMNS)}")
    if len(frame) > limits.MAX_ROWS:
        raise refuse(name, f"het bestand heeft {over(len(frame), 'rijen', limits.MAX_ROWS)}")
    for column in columns:
        lengths = frame[column].astype("string").str.len().fillna(0)
        if len(lengths) and lengths.max() > limits.MAX_FIELD_CHARS:
            where = lengths.idxmax()
            row = int(frame.loc[where, ROW]) if ROW in frame.columns else None
            message = f"een veld van {over(int(lengths.max()), 'tekens', limits.MAX_FIELD_CHARS)} tekens per veld"
            raise refuse(name, message, row, str(column))


def _read_json(text: str, name: str) -> tuple[pd.DataFrame, list[str]]:
    too_deep = f"de JSON is dieper genest dan {limits.MAX_JSON_DEPTH} niveaus; verwacht een lijst met records"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(name, exc.lineno, None, f"geen geldige JSON: {exc.msg}")]) from exc
    except RecursionError as exc:  # nested deeper than Python's stack: far over the limit
        raise refuse(name, too_deep) from exc
    if _deeper_than(data, limits.MAX_JSON_DEPTH):
        raise refuse(name, too_deep)
    records = data.get("value", []) if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError([Problem(name, None, None, "JSON zonder lijst met records (OData 'value')")])
    if len(records) > limits.MAX_ROWS:
        raise refuse(name, f"het bestand heeft {over(len(records), 'records', limits.MAX_ROWS)}")
    keys: set[str] = set()
    for record in records:
        keys.update(record)
        if len(keys) > limits.MAX_COLUMNS:
            message = f"de records hebben meer dan {number(limits.MAX_COLUMNS)} verschillende velden (de grens)"
            raise refuse(name, message)
    frame = pd.DataFrame.from_records(records)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = _stripped(frame.astype("string"))
    frame[ROW] = np.arange(2, len(frame) + 2)  # record 1 is 'row 2', as if the keys were a header
    return frame, []


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and objects in `data` nest more than `limit` levels (walked without recursion,
    holding one iterator per level)."""
    if not isinstance(data, dict | list):
        return False
    stack = [iter(_children(data))]
    while stack:
        for value in stack[-1]:
            if isinstance(value, dict | list):
                if len(stack) >= limit:
                    return True
                stack.append(iter(_children(value)))
                break
        else:
            stack.pop()
    return False


def _children(node: dict | list) -> Any:
    return node.values() if isinstance(node, dict) else node


def _read_csv(text: str, name: str, utf8: bytes | None = None) -> tuple[pd.DataFrame, list[str]]:
    """`text` as a table; `utf8` is the same text as UTF-8 bytes when the file was (saves encoding it again)."""
    head = _first_lines(text, HEADER_SEARCH_ROWS)
    delimiter = max([";", ",", "\t"], key=lambda d: sum(line.count(d) for line in head))
    try:
        head_rows = list(csv.reader(head, delimiter=delimiter))
    except csv.Error as exc:  # the csv module stops at fields over 128 KiB
        row = next((i + 1 for i, line in enumerate(head) if len(line) > limits.MAX_FIELD_CHARS), None)
        raise refuse(name, f"een veld is langer dan {number(limits.MAX_FIELD_CHARS)} tekens (de grens)", row) from exc
    _check_csv_shape(text, head_rows, name)
    header_index = _header_index(head_rows)
    frame = _parse_regular_csv(utf8 if utf8 is not None else text.encode("utf-8"), delimiter, header_index)
    if frame is None:
        try:
            frame = pandas_csv(text, delimiter, header_index)
        except pd.errors.ParserError as exc:
            raise DataError([Problem(name, None, None, f"geen leesbaar CSV-bestand: {exc}")]) from exc
    shown = {";": "';'", ",": "','", "\t": "tab"}[delimiter]
    notes = [f"scheidingsteken {shown}"]
    return _with_header(frame, header_index, name, notes)


def pandas_csv(text: str, delimiter: str, header_index: int) -> pd.DataFrame:
    """Every cell as text from row `header_index` on, by pandas: for a file Arrow's reader refuses
    (rows of another width, which `_with_header` then names)."""
    return pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype="string",
        keep_default_na=False,
        header=None,
        skiprows=header_index,
        skip_blank_lines=False,
        on_bad_lines="error",
        engine="c",
    )


def _parse_regular_csv(utf8: bytes, delimiter: str, header_index: int) -> pd.DataFrame | None:
    """The table from the header row on, as `pd.read_csv` (C engine, text columns) reads it, parsed
    by Arrow's CSV reader (several times faster); None when Arrow refuses it (a row of another
    width, such as a footnote): the pandas reader then reads it as it always did."""
    read = pacsv.ReadOptions(skip_rows=header_index, autogenerate_column_names=True)
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False)
    texts = {f"f{i}": pa.string() for i in range(limits.MAX_COLUMNS + 1)}  # every column as text, never inferred
    convert = pacsv.ConvertOptions(column_types=texts, strings_can_be_null=False)
    try:
        table = pacsv.read_csv(io.BytesIO(utf8), read, parse, convert)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not all(pa.types.is_string(column.type) for column in table.columns):
        return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.columns = range(len(frame.columns))
    return frame


def _first_lines(text: str, count: int) -> list[str]:
    """The first `count` lines of `text` (as `str.splitlines` splits them), without splitting the
    whole text: a growing prefix, until it holds more lines than asked or is the whole text."""
    size = 64 * 1024
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def _check_csv_shape(text: str, head_rows: list[list[str]], name: str) -> None:
    """Columns (the widest of the first rows: a later, wider row is a parse error) and rows within
    the limits, counted before the table is built."""
    columns = max((len(row) for row in head_rows), default=0)
    if columns > limits.MAX_COLUMNS:
        widest = next(i for i, row in enumerate(head_rows) if len(row) == columns)
        raise refuse(name, f"het bestand heeft {over(columns, 'kolommen', limits.MAX_COLUMNS)}", widest + 1)
    lines = text.count("\n") + 1
    if lines > limits.MAX_ROWS:
        raise refuse(name, f"het bestand heeft {over(lines, 'regels', limits.MAX_ROWS)}")
    if lines * columns > limits.MAX_CELLS:
        message = f"het bestand heeft {over(lines * columns, 'cellen', limits.MAX_CELLS)} ({number(columns)} kolommen)"
        raise refuse(name, message)


def _read_xlsx(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    """The first worksheet with values, read by openpyxl after the archive passed the size checks;
    cells as text (12.0 as 12). A formula is refused: its stored value may come from another
    workbook (an external link) and is not what the file says."""
    import openpyxl  # loaded for an XLSX only: every other import (and the app's first page) would pay 0.2 s

    limits.check_zip(raw, name, limits.MAX_XLSX_UNPACKED_BYTES)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        try:
            title, rows, others = _first_filled_sheet(book, name)
        finally:
            book.close()
    except DataError:
        raise
    except Exception as exc:  # openpyxl raises many kinds; the message is what counts
        raise DataError([Problem(name, None, None, f"geen leesbaar XLSX-bestand: {exc}")]) from exc
    notes = [f"werkblad '{title}'"] + ([f"{others} andere werkbladen niet gelezen"] if others else [])
    width = max(len(row) for row in rows)
    sheet = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)
    header_index = _header_index(sheet.head(HEADER_SEARCH_ROWS).values.tolist())
    return _with_header(sheet.iloc[header_index:], header_index, f"{name}", notes)


def _first_filled_sheet(book: Any, name: str) -> tuple[str, list[list[str]], int]:
    """The title and rows of the first worksheet with a value, and how many other worksheets have one."""
    found: tuple[str, list[list[str]]] | None = None
    others = 0
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # the dimension a file declares may be anything
        if found is None:
            rows = _sheet_rows(sheet, name)
            found = (sheet.title, rows) if rows else None
        elif _has_value(sheet, name):
            others += 1
    if found is None:
        raise DataError([Problem(name, None, None, "het werkboek heeft geen werkblad met gegevens")])
    return found[0], found[1], others


def _sheet_rows(sheet: Any, name: str) -> list[list[str]]:
    """A worksheet's rows as text, up to its last row with a value; cells, rows and field lengths
    within the limits, counted as openpyxl hands them over."""
    rows: list[list[str]] = []
    last = 0
    for line, row in _limited_rows(sheet, name):
        values = [_cell_text(cell, sheet.title, line, name) for cell in row]
        while values and not values[-1]:
            values.pop()
        if len(values) > limits.MAX_COLUMNS:
            message = f"werkblad '{sheet.title}' heeft {over(len(values), 'kolommen', limits.MAX_COLUMNS)}"
            raise refuse(name, message, line)
        rows.append(values)
        if values:
            last = line
    return rows[:last]


def _has_value(sheet: Any, name: str) -> bool:
    return any(cell.value is not None for _, row in _limited_rows(sheet, name) for cell in row)


def _limited_rows(sheet: Any, name: str) -> Any:
    """(row number, cells) of a worksheet, refused once its rows or cells pass the limits (a file
    may declare a row 1,000,000 or a cell in column XFD: openpyxl fills the gaps)."""
    cells = 0
    for line, row in enumerate(sheet.rows, start=1):
        cells += len(row)
        if line > limits.MAX_ROWS or cells > limits.MAX_CELLS:
            most = f"{number(limits.MAX_ROWS)} rijen of {number(limits.MAX_CELLS)} cellen"
            message = f"werkblad '{sheet.title}' heeft meer dan {most} (de grens)"
            raise refuse(name, message)
        yield line, row


def _cell_text(cell: Any, title: str, line: int, name: str) -> str:
    """A cell's value as text; a formula is refused (paste values instead)."""
    value = cell.value
    if cell.data_type == "f":
        text = str(value)[:80]
        external = "verwijst naar een ander werkboek; " if re.search(r"\[\d+\]", text) else ""
        message = (
            f"werkblad '{title}', cel {cell.coordinate}: een formule ({text}) {external}laad alleen waarden: "
            "kopieer de cellen en kies Plakken speciaal → Waarden"
        )
        raise refuse(name, message, line)
    if value is None or cell.data_type == "e":  # empty, or an error such as #N/A
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))  # 12.0 -> 12: whole numbers are stored as floats
    text = str(value)
    if len(text) > limits.MAX_FIELD_CHARS:
        message = f"werkblad '{title}', cel {cell.coordinate}: {over(len(text), 'tekens', limits.MAX_FIELD_CHARS)}"
        raise refuse(name, message, line)
    return text


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
    filled = pd.Series(np.zeros(len(body), dtype=np.int64), index=body.index)
    for column in header:  # column by column: a row-wise sum over a million rows is slow
        filled += (body[column] != "").to_numpy(dtype=bool)
    empty = filled == 0
    footnote = (filled <= 1) & (len(header) > 2)
    # footnotes: narrow rows after the last full row
    last_full = filled[~footnote & ~empty].index.max() if (~footnote & ~empty).any() else -1
    trailing = footnote & (body.index > last_full) & ~empty
    if header_index:
        notes.append(f"{header_index} titelregel(s) boven de tabel overgeslagen")
    if trailing.any():
        notes.append(f"{int(trailing.sum())} voetnoot-regel(s) onder de tabel overgeslagen")
    kept = ~empty & ~trailing
    return (body if kept.all() else body[kept]), notes


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
