"""Roles and the ways of serving (issue 17): the domain's decisions, and what each role gets on the
pages through AppTest. (A real sign-in against an identity provider is in test_browser_login.py.)"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from dashboard import routes
from ivpdata import access, edit_log
from ivpdata.access import AccessConfigError, LoginSettings, Mode, Role
from ivpdata.config import PROJECT_ROOT

TIMEOUT = 60
ROLES = {"GG-IVP-Intern": Role.INTERN, "GG-IVP-Beheer": Role.BEHEERDER, "GG-IVP-Raad": Role.PUBLIEK}
SETTINGS = LoginSettings(provider="gemeente", roles=ROLES)
SECRETS: dict[str, Any] = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "een-test-geheim-van-voldoende-lengte",
        "gemeente": {
            "client_id": "ivp-dashboard",
            "client_secret": "test-geheim",
            "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
        },
    },
    "access": {"claim": "groups", "session_hours": 8, "roles": {k: v.value for k, v in ROLES.items()}},
}


# The domain: roles from claims.


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"groups": ["GG-IVP-Intern"]}, Role.INTERN),
        ({"groups": ["GG-IVP-Intern", "GG-IVP-Beheer", "Iets anders"]}, Role.BEHEERDER),  # the highest
        ({"groups": "GG-IVP-Intern"}, Role.INTERN),  # one group as a name
        ({"groups": ["GG-Onbekend"]}, Role.PUBLIEK),
        ({"groups": []}, Role.PUBLIEK),
        ({}, Role.PUBLIEK),  # no claim
        ({"groups": {"GG-IVP-Beheer": True}}, Role.PUBLIEK),  # a claim of another shape gives no rights
        ({"groups": 3}, Role.PUBLIEK),
        ({"groups": [["GG-IVP-Beheer"]]}, Role.PUBLIEK),
        ({"groups": ["gg-ivp-beheer"]}, Role.PUBLIEK),  # names match exactly
        ({"roles": ["GG-IVP-Beheer"]}, Role.PUBLIEK),  # another claim than the configured one
    ],
)
def test_a_role_comes_from_the_configured_claim_and_nothing_else(claims, role):
    assert access.role_from_claims(claims, SETTINGS) is role


def test_a_dotted_claim_reaches_a_nested_claim_such_as_keycloaks_realm_roles():
    settings = LoginSettings(provider=None, claim="realm_access.roles", roles={"ivp-intern": Role.INTERN})
    assert access.role_from_claims({"realm_access": {"roles": ["ivp-intern"]}}, settings) is Role.INTERN
    assert access.role_from_claims({"realm_access": ["ivp-intern"]}, settings) is Role.PUBLIEK


def test_the_settings_are_read_from_the_secrets():
    settings = access.login_settings(SECRETS)
    assert settings == LoginSettings(provider="gemeente", claim="groups", roles=ROLES, session_hours=8.0)
    assert access.login_settings({}) is None  # no [auth]: no login
    default = {"auth": {"client_id": "x", "client_secret": "y", "server_metadata_url": "z"}}
    assert access.login_settings(default) == LoginSettings(provider=None)  # the provider in [auth] itself


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"access": {"roles": {"GG-IVP-Beheer": "admin"}}}, "[access.roles] groep 'GG-IVP-Beheer': onbekende rol"),
        ({"access": {"session_hours": 0}}, "[access] session_hours moet een aantal uren zijn"),
        ({"access": {"session_hours": "acht"}}, "[access] session_hours moet een aantal uren zijn"),
        ({"access": {"claim": ""}}, "[access] claim moet de naam van een claim zijn"),
        ({"access": {"roles": ["GG-IVP-Beheer"]}}, "[access.roles] moet groepsnamen aan rollen koppelen"),
    ],
)
def test_a_wrong_configuration_gets_a_dutch_message_naming_the_key(change, message):
    with pytest.raises(AccessConfigError, match=re.escape(message)):
        access.login_settings({**SECRETS, **change})


def test_two_providers_need_a_choice():
    auth = {**SECRETS["auth"], "entra": SECRETS["auth"]["gemeente"]}
    with pytest.raises(AccessConfigError, match=r"precies één identity provider.*entra, gemeente"):
        access.login_settings({**SECRETS, "auth": auth})


# The domain: the end of a session.


def test_a_session_ends_when_the_token_expires_or_after_the_configured_hours():
    now = 1_800_000_000.0
    hour = 3600
    assert access.session_end({"iat": now - 60, "exp": now + hour}, now, 8) is None
    assert access.session_end({"iat": now - hour, "exp": now - 1}, now, 8) == "de inlog is verlopen"
    long_ago = {"iat": now - 9 * hour, "exp": now + hour}  # Streamlit's cookie lasts 30 days; the app stops at 8 hours
    assert access.session_end(long_ago, now, 8) == "u bent langer dan 8 uur ingelogd"
    assert access.session_end(long_ago, now, 12) is None
    assert (
        access.session_end({"iat": now - 2 * hour, "exp": now + hour}, now, 1.5) == "u bent langer dan 1,5 uur ingelogd"
    )
    for broken in ({}, {"exp": now + hour}, {"iat": "gisteren", "exp": now + hour}, {"iat": True, "exp": now + hour}):
        assert access.session_end(broken, now, 8) == "de inlog zegt niet hoe lang hij geldig is"
    assert access.session_end({"iat": now + 3600, "exp": now + 7200}, now, 8) is not None  # issued in the future


# The domain: without login, who is local.


@pytest.mark.parametrize(
    ("address", "headers", "local"),
    [
        ("127.0.0.1", {"Host": "localhost:8501"}, True),
        ("127.0.0.1", {"Host": "127.0.0.1:8501"}, True),
        ("::1", {"Host": "[::1]:8501"}, True),
        ("127.0.0.1", {}, True),
        (None, {"Host": "localhost:8501"}, False),  # Streamlit's default listens on every address
        ("", {"Host": "localhost:8501"}, False),
        ("0.0.0.0", {"Host": "localhost:8501"}, False),
        ("192.168.1.20", {"Host": "192.168.1.20:8501"}, False),
        ("127.0.0.1", {"Host": "veiligheid.gemeente.nl"}, False),  # a proxy or a rebinding name in front
        ("127.0.0.1", {"Host": "localhost:8501", "X-Forwarded-For": "10.0.0.7"}, False),
        ("127.0.0.1", {"Host": "localhost", "forwarded": "for=10.0.0.7"}, False),
    ],
)
def test_only_the_machines_own_user_is_local(address, headers, local):
    assert access.local_request(address, headers) is local
    who = access.access_for(None, {}, address, headers)
    assert who == (access.Access(Role.BEHEERDER, Mode.LOKAAL) if local else access.Access(Role.PUBLIEK, Mode.OPEN))


def test_with_login_configured_nobody_is_local():
    loopback = ("127.0.0.1", {"Host": "localhost:8501"})
    assert access.access_for(SETTINGS, {"is_logged_in": False}, *loopback) == access.Access(Role.PUBLIEK, Mode.LOGIN)
    assert access.access_for(SETTINGS, {"email": "test@example.com"}, *loopback).role is Role.PUBLIEK
    signed_in = {"is_logged_in": True, "name": "Anna", "groups": ["GG-IVP-Intern"]}
    assert access.access_for(SETTINGS, signed_in, *loopback) == access.Access(Role.INTERN, Mode.LOGIN, "Anna")


# The pages, through AppTest.


@pytest.fixture
def served_on(built_db, monkeypatch) -> Iterator[None]:
    """The app on the default database; the test sets the address the server listens on."""
    monkeypatch.setenv("IVP_DB", str(built_db))
    before = st_config.get_option("server.address")
    yield
    st_config.set_option("server.address", before)


def _app(page: str | None = None, *, user: dict[str, Any] | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    if user is not None:
        at.secrets.update(SECRETS)
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _signed_in(*groups: str, **claims: Any) -> dict[str, Any]:
    now = time.time()
    return {
        "is_logged_in": True,
        "name": "Anna de Vries",
        "groups": list(groups),
        "iat": now - 60,
        "exp": now + 3600,
        **claims,
    }


def _sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)


def _refused(at: AppTest, page: str) -> bool:
    """Whether `page` is not among this session's pages (Streamlit answers its URL with the default page)."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)
    return True


