"""Paths and the gemeente configuration (data/gemeenten.yaml)."""

from __future__ import annotations

import copy
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
QUERIES_DIR = PROJECT_ROOT / "queries"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"
DEFAULT_DB = DATA_DIR / "ivp.duckdb"


SETTINGS_FILE = DATA_DIR / "settings.yaml"


def load_periods(path: Path | None = None) -> dict:
    """Named periods from data/periods.yaml (the lockdowns)."""
    return _load_yaml(path or DATA_DIR / "periods.yaml")


def load_settings(path: Path = SETTINGS_FILE) -> dict:
    """Display rules from data/settings.yaml (thresholds and the like)."""
    return _load_yaml(path)


def _load_yaml(path: Path) -> dict:
    """A YAML file's contents, parsed once per version of the file (a page asks for the settings
    several times a run; parsing took ~8 ms a time). Each caller gets its own copy to change."""
    stat = path.stat()
    return copy.deepcopy(_parsed(path.resolve(), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def data_dir() -> Path:
    """Where the sources live and imports are kept for rebuilds: env IVP_DATA_DIR, else data/."""
    return Path(os.environ.get("IVP_DATA_DIR", DATA_DIR))


def db_path() -> Path:
    """The database file: env IVP_DB, else data/ivp.duckdb."""
    return Path(os.environ.get("IVP_DB", DEFAULT_DB))


@dataclass(frozen=True)
class DemoSettings:
    seed: int
    total_crime: int  # registered crimes in the demo reference year
    population_growth_per_year: float
    centre_area: str
    pressure: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Gemeente:
    code: str
    name: str
    boundary_year: int
    geo: dict[str, str]  # area level -> GeoJSON file relative to the data directory
    demo: DemoSettings | None
