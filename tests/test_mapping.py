"""Map values, classes and the deck, through their data and the deck's JSON."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest
import shapely
import shapely.geometry
from PIL import Image

from ivpdata import disclosure, map_names, mapping, queries, theme
from ivpdata.config import load_settings
from ivpdata.periods import calendar_year
from tests.support import decks
from tests.support import tiny as tiny_db

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


def test_natural_break_classes_and_legend():
    values = pd.Series([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    bounds = mapping.class_bounds(values, "count", THRESHOLDS)
    assert bounds == [30, 50, 70, 90]  # Fisher-Jenks: evenly spread values, classes of two
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
    widths = decks.outline_widths(deck)
    assert widths["BU05050101"] == 4 and set(widths.values()) == {1, 4}
    assert decks.segments(deck)[-1]["width"] == 4  # the selected outline over its neighbours'
    lines = decks.layer(deck, mapping.LINES_LAYER_ID)
    assert lines["widthUnits"] == "pixels"  # a bare string would become the expression "@@=pixels"
    assert lines["pickable"] is False  # a click on a line reaches the area below
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
    assert decks.layer_ids(deck) == [mapping.LAYER_ID, mapping.LINES_LAYER_ID]
    assert deck["layers"][-1]["pickable"] is False  # clicks reach the areas below
    drawn = decks.segments(deck)
    groups_drawn = decks.segments(deck, mapping.GROUP_LINE_COLOUR)
    assert [segment["width"] for segment in groups_drawn] == [mapping.GROUP_LINE_WIDTH] * len(groups_drawn)
    assert drawn[-len(groups_drawn) :] == groups_drawn  # on top of the areas' outlines
    drawn_length = shapely.length(shapely.linestrings([[s["from"], s["to"]] for s in groups_drawn])).sum()
    outlines_length = sum(shapely.geometry.shape(f["geometry"]).boundary.length for f in groups["features"])
    assert drawn_length == pytest.approx(outlines_length)  # each group's whole outline, once
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


# Class bounds as the legend shows them, and every area's colour as its legend class says.

LEGEND_NUMBER = r"[-+]?\d[\d.]*(?:,\d+)?"


def _dutch_number(text: str) -> float:
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


def _legend_classes(entries: list[mapping.LegendEntry]) -> list[tuple[float, float, list[int]]]:
    """(low, high, colour) per class, read from the legend's own text as a reader would."""
    import re

    classes = []
    for entry in entries:
        if entry.hatched or entry.outline:
            continue
        numbers = [_dutch_number(n) for n in re.findall(LEGEND_NUMBER, entry.label)]
        if entry.label.startswith("lager dan"):
            low, high = -math.inf, numbers[0]
        elif entry.label.endswith("of hoger"):
            low, high = numbers[0], math.inf
        else:  # "2 tot 5", or a class of one shown value: "0"
            low, high = numbers if len(numbers) == 2 else (numbers[0], numbers[0] + 1e-9)
        classes.append((low, high, mapping.rgb(entry.colour)))
    return classes


def _shown_value(details: str, measure: str) -> float:
    """The value the tooltip shows for the measure (its first line; the count line for counts)."""
    label = "Aantal" if measure == "count" else mapping.MEASURES[measure]
    line = next(line for line in details.split("\n") if line.startswith(f"{label}: "))
    return _dutch_number(line.split(": ")[1])


