"""Login with roles (issue 17), in headless Chromium against a real OpenID Connect provider on
loopback (oidc-provider-mock, tests/support/idp.py): each role signs in and sees what it may see,
and only that. A publiek session gets no hidden figure: not on screen, not in an export or the
PDF, and not in the websocket messages the server sends (decoded here as Streamlit's ForwardMsg).
Hostile cookies get publiek or a logout; without login configured, only 127.0.0.1 has full rights.

Every browser context records its requests: nothing leaves localhost but the identity provider
(its own login page asks for a stylesheet on a CDN: it fails, as every request out of the test
browser does, and is allowed only from the provider's pages)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow as pa
import pypdf
import pytest
from playwright.sync_api import Error as PlaywrightError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from ivpdata import periods, queries
from ivpdata.briefing_pdf import CONFIDENTIAL
from ivpdata.config import load_settings
from ivpdata.disclosure import Rules
from tests.support.browser import free_port, quiet, serve
from tests.support.idp import forged_user_cookie, identity_provider, sign_in, write_secrets
from tests.support.tabs import PARK_PATH

pytestmark = pytest.mark.browser

USERS: dict[str, dict[str, object]] = {
    "anna": {"groups": ["GG-IVP-Intern"], "name": "Anna Intern"},
    "bert": {"groups": ["GG-IVP-Beheer", "GG-IVP-Intern"], "email": "bert@gemeente.nl"},
    "piet": {},  # no groups claim, no name or email
    "olga": {"groups": ["GG-Onbekend"], "name": "Olga Onbekend"},
    "raad": {"groups": ["GG-IVP-Raad"], "email": "raad@gemeente.nl"},
}
# Who the sidebar says is signed in (name, else email, else sub), and the role.
SIGNED_IN_AS = {
    "anna": ("Anna Intern", "intern"),
    "bert": ("bert@gemeente.nl", "beheerder"),
    "piet": ("piet", "publiek"),
    "olga": ("Olga Onbekend", "publiek"),
    "raad": ("raad@gemeente.nl", "publiek"),
}
COOKIE_SECRET = secrets.token_hex(32)
INTERNAL = "Intern: exacte aantallen, geen onthullingsregels toegepast; niet voor publicatie"  # dashboard/show.py
PUBLIC_RULES = Rules.from_settings(load_settings()).summary()  # "Openbaar: aantallen onder 5 als '< 5', ..."
PUBLIC_PDF = "Openbare versie: cijfers over het hele kalenderjaar"  # ivpdata/briefing.py
IDP_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"  # oidc_provider_mock/templates/_base.html
NOT_SIGNED_IN = "Openbare weergave: log in voor de interne cijfers"
LOCAL = "Lokaal, zonder inlog"
OPEN_WITHOUT_LOGIN = "Zonder inlog: alleen de openbare weergave"
GEMEENTE, YEAR, SENSITIVE = "GM0505", 2025, "1.4.1"  # Dordrecht; zeden: public per wijk only
CASE = f"gemeente={GEMEENTE}&jaar={YEAR}"
KAART_BUURT = f"/kaart?{CASE}&wat={SENSITIVE}&niveau=buurt&openbaar=0"
KAART_HOTSPOTS = f"/kaart?{CASE}&wat=misdrijven&niveau=buurt&hotspots=ja&zeshoek=9&openbaar=nee"
WAIT_MS = 60_000


# --- what the server sends: the websocket's ForwardMsgs, decoded ----------------------------------


class Payload:
    """Everything the server sent a page: Arrow tables (dataframes, tables, chart data, styled
    display values), JSON (deck.gl maps, Vega-Lite specs), every string, the navigation's pages."""

    def __init__(self, frames: list[bytes]) -> None:
        self.tables: list[pd.DataFrame] = []
        self.json: list[object] = []
        self.strings: list[str] = []
        self.pages: list[list[str]] = []
        for frame in frames:
            message = ForwardMsg.FromString(frame)
            if message.HasField("navigation"):
                self.pages.append([page.page_name for page in message.navigation.app_pages])
            self._walk(message)
        self.text = "\n".join(self.strings)

    def _walk(self, message) -> None:
        for field, value in message.ListFields():
            values = value if field.is_repeated else [value]
            for item in values:
                if field.type == field.TYPE_MESSAGE:
                    self._walk(item)
                elif isinstance(item, bytes) and item:
                    self._arrow(item)
                elif isinstance(item, str) and item:
                    self.strings.append(item)
                    if field.name in ("json", "spec"):
                        self.json.append(json.loads(item))

    def _arrow(self, data: bytes) -> None:
        with contextlib.suppress(pa.ArrowInvalid):  # bytes that are no Arrow stream
            self.tables.append(pa.ipc.open_stream(data).read_pandas())

    def rows_about(self, code: str) -> list[dict]:
        """Every table row that names `code` in a cell."""
        return [
            row
            for table in self.tables
            for row in table.astype(object).to_dict("records")
            if any(isinstance(cell, str) and cell == code for cell in row.values())
        ]

    def features_about(self, code: str) -> list[dict]:
        """The properties of every map feature of area `code` (deck.gl layers)."""
        found: list[dict] = []
        for spec in self.json:
            for layer in spec.get("layers", []) if isinstance(spec, dict) else []:
                data = layer.get("data")
                features = data.get("features", []) if isinstance(data, dict) else []
                found += [f["properties"] for f in features if f.get("properties", {}).get("area_code") == code]
        return found

    def layer_ids(self) -> set[str]:
        return {
            str(layer.get("id")) for spec in self.json if isinstance(spec, dict) for layer in spec.get("layers", [])
        }

    def navigation(self) -> list[str]:
        """The pages of the last navigation the server sent."""
        assert self.pages, "the server sent no navigation"
        return self.pages[-1]


