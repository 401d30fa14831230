"""Boundary files with a duplicate area or an area without its parent: listed as problems, not a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ivpdata.config import DATA_DIR
from ivpdata.load import read_sources
from ivpdata.validate import DataError


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    return data


def test_a_duplicate_area_code_is_named_with_its_file_and_row(tmp_path: Path):
    data = _copy(tmp_path)
    wijken = data / "geo" / "dordrecht_wijken_2024.geojson"
    collection = json.loads(wijken.read_text(encoding="utf-8"))
    collection["features"].append(collection["features"][0])
    wijken.write_text(json.dumps(collection), encoding="utf-8")
    code, row = collection["features"][0]["properties"]["code"], len(collection["features"])
    with pytest.raises(DataError) as error:
        read_sources(data)
    assert f"data/geo/dordrecht_wijken_2024.geojson, row {row}, column 'code': duplicate area code '{code}'" in str(
        error.value
    )


def test_buurten_whose_wijk_is_missing_are_each_named(tmp_path: Path):
    data = _copy(tmp_path)
    config = data / "gemeenten.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("geo/dordrecht_wijken_2024.geojson", "geo/ontbreekt.geojson"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_sources(data)
    message = str(error.value)
    assert "data/geo/ontbreekt.geojson: file is missing" in message
    assert "data/geo/dordrecht_buurten_2024.geojson, row 1, column 'code': parent 'WK050501' of 'BU05050100'" in message