def _areas_with_values(db, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The real areas of Dordrecht with counts from the default data (2025 against 2024)."""
    codes = list(queries.category_options(db, "GM0505")["category_codes"].iloc[0])
    counts = queries.area_counts(db, "GM0505", level, codes, calendar_year(2025), calendar_year(2024))
    return queries.area_geometries(db, "GM0505", level), counts


@pytest.mark.parametrize("measure", list(mapping.MEASURES))
@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_every_fill_is_the_colour_of_the_legend_class_its_shown_value_falls_in(db, measure, level):
    geometries, counts = _areas_with_values(db, level)
    thresholds = mapping.thresholds_for(load_settings(), level)
    values, _, _, bounds = mapping.map_values(counts, measure, thresholds)
    entries = mapping.legend(measure, bounds, not values["is_stable"].all(), mapping.UNSTABLE_TEXT)
    classes = _legend_classes(entries)
    deck = json.loads(
        mapping.map_deck(
            mapping.feature_collection(geometries, values, measure, bounds, None), mapping.view_for(geometries)
        ).to_json()
    )
    features = deck["layers"][0]["data"]["features"]
    assert len(features) == len(geometries)
    unstable = 0
    for feature in features:
        details, fill = feature["properties"]["details"], feature["properties"]["fill"]
        if "niet getoond" in details.split("\n")[0]:
            assert fill == mapping.rgb(mapping.UNSTABLE_COLOUR)
            unstable += 1
            continue
        shown = _shown_value(details, measure)
        matching = [colour for low, high, colour in classes if low <= shown < high]
        assert matching == [fill], f"{feature['properties']['name']}: {shown} drawn {fill}, legend says {matching}"
    stable_fills = {tuple(f["properties"]["fill"]) for f in features} - {tuple(mapping.rgb(mapping.UNSTABLE_COLOUR))}
    scale = mapping.DIVERGING if measure == "change" else mapping.SEQUENTIAL
    assert stable_fills <= {tuple(mapping.rgb(c)) for c in scale}
    assert len(stable_fills) >= 2  # the classes are used, not one colour for all
    assert (unstable > 0) == any(e.hatched for e in entries)


def test_bounds_are_the_numbers_the_legend_shows():
    # Each bound is the lowest value of its class as shown: "26 tot .." holds the 26s.
    counts = pd.Series([20.0, 24, 26, 26, 27, 31, 33, 40, 41, 52, 60])
    bounds = mapping.class_bounds(counts, "count", THRESHOLDS)
    assert all(float(b).is_integer() for b in bounds) and set(bounds) <= set(counts)
    labels = [e.label for e in mapping.legend("count", bounds, False, "")]
    for value in bounds:
        klass = mapping.assign_classes(pd.Series([value]), bounds, "count").iloc[0]
        assert labels[klass].startswith(f"{value:.0f} tot") or labels[klass] == f"{value:.0f} of hoger"
    rate_values = pd.Series([10.04, 12.26, 12.31, 15.55, 18.0, 19.1, 22.49])
    rates = mapping.class_bounds(rate_values, "per_1000", THRESHOLDS)
    assert all(round(b, 1) == b for b in rates) and 12.3 in rates  # 12.26 and 12.31 both show as 12,3
    # 12.26 shows as "12,3": it is drawn in the class "12,3 tot ..", not "lager dan 12,3".
    assert mapping.shown_value(12.26, "per_1000") == 12.3
    assert mapping.assign_classes(pd.Series([12.26]), [12.3], "per_1000").iloc[0] == 1
    # A change of 9.96% shows as "+10,0%": the class from +10%.
    assert mapping.format_value(9.96, "change") == "+10,0%"
    assert mapping.assign_classes(pd.Series([9.96]), [-25, -10, 10, 25], "change").iloc[0] == 3
    assert mapping.class_bounds(pd.Series([0.0, 0, 0, 0, 1, 5, 9]), "count", THRESHOLDS)[0] > 0  # no empty class


def test_an_unstable_change_shows_counts_not_a_percentage():
    values = mapping.area_measures(_counts(), "change", THRESHOLDS)
    geometries = values[["area_code", "area_name"]].assign(
        geometry_wkb=[shapely.to_wkb(shapely.box(i, 0, i + 1, 1)) for i in range(len(values))]
    )
    features = mapping.feature_collection(geometries, values, "change", [-25, -10, 10, 25], selected=None)
    details = {f["properties"]["area_code"]: f["properties"]["details"] for f in features["features"]}
    # C: 4 incidents in the comparison period (fewer than 10): "+1 (+25%)" would read as a trend.
    assert details["C"].split("\n") == [
        "Verandering t.o.v. vergelijkingsperiode: niet getoond",
        "Aantal: 5",
        "Inwoners: 50",
        "Verandering: +1 (van 4 naar 5)",
        "minder dan 10 incidenten in de vergelijkingsperiode",
    ]
    assert "%" not in details["C"]
    assert "Verandering: -10 (-50%)" in details["A"]  # 20 before: stable
    panel = mapping.panel_text(values, "C", "change")
    assert "niet getoond (minder dan 10 incidenten" in panel and "+1 (van 4 naar 5)" in panel and "%" not in panel
    assert "**Rang:** geen rangorde" in panel
    assert "-50%" in mapping.panel_text(values, "A", "change")
    # The same rule whatever the measure: per 1,000 the tooltip leaves C's percentage out too.
    rates = mapping.area_measures(_counts(), "per_1000", THRESHOLDS)
    rate_details = mapping.feature_collection(geometries, rates, "per_1000", [12.0], None)["features"][2]
    assert "Verandering: +1 (van 4 naar 5)" in rate_details["properties"]["details"]


def test_unstable_areas_are_hatched_and_the_legend_shows_it(db):
    geometries, counts = _areas_with_values(db, "buurt")
    values, _, _, bounds = mapping.map_values(counts, "per_1000", mapping.thresholds_for(load_settings(), "buurt"))
    unstable = set(values.loc[~values["is_stable"], "area_code"])
    assert 0 < len(unstable) < len(values)
    shapes = mapping.area_shapes(geometries)
    hatches = mapping.hatching(shapes, values)
    assert hatches is not None and len(hatches["features"]) == len(unstable)
    polygons = {r.area_code: shapely.from_wkb(bytes(r.geometry_wkb)) for r in geometries.itertuples()}
    for code, feature in zip(sorted(unstable), hatches["features"], strict=True):
        lines = shapely.geometry.shape(feature["geometry"])
        assert lines.length > 0
        assert polygons[code].buffer(0.0005).contains(lines)  # inside its own area (simplified by ~10 m)
    features = mapping.feature_collection(shapes, values, "per_1000", bounds, None)
    deck = json.loads(mapping.map_deck(features, mapping.view_for(shapes), hatches=hatches).to_json())
    assert decks.layer_ids(deck) == [mapping.LAYER_ID, mapping.LINES_LAYER_ID]
    assert deck["layers"][1]["pickable"] is False  # hovering or clicking reaches the area below
    hatch_lines = [line for feature in hatches["features"] for line in feature["geometry"]["coordinates"]]
    hatch_segments = decks.segments(deck, mapping.HATCH_COLOUR)
    assert len(hatch_segments) == sum(len(line) - 1 for line in hatch_lines)
    assert decks.segments(deck)[-len(hatch_segments) :] == hatch_segments  # over the areas' outlines
    assert mapping.hatching(shapes, values.assign(is_stable=True)) is None
    entries = mapping.legend("per_1000", bounds, True, mapping.UNSTABLE_TEXT)
    assert entries[-1].hatched and "repeating-linear-gradient" in mapping.legend_html(entries)
    # On a projector: the grey is far from the diverging scale's pale middle, not a shade of it.
    grey, middle = mapping.rgb(mapping.UNSTABLE_COLOUR)[:3], mapping.rgb(mapping.DIVERGING[2])[:3]
    assert sum(abs(a - b) for a, b in zip(grey, middle, strict=True)) > 3 * 60


def test_the_table_leaves_unstable_figures_empty_with_the_reason():
    values = mapping.area_measures(_counts(), "count", THRESHOLDS)  # a count is never unstable itself
    table = mapping.area_table(values).set_index("Code")
    assert table.loc["C", "Aantal"] == 5 and table.loc["C", "Inwoners"] == 50
    assert pd.isna(table.loc["C", "Per 1.000 inwoners"]) and pd.isna(table.loc["C", "Index (stad = 100)"])
    assert pd.isna(table.loc["C", "Verandering (%)"])
    assert table.loc["C", "Opmerking"] == (
        "per 1.000 inwoners en index niet getoond: minder dan 100 inwoners; "
        "verandering (%) niet getoond: minder dan 10 incidenten in de vergelijkingsperiode"
    )
    assert table.loc["A", "Per 1.000 inwoners"] == 10.0 and table.loc["A", "Opmerking"] == ""
    assert table["Per 1.000 inwoners"].dtype == float  # still numbers: the column sorts as numbers


def _pixels(lon: float, lat: float, view: dict) -> tuple[float, float]:
    """Screen position (pixels from the centre) of a point in deck.gl's Web Mercator view."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def project(lo: float, la: float) -> tuple[float, float]:
        return scale * math.radians(lo), scale * math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    x, y = project(lon, lat)
    cx, cy = project(view["longitude"], view["latitude"])
    return x - cx, cy - y


EMPTY_AREAS = {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("gemeente", ["GM0505", "GM0388"])  # Dordrecht (wide), Enkhuizen (tall)
@pytest.mark.parametrize("size", [mapping.MAP_SIZE, mapping.PRESENTING_MAP_SIZE])
def test_the_first_view_fits_the_gemeente_on_the_map(db, gemeente, size):
    """Every area in view but a far-off one the map names (Enkhuizen's island: the test below), and
    as large as fits: one dimension fills the map but for the margins."""
    geometries = queries.area_geometries(db, gemeente, "buurt")
    in_view = geometries[~geometries["area_name"].isin(mapping.area_shapes(geometries, size).out_of_view)]
    union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in in_view["geometry_wkb"]])
    view = json.loads(mapping.map_deck(EMPTY_AREAS, mapping.view_for(geometries, size=size)).to_json())
    points = [
        _pixels(x, y, view["initialViewState"]) for x, y in shapely.get_coordinates(union)
    ]  # as the browser gets it
    width, height = size
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    margin = mapping.MAP_MARGIN - 1
    assert min(xs) >= -width / 2 + margin and max(xs) <= width / 2 - margin, "cut off left or right"
    assert min(ys) >= -height / 2 + margin and max(ys) <= height / 2 - margin, "cut off at the top or bottom"
    assert _fill(in_view, view["initialViewState"], size) > 0.95


