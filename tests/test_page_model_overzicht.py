"""The Overzicht's page model (ivpdata/page_models/overzicht.py): what the page shows, and that the
Driehoeksrapportage shows the same key figures and "Wat valt op" because it calls the same model."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ivpdata import briefing, disclosure, fetch, formatting, overview, periods, provenance, queries, trends
from ivpdata.config import load_settings
from ivpdata.page_models import overzicht
from tests.support.realdata import real_dordrecht

DORDRECHT, ENKHUIZEN = "GM0505", "GM0388"
SETTINGS = load_settings()
RULES = disclosure.Rules.from_settings(SETTINGS)


def _year(con: duckdb.DuckDBPyConnection, gemeente: str) -> int:
    return overview.default_year(queries.available_years(con, gemeente))


def _public(con: duckdb.DuckDBPyConnection, gemeente: str) -> overzicht.Public:
    options = queries.category_options(con, gemeente)
    return overzicht.Public(briefing.public_releases(con, gemeente, options, RULES), RULES)


def _shown(count: float, reason: str) -> str:
    if reason == disclosure.SHOWN:
        return formatting.number(count)
    return RULES.small_label if reason == disclosure.SMALL else disclosure.HIDDEN_MARK


def test_key_figures_are_the_years_counts(con):
    year = _year(con, DORDRECHT)
    options = queries.category_options(con, DORDRECHT)
    key = overzicht.key_figures(fetch.on(con), DORDRECHT, year, options)
    counts = queries.key_figures(con, DORDRECHT, year).set_index("figure")
    assert [card.label for card in key.cards] == [
        "Geregistreerde misdrijven",
        "High impact crime",
        "Overlastregistraties",
    ]
    for card in key.cards:
        assert card.value == formatting.number(counts.loc[card.figure, "incident_count"])
        assert card.delta and card.delta.endswith(f"t.o.v. {year - 1}")
    assert key.origin == "demo" and key.notes == []


def test_public_key_figures_are_the_releases(con):
    year = _year(con, ENKHUIZEN)
    public = _public(con, ENKHUIZEN)
    options = queries.category_options(con, ENKHUIZEN)
    codes = options.set_index("option_code")["category_codes"]
    key = overzicht.key_figures(fetch.on(con), ENKHUIZEN, year, options, public)
    for card in key.cards:
        option = overview.FIGURE_OPTIONS[card.figure]
        found = disclosure.public_figure(public.releases[year], "gemeente", (ENKHUIZEN,), codes[option], RULES)
        assert card.value == _shown(*found), card.label


def test_a_public_total_counts_the_same_categories_in_both_years(con):
    """Enkhuizen's zedenmisdrijven were too few in 2025 to show, so the public total of all crimes
    leaves them out; the 2024 total kept its own, and the card compared 736 with 748 (-12, -1,6%)
    where the same categories give 736 against 740. Both years now count the categories both
    years show, and a note says a category is left out."""
    year = _year(con, ENKHUIZEN)
    public = _public(con, ENKHUIZEN)
    options = queries.category_options(con, ENKHUIZEN)
    codes = options.set_index("option_code")["category_codes"]
    releases = {"incident_count": public.releases[year], "previous_count": public.releases[year - 1]}
    everything = list(codes["misdrijven"])
    kept = disclosure.comparable_codes(everything, list(releases.values()), RULES)
    assert set(everything) - set(kept) <= RULES.sensitive_categories and set(everything) - set(kept)  # the case
    key = overzicht.key_figures(fetch.on(con), ENKHUIZEN, year, options, public)
    figures = key.figures.set_index("figure")
    for column, release in releases.items():
        count, reason = disclosure.public_figure(release, "gemeente", (ENKHUIZEN,), kept, RULES)
        assert reason == disclosure.SHOWN and figures.at["totaal", column] == count, column
    assert disclosure.COMPARABLE_TOTALS_NOTE in key.notes, key.notes


def test_wat_valt_op_compares_the_last_twelve_months(con):
    year = _year(con, DORDRECHT)
    years = queries.available_years(con, DORDRECHT)
    options = queries.category_options(con, DORDRECHT)
    notable = overzicht.wat_valt_op(fetch.on(con), DORDRECHT, year, years, options, SETTINGS)
    period, comparison = trends.last_twelve_months(trends.reference_month(years, year))
    assert (notable.period, notable.comparison) == (period, comparison)
    pairs = queries.buurt_category_changes(con, DORDRECHT, "buurt", period, comparison)
    rows = trends.notable_changes(
        pairs,
        float(SETTINGS["significance_level"]),
        int(SETTINGS["notable_min_count"]),
        int(SETTINGS["notable_changes"]),
    )
    assert notable.changes, "the demo data should hold a notable change"
    assert [c.markdown for c in notable.changes] == [trends.notable_text(row) for _, row in rows.iterrows()]
    tested = int(trends.testable(pairs, int(SETTINGS["notable_min_count"])).sum())
    assert f"omdat {formatting.number(tested)} combinaties" in notable.caption
    assert "(deels voorlopige cijfers)" in notable.caption  # the default year is provisional
    assert notable.none_text == "Geen verandering per buurt en categorie die buiten het toeval valt."


def test_the_first_year_has_nothing_to_compare_with(con):
    years = queries.available_years(con, DORDRECHT)
    first = int(years["year"].min())
    options = queries.category_options(con, DORDRECHT)
    notable = overzicht.wat_valt_op(fetch.on(con), DORDRECHT, first, years, options, SETTINGS)
    assert notable.comparison is None and notable.changes == []
    assert notable.caption == "Geen vergelijking mogelijk: er zijn geen gegevens van een jaar eerder."


def test_the_pdf_says_what_the_overzicht_says(con):
    """The Driehoeksrapportage of the Overzicht's year lists the same changes with the same caption
    (it said nothing of provisional figures where the page did)."""
    year = _year(con, DORDRECHT)
    years = queries.available_years(con, DORDRECHT)
    options = queries.category_options(con, DORDRECHT)
    page = overzicht.wat_valt_op(fetch.on(con), DORDRECHT, year, years, options, SETTINGS)
    key = overzicht.key_figures(fetch.on(con), DORDRECHT, year, options)
    report = briefing.gather(con, DORDRECHT, *periods.calendar_year(year), SETTINGS)
    assert [c.text for c in report.notable] == [c.text for c in page.changes]
    assert report.notable_caption == page.caption
    assert [f.value for f in report.key_figures] == [card.value for card in key.cards]


def test_the_public_pdf_says_what_the_public_overzicht_says(con):
    year = _year(con, ENKHUIZEN)
    years = queries.available_years(con, ENKHUIZEN)
    options = queries.category_options(con, ENKHUIZEN)
    public = _public(con, ENKHUIZEN)
    page = overzicht.wat_valt_op(fetch.on(con), ENKHUIZEN, year, years, options, SETTINGS, public)
    assert page.period == periods.calendar_year(year) and page.comparison == periods.calendar_year(year - 1)
    assert page.caption.startswith(trends.RELEASED_SUBJECT.rstrip(","))
    assert disclosure.buurt_option_note(RULES) in page.notes
    report = briefing.gather(con, ENKHUIZEN, *periods.calendar_year(year), SETTINGS, public=True)
    assert [(c.level, c.area_code, c.category_code, c.text) for c in report.notable] == [
        (c.level, c.area_code, c.category_code, c.text) for c in page.changes
    ]
    assert report.notable_caption == page.caption
    assert report.notable_notes[: len(page.notes)] == page.notes
    key = overzicht.key_figures(fetch.on(con), ENKHUIZEN, year, options, public)
    assert [f.value for f in report.key_figures] == [card.value for card in key.cards]
    assert report.key_notes == key.notes


def test_names_from_data_are_shown_as_typed():
    change = overzicht.NotableChange("BU1", "Wijk *7*", "1.1.1", "Inbraak [x]", 10, 30, 20, "+200%", True, "10 → 30")
    assert change.text == "▲ Wijk *7*, Inbraak [x]: 10 → 30"
    assert change.markdown.startswith("▲ **Wijk \\*7\\***, Inbraak \\[x\\]: ")


def test_wijk_table_highest_rate_first_and_public_labels(con):
    year = _year(con, ENKHUIZEN)
    options = queries.category_options(con, ENKHUIZEN)
    internal = overzicht.wijk_table(fetch.on(con), ENKHUIZEN, year, options, SETTINGS)
    wijken = queries.wijk_summary(con, ENKHUIZEN, year)
    minimum = int(SETTINGS["min_inhabitants_for_rate"]["wijk"])
    large = wijken[wijken["inhabitants"].fillna(0) >= minimum]
    top = large.loc[large["crime_per_1000"].idxmax()]
    assert internal.table["Wijk"].iloc[0] == top["wijk_name"]
    assert internal.notes.startswith(overview.few_inhabitants_note(minimum))
    assert internal.about == "Geregistreerde misdrijven en overlast per wijk; demodata."
    public = _public(con, ENKHUIZEN)
    shown = overzicht.wijk_table(fetch.on(con), ENKHUIZEN, year, options, SETTINGS, public)
    codes = options.set_index("option_code")["category_codes"]
    names = dict(zip(wijken["wijk_name"], wijken["area_code"], strict=True))
    for row in shown.table.itertuples():
        found = disclosure.public_figure(public.releases[year], "wijk", (names[row.Wijk],), codes["misdrijven"], RULES)
        assert row.Misdrijven == _shown(*found), row.Wijk
    assert len(shown.notes) > len(internal.notes)


def test_a_wijk_with_few_inhabitants_has_no_rate_as_on_the_kaart(con):
    """The Kaart leaves a rate out where too few people live ('–', with the reason): the Overzicht's
    wijk table does the same, marked and explained, and does not show the figure the Kaart hides."""
    year = _year(con, DORDRECHT)
    options = queries.category_options(con, DORDRECHT)
    shown = overzicht.wijk_table(fetch.on(con), DORDRECHT, year, options, SETTINGS)
    wijken = queries.wijk_summary(con, DORDRECHT, year).set_index("wijk_name")
    minimum = int(SETTINGS["min_inhabitants_for_rate"]["wijk"])
    few = wijken.index[wijken["inhabitants"].fillna(0) < minimum]
    assert len(few) > 0  # Dordrecht has business parks and open land among its wijken
    rates = shown.table.set_index("Wijk")["Per 1.000 inwoners"]
    assert set(rates[few]) == {formatting.MISSING + overview.FEW_INHABITANTS_MARK}
    assert not any(rate.endswith(overview.FEW_INHABITANTS_MARK) for rate in rates.drop(few))
    assert "geen cijfer per 1.000 inwoners" in shown.notes and "zo ook op de Kaart" in shown.notes


@pytest.mark.parametrize(("real_population", "expected"), [(False, provenance.MIXED), (True, provenance.REAL)])
def test_the_wijk_tables_provenance_counts_its_inhabitants_too(built_db, tmp_path, real_population, expected):
    """Every count of Dordrecht real (as after importing police files): the wijk table shows the
    inhabitants and the rate per 1,000 beside them, so with demo inhabitants it is partly demo (as
    the Kaart keeps its badge for a rate on demo inhabitants), and real only with real inhabitants."""
    db = real_dordrecht(built_db, tmp_path, population=real_population)
    with duckdb.connect(str(db), read_only=True) as reader:
        year = _year(reader, DORDRECHT)
        options = queries.category_options(reader, DORDRECHT)
        shown = overzicht.wijk_table(fetch.on(reader), DORDRECHT, year, options, SETTINGS)
    assert shown.origin == expected
    assert shown.about.endswith(f"{provenance.label(expected).lower()}.")


def test_published_figures_of_dordrecht_and_none_for_enkhuizen(con):
    found = overzicht.published(fetch.on(con), DORDRECHT, "Dordrecht")
    assert [c.kind for c in found.comparisons] == ["overlast", "misdrijf"]
    assert all(c.title.endswith(c.period) and c.period for c in found.comparisons if not c.data.empty)
    assert found.sources and not found.empty
    enkhuizen = overzicht.published(fetch.on(con), ENKHUIZEN, "Enkhuizen")
    assert enkhuizen.comparisons == []


def test_a_slide_lists_the_three_largest_changes_and_names_how_many_more():
    """Six changes ran a presentatiemodus slide past 1920x1080: it lists three and says the rest."""
    changes = [
        overzicht.NotableChange(f"BU{i}", f"Buurt {i}", "1.1.1", "Inbraak", 10, 30, 20, "+200%", True, "10 → 30")
        for i in range(5)
    ]
    period = (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    notable = overzicht.Notable(period, period, changes, "caption")
    shown, more = overzicht.slide_changes(notable)
    assert [c.area_code for c in shown] == ["BU0", "BU1", "BU2"]
    assert more is not None and more.startswith("En nog 2 veranderingen")
    assert overzicht.slide_changes(overzicht.Notable(period, period, changes[:3], "caption")) == (changes[:3], None)