# --- a user: a browser context of its own ----------------------------------------------------------


class Visit:
    """One user in a browser context of their own: every request and websocket frame recorded;
    requests outside localhost are reported by `strays` (and fail: the test browser has no way
    out, tests.support.browser.NO_OUTSIDE). Given `reuse` (a context, as the `stranger` fixture gives),
    the visit takes over that context's tab instead of a context of its own (a new context costs a new
    renderer process: twice the CPU of its first page); the fixture empties it after the test."""

    def __init__(self, browser, app: str, idp: str | None = None, cookies: tuple[dict, ...] = (), reuse=None) -> None:
        self.app, self.idp = app, idp
        self.requests: list[tuple[str, str]] = []
        self.frames: list[bytes] = []
        self.reused = reuse is not None
        if reuse is None:
            reuse = browser.new_context(viewport={"width": 1600, "height": 2200}, accept_downloads=True)
        self.context = reuse
        self.context.clear_cookies()
        self.context.add_cookies(list(cookies))
        self.context.on("request", self._record)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("websocket", self._listen)

    def _record(self, request) -> None:
        try:
            origin = request.frame.url
        except Exception:  # a request without a frame (a service worker): no page to vouch for it
            origin = ""
        self.requests.append((request.url, origin))

    def _listen(self, socket) -> None:
        socket.on("framereceived", lambda payload: self.frames.append(payload) if isinstance(payload, bytes) else None)

    def strays(self) -> list[str]:
        """Requests to anything but the app and the identity provider."""
        inside = [f"{self.app}/", f"blob:{self.app}/", "data:"] + ([f"{self.idp}/"] if self.idp else [])
        return sorted(
            {
                url
                for url, origin in self.requests
                if not url.startswith(tuple(inside))
                and not (self.idp and origin.startswith(f"{self.idp}/") and url.startswith(IDP_STYLESHEET))
            }
        )

    def open(self, path: str) -> Payload:
        """The page at `path` once the app has finished drawing it, and what the server sent for it."""
        self.frames.clear()
        self.page.goto(f"{self.app}{path}")
        settle(self.page)
        return Payload(list(self.frames))

    def detach(self) -> None:
        """Stop recording: this visit's listeners removed from the context and the page."""
        self.context.remove_listener("request", self._record)
        self.page.remove_listener("websocket", self._listen)

    def close(self) -> None:
        """Checked for requests outside localhost; its own context closed (a reused one is emptied
        by the `stranger` fixture)."""
        self.detach()
        if not self.reused:
            self.context.close()
        assert self.strays() == [], "requests outside localhost"


