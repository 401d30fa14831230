"""Plans as data: validation with file and line, the plans in the database, and status rules."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from ivpdata import disclosure, progress, queries
from tests.support.dbstate import one_row
from tests.support.edits import build_error, line_of

PLAN = "plans/GM0505-ivp-2019-2022.yaml"
PLAN_23 = "GM0505-ivp-2023-2026"


def test_a_missing_target_year_names_file_and_line(tmp_path):
    message = build_error(tmp_path, PLAN, "target: {year: 2022, value: 600}", "target: {value: 600}")
    line = line_of(PLAN, "target: {year: 2022, value: 600}")
    assert f"data/{PLAN}, line {line}, key 'target'" in message
    assert "'target' needs a year and a value" in message


def test_an_unknown_category_in_an_indicator(tmp_path):
    message = build_error(tmp_path, PLAN, "categories: [OVL-JGD]", "categories: [OVL-XYZ]")
    assert f"data/{PLAN}, line {line_of(PLAN, 'categories: [OVL-JGD]')}" in message
    assert "unknown category 'OVL-XYZ'" in message


def test_a_direction_other_than_lower_or_higher(tmp_path):
    message = build_error(tmp_path, PLAN, "direction: lower", "direction: down")
    first_indicator = line_of(PLAN, "- id: ivp19-overlast-jeugd-meldingen")
    assert f"data/{PLAN}, line {first_indicator}, key 'direction'" in message
    assert "direction must be lower or higher, not 'down'" in message


def test_a_target_before_the_baseline(tmp_path):
    message = build_error(tmp_path, PLAN, "target: {year: 2022, value: 600}", "target: {year: 2018, value: 600}")
    assert "the target year must come after the baseline year" in message


def test_all_three_plans_with_their_structure(db):
    plans = queries.plans(db, "GM0505")
    assert list(plans["plan_id"]) == ["GM0505-ivp-2023-2026", "GM0505-ivp-2019-2022"]
    assert next(iter(plans.iloc[0]["principles"])) == "We versterken onze informatiepositie"
    assert len(plans.iloc[0]["principles"]) == 6
    rows = queries.plan_indicators(db, "GM0505")
    ivp23 = rows[rows["plan_id"] == "GM0505-ivp-2023-2026"]
    tops = list(ivp23[ivp23["parent_code"].isna()]["priority_name"].drop_duplicates())
    assert tops == ["Veilige wijken", "Maatschappelijke veiligheid", "Jeugd en veiligheid"]
    hidden = ivp23[ivp23["parent_code"] == "ivp23-maatschappelijke-veiligheid"]["priority_name"]
    assert len(hidden) == 3  # the three hidden impact themes
    ivp19 = rows[(rows["plan_id"] == "GM0505-ivp-2019-2022") & rows["parent_code"].isna()]
    assert ivp19["priority_code"].nunique() == 5
    enkhuizen = queries.plan_indicators(db, "GM0388")
    assert list(enkhuizen[enkhuizen["parent_code"].isna()]["priority_name"].drop_duplicates()) == [
        "Samen veilig leven",
        "Samen veilig ondernemen",
        "Bestuurlijke aanpak",
    ]


def test_actuals_use_published_figures_and_areas(db):
    actuals = queries.indicator_actuals(db, "GM0505", "GM0505-ivp-2019-2022").set_index(["indicator_id", "year"])
    assert actuals.loc[("ivp19-woninginbraak", 2019), "value"] == 210  # as published in document 002
    assert actuals.loc[("ivp19-woninginbraak", 2021), "value"] == 89
    assert not actuals.loc[("ivp19-woninginbraak", 2021), "is_demo"]
    assert actuals.loc[("ivp19-crimineel-vermogen", 2022), "value"] == 3_100_000  # entered by hand
    dordt_west = queries.indicator_actuals(db, "GM0505", "GM0505-ivp-2023-2026").set_index(["indicator_id", "year"])
    row = dordt_west.loc[("ivp23-overlast-dordt-west", 2022)]
    assert row["value"] == pytest.approx(row["incident_count"] * 1000 / row["inhabitants"])
    assert row["value"] == pytest.approx(26.9, abs=0.05)  # the baseline in the plan file


def test_an_area_indicator_counts_the_monthly_rows_of_its_buurten(db_file):
    """An indicator about a wijk, a buurt or an area group sums the monthly counts of the buurten in
    it (read from the yearly summary), for the years with all 12 months."""
    con = duckdb.connect(str(db_file))
    goal = one_row(con, "SELECT goal_id FROM goals JOIN priorities USING (priority_code) WHERE plan_id = ?", [PLAN_23])
    wijk, buurt = one_row(con, "SELECT parent_code, area_code FROM areas WHERE area_code = 'BU05050101'")
    targets = {"t-wijk": wijk, "t-buurt": buurt, "t-groep": "dordt-west"}
    for indicator, target in targets.items():
        con.execute(
            "INSERT INTO indicators VALUES (?, ?, 'Test', 'aantal', 'lower', 2020, 10, 2024, 5, 'incidents', "
            "['1.1.1', 'OVL-JGD'], NULL, ?, 'count', NULL, NULL, true, NULL)",
            [indicator, goal[0], target],
        )
    actuals = queries.indicator_actuals(con, "GM0505", PLAN_23).set_index(["indicator_id", "year"])["value"]
    for indicator, target in targets.items():
        expected = con.execute(
            """SELECT c.year, sum(c.incident_count)::DOUBLE FROM incident_counts AS c
            JOIN areas AS b ON c.area_code = b.area_code
            WHERE c.category_code IN ('1.1.1', 'OVL-JGD') AND (b.area_code = $t OR b.parent_code = $t
                OR b.area_code IN (SELECT area_code FROM area_targets WHERE target_code = $t)
                OR b.parent_code IN (SELECT area_code FROM area_targets WHERE target_code = $t))
            GROUP BY c.year HAVING count(DISTINCT c.month) = 12 ORDER BY c.year""",
            {"t": target},
        ).fetchall()
        assert len(expected) >= 8, target
        assert list(actuals[indicator].items()) == expected, target
    con.close()


def _indicator(direction: str, baseline: float, target: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "x",
                "direction": direction,
                "baseline_year": 2020,
                "baseline_value": baseline,
                "target_year": 2024,
                "target_value": target,
            }
        ]
    )


def _actual(year: int, value: float, count: float | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "x",
                "year": year,
                "value": value,
                "incident_count": count,
                "inhabitants": None,
                "is_demo": False,
                "is_provisional": False,
            }
        ]
    )


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "year", "value", "count", "expected"),
    [
        ("lower", 200, 160, 2022, 175, None, progress.ON_TRACK),  # ahead of the path (180 expected)
        ("lower", 200, 160, 2022, 190, None, progress.ATTENTION),  # behind, but better than 200
        ("lower", 200, 160, 2022, 205, None, progress.BEHIND),  # worse than the baseline
        ("lower", 200, 160, 2022, 190, 190, progress.ON_TRACK),  # 10 behind is within chance for 190
        ("lower", 20, 20, 2022, 36, 36, progress.BEHIND),  # 36 against 20 is beyond chance
        ("higher", 0, 80, 2024, 76, None, progress.ATTENTION),
        ("higher", 0, 80, 2024, 81, None, progress.ON_TRACK),
    ],
)
def test_status_rules(direction, baseline, target, year, value, count, expected):
    assessed = progress.assess(_indicator(direction, baseline, target), _actual(year, value, count))
    assert assessed.loc[0, "status"] == expected


def test_no_data_after_the_baseline_and_years_after_the_target():
    indicator = _indicator("lower", 200, 160)
    assert progress.assess(indicator, _actual(2020, 150)).loc[0, "status"] == progress.NO_DATA
    # a finished plan is judged on its target year, not on later years
    later = pd.concat([_actual(2024, 150), _actual(2025, 300)], ignore_index=True)
    assessed = progress.assess(indicator, later)
    assert assessed.loc[0, "year"] == 2024 and assessed.loc[0, "status"] == progress.ON_TRACK
    assert progress.expected(2020, 200, 2024, 160, 2022) == 180
    assert progress.expected(2020, 200, 2024, 160, 2030) == 160


def test_every_factsheet_figure_is_reproduced(db):
    """Document 003: every measure is in the measures table with its priority, and every incident
    figure comes back from incidents_city_year exactly as published."""
    figures = db.sql("SELECT * FROM published_figures WHERE source_id = 'doc-003'").df()
    measures = db.sql("SELECT figure_id, value, priority_code FROM measures").df().set_index("figure_id")
    for figure in figures[figures["kind"] == "measure"].itertuples():
        assert measures.loc[figure.figure_id, "value"] == figure.value
        assert measures.loc[figure.figure_id, "priority_code"] == figure.priority_code
    city = db.sql("SELECT category_code, year, incident_count FROM incidents_city_year WHERE gemeente_code = 'GM0505'")
    published = {(c, y): n for c, y, n in city.fetchall()}
    for figure in figures[figures["kind"] == "incident"].itertuples():
        assert published[(figure.category_code, figure.period_start.year)] == figure.value


def _all_assessed(db) -> list[pd.DataFrame]:
    """Every plan of both gemeenten as the Prioriteiten page assesses it."""
    result = []
    for gemeente in ("GM0505", "GM0388"):
        rows = queries.plan_indicators(db, gemeente)
        for plan_id in rows["plan_id"].unique():
            actuals = queries.indicator_actuals(db, gemeente, plan_id)
            assessed = progress.assess_plan(rows[rows["plan_id"] == plan_id], actuals)
            result.append(assessed[assessed["indicator_id"].notna()])
    return result


def test_an_expected_count_is_a_whole_number(db):
    """Cybercrime 1.454 (2022) to 1.300 (2026): in 2025 the path is at 1.338,5 incidents, shown
    and judged as 1.339; a rate keeps its decimal."""
    path = _indicator("lower", 1454, 1300).assign(unit="misdrijven per jaar")  # 2020 to 2024
    assert progress.assess(path, _actual(2023, 1400)).loc[0, "trajectory"] == 1339  # not 1.338,5 (nor 1.338)
    table = pd.concat([progress.indicator_table(a) for a in _all_assessed(db)], ignore_index=True)
    cyber = table.set_index("Indicator").loc["Cybercrime en fraude"]
    assert cyber["Verwacht"] == 1339
    counts = table[~table["Eenheid"].str.contains("per 1.000|%")]
    assert counts["Verwacht"].dropna().map(float.is_integer).all(), counts[["Indicator", "Verwacht"]]
    rate = table.set_index("Indicator").loc["Overlastregistraties in Dordt-West per 1.000 inwoners"]
    assert not float(rate["Verwacht"]).is_integer()


def test_a_status_never_contradicts_the_printed_margin(db):
    """Read the table as a reader does: op koers exactly when the actual value is on or ahead of the
    expected one, or behind it by no more than the printed margin ('–': none)."""
    checked = 0
    for assessed in _all_assessed(db):
        table = progress.indicator_table(assessed)
        for (_, row), direction in zip(table.iterrows(), assessed["direction"], strict=True):
            if row["Status"] == progress.NO_DATA:
                continue
            margin = 0.0 if pd.isna(row["Marge (±)"]) else row["Marge (±)"]
            better = 1 if direction == "higher" else -1
            within = better * (row["Actueel"] - row["Verwacht"]) >= -margin
            assert (row["Status"] == progress.ON_TRACK) == within, (row["Indicator"], row["Actueel"], margin)
            checked += 1
    assert checked >= 10
    jongeren = pd.concat([progress.indicator_table(a) for a in _all_assessed(db)]).set_index("Indicator")
    row = jongeren.loc["Jongeren per jaar bereikt"]
    assert pd.isna(row["Marge (±)"]) and row["Status"] == progress.ATTENTION  # entered by hand: no margin
    assert "alleen bij geregistreerde incidenten" in progress.METHOD and "geen marge" in progress.METHOD


def test_the_margin_is_for_registered_incidents_only():
    """1.120 young people reached against 1.150 expected: behind without a margin; the same as a
    count of registered incidents is within chance (1,96 x sqrt(1.120) = 66)."""
    indicator = _indicator("higher", 1000, 1200).assign(target_year=2026, baseline_year=2022)
    manual = progress.assess(indicator, _actual(2025, 1120)).loc[0]
    assert manual["trajectory"] == 1150 and manual["margin"] == 0 and not manual["has_margin"]
    assert manual["status"] == progress.ATTENTION
    counted = progress.assess(indicator, _actual(2025, 1120, 1120)).loc[0]
    assert counted["margin"] == 66 and counted["status"] == progress.ON_TRACK


def test_the_prioriteiten_export_says_what_the_table_says(db):
    """Its header is provisional where the table's year is, and its counts are whole numbers."""
    from ivpdata import exports

    for assessed in _all_assessed(db):
        table = progress.indicator_table(assessed).drop(columns="Verloop")
        status = progress.provisional_text(assessed)
        meta = exports.Metadata("Voortgang", "plan", "looptijd", {}, status, True, "intern")
        header, _ = exports.read_export(exports.table_csv(table, meta), "voortgang.csv")
        assert header["Voorlopige cijfers"].startswith("ja") == table["Jaar"].str.contains("voorlopig").any()
        text = exports.table_csv(table, meta).decode("utf-8-sig")
        for value in table["Basis"]:
            if float(value).is_integer():
                assert f";{int(value)};" in text and f";{int(value)},0;" not in text


