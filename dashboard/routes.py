"""The URL contract: every page (its file, URL path, title, icon and sidebar group).

A page is reached at `/<path>`; the default page also at `/`. Links between pages and the router
in app.py take their pages from here, never from a file name written elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

PAGES_DIR = "dashboard/pages"


@dataclass(frozen=True)
class Route:
    path: str  # the URL path and the page file's name
    title: str
    icon: str
    group: str
    default: bool = False

    @property
    def file(self) -> str:
        """The page file, relative to the project folder (where app.py runs)."""
        return f"{PAGES_DIR}/{self.path}.py"

    def page(self) -> st.Page:
        """The st.Page (its URL path is the file's name; the default page is also at `/`)."""
        return st.Page(self.file, title=self.title, icon=self.icon, default=self.default)


OVERZICHT = Route("overzicht", "Overzicht", ":material/dashboard:", "Veiligheidsbeeld", default=True)
KAART = Route("kaart", "Kaart", ":material/map:", "Veiligheidsbeeld")
TRENDS = Route("trends", "Trends", ":material/show_chart:", "Veiligheidsbeeld")
WIJKPROFIEL = Route("wijkprofiel", "Wijkprofiel", ":material/location_city:", "Veiligheidsbeeld")
PRIORITEITEN = Route("prioriteiten", "Prioriteiten", ":material/flag:", "Plan")
MAATREGELEN = Route("maatregelen", "Maatregelen", ":material/construction:", "Plan")
VOOR_EN_NA = Route("voor_en_na", "Voor en na", ":material/compare_arrows:", "Plan")
BRONNEN = Route("bronnen", "Bronnen en cijfers", ":material/menu_book:", "Verantwoording")
DATA = Route("data", "Data beheer", ":material/upload_file:", "Verantwoording")
PRESENTATIES = Route("presentaties", "Presentaties", ":material/slideshow:", "Delen")
RAPPORTAGE = Route("rapportage", "Driehoeksrapportage", ":material/picture_as_pdf:", "Delen")

ROUTES = (
    OVERZICHT,
    KAART,
    TRENDS,
    WIJKPROFIEL,
    PRIORITEITEN,
    MAATREGELEN,
    VOOR_EN_NA,
    BRONNEN,
    DATA,
    PRESENTATIES,
    RAPPORTAGE,
)


def by_path(path: str) -> Route:
    """The route of a URL path (as a saved slide names its page); KeyError for an unknown one."""
    return {route.path: route for route in ROUTES}[path]


def navigation_pages() -> dict[str, list[st.Page]]:
    """The pages per sidebar group, in order, for st.navigation."""
    groups: dict[str, list[st.Page]] = {}
    for route in ROUTES:
        groups.setdefault(route.group, []).append(route.page())
    return groups
