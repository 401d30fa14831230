"""The Bronnen page's tables: published figures and sources as Dutch text."""

from __future__ import annotations

import pandas as pd

from ivpdata import formatting

KIND_LABELS = {
    "incident": "Incidenten",
    "incident_change": "Verandering",
    "measure": "Maatregel",
    "survey": "Bewonersonderzoek",
    "context": "Context",
    "population": "Inwoners",
}
DEMO_METHOD = (
    "Zolang de politie- en CBS-exports per buurt nog niet zijn geladen, toont Veiligheidsbeeld "
    "**demodata**: maandcijfers per buurt en soort incident, 2017 tot en met 2025. Ze zijn "
    "reproduceerbaar gegenereerd met seizoenspatronen, de dip tijdens de lockdowns van 2020-2021 en "
    "ruimtelijke patronen (centrum, woonwijken, bedrijventerreinen). Waar een stadstotaal is "
    "gepubliceerd, is de som van de demodata precies dat getal. Het inwonertal per buurt is ook "
    "demodata en telt op tot het door CBS gepubliceerde inwonertal van de gemeente. "
    "Elk democijfer is gemarkeerd als *demodata*."
)


# On a slide the figures table shows what a council reads from a distance, every column whole:
# the figure, what it counts, when and where it was published.
SLIDE_COLUMNS = ["Cijfer", "Omschrijving", "Periode", "Bron"]


def period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if start == end:
        return formatting.date(start)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    return f"{formatting.date(start)} - {formatting.date(end)}"


def figures_table(figures: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Cijfer": [
                formatting.published_value(v, u, q if isinstance(q, str) else None)
                for v, u, q in zip(figures["value"], figures["unit"], figures["qualifier"], strict=True)
            ],
            "Omschrijving": figures["label"],
            "Periode": [
                period_label(s, e) for s, e in zip(figures["period_start"], figures["period_end"], strict=True)
            ],
            "Soort": figures["kind"].map(KIND_LABELS),
            "Prioriteit": figures["priority_name"].fillna(""),
            "Bron": figures["source_title"],
            "Vindplaats": figures["section"].fillna(""),
            "Citaat": figures["quote"].fillna(""),
        }
    )


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Bron": sources["title"],
            "Uitgever": sources["publisher"],
            "Jaar": sources["published"].fillna(""),
            "Licentie": sources["licence"].fillna(""),
            "Vermelding": sources["attribution"],
            "Toelichting": sources["note"].fillna(""),
        }
    )
