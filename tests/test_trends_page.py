"""Trends and "Wat valt op" through Streamlit's AppTest: widgets that change the chart, the CompStat
table as shown, and the links of "Wat valt op" followed to the page they name."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ivpdata import disclosure, formatting, queries, trends
from ivpdata.config import PROJECT_ROOT, load_settings
from ivpdata.db import summarise_months

TIMEOUT = 60
SETTINGS = load_settings()
MIN_COUNT = int(SETTINGS["notable_min_count"])
NOTE = disclosure.COMPARABLE_TOTALS_NOTE


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """A new session on `page` opened with the URL parameters `params`, as a browser opens a link."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.switch_page(f"dashboard/pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def database(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IVP_DB", str(built_db))
    return built_db


def _changed_db(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *statements: str) -> Path:
    """A copy of the default database with `statements` applied, used by the app."""
    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        for statement in statements:
            con.execute(statement)
        summarise_months(con)  # as every writer of incident_counts does
    monkeypatch.setenv("IVP_DB", str(db))
    return db


def _chart_rows(at: AppTest) -> pd.DataFrame:
    """The trend chart's series (the dataset with a Reeks; others hold lockdowns and measures)."""
    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return next(frame for frame in frames if "Reeks" in frame.columns)


def _notable(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("▲", "▼"))]


def _links(at: AppTest) -> list[tuple[str, dict[str, str]]]:
    """The page links of "Wat valt op": (page, query parameters), Trend and Kaart per change."""
    return [(link.proto.page, dict(parse_qsl(link.proto.query_string))) for link in at.main.get("page_link")]