def _kaart_counts(at: AppTest) -> set[str]:
    """The Kaart table's counts as shown: exact numbers internally, Dutch text ('< 5') in public."""
    return {str(int(v)) if isinstance(v, float) else str(v) for v in at.dataframe[0].value["Aantal"]}


def test_served_on_every_address_without_login_everyone_gets_the_public_view(served_on):
    st_config.set_option("server.address", "0.0.0.0")
    at = _app(routes.KAART.file, jaar="2024", wat="overlast", niveau="buurt", maat="count", openbaar="0")
    assert "Zonder inlog: alleen de openbare weergave" in _sidebar_text(at)
    toggle = at.sidebar.toggle(key="openbaar_vast")
    assert toggle.value is True and toggle.disabled  # openbaar=0 in the URL changes nothing
    assert at.query_params["openbaar"] == "ja"  # and the address says what is shown
    assert "< 5" in _kaart_counts(at) and not _kaart_counts(at) & {"1", "2", "3", "4"}
    assert _refused(at, routes.DATA.file)


def test_on_the_loopback_address_without_login_the_local_user_has_every_right(served_on):
    at = _app(routes.KAART.file, jaar="2024", wat="overlast", niveau="buurt", maat="count")
    assert "Lokaal, zonder inlog" in _sidebar_text(at)
    assert _kaart_counts(at) & {"1", "2", "3", "4"}  # exact small counts
    at.switch_page(routes.DATA.file).run()
    assert at.title[0].value == "Data beheer" and at.get("file_uploader")


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": False},
        _signed_in("GG-IVP-Raad"),
        _signed_in("GG-Onbekend"),
        _signed_in(),
        _signed_in(groups={"GG-IVP-Beheer": True}),
    ],
    ids=["niet-ingelogd", "raad", "onbekende-groep", "geen-groep", "claim-als-object"],
)
def test_publiek_sees_the_public_view_whatever_the_url_says(served_on, user):
    at = _app(routes.KAART.file, user=user, jaar="2024", wat="overlast", niveau="buurt", maat="count", openbaar="0")
    toggle = at.sidebar.toggle(key="openbaar_vast")
    assert toggle.value is True and toggle.disabled
    assert "< 5" in _kaart_counts(at) and not _kaart_counts(at) & {"1", "2", "3", "4"}
    assert _refused(at, routes.DATA.file)
    at.switch_page(routes.RAPPORTAGE.file).run()  # the Driehoeksrapportage: the public version only
    assert at.selectbox(key="rapportage_jaar_openbaar").label == "Kalenderjaar"