def test_compact_json_is_pydecks_json_without_the_indentation():
    feature = {"type": "Feature", "geometry": None, "properties": {"name": "Ä", "fill": [1, 2, 3, 4]}}
    features = {"type": "FeatureCollection", "features": [feature]}
    deck = mapping.map_deck(features, mapping.fit_view((4.6, 51.7, 4.9, 51.8)))
    text = deck.to_json()
    assert json.loads(text) == json.loads(pdk.Deck.to_json(deck))
    assert "\n" not in text and len(text) < 0.6 * len(pdk.Deck.to_json(deck))


def test_area_counts_sums_the_period_and_the_comparison_period(tiny):
    """queries/area_counts.sql on the tiny database (tests/tiny.py: the counts are listed there)."""
    period, comparison = (dt.date(2021, 1, 1), dt.date(2021, 12, 1)), (dt.date(2020, 1, 1), dt.date(2020, 12, 1))
    crime = ["1.1.1", "2.2.1"]
    buurten = queries.area_counts(tiny, tiny_db.GEMEENTE, "buurt", crime, period, comparison).set_index("area_code")
    # A: 2021 2+3 (1.1.1) + 4 (2.2.1) = 9 against 4 + 6 = 10 in 2020; B: 1 + 2 = 3 against 0.
    assert buurten.loc[tiny_db.BUURT_A, ["incident_count", "comparison_count"]].tolist() == [9, 10]
    assert buurten.loc[tiny_db.BUURT_B, ["incident_count", "comparison_count"]].tolist() == [3, 0]
    # Inhabitants of the period's last year (2021): 610 and 390.
    assert buurten["inhabitants"].tolist() == [610, 390]
    assert buurten["is_demo"].all() and not buurten["is_provisional"].any()
    wijk = queries.area_counts(tiny, tiny_db.GEMEENTE, "wijk", crime, period, comparison)
    assert wijk[["incident_count", "comparison_count", "inhabitants"]].values.tolist() == [[12, 10, 1000]]
    # Months, not years: February to June 2021 holds only A's 3 of February; 2020's same months nothing.
    spring = (dt.date(2021, 2, 1), dt.date(2021, 6, 1)), (dt.date(2020, 2, 1), dt.date(2020, 6, 1))
    part = queries.area_counts(tiny, tiny_db.GEMEENTE, "buurt", crime, *spring).set_index("area_code")
    assert part["incident_count"].to_dict() == {tiny_db.BUURT_A: 3, tiny_db.BUURT_B: 2}
    assert part["comparison_count"].tolist() == [0, 0]
    # Without a comparison period every comparison count is 0; another category, other sums.
    alone = queries.area_counts(tiny, tiny_db.GEMEENTE, "buurt", ["OVL-JGD"], period, None).set_index("area_code")
    assert alone["incident_count"].tolist() == [6, 0] and alone["comparison_count"].tolist() == [0, 0]


