"""What the Prioriteiten page shows: a plan, its priorities with the status of their indicators at a
glance, and per priority its themes, goals, indicators (chart and table), links to the incidents
behind them and their notes. The Driehoeksrapportage judges the plan's priorities with the same
`priorities`, so the PDF never repeats the page's logic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from ivpdata import charts, formatting, progress, queries
from ivpdata.fetch import Fetch
from ivpdata.safetext import markdown_literal

NO_PLAN = "Voor deze gemeente is nog geen veiligheidsplan opgenomen (data/plans/)."
NO_INDICATORS = "Geen indicatoren vastgelegd."
NO_PRIORITY_INDICATORS = "Geen indicatoren vastgelegd voor deze prioriteit."
SOURCE = "gemeente (plan) en politie/CBS"

Figure = Callable[[Any, int], tuple[float, str] | None]  # a public figure: progress.released_actuals


@dataclass(frozen=True)
class IndicatorLine:
    """Under a priority's table, per indicator: a link to the incidents behind it, and its note."""

    trend_label: str | None  # Markdown, None for an indicator not counted from incidents
    trend_target: tuple[str, str] | None  # (area code, category option or codes) on the Trends page
    note: str | None  # Markdown


@dataclass(frozen=True)
class Priority:
    """A top-level priority of the plan with its indicators as judged (progress.assess_plan), and
    what the page and the PDF show of them, worked out once (`judged`): the page model is cached,
    so a rerun reads them instead of working them out again."""

    code: str
    name: str
    themes: list[str]
    statuses: dict[str, int]  # status -> number of indicators (none left out), in progress.STATUS_ORDER
    goals: list[tuple[str, bool]]  # each goal and whether it is a demo goal
    assessed: pd.DataFrame  # its indicators' rows of progress.assess_plan
    measured: pd.DataFrame  # the indicators with a figure, the bullet chart's columns only (its cache hashes them)
    table: pd.DataFrame  # the indicator table (progress.indicator_table)
    lines: list[IndicatorLine]  # per indicator: its link to Trends and its note
    is_demo: bool  # a demo goal among its indicators
    provisional: str  # progress.provisional_text

    @classmethod
    def judged(
        cls,
        head: tuple[str, str, list[str]],
        statuses: dict[str, int],
        goals: list[tuple[str, bool]],
        assessed: pd.DataFrame,
        gemeente_code: str,
    ) -> Priority:
        """A priority (code, name, themes) with its assessed indicators and what is shown of them."""
        code, name, themes = head
        return cls(
            code,
            name,
            themes,
            statuses,
            goals,
            assessed,
            measured=assessed.loc[assessed["actual"].notna(), charts.BULLET_INPUT],
            table=progress.indicator_table(assessed),
            lines=indicator_lines(assessed, gemeente_code),
            is_demo=bool(assessed["goal_is_demo"].any()),
            provisional=progress.provisional_text(assessed),
        )

    @property
    def badges(self) -> str:
        """The status counts as coloured badges (Markdown); '' without indicators."""
        return " ".join(progress.status_badge(status, count) for status, count in self.statuses.items())

    @property
    def indicator_statuses(self) -> list[str]:
        """Each indicator and its status ('Cybercrime en fraude: achter'), worst first: the slide's
        words for which indicator is behind."""
        order = pd.Categorical(self.assessed["status"], categories=progress.STATUS_ORDER, ordered=True)
        ranked = self.assessed.assign(rank=order).sort_values("rank", kind="stable")
        return [
            f"{markdown_literal(str(name))}: {status}"
            for name, status in zip(ranked["indicator_name"], ranked["status"], strict=True)
        ]


@dataclass(frozen=True)
class Plan:
    """A plan's head: its caption, principles and whether its goals are demo goals."""

    caption: str  # Markdown
    principles: str  # a numbered Markdown list, '' when the plan names none
    demo_goals: bool
    demo_indicators: bool  # an indicator's figure is demo data
    priorities: list[Priority]
    actuals: pd.DataFrame  # the indicators' yearly figures (the public release's in a public view)