def test_intern_sees_exact_figures_and_may_switch_to_the_public_view(served_on):
    at = _app(
        routes.KAART.file, user=_signed_in("GG-IVP-Intern"), jaar="2024", wat="overlast", niveau="buurt", maat="count"
    )
    assert "Ingelogd als **Anna de Vries** · intern" in _sidebar_text(at)
    assert at.sidebar.button(key="uitloggen").label == "Uitloggen"
    assert _kaart_counts(at) & {"1", "2", "3", "4"}
    at.sidebar.toggle(key="openbaar").set_value(True).run()
    assert "< 5" in _kaart_counts(at) and not _kaart_counts(at) & {"1", "2", "3", "4"}
    assert _refused(at, routes.DATA.file)
    at.switch_page(routes.PRESENTATIES.file).run()  # may start a presentation, not change one
    assert not at.get("text_input") and not [b for b in at.button if b.key and b.key.startswith("dia_")]
    intro = at.markdown[0].value  # nor is told of the sidebar's "Voeg toe aan presentatie" it does not have
    assert "reeks weergaven" in intro and "Voeg toe aan presentatie" not in intro


def test_a_session_past_its_end_is_signed_out_before_any_figure_is_drawn(served_on):
    expired = _signed_in("GG-IVP-Beheer", exp=time.time() - 5)
    at = _app(routes.KAART.file, user=expired, jaar="2024", wat="overlast", niveau="buurt", maat="count")
    assert at.user.get("is_logged_in") is False  # st.logout() ran
    assert not at.get("dataframe") or not _kaart_counts(at) & {"1", "2", "3", "4"}
    too_long = _signed_in("GG-IVP-Beheer", iat=time.time() - 9 * 3600)
    at = _app(routes.KAART.file, user=too_long)
    assert at.user.get("is_logged_in") is False


