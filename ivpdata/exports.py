"""Exports of every chart and table: PNG/SVG of a chart, CSV/XLSX of the data behind it.

Charts are rendered offline with vl-convert (no request leaves the machine: data must be inline,
external URLs are refused). Tables carry a metadata header (source, period, filters, provisional
status, demo or real, disclosure rules) so a file that travels on its own still says what it is.
`read_export` parses either table export back, for tests and for users who want to check a file.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import decimal
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from ivpdata import charts
from ivpdata.config import PROJECT_ROOT

# Text in exported images is drawn with the fonts shipped with the app, so that a machine without
# system fonts (a fresh server) still renders labels.
vlc.register_font_directory(str(PROJECT_ROOT / "static" / "fonts"))

# A chart drawn `width="container"` in the app gets this size in a file (pixels, before scaling).
CONTAINER_WIDTH = 720
CONTAINER_HEIGHT = 360
FOOTER_COLOUR = "#555555"
SHEET_NAME = "Gegevens"
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")  # Excel has no time zones: aware times are written as Dutch time
CSV_SEPARATOR = ";"
YES, NO = "ja", "nee"
NO_FILTERS = "geen"
# Whole-number columns shown without thousands separator (a year 2025 is not "2.025").
PLAIN_INT_COLUMNS = re.compile(r"jaar|year|code|nummer|^id$|^id_|_id$", re.IGNORECASE)
MAX_SHOWN_DECIMALS = 4
MAX_EXACT_INT = 2**53  # floats up to here hold whole numbers exactly
# Text a spreadsheet may take for a formula (OWASP, CSV injection): it gets a leading quote, as Excel
# itself shows typed text that starts with "=". Signed numbers written as text ('-58%', '+12',
# '+1.234') keep their sign: a sign, digits, separators and % make no formula that can call anything.
# A line feed is added to OWASP's list: an XLSX gives a carriage return back as one, and the quote
# must still be recognised when the file is read back.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"
SIGNED_NUMBER = re.compile(r"[-+]\d[\d.,]*(?:[ \u00a0]?%)?")
# Channels that can draw a legend: in the footer wrapper each keeps its legend next to its chart.
LEGEND_CHANNELS = (
    "color",
    "fill",
    "stroke",
    "opacity",
    "fillOpacity",
    "strokeOpacity",
    "shape",
    "size",
    "strokeDash",
    "strokeWidth",
    "angle",
)
# Keys valid only at the top level of a Vega-Lite spec: they move to the footer wrapper.
TOP_LEVEL_KEYS = ("$schema", "config", "datasets", "background", "padding", "usermeta", "params")


@dataclasses.dataclass(frozen=True)
class Metadata:
    """What an exported chart or table shows, where it comes from and how it may be used."""

    title: str
    source: str
    period: str
    filters: dict[str, str]  # Dutch label -> value, e.g. {"Gemeente": "Dordrecht", "Niveau": "buurt"}
    provisional: str  # "ja, 2026-08 t/m 2026-10 voorlopig" or "nee"
    demo: bool
    disclosure: str  # "Openbaar: aantallen onder 5 als '< 5'" or "Intern: exacte aantallen; niet voor publicatie"
    created: dt.datetime = dataclasses.field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    mixed: bool = False  # real rows for some areas or months, demo rows for others (ivpdata.provenance)

    def rows(self) -> list[tuple[str, str]]:
        """The metadata as (Dutch label, value) rows, as they head a CSV or XLSX export."""
        filters = "; ".join(f"{label}: {value}" for label, value in self.filters.items()) or NO_FILTERS
        rows = [
            ("Titel", self.title),
            ("Bron", self.source),
            ("Periode", self.period),
            ("Filters", filters),
            ("Voorlopige cijfers", self.provisional),
            ("Gegevens", self.data_text),
            ("Onthullingsregels", self.disclosure),
            ("Gemaakt op", self.created.strftime("%d-%m-%Y %H:%M")),
        ]
        return [(label, _one_line(value)) for label, value in rows]

    @property
    def data_text(self) -> str:
        """'gemengd (echt en demodata)', 'demodata (gegenereerd)' or 'echte cijfers'."""
        if self.mixed:
            return "gemengd (echt en demodata)"
        return "demodata (gegenereerd)" if self.demo else "echte cijfers"

    @property
    def says_provisional(self) -> bool:
        return bool(self.provisional.strip()) and not self.provisional.strip().lower().startswith(NO)

    def agreeing(self, provisional_rows: int | None) -> Metadata:
        """The metadata as the exported data bear it out: with `provisional_rows` (how many rows are
        marked provisional; None when the data do not say) the header says "ja" exactly when some are."""
        if provisional_rows is None or (provisional_rows > 0) == self.says_provisional:
            return self
        if provisional_rows:
            return dataclasses.replace(self, provisional=f"ja, {provisional_rows} {_rows(provisional_rows)} voorlopig")
        return dataclasses.replace(self, provisional=NO)

    def titled(self, title: str) -> Metadata:
        """The same source, period and rules for another chart or table of the view."""
        return dataclasses.replace(self, title=title)

    def footer(self) -> str:
        """One line under an exported image: 'Bron: … · Periode: … · Demodata'."""
        parts = [f"Bron: {self.source}", f"Periode: {self.period}"]
        if self.says_provisional:
            parts.append("deels voorlopige cijfers")
        if self.mixed:
            parts.append("Gemengd: echt en demo")
        elif self.demo:
            parts.append("Demodata")
        return _one_line(" · ".join(parts))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _rows(n: int) -> str:
    return "rij" if n == 1 else "rijen"


# Columns in which exported data mark a row as provisional (a table's "Voorlopig", chart data's flag).
PROVISIONAL_COLUMNS = ("Voorlopig", "voorlopig", "is_provisional")


def _is_flagged(value: object) -> bool:
    return (
        value is True
        or (isinstance(value, np.bool_) and bool(value))
        or (isinstance(value, str) and value.strip().lower() == YES)
    )


def provisional_rows(frame: pd.DataFrame) -> int | None:
    """How many rows of a table are marked provisional, or None when it has no such column."""
    frame = _with_index(frame)
    columns = [c for c in PROVISIONAL_COLUMNS if c in frame.columns]
    if not columns:
        return None
    return int(frame[columns].map(_is_flagged).any(axis=1).sum())


def _spec_provisional_rows(spec: object) -> int | None:
    """`provisional_rows` over the inline data of a chart spec (records in `values` and `datasets`)."""
    records = []
    for key, value in _walk(spec):
        if key == "values" and isinstance(value, list):
            records.extend(value)
        elif key == "datasets" and isinstance(value, dict):
            records.extend(row for rows in value.values() if isinstance(rows, list) for row in rows)
    flagged = [row for row in records if isinstance(row, dict) and any(c in row for c in PROVISIONAL_COLUMNS)]
    if not flagged:
        return None
    return sum(any(_is_flagged(row.get(c)) for c in PROVISIONAL_COLUMNS) for row in flagged)


# --- charts -------------------------------------------------------------------------------------


def chart_png(chart: alt.TopLevelMixin, scale: float = 2, meta: Metadata | None = None) -> bytes:
    """The chart as a PNG (white background, Dutch numbers and dates); with meta, a source line below it."""
    spec, version = _render_spec(chart, meta)
    return vlc.vegalite_to_png(spec, vl_version=version, scale=scale, **_offline_options(spec))


def chart_svg(chart: alt.TopLevelMixin, meta: Metadata | None = None) -> bytes:
    """The chart as an SVG document (UTF-8), like `chart_png`."""
    spec, version = _render_spec(chart, meta)
    return vlc.vegalite_to_svg(spec, vl_version=version, **_offline_options(spec)).encode("utf-8")


def chart_spec(chart: alt.TopLevelMixin, meta: Metadata | None = None) -> dict[str, Any]:
    """The self-contained Vega-Lite spec that is rendered: fixed size, white, optional source footer."""
    return _render_spec(chart, meta)[0]


def _render_spec(chart: alt.TopLevelMixin, meta: Metadata | None) -> tuple[dict[str, Any], str | None]:
    spec = json.loads(json.dumps(chart.to_dict(validate=False), default=_json_default))  # validated in tests
    _refuse_urls(spec)
    version = vl_version(spec.get("$schema", ""))
    spec = _fixed_size(spec)
    if meta is not None:
        spec = _with_footer(spec, meta.agreeing(_spec_provisional_rows(spec)))
    spec["background"] = "white"
    return spec, version


def _json_default(value: object) -> object:
    """Values Altair leaves in inline data that plain JSON cannot hold (dates in object columns)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.time):  # includes datetime and pd.Timestamp
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"cannot put {type(value).__name__} in a chart spec")


