"""Progress on a plan's indicators: the trajectory from baseline to target, and a status that
allows for chance.

The trajectory runs in a straight line from the baseline (year, value) to the target (year,
value). An indicator is judged on its latest actual year up to the target year:
- "op koers": at or better than the trajectory, or worse by less than chance explains;
- "aandacht": behind the trajectory beyond chance, but better than the baseline;
- "achter": behind the trajectory and no better than the baseline.
Chance: a count of registered incidents n varies by about sqrt(n) (Poisson); a rate per 1,000 by
the same in proportion. Values entered by hand, survey results and counted measures have no such
margin: they are compared with the trajectory as they are.

The status is decided on the numbers as they are printed beside it (actual, expected value and
margin, each rounded as shown: whole numbers for a count, one decimal otherwise), so that a reader
who checks the printed rule gets the printed status. An expected count is a whole number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from ivpdata import disclosure

ON_TRACK, ATTENTION, BEHIND, NO_DATA = "op koers", "aandacht", "achter", "geen gegevens"
UNKNOWN = "onbekend"  # public view: the latest figure is hidden by the disclosure rules
STATUS_ORDER = [BEHIND, ATTENTION, ON_TRACK, UNKNOWN, NO_DATA]
STATUS_COLOURS = {ON_TRACK: "#1a9850", ATTENTION: "#e6a100", BEHIND: "#d73027", UNKNOWN: "#bdbdbd", NO_DATA: "#9e9e9e"}
Z = 1.96  # a 95% margin


# Units of a rate or share: their values keep a decimal; other indicators with whole baseline and
# target values count something (incidents, young people reached, euros) and are whole numbers.
RATE_UNIT = re.compile(r"per 1[.]?000|%|procent", re.IGNORECASE)


def expected(baseline_year: int, baseline: float, target_year: int, target: float, year: int) -> float:
    """The trajectory's value in `year` (the baseline before it, the target after it)."""
    share = min(max((year - baseline_year) / (target_year - baseline_year), 0.0), 1.0)
    return baseline + (target - baseline) * share


def is_count(unit: object, incident_measure: object, baseline: float, target: float) -> bool:
    """Whether an indicator counts whole things: not a rate or share, whole baseline and target."""
    if incident_measure == "per_1000" or (isinstance(unit, str) and RATE_UNIT.search(unit)):
        return False
    return float(baseline).is_integer() and float(target).is_integer()


def shown(value: float, decimals: int) -> float:
    """A value rounded as it is printed (half up: 1.338,5 expected incidents read as 1.339)."""
    if value is None or pd.isna(value):
        return math.nan
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def has_margin(incident_count: float | None) -> bool:
    """Only a value built from registered incidents has a chance margin."""
    return incident_count is not None and not pd.isna(incident_count)


def margin(incident_count: float | None, inhabitants: float | None, value: float) -> float:
    """The chance margin (95%) of an actual value: Poisson for incident counts, zero otherwise."""
    if incident_count is None or not has_margin(incident_count):
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
    histories = dict(list(actuals.sort_values("year").groupby("indicator_id", sort=False)))  # once, not per indicator
    for ind in indicators.itertuples():
        history = histories.get(ind.indicator_id, actuals.iloc[:0])
        # judged in the plan period: a finished plan on its target year, not on later years
        after = history[(history["year"] > ind.baseline_year) & (history["year"] <= ind.target_year)]
        row = {
            "indicator_id": ind.indicator_id,
            "history": [float(v) for v in history["value"]],
            "history_years": [int(y) for y in history["year"]],
            "label": "",
        }
        if after.empty:
            rows.append(row | {"status": NO_DATA})
            continue
        latest = after.iloc[-1]
        if hidden_label(latest):  # public view: a hidden figure gets no status
            rows.append(row | _hidden(latest))
            continue
        decimals = (
            0
            if is_count(
                getattr(ind, "unit", None), getattr(ind, "incident_measure", None), ind.baseline_value, ind.target_value
            )
            else 1
        )
        trajectory = shown(
            expected(ind.baseline_year, ind.baseline_value, ind.target_year, ind.target_value, int(latest["year"])),
            decimals,
        )
        actual = float(latest["value"])
        chance = shown(margin(latest.get("incident_count"), latest.get("inhabitants"), actual), decimals)
        span = ind.target_value - ind.baseline_value
        judged = status(ind.direction, ind.baseline_value, trajectory, shown(actual, decimals), chance)
        rows.append(
            row
            | {
                "year": int(latest["year"]),
                "actual": actual,
                "trajectory": trajectory,
                "margin": chance,
                "has_margin": has_margin(latest.get("incident_count")),
                "decimals": decimals,
                "is_provisional": bool(latest["is_provisional"]),
                "is_demo": bool(latest["is_demo"]),
                "progress": (actual - ind.baseline_value) / span * 100 if span else np.nan,
                "status": judged,
            }
        )
    return indicators.merge(pd.DataFrame(rows), on="indicator_id", how="left")