def test_legend_shows_an_area_group_name_as_text_not_markup():
    """An imported group name with HTML stays text in the legend (drawn with unsafe_allow_html)."""
    outlines = pd.DataFrame({"group_name": ['<img src=x onerror="alert(1)">', "Kromhout & omgeving"]})
    html = mapping.legend_html(mapping.group_legend(outlines))
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "Kromhout &amp; omgeving" in html


def test_a_public_table_column_of_only_labels_keeps_its_labels():
    """Every wijk 'x' in a rate column: the column stays text, so the table can be drawn
    (it raised decimal.InvalidOperation: a string column of labels was formatted as numbers)."""
    values = pd.DataFrame(
        {
            "area_code": ["W1", "W2"],
            "area_name": ["a", "b"],
            "incident_count": [3.0, 2.0],
            "comparison_count": [1.0, 4.0],
            "inhabitants": [3000, 4000],
            "population_is_demo": False,
            "is_demo": False,
            "is_provisional": False,
        }
    )
    thresholds = mapping.Thresholds(2000, 10, (-25, -10, 10, 25))
    reasons = pd.DataFrame({"incident_count": ["klein", "klein"], "comparison_count": ["klein", "klein"]})
    public, shown, _, _ = mapping.map_values(values, "change", thresholds, disclosure.Rules(), reasons)
    table = mapping.area_table(public, shown)
    for column in ("Per 1.000 inwoners", "Verandering (%)", "Index (stad = 100)"):
        assert table[column].dtype == object and set(table[column]) == {"x"}, column
    assert set(table["Aantal"]) == {"< 5"}


