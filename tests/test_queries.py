"""Every query in queries/ on the tiny hand-made database, against values worked out by hand."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from ivpdata import queries
from ivpdata.db import summarise_months
from tests.support.tiny import BUURT_A, BUURT_B, GEMEENTE, WIJK


def test_municipalities(tiny):
    result = queries.municipalities(tiny)
    assert result.to_dict("records") == [{"gemeente_code": GEMEENTE, "name": "Tinystad", "is_default": True}]


def test_available_years_counts_months(tiny):
    result = queries.available_years(tiny, GEMEENTE)
    assert list(result["year"]) == [2021, 2020]
    assert list(result["months"]) == [4, 1]


def test_key_figures_prefer_published_and_compare_years(tiny):
    result = queries.key_figures(tiny, GEMEENTE, 2021).set_index("figure")
    # totaal 2021 = published 1.1.1 (7) + monthly 2.2.1 (6); 2020 = published 4 + monthly 6.
    assert result.loc["totaal", "incident_count"] == 13
    assert result.loc["totaal", "previous_count"] == 10
    assert result.loc["hic", "incident_count"] == 7
    assert result.loc["hic", "previous_count"] == 4
    assert result.loc["overlast", "incident_count"] == 6
    assert result.loc["overlast", "previous_count"] == 2
    assert result.loc["totaal", "per_1000"] == pytest.approx(13.0)
    assert result.loc["hic", "previous_per_1000"] == pytest.approx(4.0)
    # hic 2021 is the published figure only: real, not demo; totaal mixes in demo rows.
    assert not result.loc["hic", "is_demo"]
    assert result.loc["hic", "source_ids"] == "doc-002"
    assert result.loc["totaal", "is_demo"]


def test_key_figures_without_previous_year(tiny):
    result = queries.key_figures(tiny, GEMEENTE, 2020).set_index("figure")
    assert result.loc["totaal", "incident_count"] == 10
    assert result["previous_count"].isna().all()


def test_published_comparisons_show_both_changes(tiny):
    result = queries.published_comparisons(tiny, GEMEENTE)
    assert len(result) == 1
    row = result.iloc[0]
    assert (row.from_year, row.to_year, row.from_count, row.to_count) == (2020, 2021, 4, 7)
    assert row.published_change_pct == 50
    assert row.computed_change_pct == 75.0


def test_published_series(tiny):
    result = queries.published_series(tiny, GEMEENTE)
    assert list(zip(result["year"], result["incident_count"], strict=True)) == [(2020, 4), (2021, 7)]


def test_wijk_summary_sums_buurten(tiny):
    result = queries.wijk_summary(tiny, GEMEENTE, 2021)
    row = result.set_index("area_code").loc[WIJK]
    assert row.crime_count == 12  # monthly rows: 6 + 6 (published city figures are not per wijk)
    assert row.overlast_count == 6
    assert row.inhabitants == 1000
    assert row.crime_per_1000 == pytest.approx(12.0)


def test_published_figures(tiny):
    result = queries.published_figures(tiny, GEMEENTE)
    assert set(result["figure_id"]) == {"f2020", "f2021", "fchg"}


def test_sources(tiny):
    assert list(queries.sources(tiny)["source_id"]) == ["cbs", "demo", "doc-002"]


def test_views_roll_up_buurten(tiny):
    rows = tiny.execute(
        "SELECT area_level, sum(incident_count) FROM incidents_area_month WHERE year = 2021 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("buurt", 18), ("gemeente", 18), ("wijk", 18)]
    city = dict(
        tiny.execute("SELECT category_code, incident_count FROM incidents_city_year WHERE year = 2021").fetchall()
    )
    assert city == {"1.1.1": 7, "2.2.1": 6, "OVL-JGD": 6, "0.0.0": 13}


def test_area_options_list_gemeente_groups_wijken_buurten(tiny):
    result = queries.area_options(tiny, GEMEENTE)
    assert list(result["target_code"]) == [GEMEENTE, "grp", WIJK, BUURT_A, BUURT_B]
    assert list(result["target_level"]) == ["gemeente", "groep", "wijk", "buurt", "buurt"]
    assert result.set_index("target_code").loc[BUURT_A, "parent_name"] == f"Naam {WIJK}"


def test_target_month_counts_sum_groups_from_their_members(tiny):
    result = queries.target_month_counts(tiny, GEMEENTE, ["grp", WIJK], ["1.1.1", "OVL-JGD"])
    totals = result.groupby("target_code")["incident_count"].sum().to_dict()
    # group = buurt B: 1.1.1 1 (2021) + OVL-JGD 2 (2020); wijk = both buurten: 6 + 4 + 6 + 2.
    assert totals == {"grp": 3, WIJK: 18}
    january = result[(result["target_code"] == WIJK) & (result["year"] == 2021) & (result["month"] == 1)]
    assert january.set_index("category_code").loc["1.1.1", "incident_count"] == 3


def _summed_buurten(con: duckdb.DuckDBPyConnection, gemeente: str, codes: list[str]) -> pd.DataFrame:
    """A gemeente's monthly rows worked out from its buurten's own rows, as the buurt path sums them."""
    buurten = list(queries.buurten(con, gemeente)["area_code"])
    rows = queries.target_month_counts(con, gemeente, buurten, codes)
    summed = rows.groupby(["year", "month", "category_code"], as_index=False).agg(
        incident_count=("incident_count", "sum"),
        is_provisional=("is_provisional", "any"),
        is_demo=("is_demo", "any"),
        real_rows=("real_rows", "sum"),
        demo_rows=("demo_rows", "sum"),
    )
    summed.insert(0, "target_code", gemeente)
    summed["buurten"] = len(buurten)
    return summed


def test_target_month_counts_of_the_gemeente_are_its_buurten_summed(tiny):
    """The gemeente is read from its monthly summary (incident_gemeente_months): the same rows as
    its buurten's added up, beside another target in the same call, and with a new row at once."""
    provisional = "INSERT INTO incident_counts VALUES (?, ?, 2021, 2, '1.1.1', 5, 'cbs', true, false)"
    tiny.execute(provisional, [GEMEENTE, BUURT_B])
    summarise_months(tiny)  # as every writer of incident_counts does
    codes = ["1.1.1", "2.2.1", "OVL-JGD"]
    both = queries.target_month_counts(tiny, GEMEENTE, [WIJK, GEMEENTE], codes)
    whole = both[both["target_code"] == GEMEENTE].reset_index(drop=True)
    expected = _summed_buurten(tiny, GEMEENTE, codes)
    pd.testing.assert_frame_equal(whole, expected.astype(whole.dtypes.to_dict()))
    assert whole.dtypes.equals(queries.target_month_counts(tiny, GEMEENTE, [WIJK], codes).dtypes)
    february = whole.set_index(["year", "month", "category_code"]).loc[(2021, 2, "1.1.1")]
    assert tuple(february[["incident_count", "is_provisional", "real_rows", "demo_rows"]]) == (8, True, 1, 1)
    assert list(both["target_code"].unique()) == [GEMEENTE, WIJK]  # ordered by target, as before
    assert queries.target_month_counts(tiny, "GM9999", ["GM9999"], codes).empty  # no such gemeente