def _refuse_urls(spec: object) -> None:
    """Rendering must stay on this machine: no data (or image) loaded from a URL."""
    for key, value in _walk(spec):
        if key == "data" and isinstance(value, dict) and "url" in value:
            raise ValueError(f"chart loads data from {value['url']!r}; exports need inline data")


def _walk(node: object) -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@functools.cache
def _supported_versions() -> tuple[str, ...]:
    return tuple(vlc.get_vegalite_versions())


def vl_version(schema: str) -> str | None:
    """'https://…/vega-lite/v6.4.1.json' -> '6.4': the newest bundled Vega-Lite not newer than the
    spec's (same major). None (vl-convert's default) when the schema names no version."""
    found = re.search(r"/v(\d+)\.(\d+)", schema)
    if not found:
        return None
    major, minor = int(found[1]), int(found[2])
    candidates = []
    for version in _supported_versions():
        v_major, v_minor = (int(part) for part in version.split(".")[:2])
        if v_major == major and v_minor <= minor:
            candidates.append((v_minor, version))
    return max(candidates)[1] if candidates else None


def _fixed_size(node: Any) -> Any:
    """`width/height: "container"` has no container in a file: give it a fixed size."""
    if isinstance(node, dict):
        fixed = {}
        for key, value in node.items():
            if key == "width" and value == "container":
                fixed[key] = CONTAINER_WIDTH
            elif key == "height" and value == "container":
                fixed[key] = CONTAINER_HEIGHT
            else:
                fixed[key] = _fixed_size(value)
        return fixed
    if isinstance(node, list):
        return [_fixed_size(item) for item in node]
    return node


