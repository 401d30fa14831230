"""An attacker against the public view: every public figure the app can show, combined and solved
with linear programming, must leave every hidden count undetermined.

The attacker knows every public figure of a calendar year (every area of every level, every option:
all crime, each theme, each category; the comparison column is the previous calendar year's
release, so it is the same set of figures), that counts are >= 0, that '< 5' lies in [1, 4] and
that a hidden single cell of the wijk table that is not small is at least 5. Unknowns: the true
count of every buurt and category. Proven per year for both gemeenten:

- every hidden public figure with a small count (1..4) can take more than one value;
- no small buurt count (never public as such) follows exactly, and every sensitive buurt count
  can be 0 or at least 5: no combination bounds it inside 1..4.

The pages show exactly these figures: the Kaart through AppTest, with links asking for other
periods, levels, categories, hexagons and comparisons, gives the release's figures and no hexagon.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import SupportsFloat
from urllib.parse import parse_qsl

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linprog
from streamlit.testing.v1 import AppTest

from ivpdata import disclosure, formatting, overview, queries, trends
from ivpdata.config import PROJECT_ROOT, load_settings
from ivpdata.db import summarise_months

RULES = disclosure.Rules.from_settings(load_settings())
T = RULES.threshold
GEMEENTEN = ("GM0505", "GM0388")
YEARS = (2024, 2025)
TIMEOUT = 90


@dataclass
class World:
    """What the pages know of a gemeente: options, buurten with their wijk, area groups, releases."""

    options: dict[str, tuple[str, ...]]
    buurten: pd.DataFrame
    groups: dict[str, tuple[str, tuple[str, ...]]]
    releases: dict[int, disclosure.Release]
    monthly: pd.DataFrame


def _world(con, gemeente: str) -> World:
    frame = queries.category_options(con, gemeente)
    options = {row.option_code: tuple(row.category_codes) for row in frame.itertuples()}
    codes = sorted({c for found in options.values() for c in found})
    buurten = queries.buurten(con, gemeente)
    monthly = queries.target_month_counts(con, gemeente, list(buurten["area_code"]), codes)
    members = con.execute(
        "SELECT m.group_code, coalesce(b.area_code, a.area_code) AS buurt FROM area_group_members m "
        "JOIN areas a ON a.area_code = m.area_code LEFT JOIN areas b ON b.parent_code = a.area_code "
        "JOIN area_groups g ON g.group_code = m.group_code WHERE g.gemeente_code = ?",
        [gemeente],
    ).df()
    groups = {
        code: disclosure.group_members(list(part["buurt"]), buurten) for code, part in members.groupby("group_code")
    }
    yearly = queries.buurt_year_counts(con, gemeente, list(buurten["area_code"]), codes)
    releases = disclosure.make_releases(yearly, buurten, options, RULES)
    return World(options, buurten, groups, releases, monthly)


@pytest.fixture(scope="module")
def worlds(built_db) -> dict[str, World]:
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return {gemeente: _world(con, gemeente) for gemeente in GEMEENTEN}
    finally:
        con.close()


@dataclass
class Figure:
    buurten: frozenset[str]
    codes: frozenset[str]
    count: float
    reason: str
    single_cell: bool  # one cell of the wijk or gemeente table (a positive "x" there is at least 5)


def public_figures(world: World, year: int) -> list[Figure]:
    """Every public figure of a year, through the functions the pages call."""
    release = world.releases[year]
    wijk_of = dict(zip(world.buurten["area_code"], world.buurten["parent_code"], strict=True))
    areas: list[tuple[str, tuple[str, ...]]] = [("gemeente", ("",))]
    areas += [("wijk", (w,)) for w in sorted(set(wijk_of.values()))]
    areas += [("buurt", (b,)) for b in sorted(wijk_of)]
    areas += list(world.groups.values())
    selections = [*world.options.values(), *[(c,) for c in release.kinds]]
    found = []
    for level, members in areas:
        for chosen in selections:
            codes, shown_level, _ = disclosure.public_selection(chosen, level, world.options, RULES)
            if shown_level != level:
                continue  # the page shows the wijk figures instead, which are enumerated too
            count, reason = disclosure.public_figure(release, level, members, codes, RULES)
            if reason == disclosure.NOT_PUBLIC:
                continue
            if level == "gemeente" and len(codes) > 1:  # a hidden sensitive category is left out of totals
                table = release.gemeente.set_index("category_code")["reason"]
                codes = tuple(c for c in codes if c not in RULES.sensitive_categories or table.get(c) == "")
            buurten = (
                set(wijk_of)
                if level == "gemeente"
                else set(members)
                if level == "buurt"
                else {b for b, w in wijk_of.items() if w in members}
            )
            kept = frozenset(c for c in codes if c in release.kinds)
            single = level in ("wijk", "gemeente") and len(members) == 1 and len(kept) == 1
            found.append(Figure(frozenset(buurten), kept, count, reason, single))
    return found + page_figures(world, year)


def _buurten_of(world: World, level: str, members: tuple[str, ...]) -> frozenset[str]:
    wijk_of = dict(zip(world.buurten["area_code"], world.buurten["parent_code"], strict=True))
    if level == "gemeente":
        return frozenset(wijk_of)
    return frozenset(members) if level == "buurt" else frozenset(b for b, w in wijk_of.items() if w in members)


def _gemeente_codes(release: disclosure.Release, codes: tuple[str, ...]) -> frozenset[str]:
    """The categories a gemeente figure adds up (a hidden sensitive one is left out of a total)."""
    table = release.gemeente.set_index("category_code")["reason"]
    if len(codes) > 1:
        codes = tuple(c for c in codes if c not in RULES.sensitive_categories or table.get(c) == "")
    return frozenset(c for c in codes if c in release.kinds)


def page_figures(world: World, year: int) -> list[Figure]:
    """The figures of the public Overzicht ("Wat valt op" of this year and of the next, key figures,
    wijk table) and of the public Wijkprofiel of every wijk, buurt and area group, through the
    functions those pages call."""
    release, found = world.releases[year], []
    wijken = tuple(sorted(set(world.buurten["parent_code"])))
    for now, before in ((year, year - 1), (year + 1, year)):  # this year as "now" and as the comparison
        if now in world.releases and before in world.releases:
            pairs = trends.released_comparison(world.releases[now], world.releases[before]).pairs
            column = "incident_count" if now == year else "comparison_count"
            for row in pairs.itertuples():
                chosen = world.options[row.category_code] if row.level == "buurt" else (row.category_code,)
                released = [c for c in disclosure.public_codes(chosen, row.level, RULES) if c in release.kinds]
                buurten = _buurten_of(world, row.level, (row.area_code,))
                found.append(Figure(buurten, frozenset(released), float(getattr(row, column)), disclosure.SHOWN, False))
    key = overview.released_key_figures(
        pd.DataFrame(
            {
                "figure": list(overview.FIGURE_OPTIONS),
                "incident_count": 0,
                "previous_count": 0,
                "inhabitants": 1000,
                "previous_inhabitants": 1000,
                "per_1000": 0.0,
                "previous_per_1000": 0.0,
            }
        ),
        lambda option, _: disclosure.public_figure(release, "gemeente", ("",), world.options[option], RULES),
        year,
        RULES,
    )
    for option, count in zip(key["figure"].map(overview.FIGURE_OPTIONS), key["incident_count"], strict=True):
        codes = tuple(_gemeente_codes(release, world.options[option]))
        found.append(_shown_figure(world, "gemeente", (), codes, count))
    summary = pd.DataFrame({"area_code": wijken, "wijk_name": wijken, "inhabitants": 1000, "is_demo": True})
    table, _ = overview.released_wijk_table(
        summary,
        lambda w, option: disclosure.public_figure(release, "wijk", (w,), world.options[option], RULES),
        0,
        RULES,
    )
    for row in table.itertuples():
        for column, option in (("Misdrijven", "misdrijven"), ("Overlast", "overlast")):
            codes = disclosure.public_codes(world.options[option], "wijk", RULES)
            found.append(_shown_figure(world, "wijk", (row.Wijk,), codes, getattr(row, column)))
    targets = [("wijk", (w,)) for w in wijken] + [("buurt", (b,)) for b in world.buurten["area_code"]]
    for level, members in targets + list(world.groups.values()):
        found += _profile_figures(world, year, level, members)
    return found


def _shown_figure(
    world: World, level: str, members: tuple[str, ...], codes: tuple[str, ...], text: str | SupportsFloat
) -> Figure:
    """A table cell as a figure: a number is shown, '< 5' small, 'x' hidden."""
    value = _number(text)
    reason = (
        disclosure.SHOWN
        if isinstance(value, float)
        else (disclosure.SMALL if value == RULES.small_label else disclosure.COMPLEMENTARY)
    )
    count = value if isinstance(value, float) else float("nan")
    kinds = next(iter(world.releases.values())).kinds
    return Figure(_buurten_of(world, level, members), frozenset(c for c in codes if c in kinds), count, reason, False)


def _profile_figures(world: World, year: int, level: str, members: tuple[str, ...]) -> list[Figure]:
    """The counts of one public Wijkprofiel (as `dashboard.show.released_profile` makes it)."""

    def figure(who: str, option: str, shown_year: int) -> tuple[float, str]:
        if shown_year not in world.releases:
            return float("nan"), disclosure.SHOWN
        if who == "city":
            kept = disclosure.public_codes(world.options[option], level, RULES)
            return disclosure.public_figure(world.releases[shown_year], "gemeente", ("",), kept, RULES)
        return disclosure.area_figure(
            world.releases[shown_year], level, members, world.options[option], world.options, RULES
        )

    options = [o for o in trends.PROFILE_OPTIONS if o in world.options]
    population = pd.DataFrame({"target_code": ["t", "c"], "year": year, "inhabitants": 1000})
    frame, reasons = trends.released_profile(figure, population, "t", "c", year, {}, options, 0.05, minimum=1)
    found = []
    for i, option in enumerate(options):
        codes = disclosure.public_codes(world.options[option], level, RULES)
        reason = reasons.at[i, f"Aantal {year}"]
        if reason != disclosure.NOT_PUBLIC:
            found.append(
                Figure(
                    _buurten_of(world, level, members),
                    frozenset(c for c in codes if c in world.releases[year].kinds),
                    float(frame.at[i, f"Aantal {year}"]),
                    reason,
                    False,
                )
            )
    return found


class Attacker:
    """The reader's polytope over the true buurt x category counts of one year."""

    def __init__(self, cells: pd.DataFrame, figures: list[Figure]) -> None:
        self.index = {key: i for i, key in enumerate(zip(cells["area_code"], cells["category_code"], strict=True))}
        self.truth = cells["incident_count"].to_numpy(dtype=float)
        self.by_buurt = cells.groupby("area_code").indices
        rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
        for figure in figures:
            row = self.vector(figure.buurten, figure.codes)
            if figure.reason == disclosure.SHOWN:
                rows.append(row)
                eq_rhs.append(figure.count)
            elif figure.reason == disclosure.SMALL:
                ub_rows += [row, -row]
                ub_rhs += [T - 1.0, -1.0]
            elif figure.reason == disclosure.COMPLEMENTARY and figure.single_cell and figure.count >= T:
                ub_rows.append(-row)
                ub_rhs.append(-float(T))
        self.a_eq, self.b_eq = sparse.vstack(rows).tocsr(), np.asarray(eq_rhs)
        self.a_ub = sparse.vstack(ub_rows).tocsr() if ub_rows else None
        self.b_ub = np.asarray(ub_rhs) if ub_rows else None
        assert np.allclose(self.a_eq @ self.truth, self.b_eq), "the public figures must hold for the true counts"

    def vector(self, buurten: frozenset[str], codes: frozenset[str]) -> sparse.csr_matrix:
        columns = [self.index[(b, c)] for b in buurten for c in codes if (b, c) in self.index]
        return sparse.csr_matrix((np.ones(len(columns)), ([0] * len(columns), columns)), shape=(1, len(self.truth)))

    def solve(self, objective: np.ndarray) -> np.ndarray:
        result = linprog(
            objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, None), method="highs"
        )
        assert result.success, result.message
        return result.x

    def ranges(self, targets: sparse.csr_matrix, wanted: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Per target row: whether some feasible point satisfies `wanted(value, true value)`. First
        together (one LP moves many at once), then one by one, in both directions."""
        truth = targets @ self.truth
        done = np.zeros(targets.shape[0], dtype=bool)
        for sign in (1.0, -1.0, 1.0, -1.0):
            open_ = np.flatnonzero(~done)
            if open_.size == 0:
                return done
            weights = np.random.default_rng(len(open_)).uniform(0.5, 1.5, open_.size)
            x = self.solve(sign * (targets[open_].T @ weights))
            done[open_] |= wanted(targets[open_] @ x, truth[open_])
        for i in np.flatnonzero(~done):
            for sign in (1.0, -1.0):
                x = self.solve(sign * targets[i].toarray().ravel())
                if wanted(targets[[i]] @ x, truth[[i]])[0]:
                    done[i] = True
                    break
        return done


def _cells(world: World, year: int) -> pd.DataFrame:
    rows = world.monthly[world.monthly["year"] == year].rename(columns={"target_code": "area_code"})
    kinds = world.releases[year].kinds
    grid = pd.MultiIndex.from_product([world.buurten["area_code"], sorted(kinds)], names=["area_code", "category_code"])
    yearly = rows.groupby(["area_code", "category_code"])["incident_count"].sum()
    return yearly.reindex(grid, fill_value=0).reset_index()


def _attack_cases() -> list:
    """Every year of every gemeente; Dordrecht 2024 (about 10 s of linear programs) is `slow`: the
    fast lane attacks the same release rules in Dordrecht 2025 and both years of Enkhuizen."""
    return [
        pytest.param(year, gemeente, marks=pytest.mark.slow)
        if (year, gemeente) == (2024, "GM0505")
        else (year, gemeente)
        for year in YEARS
        for gemeente in GEMEENTEN
    ]


@pytest.mark.parametrize(("year", "gemeente"), _attack_cases())
def test_no_combination_of_public_figures_gives_a_hidden_count_away(worlds, gemeente, year):
    world = worlds[gemeente]
    figures = public_figures(world, year)
    cells = _cells(world, year)
    attacker = Attacker(cells, figures)
    hidden = [f for f in figures if f.reason != disclosure.SHOWN and 0 < f.count < T]
    assert hidden, "the release hides something"
    rows = sparse.vstack([attacker.vector(f.buurten, f.codes) for f in hidden]).tocsr()
    movable = attacker.ranges(rows, lambda value, truth: np.abs(value - truth) > 1e-6)
    pinned = [
        (sorted(f.buurten)[:3], sorted(f.codes)[:3], f.count, f.reason)
        for f, m in zip(hidden, movable, strict=True)
        if not m
    ]
    assert not pinned, f"{len(pinned)} hidden public figures follow exactly from the others: {pinned[:5]}"

    # No small buurt count (never public as such) follows exactly; a sensitive one can be 0 or at
    # least the threshold: nothing bounds it inside 1..4.
    counts = cells["incident_count"]
    small = np.flatnonzero(((counts > 0) & (counts < T)).to_numpy())
    rows = sparse.identity(len(cells), format="csr")[small]
    fixed = ~attacker.ranges(rows, lambda value, truth: np.abs(value - truth) > 1e-6)
    assert not fixed.any(), f"buurt counts that follow exactly: {cells.iloc[small[fixed]].head().to_dict('records')}"
    sensitive = np.flatnonzero((cells["category_code"].isin(RULES.sensitive_categories) & (counts > 0)).to_numpy())
    rows = sparse.identity(len(cells), format="csr")[sensitive]
    escapes = attacker.ranges(rows, lambda value, truth: (value < 1 - 1e-6) | (value > T - 1 + 1e-6))
    bounded = cells.iloc[sensitive[~escapes]]
    assert bounded.empty, f"sensitive buurt counts bounded inside 1..{T - 1}: {bounded.head().to_dict('records')}"


def test_the_attacker_finds_what_the_old_public_view_gave_away(worlds):
    """The attack itself works: publishing a buurt's single categories next to its total (as the
    public Kaart did) pins a small count, and the test above would fail on it."""
    world, year = worlds["GM0505"], 2025
    figures = public_figures(world, year)
    cells = _cells(world, year)
    release = world.releases[year]
    buurt = next(b for b in world.buurten["area_code"])
    misdrijven = [c for c, kind in release.kinds.items() if kind == "misdrijven"]
    mine = cells[(cells["area_code"] == buurt) & cells["category_code"].isin(misdrijven)]
    small = mine[(mine["incident_count"] > 0) & (mine["incident_count"] < T)]
    assert not small.empty
    leaked = [
        Figure(frozenset([buurt]), frozenset([c]), float(n), disclosure.SHOWN, False)
        for c, n in zip(mine["category_code"], mine["incident_count"], strict=True)
        if c != small["category_code"].iloc[0]
    ]
    attacker = Attacker(cells, figures + leaked)
    target = attacker.vector(frozenset([buurt]), frozenset([small["category_code"].iloc[0]]))
    escapes = attacker.ranges(target, lambda value, truth: (value < 1 - 1e-6) | (value > T - 1 + 1e-6))
    assert not escapes[0]


# --- the pages show exactly these figures ---------------------------------------------------------


@pytest.fixture
def kaart(built_db, monkeypatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("IVP_DB", str(built_db))

    def open_kaart(**params: str) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
        at.query_params.update({"gemeente": "GM0505", "jaar": "2025", "openbaar": "ja", **params})
        at.switch_page("dashboard/pages/kaart.py").run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_kaart


def _table(at: AppTest) -> pd.DataFrame:
    frame = at.dataframe[0].value
    return (frame.data if hasattr(frame, "data") else frame).set_index("Code")


def _number(value: str | SupportsFloat) -> object:
    """A table cell as the reader sees it: a number (Dutch text '1.234' read back) or a label."""
    if isinstance(value, str):
        plain = value.replace(".", "").replace(",", ".")
        return float(plain) if plain.lstrip("-").replace(".", "", 1).isdigit() else value
    return float(value)


def _label(count: float, reason: str) -> object:
    if reason == disclosure.SHOWN:
        return float(count)
    return RULES.small_label if reason == disclosure.SMALL else disclosure.HIDDEN_MARK


def _deck(at: AppTest) -> dict:
    return json.loads(next(e for e in at.get("deck_gl_json_chart")).proto.json)


def test_two_public_exports_of_overlapping_periods_show_the_same_calendar_year(kaart):
    """The issue's attack: 2025-01..12 minus 2025-02..12 gave January per buurt. Now a link asking for
    another period gets the calendar year, with a note, so both exports are the same."""
    whole = _table(kaart(wat="misdrijven", niveau="buurt", periode="2025-01..2025-12"))
    at = kaart(wat="misdrijven", niveau="buurt", periode="2025-02..2025-12", vergelijking="2024-02..2024-12")
    assert any("hele kalenderjaren" in info.value for info in at.info)
    assert at.query_params["periode"] == "2025-01..2025-12" and at.query_params["vergelijking"] == "2024-01..2024-12"
    pd.testing.assert_frame_equal(_table(at), whole)


@pytest.mark.parametrize(
    ("wat", "niveau", "extra"),
    [
        ("misdrijven", "buurt", {"maat": "change"}),
        ("1.1.1", "buurt", {}),  # the link: a table, not decimal.InvalidOperation
        ("1.4.1", "wijk", {"hotspots": "ja", "zeshoek": "10"}),  # the zeden hexagons
        ("hic", "wijk", {"hotspots": "ja", "zeshoek": "8", "periode": "2024-03..2025-02"}),
        ("overlast", "buurt", {"jaar": "2024"}),
    ],
)
def test_the_public_kaart_shows_the_release_and_no_hexagons(kaart, worlds, wat, niveau, extra):
    at = kaart(wat=wat, niveau=niveau, **extra)
    world = worlds["GM0505"]
    year = int(extra.get("jaar", 2025))
    codes, level, _ = disclosure.public_selection(world.options[wat], niveau, world.options, RULES)
    layers = [layer.get("id") for layer in _deck(at)["layers"]]
    assert "hotspots" not in layers
    assert not any("Zeshoek" in json.dumps(layer) for layer in _deck(at)["layers"])
    if extra.get("hotspots") == "ja":
        assert any("geen zeshoeken" in caption.value for caption in at.caption)
    table = _table(at)
    for column, shown_year in (("Aantal", year), ("Vergelijkingsperiode", year - 1)):
        release = world.releases[shown_year]
        expected = {
            code: _label(*disclosure.public_figure(release, level, [code], codes, RULES)) for code in table.index
        }
        actual = {code: _number(v) for code, v in table[column].items()}
        assert actual == expected, column


def test_the_public_side_panel_shows_calendar_years(kaart, worlds):
    world = worlds["GM0505"]
    buurt = world.buurten["area_code"].iloc[0]
    at = kaart(wat="misdrijven", niveau="buurt", selectie=buurt)
    frame = at.dataframe[0].value
    years = frame.data if hasattr(frame, "data") else frame
    assert list(years.columns) == ["Jaar", "Aantal"]
    assert [int(y) for y in years["Jaar"]] == sorted(world.releases)
    assert not any(c.value.endswith("per maand") for c in at.caption)


def _trend_rows(at: AppTest) -> pd.DataFrame:
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return next(frame for frame in frames if "Reeks" in frame.columns)


@pytest.mark.parametrize(
    ("gebied", "wat", "params"),
    [
        ("BU05050100", "1.1.1", {"per": "month", "12m": "ja", "maanden": "2025-01..2025-02"}),  # one buurt, monthly
        ("WK050503", "1.4.1", {"per": "quarter"}),  # zeden per wijk, by quarter
        ("dordt-west", "hic", {"per": "year", "index": "2019"}),
        ("WK050501,BU05050101", "misdrijven", {"per": "month"}),
    ],
)
def test_public_trends_are_the_release_per_calendar_year(worlds, built_db, monkeypatch, gebied, wat, params):
    monkeypatch.setenv("IVP_DB", str(built_db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(
        {"gemeente": "GM0505", "jaar": "2025", "openbaar": "ja", "gebied": gebied, "wat": wat, **params}
    )
    at.switch_page("dashboard/pages/trends.py").run()
    assert not at.exception, [e.message for e in at.exception]
    rows = _trend_rows(at)
    world = worlds["GM0505"]
    starts = pd.to_datetime(rows["Periode"])
    assert (starts.dt.month == 1).all() and set(starts.dt.year) <= set(world.releases), "whole calendar years only"
    wijk_of = dict(zip(world.buurten["area_code"], world.buurten["parent_code"], strict=True))
    for target in gebied.split(","):
        level = "buurt" if target in wijk_of else "wijk" if target.startswith("WK") else "groep"
        figure_level, members = world.groups[target] if level == "groep" else (level, (target,))
        lowest = min(("buurt" if t in wijk_of else "wijk" for t in gebied.split(",")), key=disclosure.level_rank)
        codes, _, _ = disclosure.public_selection(world.options[wat], lowest, world.options, RULES)
        mine = rows[rows["Reeks"].str.startswith(at.multiselect(key="trends_gebieden").format_func(target))]
        values = dict(zip(pd.to_datetime(mine["Periode"]).dt.year, mine["Waarde"], strict=True))
        released = {
            year: disclosure.public_figure(world.releases[year], figure_level, members, codes, RULES)
            for year in {*values, *([int(params["index"])] if "index" in params else [])}
        }
        for year, value in values.items():
            _is_release(value, released[year], released.get(int(params.get("index", 0))), (target, year))


def _is_release(value: float, figure: tuple[float, str], base: tuple[float, str] | None, where: object) -> None:
    """A value the chart sends is the release's count (`figure`: count and reason; hidden: a gap),
    or its index on the base year's release (`base`; hidden: the whole series a gap)."""
    (count, reason), hidden_base = figure, base is not None and bool(base[1])
    if reason or hidden_base:
        assert pd.isna(value), (where, value, figure, base)
    else:
        assert value == pytest.approx(count / base[0] * 100 if base else count), (where, value, figure, base)