def _text(markdown: str) -> str:
    """Markdown as a reader sees it (the escapes that keep outside text literal resolved)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


# --- Trends: the chart's widgets ----------------------------------------------------------------


def test_rolling_twelve_months_turns_the_months_into_twelve_month_sums(database):
    at = open_page("trends", {"gebied": "GM0505", "wat": "misdrijven"})
    monthly = _chart_rows(at).set_index("Periode")["Waarde"].sort_index()
    at.toggle(key="trends_12m").set_value(True).run()
    assert not at.exception
    assert at.query_params["12m"] == "ja"
    rolling = _chart_rows(at).set_index("Periode")["Waarde"].sort_index()
    assert len(rolling) == len(monthly) - 11  # the first 11 months have no full year behind them
    assert rolling.iloc[-1] == monthly.iloc[-12:].sum()
    assert rolling.iloc[0] == monthly.iloc[:12].sum()


def test_the_wat_multiselect_draws_one_series_per_choice(database):
    at = open_page("trends", {"gebied": "GM0505", "wat": "misdrijven"})
    assert set(_chart_rows(at)["Reeks"]) == {"Dordrecht (gemeente)"}
    total = _chart_rows(at)["Waarde"].sum()
    at.multiselect(key="trends_wat").set_value(["misdrijven", "1.1.1"]).run()
    assert not at.exception
    rows = _chart_rows(at)
    assert set(rows["Reeks"]) == {
        "Dordrecht (gemeente) · Alle misdrijven",
        "Dordrecht (gemeente) · Diefstal/inbraak woning",
    }
    burglary = rows[rows["Reeks"].str.endswith("woning")]["Waarde"].sum()
    assert 0 < burglary < total
    assert at.query_params["wat"] == "misdrijven,1.1.1"


def test_more_lines_than_colours_says_which_it_leaves_out(database):
    """Three areas and four categories: the chart draws eight lines and a warning above it names
    the other four; the CompStat tables below keep every area."""
    areas, wat = "GM0505,WK050507,WK050501", "misdrijven,overlast,1.1.1,hic"
    at = open_page("trends", {"gebied": areas, "wat": wat})
    assert len(set(_chart_rows(at)["Reeks"])) == 8
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "U koos 12 lijnen" in warnings[0], warnings
    assert len(at.tabs) == 3  # a CompStat table per area
    at.multiselect(key="trends_wat").set_value(["misdrijven", "overlast"]).run()
    assert not at.warning and len(set(_chart_rows(at)["Reeks"])) == 6


def test_the_periode_slider_limits_the_chart_to_its_months(database):
    assert "maanden" not in open_page("trends").query_params  # all months: no parameter
    at = open_page("trends", {"gebied": "GM0505", "maanden": "2023-03..2024-02"})
    assert at.query_params["maanden"] == "2023-03..2024-02"
    periods = pd.to_datetime(_chart_rows(at)["Periode"])
    assert (periods.min(), periods.max()) == (pd.Timestamp("2023-03-01"), pd.Timestamp("2024-02-01"))
    at.radio(key="trends_per").set_value("year").run()
    years = pd.to_datetime(_chart_rows(at)["Periode"]).dt.year
    assert sorted(set(years)) == [2023, 2024]  # the years that overlap the months, whole


# --- Trends: the CompStat table -----------------------------------------------------------------

CELL = re.compile(r"^[\d.]+ \((0; 0%|[+-][\d.]+; ([+-][\d.,]+%|nieuw))\)( [▲▼])?$|^0 \(0\)$")


def test_compstat_shows_absolute_and_percent_change_marks_and_provisional_months(database):
    at = open_page("trends", {"jaar": "2025", "gebied": "GM0505"})
    table = at.dataframe[0]
    matrix = table.value
    cells = matrix.drop(columns="Categorie").to_numpy().ravel()
    assert all(CELL.match(cell) for cell in cells), [c for c in cells if not CELL.match(c)][:5]
    assert any(cell.endswith(")") for cell in cells)  # changes within chance are not marked
    headers = pd.read_json(pd.io.common.StringIO(table.proto.columns), typ="series")
    assert headers["Peilmaand"]["label"] == "Peilmaand (voorl.)"  # December 2025 is provisional
    assert "Voorlopig: juli 2025 t/m december 2025" in _captions(at)


def test_a_chart_choice_leaves_the_compstat_table_as_it_was_sent(database):
    """Changing the chart's categories changes nothing in the CompStat table below it: it is sent
    as it was, byte for byte (its styled cells once carried a new random id each run, so that the
    browser drew the unchanged table anew)."""
    at = open_page("trends", {"jaar": "2025", "gebied": "GM0505", "wat": "misdrijven"})
    before = at.dataframe[0].proto.SerializeToString()
    at.multiselect(key="trends_wat").set_value(["misdrijven", "1.1.1"]).run()
    assert not at.exception
    assert at.dataframe[0].proto.SerializeToString() == before


def test_compstat_marks_the_lockdown_changes_beyond_chance_after_correction(database):
    # The demo series vary by chance only, except around the lockdowns of 2020: those changes
    # survive the correction for the ~140 tests of the table; the others stay unmarked.
    at = open_page("trends", {"jaar": "2020", "gebied": "GM0505"})
    cells = at.dataframe[0].value.drop(columns="Categorie").to_numpy().ravel()
    assert any(cell.endswith(("▲", "▼")) for cell in cells) and any(cell.endswith(")") for cell in cells)
    assert "gecorrigeerd voor de" in _captions(at) and "(Benjamini-Hochberg" in _captions(at)


def test_compstat_of_a_definitive_year_has_no_provisional_label(database):
    at = open_page("trends", {"jaar": "2023", "gebied": "GM0505"})
    assert "voorlopig" not in at.dataframe[0].proto.columns
    assert "Voorlopig:" not in _captions(at)


def test_every_chosen_area_gets_its_compstat_table(database, db):
    at = open_page("trends", {"jaar": "2025", "gebied": "GM0505,WK050507"})
    areas = at.multiselect(key="trends_gebieden")
    names = [areas.format_func(code) for code in ("GM0505", "WK050507")]
    assert [_text(tab.label) for tab in at.tabs] == names  # one tab per chosen area, named
    totals: list[int] = []
    for tab, code in zip(at.tabs, ("GM0505", "WK050507"), strict=True):
        assert len(tab.dataframe) == 1
        assert any(_text(c.value).startswith(names[len(totals)]) for c in tab.caption)  # its caption names the area
        counts = queries.target_month_counts(db, "GM0505", [code], list(trends_codes(db)))
        december = counts[(counts["year"] == 2025) & (counts["month"] == 12)]["incident_count"].sum()
        shown = tab.dataframe[0].value["Peilmaand"].map(lambda cell: int(cell.split(" ")[0].replace(".", "")))
        assert shown.sum() == december, code
        totals.append(december)
    assert totals[1] < totals[0]  # the wijk's own table, not the gemeente's again
    assert "Benjamini-Hochberg" in _captions(at)


def test_the_public_view_gives_each_area_its_release_table_testing_only_shown_cells(database):
    at = open_page("trends", {"jaar": "2024", "gebied": "GM0505,WK050507", "openbaar": "ja"})
    assert len(at.tabs) == 2
    hidden = 0
    for tab in at.tabs:
        cells = tab.dataframe[0].value["Kalenderjaar 2024"]
        shown = [cell for cell in cells if not cell.endswith(("x)", "< 5", "x")) and cell != "0 (0)"]
        hidden += len(cells) - len(shown)
        caption = next(_text(c.value) for c in tab.caption if "Benjamini-Hochberg" in c.value)
        assert f"gecorrigeerd voor de {len(shown)} toetsen" in caption  # hidden cells are not tested
    assert hidden  # the wijk's table hides some


def test_the_public_trend_of_all_crimes_is_the_public_overzichts_figure(database):
    """Enkhuizen's zedenmisdrijven were too few in 2025 to show. The public Overzicht's total of all
    crimes leaves them out (736), but the public Trends drew the exact total (740): two public
    figures whose difference was the hidden count. The public line is the release's figure, each
    year counting the same categories, so its last two years are the Overzicht card's two years."""
    trend = open_page("trends", {"gemeente": "GM0388", "gebied": "GM0388", "wat": "misdrijven", "openbaar": "ja"})
    rows = _chart_rows(trend).assign(year=lambda f: pd.to_datetime(f["Periode"]).dt.year).set_index("year")
    overzicht = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    overzicht.query_params.update({"gemeente": "GM0388", "jaar": "2025", "openbaar": "ja"})
    overzicht.run()
    card = next(m for m in overzicht.metric if m.label == "Geregistreerde misdrijven")
    assert any(NOTE in c.value for c in overzicht.caption), "the Overzicht does not say what its totals leave out"
    assert any(NOTE in c.value for c in trend.caption), "no note on the categories left out"
    now = formatting.number(rows.at[2025, "Waarde"])
    before = formatting.number(rows.at[2024, "Waarde"])
    assert card.value == now, (card.value, now)
    assert f"{formatting.number(rows.at[2025, 'Waarde'] - rows.at[2024, 'Waarde'])}" in card.delta.replace("+", ""), (
        card.delta,
        before,
    )