def _with_footer(spec: dict[str, Any], meta: Metadata) -> dict[str, Any]:
    """Wrap any chart (single, layered, faceted, concatenated) in a one-item vconcat whose
    bottom title is the source line; the chart keeps its own title (meta's title if it had none)."""
    inner = {key: value for key, value in spec.items() if key not in TOP_LEVEL_KEYS and key != "autosize"}
    inner.setdefault("title", meta.title)
    independent = dict.fromkeys(LEGEND_CHANNELS, "independent")
    return {
        **{key: spec[key] for key in TOP_LEVEL_KEYS if key in spec},
        "vconcat": [inner],
        "resolve": {"scale": independent, "legend": independent},
        "title": {
            "text": meta.footer(),
            "orient": "bottom",
            "anchor": "start",
            "fontSize": 11,
            "fontWeight": "normal",
            "color": FOOTER_COLOUR,
            "offset": 10,
        },
    }


def _offline_options(spec: dict[str, Any]) -> dict[str, Any]:
    """No external requests at all, and Dutch number/date formats even for a chart without `dutch()`."""
    locale = {**charts.DUTCH_LOCALE.to_dict(), **spec.get("config", {}).get("locale", {})}
    return {"allowed_base_urls": [], "format_locale": locale["number"], "time_format_locale": locale["time"]}


# --- tables -------------------------------------------------------------------------------------


