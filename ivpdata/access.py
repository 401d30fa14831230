"""Who may see and do what: the roles, a role from the login token's claims, when a session ends,
and the rights of a server without login.

Three roles, each with the rights of the one before it:
- `publiek`: the public view only (the disclosure rules), everywhere;
- `intern`: exact figures and the confidential Driehoeksrapportage; may switch to the public view;
- `beheerder`: also Data beheer and editing saved presentations.

With login configured (an `[auth]` section in Streamlit's secrets), the role comes from a claim of
the login token (`[access] claim`, e.g. `groups` or `roles`), through the mapping of group names to
roles in `[access.roles]`. Without login, a server on the loopback address only (as `make run`
serves) gives full rights to its one local user; served on any other address, everyone is
`publiek`. Everything here is plain Python: dashboard/access.py reads Streamlit's side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

DEFAULT_CLAIM = "groups"
DEFAULT_SESSION_HOURS = 8.0
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
# Headers a reverse proxy adds: a request that passed one did not come from this machine's own user.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")
# A token issued this far in the future is not believed (clocks may differ a little).
CLOCK_SKEW_SECONDS = 300


class Role(Enum):
    PUBLIEK = "publiek"
    INTERN = "intern"
    BEHEERDER = "beheerder"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Mode(Enum):
    """How the server decides who someone is."""

    LOKAAL = "lokaal"  # no login, loopback only: the laptop's own user
    OPEN = "open"  # no login, reachable from elsewhere: everyone publiek
    LOGIN = "login"  # login configured (signed in or not)


class AccessConfigError(ValueError):
    """The login configuration cannot be used; the Dutch message names the key."""


@dataclass(frozen=True)
class LoginSettings:
    provider: str | None  # a named provider (`[auth.<name>]`), or None for the one in `[auth]` itself
    claim: str = DEFAULT_CLAIM  # a dotted path reaches a nested claim (realm_access.roles)
    roles: Mapping[str, Role] = field(default_factory=dict)  # group name -> role
    session_hours: float = DEFAULT_SESSION_HOURS


@dataclass(frozen=True)
class Access:
    role: Role
    mode: Mode
    user: str | None = None  # who is signed in, as shown and recorded with every change

    @property
    def public_only(self) -> bool:
        return self.role is Role.PUBLIEK

    @property
    def manages(self) -> bool:
        return self.role is Role.BEHEERDER

    @property
    def signed_in(self) -> bool:
        return self.user is not None


def login_settings(secrets: Mapping[str, Any]) -> LoginSettings | None:
    """The login settings from Streamlit's secrets, or None when no login is configured."""
    auth = secrets.get("auth")
    if auth is None:
        return None
    if not isinstance(auth, Mapping):
        raise AccessConfigError("[auth] moet een sectie zijn.")
    access = secrets.get("access", {})
    if not isinstance(access, Mapping):
        raise AccessConfigError("[access] moet een sectie zijn.")
    return LoginSettings(
        provider=_provider(auth),
        claim=_claim_name(access.get("claim", DEFAULT_CLAIM)),
        roles=_roles(access.get("roles", {})),
        session_hours=_hours(access.get("session_hours", DEFAULT_SESSION_HOURS)),
    )


def _provider(auth: Mapping[str, Any]) -> str | None:
    named = sorted(name for name, value in auth.items() if isinstance(value, Mapping))
    if "client_id" in auth:
        return None
    if len(named) != 1:
        found = ", ".join(named) or "geen"
        raise AccessConfigError(f"[auth] moet precies één identity provider noemen ([auth.<naam>]); gevonden: {found}.")
    return named[0]


def _claim_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or any(not part for part in value.split(".")):
        raise AccessConfigError('[access] claim moet de naam van een claim zijn, zoals "groups" of "roles".')
    return value.strip()


def _roles(value: object) -> dict[str, Role]:
    if not isinstance(value, Mapping):
        raise AccessConfigError("[access.roles] moet groepsnamen aan rollen koppelen.")
    names = {role.value: role for role in Role}
    roles = {}
    for group, role in value.items():
        if role not in names:
            choices = ", ".join(names)
            raise AccessConfigError(f"[access.roles] groep '{group}': onbekende rol '{role}'; kies uit {choices}.")
        roles[str(group)] = names[role]
    return roles


def _hours(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 24 * 31:
        raise AccessConfigError("[access] session_hours moet een aantal uren zijn, groter dan 0.")
    return float(value)


def role_from_claims(claims: Mapping[str, Any], settings: LoginSettings) -> Role:
    """The highest role any of the user's groups maps to; `publiek` without a mapped group, without
    the claim, or with a claim of another type than a name or a list of names."""
    mapped = [settings.roles[group] for group in _groups(claims, settings.claim) if group in settings.roles]
    return max(mapped, key=lambda role: role.rank, default=Role.PUBLIEK)


def _groups(claims: Mapping[str, Any], path: str) -> list[str]:
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        return [group for group in value if isinstance(group, str)]
    return []


def user_name(claims: Mapping[str, Any]) -> str:
    """How a signed-in user is shown and recorded: name, else e-mail, else the subject."""
    for key in ("name", "email", "preferred_username", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "onbekende gebruiker"


def session_end(claims: Mapping[str, Any], now: float, hours: float) -> str | None:
    """Why a signed-in session must end now (Dutch), or None while it may go on: the token has
    expired, or the user signed in more than `hours` ago. Streamlit keeps its login cookie for 30
    days and never checks the token again, so the app asks this on every run."""
    expires, issued = _seconds(claims.get("exp")), _seconds(claims.get("iat"))
    if expires is None or issued is None:
        return "de inlog zegt niet hoe lang hij geldig is"
    if issued > now + CLOCK_SKEW_SECONDS:
        return "de inlog is ongeldig (uitgegeven in de toekomst)"
    if now >= expires:
        return "de inlog is verlopen"
    if now - issued >= hours * 3600:
        return f"u bent langer dan {_hours_text(hours)} ingelogd"
    return None


def _seconds(value: object) -> float | None:
    """A time in epoch seconds, as a token's `exp` and `iat` claims give it; None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _hours_text(hours: float) -> str:
    shown = f"{hours:g}".replace(".", ",")
    return f"{shown} uur"


def host_name(host: str) -> str:
    """The name in a Host header, without its port ('[::1]:8501' -> '::1')."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def local_request(address: str | None, headers: Mapping[str, str]) -> bool:
    """Whether a request without login comes from this machine's own user: the server listens on
    the loopback address only, the browser asked for a loopback name (not a name that merely
    resolves there) and no proxy passed the request on."""
    if not address or address.strip().lower() not in LOOPBACK:
        return False
    lowered = {key.lower(): value for key, value in headers.items()}
    if any(name in lowered for name in FORWARDING_HEADERS):
        return False
    host = lowered.get("host")
    return host is None or host_name(host) in LOOPBACK


def access_for(
    settings: LoginSettings | None, user: Mapping[str, Any], address: str | None, headers: Mapping[str, str]
) -> Access:
    """Who this session is. `user` holds the login token's claims (Streamlit's st.user)."""
    if settings is None:
        if local_request(address, headers):
            return Access(Role.BEHEERDER, Mode.LOKAAL)
        return Access(Role.PUBLIEK, Mode.OPEN)
    if user.get("is_logged_in") is not True:
        return Access(Role.PUBLIEK, Mode.LOGIN)
    return Access(role_from_claims(user, settings), Mode.LOGIN, user_name(user))
