"""A real OpenID Connect provider on loopback for the login tests (PyPI `oidc-provider-mock`), the
app's secrets file pointing at it, forged login cookies, and signing in with headless Chromium.

The mock wraps its app in Werkzeug's interactive debugger: it only ever listens on 127.0.0.1.
Every URL the browser opens and every URL in the secrets says `localhost` (never 127.0.0.1):
Streamlit's login state lives in a cookie of the host the browser sees, which must be the
redirect_uri's host."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.support.browser import free_port, running

LOOPBACK = "127.0.0.1"
PROVIDER = "gemeente"  # the provider's name in [auth.gemeente]: st.login("gemeente")
CLIENT_ID = "ivp-dashboard"
CLIENT_SECRET = "test-geheim"
ROLES = {"GG-IVP-Intern": "intern", "GG-IVP-Beheer": "beheerder", "GG-IVP-Raad": "publiek"}
SIGNED_IN = "Ingelogd als"
SIGN_IN = "Inloggen"
WAIT_MS = 30_000


@contextmanager
def identity_provider(users: Mapping[str, Mapping[str, object]], token_max_age: int = 3600) -> Iterator[str]:
    """oidc-provider-mock with these users (sub -> claims; each a button on its login form),
    on 127.0.0.1 and a free port; yields its issuer URL on localhost."""
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", LOOPBACK, "--port", str(port)]
    command += ["--token-max-age", str(token_max_age)]
    for sub, claims in users.items():
        command += ["--user-claims", json.dumps({**claims, "sub": sub})]
    url = f"http://localhost:{port}"
    with running(command, f"{url}/.well-known/openid-configuration", "The identity provider", env=os.environ.copy()):
        yield url


def _toml(value: object) -> str:
    """A TOML string or number (json's string escapes are valid TOML basic-string escapes)."""
    return json.dumps(value)


def write_secrets(
    folder: Path,
    *,
    app_port: int,
    idp_url: str | None,
    cookie_secret: str,
    claim: str = "groups",
    roles: Mapping[str, str] | None = None,
    session_hours: float = 8,
) -> Path:
    """`folder/secrets.toml` as the app reads it: Streamlit's [auth] with the provider `gemeente`
    at `idp_url` (none: no provider section), and the app's [access] (claim, hours, role mapping)."""
    lines = [
        "[auth]",
        f"redirect_uri = {_toml(f'http://localhost:{app_port}/oauth2callback')}",
        f"cookie_secret = {_toml(cookie_secret)}",
        "",
    ]
    if idp_url is not None:
        lines += [
            f"[auth.{PROVIDER}]",
            f"client_id = {_toml(CLIENT_ID)}",
            f"client_secret = {_toml(CLIENT_SECRET)}",
            f"server_metadata_url = {_toml(f'{idp_url}/.well-known/openid-configuration')}",
            "",
        ]
    lines += ["[access]", f"claim = {_toml(claim)}", f"session_hours = {_toml(session_hours)}", "", "[access.roles]"]
    lines += [f"{_toml(group)} = {_toml(role)}" for group, role in (ROLES if roles is None else roles).items()]
    path = folder / "secrets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def forged_user_cookie(secret: str, origin: str, claims: Mapping[str, object]) -> dict:
    """A `_streamlit_user` cookie for Playwright, signed with `secret` as Streamlit signs it after a
    login: Streamlit trusts whatever a cookie signed with its cookie_secret says."""
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    payload = json.dumps({**claims, "origin": origin, "is_logged_in": True, "provider": PROVIDER})
    value = create_signed_value(secret, "_streamlit_user", payload).decode()
    return {"name": "_streamlit_user", "value": value, "domain": "localhost", "path": "/", "httpOnly": True}


def sign_in(page, sub: str) -> None:
    """On an app page offering "Inloggen": sign in at the identity provider as the predefined user
    `sub`, and wait until the app says who is signed in."""
    app = re.match(r"https?://[^/]+", page.url)
    assert app is not None, page.url
    page.get_by_role("button", name=SIGN_IN, exact=True).click()
    page.get_by_role("button", name=sub, exact=True).click(timeout=WAIT_MS)
    page.wait_for_url(re.compile(re.escape(app.group(0)) + r"(/.*)?$"), timeout=WAIT_MS)
    page.get_by_text(SIGNED_IN).first.wait_for(state="visible", timeout=WAIT_MS)
