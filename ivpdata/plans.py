"""Plans as data: reading and validating data/plans/*.yaml (priorities, themes, uitgangspunten,
goals and indicators), with every problem reported as file, line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ivpdata.validate import ProblemCollector, display_name, read_yaml

LINE = "__line__"
DIRECTIONS = ("lower", "higher")
SOURCES = ("incidents", "measures", "survey", "manual")
INCIDENT_MEASURES = ("count", "per_1000")


class LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (as key `__line__`)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


@dataclass
class Known:
    """What plan files may refer to."""

    gemeenten: set[str]
    sources: set[str]
    categories: set[str]
    themes: set[str]
    areas: set[str]
    measures: set[str] = field(default_factory=set)


@dataclass
class PlanTables:
    plans: list[dict] = field(default_factory=list)
    priorities: list[dict] = field(default_factory=list)
    principles: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    indicator_values: list[dict] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            "plans": pd.DataFrame(self.plans),
            "priorities": pd.DataFrame(self.priorities),
            "plan_principles": pd.DataFrame(self.principles),
            "goals": pd.DataFrame(self.goals),
            "indicators": pd.DataFrame(self.indicators),
            "indicator_values": pd.DataFrame(self.indicator_values),
        }


def read_plans(data_dir: Path, known: Known, problems: ProblemCollector) -> dict[str, pd.DataFrame]:
    reader = _Reader(known, problems)
    for path in sorted((data_dir / "plans").glob("*.yaml")):
        reader.name = display_name(path, data_dir)
        plan = read_yaml(path, problems, data_dir, loader=LineLoader)
        if isinstance(plan, dict):
            reader.plan(plan)
        elif plan is not None:
            problems.add(reader.name, None, None, "expected a mapping with plan_id, gemeente_code, title, priorities")
    return reader.tables.frames()


@dataclass
class _Reader:
    """Reads the plan files into tables; every problem names the file, line and key."""

    known: Known
    problems: ProblemCollector
    tables: PlanTables = field(default_factory=PlanTables)
    seen: set[str] = field(default_factory=set)  # codes and ids, unique over all plans
    name: str = ""  # the file being read

    def report(self, line: int | None, key: str | None, message: str) -> None:
        self.problems.add(self.name, line, key, message)

    def require(self, item: dict, keys: tuple[str, ...], what: str) -> bool:
        missing = [k for k in keys if item.get(k) in (None, "")]
        for key in missing:
            self.report(item.get(LINE), key, f"{what} needs '{key}'")
        return not missing

    def plan(self, plan: dict) -> None:
        keys = ("plan_id", "gemeente_code", "title", "start_year", "end_year", "priorities")
        if not self.require(plan, keys, "a plan"):
            return
        line = plan[LINE]
        if plan["gemeente_code"] not in self.known.gemeenten:
            self.report(line, "gemeente_code", f"unknown gemeente '{plan['gemeente_code']}'")
        if plan.get("source_id") and plan["source_id"] not in self.known.sources:
            self.report(line, "source_id", f"unknown source '{plan['source_id']}'")
        plan_id = plan["plan_id"]
        self.tables.plans.append(
            {
                "plan_id": plan_id,
                "gemeente_code": plan["gemeente_code"],
                "title": plan["title"],
                "motto": plan.get("motto"),
                "start_year": int(plan["start_year"]),
                "end_year": int(plan["end_year"]),
                "source_id": plan.get("source_id"),
            }
        )
        for order, principle in enumerate(plan.get("uitgangspunten") or [], start=1):
            if self.require(principle, ("name",), "an uitgangspunt"):
                self.tables.principles.append(
                    {"plan_id": plan_id, "sort_order": order, "name": principle["name"], "text": principle.get("text")}
                )
        for order, priority in enumerate(plan["priorities"] or [], start=1):
            self.priority(priority, None, order, plan)

    def priority(self, priority: Any, parent: str | None, order: int, plan: dict) -> None:
        if not isinstance(priority, dict) or not self.require(priority, ("code", "name"), "a priority"):
            return
        code = priority["code"]
        if code in self.seen:
            self.report(priority[LINE], "code", f"duplicate priority code '{code}'")
        self.seen.add(code)
        self.tables.priorities.append(
            {
                "priority_code": code,
                "plan_id": plan["plan_id"],
                "parent_code": parent,
                "name": priority["name"],
                "description": priority.get("description"),
                "sort_order": order,
            }
        )
        for sub_order, theme in enumerate(priority.get("themes") or [], start=1):
            self.priority(theme, code, sub_order, plan)
        for goal in priority.get("goals") or []:
            if not self.require(goal, ("id", "description", "indicators"), "a goal"):
                continue
            if goal["id"] in self.seen:
                self.report(goal[LINE], "id", f"duplicate goal id '{goal['id']}'")
            self.seen.add(goal["id"])
            self.tables.goals.append(
                {
                    "goal_id": goal["id"],
                    "priority_code": code,
                    "description": goal["description"],
                    "is_demo": bool(goal.get("demo", False)),
                }
            )
            for indicator in goal["indicators"]:
                self.indicator(indicator, goal, plan)

    def year_value(self, item: dict, key: str) -> tuple[int, float] | None:
        point = item.get(key)
        if point is None:
            self.report(item[LINE], key, f"an indicator needs '{key}' with year and value")
            return None
        if not isinstance(point, dict) or "year" not in point or "value" not in point:
            line = point.get(LINE, item[LINE]) if isinstance(point, dict) else item[LINE]
            self.report(line, key, f"'{key}' needs a year and a value")
            return None
        line = point[LINE]
        try:
            year, value = int(point["year"]), float(point["value"])
        except (TypeError, ValueError):
            self.report(line, key, f"'{key}' year must be a whole number and value a number")
            return None
        return year, value

    def indicator(self, indicator: dict, goal: dict, plan: dict) -> None:
        if not self.require(indicator, ("id", "name", "unit", "direction", "actual"), "an indicator"):
            return
        line = indicator[LINE]
        if indicator["id"] in self.seen:
            self.report(line, "id", f"duplicate indicator id '{indicator['id']}'")
        self.seen.add(indicator["id"])
        if indicator["direction"] not in DIRECTIONS:
            self.problems.add(
                self.name, line, "direction", f"direction must be lower or higher, not '{indicator['direction']}'"
            )
        baseline = self.year_value(indicator, "baseline")
        target = self.year_value(indicator, "target")
        if baseline and target and target[0] <= baseline[0]:
            self.problems.add(
                self.name, indicator["target"][LINE], "target", "the target year must come after the baseline year"
            )
        actual = indicator["actual"]
        source = actual.get("source") if isinstance(actual, dict) else None
        actual_line = actual.get(LINE, line) if isinstance(actual, dict) else line
        if source not in SOURCES:
            self.problems.add(
                self.name, actual_line, "actual.source", f"source must be one of {', '.join(SOURCES)}, not '{source}'"
            )
            return
        self.actual(actual, actual_line, plan)
        self.values(actual, actual_line, indicator, goal, plan)
        if baseline and target:
            self.tables.indicators.append(_indicator_row(indicator, goal, plan, baseline, target))

    def actual(self, actual: dict, line: int, plan: dict) -> None:
        """Check what an indicator's actual values refer to: categories, theme, area, measure type."""
        source = actual["source"]
        categories, theme, area = _actual_refers_to(actual, plan)
        for category in categories:
            if category not in self.known.categories:
                self.report(line, "actual.categories", f"unknown category '{category}'")
        if theme and theme not in self.known.themes:
            self.report(line, "actual.theme", f"unknown theme '{theme}'")
        if source == "incidents":
            if not categories and not theme:
                self.problems.add(self.name, line, "actual", "an incidents indicator needs categories or a theme")
            if area not in self.known.areas:
                self.report(line, "actual.area", f"unknown area '{area}'")
            if actual.get("measure", "count") not in INCIDENT_MEASURES:
                self.report(line, "actual.measure", "measure must be count or per_1000")
        if source == "measures" and actual.get("measure_code") not in self.known.measures:
            self.problems.add(
                self.name, line, "actual.measure_code", f"unknown measure type '{actual.get('measure_code')}'"
            )

    def values(self, actual: dict, line: int, indicator: dict, goal: dict, plan: dict) -> None:
        """The values per year an indicator's file gives (a manual indicator needs them)."""
        values = actual.get("values") or {}
        if actual["source"] == "manual" and not values:
            self.report(line, "actual.values", "a manual indicator needs values per year")
        for year, value in values.items():
            if year == LINE:
                continue
            if not isinstance(year, int) or not isinstance(value, int | float):
                self.problems.add(self.name, line, "actual.values", f"'{year}: {value}' is not a year with a number")
                continue
            self.tables.indicator_values.append(
                {
                    "indicator_id": indicator["id"],
                    "year": year,
                    "value": float(value),
                    "source_id": actual.get("source_id", "demo" if goal.get("demo") else plan.get("source_id")),
                    "is_demo": bool(goal.get("demo", False)),
                }
            )


