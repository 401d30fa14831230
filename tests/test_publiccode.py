"""publiccode.yml describes the product as the standard asks (tests/data/publiccode.schema.json) and
agrees with the code: its versions are the pins of requirements.in and pyproject.toml."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml

from ivpdata.config import PROJECT_ROOT

PUBLICCODE = PROJECT_ROOT / "publiccode.yml"
SCHEMA = json.loads((PROJECT_ROOT / "tests" / "data" / "publiccode.schema.json").read_text(encoding="utf-8"))
# Facts only the product's owner can give (publiccode.yml says so in its header): each is the one
# schema error left. Filling one in makes this test fail until it is taken off this list.
OWNER_TO_FILL = {"url", "legal.license", "maintenance.contacts"}
# dependsOn names -> where their version is pinned
PINNED = {"DuckDB": "duckdb", "Streamlit": "streamlit"}
SYSTEM = {"nginx"}  # installed from Debian by deploy/README.md; no version pinned in the project


def _publiccode() -> dict[str, Any]:
    return yaml.safe_load(PUBLICCODE.read_text(encoding="utf-8"))


def _gaps(document: dict[str, Any]) -> set[str]:
    """The schema errors of `document`, as the dotted key each is about."""
    gaps = set()
    for error in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document):
        where = ".".join(str(part) for part in error.absolute_path)
        missing = re.fullmatch(r"'(\w+)' is a required property", error.message)
        key = f"{where}.{missing.group(1)}".lstrip(".") if missing else f"{where}: {error.message}"
        gaps.add(key)
    return gaps


def test_publiccode_follows_the_standard_apart_from_what_the_owner_must_fill_in():
    assert _gaps(_publiccode()) == OWNER_TO_FILL


def test_the_schema_refuses_what_the_standard_refuses():
    document = _publiccode()
    document["developmentStatus"] = "klaar"
    document["description"]["nl"]["shortDescription"] = "x" * 151
    document["description"]["en"]["longDescription"] = "te kort"
    del document["description"]["nl"]["longDescription"]
    document["categories"] = ["veiligheid"]
    document["softwareTyp"] = "standalone/web"
    gaps = _gaps(document) - OWNER_TO_FILL
    assert any(gap.startswith("developmentStatus:") for gap in gaps)
    assert any(gap.startswith("description.nl.shortDescription:") for gap in gaps)
    assert any(gap.startswith("description.en.longDescription:") for gap in gaps)
    assert any(gap.startswith("categories.0:") for gap in gaps)
    assert any("softwareTyp" in gap for gap in gaps)


def test_no_licence_is_claimed_that_the_repository_does_not_have():
    licence_files = [p for p in PROJECT_ROOT.iterdir() if p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING"))]
    claimed = _publiccode().get("legal", {}).get("license")
    if licence_files:
        assert claimed, f"{licence_files[0].name} exists: name its SPDX identifier in publiccode.yml legal.license"
    else:
        assert claimed is None, "publiccode.yml names a licence, but the repository has no LICENSE file"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s#]+)", line.strip())
        if found:
            pins[found.group(1).lower()] = found.group(2)
    return pins


def test_versions_agree_with_the_code():
    document = _publiccode()
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert document["softwareVersion"] == project["version"]
    pins = _pins()
    for dependency in document["dependsOn"]["open"]:
        name = dependency["name"]
        if name == "Python":
            assert f">={dependency['versionMin']}" == project["requires-python"]
        elif name in PINNED:
            assert dependency["version"] == pins[PINNED[name]], f"{name}: publiccode.yml and requirements.in differ"
        else:
            assert name in SYSTEM, f"{name}: say in this test where its version is pinned"