def test_the_kaart_export_says_provisional_when_its_months_are(db):
    """2025's last months are provisional (police_provisional_months); 2023 is final."""
    codes = ["1.1.1"]
    for year, expected in ((2025, "ja"), (2023, "nee")):
        counts = queries.area_counts(db, "GM0505", "wijk", codes, calendar_year(year), calendar_year(year - 1))
        values = mapping.map_values(counts, "count", mapping.thresholds_for(load_settings(), "wijk"))[0]
        assert mapping.provisional_text(values).startswith(expected)


def test_the_legend_says_why_areas_are_grey():
    """Hatched areas hidden by the public rules are not 'too few for a stable figure' (a suppressed
    count may be large): the legend names the reason the map has."""
    values = pd.DataFrame(
        {
            "is_stable": [True, False, False],
            "unstable_reason": [
                "",
                mapping.PUBLIC_REASONS[disclosure.COMPLEMENTARY],
                "minder dan 2.000 inwoners",
            ],
        }
    )
    assert mapping.hatch_text(values.iloc[:2]) == "niet getoond (afgeschermd in de openbare weergave)"
    assert mapping.hatch_text(values.iloc[[0, 2]]) == mapping.UNSTABLE_TEXT
    assert "afgeschermd in de openbare weergave, of te weinig" in mapping.hatch_text(values)


def _squares(sides: dict[str, float], gap: float = 0.0) -> pd.DataFrame:
    """Square areas side by side from west to east (sides in degrees), named after their codes."""
    west, rows = 4.6, []
    for code, side in sides.items():
        square = shapely.box(west, 51.8, west + side, 51.8 + side * 0.62)
        rows.append({"area_code": code, "area_name": f"Buurt {code}", "geometry_wkb": shapely.to_wkb(square)})
        west += side + gap
    return pd.DataFrame(rows)


