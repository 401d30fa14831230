"""Progress on a plan's indicators: the trajectory from baseline to target, and a status that
allows for chance.

The trajectory runs in a straight line from the baseline (year, value) to the target (year,
value). An indicator is judged on its latest actual year up to the target year:
- "op koers": at or better than the trajectory, or worse by less than chance explains;
- "aandacht": behind the trajectory beyond chance, but better than the baseline;
- "achter": behind the trajectory and no better than the baseline.
Chance: an incident count n varies by about sqrt(n) (Poisson); a rate per 1,000 by the same in
proportion. Values entered by hand or counted measures have no such margin.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

ON_TRACK, ATTENTION, BEHIND, NO_DATA = "op koers", "aandacht", "achter", "geen gegevens"
STATUS_ORDER = [BEHIND, ATTENTION, ON_TRACK, NO_DATA]
STATUS_COLOURS = {ON_TRACK: "#1a9850", ATTENTION: "#e6a100", BEHIND: "#d73027", NO_DATA: "#9e9e9e"}
Z = 1.96  # a 95% margin


def expected(baseline_year: int, baseline: float, target_year: int, target: float, year: int) -> float:
    """The trajectory's value in `year` (the baseline before it, the target after it)."""
    share = min(max((year - baseline_year) / (target_year - baseline_year), 0.0), 1.0)
    return baseline + (target - baseline) * share


def margin(incident_count: float | None, inhabitants: float | None, value: float) -> float:
    """The chance margin (95%) of an actual value: Poisson for counts, zero otherwise."""
    if incident_count is None or pd.isna(incident_count):
        return 0.0
    sd = math.sqrt(max(float(incident_count), 1.0))
    if inhabitants is not None and not pd.isna(inhabitants) and incident_count:
        sd *= value / float(incident_count)  # a rate moves in proportion to its count
    return Z * sd


def status(direction: str, baseline: float, trajectory: float, actual: float, chance: float) -> str:
    better = 1.0 if direction == "higher" else -1.0
    if better * (actual - trajectory) >= -chance:
        return ON_TRACK
    if better * (actual - baseline) > 0:
        return ATTENTION
    return BEHIND


def assess(indicators: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: its latest actual after the baseline, the trajectory then, status, history."""
    rows = []
    for ind in indicators.itertuples():
        history = actuals[actuals["indicator_id"] == ind.indicator_id].sort_values("year")
        # judged in the plan period: a finished plan on its target year, not on later years
        after = history[(history["year"] > ind.baseline_year) & (history["year"] <= ind.target_year)]
        row = {
            "indicator_id": ind.indicator_id,
            "history": [float(v) for v in history["value"]],
            "history_years": [int(y) for y in history["year"]],
        }
        if after.empty:
            rows.append(row | {"status": NO_DATA})
            continue
        latest = after.iloc[-1]
        trajectory = expected(
            ind.baseline_year, ind.baseline_value, ind.target_year, ind.target_value, int(latest["year"])
        )
        chance = margin(latest.get("incident_count"), latest.get("inhabitants"), float(latest["value"]))
        span = ind.target_value - ind.baseline_value
        rows.append(
            row
            | {
                "year": int(latest["year"]),
                "actual": float(latest["value"]),
                "trajectory": trajectory,
                "margin": chance,
                "is_provisional": bool(latest["is_provisional"]),
                "is_demo": bool(latest["is_demo"]),
                "progress": (float(latest["value"]) - ind.baseline_value) / span * 100 if span else np.nan,
                "status": status(ind.direction, ind.baseline_value, trajectory, float(latest["value"]), chance),
            }
        )
    return indicators.merge(pd.DataFrame(rows), on="indicator_id", how="left")


def status_counts(assessed: pd.DataFrame) -> pd.DataFrame:
    """Per priority: how many indicators have each status (for the one-screen summary)."""
    have = assessed[assessed["indicator_id"].notna()]
    counts = have.groupby(["priority_code", "status"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[s for s in STATUS_ORDER if s in counts.columns])


def indicator_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """The indicators of one priority as a table; `Verloop` holds the yearly values (a sparkline)."""
    have = assessed[assessed["indicator_id"].notna()]
    return pd.DataFrame(
        {
            "Indicator": have["indicator_name"],
            "Eenheid": have["unit"],
            "Basis": have["baseline_value"],
            "Basisjaar": have["baseline_year"].astype("Int64").astype(str),
            "Doel": have["target_value"],
            "Doeljaar": have["target_year"].astype("Int64").astype(str),
            "Actueel": have["actual"],
            "Jaar": [
                "–" if pd.isna(year) else f"{int(year)}" + (" (voorlopig)" if provisional is True else "")
                for year, provisional in zip(have["year"], have["is_provisional"], strict=True)
            ],
            "Verwacht": have["trajectory"],
            "Status": have["status"],
            "Verloop": have["history"],
        }
    ).reset_index(drop=True)


def trend_link(row: pd.Series, gemeente_code: str) -> dict[str, str] | None:
    """Query parameters of the Trends page behind an incidents indicator (None for others)."""
    if row["actual_source"] != "incidents":
        return None
    codes = list(row["category_codes"]) if isinstance(row["category_codes"], list | np.ndarray) else []
    what = row["theme_code"] if isinstance(row["theme_code"], str) else ",".join(codes).replace("0.0.0", "misdrijven")
    area = row["target_code"] if isinstance(row["target_code"], str) else gemeente_code
    return {"gebied": area, "wat": what}


ASSESSED_COLUMNS = ["history", "history_years", "year", "actual", "trajectory", "margin", "is_provisional",
                    "is_demo", "progress", "status"]  # fmt: skip
TABLE_DECIMALS = {"Basis": None, "Doel": None, "Actueel": None, "Verwacht": None}
METHOD = (
    "Pad: een rechte lijn van de basiswaarde naar het doel. Op koers: het laatste jaar ligt op of voor het pad, "
    "of erachter binnen wat toeval verklaart (95%-marge: bij aantallen de wortel van het aantal). Aandacht: "
    "achter op het pad maar beter dan de basiswaarde. Achter: niet beter dan de basiswaarde."
)


def status_badge(status: str, count: int) -> str:
    colour = {ON_TRACK: "green", ATTENTION: "orange", BEHIND: "red"}.get(status, "gray")
    return f":{colour}-badge[{count} {status}]"


def status_styles(column: pd.Series) -> list[str]:
    return [f"color: white; background-color: {STATUS_COLOURS.get(s, '#9e9e9e')}" for s in column]


def assess_plan(rows: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """`assess` for the indicator rows of plan_indicators, keeping rows without indicators."""
    assessed = assess(rows[rows["indicator_id"].notna()], actuals)
    return rows.merge(assessed[["indicator_id", *ASSESSED_COLUMNS]], on="indicator_id", how="left")


DEMO_GOALS_NOTE = (
    ":orange-badge[Demodoelen] Doelen en streefwaarden met dit label zijn illustraties bij de documenten, "
    "geen door de raad vastgestelde doelen."
)
