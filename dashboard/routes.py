"""The URL contract: every page (its file, URL path, title, icon and sidebar group) and every
URL parameter name.

A page is reached at `/<path>`; the default page also at `/`. Links between pages and the router
in app.py take their pages from here, never from a file name written elsewhere; a page that binds
a control to the URL (`permalinks.bound`) or a link that sets one names it as `Param.X`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import streamlit as st

from ivpdata.access import Role

PAGES_DIR = "dashboard/pages"


class Param:
    """The name of every URL parameter, with the pages that read it."""

    # Every page (the sidebar): the case.
    GEMEENTE: Final = "gemeente"
    JAAR: Final = "jaar"
    OPENBAAR: Final = "openbaar"  # ja: the public view
    # Presentatiemodus: ?weergave=presentatie; a saved presentation: ?presentatie=<id>&dia=<n>.
    WEERGAVE: Final = "weergave"
    PRESENTATIE: Final = "presentatie"
    DIA: Final = "dia"
    # Kaart.
    WAT: Final = "wat"  # also Trends (several, comma-separated) and Voor en na
    NIVEAU: Final = "niveau"
    MAAT: Final = "maat"  # also Trends
    HOTSPOTS: Final = "hotspots"
    GROEPEN: Final = "groepen"
    ZESHOEK: Final = "zeshoek"
    SELECTIE: Final = "selectie"
    PERIODE: Final = "periode"  # also Driehoeksrapportage
    PERIODE_KEUZE: Final = "periodekeuze"  # a period preset (periods.PRESETS); also Trends, Driehoeksrapportage
    VERGELIJKING: Final = "vergelijking"
    # Trends and Wijkprofiel.
    GEBIED: Final = "gebied"
    PER: Final = "per"
    TWAALF_MAANDEN: Final = "12m"
    INDEX: Final = "index"
    MAANDEN: Final = "maanden"
    # Prioriteiten, Maatregelen, Voor en na, Bronnen, Driehoeksrapportage.
    PLAN: Final = "plan"
    TAB: Final = "tab"
    PRIORITEIT: Final = "prioriteit"
    MAATREGEL: Final = "maatregel"
    START: Final = "start"
    BRON: Final = "bron"
    KALENDERJAAR: Final = "jaar_rapportage"


# The value of Param.WEERGAVE for presentatiemodus; Param.OPENBAAR's value for the public view.
PRESENTATIEMODUS: Final = "presentatie"
JA: Final = "ja"
# Parameters that steer a presentation itself, never part of a saved view (a slide).
PRESENTATION_CONTROLS: Final = (Param.PRESENTATIE, Param.DIA, Param.WEERGAVE)


@dataclass(frozen=True)
class Route:
    path: str  # the URL path and the page file's name
    title: str
    icon: str
    group: str
    default: bool = False
    role: Role = Role.PUBLIEK  # the least role that may open the page

    @property
    def file(self) -> str:
        """The page file, relative to the project folder (where app.py runs)."""
        return f"{PAGES_DIR}/{self.path}.py"

    def page(self) -> st.Page:
        """The st.Page: at `/<path>`, the file's name. Streamlit serves the default page at `/` and
        keeps a name for it that no URL reaches; `aliases` makes `/<path>` lead there too."""
        if self.default:
            return st.Page(self.file, title=self.title, icon=self.icon, default=True, url_path=DEFAULT_PAGE_NAME)
        return st.Page(self.file, title=self.title, icon=self.icon)


DEFAULT_PAGE_NAME: Final = "start"  # Streamlit's name for the default page; its URL is `/`
OVERZICHT = Route("overzicht", "Overzicht", ":material/dashboard:", "Veiligheidsbeeld", default=True)
KAART = Route("kaart", "Kaart", ":material/map:", "Veiligheidsbeeld")
TRENDS = Route("trends", "Trends", ":material/show_chart:", "Veiligheidsbeeld")
WIJKPROFIEL = Route("wijkprofiel", "Wijkprofiel", ":material/location_city:", "Veiligheidsbeeld")
PRIORITEITEN = Route("prioriteiten", "Prioriteiten", ":material/flag:", "Plan")
MAATREGELEN = Route("maatregelen", "Maatregelen", ":material/construction:", "Plan")
VOOR_EN_NA = Route("voor_en_na", "Voor en na", ":material/compare_arrows:", "Plan")
BRONNEN = Route("bronnen", "Bronnen en cijfers", ":material/menu_book:", "Verantwoording")
TOEGANKELIJKHEID = Route("toegankelijkheid", "Toegankelijkheid", ":material/accessibility:", "Verantwoording")
DATA = Route("data", "Data beheer", ":material/upload_file:", "Verantwoording", role=Role.BEHEERDER)
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
    TOEGANKELIJKHEID,
    DATA,
    PRESENTATIES,
    RAPPORTAGE,
)


def by_path(path: str) -> Route:
    """The route of a URL path (as a saved slide names its page); KeyError for an unknown one."""
    return {route.path: route for route in ROUTES}[path]


def paths() -> frozenset[str]:
    """Every page's URL path: what a saved slide may show."""
    return frozenset(route.path for route in ROUTES)


def navigation_pages(role: Role) -> dict[str, list[st.Page]]:
    """The pages `role` may open, per sidebar group, in order, for st.navigation. Streamlit answers
    the URL of a page left out with "page not found" and the default page."""
    groups: dict[str, list[st.Page]] = {}
    for route in ROUTES:
        if role.at_least(route.role):
            groups.setdefault(route.group, []).append(route.page())
    return groups


def aliases() -> list[st.Page]:
    """Hidden pages that lead elsewhere: `/overzicht` to the Overzicht at `/`, with the same
    parameters (Streamlit answers a default page's own name with "Page not found")."""
    return [st.Page(_to_overzicht, title=OVERZICHT.title, url_path=OVERZICHT.path, visibility="hidden")]


def _to_overzicht() -> None:
    st.switch_page(OVERZICHT.file, query_params=st.query_params.to_dict())
