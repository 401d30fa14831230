"""Map classes for sparse and skewed counts, and what the Kaart says when every area would be grey."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ivpdata import mapping, queries
from ivpdata.config import load_settings
from ivpdata.periods import calendar_year
from tests.test_mapping import _legend_classes, _shown_value

GEMEENTE = "GM0505"
THRESHOLDS = mapping.Thresholds(
    min_inhabitants_for_rate=100, min_incidents_for_change=10, change_class_bounds=(-25, -10, 10, 25)
)


def _buurt_values(db, category: str, year: int, measure: str = "count") -> tuple[pd.DataFrame, list[float]]:
    """The buurten of Dordrecht in the default data: one category, a calendar year against the one before."""
    counts = queries.area_counts(db, GEMEENTE, "buurt", [category], calendar_year(year), calendar_year(year - 1))
    values, _, _, bounds = mapping.map_values(counts, measure, mapping.thresholds_for(load_settings(), "buurt"))
    return values, bounds


def _class_of(values: pd.DataFrame, bounds: list[float], measure: str = "count") -> pd.Series:
    return mapping.assign_classes(values["value"], bounds, measure)


@pytest.mark.parametrize("category", ["1.4.2", "1.4.6"])  # Moord, doodslag; Straatroof
@pytest.mark.parametrize("year", [2024, 2025])
def test_sparse_counts_get_a_class_for_each_value(db, category, year):
    """Counts of 0, 1 and 2 per buurt: three classes ("0", "1", "2 of hoger"), not one "alle waarden"."""
    values, bounds = _buurt_values(db, category, year)
    distinct = values["value"].nunique()
    assert distinct >= 2
    labels = [e.label for e in mapping.legend("count", bounds, False, "")]
    assert "alle waarden" not in labels
    assert _class_of(values, bounds).nunique() == min(3, distinct) == len(labels)
    assert labels[0] == "0" and labels[1] in ("1", "1 of hoger")  # zero is a class of its own, and so is one
    assert "Fisher-Jenks" in mapping.class_method("count", bounds)


@pytest.mark.parametrize("year", [2024, 2025])
def test_woninginbraak_per_buurt_tells_two_from_eight(db, year):
    values, bounds = _buurt_values(db, "1.1.1", year)
    classes = _class_of(values, bounds)
    assert classes.nunique() >= min(3, values["value"].nunique())
    zeros = classes[values["value"] == 0]
    assert zeros.nunique() == 1 and not (classes[values["value"] > 0] == zeros.iloc[0]).any()  # 0 alone
    top = values["value"].max()
    assert classes[values["value"] == 2].max() < classes[values["value"] == top].min()  # 2 is not the top's colour
    assert mapping.legend("count", bounds, False, "")[0].label == "0"
    assert mapping.class_method("count", bounds) == "Klassen: natuurlijke grenzen (Fisher-Jenks), 0 apart."


def test_an_outlier_among_zeros_is_alone_in_the_top_class():
    """After a real import: one buurt with 48 among zeros and a few small counts."""
    counts = pd.Series([0.0] * 110 + [1] * 12 + [2] * 5 + [3, 3, 5, 8, 48])
    bounds = mapping.class_bounds(counts, "count", THRESHOLDS)
    classes = mapping.assign_classes(counts, bounds, "count")
    assert classes[counts == 48].iloc[0] == classes.max()
    assert (classes == classes.max()).sum() == 1  # alone in the top class
    assert classes[counts == 0].iloc[0] == 0 and (classes == 0).sum() == 110  # zero its own class
    assert classes.nunique() == THRESHOLDS.classes
    entries = mapping.legend("count", bounds, False, "")
    assert entries[0].label == "0" and entries[-1].label == "48 of hoger"


def test_a_top_class_of_the_highest_value_alone_is_named_by_it():
    """The Kaart of Dordrecht per buurt said '129 tot 327' and '327 of hoger' for Dubbeldam-Zuid's 327
    alone: no area is higher, so its class is '327', on the Kaart and in the PDF's map. A top class
    of more values keeps 'of hoger' (the highest is above its lowest)."""
    alone = pd.DataFrame({"value": [0.0] * 110 + [1] * 12 + [2] * 5 + [3, 3, 5, 8, 48], "is_stable": True})
    bounds = mapping.class_bounds(alone["value"], "count", THRESHOLDS)
    labels = [e.label for e in mapping.legend("count", bounds, False, "", highest=48)]
    assert labels[-2:] == ["5 tot 48", "48"]
    legend = mapping.map_legend("count", bounds, alone, None)
    assert "<span>48</span>" in legend and "of hoger" not in legend

    several = pd.DataFrame({"value": [float(v) for v in range(0, 130, 2)] + [283.0, 290.0], "is_stable": True})
    bounds = mapping.class_bounds(several["value"], "count", THRESHOLDS)
    assert mapping.map_legend("count", bounds, several, None).count("of hoger") == 1
    # a grey (unstable) area's value is in no class: the highest is that of the coloured areas
    bounds = mapping.class_bounds(alone["value"], "count", THRESHOLDS)
    grey_top = pd.concat([alone, pd.DataFrame({"value": [900.0], "is_stable": [False]})], ignore_index=True)
    assert "<span>48</span>" in mapping.map_legend("count", bounds, grey_top, None)


def test_a_skewed_city_keeps_its_outlier_apart():
    """Alle misdrijven per buurt, one buurt far above the rest: it is not lumped with ordinary buurten."""
    counts = pd.Series([float(v) for v in range(0, 130, 2)] + [283.0])
    classes = mapping.assign_classes(counts, mapping.class_bounds(counts, "count", THRESHOLDS), "count")
    assert (classes == classes.max()).sum() == 1 and classes.iloc[-1] == classes.max()


def test_rare_zeros_share_a_class_and_rates_are_classed_as_shown():
    counts = pd.Series([0.0, *np.linspace(20, 120, 60).round()])
    bounds = mapping.class_bounds(counts, "count", THRESHOLDS)
    assert bounds[0] > 1 and "0 apart" not in mapping.class_method("count", bounds)  # one zero: no class of its own
    rates = pd.Series([0.0] * 30 + [1.26, 2.5, 2.54, 3.1, 4.44, 9.96, 10.04, 31.7])
    rate_bounds = mapping.class_bounds(rates, "per_1000", THRESHOLDS)
    assert rate_bounds[0] == 0.1 and all(round(b, 1) == b for b in rate_bounds)
    assert mapping.legend("per_1000", rate_bounds, False, "")[0].label == "0,0"


@pytest.mark.parametrize("seed", range(40))
def test_every_map_with_different_values_shows_at_least_three_classes(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(2, 300))
    counts = pd.Series(rng.negative_binomial(rng.uniform(0.2, 3), rng.uniform(0.05, 0.9), size).astype(float))
    bounds = mapping.class_bounds(counts, "count", THRESHOLDS)
    used = mapping.assign_classes(counts, bounds, "count").nunique()
    assert used == len(bounds) + 1  # no empty class
    assert used >= min(3, counts.nunique())
    assert len(mapping.legend("count", bounds, False, "")) == used


@pytest.mark.parametrize(("category", "measure"), [("1.4.2", "count"), ("1.1.1", "count"), ("1.1.1", "per_1000")])
def test_every_fill_is_its_legend_class_for_sparse_categories(db, category, measure):
    """The invariant of tests/test_mapping.py, read from the legend's text, on sparse categories."""
    values, bounds = _buurt_values(db, category, 2024, measure)
    geometries = queries.area_geometries(db, GEMEENTE, "buurt")
    classes = _legend_classes(mapping.legend(measure, bounds, not values["is_stable"].all(), mapping.UNSTABLE_TEXT))
    features = mapping.feature_collection(geometries, values, measure, bounds, None)["features"]
    fills = set()
    for feature in features:
        details, fill = feature["properties"]["details"], feature["properties"]["fill"]
        if "niet getoond" in details.split("\n")[0]:
            continue
        shown = _shown_value(details, measure)
        assert [c for low, high, c in classes if low <= shown < high] == [fill], (feature["properties"]["name"], shown)
        fills.add(tuple(fill))
    assert len(fills) >= 3