def hidden_label(actual: pd.Series) -> str:
    """'< 5' or 'x' when a public view hides this actual value (`released_actuals`), else ''."""
    label = actual.get("label")
    return label if isinstance(label, str) else ""


def _hidden(latest: pd.Series) -> dict[str, object]:
    """An assessed row whose latest actual is hidden: its label in place of the value, no status."""
    return {
        "year": int(latest["year"]),
        "actual": np.nan,
        "label": hidden_label(latest),
        "trajectory": np.nan,
        "margin": np.nan,
        "has_margin": False,
        "decimals": np.nan,
        "is_provisional": bool(latest["is_provisional"]),
        "is_demo": bool(latest["is_demo"]),
        "progress": np.nan,
        "status": UNKNOWN,
    }


def released_actuals(
    indicators: pd.DataFrame,
    actuals: pd.DataFrame,
    figure: Callable[[Any, int], tuple[float, str] | None],
) -> pd.DataFrame:
    """`actuals` as a public view shows them: each incident indicator's yearly values from the
    public release. figure(indicator, year) gives (count, label: '' shown, '< 5' or 'x') or None
    when the year has no release (a year still running): that year is left out. A rate per 1,000
    is computed from the public count; a hidden figure has no value or count, only its label.
    Other sources are unchanged."""
    by_id = {ind.indicator_id: ind for ind in indicators.itertuples()}
    rows = []
    for actual in actuals.itertuples(index=False):
        ind = by_id.get(actual.indicator_id)
        if ind is None or ind.actual_source != "incidents":
            rows.append(actual._asdict() | {"label": ""})
            continue
        found = figure(ind, int(actual.year))
        if found is None:
            continue
        count, label = found
        value = count * 1000.0 / actual.inhabitants if ind.incident_measure == "per_1000" else count
        rows.append(
            actual._asdict()
            | {"incident_count": np.nan if label else count, "value": np.nan if label else value, "label": label}
        )
    return pd.DataFrame(rows, columns=[*actuals.columns, "label"])


PUBLIC_NOTE = (
    "Openbare weergave: incidentcijfers per heel kalenderjaar uit de openbare publicatie (dezelfde cijfers als "
    "op de Kaart en bij Trends); een jaar dat nog loopt staat er niet in."
)
UNKNOWN_NOTE = (
    f"Status {UNKNOWN}: het cijfer van het laatste jaar is afgeschermd, daaruit wordt geen status berekend. "
    "Een afgeschermd jaar is in het verloop leeg."
)


def public_notes(actuals: pd.DataFrame, rules: disclosure.Rules) -> list[str]:
    """Dutch notes of the public page: where its incident figures come from and, for the labels
    that occur ('< 5', 'x'), what they mean and that a hidden figure has no status."""
    labels = set(actuals["label"].dropna()) - {""}
    reasons = [disclosure.SMALL] * (rules.small_label in labels) + [disclosure.COMPLEMENTARY] * (
        disclosure.HIDDEN_MARK in labels
    )
    return [PUBLIC_NOTE, *rules.notes(reasons), *([UNKNOWN_NOTE] if labels else [])]