def _label_layer(geometries: pd.DataFrame, level: str) -> dict | None:
    shapes = mapping.area_shapes(geometries, level=level)
    features = mapping.feature_collection(shapes, _values_for(geometries), "count", [], None)
    deck = json.loads(mapping.map_deck(features, mapping.view_for(shapes), labels=mapping.label_data(shapes)).to_json())
    return next((layer for layer in deck["layers"] if layer["id"] == mapping.LABEL_LAYER_ID), None)


def _values_for(geometries: pd.DataFrame) -> pd.DataFrame:
    counts = geometries[["area_code", "area_name"]].assign(
        incident_count=1, comparison_count=1, inhabitants=1000, is_demo=False
    )
    return mapping.area_measures(counts, "count", THRESHOLDS)


def _boxes(layer: dict, view: pdk.ViewState) -> list[tuple[float, float, float, float]]:
    """Each label's letters and halo as drawn, in pixels at the first view: what is not clear in
    its icon of the atlas, centred on its position (as the IconLayer centres it)."""
    atlas = np.asarray(Image.open(io.BytesIO(base64.b64decode(layer["iconAtlas"].split(",", 1)[1]))))
    world = mapping.TILE_SIZE * 2**view.zoom
    boxes = []
    for label in layer["data"]:
        icon = layer["iconMapping"][label["name"]]
        drawn = atlas[icon["y"] : icon["y"] + icon["height"], icon["x"] : icon["x"] + icon["width"], 3] > 12
        rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        lon, lat = label["position"]
        x = (lon + 180) / 360 * world - icon["width"] / 2 / map_names.SCALE
        y = mapping._mercator_y(lat) * world - icon["height"] / 2 / map_names.SCALE
        left, right = columns[0] / map_names.SCALE, (columns[-1] + 1) / map_names.SCALE
        top, bottom = rows[0] / map_names.SCALE, (rows[-1] + 1) / map_names.SCALE
        boxes.append((x + left, y + top, x + right, y + bottom))
    return boxes


def test_a_buurt_is_named_only_when_its_name_fits_in_it():
    geometries = _squares({"GROOT": 0.08, "KLEIN": 0.002, "MIDDEN": 0.03}, gap=0.01)
    layer = _label_layer(geometries, "buurt")
    assert layer is not None and layer["@@type"] == "IconLayer"
    assert {label["name"].replace("\n", " ") for label in layer["data"]} == {"Buurt GROOT", "Buurt MIDDEN"}
    assert layer["pickable"] is False  # a click on a name reaches the area below
    assert set(layer["iconMapping"]) == {label["name"] for label in layer["data"]}  # every name drawn
    assert layer["iconAtlas"].startswith("data:image/png;base64,")  # in the page, fetched from nowhere
    assert layer["sizeUnits"] == "pixels"  # the same size at every zoom
    # The largest area first: it wins where two names would collide.
    assert layer["data"][0]["name"] == "Buurt GROOT"


def test_no_layer_when_no_name_fits():
    shapes = mapping.area_shapes(_squares({"A": 0.001}), level="buurt")
    deck = mapping.map_deck({"type": "FeatureCollection", "features": []}, mapping.view_for(shapes), labels=[])
    assert decks.layer_ids(json.loads(deck.to_json())) == [mapping.LAYER_ID]