def test_target_month_counts_of_each_gemeente_are_its_buurten_summed(db):
    """The same on the default data, for both gemeenten and every category."""
    codes = list(db.execute("SELECT category_code FROM incident_categories").fetchdf()["category_code"])
    for gemeente in queries.municipalities(db)["gemeente_code"]:
        whole = queries.target_month_counts(db, gemeente, [gemeente], codes)
        assert len(whole) > 1000, gemeente
        pd.testing.assert_frame_equal(whole, _summed_buurten(db, gemeente, codes).astype(whole.dtypes.to_dict()))


def test_buurt_year_counts_sum_the_months_of_the_chosen_buurten_and_categories(tiny):
    """The public release's input: a year's sum per buurt and category, the monthly rows behind it
    (real and demo), its months with a row, and the months of the year with any row of the choice."""
    # A real police row beside buurt B's demo row of 1.1.1 (January 2021): February 2021, 5.
    tiny.execute(
        "INSERT INTO incident_counts VALUES (?, ?, 2021, 2, '1.1.1', 5, 'cbs', false, false)", [GEMEENTE, BUURT_B]
    )
    summarise_months(tiny)  # as every writer of incident_counts does
    everything = queries.buurt_year_counts(tiny, GEMEENTE, [BUURT_A, BUURT_B], ["1.1.1", "2.2.1", "OVL-JGD"])
    rows = {(r.target_code, r.year, r.category_code): tuple(r)[3:] for r in everything.itertuples(index=False)}
    # (count, real rows, demo rows, months, months of the year): 2021 has rows in months 1, 2, 3, 6.
    assert rows[(BUURT_A, 2021, "1.1.1")] == (5, 0, 2, 2, 4)
    assert rows[(BUURT_B, 2021, "1.1.1")] == (6, 1, 1, 2, 4)
    assert rows[(BUURT_B, 2021, "2.2.1")] == (2, 0, 1, 1, 4)
    assert rows[(BUURT_B, 2020, "OVL-JGD")] == (2, 0, 1, 1, 1)
    assert len(rows) == 8
    # Only 1.1.1 of buurt A: its months alone count (2021: January and February; 2020: January).
    chosen = queries.buurt_year_counts(tiny, GEMEENTE, [BUURT_A], ["1.1.1"])
    assert sorted(tuple(r) for r in chosen.itertuples(index=False)) == [
        (BUURT_A, 2020, "1.1.1", 4, 0, 1, 1, 1),
        (BUURT_A, 2021, "1.1.1", 5, 0, 2, 2, 2),
    ]


