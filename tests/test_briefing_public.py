"""The public Driehoeksrapportage reads the public release (issue 14): a whole calendar year only,
every figure the release's (so two PDFs for different months cannot be subtracted), per buurt
only the public totals, and no hotspot map."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from ivpdata import briefing, disclosure, formatting, overview, periods, queries, significance, trends
from ivpdata.briefing_pdf import SECTIONS
from ivpdata.config import load_settings
from tests.support import briefings

DORDRECHT, ENKHUIZEN = "GM0505", "GM0388"
SETTINGS = load_settings()
RULES = disclosure.Rules.from_settings(SETTINGS)


_texts = briefings.texts
pytestmark = pytest.mark.xdist_group(briefings.GROUP)  # shares its reports with test_briefing.py


def _year(con: duckdb.DuckDBPyConnection, gemeente: str) -> int:
    return overview.default_year(queries.available_years(con, gemeente))


def _options(con: duckdb.DuckDBPyConnection, gemeente: str) -> dict[str, tuple[str, ...]]:
    options = queries.category_options(con, gemeente)
    return {row.option_code: tuple(row.category_codes) for row in options.itertuples()}


def _releases(con: duckdb.DuckDBPyConnection, gemeente: str) -> dict[int, disclosure.Release]:
    """The releases as the app's pages make them (dashboard.show.releases), built here on their own."""
    options = _options(con, gemeente)
    codes = sorted({code for found in options.values() for code in found})
    buurten = queries.buurten(con, gemeente)
    yearly = queries.buurt_year_counts(con, gemeente, list(buurten["area_code"]), codes)
    return disclosure.make_releases(yearly, buurten, options, RULES)


@pytest.mark.parametrize("gemeente", [DORDRECHT, ENKHUIZEN])
def test_the_pdf_and_the_pages_share_one_release(con, gemeente):
    """The PDF's public figures come from the very release the pages show (made once per content):
    not a second one made from other inputs."""
    found = briefing.public_releases(con, gemeente, queries.category_options(con, gemeente), RULES)
    pages = _releases(con, gemeente)
    assert found and set(found) == set(pages)
    assert all(found[year] is pages[year] for year in found)


def _shown(count: float, reason: str) -> str:
    if reason == disclosure.SHOWN:
        return formatting.number(count)
    return RULES.small_label if reason == disclosure.SMALL else disclosure.HIDDEN_MARK


@pytest.fixture(scope="module")
def reports(con) -> dict[str, tuple[briefing.Briefing, list[str]]]:
    """Dordrecht's public PDF for February to December and for the whole calendar year."""
    year = _year(con, DORDRECHT)
    found = {}
    for name, start in (("feb", dt.date(year, 2, 1)), ("jan", dt.date(year, 1, 1))):
        report, _, texts = briefings.made(con, DORDRECHT, start, dt.date(year, 12, 1), public=True)
        found[name] = (report, texts)
    return found


def test_any_months_give_the_calendar_years_figures(con, reports):
    """2025-02..2025-12 gives exactly the PDF of 2025-01..2025-12 (so nothing follows from their
    difference), says on page 1 that it shows calendar year 2025, and why."""
    year = _year(con, DORDRECHT)
    (feb, feb_texts), (jan, jan_texts) = reports["feb"], reports["jan"]
    assert feb.period == jan.period == periods.calendar_year(year)
    assert feb.comparison == jan.comparison == periods.calendar_year(year - 1)
    assert f"kalenderjaar {year}" in feb_texts[0] and f"kalenderjaar {year}" in jan_texts[0]
    assert "in plaats van februari t/m december" in feb_texts[0]
    assert "in plaats van" not in jan_texts[0]
    assert feb_texts[1:] == jan_texts[1:]
    note = feb.public_note
    assert (
        feb_texts[0].replace(" ".join(note.split()), "").split()
        == jan_texts[0].replace(" ".join(jan.public_note.split()), "").split()
    )
    assert [f.value for f in feb.key_figures] == [f.value for f in jan.key_figures]


def test_an_unfinished_year_gives_the_last_complete_one(con):
    """Months of a year without all its months: the last complete calendar year before it."""
    years = queries.available_years(con, DORDRECHT)
    complete = sorted(int(y) for y in years.loc[years["months"] == 12, "year"])
    last = int(years["year"].max())
    report, _, texts = briefings.made(con, DORDRECHT, dt.date(last, 1, 1), dt.date(last, 3, 1), public=True)
    shown = max(y for y in complete if y <= last)
    assert report.period == periods.calendar_year(shown)
    assert f"kalenderjaar {shown}" in texts[0]


