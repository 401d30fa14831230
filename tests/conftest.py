from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from tests.tiny import tiny_database


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default database, built once per test worker from the real data/ directory."""
    target = tmp_path_factory.mktemp("db") / "ivp.duckdb"
    build(DATA_DIR, target)
    return target


@pytest.fixture
def db(built_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def tiny() -> duckdb.DuckDBPyConnection:
    con = tiny_database()
    yield con
    con.close()


@pytest.fixture
def db_file(built_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the default database, for tests that import into it."""
    copy = tmp_path / "ivp.duckdb"
    shutil.copyfile(built_db, copy)
    return copy
