"""Build a copy of data/ with one edit and return the error the build reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivpdata.build import build
from ivpdata.config import DATA_DIR
from ivpdata.validate import DataError


def build_error(tmp_path: Path, file: str, old: str, new: str) -> str:
    """The build's error text after replacing `old` by `new` in data/<file>; nothing is written."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        build(data, tmp_path / "out.duckdb")
    assert not (tmp_path / "out.duckdb").exists()
    return str(error.value)


def line_of(file: str, fragment: str) -> int:
    """The line number of the first line of data/<file> holding `fragment`."""
    text = (DATA_DIR / file).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)
