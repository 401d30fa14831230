"""The tables read from data/, as the build writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ivpdata.config import Gemeente


@dataclass
class SourceData:
    """Everything the build writes, as DataFrames named after their tables."""

    default_gemeente: str | None  # gemeenten.yaml's default; checked to be one of `gemeenten`
    gemeenten: list[Gemeente]
    sources: pd.DataFrame
    municipalities: pd.DataFrame
    areas: pd.DataFrame
    area_groups: pd.DataFrame
    area_group_members: pd.DataFrame
    area_notes: pd.DataFrame
    area_note_targets: pd.DataFrame
    themes: pd.DataFrame
    incident_categories: pd.DataFrame
    category_themes: pd.DataFrame
    published_figures: pd.DataFrame
    measure_types: pd.DataFrame
    measures: pd.DataFrame
    plans: pd.DataFrame
    priorities: pd.DataFrame
    plan_principles: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    indicator_values: pd.DataFrame
    population: pd.DataFrame
    demo_profile: dict[str, Any]
    periods: dict[str, Any]