def test_the_public_view_shows_the_yearly_frequency_it_draws(database):
    """A link asking for months in the public view: the chart is per calendar year, and the "Per"
    control says "Jaar" (fixed, with the reason as help), not "Maand"; no 12-month toggle."""
    at = open_page("trends", {"per": "month", "12m": "ja", "openbaar": "ja"})
    per = next(radio for radio in at.radio if radio.label == "Per")
    assert (per.value, per.options, per.disabled) == ("year", ["Jaar"], True)
    assert "kalenderjaar" in per.help
    assert not [t for t in at.toggle if t.label == "Voortschrijdend 12 maanden"]
    assert "12m" not in at.query_params  # nor does the address (or a shared link) keep it
    assert not at.exception


def trends_codes(db) -> list[str]:
    options = queries.category_options(db, "GM0505")
    return options.loc[options["option_kind"] == "categorie", "option_code"]


# --- Overzicht: "Wat valt op" -------------------------------------------------------------------


def test_the_caption_counts_the_pairs_tested_and_those_too_small(database, db):
    at = open_page("overzicht", {"jaar": "2025"})
    period, comparison = trends.last_twelve_months(dt.date(2025, 12, 1))
    changes = queries.buurt_category_changes(db, "GM0505", "buurt", period, comparison)
    tested = int((changes[["incident_count", "comparison_count"]].max(axis=1) >= MIN_COUNT).sum())
    assert 0 < tested < len(changes)
    captions = _captions(at)
    assert f"{formatting.number(tested)} combinaties tegelijk zijn getoetst" in captions
    assert f"{formatting.number(len(changes) - tested)} combinaties met minder dan {MIN_COUNT} incidenten" in captions


def test_the_first_year_has_nothing_to_compare_with(database):
    at = open_page("overzicht", {"jaar": "2017"})
    assert not _notable(at)
    assert any("Geen vergelijking mogelijk" in i.value for i in at.info)


HALF_YEAR = "DELETE FROM incident_counts WHERE year = 2025 AND month > 6"  # data up to June 2025


def _found(pattern: str, line: str) -> re.Match[str]:
    match = re.search(pattern, line)
    assert match, (pattern, line)
    return match


def test_the_map_link_shows_the_same_change_as_wat_valt_op(built_db, tmp_path, monkeypatch):
    """With data up to June 2025 the change is July 2024 - June 2025 against the 12 months before:
    the Kaart opened from the link shows that change, not the calendar year's."""
    _changed_db(built_db, tmp_path, monkeypatch, HALF_YEAR)
    overzicht = open_page("overzicht", {"jaar": "2025"})
    line = _notable(overzicht)[0]
    change = _found(r"\(([+-][\d.,]+%)\)$", line)[1]
    page, params = next((page, params) for page, params in _links(overzicht) if page == "kaart")
    assert (params["gemeente"], params["jaar"]) == ("GM0505", "2025")
    assert (params["periode"], params["vergelijking"]) == ("2024-07..2025-06", "2023-07..2024-06")
    kaart = open_page(page, params)
    assert kaart.select_slider(key="kaart_periode_2025").value == (dt.date(2024, 7, 1), dt.date(2025, 6, 1))
    name = _found(r"\*\*(.+?)\*\*", line)[1]
    assert kaart.subheader[0].value == name  # the buurt is selected
    panel = [m.value for m in kaart.markdown if "**Verandering" in m.value]  # the side panel's figure
    assert panel and re.search(rf"^\*\*Verandering[^*]*:\*\* {re.escape(change)}\s*$", panel[0], re.M), (panel, change)


