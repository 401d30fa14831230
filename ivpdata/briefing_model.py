"""What the Driehoeksrapportage holds: the dataclasses that `ivpdata.briefing.gather` fills and
`ivpdata.briefing_pdf.render_pdf` lays out. Both import this module and neither imports the other
back (briefing calls the layout; the layout needs only these types)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from ivpdata import mapping
from ivpdata.page_models.overzicht import NotableChange as NotableChange  # the Overzicht's, re-exported
from ivpdata.periods import Period

ATTRIBUTION = "kaart en inwoners: CBS, Kadaster"
DEMO_WARNING = (
    "Let op: dit rapport bevat demodata. Cijfers per buurt en maand zijn gegenereerd (op stadsniveau gelijk aan "
    "gepubliceerde cijfers waar die bestaan); niet gebruiken voor besluiten."
)


@dataclass(frozen=True)
class KeyFigure:
    """One key figure, formatted as the Overzicht formats it."""

    figure: str
    label: str
    count: float | None
    previous_count: float | None
    value: str  # '7.838'
    previous: str  # '7.877', '–' without a comparison
    difference: str  # '-39', '–'
    change: str  # '-0,5%', '–'
    per_1000: str  # '64,1'
    previous_per_1000: str
    verdict: str  # significance.RISE / FALL / NEUTRAL, '' without a comparison
    is_demo: bool
    is_provisional: bool
    source_line: str
    help: str
    provenance: str | None = None  # provenance.DEMO, REAL or MIXED (of both periods shown)
    comparison_note: str = ""  # why the periods are not compared ('niet vergeleken: ...'), '' when they are


@dataclass(frozen=True)
class HotspotMap:
    """The choropleth of the map option per buurt (in a public view without sensitive categories,
    or per wijk when the option is only sensitive ones), its legend and the top areas."""

    title: str
    level: str
    measure: str  # 'per_1000' or 'count' (when no inhabitants are known)
    measure_label: str
    chart: alt.TopLevelMixin | None  # None when there are no boundaries
    legend: list[mapping.LegendEntry]
    top: pd.DataFrame  # Nr, Buurt (or Wijk), Aantal, Per 1.000 inwoners, Verandering (Dutch text)
    top_counts: pd.DataFrame  # the same rows with numeric counts (for disclosure rules)
    notes: list[str]
    is_demo: bool
    table_notes: list[str] = field(default_factory=list)  # disclosure notes of the top table
    missing: str = ""  # why there is no map (no boundaries, no incidents)


@dataclass(frozen=True)
class PriorityStatus:
    """One top-level priority of the plan, with its indicators as the Prioriteiten page judges them."""

    name: str
    themes: list[str]
    statuses: dict[str, int]  # status -> number of indicators, in progress.STATUS_ORDER
    goals: list[str]
    indicators: pd.DataFrame  # Indicator, Basis, Actueel, Verwacht (pad), Doel, Status (Dutch text)


@dataclass(frozen=True)
class MeasureGroup:
    """Measure results of one priority in the period."""

    priority: str
    results: pd.DataFrame  # measures.results_table rows


@dataclass
class Briefing:
    gemeente_code: str
    gemeente_name: str
    period: Period
    comparison: Period | None
    period_text: str  # 'januari t/m oktober 2025'
    comparison_text: str  # 'januari t/m oktober 2024', '' without a comparison
    period_short: str  # 'jan–okt 2025'
    comparison_short: str  # 'jan–okt 2024', '' without a comparison
    made_on: dt.date
    public: bool
    settings: dict
    key_figures: list[KeyFigure]
    provisional_text: str  # 'juli t/m oktober 2025', '' when no month is provisional
    key_notes: list[str]  # disclosure notes (public view)
    notable: list[NotableChange]
    notable_notes: list[str]
    notable_caption: str
    city_changes: pd.DataFrame  # Categorie, Nu, Eerder, Verschil, Verandering, Oordeel (+ numeric columns)
    hotspots: HotspotMap
    plan_title: str  # '' when the gemeente has no plan
    plan_note: str
    priorities: list[PriorityStatus]
    measure_groups: list[MeasureGroup]
    area_measures: list[str]  # measures.area_measure_line without Markdown, started in the period
    earlier_area_measures: list[str]  # the same, started before the period (the last few)
    measures_note: str
    demo_parts: list[str] = field(default_factory=list)  # which parts show demo data
    city_notes: list[str] = field(default_factory=list)  # disclosure notes of the tables of changes
    public_note: str = ""  # public version: which calendar year it shows (and instead of which months)

    @property
    def is_demo(self) -> bool:
        return bool(self.demo_parts)

    @property
    def source_line(self) -> str:
        """The footer's source line: 'Bron: politie/CBS (demodata); plan: gemeente Dordrecht; ...'."""
        incidents = "politie/CBS" + (" (demodata)" if self.is_demo else "")
        parts = [f"Bron: {incidents}"]
        if self.plan_title or self.measure_groups or self.area_measures:
            parts.append(f"plan en maatregelen: gemeente {self.gemeente_name}")
        parts.append(ATTRIBUTION)
        return "; ".join(parts)
