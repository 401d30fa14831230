"""Deterministic demo series: population per area and monthly incident counts per buurt.

The demo data stand in for the police and CBS exports a gemeente loads later. They are built to
be honest about what they are and consistent with what is known:
- every row carries is_demo (the UI labels it "demodata");
- where a city total for a category and year is published, the buurt x month counts sum to it
  exactly (multinomial allocation of the published number);
- demo population per buurt sums to the published gemeente population.
All knobs are data (data/demo_profile.yaml, data/gemeenten.yaml, data/periods.yaml).
"""

from __future__ import annotations

import calendar
import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivpdata.config import DemoSettings, Gemeente
from ivpdata.hotspots import EventPlacement, demo_events
from ivpdata.validate import DataError, Problem

CENTRE_DECAY_KM = 1.2
BUURT_NOISE_SIGMA = 0.35
SPARSE_POPULATION_FACTOR = 0.03
MIN_MONTH_FACTOR = 0.05


@dataclass(frozen=True)
class DemoResult:
    population: pd.DataFrame
    incident_counts: pd.DataFrame
    incident_events: pd.DataFrame


def rng_for(seed: int, *parts: object) -> np.random.Generator:
    """A generator that depends only on the seed and the given parts (stable across runs)."""
    keys = [seed] + [zlib.crc32(str(part).encode()) for part in parts]
    return np.random.default_rng(np.random.SeedSequence(keys))


