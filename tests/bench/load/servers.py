"""The servers under load: N replicas of the app on one copy of the database and of data/, each
started as the browser bench starts a server (tests/bench/browser/servers.py: every script run
timed in its run log), all with one shared `server.cookieSecret`, as replicas behind a proxy must
have; and their resident memory (the server process and its children, from /proc)."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from tests.bench.browser.servers import Server, served
from tests.bench.browser.workspace import APP

COOKIE_SECRET = "STREAMLIT_SERVER_COOKIE_SECRET"


def workspace(source: Path | None, folder: Path) -> tuple[Path, Path]:
    """A copy of `source` (or the default data built when it is missing) and of data/ in `folder`."""
    db, data_dir = folder / "ivp.duckdb", folder / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns("*.duckdb*", ".snapshots"))
    if source is not None and source.exists():
        shutil.copyfile(source, db)  # follows a symlink to the published snapshot
    else:
        build(DATA_DIR, db)
    return db, data_dir


@contextmanager
def replicas(count: int, db: Path, data_dir: Path, folder: Path) -> Iterator[list[Server]]:
    """`count` servers of the app on the same data and cookie secret; all stopped afterwards."""
    secret = secrets.token_hex(32)
    with ExitStack() as stack:
        started = []
        for _ in range(count):
            with _environment(COOKIE_SECRET, secret):  # read by the server process when it starts
                started.append(stack.enter_context(served(APP, db, data_dir, folder)))
        yield started


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def memory_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants, in MB (0 for a gone one)."""
    return sum(_rss_kb(pid) for root in pids for pid in _tree(root)) / 1024


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def _rss_kb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    return next((float(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0.0)
