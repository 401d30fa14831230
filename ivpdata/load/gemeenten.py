"""data/gemeenten.yaml: the gemeenten served, their boundary files and demo settings, and the default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ivpdata.config import DemoSettings, Gemeente
from ivpdata.load.common import Reader
from ivpdata.validate import GEMEENTE_CODE, ProblemCollector

FILE = "data/gemeenten.yaml"
GEO_LEVELS = ("gemeente", "wijk", "buurt")


@dataclass(frozen=True)
class GemeenteConfig:
    gemeenten: list[Gemeente]
    default: str | None

    @property
    def codes(self) -> set[str]:
        return {gemeente.code for gemeente in self.gemeenten}

    @property
    def names_to_codes(self) -> dict[str, str]:
        return {gemeente.name: gemeente.code for gemeente in self.gemeenten}


def read_gemeenten(reader: Reader) -> GemeenteConfig:
    config = reader.yaml("gemeenten.yaml")
    default = config.get("default") if isinstance(config, dict) else None
    return GemeenteConfig(_parse_gemeenten(config, reader.problems), default)


def _parse_gemeenten(config: Any, problems: ProblemCollector) -> list[Gemeente]:
    if not isinstance(config, dict) or not isinstance(config.get("gemeenten"), list):
        if config is not None:
            problems.add(FILE, None, None, "expected a mapping with a list 'gemeenten'")
        return []
    gemeenten = []
    for index, item in enumerate(config["gemeenten"], start=1):
        where = f"gemeenten[{index}]"
        try:
            gemeenten.append(_parse_gemeente(item, where, problems))
        except (KeyError, TypeError, ValueError) as exc:
            problems.add(FILE, None, where, f"missing or invalid setting: {exc}")
    codes = [g.code for g in gemeenten]
    if config.get("default") not in codes:
        problems.add(FILE, None, "default", f"default '{config.get('default')}' is not one of {codes}")
    return gemeenten


def _parse_gemeente(item: Any, where: str, problems: ProblemCollector) -> Gemeente:
    """One entry of the list; raises KeyError, TypeError or ValueError on a missing or invalid setting."""
    code = str(item["code"])
    if not GEMEENTE_CODE.fullmatch(code):
        problems.add(FILE, None, f"{where}.code", f"'{code}' is not a gemeente code like GM0505")
    demo = item.get("demo")
    return Gemeente(
        code=code,
        name=str(item["name"]),
        boundary_year=int(item["boundary_year"]),
        geo={level: str(item["geo"][level]) for level in GEO_LEVELS},
        demo=_demo_settings(demo) if demo else None,
    )


def _demo_settings(demo: Any) -> DemoSettings:
    return DemoSettings(
        seed=int(demo["seed"]),
        total_crime=int(demo["total_crime"]),
        population_growth_per_year=float(demo["population_growth_per_year"]),
        centre_area=str(demo["centre_area"]),
        pressure={str(k): float(v) for k, v in (demo.get("pressure") or {}).items()},
    )


def municipalities_frame(config: GemeenteConfig) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "gemeente_code": g.code,
                "name": g.name,
                "boundary_year": g.boundary_year,
                "is_default": g.code == config.default,
            }
            for g in config.gemeenten
        ]
    )
