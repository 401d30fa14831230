"""The deployment folder run as IT runs it (issue 19): two Streamlit replicas with deploy/'s shared
settings, one database and one cookie secret, behind Debian's nginx with the site file rendered from
deploy/nginx/veiligheidsbeeld.conf (TLS, session affinity by cookie, websocket upgrade), and login
through the proxy at a real OpenID Connect provider on loopback (tests/support/idp.py).

Through the proxy in headless Chromium: a beheerder signs in, pages draw, an export downloads and an
upload imports; a CLI import made while both replicas run shows on both. Which replica served a
request is read from the access log the site file writes ($upstream_addr), so each browser context is
pinned to a known replica by its route cookie. Needs /usr/sbin/nginx (Debian's `nginx`, installed by
.ci/run) and fails loudly without it, as the browser tests do without Chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deploy.render import Site, max_body, render
from ivpdata.config import PROJECT_ROOT
from ivpdata.importing.limits import MAX_BOUNDARY_BYTES, MB
from tests.support.browser import ARTIFACTS, free_port, running, serve, shown
from tests.support.idp import identity_provider, sign_in, write_secrets
from tests.test_browser_login import settle
from tests.test_importing import police_csv

NGINX = Path("/usr/sbin/nginx")
DEPLOY = PROJECT_ROOT / "deploy"
ROUTE_COOKIE = "ivp_route"
USERS: dict[str, dict[str, object]] = {"bert": {"groups": ["GG-IVP-Beheer"], "name": "Bert Beheer"}}
CASE = "gemeente=GM0505&jaar=2025"
UPLOADED = [("1.1.1 ", "BU05050101", f"2025MM{month:02d}", "2") for month in (1, 2)]
NIGHTLY = [("1.2.3 ", "BU05050102", f"2025MM{month:02d}", "4") for month in (3, 4)]
UPLOADED_FILE = "47022NED.csv"
NIGHTLY_FILE = "nacht-47022NED.csv"
WAIT_MS = 60_000


@dataclass(frozen=True)
class Deployment:
    proxy: str  # https://localhost:<port>, what users open
    plain: str  # http://localhost:<port>, which only redirects
    replicas: tuple[str, str]  # 127.0.0.1:<port> of each, as nginx names them
    routes: dict[str, str]  # replica -> a route cookie value the proxy sends there
    db: Path
    data: Path
    access_log: Path
    certificate: Path


# --- the pieces: a certificate, nginx around the rendered site file, a route per replica --------------


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost (and its key), valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "localhost.pem", folder / "localhost.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _nginx_conf(folder: Path, site: Path) -> Path:
    """nginx's main file as Debian's /etc/nginx/nginx.conf would hold the site, with every path in
    `folder`: nginx runs as this user, in the foreground."""
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir()
    lines = [
        "user root;" if os.geteuid() == 0 else "",  # as root, workers would otherwise drop to nobody
        "worker_processes 1;",
        "daemon off;",
        f"pid {folder / 'nginx.pid'};",
        f"error_log {folder / 'error.log'} info;",
        "events { worker_connections 512; }",
        "http {",
        f"    access_log {folder / 'other.log'};",
        f"    client_body_temp_path {folder / 'body'};",
        f"    proxy_temp_path {folder / 'proxy'};",
        f"    fastcgi_temp_path {folder / 'fastcgi'};",
        f"    uwsgi_temp_path {folder / 'uwsgi'};",
        f"    scgi_temp_path {folder / 'scgi'};",
        f"    include {site};",
        "}",
    ]
    path = folder / "nginx.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def _nginx(folder: Path, site: Site, ready: str) -> Iterator[None]:
    """nginx serving the rendered site until the block ends; fails with nginx's own words if the
    configuration is refused."""
    rendered = folder / "veiligheidsbeeld.conf"
    rendered.write_text(render(site), encoding="utf-8")
    conf = _nginx_conf(folder, rendered)
    checked = subprocess.run([NGINX, "-t", "-p", folder, "-c", conf], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"nginx refuses the rendered site file:\n{checked.stderr}"
    # The readiness check goes through the proxy over TLS: urllib trusts the test's certificate.
    with _environment(SSL_CERT_FILE=str(site.certificate)):
        stack = contextlib.ExitStack()
        stack.enter_context(running([str(NGINX), "-p", str(folder), "-c", str(conf)], ready, "nginx"))
    with stack:
        yield


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


LOG_ENTRY = re.compile(r'"(?P<request>[^"]*)" \d+ \d+ upstream=(?P<upstreams>.+?) route=(?P<route>\S+) ')


def _upstreams(access_log: Path, route: str) -> list[list[str]]:
    """For each logged request of a browser with this route: the replicas nginx tried, in order."""
    entries = (LOG_ENTRY.search(line) for line in access_log.read_text(encoding="utf-8").splitlines())
    return [entry["upstreams"].split(", ") for entry in entries if entry and entry["route"] == route]


def _served_by(proxy: str, certificate: Path, access_log: Path, route: str) -> str:
    """The replica the proxy sends a browser with this route cookie to (from the access log)."""
    request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=certificate), timeout=10):
        pass
    return _logged(access_log, route)[-1][-1]


def _logged(access_log: Path, route: str, timeout: float = 10.0) -> list[list[str]]:
    """`_upstreams` once nginx has logged this route's request: it writes the line after the
    answer has gone out, so a busy machine may read the log before it is there."""
    deadline = time.monotonic() + timeout
    while not (found := _upstreams(access_log, route)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found, f"nginx logged no request with route {route} in {timeout:.0f} s"
    return found


def _routes(proxy: str, certificate: Path, access_log: Path, replicas: tuple[str, ...]) -> dict[str, str]:
    """A route cookie value for each replica: consistent hashing spreads routes over both."""
    routes: dict[str, str] = {}
    for number in range(200):
        routes.setdefault(_served_by(proxy, certificate, access_log, f"route-{number}"), f"route-{number}")
        if set(routes) >= set(replicas):
            return routes
    pytest.fail(f"200 routes all reached {sorted(routes)}: the proxy does not spread browsers over {replicas}")


def _streamlit_home(folder: Path) -> Path:
    """A home folder holding deploy/streamlit/config.toml as the service user's Streamlit settings."""
    home = folder / "home"
    (home / ".streamlit").mkdir(parents=True)
    shutil.copyfile(DEPLOY / "streamlit" / "config.toml", home / ".streamlit" / "config.toml")
    return home


