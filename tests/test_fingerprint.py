"""The page models' cache key (ivpdata.fingerprint, used by dashboard.connection.modelled): equal
choices share a cached page, a choice that differs in anything gets its own, and the public
view's releases count by their content without being copied and hashed cell by cell."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from ivpdata import disclosure, periods, queries
from ivpdata.config import load_settings
from ivpdata.fingerprint import fingerprint
from ivpdata.page_models import kaart

GEMEENTE, YEAR = "GM0505", 2024
RULES = disclosure.Rules.from_settings(load_settings())


@pytest.fixture(scope="module")
def made(con: duckdb.DuckDBPyConnection):
    """What the releases are made of, as dashboard.show.releases asks for it."""
    options = {
        row.option_code: tuple(row.category_codes) for row in queries.category_options(con, GEMEENTE).itertuples()
    }
    codes = sorted({code for found in options.values() for code in found})
    buurten = queries.buurten(con, GEMEENTE)
    yearly = queries.buurt_year_counts(con, GEMEENTE, list(buurten["area_code"]), codes)
    return yearly, buurten, options, codes


def _choice(releases, **changes) -> kaart.Choice:
    choice = kaart.Choice(
        GEMEENTE, "Misdrijven", ("A", "B"), "buurt", "per_1000", periods.calendar_year(YEAR), None, releases, RULES
    )
    return dataclasses.replace(choice, **changes)


def test_equal_releases_give_the_same_key_and_a_changed_count_another(made):
    yearly, buurten, options, codes = made
    first = disclosure.make_releases(yearly, buurten, options, RULES)
    again = disclosure.make_releases(yearly.copy(), buurten.copy(), dict(options), RULES)
    assert fingerprint(_choice(first)) == fingerprint(_choice(again))

    changed = yearly.copy()
    row = changed.index[(changed["year"] == YEAR) & (changed["category_code"] == codes[0])][0]
    changed.loc[row, "incident_count"] += 1
    other = disclosure.make_releases(changed, buurten, options, RULES)
    assert fingerprint(_choice(other)) != fingerprint(_choice(first))
    assert len({release.key for release in first.values()}) == len(first)  # a key per year


def test_the_same_counts_in_another_row_order_are_the_same_release(made):
    """queries.buurt_year_counts gives its rows in no set order (sorting 40,000 rows took half the
    query's time): the same counts in any order are the release already made, not a new one."""
    yearly, buurten, options, _ = made
    first = disclosure.make_releases(yearly, buurten, options, RULES)
    shuffled = yearly.sample(frac=1, random_state=7).reset_index(drop=True)
    again = disclosure.make_releases(shuffled, buurten, options, RULES)
    assert {year: release.key for year, release in again.items()} == {
        year: release.key for year, release in first.items()
    }
    assert all(again[year] is first[year] for year in first), "made again for rows in another order"


def test_any_other_choice_gets_another_key(made):
    yearly, buurten, options, _ = made
    releases = disclosure.make_releases(yearly, buurten, options, RULES)
    base = fingerprint(_choice(releases))
    others = [
        _choice(releases, level="wijk"),
        _choice(releases, codes=("A",)),
        _choice(releases, comparison=periods.calendar_year(YEAR - 1)),
        _choice(releases, rules=disclosure.Rules(threshold=10)),
        _choice(None, rules=None),
        _choice({year: r for year, r in releases.items() if year != YEAR}),
    ]
    keys = [fingerprint(choice) for choice in others]
    assert base not in keys and len(set(keys)) == len(keys)


def test_a_release_without_its_key_counts_by_its_tables(made):
    yearly, buurten, options, _ = made
    release = disclosure.make_releases(yearly, buurten, options, RULES)[YEAR]
    bare = dataclasses.replace(release, key=b"")
    assert fingerprint(bare) == fingerprint(dataclasses.replace(bare, wijk=bare.wijk.copy()))
    wijk = bare.wijk.copy()
    wijk.loc[wijk.index[0], "incident_count"] += 1
    assert fingerprint(dataclasses.replace(bare, wijk=wijk)) != fingerprint(bare)