@pytest.mark.parametrize(("gemeente", "level"), [("GM0505", "wijk"), ("GM0505", "buurt"), ("GM0388", "wijk")])
def test_area_names_sit_inside_their_area_and_do_not_overlap(db, gemeente, level):
    geometries = queries.area_geometries(db, gemeente, level)
    layer = _label_layer(geometries, level)
    assert layer is not None
    polygons = {r.area_name: shapely.from_wkb(bytes(r.geometry_wkb)) for r in geometries.itertuples()}
    for label in layer["data"]:
        name = label["name"].replace("\n", " ")
        assert polygons[name].buffer(0.001).contains(shapely.Point(label["position"])), name
    boxes = _boxes(layer, mapping.view_for(mapping.area_shapes(geometries)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), "two names overlap"
    if gemeente == "GM0388":  # Enkhuizen's five wijken are all named
        assert len(layer["data"]) == len(geometries) == 5


def _over(colour: list[int], fill: str) -> str:
    """An RGBA colour as drawn over an opaque fill (#rrggbb)."""
    front = "#" + "".join(f"{channel:02x}" for channel in colour[:3])
    return theme.blend(front, fill, colour[3] / 255 if len(colour) > 3 else 1.0)


@pytest.mark.parametrize("fill", [*mapping.SEQUENTIAL, *mapping.DIVERGING, mapping.UNSTABLE_COLOUR])
def test_area_names_are_readable_over_every_class_colour(fill):
    """WCAG 1.4.3 (text contrast, 4.5:1): a name is dark text in a light halo, on whatever class colour."""
    halo = _over(list(map_names.HALO_COLOUR), fill)
    assert theme.contrast(_over(list(map_names.TEXT_COLOUR), halo), halo) >= 4.5


@pytest.mark.parametrize("fill", [*mapping.SEQUENTIAL, *mapping.DIVERGING, mapping.UNSTABLE_COLOUR])
def test_area_outlines_stand_out_against_every_class_colour(fill):
    """WCAG 1.4.11 (non-text contrast, 3:1): an area's outline is what tells two neighbouring areas
    of one class apart, so it must reach 3:1 against every class colour it is drawn on, the
    darkest included; so must the selected area's outline and the hatching over unstable areas."""
    assert theme.contrast(_over(mapping.LINE_COLOUR, fill), fill) >= 3
    assert theme.contrast(_over(mapping.SELECTED_LINE_COLOUR, fill), fill) >= 3
    if fill == mapping.UNSTABLE_COLOUR:
        assert theme.contrast(_over(mapping.HATCH_COLOUR, fill), fill) >= 3


def _fill(geometries: pd.DataFrame, view: dict, size: tuple[int, int]) -> float:
    """How much of the map (less its margins) the areas' extent fills in its larger dimension."""
    union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]])
    points = [_pixels(x, y, view) for x, y in shapely.get_coordinates(union)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    margin = mapping.MAP_MARGIN - 1
    return max((max(xs) - min(xs)) / (size[0] - 2 * margin), (max(ys) - min(ys)) / (size[1] - 2 * margin))


@pytest.mark.parametrize("size", [mapping.MAP_SIZE, mapping.PRESENTING_MAP_SIZE])
def test_a_far_off_island_leaves_the_town_large_and_is_named(db, size):
    """Enkhuizen's Vogeleiland, an island of 32 inhabitants 5 km out in the IJsselmeer, made the first
    view mostly water, with the town small at its foot. The view frames the other buurten; a note
    under the map names the island, which the table lists and a zoom out shows."""
    geometries = queries.area_geometries(db, "GM0388", "buurt")
    shapes = mapping.area_shapes(geometries, size)
    view = json.loads(mapping.map_deck(EMPTY_AREAS, mapping.view_for(shapes, size=size)).to_json())["initialViewState"]
    assert _fill(geometries[geometries["area_name"] != "Vogeleiland"], view, size) > 0.95
    assert shapes.out_of_view == ("Vogeleiland",)
    assert mapping.out_of_view_note(shapes) == "Buiten beeld: Vogeleiland, ver van de rest; zoom uit om het te zien."
    wijken = mapping.area_shapes(queries.area_geometries(db, "GM0388", "wijk"), size, level="wijk")
    assert wijken.out_of_view == ("een deel van Buitengebied IJsselmeer en Markermeer",)  # the island is part of it
    assert wijken.bounds[3] == pytest.approx(shapes.bounds[3], abs=0.01)  # the same town, not the island


@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_a_gemeente_of_adjoining_areas_is_framed_whole(db, level):
    geometries = queries.area_geometries(db, "GM0505", level)
    shapes = mapping.area_shapes(geometries, level=level)
    assert shapes.out_of_view == () and mapping.out_of_view_note(shapes) is None
    all_shapes = [shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]]
    assert shapes.bounds == pytest.approx(tuple(shapely.total_bounds(all_shapes)), abs=2e-4)  # but for simplifying