def test_the_legend_html_names_the_method_in_one_line():
    bounds = [1.0, 2.0, 4.0]
    html = mapping.legend_html(mapping.legend("count", bounds, False, ""), mapping.class_method("count", bounds))
    assert html.count("Klassen: natuurlijke grenzen (Fisher-Jenks), 0 apart.") == 1
    assert mapping.class_method("change", [-25, -10, 10, 25]).startswith("Klassen: vaste grenzen")


def test_a_map_of_one_value_says_so():
    """Moord en doodslag per Enkhuizen buurt in a quiet year: every buurt 0. The legend said
    'Klassen: natuurlijke grenzen (Fisher-Jenks)' over its one colour."""
    assert mapping.class_method("count", []) == "Eén kleur: elk getoond gebied heeft dezelfde waarde."


# All grey: the line that says why, and the views that do show something.


def test_woninginbraak_per_buurt_change_is_all_grey_and_offers_wijken_and_counts(db):
    values, _ = _buurt_values(db, "1.1.1", 2025, "change")
    counts = queries.area_counts(db, GEMEENTE, "wijk", ["1.1.1"], calendar_year(2025), calendar_year(2024))
    wijken = mapping.map_values(counts, "change", mapping.thresholds_for(load_settings(), "wijk"))[0]
    help_ = mapping.grey_help(values, "change", "buurt", lambda: wijken)
    assert help_ is not None  # every buurt is grey
    line, offers = help_
    assert line == "Alle buurten zijn grijs: minder dan 10 incidenten in de vergelijkingsperiode."
    assert offers == [
        mapping.Offer("Bekijk per wijk", level="wijk"),
        mapping.Offer("Toon aantallen", measure="count"),
    ]


def test_a_wijk_view_that_is_grey_as_well_is_not_offered(db):
    values, _ = _buurt_values(db, "1.4.2", 2025, "change")
    counts = queries.area_counts(db, GEMEENTE, "wijk", ["1.4.2"], calendar_year(2025), calendar_year(2024))
    wijken = mapping.map_values(counts, "change", mapping.thresholds_for(load_settings(), "wijk"))[0]
    help_ = mapping.grey_help(values, "change", "buurt", lambda: wijken)
    assert help_ is not None  # every buurt is grey
    _, offers = help_
    assert [o.label for o in offers] == ["Toon aantallen"]
    assert mapping.grey_help(_buurt_values(db, "1.4.2", 2025)[0], "count", "buurt", None) is None  # counts: colour


def test_deck_fills_of_an_all_grey_view_are_grey(db):
    """What the grey_help rule is about: every fill of this view is the grey of unstable areas."""
    values, bounds = _buurt_values(db, "1.1.1", 2025, "change")
    geometries = queries.area_geometries(db, GEMEENTE, "buurt")
    deck = json.loads(
        mapping.map_deck(
            mapping.feature_collection(geometries, values, "change", bounds, None), mapping.view_for(geometries)
        ).to_json()
    )
    fills = {tuple(f["properties"]["fill"]) for f in deck["layers"][0]["data"]["features"]}
    assert fills == {tuple(mapping.rgb(mapping.UNSTABLE_COLOUR))}