@pytest.fixture(scope="module")
def deployment(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not NGINX.exists():  # before anything starts: a missing nginx fails at once, never skips
        pytest.fail("nginx not found at /usr/sbin/nginx: install Debian's package `nginx` (.ci/run does).")
    folder = tmp_path_factory.mktemp("deploy")
    data = folder / "data"
    data.mkdir()
    db = data / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    https_port, http_port = free_port(), free_port()
    proxy = f"https://localhost:{https_port}"
    cookie_secret = os.urandom(32).hex()
    certificate, key = _self_signed(folder)
    with contextlib.ExitStack() as stack:
        idp = stack.enter_context(identity_provider(USERS))
        secrets = write_secrets(folder, app_port=https_port, idp_url=idp, cookie_secret=cookie_secret)
        # write_secrets says http://: through the proxy the address users open is https://
        secrets.write_text(secrets.read_text().replace(f"http://localhost:{https_port}/", f"{proxy}/"))
        environment = {
            "HOME": str(_streamlit_home(folder)),
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
            "IVP_DATA_DIR": str(data),
        }
        ports = (free_port(), free_port())
        for port in ports:
            stack.enter_context(serve(db, secrets=secrets, port=port, **environment))
        replicas = (f"127.0.0.1:{ports[0]}", f"127.0.0.1:{ports[1]}")
        access_log = folder / "access.log"
        site = Site(
            server_name="localhost",
            replicas=replicas,
            certificate=certificate,
            certificate_key=key,
            https_listen=f"127.0.0.1:{https_port}",
            http_listen=f"127.0.0.1:{http_port}",
            access_log=access_log,
        )
        stack.enter_context(_nginx(folder, site, f"{proxy}/_stcore/health"))
        routes = _routes(proxy, certificate, access_log, replicas)
        yield Deployment(proxy, f"http://localhost:{http_port}", replicas, routes, db, data, access_log, certificate)


# --- browsers: one context per pinned replica, both signed in -----------------------------------------


class Visitor:
    """A browser context reaching the proxy with the route cookie of one replica."""

    def __init__(self, browser, deployment: Deployment, replica: str, cookies: list[dict] | None = None) -> None:
        self.deployment, self.replica = deployment, replica
        self.route = deployment.routes[replica]
        self.context = browser.new_context(
            viewport={"width": 1600, "height": 2200}, ignore_https_errors=True, accept_downloads=True
        )
        route_cookie = {"name": ROUTE_COOKIE, "value": self.route, "domain": "localhost", "path": "/"}
        self.context.add_cookies([{**route_cookie, "secure": True, "httpOnly": True}, *(cookies or [])])
        self.page = self.context.new_page()

    def open(self, path: str) -> None:
        self.page.goto(f"{self.deployment.proxy}{path}")
        settle(self.page)

    def login_cookies(self) -> list[dict]:
        return [c for c in self.context.cookies() if c["name"].startswith("_streamlit_user")]

    def served_only_by_its_replica(self) -> None:
        """Every request this context made reached its own replica (the access log says so)."""
        tried = _upstreams(self.deployment.access_log, self.route)
        assert tried and {replica for attempt in tried for replica in attempt} == {self.replica}, tried


@pytest.fixture(scope="module")
def visitors(browser, deployment: Deployment) -> Iterator[tuple[Visitor, Visitor]]:
    """Bert (beheerder) signed in through the proxy on the first replica; the second context carries
    the same login cookie to the second replica (the cookie secret is shared)."""
    first = Visitor(browser, deployment, deployment.replicas[0])
    first.open(f"/?{CASE}")
    sign_in(first.page, "bert")
    settle(first.page)
    second = Visitor(browser, deployment, deployment.replicas[1], first.login_cookies())
    yield first, second
    first.context.close()
    second.context.close()


def _signed_in_as_beheerder(visitor: Visitor) -> None:
    shown(visitor.page.get_by_test_id("stSidebar").get_by_text("Ingelogd als").first)
    assert "Ingelogd als Bert Beheer · beheerder" in visitor.page.get_by_test_id("stSidebar").inner_text()


def _history_names(visitor: Visitor, name: str) -> int:
    """How many times the load history on Data beheer names the file (a data grid: cells attached, on a canvas)."""
    return visitor.page.get_by_test_id("stDataFrame").get_by_text(name, exact=True).count()


def _to_data_page(visitor: Visitor) -> None:
    """Data beheer through the sidebar: a rerun of the open session, not a new one."""
    nav = visitor.page.locator(".st-key-menu")  # the page menu (dashboard.frame.menu)
    nav.get_by_text("Overzicht", exact=True).click()
    settle(visitor.page)
    nav.get_by_text("Data beheer", exact=True).click()
    settle(visitor.page)
    shown(visitor.page.get_by_role("heading", name="Data beheer"))


# --- the tests ------------------------------------------------------------------------------------------


def test_the_shared_settings_agree_on_the_upload_limit():
    """Streamlit's upload limit is the app's largest file in deploy/ and in the project; the proxy lets
    a file of that size (and its form) through, so the app, not nginx, refuses a larger one."""
    project = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    deployed = tomllib.loads((DEPLOY / "streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert deployed == project == MAX_BOUNDARY_BYTES // MB
    assert int(max_body().removesuffix("m")) > project
    assert f"client_max_body_size {max_body()};" in render(Site("x", ["127.0.0.1:1"], Path("/c.pem"), Path("/c.key")))


@pytest.mark.browser
def test_the_proxy_redirects_to_https_and_gives_a_new_browser_its_route(deployment):
    plain = urllib.request.Request(f"{deployment.plain}/kaart?{CASE}", method="HEAD")
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(_NoRedirect).open(plain, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == f"{deployment.proxy}/kaart?{CASE}"

    trusted = ssl.create_default_context(cafile=deployment.certificate)
    with urllib.request.urlopen(f"{deployment.proxy}/?{CASE}", context=trusted, timeout=10) as first:
        cookies = first.headers.get_all("Set-Cookie") or []
        assert first.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert '<html lang="nl">' in first.read().decode()  # the page's language, for screen readers
    route = [c for c in cookies if c.startswith(f"{ROUTE_COOKIE}=")]
    assert len(route) == 1 and route[0].endswith("; Path=/; HttpOnly; Secure; SameSite=Lax"), cookies
    again = urllib.request.Request(f"{deployment.proxy}/?{CASE}", headers={"Cookie": route[0].split(";")[0]})
    with urllib.request.urlopen(again, context=trusted, timeout=10) as later:  # the browser keeps its route
        assert not [c for c in later.headers.get_all("Set-Cookie") or [] if c.startswith(f"{ROUTE_COOKIE}=")]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer looked at, not followed."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


@pytest.mark.browser
def test_through_the_proxy_pages_draw_and_an_export_downloads(visitors):
    first, _ = visitors
    _signed_in_as_beheerder(first)
    shown(first.page.get_by_role("heading", name="Wat valt op"))
    first.open(f"/kaart?{CASE}&wat=misdrijven&niveau=wijk")
    shown(first.page.get_by_test_id("stDeckGlJsonChart"))
    shown(first.page.get_by_text("Tabel per wijk").first)
    first.page.get_by_role("button", name=re.compile("Exporteren")).first.click()
    csv_button = first.page.get_by_test_id("stPopoverBody").get_by_role("button", name=re.compile(r"\(CSV\)"))
    with first.page.expect_download(timeout=WAIT_MS) as download:
        csv_button.first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    ARTIFACTS.mkdir(exist_ok=True)
    first.page.screenshot(path=str(ARTIFACTS / "deploy-kaart.png"), full_page=True)
    assert download.value.suggested_filename.endswith(".csv")
    streamlit_cookies = [c for c in first.context.cookies() if c["name"].startswith("_streamlit_")]
    assert streamlit_cookies and all(c["secure"] for c in streamlit_cookies), "the proxy marks them Secure"
    assert "Dordrecht" in text and ";" in text.splitlines()[-1], text[:500]
    first.served_only_by_its_replica()


@pytest.mark.browser
def test_an_upload_through_the_proxy_imports_and_the_other_replica_sees_it(visitors, deployment):
    """The upload reaches the replica that drew the page (affinity); the other replica, reading the
    database in its own process meanwhile, shows the import at its session's next rerun."""
    first, second = visitors
    second.open("/data")
    _signed_in_as_beheerder(second)  # the second replica trusts the first one's login cookie
    assert _history_names(second, UPLOADED_FILE) == 0
    first.open("/data")
    shown(first.page.get_by_role("heading", name="Data beheer"))
    upload = police_csv(deployment.data.parent / UPLOADED_FILE, UPLOADED)
    first.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    shown(first.page.get_by_text("Voorbeeld: wat er verandert").first)
    first.page.get_by_role("button", name="Laden bevestigen").click()
    try:
        shown(first.page.get_by_text("is geladen").first)
    finally:
        first.page.screenshot(path=str(ARTIFACTS / "deploy-upload.png"), full_page=True)
    _to_data_page(second)
    second.page.get_by_test_id("stDataFrame").get_by_text(UPLOADED_FILE, exact=True).first.wait_for(
        state="attached", timeout=WAIT_MS
    )
    first.served_only_by_its_replica()
    second.served_only_by_its_replica()


@pytest.mark.browser
def test_a_cli_import_while_both_replicas_run_shows_on_both(visitors, deployment):
    first, second = visitors
    for visitor in (first, second):
        if not visitor.page.url.startswith(f"{deployment.proxy}/data"):  # left there by the upload's test
            visitor.open("/data")
        _signed_in_as_beheerder(visitor)
        assert _history_names(visitor, NIGHTLY_FILE) == 0

    nightly = police_csv(deployment.data.parent / NIGHTLY_FILE, NIGHTLY)
    command = [sys.executable, "-m", "ivpdata", "import", str(nightly), "--by", "nachtelijke import"]
    command += ["--db", str(deployment.db), "--data-dir", str(deployment.data)]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, f"the CLI import failed while the replicas ran:\n{done.stdout}\n{done.stderr[-3000:]}"

    for visitor in (first, second):  # the open sessions, at their next rerun
        _to_data_page(visitor)
        history = visitor.page.get_by_test_id("stDataFrame").get_by_text(NIGHTLY_FILE, exact=True)
        history.first.wait_for(state="attached", timeout=WAIT_MS)
        visitor.page.screenshot(path=str(ARTIFACTS / f"deploy-history-{visitor.route}.png"), full_page=True)
        visitor.served_only_by_its_replica()


def _own_replica_process(replica: str) -> int:
    """The id of the server process this test started for `replica` (its child, serving that port)."""
    port = replica.rsplit(":", 1)[1].encode()
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit():
            continue
        try:
            arguments = (folder / "cmdline").read_bytes().split(b"\0")
            parent = int((folder / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue  # a process that ended meanwhile
        if parent == os.getpid() and b"--server.port" in arguments and port in arguments:
            return int(folder.name)
    raise AssertionError(f"no replica process of this test serves {replica}")


@pytest.mark.browser
def test_a_killed_replica_moves_its_browsers_to_the_other_and_loses_nothing(visitors, deployment):
    """Last: it kills the second replica. Its open tab reconnects through the proxy to the first one
    (a new session there, still signed in: one cookie secret) and shows every import; a new browser
    with the same route goes there too."""
    first, second = visitors
    if not second.page.url.startswith(f"{deployment.proxy}/data"):
        second.open("/data")
    loaded = [name for name in (UPLOADED_FILE, NIGHTLY_FILE) if _history_names(second, name)]  # by the tests above
    os.kill(_own_replica_process(second.replica), signal.SIGKILL)
    for _ in range(120):  # the tab notices, asks the proxy for a server again and is sent to the first replica
        if any(tried[-1] == first.replica for tried in _upstreams(deployment.access_log, second.route)):
            break
        second.page.wait_for_timeout(500)
    connected = (
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-connection-state') === 'CONNECTED'"
    )
    second.page.wait_for_function(connected, timeout=WAIT_MS)
    nav = second.page.locator(".st-key-menu")
    nav.get_by_text("Overzicht", exact=True).click()
    shown(second.page.get_by_role("heading", name="Wat valt op"))  # drawn now: only the first replica is left
    nav.get_by_text("Data beheer", exact=True).click()
    shown(second.page.get_by_role("heading", name="Data beheer"))
    _signed_in_as_beheerder(second)
    for name in loaded:
        second.page.get_by_test_id("stDataFrame").get_by_text(name, exact=True).first.wait_for(
            state="attached", timeout=WAIT_MS
        )
    second.page.screenshot(path=str(ARTIFACTS / "deploy-after-kill.png"), full_page=True)
    assert _served_by(deployment.proxy, deployment.certificate, deployment.access_log, second.route) == first.replica
