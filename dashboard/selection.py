"""Streamlit glue: the sidebar's choices (gemeente, jaar, public view) and what they imply for a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import access, links, permalinks
from dashboard.connection import query
from dashboard.routes import PRESENTATIEMODUS, Param
from ivpdata import queries
from ivpdata.config import load_settings
from ivpdata.disclosure import Rules
from ivpdata.overview import default_year

ATTRIBUTION = "Kaarten en inwoners: Bron: CBS, Kadaster"
DEMO_NOTE = (
    "Cijfers per buurt en maand zijn **demodata**: gegenereerd, maar op stadsniveau gelijk aan de "
    "gepubliceerde cijfers waar die bestaan. Gepubliceerde cijfers worden exact getoond."
)


@dataclass(frozen=True)
class Selection:
    gemeente_code: str
    gemeente_name: str
    year: int


def sidebar() -> Selection:
    """Gemeente and year pickers, kept in the URL (?gemeente=GM0505&jaar=2025)."""
    municipalities = query(queries.municipalities)
    names = dict(zip(municipalities["gemeente_code"], municipalities["name"], strict=True))
    codes = list(names)
    _from_url("gemeente", Param.GEMEENTE, codes, codes[0], "Gemeente")
    gemeente = st.sidebar.selectbox(
        "Gemeente", codes, format_func=lambda code: names[code], key="gemeente", placeholder="Kies een gemeente"
    )

    years = query(queries.available_years, gemeente_code=gemeente)
    year_options = [int(y) for y in years["year"]]
    _from_url("jaar", Param.JAAR, year_options, default_year(years), "Jaar")
    provisional = set(years.loc[years["is_provisional"], "year"].astype(int))
    year = st.sidebar.selectbox(
        "Jaar",
        year_options,
        key="jaar",
        format_func=lambda y: f"{y} (voorlopig)" if y in provisional else str(y),
        placeholder="Kies een jaar",
    )
    permalinks.to_url(Param.GEMEENTE, gemeente)
    permalinks.to_url(Param.JAAR, int(year))
    public_toggle()
    st.sidebar.caption(ATTRIBUTION)
    selection = Selection(gemeente, names[gemeente], int(year))
    st.session_state["selection"] = selection
    return selection


def _from_url(key: str, param: str, options: list[Any], fallback: Any, label: str) -> None:
    """Before the picker `key` is drawn: a changed address sets it (a link, the browser's back
    button), as it sets every other control (`permalinks.from_url`). Without a value among
    `options` (a new session, a year the gemeente chosen has not, a run that ended before the
    sidebar) the picker takes the address's value if it is an option, else `fallback`. A link's
    value that is no option is named (by `label`) at the end of the run."""
    permalinks.from_url(key, param, options, label=label)
    if st.session_state.get(key) not in options:
        by_text = {permalinks.url_text(option): option for option in options}
        st.session_state[key] = by_text.get(st.query_params.get(param, ""), fallback)


PUBLIC_HELP = "Toont en exporteert wat openbaar mag: kleine aantallen als '< 5', gevoelige categorieën alleen per wijk."


def public_toggle() -> None:
    """The public view: a choice for a role that may see exact figures, fixed on for `publiek`."""
    if access.public_only():
        help_text = f"{PUBLIC_HELP} Uw toegang toont alleen de openbare weergave."
        st.sidebar.toggle("Openbare weergave", value=True, disabled=True, key="openbaar_vast", help=help_text)
        permalinks.to_url(Param.OPENBAAR, True)  # the address says what is shown, whatever a link said
        return
    help_text = f"{PUBLIC_HELP} Uit: exacte aantallen voor analisten."
    permalinks.bound(st.sidebar.toggle, Param.OPENBAAR, "Openbare weergave", key="openbaar", help=help_text)
    if presenting():  # the big screen shows the public view whatever the switch says; so does the address
        permalinks.to_url(Param.OPENBAAR, True)


def current() -> Selection:
    """What the sidebar (drawn by app.py before every page) selected."""
    return st.session_state["selection"]


def demo_badge() -> None:
    st.badge("Demodata", icon=":material/science:", color="orange")


def presentatiemodus() -> bool:
    """Whether the URL asks for presentatiemodus itself (`?weergave=presentatie`)."""
    return st.query_params.get(Param.WEERGAVE) == PRESENTATIEMODUS


def case_context(year: int | None = None) -> dict[str, str]:
    """The case on screen as a link between pages carries it (`links.case_context`): a link opened
    in a new tab shows the same gemeente, year (`year`: the one the page shows, when it is not the
    sidebar's, as a public view's last whole year) and view."""
    scope = current()
    return links.case_context(scope.gemeente_code, year or scope.year, public(), presentatiemodus())


def presenting() -> bool:
    """Whether the view is shown for a big screen: presentatiemodus, or a saved presentation running."""
    return presentatiemodus() or Param.PRESENTATIE in st.query_params


def public() -> bool:
    """Whether the disclosure rules apply: always for the role `publiek` (whatever the URL or a
    widget says) and in presentatiemodus, else when the user switched to the public view (what a
    public export will contain). Analysts see exact values otherwise."""
    return access.public_only() or presenting() or bool(st.session_state.get("openbaar"))


def disclosure_rules() -> Rules:
    return Rules.from_settings(load_settings())