def settle(page) -> None:
    """Wait until the script has run and stays finished (a page may rerun to tidy its URL): no
    run and no change on the page for half a second (a tidying rerun starts within milliseconds)."""
    quiet(page, 500, WAIT_MS)


def public_toggle(page):
    return page.get_by_role("switch", name="Openbare weergave")


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def sidebar_text(page) -> str:
    """The sidebar as read: without the invisible word joiner that keeps an e-mail address from becoming a link."""
    return sidebar(page).inner_text().replace("\u2060", "")


def assert_public(visit: Visit, payload: Payload) -> None:
    """What a publiek user notices: the public view is on and cannot be switched off; no internal
    export metadata and no Data beheer are sent."""
    toggle = public_toggle(visit.page)
    assert toggle.is_checked(), "the public view is off"
    assert toggle.is_disabled(), "the public view can be switched off"
    assert INTERNAL not in payload.text
    assert "Data beheer" not in payload.navigation()


def assert_data_refused(visit: Visit) -> None:
    visit.open("/data")
    assert visit.page.get_by_role("heading", name="Data beheer").count() == 0
    assert visit.page.get_by_test_id("stFileUploader").count() == 0


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    with identity_provider(USERS) as url:
        yield url


@pytest.fixture(scope="module")
def app(built_db: Path, idp: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with login configured (provider `gemeente` at the test identity provider)."""
    port = free_port()
    folder = tmp_path_factory.mktemp("login")
    path = write_secrets(folder, app_port=port, idp_url=idp, cookie_secret=COOKIE_SECRET)
    with serve(built_db, secrets=path, port=port) as url:
        yield url


@pytest.fixture(scope="module")
def stranger_context(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 2200}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def stranger(browser, stranger_context) -> Iterator[Callable[..., Visit]]:
    """Visits (`stranger(app, idp, cookies)`) that take turns in one browser context: one tab whose
    renderer stays warm from test to test. Emptied after each test, passed or failed: the visits'
    listeners removed, the tab parked on a plain page of the app and the app's storage cleared
    there, every cookie cleared; a tab that cannot be parked is closed (the next visit opens another)."""
    visits: list[Visit] = []

    def visit(app: str, idp: str | None = None, cookies: tuple[dict, ...] = ()) -> Visit:
        visits.append(Visit(browser, app, idp, cookies, reuse=stranger_context))
        return visits[-1]

    yield visit
    for made in visits:
        with contextlib.suppress(PlaywrightError):
            made.detach()
    for page in stranger_context.pages if visits else []:
        try:
            page.goto(f"{visits[-1].app}{PARK_PATH}", timeout=WAIT_MS)
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        except PlaywrightError:
            page.close()
    stranger_context.clear_cookies()


@pytest.fixture(scope="module")
def signed_in(browser, app: str, idp: str) -> Iterator[dict[str, Visit]]:
    """Each user signed in once for the module, in a browser context of their own (by sub); closed
    (and checked for requests outside localhost) before the browser, the app and the provider stop."""
    visits: dict[str, Visit] = {}
    yield visits
    for visit in visits.values():
        visit.close()


@pytest.fixture(autouse=True)
def parked(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test, the signed-in users' pages are parked on a plain page of the app (their login
    cookies stay): a map left open redraws in software WebGL, about a tenth of a core each, for the
    rest of the module, and a page of the app's own origin keeps the tab's renderer warm for the next
    test (tests/support/tabs.py). A page a failed test left broken is left as it is: the test's own
    failure says what happened."""
    yield
    if "signed_in" in request.fixturenames:
        for visit in request.getfixturevalue("signed_in").values():
            with contextlib.suppress(PlaywrightError):
                visit.page.goto(f"{visit.app}{PARK_PATH}")


def user(signed_in: dict[str, Visit], browser, app: str, idp: str, sub: str) -> Visit:
    if sub not in signed_in:
        visit = Visit(browser, app, idp)
        visit.open(f"/?{CASE}")
        sign_in(visit.page, sub)  # every use opens a page first: no need to wait for this one to settle
        signed_in[sub] = visit
    return signed_in[sub]


@pytest.fixture(scope="module")
def hidden(built_db: Path) -> tuple[str, int]:
    """A buurt's exact zeden count of the year (1 to 4): the public view shows zeden per wijk only."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        counts = queries.area_counts(con, GEMEENTE, "buurt", [SENSITIVE], periods.calendar_year(YEAR), None)
    small = counts[(counts["incident_count"] >= 1) & (counts["incident_count"] < 5)]
    row = small.sort_values(["incident_count", "area_code"], ascending=[False, True]).iloc[0]
    return str(row["area_code"]), int(row["incident_count"])


# The tests with login in two xdist groups, each with its own app and provider on its own worker:
# together they were the suite's longest run on one worker (about five minutes of a ten-minute CI).
ROLES = pytest.mark.xdist_group("tests/test_browser_login.py-rollen")
FIGURES = pytest.mark.xdist_group("tests/test_browser_login.py-cijfers")


# --- 1. each role signs in and sees exactly its rights -----------------------------------------


@ROLES
@pytest.mark.parametrize("sub", ["anna", "bert", "raad", "piet"])  # olga's unknown group: a cookie below
def test_each_role_signs_in_and_sees_its_rights(signed_in, browser, app, idp, sub):
    visit = user(signed_in, browser, app, idp, sub)
    name, role = SIGNED_IN_AS[sub]
    payload = visit.open(f"/?{CASE}")
    page = visit.page
    assert f"Ingelogd als {name} · {role}" in sidebar_text(page)
    assert page.get_by_role("button", name="Uitloggen").count() == 1
    assert page.get_by_role("button", name="Inloggen").count() == 0
    toggle = public_toggle(page)
    if role == "publiek":
        assert_public(visit, payload)
        assert_data_refused(visit)
        return
    assert not toggle.is_checked() and toggle.is_enabled(), "intern: exact figures by default, may switch"
    assert INTERNAL in payload.text
    navigation = sidebar(page).locator(".st-key-menu")  # the page menu (dashboard.frame.menu)
    if role == "beheerder":
        assert "Data beheer" in payload.navigation()
        assert navigation.get_by_text("Data beheer", exact=True).count() == 1
        visit.open("/data")
        assert page.get_by_role("heading", name="Data beheer").count() == 1
        assert page.get_by_test_id("stFileUploader").count() == 1
    else:
        assert "Data beheer" not in payload.navigation()
        assert navigation.get_by_text("Data beheer", exact=True).count() == 0
        assert_data_refused(visit)


# --- 2. publiek: URL parameters change nothing, the websocket carries no hidden figure ------------


@FIGURES
def test_intern_receives_the_figures_the_public_view_hides(signed_in, browser, app, idp, hidden):
    """The comparison's other side: for the same URLs an intern session gets the buurt's exact zeden
    count (table and map) and the hotspot layer, so the publiek checks below can fail."""
    visit = user(signed_in, browser, app, idp, "anna")
    code, count = hidden
    payload = visit.open(KAART_BUURT)
    assert any(row.get("Aantal") == count for row in payload.rows_about(code)), payload.rows_about(code)
    assert any(f"Aantal: {count}\n" in str(f.get("details")) for f in payload.features_about(code))
    assert INTERNAL in payload.text
    assert "hotspots" in visit.open(KAART_HOTSPOTS).layer_ids()


@FIGURES
def test_publiek_gets_no_hidden_figure_whatever_the_url(signed_in, browser, app, idp, hidden):
    visit = user(signed_in, browser, app, idp, "piet")  # signed in without the groups claim
    code, _ = hidden
    payload = visit.open(KAART_BUURT)
    assert_public(visit, payload)
    assert PUBLIC_RULES in payload.text  # the export menu says which rules its files carry
    assert payload.rows_about(code) == [] and payload.features_about(code) == [], "a buurt's zeden count was sent"
    assert visit.page.get_by_text("Tabel per wijk").count() == 1  # zeden per wijk only
    payload = visit.open(KAART_HOTSPOTS)
    assert_public(visit, payload)
    assert "hotspots" not in payload.layer_ids() and "Zeshoek" not in payload.text
    assert visit.page.get_by_role("heading", name="Hotspots").count() == 0
    for path in (
        f"/?{CASE}&openbaar=0",
        f"/trends?{CASE}&gebied={code}&wat={SENSITIVE}&per=month&openbaar=nee",
        f"/wijkprofiel?{CASE}&gebied={code}&openbaar=0",
    ):
        payload = visit.open(path)
        assert_public(visit, payload)
    public_toggle(visit.page).click(force=True)  # a disabled switch: a click changes nothing
    settle(visit.page)
    assert public_toggle(visit.page).is_checked()


# --- 3. publiek: every export and the PDF are the public ones --------------------------------------


def _downloads(visit: Visit) -> dict[str, bytes]:
    """Every table file (CSV, Excel) of every export menu on the page, by file name: each menu
    opened once, and again only if a download closed it. A picture (PNG) carries its figures as
    drawn marks, not text: the tables are what a hidden figure would be read from."""
    files: dict[str, bytes] = {}
    page = visit.page
    menus = page.get_by_role("button", name=re.compile("Exporteren"))
    assert menus.count() > 0, "no export menu"
    tables = re.compile(r"\((CSV|Excel)\)")
    for index in range(menus.count()):
        buttons = _open_menu(page, menus.nth(index))
        wanted = [number for number, text in enumerate(buttons.all_inner_texts()) if tables.search(text)]
        for number in wanted:
            if not buttons.nth(number).is_visible():  # the menu closed (a rerun redraws the page)
                buttons = _open_menu(page, menus.nth(index))
            with page.expect_download(timeout=WAIT_MS) as download:
                buttons.nth(number).get_by_role("button").click()
            files[download.value.suggested_filename] = Path(download.value.path()).read_bytes()
    return files


def _open_menu(page, menu):
    """The download buttons of an export menu, opened after the page has settled and every menu is closed."""
    body = page.get_by_test_id("stPopoverBody")
    page.keyboard.press("Escape")
    body.first.wait_for(state="hidden", timeout=WAIT_MS)
    settle(page)
    menu.click()
    buttons = body.get_by_test_id("stDownloadButton")
    buttons.first.wait_for(timeout=WAIT_MS)
    return buttons


def _text(name: str, content: bytes) -> str:
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None) for s in book for row in s.iter_rows(values_only=True)
        )
    if name.endswith(".png"):
        return ""  # a picture: its metadata line is drawn, not text
    return content.decode("utf-8-sig")


@FIGURES
def test_publiek_exports_are_the_public_release(signed_in, browser, app, idp, hidden):
    visit = user(signed_in, browser, app, idp, "piet")
    code, _ = hidden
    visit.open(f"{KAART_BUURT}&selectie=WK050511")
    files = _downloads(visit)
    assert any(name.endswith(".csv") for name in files) and any(name.endswith(".xlsx") for name in files)
    for name, content in files.items():
        text = _text(name, content)
        assert INTERNAL.encode() not in content, name
        assert code not in text, f"{name} names the buurt"
        if name.endswith((".csv", ".xlsx")):
            assert PUBLIC_RULES in text, name


def _pdf(visit: Visit) -> tuple[str, str]:
    page = visit.page
    with page.expect_download(timeout=3 * WAIT_MS) as download:
        page.get_by_role("button", name="Maak de driehoeksrapportage (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return download.value.suggested_filename, text


@FIGURES
def test_publiek_gets_the_public_driehoeksrapportage(signed_in, browser, app, idp):
    visit = user(signed_in, browser, app, idp, "piet")
    payload = visit.open(f"/rapportage?{CASE}&openbaar=0&periode=2025-02..2025-11")
    assert_public(visit, payload)
    assert visit.page.get_by_text("Kalenderjaar", exact=True).count() == 1
    assert visit.page.get_by_text("Periode", exact=True).count() == 0
    name, text = _pdf(visit)
    assert "openbaar" in name and PUBLIC_PDF in text and CONFIDENTIAL not in text


@FIGURES
def test_intern_gets_the_confidential_driehoeksrapportage(signed_in, browser, app, idp):
    """The other side of the PDF check: the markers tell the two versions apart."""
    visit = user(signed_in, browser, app, idp, "anna")
    visit.open(f"/rapportage?{CASE}")
    assert visit.page.get_by_text("Periode", exact=True).count() == 1
    name, text = _pdf(visit)
    assert "vertrouwelijk" in name and CONFIDENTIAL in text and PUBLIC_PDF not in text


# --- 4 and 5. not signed in; signing out -----------------------------------------------------------


@ROLES
def test_not_signed_in_sees_the_public_view_and_can_sign_in(stranger, app, idp, hidden):
    visit = stranger(app, idp)
    payload = visit.open(KAART_BUURT)
    assert_public(visit, payload)
    assert payload.rows_about(hidden[0]) == []
    assert visit.page.get_by_role("button", name="Inloggen").count() == 1
    assert sidebar(visit.page).get_by_text(NOT_SIGNED_IN).count() == 1
    assert visit.page.get_by_text("Ingelogd als").count() == 0
    assert_data_refused(visit)
    visit.close()


def _signed_out(visit: Visit) -> None:
    """Wait for the logout to end: through the provider's end_session page (its "End session"
    button) back to the app, which offers "Inloggen" again; no login cookie is left."""
    page = visit.page
    end_session = page.get_by_role("button", name="End session")
    for _ in range(3):  # the app may draw a page before it sends the browser to the provider
        end_session.or_(page.get_by_role("button", name="Inloggen")).first.wait_for(timeout=WAIT_MS)
        if end_session.count():
            end_session.click()
            page.wait_for_url(re.compile(f"^{re.escape(visit.app)}/"), timeout=WAIT_MS)
            continue
        page.wait_for_timeout(2_000)
        if page.url.startswith(f"{visit.app}/") and not end_session.count():
            break
    settle(page)
    assert page.get_by_role("button", name="Inloggen").count() == 1
    assert page.get_by_text("Ingelogd als").count() == 0
    assert not [c for c in visit.context.cookies() if c["name"].startswith("_streamlit_user")]


@ROLES
def test_sign_out_ends_the_session_at_the_provider(stranger, app, idp):
    visit = stranger(app, idp)
    visit.open(f"/?{CASE}")
    sign_in(visit.page, "anna")
    visit.page.get_by_role("button", name="Uitloggen").click()
    visit.page.wait_for_url(re.compile(f"^{re.escape(idp)}/oauth2/end_session"), timeout=WAIT_MS)
    _signed_out(visit)
    payload = visit.open(f"/?{CASE}&openbaar=0")
    assert_public(visit, payload)
    visit.close()


# --- 6. hostile input on the login path ---------------------------------------------------------------


def _claims(idp: str, **claims: object) -> dict[str, object]:
    now = int(time.time())
    found = {"sub": "mallory", "name": "Mallory", "iss": idp, "aud": ["ivp-dashboard"], "iat": now, "exp": now + 3600}
    return found | claims


@ROLES
def test_a_cookie_signed_with_another_secret_signs_nobody_in(stranger, app, idp, hidden):
    cookie = forged_user_cookie(secrets.token_hex(32), app, _claims(idp, groups=["GG-IVP-Beheer"]))
    visit = stranger(app, idp, (cookie,))
    payload = visit.open(KAART_BUURT)
    assert_public(visit, payload)
    assert visit.page.get_by_role("button", name="Inloggen").count() == 1
    assert visit.page.get_by_text("Ingelogd als").count() == 0
    assert payload.rows_about(hidden[0]) == []
    visit.close()


@ROLES
@pytest.mark.parametrize(
    "when",
    [
        pytest.param({"exp": -60}, id="expired"),
        pytest.param({"iat": -9 * 3600}, id="older-than-session-hours"),
    ],
)
def test_an_ended_session_is_signed_out_without_internal_figures(stranger, app, idp, hidden, when):
    now = int(time.time())
    claims = _claims(idp, groups=["GG-IVP-Beheer", "GG-IVP-Intern"], **{k: now + v for k, v in when.items()})
    visit = stranger(app, idp, (forged_user_cookie(COOKIE_SECRET, app, claims),))
    visit.page.goto(f"{visit.app}{KAART_BUURT}")
    _signed_out(visit)
    payload = Payload(list(visit.frames))  # everything sent since the first request
    assert INTERNAL not in payload.text
    assert payload.rows_about(hidden[0]) == [] and payload.features_about(hidden[0]) == []
    assert all("Data beheer" not in pages for pages in payload.pages)
    visit.close()


@ROLES
@pytest.mark.parametrize(
    "groups",
    [{"GG-IVP-Beheer": True}, ["GG-Onbekend"]],
    ids=["dict", "unknown"],  # numbers, other names and nested lists: tests/test_access.py
)
def test_a_groups_claim_of_another_shape_gives_publiek(stranger, app, idp, hidden, groups):
    cookie = forged_user_cookie(COOKIE_SECRET, app, _claims(idp, groups=groups))
    visit = stranger(app, idp, (cookie,))
    payload = visit.open(KAART_BUURT)
    assert sidebar(visit.page).get_by_text("Ingelogd als Mallory · publiek").count() == 1
    assert_public(visit, payload)
    assert payload.rows_about(hidden[0]) == []
    visit.close()


# --- 7 and 8. no login configured ------------------------------------------------------------------
# These need neither the provider nor the app with login: a group of their own, so that another xdist
# worker runs them beside the login tests.
WITHOUT_LOGIN = pytest.mark.xdist_group("tests/test_browser_login.py-zonder-inlog")


@pytest.fixture(scope="module")
def open_server(built_db: Path) -> Iterator[str]:
    """The app without login configured, served on every address."""
    with serve(built_db, address="0.0.0.0") as url:
        yield url


@WITHOUT_LOGIN
def test_without_login_on_every_address_everyone_is_publiek(stranger, open_server, hidden):
    visit = stranger(open_server)
    payload = visit.open(KAART_BUURT)
    assert_public(visit, payload)
    assert payload.rows_about(hidden[0]) == []
    assert sidebar(visit.page).get_by_text(OPEN_WITHOUT_LOGIN).count() == 1
    assert visit.page.get_by_text(LOCAL).count() == 0
    assert_data_refused(visit)
    visit.close()


@WITHOUT_LOGIN
def test_without_login_on_127_0_0_1_every_right_and_a_mark(stranger, server, hidden):
    visit = stranger(server)
    payload = visit.open(KAART_BUURT)
    assert sidebar(visit.page).get_by_text(LOCAL).count() == 1
    toggle = public_toggle(visit.page)
    assert not toggle.is_checked() and toggle.is_enabled()
    assert any(row.get("Aantal") == hidden[1] for row in payload.rows_about(hidden[0]))
    assert "Data beheer" in payload.navigation()
    visit.open("/data")
    assert visit.page.get_by_test_id("stFileUploader").count() == 1
    visit.close()
