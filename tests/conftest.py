"""Fixtures every test module can use: the default database (built once per run), the tiny
hand-made database, and the browser fixtures (headless Chromium and a served app).

Helpers that are not fixtures live in tests/support/; benchmarks in tests/bench/."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit import config as st_config
from streamlit.components.v2 import manifest_scanner as scanner

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from tests.support.browser import chromium, serve
from tests.support.tabs import Tabs
from tests.support.tiny import tiny_database

SHARED = "IVP_TESTS_SHARED_DIR"  # a folder for the whole run, shared by the controller and its xdist workers
BROWSER_FIXTURES = {"browser", "server", "own_server"}
MODULE_SCOPES = {"module", "class", "package"}


def _scan_installed_components_once() -> None:
    """Each AppTest scans every installed package for Streamlit v2 components when it first runs
    (streamlit.testing.v1.app_test): a twentieth of the suite's time. The packages do not change
    during a run, so the scan's result is kept for the process. (The app has no such components;
    the scan still runs, once.)"""
    scanner.scan_component_manifests = functools.cache(scanner.scan_component_manifests)


_scan_installed_components_once()
# In-process AppTests run the app as `make run` serves it: on 127.0.0.1 without login configured, so
# with every right (dashboard/access.py). Tests of the other ways of serving set the option themselves.
st_config.set_option("server.address", "127.0.0.1")


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if not _is_worker(config):  # the xdist controller, or a run without xdist; workers inherit the variable
        os.environ[SHARED] = tempfile.mkdtemp(prefix="ivp-tests-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _is_worker(config) and SHARED in os.environ:
        shutil.rmtree(os.environ.pop(SHARED), ignore_errors=True)


def _shares_module_fixtures(item: pytest.Item) -> bool:
    """Whether the test uses a fixture set up once per module or class (a server, a browser, a rendered PDF)."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    return any(defs and defs[-1].scope in MODULE_SCOPES for defs in definitions)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, and before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that opens the browser is a browser test, marked or not: `-m "not browser"` leaves it out.
    The tests of a module sharing a module-scoped fixture run on one xdist worker (`--dist loadgroup`),
    so that fixture is set up once per run instead of once per worker; other tests spread one by one."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if _shares_module_fixtures(item) and not item.get_closest_marker("xdist_group"):  # a module may name its own
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.hookimpl(tryfirst=True)  # before the xdist worker sends the collected test ids to the controller
def pytest_collection_finish(session: pytest.Session) -> None:
    """Give each test of an xdist group the id `--dist loadgroup` groups by ('<test id>@<group>').
    pytest-xdist 3.8 writes that id to `item._nodeid`, which pytest 9.2 no longer reads (a node
    keeps its id in `item._id`): without this the tests of a group spread over the workers, and
    each worker sets up the group's module fixtures again."""
    if not getattr(session.config.option, "loadgroup", False):  # set on the workers of `--dist loadgroup`
        return
    for item in session.items:
        marks = item.iter_markers("xdist_group")
        names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """How long the run spent building the shared database (printed, never asserted)."""
    if _is_worker(config) or SHARED not in os.environ:
        return
    seconds = [float(p.read_text()) for p in Path(os.environ[SHARED]).glob("build-*.seconds")]
    if seconds:
        terminalreporter.write_line(f"built_db: built {len(seconds)} time(s), {sum(seconds):.1f} s building")


@pytest.fixture(scope="session")
def built_db() -> Path:
    """The default database, built from the real data/ directory once per test run: the first
    worker that needs it builds it under a lock, the others wait and read the same file. Tests
    open it read-only; a test that writes works on a copy (`db_file`)."""
    shared = Path(os.environ[SHARED])
    target = shared / "default" / "ivp.duckdb"
    with (shared / "built_db.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not target.exists():  # build() renames a complete file into place, so existing means done
            target.parent.mkdir(exist_ok=True)
            started = time.perf_counter()
            build(DATA_DIR, target)
            (shared / f"build-{os.getpid()}.seconds").write_text(str(time.perf_counter() - started))
    return target


@pytest.fixture
def db(built_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def tiny() -> Iterator[duckdb.DuckDBPyConnection]:
    con = tiny_database()
    yield con
    con.close()


@pytest.fixture(scope="module")
def con(built_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the shared default database, one per test module (a module may
    define its own `con` on another database)."""
    with duckdb.connect(str(built_db), read_only=True) as connection:
        yield connection


@pytest.fixture
def db_file(built_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the default database, for tests that import into it."""
    copy = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, copy)
    return copy


@pytest.fixture(scope="module")
def browser() -> Iterator[Tabs]:
    """Headless Chromium, one per test module (a Playwright instance kept across modules would hold
    an event loop that asyncio tests cannot run beside); its pages are tabs reused after a test
    closes them (tests/support/tabs.py), everything it opened closed with the module."""
    with chromium() as instance:
        tabs = Tabs(instance)
        yield tabs
        tabs.close()


@pytest.fixture(scope="session")
def server(built_db: Path) -> Iterator[str]:
    """The app on the default database as `make run` serves it, one server per xdist
    worker: started once and warm for every module after the first (each start and first run of a
    page costs seconds); its URL. Tests open pages of their own, so no test sees another's session."""
    with serve(built_db) as url:
        yield url


@pytest.fixture
def own_server(built_db: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A server on a copy of the database, keeping its imports in a temporary data folder: the
    URL, the copy and the folder."""
    db = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, db)
    with serve(db, IVP_DATA_DIR=str(tmp_path / "data")) as url:
        yield url, db, tmp_path