def caption(plan: pd.Series) -> str:
    """'<title> (2019-2022) · “<motto>” · bron: <source>' (Markdown); the years only when the title
    does not already name them ('Integraal Veiligheidsplan 2023-2026 (2023-2026)')."""
    motto = f" · “{markdown_literal(plan['motto'])}”" if plan["motto"] else ""
    span = f"{plan['start_year']}-{plan['end_year']}"
    years = "" if span in str(plan["title"]) else f" ({span})"
    return f"{markdown_literal(plan['title'])}{years}{motto} · bron: {markdown_literal(plan['source_title'])}"


def priorities(rows: pd.DataFrame, actuals: pd.DataFrame, gemeente_code: str) -> list[Priority]:
    """The plan's top-level priorities in plan order. rows: queries.plan_indicators of one plan;
    actuals: queries.indicator_actuals (or progress.released_actuals)."""
    assessed = progress.assess_plan(rows, actuals)
    counts = progress.status_counts(assessed)
    # each priority's themes and indicators grouped once, not filtered out per priority
    themes = rows.groupby("parent_code", sort=False)["priority_name"].unique()
    indicators = dict(list(assessed[assessed["indicator_id"].notna()].groupby("priority_code", sort=False)))
    found = []
    for top in rows[rows["parent_code"].isna()].drop_duplicates("priority_code").itertuples():
        code = top.priority_code
        mine = indicators.get(code, assessed.iloc[:0])
        statuses = {s: int(n) for s, n in counts.loc[code].items() if n} if code in counts.index else {}
        demo = mine.groupby("goal", sort=False)["goal_is_demo"].any()
        goals = [(str(goal), bool(is_demo)) for goal, is_demo in demo.items()]
        head = (str(code), str(top.priority_name), list(themes.get(code, [])))
        found.append(Priority.judged(head, statuses, goals, mine, gemeente_code))
    return found


def plan(fetch: Fetch, gemeente_code: str, chosen: pd.Series, figure: Figure | None = None) -> Plan:
    """A plan (a row of queries.plans, indexed by plan_id) with its priorities judged; `figure`: the
    public release's figure of an incident indicator in a year (a public view), None for the exact ones."""
    plan_id = str(chosen.name)
    rows = fetch(queries.plan_indicators, gemeente_code=gemeente_code)
    rows = rows[rows["plan_id"] == plan_id]
    actuals = fetch(queries.indicator_actuals, gemeente_code=gemeente_code, plan_id=plan_id)
    if figure is not None:
        actuals = progress.released_actuals(rows, actuals, figure)
    principles = "\n".join(f"{i}. {markdown_literal(p)}" for i, p in enumerate(chosen["principles"], start=1))
    return Plan(
        caption=caption(chosen),
        principles=principles,
        demo_goals=bool(rows["goal_is_demo"].fillna(False).any()),
        demo_indicators=bool(actuals["is_demo"].any()) if "is_demo" in actuals else False,
        priorities=priorities(rows, actuals, gemeente_code),
        actuals=actuals,
    )


def goal_line(goal: str, is_demo: bool) -> str:
    """'**Doel:** <goal>', with a 'Demodoel' badge for a demo goal (Markdown)."""
    return f"**Doel:** {markdown_literal(goal)}" + (" :orange-badge[Demodoel]" if is_demo else "")


def styled_table(table: pd.DataFrame) -> Styler:
    """The indicator table in Dutch number format, each status in its colour."""
    return formatting.dutch_table(table, progress.table_decimals(table)).apply(
        progress.status_styles, subset=["Status"]
    )


def indicator_lines(assessed: pd.DataFrame, gemeente_code: str) -> list[IndicatorLine]:
    """Per indicator of a priority (its rows of progress.assess_plan): the link to its incidents on
    Trends, and its note."""
    lines = []
    for row in assessed.itertuples():
        target = progress.trend_target(row._asdict(), gemeente_code)
        label = f"Trend: {markdown_literal(row.indicator_name)}" if target else None
        note = markdown_literal(f"{row.indicator_name}: {row.note}") if isinstance(row.note, str) else None
        lines.append(IndicatorLine(label, target, note))
    return lines