def test_no_hotspot_map_in_the_public_pdf(reports):
    report, texts = reports["jan"]
    text = " ".join(texts)
    assert f"{SECTIONS[2]} per" not in text
    assert "Geen hotspotkaart in de openbare versie" in text
    assert report.hotspots.level == "buurt" and "Alle misdrijven" in report.hotspots.title


def test_the_public_map_legend_says_why_its_areas_are_grey(reports):
    """Its grey areas are hidden by the public view's rules, as the Kaart's legend says (and its
    notes); not only 'too few for a stable figure', the internal reason."""
    report, _ = reports["jan"]
    grey = [entry.label for entry in report.hotspots.legend if entry.hatched]
    assert grey and "afgeschermd in de openbare weergave" in grey[0], grey


def test_the_public_summary_does_not_promise_changes_per_buurt_and_category(reports):
    """Public changes are per wijk or a buurt's public total, so 'In het kort' says that."""
    first_page = " ".join(reports["jan"][1][0].split())
    assert "per wijk of buurt" in first_page and "per buurt en categorie" not in first_page


@pytest.mark.parametrize(("gemeente", "first", "last"), [(DORDRECHT, 2, 12), (ENKHUIZEN, 1, 10)])
def test_every_public_figure_is_the_releases(con, gemeente, first, last):
    """Key figures, the categories of the gemeente, the top buurten (and every buurt on the map)
    and 'Wat valt op' of a public PDF for some months are the release's figures, hidden ones '< 5'
    or 'x' (the months other tests of the public PDF read)."""
    year = _year(con, gemeente)
    releases = _releases(con, gemeente)
    now, before = releases[year], releases[year - 1]
    options = _options(con, gemeente)
    report, _, texts = briefings.made(con, gemeente, dt.date(year, first, 1), dt.date(year, last, 1), public=True)
    for figure in report.key_figures:
        # a total counts the categories both years show (a sensitive one hidden in either is left out of both)
        codes = disclosure.comparable_codes(options[overview.FIGURE_OPTIONS[figure.figure]], [now, before], RULES)
        expected = _shown(*disclosure.public_figure(now, "gemeente", (gemeente,), codes, RULES))
        earlier = _shown(*disclosure.public_figure(before, "gemeente", (gemeente,), codes, RULES))
        assert (figure.value, figure.previous) == (expected, earlier), figure.label
        assert expected in texts[0] and f"Een jaar eerder: {earlier}" in texts[0]
    names = queries.category_options(con, gemeente).set_index("option_name")["option_code"]
    for row in report.city_changes.itertuples():
        code = (names[row.Categorie],)
        assert row.Nu == _shown(*disclosure.public_figure(now, "gemeente", (gemeente,), code, RULES))
        assert row.Eerder == _shown(*disclosure.public_figure(before, "gemeente", (gemeente,), code, RULES))
    buurt = now.buurt[now.buurt["option"] == "misdrijven"].set_index("area_code")
    top = report.hotspots.top_counts
    assert not top.empty
    for row in top.itertuples():
        assert buurt.loc[row.area_code, "reason"] == disclosure.SHOWN
        assert row.incident_count == buurt.loc[row.area_code, "incident_count"]
    assert all(
        f"{name} {formatting.number(n)}" in texts[2]
        for name, n in zip(top["area_name"], top["incident_count"], strict=True)
    )
    pairs = trends.released_comparison(now, before).pairs
    listed = pairs.set_index(["area_code", "category_code"])
    for change in report.notable:
        row = listed.loc[(change.area_code, change.category_code)]
        assert (change.current, change.previous) == (row["incident_count"], row["comparison_count"])


def test_the_public_rapportage_page_offers_only_calendar_years(built_db, monkeypatch):
    """In the public view the page offers whole calendar years (no slider of months), even when a
    link asks for a few months, and says why."""
    from streamlit.testing.v1 import AppTest

    from ivpdata.config import PROJECT_ROOT

    monkeypatch.setenv("IVP_DB", str(built_db))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    app.query_params.update({"openbaar": "ja", "gemeente": DORDRECHT, "periode": "2025-02..2025-12"})
    at = app.run()
    at.switch_page("dashboard/pages/rapportage.py").run()
    assert not at.exception
    assert not at.select_slider
    choice = at.selectbox(key="rapportage_jaar_openbaar")
    with duckdb.connect(str(built_db), read_only=True) as connection:
        years = queries.available_years(connection, DORDRECHT)
    assert choice.options == [str(y) for y in sorted(years.loc[years["months"] == 12, "year"], reverse=True)]
    assert any("hele kalenderjaar" in c.value for c in at.caption)