def _actual_refers_to(actual: dict, plan: dict) -> tuple[list[str], str | None, str]:
    """The categories, theme and area an indicator's actual values name (the area: the plan's
    gemeente unless given)."""
    categories = [str(c) for c in actual.get("categories") or []]
    return categories, actual.get("theme"), actual.get("area", plan["gemeente_code"])


def _indicator_row(
    indicator: dict, goal: dict, plan: dict, baseline: tuple[int, float], target: tuple[int, float]
) -> dict:
    """The indicators table row of a checked indicator."""
    actual = indicator["actual"]
    source = actual["source"]
    categories, theme, area = _actual_refers_to(actual, plan)
    return {
        "indicator_id": indicator["id"],
        "goal_id": goal["id"],
        "name": indicator["name"],
        "unit": indicator["unit"],
        "direction": indicator["direction"],
        "baseline_year": baseline[0],
        "baseline_value": baseline[1],
        "target_year": target[0],
        "target_value": target[1],
        "actual_source": source,
        "category_codes": categories or None,
        "theme_code": theme,
        "target_code": area if source == "incidents" else actual.get("area"),
        "incident_measure": actual.get("measure", "count") if source == "incidents" else None,
        "measure_code": actual.get("measure_code"),
        "survey_question": actual.get("question"),
        "is_demo_target": bool(indicator.get("demo_target", goal.get("demo", False))),
        "note": indicator.get("note"),
    }
