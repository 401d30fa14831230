"""Map values, classes and the deck, through their data and the deck's JSON."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely
import shapely.geometry

from ivpdata import mapping, queries

THRESHOLDS = mapping.Thresholds(
    min_inhabitants_for_rate=100, min_incidents_for_change=10, change_class_bounds=(-25, -10, 10, 25)
)


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "D"],
            "area_name": ["Aa", "Bb", "Cc", "Dd"],
            "incident_count": [10, 30, 5, 55],
            "comparison_count": [20, 30, 4, 50],
            "inhabitants": [1000, 2000, 50, 1000],
            "is_demo": True,
            "is_provisional": False,
        }
    )


def test_rates_change_and_index():
    values = mapping.area_measures(_counts(), "per_1000", THRESHOLDS).set_index("area_code")
    assert values.loc["A", "per_1000"] == pytest.approx(10.0)
    assert values.loc["B", "per_1000"] == pytest.approx(15.0)
    # city: 100 incidents / 4,050 inhabitants = 24.69 per 1,000
    assert values.loc["A", "index"] == pytest.approx(10 / (100 * 1000 / 4050) * 100)
    assert values.loc["A", "change"] == pytest.approx(-50.0)
    assert values.loc["B", "change"] == pytest.approx(0.0)


def test_small_areas_are_unstable_with_a_reason():
    rates = mapping.area_measures(_counts(), "per_1000", THRESHOLDS).set_index("area_code")
    assert not rates.loc["C", "is_stable"]
    assert rates.loc["C", "unstable_reason"] == "minder dan 100 inwoners"
    changes = mapping.area_measures(_counts(), "change", THRESHOLDS).set_index("area_code")
    assert not changes.loc["C", "is_stable"]  # 4 incidents in the comparison period
    assert "vergelijkingsperiode" in changes.loc["C", "unstable_reason"]
    counts = mapping.area_measures(_counts(), "count", THRESHOLDS)
    assert counts["is_stable"].all()  # a count is never a rate


def test_quantile_classes_and_legend():
    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    bounds = mapping.class_bounds(values, "count", THRESHOLDS)
    assert len(bounds) == 4
    classes = mapping.assign_classes(values, bounds)
    assert classes.min() == 0 and classes.max() == 4
    assert classes.value_counts().to_dict() == {0: 2, 1: 2, 2: 2, 3: 2, 4: 2}
    entries = mapping.legend("count", [1234.5, 2000, 3000, 4000], True, "niet getoond")
    assert [e.label for e in entries][:2] == ["lager dan 1.234", "1.234 tot 2.000"]
    assert entries[-1].colour == mapping.UNSTABLE_COLOUR
    hotspot_entries = mapping.legend("count", [8, 16], False, "", lowest=5)
    assert [e.label for e in hotspot_entries] == ["5 tot 8", "8 tot 16", "16 of hoger"]


def test_change_uses_fixed_diverging_classes():
    assert mapping.class_bounds(pd.Series([1.0, 50.0]), "change", THRESHOLDS) == [-25, -10, 10, 25]
    assert mapping.palette("change", [-25, -10, 10, 25]) == mapping.DIVERGING
    labels = [e.label for e in mapping.legend("change", [-25, -10, 10, 25], False, "")]
    assert labels == ["lager dan -25%", "-25% tot -10%", "-10% tot +10%", "+10% tot +25%", "+25% of hoger"]


def test_deck_has_one_feature_per_area_and_no_outside_url(db):
    geometries = queries.area_geometries(db, "GM0505", "buurt")
    counts = geometries[["area_code", "area_name"]].assign(
        incident_count=range(len(geometries)), comparison_count=10, inhabitants=3000, is_demo=True, is_provisional=False
    )
    values = mapping.area_measures(counts, "count", THRESHOLDS)
    bounds = mapping.class_bounds(values["value"], "count", THRESHOLDS)
    features = mapping.feature_collection(geometries, values, "count", bounds, selected="BU05050101")
    text = mapping.map_deck(features, mapping.view_for(geometries)).to_json()
    assert "\n" not in text  # compact: pydeck's indented JSON is three times the size
    deck = json.loads(text)
    layer = deck["layers"][0]
    assert len(layer["data"]["features"]) == 132
    fills = {tuple(f["properties"]["fill"]) for f in layer["data"]["features"]}
    assert len(fills) == 5  # five classes, one colour each
    selected = [f for f in layer["data"]["features"] if f["properties"]["area_code"] == "BU05050101"]
    assert selected[0]["properties"]["line_width"] == 4
    assert layer["lineWidthUnits"] == "pixels"  # a bare string would become the expression "@@=pixels"
    assert deck["mapStyle"] == mapping.MAP_STYLE
    assert "http" not in json.dumps(deck)
    view = deck["initialViewState"]
    assert 51.7 < view["latitude"] < 51.83 and 4.6 < view["longitude"] < 4.9


def test_thresholds_follow_the_area_level():
    from ivpdata.config import load_settings

    settings = load_settings()
    buurt, wijk = mapping.thresholds_for(settings, "buurt"), mapping.thresholds_for(settings, "wijk")
    assert buurt.min_inhabitants_for_rate < wijk.min_inhabitants_for_rate
    assert buurt.change_class_bounds == (-25, -10, 10, 25)


def test_small_changes_keep_a_decimal():
    assert mapping.format_value(-0.36, "change") == "-0,4%"
    assert mapping.format_value(37.2, "change") == "+37%"


def test_area_groups_are_an_outline_layer_on_top(db):
    geometries = queries.area_geometries(db, "GM0505", "wijk")
    counts = geometries[["area_code", "area_name"]].assign(
        incident_count=5, comparison_count=10, inhabitants=3000, is_demo=True, is_provisional=False
    )
    values = mapping.area_measures(counts, "count", THRESHOLDS)
    features = mapping.feature_collection(geometries, values, "count", [], selected=None)
    outlines = queries.area_group_outlines(db, "GM0505")
    groups = mapping.group_outlines(outlines)
    assert [f["properties"]["name"] for f in groups["features"]] == ["Dordt-West", "Kromhout en omgeving"]
    # Dordt-West is the union of its four wijken: one outline around them, not four.
    dordt_west = shapely.geometry.shape(groups["features"][0]["geometry"])
    members = outlines[outlines["group_code"] == "dordt-west"]
    assert len(members) == 4
    assert dordt_west.area == pytest.approx(
        shapely.union_all([shapely.from_wkb(bytes(w)) for w in members["geometry_wkb"]]).area, rel=0.02
    )
    deck = json.loads(mapping.map_deck(features, mapping.view_for(geometries), groups=groups).to_json())
    assert [layer["id"] for layer in deck["layers"]] == [mapping.LAYER_ID, mapping.GROUP_LAYER_ID]
    top = deck["layers"][-1]
    assert top["filled"] is False and top["pickable"] is False  # clicks reach the areas below
    legend = mapping.group_legend(outlines)
    assert legend[0].outline and "Dordt-West, Kromhout en omgeving" in legend[0].label
    assert "3px solid" in mapping.legend_html(legend)


def test_online_basemap_is_opt_in():
    assert mapping.map_style_for({}) == mapping.MAP_STYLE
    assert mapping.map_style_for({"basemap": "local"}) == mapping.MAP_STYLE
    url = "https://basemaps.example.org/style.json"
    assert mapping.map_style_for({"basemap": url}) == url
    from ivpdata.config import load_settings

    assert mapping.map_style_for(load_settings()) == mapping.MAP_STYLE  # the shipped default is offline


def test_tooltip_names_value_count_inhabitants_and_change():
    values = mapping.area_measures(_counts(), "per_1000", THRESHOLDS)
    geometries = values[["area_code", "area_name"]].assign(
        geometry_wkb=[shapely.to_wkb(shapely.box(i, 0, i + 1, 1)) for i in range(len(values))]
    )
    features = mapping.feature_collection(geometries, values, "per_1000", [12.0], selected=None)
    details = {f["properties"]["area_code"]: f["properties"]["details"] for f in features["features"]}
    assert details["B"].split("\n") == [
        "Per 1.000 inwoners: 15,0",
        "Aantal: 30",
        "Inwoners: 2.000",
        "Verandering: 0 (0,0%)",
    ]
    assert "niet getoond" in details["C"] and "minder dan 100 inwoners" in details["C"]
    assert "{name}" in mapping.TOOLTIP["html"] and "{details}" in mapping.TOOLTIP["html"]
