"""Streamlit glue: who this session is (ivpdata.access decides from st.user, the secrets and how
the server is reached), signing in and out, the end of a session, and the checks every page and
every change relies on. Nothing here trusts the URL, a widget or session state."""

from __future__ import annotations

import logging
import time
from typing import Any, NoReturn

import streamlit as st

from ivpdata import access
from ivpdata.access import Access, AccessConfigError, LoginSettings, Mode, Role
from ivpdata.safetext import markdown_literal

LOGGER = logging.getLogger(__name__)
EXPIRY_CHECK_SECONDS = 60  # an idle tab is signed out within a minute of its session's end
ROLE_HELP = {
    Role.PUBLIEK: "U ziet de openbare weergave.",
    Role.INTERN: "U ziet exacte cijfers en kunt de openbare weergave bekijken.",
    Role.BEHEERDER: "U ziet exacte cijfers en beheert de data en presentaties.",
}


class NotAllowedError(PermissionError):
    """A change was asked for by a session whose role may not make it."""


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file at all: no login configured
        return {}


def settings() -> LoginSettings | None:
    """The login settings; None without login. A configuration that cannot be used serves the
    public view only (raised as AccessConfigError, shown by `sidebar`)."""
    return access.login_settings(_secrets())


def _user() -> dict[str, Any]:
    return dict(st.user.to_dict())


def current() -> Access:
    """This session's role, worked out again on every call from what the server knows."""
    try:
        login = settings()
    except AccessConfigError:
        return Access(Role.PUBLIEK, Mode.OPEN)
    address = st.get_option("server.address")
    return access.access_for(login, _user(), address, st.context.headers.to_dict())


def public_only() -> bool:
    return current().public_only


def manages() -> bool:
    return current().manages


def recorded_name() -> str | None:
    """Who a change is recorded for: the signed-in user; None locally (the form asks)."""
    return current().user


def require(role: Role) -> None:
    """Raise NotAllowedError unless this session has at least `role`: the server-side check behind every change."""
    if not current().role.at_least(role):
        raise NotAllowedError(f"Alleen voor de rol {role.value}.")


def refuse_page(role: Role) -> NoReturn:
    st.error(f"Deze pagina is alleen voor de rol **{role.value}**.", icon=":material/lock:")
    st.stop()


def guard() -> None:
    """Before anything is drawn: end a signed-in session whose token expired or that is older than
    the configured hours, and keep checking while the tab stays open."""
    login = _signed_in_login()
    if login is not None:
        _end_if_over(login)
        _watch_expiry(login)


def check() -> None:
    """Before a page's part reruns on its own: end a session that is over, as `guard` does."""
    login = _signed_in_login()
    if login is not None:
        _end_if_over(login)


def _signed_in_login() -> LoginSettings | None:
    """The login settings of a signed-in session; None without login or when not signed in."""
    try:
        login = settings()
    except AccessConfigError:
        return None
    if login is None or st.user.get("is_logged_in") is not True:
        return None
    return login


def _end_if_over(login: LoginSettings) -> None:
    reason = access.session_end(_user(), time.time(), login.session_hours)
    if reason is not None:
        LOGGER.info("Session ended: %s", reason)
        st.logout()  # clears the cookie, signs out at the identity provider, and starts afresh
        st.stop()


@st.fragment(run_every=EXPIRY_CHECK_SECONDS)
def _watch_expiry(login: LoginSettings) -> None:
    _end_if_over(login)


def sidebar() -> Access:
    """Who is signed in and with which role, or how this server is reached; sign in and out."""
    try:
        login = settings()
    except AccessConfigError as problem:
        LOGGER.error("Login configuration: %s", problem)  # names the key; visitors need not see group names
        st.sidebar.error(
            "De inlogconfiguratie klopt niet; de beheerder vindt de reden in het serverlog. "
            "Iedereen ziet alleen de openbare weergave."
        )
        return current()
    who = current()
    box = st.sidebar.container(border=True)
    if who.mode is Mode.LOKAAL:
        box.markdown(":material/laptop: **Lokaal, zonder inlog**")
        box.caption("Alleen op deze computer bereikbaar, met alle rechten.")
    elif who.mode is Mode.OPEN:
        box.markdown(":material/public: **Zonder inlog: alleen de openbare weergave**")
        box.caption("Configureer inloggen om interne cijfers en Data beheer te gebruiken (zie README).")
    elif who.signed_in:
        box.markdown(
            f"Ingelogd als **{markdown_literal(who.user or '')}** · {who.role.value}", help=ROLE_HELP[who.role]
        )
        if box.button("Uitloggen", icon=":material/logout:", key="uitloggen", width="stretch"):
            st.logout()
    else:
        box.caption("Openbare weergave: log in voor de interne cijfers")
        if box.button("Inloggen", icon=":material/login:", key="inloggen", type="primary", width="stretch"):
            assert login is not None  # Mode.LOGIN
            st.login(login.provider)
    return who
