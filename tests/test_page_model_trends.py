"""The Trends page model on the shared test database: the chart's figures and texts, the public
view's restrictions and notes, and the CompStat table per area (also the PDF's city table)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from ivpdata import briefing, disclosure, fetch, queries
from ivpdata.config import load_settings
from ivpdata.page_models import trends as model
from ivpdata.periods import Window
from ivpdata.safetext import markdown_literal

GEMEENTE, WIELWIJK = "GM0505", "WK050507"
ALPHA = float(load_settings()["significance_level"])


@pytest.fixture(scope="module")
def menu(con: duckdb.DuckDBPyConnection) -> model.Menu:
    return model.menu(fetch.on(con), GEMEENTE)


def yearly_sql(con: duckdb.DuckDBPyConnection, target: str, codes: tuple[str, ...]) -> dict[int, int]:
    """Incidents per year of a target, summed independently of the model."""
    counts = queries.target_month_counts(con, GEMEENTE, (target,), codes)
    return {int(y): int(n) for y, n in counts.groupby("year")["incident_count"].sum().items()}


def choice(menu: model.Menu, targets: list[str], options: list[str], **changes: object) -> model.Choice:
    values: dict = dict(frequency="year", measure="count", rolling=False, base_year=None)
    values["window"] = (menu.months[0], menu.months[-1])
    return model.Choice(targets, options, **(values | changes))


@pytest.mark.parametrize("gemeente", ["GM0505", "GM0388"])
def test_each_option_gets_the_rows_its_own_query_gives(con, gemeente):
    """The chart reads the counts of every option in one query and splits them: each option's
    frame is the one a query of its own categories gives (rows, order, index and types)."""
    found = model.menu(fetch.on(con), gemeente)
    options = list(found.options["option_code"])
    targets = (gemeente, *list(found.area_names)[1:4])  # the gemeente, an area group or wijk, ...
    views = model.option_views(found, list(targets), options, None)
    counts = model.month_counts_per_option(fetch.on(con), gemeente, targets, views)
    assert list(counts) == options and any(len(frame) for frame in counts.values())
    for option, (codes, _, _) in views.items():
        own = queries.target_month_counts(con, gemeente, targets, codes)
        pd.testing.assert_frame_equal(counts[option], own, check_exact=True)


def test_a_chart_of_several_categories_leaves_their_names_to_the_legend(con, menu):
    chart = model.trend_chart(fetch.on(con), menu, choice(menu, [GEMEENTE], ["misdrijven", "overlast"]), None)
    assert chart.title == "Geregistreerde incidenten per jaar"
    assert chart.filters == {"Gebieden": "Dordrecht (gemeente)", "Wat": "Alle misdrijven, Overlast"}


def test_the_chart_draws_each_area_per_year_with_its_counts_and_names(con, menu):
    chart = model.trend_chart(fetch.on(con), menu, choice(menu, [GEMEENTE, WIELWIJK], ["misdrijven"]), None)
    codes = tuple(menu.options.set_index("option_code").at["misdrijven", "category_codes"])
    wielwijk = chart.data[chart.data["Reeks"] == "Wielwijk (wijk)"]
    drawn = {pd.Timestamp(p).year: int(n) for p, n in zip(wielwijk["Periode"], wielwijk["Waarde"], strict=True)}
    assert drawn == yearly_sql(con, WIELWIJK, codes)
    assert set(chart.data["Reeks"]) == {"Dordrecht (gemeente)", "Wielwijk (wijk)"}
    assert chart.title == "Alle misdrijven per jaar"  # the one category chosen
    assert chart.filters == {"Gebieden": "Dordrecht (gemeente), Wielwijk (wijk)", "Wat": "Alle misdrijven"}
    assert chart.period == "jan 2017 - dec 2025" and chart.time_format == "%Y"


def test_more_lines_than_colours_draws_the_first_eight_and_names_the_rest(con, menu):
    """Six areas and two categories are twelve lines, and the chart has eight colours that colour
    blindness keeps apart: before, lines shared a colour ("Dordrecht · Alle misdrijven" as blue as
    a buurt's) and the legend squeezed the plot. The chart draws the first eight (in the order
    chosen) and the warning names the four it leaves out, so none goes missing silently."""
    areas = list(menu.area_names)[:6]
    chart = model.trend_chart(fetch.on(con), menu, choice(menu, areas, ["misdrijven", "overlast"]), None)
    drawn = list(dict.fromkeys(chart.data["Reeks"]))
    assert len(drawn) == model.MAX_LINES == 8
    assert chart.warning is not None and "12 lijnen" in chart.warning
    names = [f"{menu.area_names[a]} · {o}" for a in areas for o in ("Alle misdrijven", "Overlast")]
    named = {name for name in names if markdown_literal(name) in chart.warning}  # the warning is Markdown
    assert len(named) == 4 and set(drawn) | named == set(names) and not set(drawn) & named
    assert drawn == names[:8]  # the first eight, in the order chosen (the chart's colours and legend)
    assert set(chart.export["Reeks"]) == set(drawn)
    few = model.trend_chart(fetch.on(con), menu, choice(menu, areas[:2], ["misdrijven"]), None)
    assert few.warning is None


def test_an_index_on_a_base_year_of_zero_says_why_a_line_is_missing(con):
    """Enkhuizen's first buurt had no zedenmisdrijf in 2020: an index on 2020 divides by 0. The
    chart was blank (infinite values) without a word; the line is left out and the warning says why."""
    found = model.menu(fetch.on(con), "GM0388")
    buurt = next(code for code in found.area_names if code.startswith("BU"))
    counts = queries.target_month_counts(con, "GM0388", (buurt,), ("1.4.1",))
    assert counts[counts["year"] == 2020]["incident_count"].sum() == 0  # the case: nothing in the base year
    zero = choice(found, [buurt], ["1.4.1"], frequency="month", base_year=2020)
    chart = model.trend_chart(fetch.on(con), found, zero, None)
    assert chart.warning is not None and "Geen index voor" in chart.warning and "in 2020" in chart.warning
    assert not chart.data["Waarde"].isin([float("inf"), float("-inf")]).any()


def test_an_index_chart_is_100_in_its_base_year_and_says_so(con, menu):
    chart = model.trend_chart(fetch.on(con), menu, choice(menu, [GEMEENTE], ["misdrijven"], base_year=2019), None)
    base = chart.data[pd.to_datetime(chart.data["Periode"]).dt.year == 2019]
    assert base["Waarde"].round(6).tolist() == [100.0]
    assert chart.title.endswith("(index, 2019 = 100)") and chart.y_title == "Index (2019 = 100)"


def test_the_window_limits_the_chart_and_its_period(con, menu):
    window = (dt.date(2024, 1, 1), dt.date(2025, 12, 1))
    view = choice(menu, [GEMEENTE], ["misdrijven"], frequency="month", window=window)
    chart = model.trend_chart(fetch.on(con), menu, view, None)
    assert pd.to_datetime(chart.data["Periode"]).min() == pd.Timestamp(2024, 1, 1)
    assert len(chart.data) == 24 and chart.period == "jan 2024 - dec 2025"


def test_the_public_view_shows_whole_calendar_years_and_says_why():
    assert model.public_frequency(True, "month", True) == ("year", False, model.PUBLIC_YEARS_NOTE)
    assert model.public_frequency(True, "year", False) == ("year", False, "")
    assert model.public_frequency(False, "month", True) == ("month", True, "")
    assert "kalenderjaar" in model.PUBLIC_YEARS_NOTE


def test_a_public_buurt_chart_leaves_sensitive_categories_out_and_keeps_the_release_notes(con, menu):
    rules = disclosure.Rules.from_settings(load_settings())
    buurt = next(code for code, level in menu.levels.items() if level == "buurt")
    asked: list[dict] = []

    def released(data: pd.DataFrame, **where: object) -> tuple[pd.DataFrame, list[str]]:
        asked.append(where)
        return data, ["Openbare release: afgeschermde aantallen ontbreken."]

    public = model.Public(rules, released, lambda table, **_: (table, []))
    shown = model.trend_chart(fetch.on(con), menu, choice(menu, [buurt], ["misdrijven"]), public)
    exact = model.trend_chart(fetch.on(con), menu, choice(menu, [buurt], ["misdrijven"]), None)
    codes = tuple(menu.options.set_index("option_code").at["misdrijven", "category_codes"])
    assert set(asked[0]["codes"]["misdrijven"]) == set(codes) - set(rules.sensitive_categories)
    assert shown.data["Waarde"].sum() <= exact.data["Waarde"].sum()
    assert "Zonder" in shown.caption and "Openbare release: afgeschermde aantallen ontbreken." in shown.caption
    assert "Zonder" not in exact.caption


def test_each_area_gets_its_compstat_table_with_caption_and_provisional_columns(con, menu):
    tables = model.compstat_tables(fetch.on(con), menu, [GEMEENTE, WIELWIJK], 2025, None)
    assert [t.target for t in tables] == [GEMEENTE, WIELWIJK]
    wielwijk = tables[1]
    assert wielwijk.caption.startswith("Wielwijk \\(wijk\\) · peilmaand december 2025")
    assert wielwijk.title == "Vergelijking met een jaar eerder, Wielwijk (wijk)"
    windows = ["Peilmaand", "Laatste 3 maanden", "Jaar tot peilmaand", "Laatste 12 maanden"]
    assert list(wielwijk.matrix.columns) == ["Categorie", *windows]
    assert wielwijk.headers["Jaar tot peilmaand"] == "Jaar t/m peilmaand (voorl.)"  # 2025 is provisional
    assert wielwijk.notes.startswith("Voorlopig: juli 2025 t/m december 2025.")
    year = wielwijk.export[wielwijk.export["Periode"] == "Jaar tot peilmaand"]
    assert int(year["Aantal"].sum()) == yearly_sql(con, WIELWIJK, tuple(year_codes(menu)))[2025]


def year_codes(menu: model.Menu) -> list[str]:
    return list(menu.options.loc[menu.options["option_kind"] == "categorie", "option_code"])


def test_a_definitive_year_has_no_provisional_label(con, menu):
    table = model.compstat_tables(fetch.on(con), menu, [GEMEENTE], 2024, None)[0]
    assert table.notes == "" and table.provisional == "nee"
    assert all("voorlopig" not in header for header in table.headers.values())


def test_the_pdf_city_table_is_the_compstat_table_of_the_page(con, menu):
    """briefing.city_changes computes the same counts and corrected verdicts: it can call compstat_table."""
    codes = tuple(year_codes(menu))
    counts = queries.target_month_counts(con, GEMEENTE, [GEMEENTE], codes)
    period, comparison = (dt.date(2025, 1, 1), dt.date(2025, 12, 1)), (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    table, notes = model.compstat_table(counts, [Window("Periode", period, comparison)], ALPHA, menu.option_names)
    city, _ = briefing.city_changes(counts, menu.options, period, comparison, ALPHA, 10)
    mine = table.set_index("category_name").loc[city["Categorie"]]
    assert mine["current"].tolist() == city["current"].tolist()
    assert mine["earlier"].tolist() == city["earlier"].tolist()
    assert mine["verdict"].astype(str).tolist() == city["verdict"].tolist()
    assert notes == []