@pytest.mark.parametrize("gemeente", ["GM0505", "GM0388"])
def test_buurt_year_counts_read_through_arrow_equal_duckdbs_own_frame(built_db, gemeente):
    """`queries.run_through_arrow` gives the frame `queries.run` gives (types too), for every buurt
    and category of the default data, so the faster reading changes no public release."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        buurten = list(queries.buurten(con, gemeente)["area_code"])
        categories = list(queries.category_options(con, gemeente)["option_code"])
        params = dict(gemeente_code=gemeente, buurt_codes=buurten, category_codes=categories)
        fast = queries.buurt_year_counts(con, gemeente, buurten, categories)
        own = queries.run(con, "buurt_year_counts", **params)
    assert len(own) > 1000
    assert fast.dtypes.to_dict() == own.dtypes.to_dict()
    pd.testing.assert_frame_equal(in_order(fast), in_order(own))  # the query sets no order
    with duckdb.connect(str(built_db), read_only=True) as con:  # no category: an empty frame, typed alike
        empty = queries.buurt_year_counts(con, gemeente, buurten, [])
        own = queries.run(con, "buurt_year_counts", **{**params, "category_codes": []})
    assert empty.empty and empty.dtypes.to_dict() == own.dtypes.to_dict()


def in_order(yearly: pd.DataFrame) -> pd.DataFrame:
    return yearly.sort_values(["target_code", "year", "category_code"]).reset_index(drop=True)


def test_buurten_with_their_wijk(tiny):
    assert [tuple(row) for row in queries.buurten(tiny, GEMEENTE).itertuples(index=False)] == [
        (BUURT_A, WIJK),
        (BUURT_B, WIJK),
    ]


def test_target_population_of_a_group(tiny):
    result = queries.target_population(tiny, ["grp", WIJK]).set_index(["target_code", "year"])["inhabitants"]
    assert result[("grp", 2021)] == 390
    assert result[(WIJK, 2020)] == 1000


def test_buurt_category_changes_between_two_periods(tiny):
    import datetime as dt

    period = (dt.date(2021, 1, 1), dt.date(2021, 6, 1))
    comparison = (dt.date(2020, 1, 1), dt.date(2020, 6, 1))
    result = queries.buurt_category_changes(tiny, GEMEENTE, "buurt", period, comparison)
    pairs = {(r.area_code, r.category_code): (r.incident_count, r.comparison_count) for r in result.itertuples()}
    assert pairs[(BUURT_A, "1.1.1")] == (5, 4)
    assert pairs[(BUURT_B, "OVL-JGD")] == (0, 2)  # gone since: still a candidate
    assert pairs[(BUURT_B, "2.2.1")] == (2, 0)
    assert len(pairs) == 6


def test_target_notes_reach_up_to_wijk_and_groups(tiny):
    assert set(queries.target_notes(tiny, BUURT_B)["note_id"]) == {"n-grp", "n-wijk"}
    assert set(queries.target_notes(tiny, BUURT_A)["note_id"]) == {"n-wijk"}
    assert set(queries.target_notes(tiny, "grp")["note_id"]) == {"n-grp"}
    assert set(queries.target_notes(tiny, GEMEENTE)["note_id"]) == {"n-grp", "n-wijk"}


def test_target_survey(tiny):
    result = queries.target_survey(tiny, WIJK)
    assert result.to_dict("records")[0] | {"source_title": None} == {
        "year": 2021,
        "question": "Voelt zich veilig",
        "value": 81.0,
        "unit": "procent",
        "respondents": 120,
        "margin": 4.5,
        "is_demo": False,
        "source_title": None,
    }
    assert queries.target_survey(tiny, BUURT_A).empty


def test_available_years_know_their_last_month(tiny):
    result = queries.available_years(tiny, GEMEENTE).set_index("year")
    assert result.loc[2021, "last_month"] == 6 and result.loc[2020, "last_month"] == 1


def test_category_options_offer_categories_with_counts_in_the_gemeente(tiny):
    result = queries.category_options(tiny, GEMEENTE).set_index("option_code")
    assert list(result.loc["misdrijven", "category_codes"]) == ["1.1.1", "2.2.1"]
    assert list(result.loc["hic", "category_codes"]) == ["1.1.1"]
    singles = result[result["option_kind"] == "categorie"].index
    assert set(singles) == {"1.1.1", "2.2.1", "OVL-JGD"}
    assert queries.category_options(tiny, "GM9999")["option_kind"].tolist() == ["alle", "thema"]
