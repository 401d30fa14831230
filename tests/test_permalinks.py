"""Permalinks: the view of every page lives in the URL; a link opened in a new session restores it.

Each round trip sets controls of a page to values other than their defaults, takes the URL's
parameters, opens the page with exactly those in a new session (as a browser opens a shared link) and
compares everything the two sessions show: widget values, texts, tables, charts, maps, the link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from dashboard import permalinks, routes
from ivpdata.config import PROJECT_ROOT

TIMEOUT = 60
BASE_URL = "http://localhost:8501"
WIDGETS = ("selectbox", "radio", "multiselect", "toggle", "checkbox", "select_slider")
TEXTS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "code")


@pytest.fixture(autouse=True)
def _database(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IVP_DB", str(built_db))


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """A new session on `page`, opened with the URL parameters `params` (a link)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.context["url"] = BASE_URL
    at.query_params.update(params or {})
    if page == routes.OVERZICHT.path:  # the default page, at `/` (`/overzicht` is a hidden page leading there)
        at.run()
    else:
        at.switch_page(f"dashboard/pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def widgets(at: AppTest) -> dict[str, Any]:
    return {w.key: w.value for w in _elements(at, WIDGETS) if w.key}


def _elements(at: AppTest, kinds: tuple[str, ...]) -> list[Element]:
    """The elements of `kinds` on the page, in order of kind (no blocks)."""
    return [element for kind in kinds for element in at.get(kind) if isinstance(element, Element)]


def view(at: AppTest) -> dict[str, Any]:
    """Everything the page shows, in a form that compares."""
    return {
        "widgets": widgets(at),
        "texts": [(kind, element.value) for kind in TEXTS for element in _elements(at, (kind,))],
        "metrics": [(m.label, m.value, m.delta) for m in at.metric],
        "tables": [t.value.to_csv() for t in [*at.dataframe, *at.table]],
        "charts": [
            (c.proto.spec, [(d.name, _rows(d.data.data)) for d in c.proto.datasets]) for c in at.get("vega_lite_chart")
        ],
        "maps": [m.proto.json for m in at.get("deck_gl_json_chart")],
    }


def _rows(arrow: bytes) -> list[dict[str, Any]]:
    """A chart's table as its rows: equal tables can be sent as different Arrow bytes (buffer layout)."""
    return pa.ipc.open_stream(arrow).read_all().to_pylist()


def share_url(at: AppTest) -> str:
    """The link in the sidebar's share menu, opened (its link is written when it opens)."""
    at.session_state[permalinks.SHARE_KEY] = True
    at.run()
    links = [c.value for c in _elements(at, ("code",)) if c.value.startswith(BASE_URL)]
    assert len(links) == 1
    return links[0]


def round_trip(page: str, change: Callable[[AppTest], None]) -> tuple[AppTest, AppTest, dict[str, str]]:
    """Change controls in one session, open its URL in another; the two must show the same."""
    first = open_page(page)
    default = view(first)
    change(first)
    assert not first.exception, [e.message for e in first.exception]
    params = dict(first.query_params)
    assert view(first) != default  # the change shows, so the comparison below can fail
    second = open_page(page, params)
    assert dict(second.query_params) == params
    assert view(second) == view(first)
    assert share_url(second) == share_url(first)
    return first, second, params


def _set(at: AppTest, kind: str, key: str, value: Any) -> None:
    getattr(at, kind)(key=key).set_value(value).run()


def test_overzicht_round_trip():
    def change(at: AppTest) -> None:
        _set(at, "selectbox", "gemeente", "GM0388")
        _set(at, "selectbox", "jaar", 2019)
        _set(at, "toggle", "openbaar", True)

    _, second, params = round_trip("overzicht", change)
    assert params == {"gemeente": "GM0388", "jaar": "2019", "openbaar": "ja"}
    assert second.title[0].value == "Veiligheidsbeeld Enkhuizen"
    assert second.toggle(key="openbaar").value  # the public view, as the link's sender saw it


def test_kaart_round_trip():
    def change(at: AppTest) -> None:
        year = at.selectbox(key="jaar").value
        assert year is not None
        _set(at, "selectbox", "kaart_wat", "OVL-JGD")
        _set(at, "radio", "kaart_niveau", "buurt")
        _set(at, "radio", "kaart_maat", "per_1000")
        _set(at, "toggle", "kaart_hotspots", True)
        _set(at, "select_slider", "kaart_resolutie", 8)
        _set(at, "toggle", "kaart_groepen", False)
        _set(at, "select_slider", f"kaart_periode_{year}", (dt.date(year - 1, 3, 1), dt.date(year - 1, 8, 1)))
        _set(at, "toggle", "kaart_vergelijking_zelf", True)
        _set(at, "select_slider", f"kaart_vergelijking_{year}", (dt.date(year - 3, 3, 1), dt.date(year - 3, 8, 1)))
        at.session_state["kaart_selectie"] = "BU05050701"
        at.run()

    first, second, params = round_trip("kaart", change)
    year = first.selectbox(key="jaar").value
    assert year is not None
    assert params["periode"] == f"{year - 1}-03..{year - 1}-08"
    assert params["vergelijking"] == f"{year - 3}-03..{year - 3}-08"
    shown = {"hotspots": "ja", "groepen": "nee", "zeshoek": "8", "selectie": "BU05050701"}
    assert {k: params[k] for k in shown} == shown
    assert second.select_slider(key=f"kaart_periode_{year}").value == (dt.date(year - 1, 3, 1), dt.date(year - 1, 8, 1))
    assert second.toggle(key="kaart_hotspots").value and not second.toggle(key="kaart_groepen").value
    assert second.toggle(key="kaart_vergelijking_zelf").value  # a comparison chosen by hand stays chosen
    assert second.select_slider(key=f"kaart_vergelijking_{year}").value == (
        dt.date(year - 3, 3, 1),
        dt.date(year - 3, 8, 1),
    )
    assert second.subheader[0].value == "Van Kinsbergenstraat en omgeving"  # the selected buurt


@pytest.mark.parametrize(
    "settings",
    [
        {"trends_per": "year", "trends_maat": "per_1000", "trends_index": 2019},
        {"trends_per": "quarter"},
        {"trends_12m": True},
    ],
    ids=["per-jaar-index", "per-kwartaal", "12-maanden"],
)
def test_trends_round_trip(settings):
    def change(at: AppTest) -> None:  # the controls do not depend on each other: set all, then one run
        at.multiselect(key="trends_gebieden").set_value(["WK050507", "GM0505"])
        at.multiselect(key="trends_wat").set_value(["OVL-JGD", "misdrijven"])
        for key, value in settings.items():
            kind = {"trends_12m": "toggle", "trends_index": "selectbox"}.get(key, "radio")
            getattr(at, kind)(key=key).set_value(value)
        at.run()

    _, second, params = round_trip("trends", change)
    assert params["gebied"] == "WK050507,GM0505" and params["wat"] == "OVL-JGD,misdrijven"
    for key, value in settings.items():
        assert widgets(second)[key] == value


def test_wijkprofiel_round_trip():
    _, second, params = round_trip("wijkprofiel", lambda at: _set(at, "selectbox", "profiel_gebied", "kromhout"))
    assert params["gebied"] == "kromhout"
    assert second.title[0].value == "Kromhout en omgeving"


def test_prioriteiten_round_trip():
    def change(at: AppTest) -> None:
        plans = ["GM0505-ivp-2019-2022", "GM0505-ivp-2023-2026"]
        current = at.selectbox(key="prio_plan").value
        assert isinstance(current, str)
        plans.remove(current)
        _set(at, "selectbox", "prio_plan", plans[0])

    _, second, params = round_trip("prioriteiten", change)
    assert second.selectbox(key="prio_plan").value == params["plan"]


def test_maatregelen_round_trip():
    def change(at: AppTest) -> None:
        _set(at, "selectbox", "maatregel_prioriteit", "Behouden van de sociale stabiliteit")
        at.session_state["maatregel_tab"] = "Per soort"  # how a click on a tab arrives
        at.run()

    _, second, params = round_trip("maatregelen", change)
    assert params["tab"] == "Per soort"
    assert params["prioriteit"] != "Behouden van de sociale stabiliteit"  # a short code, not the name
    assert second.selectbox(key="maatregel_prioriteit").value == "Behouden van de sociale stabiliteit"
    assert second.session_state["maatregel_tab"] == "Per soort"


def test_voor_en_na_round_trip():
    choice = "demo-BU05050509-OVL-JGD:BU05050509"

    def change(at: AppTest) -> None:
        _set(at, "selectbox", "maatregel_keuze", choice)
        _set(at, "selectbox", f"maatregel_start_{choice}", "2024-06")
        _set(at, "selectbox", f"maatregel_wat_{choice}", "misdrijven")

    _, second, params = round_trip("voor_en_na", change)
    assert (params["maatregel"], params["start"], params["wat"]) == (choice, "2024-06", "misdrijven")
    assert second.selectbox(key=f"maatregel_start_{choice}").value == "2024-06"


def test_bronnen_round_trip():
    chosen: list[str] = []

    def change(at: AppTest) -> None:
        chosen.extend(at.multiselect(key="bronnen_bron").value[1:3])
        _set(at, "multiselect", "bronnen_bron", chosen)

    _, second, params = round_trip("bronnen", change)
    assert len(params["bron"].split(",")) == 2  # source ids: titles have commas in them
    assert second.multiselect(key="bronnen_bron").value == chosen
    assert set(second.dataframe[0].value["Bron"]) == set(chosen)


def test_an_emptied_multiselect_stays_empty():
    _, second, params = round_trip("bronnen", lambda at: _set(at, "multiselect", "bronnen_bron", []))
    assert params["bron"] == ""
    assert second.dataframe[0].value.empty


INVALID_LINKS = [
    (
        "kaart",
        {
            "wat": "NOPE",
            "niveau": "straat",
            "maat": "",
            "hotspots": "misschien",
            "groepen": "2",
            "zeshoek": "99",
            "periode": "2025-12..2025-01",
            "vergelijking": "1900-01..2099-13",
            "selectie": "WK999999",
        },
    ),
    ("trends", {"gebied": "XX,,YY", "wat": ",", "per": "week", "12m": "1", "index": "1850"}),
    ("voor_en_na", {"maatregel": "bestaat-niet", "start": "2025-13", "wat": "%%"}),
    ("maatregelen", {"tab": "Geen tab", "prioriteit": "onbekend"}),
    ("bronnen", {"bron": "doc-999"}),
    ("wijkprofiel", {"gebied": "GM0505"}),  # the gemeente itself has no wijkprofiel
    ("overzicht", {"gemeente": "GM9999", "jaar": "twintig"}),
]


@pytest.mark.parametrize(("page", "params"), INVALID_LINKS, ids=[page for page, _ in INVALID_LINKS])
def test_invalid_values_fall_back_to_the_defaults(page, params):
    expected = open_page(page)
    at = open_page(page, {**params, "onbekend": "blijft"})
    assert widgets(at) == widgets(expected)
    at.run()  # the next run (any click) shows the values on screen
    assert not at.exception
    assert {k: v for k, v in at.query_params.items() if k != "onbekend"} == dict(expected.query_params)
    assert at.query_params["onbekend"] == "blijft"  # not ours (presentatiemodus has its own): left alone


def test_many_areas_in_a_link_are_cut_to_what_the_widget_takes():
    at = open_page("trends", {"gebied": "GM0505,WK050501,WK050502,WK050503,WK050504,WK050505,WK050506,WK050507"})
    assert len(at.multiselect(key="trends_gebieden").value) == 6


def test_codes_typed_in_lower_case_are_the_codes():
    """A code typed by hand in lower case (gm0388, wk050507) is the code: it was refused as an
    unknown value, and the page opened on its default with a notice. The address then shows the
    code as the app writes it."""
    typed = open_page("trends", {"gemeente": "gm0505", "gebied": "gm0505,wk050507", "wat": "MISDRIJVEN"})
    written = open_page("trends", {"gemeente": "GM0505", "gebied": "GM0505,WK050507", "wat": "misdrijven"})
    assert widgets(typed) == widgets(written) and not typed.toast
    assert typed.multiselect(key="trends_gebieden").value == ["GM0505", "WK050507"]
    assert typed.query_params["gebied"] == "GM0505,WK050507" and typed.query_params["gemeente"] == "GM0505"
    kaart = open_page("kaart", {"gemeente": "gm0388", "selectie": "wk038801"})
    assert kaart.selectbox(key="gemeente").value == "GM0388" and not kaart.toast
    assert kaart.query_params["selectie"] == "WK038801"


def test_the_share_link_is_the_view():
    at = open_page("trends", {"gebied": "WK050507,GM0505", "wat": "OVL-JGD"})
    _set(at, "radio", "trends_per", "quarter")
    url = share_url(at)
    assert url.startswith(f"{BASE_URL}/trends?")
    assert "gebied=WK050507,GM0505" in url and "wat=OVL-JGD" in url and "per=quarter" in url
    assert "Deel deze weergave" in [p.proto.popover.label for p in at.get("popover")]


def test_navigating_drops_the_parameters_of_the_page_left():
    """Streamlit's sidebar starts another page with an empty query string; a link (and AppTest's
    switch_page) carries the parameters along: the new page applies its own, the rest goes."""
    at = open_page("kaart", {"jaar": "2024", "niveau": "buurt", "hotspots": "ja", "maat": "per_1000"})
    at.switch_page("dashboard/pages/trends.py").run()
    assert not at.exception
    params = dict(at.query_params)
    assert params["jaar"] == "2024" and params["gemeente"] == "GM0505"  # the sidebar's follow
    assert params["maat"] == "per_1000"  # a parameter of Trends as well: read as a link to it
    assert not {"niveau", "hotspots", "zeshoek", "periode", "vergelijking", "groepen"} & set(params)
    assert set(params) <= {"gemeente", "jaar", "openbaar", "gebied", "wat", "per", "maat", "12m", "index"}
    assert share_url(at).startswith(f"{BASE_URL}/trends?")


def test_a_link_to_another_page_applies_its_values():
    """Trends wrote wat=OVL-JGD; a link to the Kaart with the same value still sets the Kaart's."""
    at = open_page("trends", {"wat": "OVL-JGD"})
    at.query_params.clear()
    at.query_params.update({"wat": "OVL-JGD", "niveau": "buurt"})  # what st.page_link sends
    at.switch_page("dashboard/pages/kaart.py").run()
    assert not at.exception
    assert (at.selectbox(key="kaart_wat").value, at.radio(key="kaart_niveau").value) == ("OVL-JGD", "buurt")


def test_a_changed_address_applies_its_gemeente_and_year():
    """The browser's back and forward buttons, or an address pushed into the open tab, rerun the
    session with that address: its gemeente and year apply, as every other control's value does."""
    at = open_page("kaart", {"gemeente": "GM0505", "jaar": "2025"})
    at.query_params.update({"gemeente": "GM0388", "jaar": "2020"})
    at.switch_page("dashboard/pages/trends.py").run()  # back to a page of another gemeente
    assert not at.exception
    assert (at.selectbox(key="gemeente").value, at.selectbox(key="jaar").value) == ("GM0388", 2020)
    assert at.title[0].value == "Trends Enkhuizen"
    at.query_params.update({"gemeente": "GM0505", "jaar": "2024"})
    at.run()  # on the same page
    assert (at.selectbox(key="gemeente").value, at.selectbox(key="jaar").value) == ("GM0505", 2024)
    assert at.title[0].value == "Trends Dordrecht" and dict(at.query_params)["jaar"] == "2024"


def test_an_address_behind_the_sidebar_is_no_link():
    """A rerun can reach the server with the address of the run before (the browser has not shown
    the newest one yet): a gemeente or year this session wrote itself is no link, and the newest
    choice stays."""
    at = open_page("kaart", {"gemeente": "GM0505", "jaar": "2025"})
    at.selectbox(key="gemeente").set_value("GM0388")
    at.query_params.update({"gemeente": "GM0505", "jaar": "2025"})  # the address of the run before
    at.run()
    assert not at.exception and at.selectbox(key="gemeente").value == "GM0388"
    assert at.query_params["gemeente"] == "GM0388"


def test_the_default_page_links_to_the_root():
    at = open_page("overzicht")
    assert share_url(at).startswith(f"{BASE_URL}/?gemeente=")


def test_a_new_year_resets_the_kaart_period():
    at = open_page("kaart", {"jaar": "2025", "periode": "2025-03..2025-05"})
    assert at.query_params["periode"] == "2025-03..2025-05"
    _set(at, "selectbox", "jaar", 2023)
    assert at.select_slider(key="kaart_periode_2023").value == (dt.date(2023, 1, 1), dt.date(2023, 12, 1))
    assert at.query_params["periode"] == "2023-01..2023-12"


def test_a_page_that_stops_early_still_tidies_the_url_and_shares():
    at = open_page("voor_en_na", {"maatregel": "d002-kromhout-plan:kromhout", "start": "2021-03"})
    assert at.query_params["start"] == "2021-03"
    _set(at, "selectbox", "maatregel_start_d002-kromhout-plan:kromhout", None)
    assert any("Kies een startmaand" in i.value for i in at.info)
    assert "start" not in at.query_params
    assert "maatregel=d002-kromhout-plan:kromhout" in share_url(at)