def allocate_exact(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total over weights by largest remainder: sums to `total` exactly."""
    shares = weights / weights.sum() * total
    result = np.floor(shares).astype(np.int64)
    remainder = int(total - result.sum())
    if remainder:
        order = np.argsort(-(shares - result), kind="stable")
        result[order[:remainder]] += 1
    return result


def generate_demo(
    gemeente: Gemeente,
    areas: pd.DataFrame,
    real_population: pd.DataFrame,
    figures: pd.DataFrame,
    categories: pd.DataFrame,
    profile: dict,
    periods: dict,
) -> DemoResult:
    settings = gemeente.demo
    if settings is None:
        return DemoResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    years = list(range(int(profile["first_year"]), int(profile["last_year"]) + 1))
    gemeente_areas = areas[areas["gemeente_code"] == gemeente.code]
    buurten = gemeente_areas[gemeente_areas["area_level"] == "buurt"].reset_index(drop=True)
    population_years = list(range(int(profile.get("population_first_year", years[0])), years[-1] + 1))
    population = _demo_population(
        gemeente, settings, gemeente_areas, buurten, real_population, profile, population_years
    )
    reference_year = int(profile["reference_year"])
    buurt_population_reference = (
        population[population["year"] == reference_year]
        .set_index("area_code")
        .loc[buurten["area_code"], "inhabitants"]
        .to_numpy()
    )
    counts = _demo_incidents(
        gemeente,
        settings,
        gemeente_areas,
        buurten,
        buurt_population_reference,
        population,
        figures,
        categories,
        profile,
        periods,
        years,
    )
    events = demo_events(
        counts, buurten, EventPlacement.from_profile(profile), lambda part: rng_for(settings.seed, "events", part)
    )
    return DemoResult(population, counts, events)


def _demo_population(
    gemeente: Gemeente,
    settings: DemoSettings,
    gemeente_areas: pd.DataFrame,
    buurten: pd.DataFrame,
    real_population: pd.DataFrame,
    profile: dict,
    years: list[int],
) -> pd.DataFrame:
    reference_year = int(profile["reference_year"])
    real = real_population[
        (real_population["area_code"] == gemeente.code) & (real_population["year"] == reference_year)
    ]
    if real.empty:
        message = f"no published {reference_year} population for {gemeente.code}; the demo series need it"
        raise DataError([Problem("data/realdata", None, None, message)])
    total_reference = int(real["inhabitants"].iloc[0])
    rng = rng_for(settings.seed, "population")
    sparse = _matches(buurten["name"], profile.get("sparse_area_keywords", [])) | _matches(
        buurten["parent_code"].map(gemeente_areas.set_index("area_code")["name"]).fillna(""),
        profile.get("sparse_wijk_keywords", []),
    )
    weights = np.sqrt(buurten["area_km2"].to_numpy()) * rng.lognormal(0.0, 0.3, len(buurten))
    weights = np.where(sparse, weights * SPARSE_POPULATION_FACTOR, weights)

    rows = []
    growth = settings.population_growth_per_year
    for year in years:
        total = round(total_reference * (1 + growth) ** (year - reference_year))
        drift = rng_for(settings.seed, "population-drift", year).normal(1.0, 0.01, len(buurten))
        counts = allocate_exact(total, weights * (drift if year != reference_year else 1.0))
        for code, count in zip(buurten["area_code"], counts, strict=True):
            rows.append((code, year, int(count)))
    frame = pd.DataFrame(rows, columns=["area_code", "year", "inhabitants"])
    parents = buurten.set_index("area_code")["parent_code"]
    wijk = frame.assign(area_code=frame["area_code"].map(parents)).groupby(["area_code", "year"], as_index=False).sum()
    city = frame.groupby("year", as_index=False)["inhabitants"].sum().assign(area_code=gemeente.code)
    result = pd.concat([frame, wijk, city], ignore_index=True)
    result["source_id"] = "demo"
    result["is_demo"] = True
    # The published gemeente figure is real, not demo.
    is_real = (result["area_code"] == gemeente.code) & (result["year"] == reference_year)
    result.loc[is_real, ["source_id", "is_demo"]] = [real["source_id"].iloc[0], False]
    return result[["area_code", "year", "inhabitants", "source_id", "is_demo"]]


def _matches(names: pd.Series, keywords: list[str]) -> np.ndarray:
    lowered = [k.lower() for k in keywords]
    return names.str.lower().map(lambda name: any(k in name for k in lowered)).to_numpy(dtype=bool)


def _spatial_weights(
    settings: DemoSettings, gemeente_areas: pd.DataFrame, buurten: pd.DataFrame, pop: np.ndarray, profile: dict
) -> dict[str, np.ndarray]:
    centre = gemeente_areas.set_index("area_code").loc[settings.centre_area]
    lat_scale = 110.574
    lon_scale = 111.320 * np.cos(np.radians(centre["centroid_lat"]))
    distance_km = np.hypot(
        (buurten["centroid_lon"].to_numpy() - centre["centroid_lon"]) * lon_scale,
        (buurten["centroid_lat"].to_numpy() - centre["centroid_lat"]) * lat_scale,
    )
    mean_pop = max(pop.mean(), 1.0)
    business = _matches(buurten["name"], profile.get("business_area_keywords", []))
    pressure = buurten["parent_code"].map(settings.pressure).fillna(1.0).to_numpy()

    def norm(values: np.ndarray) -> np.ndarray:
        total = values.sum()
        return values / total if total > 0 else np.full(len(values), 1 / len(values))

    residential = norm(pop + 0.01 * mean_pop)
    centre_w = norm(np.exp(-distance_km / CENTRE_DECAY_KM) + 0.15 * pop / mean_pop)
    pressure_w = norm((pop + 0.01 * mean_pop) * pressure)
    business_w = norm(business * np.sqrt(buurten["area_km2"].to_numpy()) + 0.05 * pop / mean_pop)
    mixed = norm(0.5 * pressure_w + 0.4 * centre_w + 0.1 * business_w)
    base = {
        "residential": residential,
        "centre": centre_w,
        "pressure": pressure_w,
        "business": business_w,
        "mixed": mixed,
    }
    weights = {}
    for pattern in profile["patterns"]:
        noise = rng_for(settings.seed, "buurt-noise", pattern).lognormal(0.0, BUURT_NOISE_SIGMA, len(buurten))
        weights[pattern] = norm(base[pattern] * noise)
    return weights


def lockdown_intensity(periods: dict, year: int, month: int) -> float:
    """Share of the month under lockdown, weighted by each period's intensity (0-1)."""
    days = calendar.monthrange(year, month)[1]
    first, last = dt.date(year, month, 1), dt.date(year, month, days)
    total = 0.0
    for period in periods.get("lockdowns", []):
        start, end = _as_date(period["start"]), _as_date(period["end"])
        overlap = (min(end, last) - max(start, first)).days + 1
        if overlap > 0:
            total += overlap / days * float(period["intensity"])
    return min(total, 1.0)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _anchored_series(expected: dict[int, float], anchors: dict[int, int], years: list[int]) -> dict[int, float]:
    """Rescale the expected series so it passes through the anchors (geometric interpolation)."""
    if not anchors:
        return expected
    ratios = {a: anchors[a] / max(expected[a], 1e-9) for a in sorted(anchors)}
    anchor_years = sorted(ratios)
    result = {}
    for year in years:
        if year in anchors:
            result[year] = float(anchors[year])
            continue
        before = [a for a in anchor_years if a < year]
        after = [a for a in anchor_years if a > year]
        if before and after:
            a1, a2 = before[-1], after[0]
            t = (year - a1) / (a2 - a1)
            ratio = ratios[a1] ** (1 - t) * ratios[a2] ** t
        else:
            ratio = ratios[before[-1]] if before else ratios[after[0]]
        result[year] = expected[year] * ratio
    return result


def _demo_incidents(
    gemeente: Gemeente,
    settings: DemoSettings,
    gemeente_areas: pd.DataFrame,
    buurten: pd.DataFrame,
    pop_reference: np.ndarray,
    population: pd.DataFrame,
    figures: pd.DataFrame,
    categories: pd.DataFrame,
    profile: dict,
    periods: dict,
    years: list[int],
) -> pd.DataFrame:
    kinds = categories.set_index("category_code")["kind"]
    city_population = population[population["area_code"] == gemeente.code].set_index("year")["inhabitants"]
    anchors = _published_city_year(figures, gemeente.code)
    expected = _expected_levels(settings, kinds, city_population, anchors, profile, years)
    annual = _annual_counts(gemeente, settings, kinds, expected, anchors, profile, years)
    spatial = _spatial_weights(settings, gemeente_areas, buurten, pop_reference, profile)
    result = _monthly_counts(gemeente, settings, buurten, annual, spatial, profile, periods, years)
    result.insert(0, "gemeente_code", gemeente.code)
    result["source_id"] = "demo"
    provisional_from = str(profile.get("provisional_from", "9999-12"))
    period_key = result["year"].astype(str) + "-" + result["month"].map("{:02d}".format)
    result["is_provisional"] = period_key >= provisional_from
    result["is_demo"] = True
    return result


def _expected_levels(
    settings: DemoSettings,
    kinds: pd.Series,
    city_population: pd.Series,
    anchors: dict[tuple[str, int], int],
    profile: dict,
    years: list[int],
) -> dict[str, dict[int, float]]:
    """Expected city count per category and year: crime as a share of the total, other kinds per
    1000 inhabitants, along the category's trend and through its published figures."""
    specs = profile["categories"]
    reference_year = int(profile["reference_year"])
    crime_codes = [c for c in specs if kinds[c] == "misdrijf"]
    total_weight = sum(float(specs[c]["weight"]) for c in crime_codes)
    expected: dict[str, dict[int, float]] = {}
    for code, spec in specs.items():
        if kinds[code] == "misdrijf":
            level = float(spec["weight"]) / total_weight * settings.total_crime
        else:
            level = float(spec["per_1000"]) * city_population[reference_year] / 1000
        trend = profile["trends"][spec["trend"]]
        raw = {y: level * float(trend[y]) / float(trend[reference_year]) for y in years}
        own = {y: v for (c, y), v in anchors.items() if c == code and y in years}
        expected[code] = _anchored_series(raw, own, years)
    return expected


def _annual_counts(
    gemeente: Gemeente,
    settings: DemoSettings,
    kinds: pd.Series,
    expected: dict[str, dict[int, float]],
    anchors: dict[tuple[str, int], int],
    profile: dict,
    years: list[int],
) -> dict[tuple[str, int], int]:
    """City count per category and year: the published figure, else a Poisson draw around the
    expected level; a published total split over the categories it leaves open."""
    specs = profile["categories"]
    annual: dict[tuple[str, int], int] = {}
    for code in specs:
        for year in years:
            if (code, year) in anchors:
                annual[code, year] = anchors[code, year]
            else:
                annual[code, year] = int(rng_for(settings.seed, "annual", code, year).poisson(expected[code][year]))
    crime_codes = [c for c in specs if kinds[c] == "misdrijf"]
    _split_published_totals(gemeente, settings, crime_codes, expected, anchors, annual, years)
    return annual


def _split_published_totals(
    gemeente: Gemeente,
    settings: DemoSettings,
    crime_codes: list[str],
    expected: dict[str, dict[int, float]],
    anchors: dict[tuple[str, int], int],
    annual: dict[tuple[str, int], int],
    years: list[int],
) -> None:
    """A published total fixes the sum of all crime categories; split what the published
    categories leave over the others in proportion to their expected level (in `annual`)."""
    problems = []
    for year in years:
        total = anchors.get(("0.0.0", year))
        if total is None:
            continue
        free = [c for c in crime_codes if (c, year) not in anchors]
        remaining = total - sum(anchors[c, year] for c in crime_codes if (c, year) in anchors)
        if remaining < 0 or not free:
            message = f"{gemeente.code} {year}: published categories exceed the total"
            problems.append(Problem("data/published/figures.csv", None, None, message))
            continue
        weights = np.array([expected[c][year] for c in free])
        split = rng_for(settings.seed, "total-split", year).multinomial(remaining, weights / weights.sum())
        for code, value in zip(free, split, strict=True):
            annual[code, year] = int(value)
    if problems:
        raise DataError(problems)


def _monthly_counts(
    gemeente: Gemeente,
    settings: DemoSettings,
    buurten: pd.DataFrame,
    annual: dict[tuple[str, int], int],
    spatial: dict[str, np.ndarray],
    profile: dict,
    periods: dict,
    years: list[int],
) -> pd.DataFrame:
    """Each city count allocated over buurten and months: the category's spatial pattern times its
    season (damped or raised in lockdowns), with the local shifts."""
    lockdown = {(y, m): lockdown_intensity(periods, y, m) for y in years for m in range(1, 13)}
    shifts = _local_shifts(profile, buurten, gemeente.code)
    blocks: list[np.ndarray] = []  # one block of buurt x month counts per (category, year), in order
    block_keys: list[tuple[str, int]] = []
    for code, spec in profile["categories"].items():
        season = np.array(profile["seasons"][spec["season"]], dtype=float)
        elasticity = float(spec.get("lockdown", 0.0))
        for year in years:
            months = season * np.array([1 + elasticity * lockdown[year, m] for m in range(1, 13)])
            months = np.clip(months, MIN_MONTH_FACTOR, None)
            p = np.outer(spatial[spec["pattern"]], months)
            for row, month_factors in shifts.get((code, year), []):
                p[row] *= month_factors
            p = p.ravel()
            blocks.append(rng_for(settings.seed, "allocate", code, year).multinomial(annual[code, year], p / p.sum()))
            block_keys.append((code, year))
    return _count_frame(buurten["area_code"].to_numpy(), block_keys, blocks)


def _count_frame(buurt_codes: np.ndarray, keys: list[tuple[str, int]], blocks: list[np.ndarray]) -> pd.DataFrame:
    """One frame of the blocks of buurt x month counts, built at once (not a frame per block)."""
    size = len(buurt_codes) * 12
    return pd.DataFrame(
        {
            "area_code": np.tile(np.repeat(buurt_codes, 12), len(keys)),
            "year": np.repeat(np.array([year for _, year in keys], dtype=np.int64), size),
            "month": np.tile(np.arange(1, 13, dtype=np.int64), len(buurt_codes) * len(keys)),
            "category_code": np.repeat(np.array([code for code, _ in keys], dtype=object), size),
            "incident_count": np.concatenate(blocks) if blocks else np.array([], dtype=np.int64),
        }
    )


def _local_shifts(
    profile: dict, buurten: pd.DataFrame, gemeente_code: str
) -> dict[tuple[str, int], list[tuple[int, np.ndarray]]]:
    """Month factors per (category, year) for the buurten in `local_shifts`: a share of the city's
    incidents that moves to (or away from) one buurt from a given month, as real hotspots do."""
    rows = {code: i for i, code in enumerate(buurten["area_code"])}
    shifts: dict[tuple[str, int], list[tuple[int, np.ndarray]]] = {}
    for shift in profile.get("local_shifts", []):
        if shift["area"][2:6] != gemeente_code[2:]:
            continue
        if shift["area"] not in rows:
            message = f"local_shifts: unknown buurt '{shift['area']}'"
            raise DataError([Problem("data/demo_profile.yaml", None, "local_shifts", message)])
        first_year, first_month = (int(part) for part in str(shift["from"]).split("-"))
        for year in range(first_year, int(profile["last_year"]) + 1):
            factors = np.ones(12)
            factors[(first_month - 1 if year == first_year else 0) :] = float(shift["factor"])
            shifts.setdefault((shift["category"], year), []).append((rows[shift["area"]], factors))
    return shifts


def _published_city_year(figures: pd.DataFrame, gemeente_code: str) -> dict[tuple[str, int], int]:
    """Published whole-year city counts per (category, year)."""
    mask = (
        (figures["gemeente_code"] == gemeente_code) & (figures["kind"] == "incident") & figures["category_code"].notna()
    )
    anchors = {}
    for row in figures[mask].itertuples():
        start, end = row.period_start, row.period_end
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            anchors[row.category_code, start.year] = round(row.value)
    return anchors