def table_csv(frame: pd.DataFrame, meta: Metadata) -> bytes:
    """CSV as Dutch Excel opens it: `;`, decimal comma, UTF-8 with BOM; metadata rows, an empty line, the table.

    Numbers are written without thousands separator (12345 and 12,5), dates as 2026-08-01, yes/no as
    ja/nee; a text cell in a numeric column (`< 5`, `x`) stays text. Whole numbers have no decimals
    (8, not 8,0); where rows are marked provisional, the header says so."""
    meta = meta.agreeing(provisional_rows(frame))
    frame = _with_index(frame)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerows([neutral(label), neutral(value)] for label, value in meta.rows())
    writer.writerow([])
    writer.writerow([neutral(str(column)) for column in frame.columns])
    columns = [_cells(frame[column]) for column in frame.columns]
    for row in zip(*columns, strict=True):
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, meta: Metadata) -> bytes:
    """An Excel workbook, sheet "Gegevens": metadata rows (bold labels), an empty row, the table with a
    bold, frozen header; numbers as numbers (decimals shown), dates as dates, text as text. The header
    agrees with rows marked provisional, as in `table_csv`."""
    import openpyxl  # loaded on first use: a page that offers no workbook download skips it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    meta = meta.agreeing(provisional_rows(frame))
    frame = _with_index(frame)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    book.properties.title = meta.title
    book.properties.creator = "Veiligheidsbeeld"
    book.properties.created = meta.created
    bold = Font(bold=True)
    rows = meta.rows()
    for row_index, (label, text) in enumerate(rows, start=1):
        _text_cell(sheet, row_index, 1, label).font = bold
        _text_cell(sheet, row_index, 2, text)
    header_row = len(rows) + 2  # after one empty row
    for index, column in enumerate(frame.columns, start=1):
        _text_cell(sheet, header_row, index, str(column)).font = bold
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    for index, column in enumerate(frame.columns, start=1):
        values = _cells(frame[column])
        number_format = _number_format(str(column), values)
        numeric = sum(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        text_right = numeric > 0 and numeric >= sum(isinstance(v, str) for v in values)
        whole_format = _whole_format(str(column))
        for offset, value in enumerate(values, start=1):
            if isinstance(value, str):
                cell = _text_cell(sheet, header_row + offset, index, value)
            else:
                cell = sheet.cell(header_row + offset, index, value)
            if isinstance(value, dt.datetime):
                cell.number_format = "dd-mm-yyyy hh:mm" if _has_time(values) else "dd-mm-yyyy"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = whole_format
            elif isinstance(value, float):
                cell.number_format = number_format
            elif isinstance(value, str) and text_right:  # "< 5" among numbers: aligned with them
                cell.alignment = Alignment(horizontal="right")
        shown = [str(column), *(_csv_text(v) for v in values)]
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, *(len(s) + 2 for s in shown)))
    label_width = max(len(label) for label, _ in meta.rows()) + 2
    first = sheet.column_dimensions["A"]
    first.width = max(first.width or 0, label_width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def neutral(text: str) -> str:
    """Text as a spreadsheet must show it, never run it: a quote before text that starts like a
    formula ('=HYPERLINK(...)' -> "'=HYPERLINK(...)"); text already starting with quotes before such
    a character gets one more, so that `read_export` can take exactly one off."""
    core = text.lstrip(QUOTE)
    return QUOTE + text if _formula_like(core) else text


def _unquoted(text: str) -> str:
    """The text `neutral` was given."""
    return text[1:] if text.startswith(QUOTE) and _formula_like(text.lstrip(QUOTE)) else text


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) and not SIGNED_NUMBER.fullmatch(text)


def _text_cell(sheet: Any, row: int, column: int, text: str) -> Any:
    """A cell holding text, neutralised, and typed as a string (openpyxl makes a formula of a str
    that starts with '=' unless told otherwise)."""
    cell = sheet.cell(row, column)
    cell.value = neutral(text)
    cell.data_type = "s"
    return cell


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """A named index (e.g. Buurt after a groupby) holds data: export it as columns; a plain row number not."""
    return frame.reset_index() if any(name is not None for name in frame.index.names) else frame


def _cells(column: pd.Series) -> list[object]:
    """A column as plain Python values: int, float, bool, datetime (naive, local time), str or None."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert(LOCAL_TIME).dt.tz_localize(None)
    return [_cell(value) for value in column.astype(object)]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) <= MAX_EXACT_INT:
            return int(value)  # a count held as a float (a sum, a column with gaps) is a whole number: 8, not 8,0
    if isinstance(value, pd.Timestamp):
        local = value.tz_convert(LOCAL_TIME).tz_localize(None) if value.tzinfo is not None else value
        return local.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is None else value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "oneindig" if value > 0 else "-oneindig"
        # Shortest text that reads back as the same float (whole numbers were made ints by `_cell`).
        return np.format_float_positional(value, trim="0").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    return neutral(str(value))


def _has_time(values: list[object]) -> bool:
    return any(isinstance(v, dt.datetime) and v.time() != dt.time() for v in values)


def _whole_format(column: str) -> str:
    """'#,##0' for a whole number (1.234 in Dutch Excel), '0' for years and codes."""
    return "0" if PLAIN_INT_COLUMNS.search(column) else "#,##0"


def _number_format(column: str, values: list[object]) -> str:
    """The format of a column's fractions: '#,##0.0' for one decimal, etc. (whole numbers: `_whole_format`)."""
    floats = [v for v in values if isinstance(v, float) and math.isfinite(v)]
    if not floats:
        return _whole_format(column)
    decimals = max(_decimals(v) for v in floats)
    decimals = max(1, min(MAX_SHOWN_DECIMALS, decimals))  # a float column always shows a decimal
    return "#,##0." + "0" * decimals


def _decimals(value: float) -> int:
    text = np.format_float_positional(value, trim="-")
    return len(text.partition(".")[2])


# --- reading back -------------------------------------------------------------------------------