def test_public_verdicts_are_corrected_and_test_only_shown_pairs():
    """As the CompStat on Trends: 0 → 6 among 40 unchanged categories is not marked by chance alone,
    20 → 60 is, and a hidden pair is not tested at all."""
    rows = [{"current": 10.0, "earlier": 10.0} for _ in range(40)]
    rows += [{"current": 6.0, "earlier": 0.0}, {"current": 60.0, "earlier": 20.0}, {"current": 3.0, "earlier": 9.0}]
    reasons = [{"current": "", "earlier": ""} for _ in range(42)] + [{"current": "klein", "earlier": ""}]
    table = briefing._corrected_verdicts(pd.DataFrame(rows), pd.DataFrame(reasons), 0.05)
    assert significance.p_value(6, 0) < 0.05  # marked without the correction
    assert list(table["verdict"].iloc[40:]) == [significance.NEUTRAL, significance.RISE, significance.NEUTRAL]


def test_releases_are_made_once_per_content_and_anew_for_other_content(con):
    """The releases are kept by what they are made of: asked again with equal frames they are the
    same releases (no second solve); one changed count gives releases of the changed count."""
    options = _options(con, DORDRECHT)
    codes = sorted({code for found in options.values() for code in found})
    year = _year(con, DORDRECHT)
    buurten = queries.buurten(con, DORDRECHT)
    yearly = queries.buurt_year_counts(con, DORDRECHT, list(buurten["area_code"]), codes)
    first = disclosure.make_releases(yearly, buurten, options, RULES)
    again = disclosure.make_releases(yearly.copy(), buurten.copy(), dict(options), RULES)
    assert all(again[y] is first[y] for y in first)

    row = yearly.index[(yearly["year"] == year) & (yearly["category_code"] == codes[0])][0]
    changed = yearly.copy()
    changed.loc[row, "incident_count"] += 100
    other = disclosure.make_releases(changed, buurten, options, RULES)[year]
    wijk = buurten.set_index("area_code").loc[yearly.loc[row, "target_code"], "parent_code"]
    cell = (other.wijk["wijk_code"] == wijk) & (other.wijk["category_code"] == codes[0])
    before = (first[year].wijk["wijk_code"] == wijk) & (first[year].wijk["category_code"] == codes[0])
    assert (
        float(other.wijk.loc[cell, "incident_count"].iloc[0])
        == float(first[year].wijk.loc[before, "incident_count"].iloc[0]) + 100
    )
    assert disclosure.make_releases(yearly, buurten, options, disclosure.Rules(threshold=10))[year] is not first[year]


@pytest.mark.parametrize("gemeente", [DORDRECHT, ENKHUIZEN])
def test_the_releases_yearly_input_is_the_monthly_counts_summed(con, gemeente):
    """queries.buurt_year_counts (summed in the database) gives per buurt, year and category what
    target_month_counts' monthly rows add up to: counts, real and demo rows, months with a row, and
    the months of the year with any row (a year is complete at 12)."""
    options = _options(con, gemeente)
    codes = sorted({code for found in options.values() for code in found})
    buurten = queries.area_counts(con, gemeente, "buurt", codes, periods.calendar_year(_year(con, gemeente)), None)
    monthly = queries.target_month_counts(con, gemeente, list(buurten["area_code"]), codes)
    expected = monthly.groupby(["target_code", "year", "category_code"], as_index=False).agg(
        incident_count=("incident_count", "sum"),
        real_rows=("real_rows", "sum"),
        demo_rows=("demo_rows", "sum"),
        months=("month", "nunique"),
    )
    year_months = monthly.groupby("year")["month"].nunique()
    expected["year_months"] = expected["year"].map(year_months)
    yearly = queries.buurt_year_counts(con, gemeente, list(buurten["area_code"]), codes)
    yearly = yearly.sort_values(["target_code", "year", "category_code"])  # the query sets no order
    assert len(yearly) > 100
    columns = list(expected.columns)
    numbers = {column: "int64" for column in columns if column not in ("target_code", "category_code")}
    pd.testing.assert_frame_equal(
        yearly[columns].astype(numbers).reset_index(drop=True),
        expected[columns].astype(numbers).reset_index(drop=True),
        check_dtype=False,
    )