def test_public_actuals_come_from_the_release():
    """Public view: an incident indicator's values are the release's figures (a rate from the public
    count), a year without a release is left out, a hidden figure gets its label and no status; a
    manual indicator keeps its values."""
    indicators = pd.concat(
        [
            _indicator("lower", 30.0, 20.0).assign(actual_source="incidents", incident_measure="per_1000"),
            _indicator("lower", 200, 160).assign(indicator_id="m", actual_source="manual", incident_measure=None),
        ],
        ignore_index=True,
    )
    rows = [(2021, 250.0, 10_000.0), (2022, 240.0, 10_000.0), (2023, 3.0, 10_000.0), (2024, 200.0, 10_000.0)]
    actuals = pd.DataFrame(
        [
            {
                "indicator_id": "x",
                "year": y,
                "value": n * 1000 / p,
                "incident_count": n,
                "inhabitants": p,
                "is_demo": False,
                "is_provisional": False,
            }
            for y, n, p in rows
        ]
        + [
            {
                "indicator_id": "m",
                "year": 2023,
                "value": 170.0,
                "incident_count": None,
                "inhabitants": None,
                "is_demo": False,
                "is_provisional": False,
            }
        ]
    )
    release = {2021: (250.0, ""), 2022: (230.0, ""), 2023: (3.0, "< 5")}  # 2024: no release yet

    public = progress.released_actuals(indicators, actuals, lambda ind, year: release.get(year))
    mine = public[public["indicator_id"] == "x"].set_index("year")
    assert list(mine.index) == [2021, 2022, 2023]
    assert mine.loc[2022, "value"] == pytest.approx(23.0)  # 230 per 10,000 inhabitants
    assert pd.isna(mine.loc[2023, "value"]) and pd.isna(mine.loc[2023, "incident_count"])
    assert mine.loc[2023, "label"] == "< 5"
    assessed = progress.assess(indicators, public).set_index("indicator_id")
    assert assessed.loc["x", "status"] == progress.UNKNOWN and assessed.loc["x", "year"] == 2023
    assert assessed.loc["m", "actual"] == 170.0 and assessed.loc["m", "status"] == progress.ON_TRACK
    table = progress.indicator_table(assessed.reset_index().assign(indicator_name="i", unit="u"))
    assert list(table["Actueel"]) == ["< 5", 170.0]
    assert list(table["Status"]) == [progress.UNKNOWN, progress.ON_TRACK]
    notes = " ".join(progress.public_notes(public, disclosure.Rules()))
    assert "< 5: minder dan 5" in notes and progress.UNKNOWN in notes

    internal = progress.assess(indicators, actuals).set_index("indicator_id")  # unchanged without a release
    assert internal.loc["x", "year"] == 2024 and internal.loc["x", "actual"] == pytest.approx(20.0)


def test_an_indicators_status_comes_first_in_its_table(db):
    """The status and the figure it rests on lead the table: at 1400 px the Status column, last of
    twelve, was cut to 'achte' at the table's right edge."""
    for assessed in _all_assessed(db):
        columns = list(progress.indicator_table(assessed).columns)
        assert columns[:4] == ["Indicator", "Status", "Actueel", "Jaar"], columns
