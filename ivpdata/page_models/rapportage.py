"""What the Driehoeksrapportage page offers: the periods a briefing can cover (whole calendar years
in a public view, any months otherwise), what the chosen version says about itself, and the PDF's
file name. The PDF itself is gathered by ivpdata.briefing."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ivpdata import exports, periods
from ivpdata.periods import Period

INTRODUCTION = (
    "Eén PDF (A4) voor het driehoeksoverleg: de kerncijfers tegen dezelfde maanden een jaar eerder, wat opvalt "
    "(veranderingen buiten het toeval), de hotspotkaart (in de openbare versie een kaart van de buurttotalen), de "
    "stand van de prioriteiten en de maatregelen in de periode."
)
MADE_ON_CLICK = "De PDF wordt gemaakt als u klikt (enkele seconden), zonder internetverbinding."


def complete_years(years: pd.DataFrame) -> list[int]:
    """The calendar years with data in all twelve months, newest first (queries.available_years)."""
    return sorted((int(y) for y in years.loc[years["months"] == 12, "year"]), reverse=True)


def public_default(year: int, complete: list[int]) -> int:
    """The calendar year a public briefing opens on for the sidebar's `year`: that year when it is
    complete, else the last complete year before it, else the newest complete one."""
    return periods.public_year(year, complete) or complete[0]


def public_caption(year: int) -> str:
    """What the public version covers and why only whole calendar years."""
    return (
        f"Openbare versie: het hele kalenderjaar {year}, vergeleken met {year - 1}; onthullingsregels toegepast "
        "(zie zijbalk). Openbare cijfers gaan alleen over hele kalenderjaren, zodat geen klein aantal uit het "
        "verschil van twee periodes volgt."
    )


def months(years: pd.DataFrame) -> list[dt.date]:
    """Every month of the years with data: the internal version's period slider."""
    return periods.month_starts(int(years["year"].min()), int(years["year"].max()))


def internal_caption(period: Period) -> str:
    """What the internal version covers and who may see it."""
    return (
        f"Periode {periods.label(period)}, vergeleken met dezelfde maanden een jaar eerder. Vertrouwelijke versie met "
        "exacte aantallen, alleen voor de driehoek. Zet in de zijbalk 'Openbare weergave' aan voor een versie die "
        "gedeeld mag worden."
    )


def file_name(gemeente_name: str, period: Period, public: bool) -> str:
    """'driehoeksrapportage_Dordrecht_2025-01_2025-12_vertrouwelijk.pdf'."""
    first, last = period[0].strftime("%Y-%m"), period[1].strftime("%Y-%m")
    version = "openbaar" if public else "vertrouwelijk"
    return exports.file_name("driehoeksrapportage", gemeente_name, first, last, version, ext="pdf")