# --- Overzicht, Wijkprofiel and Voor en na in the public view ------------------------------------


def _page(built_db, monkeypatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("IVP_DB", str(built_db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"gemeente": "GM0505", "jaar": "2025", "openbaar": "ja", **params})
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _text(value: str) -> str:
    """Markdown text as a reader sees it (the escapes that keep outside text literal resolved)."""
    return re.sub(r"\\(.)", r"\1", value)


def _wijk_codes(db, gemeente: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT display_name, area_code FROM areas WHERE gemeente_code = ? AND area_level = 'wijk'", [gemeente]
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(("gemeente", "jaar"), [("GM0505", "2020"), ("GM0505", "2025"), ("GM0388", "2024")])
def test_the_public_overzicht_shows_the_release(worlds, built_db, db, monkeypatch, gemeente, jaar):
    """Key figures, "Wat valt op" (calendar year against the year before) and the wijk table hold
    the release's figures only: a listed change is a pair of shown release figures."""
    at = _page(built_db, monkeypatch, "dashboard/pages/overzicht.py", gemeente=gemeente, jaar=jaar)
    world, year = worlds[gemeente], int(jaar)
    release = world.releases[year]
    for metric, option in zip(at.metric, ("misdrijven", "hic", "overlast"), strict=True):  # the cards' order
        assert _number(metric.value) == _label(
            *disclosure.public_figure(release, "gemeente", ("",), world.options[option], RULES)
        )
    wijk_of = dict(zip(world.buurten["area_code"], world.buurten["parent_code"], strict=True))
    links = [
        dict(parse_qsl(link.proto.query_string)) for link in at.main.get("page_link") if link.proto.label == "Trend"
    ]
    lines = [_text(m.value) for m in at.markdown if "→" in m.value]
    assert len(lines) == len(links)
    for params, line in zip(links, lines, strict=True):
        assert params["maanden"] == f"{year - 1}-01..{year}-12" and params["per"] == "year", params
        level = "buurt" if params["gebied"] in wijk_of else "wijk"
        found = [
            disclosure.area_figure(
                world.releases[y], level, (params["gebied"],), world.options[params["wat"]], world.options, RULES
            )
            for y in (year - 1, year)
        ]
        assert all(reason == disclosure.SHOWN for _, reason in found), (params, found)
        assert f"{formatting.number(found[0][0])} → {formatting.number(found[1][0])}" in line
    if (gemeente, year) == ("GM0505", 2020):
        assert links, "the lockdown year has changes to list"
    table = at.table[-1].value
    codes = _wijk_codes(db, gemeente)
    for name, crime, overlast in zip(table["Wijk"], table["Misdrijven"], table["Overlast"], strict=True):
        for shown, option in ((crime, "misdrijven"), (overlast, "overlast")):
            expected = _label(
                *disclosure.public_figure(release, "wijk", (codes[_text(name)],), world.options[option], RULES)
            )
            assert _number(shown) == expected, (name, option)


@pytest.mark.parametrize("gebied", ["WK050507", "BU05050101", "BU05050509", "dordt-west", "kromhout"])
def test_the_public_wijkprofiel_shows_the_release(worlds, built_db, monkeypatch, gebied):
    at = _page(built_db, monkeypatch, "dashboard/pages/wijkprofiel.py", gebied=gebied)
    world = worlds["GM0505"]
    wijk_of = dict(zip(world.buurten["area_code"], world.buurten["parent_code"], strict=True))
    level, members = world.groups.get(gebied, ("buurt" if gebied in wijk_of else "wijk", (gebied,)))
    table = at.table[0].value
    options = [o for o in trends.PROFILE_OPTIONS if o in world.options]
    assert len(table) == len(options)
    for column in [c for c in table.columns if c.startswith("Aantal")]:
        year = int(column.split()[1])
        for option, shown in zip(options, table[column], strict=True):
            count, reason = disclosure.area_figure(
                world.releases[year], level, members, world.options[option], world.options, RULES
            )
            assert _number(shown) == _label(count, reason), (column, option)
    if level == "buurt":  # a buurt's themes are not public: hidden, with a note
        assert any("Openbaar per buurt alleen" in c.value for c in at.caption)
    rows = _trend_rows(at)
    starts = pd.to_datetime(rows["Periode"])
    assert (starts.dt.month == 1).all() and set(starts.dt.year) <= set(world.releases), "whole calendar years only"
    mine = rows[~rows["Reeks"].str.endswith("(gemeente)")]  # the area's line beside the gemeente's
    assert len(mine) == len(world.releases)
    with duckdb.connect(str(built_db), read_only=True) as con:
        population = queries.target_population(con, target_codes=(gebied,))
    inhabitants = dict(zip(population["year"], population["inhabitants"], strict=True))
    for start, rate in zip(pd.to_datetime(mine["Periode"]), mine["Waarde"], strict=True):  # per 1.000 inwoners
        count, reason = disclosure.area_figure(
            world.releases[start.year], level, members, world.options["misdrijven"], world.options, RULES
        )
        counted = rate * inhabitants[start.year] / 1000  # the count the rate rests on
        _is_release(counted, (count, reason), None, start.year)


def test_the_public_rank_counts_only_shown_figures(built_db, monkeypatch):
    at = _page(built_db, monkeypatch, "dashboard/pages/wijkprofiel.py", gebied="BU05050101")
    rank = next(m.value for m in at.markdown if m.value.startswith("**Rang"))
    assert "onder de buurten met een openbaar aantal" in rank


@pytest.mark.parametrize("params", [{"openbaar": "ja"}, {"openbaar": "nee", "weergave": "presentatie"}])
def test_the_public_voor_en_na_sends_no_figure(built_db, monkeypatch, params):
    at = _page(built_db, monkeypatch, "dashboard/pages/voor_en_na.py", **params)
    assert any("alleen in de interne weergave" in info.value for info in at.info)
    for kind in ("dataframe", "table", "vega_lite_chart", "deck_gl_json_chart", "metric", "selectbox"):
        assert not [e for e in at.get(kind) if kind != "selectbox" or str(e.key).startswith("maatregel")], kind


def test_an_incomplete_year_shows_the_last_complete_year_in_public(db_file, monkeypatch):
    import duckdb

    with duckdb.connect(str(db_file)) as con:  # figures up to June 2025 only
        con.execute("DELETE FROM incident_counts WHERE year = 2025 AND month > 6")
        summarise_months(con)  # as every writer of incident_counts does
    at = _page(db_file, monkeypatch, "dashboard/pages/overzicht.py")
    assert any("daarom 2024 in plaats van 2025" in info.value for info in at.info)
    assert at.caption[0].value == "Overzicht 2024 · vergeleken met 2023"
    at = _page(db_file, monkeypatch, "dashboard/pages/wijkprofiel.py", gebied="WK050507")
    assert [c for c in at.table[0].value.columns if c.startswith("Aantal")] == ["Aantal 2024", "Aantal 2023"]
