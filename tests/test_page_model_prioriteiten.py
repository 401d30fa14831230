"""The Prioriteiten page model on the default database: a plan's head, its priorities with their
status counts, goals and indicators, and the links to the incidents behind an indicator."""

from __future__ import annotations

import duckdb
import pandas as pd

from ivpdata import fetch, progress, queries
from ivpdata.page_models import prioriteiten as model
from ivpdata.safetext import markdown_literal

PLAN = "GM0505-ivp-2023-2026"


def _plan(con: duckdb.DuckDBPyConnection, plan_id: str = PLAN) -> model.Plan:
    return model.plan(fetch.on(con), "GM0505", queries.plans(con, "GM0505").set_index("plan_id").loc[plan_id])


def test_the_head_names_the_plan_its_years_and_source(con):
    chosen = queries.plans(con, "GM0505").set_index("plan_id").loc[PLAN]
    shown = _plan(con)
    assert shown.caption.startswith(f"{markdown_literal(chosen['title'])} · ")  # its title names its years
    assert shown.caption.endswith(f" · bron: {markdown_literal(chosen['source_title'])}")
    principles = shown.principles.split("\n")
    assert principles == [f"{i}. {markdown_literal(p)}" for i, p in enumerate(chosen["principles"], start=1)]
    assert len(principles) > 1


def test_every_top_level_priority_in_plan_order_with_its_indicators(con):
    rows = queries.plan_indicators(con, "GM0505")
    rows = rows[rows["plan_id"] == PLAN]
    tops = list(rows.loc[rows["parent_code"].isna(), "priority_name"].drop_duplicates())
    shown = _plan(con)
    assert [p.name for p in shown.priorities] == tops
    for priority in shown.priorities:
        mine = rows[(rows["priority_code"] == priority.code) & rows["indicator_id"].notna()]
        assert sum(priority.statuses.values()) == mine["indicator_id"].nunique()
        assert set(priority.statuses) <= set(progress.STATUS_ORDER) and 0 not in priority.statuses.values()
        assert set(priority.table["Status"]) <= {"op koers", "aandacht", "achter", "geen gegevens"}
        assert len(priority.table) == len(priority.assessed)
        for status, count in priority.statuses.items():
            assert f"[{count} {status}]" in priority.badges


def test_goals_say_when_they_are_demo_goals(con):
    shown = _plan(con)
    goals = [goal for priority in shown.priorities for goal in priority.goals]
    assert goals
    if shown.demo_goals:
        assert any(demo for _, demo in goals)
    assert model.goal_line("Minder overlast", True) == "**Doel:** Minder overlast :orange-badge[Demodoel]"
    assert model.goal_line("Minder overlast", False) == "**Doel:** Minder overlast"


def test_an_incident_indicator_links_to_its_trend(con):
    shown = _plan(con)
    lines = [line for priority in shown.priorities for line in priority.lines]
    linked = [line for line in lines if line.trend_target]
    assert linked and all(line.trend_label and line.trend_label.startswith("Trend: ") for line in linked)
    incidents = sum((p.assessed["actual_source"] == "incidents").sum() for p in shown.priorities)
    assert len(linked) == incidents


def test_a_public_view_shows_the_released_figures(con):
    chosen = queries.plans(con, "GM0505").set_index("plan_id").loc[PLAN]
    hidden = model.plan(fetch.on(con), "GM0505", chosen, figure=lambda indicator, year: (0.0, "x"))
    exact = _plan(con)
    unknown = [p.statuses.get(progress.UNKNOWN, 0) for p in hidden.priorities]
    assert sum(unknown) > 0 and all(progress.UNKNOWN not in p.statuses for p in exact.priorities)
    assert any("x" in set(p.table["Actueel"].astype(str)) for p in hidden.priorities)


def test_the_caption_names_the_plans_years_once():
    plan = pd.Series(
        {
            "title": "Integraal Veiligheidsplan 2023-2026",
            "start_year": 2023,
            "end_year": 2026,
            "motto": "",
            "source_title": "IVP",
        }
    )
    assert model.caption(plan) == "Integraal Veiligheidsplan 2023\\-2026 · bron: IVP"  # Markdown, literal
    assert model.caption(plan.replace({"Integraal Veiligheidsplan 2023-2026": "Veiligheidsplan"})).startswith(
        "Veiligheidsplan (2023-2026) · bron"
    )