def status_counts(assessed: pd.DataFrame) -> pd.DataFrame:
    """Per priority: how many indicators have each status (for the one-screen summary)."""
    have = assessed[assessed["indicator_id"].notna()]
    counts = have.groupby(["priority_code", "status"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[s for s in STATUS_ORDER if s in counts.columns])


def indicator_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """The indicators of one priority as a table, its status and latest figure first (what a narrow
    screen shows without scrolling); `Verloop` holds the yearly values (a sparkline)."""
    have = assessed[assessed["indicator_id"].notna()]
    return pd.DataFrame(
        {
            "Indicator": have["indicator_name"],
            "Status": have["status"],
            "Actueel": [
                label if isinstance(label, str) and label else shown(v, int(d)) if pd.notna(d) else v
                for v, d, label in zip(have["actual"], have["decimals"], _labels(have), strict=True)
            ],
            "Jaar": [
                "–" if pd.isna(year) else f"{int(year)}" + (" (voorlopig)" if provisional is True else "")
                for year, provisional in zip(have["year"], have["is_provisional"], strict=True)
            ],
            "Verwacht": have["trajectory"],
            "Marge (±)": have["margin"].where(have["has_margin"].fillna(False).astype(bool)),
            "Doel": have["target_value"],
            "Doeljaar": have["target_year"].astype("Int64").astype(str),
            "Basis": have["baseline_value"],
            "Basisjaar": have["baseline_year"].astype("Int64").astype(str),
            "Eenheid": have["unit"],
            "Verloop": have["history"],
        }
    ).reset_index(drop=True)


def _labels(assessed: pd.DataFrame) -> pd.Series:
    """Each indicator's hidden label ('< 5', 'x'; '' or NaN where its value is shown)."""
    return assessed["label"] if "label" in assessed.columns else pd.Series("", index=assessed.index)


def provisional_text(assessed: pd.DataFrame) -> str:
    """The export header's provisional status of indicators: 'ja, 2025 voorlopig (Cybercrime ...)' or 'nee'."""
    flagged = assessed[assessed["is_provisional"].map(lambda v: v is True or v is np.True_)]
    if flagged.empty:
        return "nee"
    years = ", ".join(str(int(y)) for y in sorted(set(flagged["year"])))
    return f"ja, {years} voorlopig ({'; '.join(flagged['indicator_name'])})"


def trend_target(row: Mapping[str, Any], gemeente_code: str) -> tuple[str, str] | None:
    """(area code, category option or codes) of the incidents behind an indicator, to open on the
    Trends page; None for an indicator not counted from incidents."""
    if row["actual_source"] != "incidents":
        return None
    codes = list(row["category_codes"]) if isinstance(row["category_codes"], list | np.ndarray) else []
    what = row["theme_code"] if isinstance(row["theme_code"], str) else ",".join(codes).replace("0.0.0", "misdrijven")
    area = row["target_code"] if isinstance(row["target_code"], str) else gemeente_code
    return area, what


ASSESSED_COLUMNS = [
    "history",
    "history_years",
    "year",
    "actual",
    "label",
    "trajectory",
    "margin",
    "has_margin",
    "decimals",
    "is_provisional",
    "is_demo",
    "progress",
    "status",
]
TABLE_DECIMALS = {"Basis": None, "Doel": None, "Actueel": None, "Verwacht": None, "Marge (±)": None}


def table_decimals(table: pd.DataFrame) -> dict[str, int | None]:
    """TABLE_DECIMALS for `formatting.dutch_table`, without a column that holds only labels ('x',
    '< 5': a public table whose every value is hidden), which is text as it is."""
    return {c: d for c, d in TABLE_DECIMALS.items() if not table[c].map(lambda v: isinstance(v, str)).all()}


CHART_KEY = (
    "In de grafiek: de gekleurde balk is de actuele waarde (kleur: de status), de zwarte lijn erdoor de marge; het "
    "grijze vlak loopt van de basiswaarde naar het doel, het zwarte streepje is de verwachte waarde volgens het pad "
    "en de paarse ruit het doel."
)
METHOD = (
    "Pad: een rechte lijn van de basiswaarde naar het doel; de verwachte waarde is die van het pad in het laatste "
    "jaar (een aantal als heel getal). Op koers: het laatste jaar ligt op of voor het pad, of erachter binnen de "
    "marge. Marge (±): wat toeval verklaart (95%), alleen bij geregistreerde incidenten: 1,96 maal de wortel van "
    "het aantal incidenten (bij een cijfer per 1.000 inwoners naar verhouding). Handmatig ingevoerde waarden, "
    "enquêtes en getelde maatregelen hebben geen marge (–) en worden precies met het pad vergeleken. Aandacht: "
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