def test_the_trend_link_shows_the_buurt_going_from_before_to_now(database):
    overzicht = open_page("overzicht", {"jaar": "2025"})
    line = _notable(overzicht)[0]
    before, now = (int(n.replace(".", "")) for n in _found(r": ([\d.]+) → ([\d.]+)", line).groups())
    page, params = next((page, params) for page, params in _links(overzicht) if page == "trends")
    assert (params["gemeente"], params["jaar"]) == ("GM0505", "2025")
    at = open_page(page, params)
    assert at.multiselect(key="trends_gebieden").value == [params["gebied"]]  # the buurt alone
    assert at.toggle(key="trends_12m").value
    assert at.selectbox(key="trends_index").index == 0  # 'geen' shown, not an empty placeholder
    assert at.select_slider(key="trends_periode").value == (dt.date(2024, 1, 1), dt.date(2025, 12, 1))
    rows = _chart_rows(at)
    assert rows["Reeks"].nunique() == 1
    values = rows.assign(Periode=pd.to_datetime(rows["Periode"])).set_index("Periode")["Waarde"]
    assert values[pd.Timestamp("2024-12-01")] == before  # the 12 months up to December 2024
    assert values[pd.Timestamp("2025-12-01")] == now
    assert values.index.min() == pd.Timestamp("2024-01-01")


def test_links_keep_another_gemeente_and_year(database):
    overzicht = open_page("overzicht", {"gemeente": "GM0388", "jaar": "2022"})
    links = _links(overzicht)
    assert links and all((p["gemeente"], p["jaar"]) == ("GM0388", "2022") for _, p in links)
    kaart = open_page("kaart", next(p for page, p in links if page == "kaart"))
    assert kaart.title[0].value == "Kaart Enkhuizen"
    assert kaart.selectbox(key="jaar").value == 2022


def test_public_wat_valt_op_hides_small_counts(database):
    """Enkhuizen 2022: one buurt's jeugdoverlast fell from 20 to 4; in public '< 5', no percentage."""
    exact = _notable(open_page("overzicht", {"gemeente": "GM0388", "jaar": "2022"}))
    assert any(re.search(r": \d+ → [1-4] \(", line) for line in exact)  # the case: a count under 5
    at = open_page("overzicht", {"gemeente": "GM0388", "jaar": "2022", "openbaar": "ja"})
    public = _notable(at)
    # In public a hidden figure is never listed: no count under 5 and no '< 5' or 'x' in a change.
    assert not any(re.search(r"→ [1-4]( |$)|^[^:]+: [1-4] →", line) for line in public)
    assert not any("< 5" in line or " x" in line for line in public)
    assert all(p.get("openbaar") == "ja" for _, p in _links(at))  # a link keeps the public view


SENSITIVE_RISE = (
    "UPDATE incident_counts SET incident_count = 30 "
    "WHERE area_code = 'BU05050101' AND category_code = '1.4.1' AND year = 2025"
)


def test_public_wat_valt_op_leaves_sensitive_categories_out_per_buurt(built_db, tmp_path, monkeypatch):
    _changed_db(built_db, tmp_path, monkeypatch, SENSITIVE_RISE)
    exact = _notable(open_page("overzicht", {"jaar": "2025"}))
    assert any("Zedenmisdrijf" in line for line in exact)  # the analyst sees it
    at = open_page("overzicht", {"jaar": "2025", "openbaar": "ja"})
    public = _notable(at)
    # Zedenmisdrijf is public per wijk only: never listed, or linked, for a buurt.
    zeden_links = [params for _, params in _links(at) if params.get("wat") == "1.4.1"]
    assert any("Zedenmisdrijf" in line for line in public) == bool(zeden_links)
    for params in zeden_links:
        assert params.get("gebied", "").startswith("WK") or params.get("niveau") == "wijk", params


def test_months_no_file_covered_are_named_and_never_drawn_as_zero(built_db, tmp_path, monkeypatch):
    """After partial imports in a gemeente without demo data, months without any row are missing:
    the chart has no value there (not 0) and the caption names them."""
    _changed_db(
        built_db,
        tmp_path,
        monkeypatch,
        "DELETE FROM incident_counts WHERE gemeente_code = 'GM0505' AND year = 2024 AND month BETWEEN 4 AND 6",
    )
    at = open_page("trends", {"gemeente": "GM0505", "jaar": "2025"})
    rows = _chart_rows(at)
    gap = rows[(rows["Periode"] >= "2024-04-01") & (rows["Periode"] <= "2024-06-01")]
    assert gap.empty or gap["Waarde"].isna().all()  # no 0 drawn for months without figures
    assert (rows["Waarde"] > 0).all()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Geen cijfers voor Dordrecht (gemeente): apr 2024 - jun 2024" in captions