def test_a_beheerder_loads_data_as_himself_and_every_edit_names_who_made_it(served_on, db_file, tmp_path, monkeypatch):
    monkeypatch.setenv("IVP_DB", str(db_file))
    monkeypatch.setenv("IVP_DATA_DIR", str(tmp_path))
    at = _app(routes.DATA.file, user=_signed_in("GG-IVP-Beheer", name="Bert Beheer"))
    assert at.title[0].value == "Data beheer"
    assert not [t for t in at.text_input if t.key == "data_by"]  # no name to type: the signed-in user is recorded
    assert any("Bert Beheer" in m.value for m in at.markdown)
    at.switch_page(routes.PRESENTATIES.file).run()
    at.text_input(key="presentatie_nieuw").input("Raad december").run()
    at.button(key="presentatie_maken").click().run()
    assert at.success[0].value == "Presentatie 'Raad december' gemaakt."
    log = edit_log.read(tmp_path)
    assert log[["edited_by", "change"]].values.tolist() == [["Bert Beheer", "Presentatie 'Raad december' gemaakt."]]
    at.switch_page(routes.DATA.file).run()
    shown = at.dataframe[-1].value
    assert shown["Door"].tolist() == ["Bert Beheer"] and shown["Wijziging"].tolist() == [
        "Presentatie 'Raad december' gemaakt."
    ]


def test_a_change_asked_for_by_another_role_is_refused_by_the_server(served_on, db_file, monkeypatch):
    """The buttons are not drawn for intern; even so, the write path checks the role itself."""
    monkeypatch.setenv("IVP_DB", str(db_file))

    def script() -> None:
        import streamlit as st

        from dashboard import connection
        from dashboard.access import NotAllowedError

        try:
            with connection.writing():
                st.write("geschreven")
        except NotAllowedError as refused:
            st.write(f"geweigerd: {refused}")

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.secrets.update(SECRETS)
    at.user = _signed_in("GG-IVP-Intern")
    at.run()
    assert [m.value for m in at.markdown] == ["geweigerd: Alleen voor de rol beheerder."]
    at.user = _signed_in("GG-IVP-Beheer")
    at.run()
    assert [m.value for m in at.markdown] == ["geschreven"]


def test_the_readmes_example_configurations_are_valid():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Toegang")[1].split("\n## ")[0]
    examples = [tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", section, re.S)]
    assert [access.login_settings(example) for example in examples] == [
        LoginSettings("keycloak", "groups", {"IVP-Intern": Role.INTERN, "IVP-Beheer": Role.BEHEERDER}, 8.0),
        LoginSettings(
            "entra", "roles", {"Veiligheidsbeeld.Intern": Role.INTERN, "Veiligheidsbeeld.Beheer": Role.BEHEERDER}
        ),
    ]


def test_a_wrong_login_configuration_serves_the_public_view_and_says_so(served_on):
    wrong = {**SECRETS, "access": {"roles": {"GG-IVP-Beheer": "admin"}}}
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets.update(wrong)
    at.user = _signed_in("GG-IVP-Beheer")
    at.query_params.update({"jaar": "2024", "wat": "overlast", "niveau": "buurt", "maat": "count"})
    at.run()
    at.switch_page(routes.KAART.file).run()
    assert not at.exception
    assert "De inlogconfiguratie klopt niet" in at.sidebar.error[0].value
    assert "GG-IVP-Beheer" not in at.sidebar.error[0].value  # the reason goes to the server log
    assert "< 5" in _kaart_counts(at) and not _kaart_counts(at) & {"1", "2", "3", "4"}
    assert _refused(at, routes.DATA.file)