INT_TEXT = re.compile(r"-?(0|[1-9]\d*)")
FLOAT_TEXT = re.compile(r"-?\d+,\d+(E[-+]?\d+)?|-?\d+(,\d+)?E[-+]?\d+", re.IGNORECASE)
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def read_export(raw: bytes, file_name: str) -> tuple[dict[str, str], pd.DataFrame]:
    """Parse a `table_csv` or `table_xlsx` export back: its metadata (label -> value) and its table,
    with numbers as numbers, dates as datetimes and text cells such as "< 5" kept as text."""
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "csv":
        rows: list[list[object]] = [
            [_parse_csv_cell(cell) for cell in row]
            for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=CSV_SEPARATOR)
        ]
        # Metadata values are text, whatever they look like.
        text_rows = [
            [_unquoted(cell) for cell in row]
            for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=CSV_SEPARATOR)
        ]
    elif suffix in ("xlsx", "xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.active
        rows = [[_xlsx_value(cell) for cell in row] for row in sheet.iter_rows()]
        text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    else:
        raise ValueError(f"unknown export type: {file_name!r} (expected .csv or .xlsx)")
    blank = next((i for i, row in enumerate(rows) if all(v is None or v == "" for v in row)), None)
    if blank is None:
        raise ValueError("no empty row between the metadata and the table")
    meta = {str(row[0]): (row[1] if len(row) > 1 else "") for row in text_rows[:blank]}
    header = [str(v) for v in rows[blank + 1] if v is not None and v != ""]
    body = [list(row[: len(header)]) + [None] * (len(header) - len(row)) for row in rows[blank + 2 :]]
    columns = {name: _column([row[i] for row in body]) for i, name in enumerate(header)}
    return meta, pd.DataFrame(columns, index=pd.RangeIndex(len(body)))


def _xlsx_value(cell: Any) -> object:
    """A cell's value; a whole number in a cell formatted with decimals was written as a float."""
    value = cell.value
    if isinstance(value, str):
        return _unquoted(value)
    if isinstance(value, int) and not isinstance(value, bool) and "." in (cell.number_format or ""):
        return float(value)
    if isinstance(value, float) and value.is_integer() and "." not in (cell.number_format or "."):
        return int(value)  # openpyxl may read a whole number back as a float
    return value


def _parse_csv_cell(text: str) -> object:
    if text == "":
        return None
    if INT_TEXT.fullmatch(text):
        return int(text)
    if FLOAT_TEXT.fullmatch(text):
        return float(text.replace(",", "."))
    if text in ("oneindig", "-oneindig"):
        return math.inf if text == "oneindig" else -math.inf
    if DATE_TEXT.fullmatch(text) or DATETIME_TEXT.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    return _unquoted(text)


def _column(values: list[object]) -> pd.Series:
    """The dtype a reader expects from a column's cells: int64 (Int64 with gaps), float64,
    datetime64, boolean for ja/nee only, str for text; object when numbers and text mix."""
    present = [v for v in values if v is not None]
    kinds = {_kind(v) for v in present}
    if not present:
        return pd.Series(values, dtype=object)
    if kinds == {"int"}:
        return pd.Series(values, dtype="Int64" if len(present) < len(values) else "int64")
    if kinds <= {"int", "float"}:
        return pd.Series([float(v) if isinstance(v, int | float) else math.nan for v in values], dtype="float64")
    if kinds == {"datetime"}:
        return pd.Series(pd.to_datetime(values))
    if kinds == {"bool"}:
        return pd.Series(values, dtype="boolean" if len(present) < len(values) else "bool")
    if kinds == {"str"}:
        if set(present) <= {YES, NO}:
            flags = [None if v is None else v == YES for v in values]
            return pd.Series(flags, dtype="boolean" if len(present) < len(values) else "bool")
        return pd.Series(values, dtype="str")
    return pd.Series(values, dtype=object)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dt.datetime):
        return "datetime"
    return "str"


# --- file names ---------------------------------------------------------------------------------


def file_name(*parts: str, ext: str) -> str:
    """A safe, readable download name: ('kaart', 'GM0505', 'buurt', 2025) -> 'kaart_GM0505_buurt_2025.xlsx'.

    Accents are dropped (é -> e), anything but letters, digits and '-' becomes '_'."""
    words = []
    for part in parts:
        plain = unicodedata.normalize("NFKD", str(part)).encode("ascii", "ignore").decode("ascii")
        word = re.sub(r"[^A-Za-z0-9-]+", "_", plain).strip("_-")
        if word:
            words.append(word)
    stem = "_".join(words)[:120].rstrip("_-") or "export"
    suffix = re.sub(r"[^A-Za-z0-9]", "", ext.lower())
    return f"{stem}.{suffix}" if suffix else stem
