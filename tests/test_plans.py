"""Plans as data: validation with file and line, the plans in the database, and status rules."""

from __future__ import annotations

import pandas as pd
import pytest

from ivpdata import progress, queries
from tests.edits import build_error, line_of

PLAN = "plans/GM0505-ivp-2019-2022.yaml"


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
        "Samen veilig leven", "Samen veilig ondernemen", "Bestuurlijke aanpak",
    ]  # fmt: skip


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
