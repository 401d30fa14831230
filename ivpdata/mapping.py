"""Choropleth values, classes and the pydeck map: data in, `pdk.Deck` out. No Streamlit."""

from __future__ import annotations

import functools
import itertools
import json
import math
import warnings
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple, Protocol

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.ops import polylabel

from ivpdata import disclosure, formatting, map_names, provenance
from ivpdata.safetext import html_literal

MEASURES = {
    "count": "Aantal",
    "per_1000": "Per 1.000 inwoners",
    "change": "Verandering t.o.v. vergelijkingsperiode",
    "index": "Index (stad = 100)",
}
# ColorBrewer, colour-blind safe: YlOrRd for levels, RdBu (reversed: rise = red) for change.
SEQUENTIAL = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
DIVERGING = ["#0571b0", "#92c5de", "#f7f7f7", "#f4a582", "#ca0020"]
# Unstable areas: a mid grey, hatched with dark lines (drawn with the outlines), so that on a projector
# they stand apart from the diverging scale's pale middle (#f7f7f7) and from every class colour.
UNSTABLE_COLOUR = "#a8a8a8"
HATCH_COLOUR = [40, 40, 40, 230]
HATCH_SPACING_PX = 7  # between hatch lines, measured vertically, in the map as first shown
# Black: the one outline that reaches WCAG's 3:1 against every class colour, the darkest red
# (#bd0026) included (tests/test_mapping.py); the selected area has the same colour, 4 px wide.
LINE_COLOUR = [0, 0, 0, 255]
SELECTED_LINE_COLOUR = [0, 0, 0, 255]
MAP_STYLE = "/app/static/map-style.json"
LAYER_ID = "gebieden"
HOTSPOT_LAYER_ID = "hotspots"
LINES_LAYER_ID = "lijnen"  # outlines, hatching and area groups (`lines_layer`)
GROUP_LINES_LAYER_ID = "lijnen_groepen"  # the area groups above the hexagons, in the hotspot view
LABEL_LAYER_ID = "namen"
# Area names on the map: dark text with a white halo, in pixels (the same size at every zoom).
LABEL_SIZE_PX = {"wijk": 13, "buurt": 11}
# Presentatiemodus: the names a little larger (wijken 15 px). As much as the page's type (22 / 16)
# left room for fewer names on the fitted map: Dordrecht's Binnenstad, the highest wijk, lost its name.
SCREEN_TEXT_SCALE = 1.15
LABEL_PADDING_PX = 3  # free space kept around every label
NEUTRAL_FILL = [235, 235, 235, 90]
GROUP_LINE_COLOUR = [84, 39, 143, 255]  # purple: distinct from both colour scales
GROUP_LINE_WIDTH = 4
# The map's size in pixels (width, height), which the first view fits the gemeente into: the Kaart's
# left column in a 1280 px wide window with the sidebar open (measured in Chromium: 484 x 560), and on
# the big screen (presentatiemodus, no sidebar: 691 x 640). Wider windows leave more room around it.
MAP_SIZE = (480, 560)
PRESENTING_MAP_SIZE = (690, 640)
MAP_MARGIN = 24  # pixels kept free on every side
TILE_SIZE = 512  # deck.gl's Web Mercator world is 512 px wide at zoom 0
# Decimals each measure is shown with (a change: one below 10%, see formatting.change_percent).
DECIMALS = {"count": 0, "per_1000": 1, "index": 0}
ZERO_CLASS_SHARE = 0.1  # zeros in at least this share of the classed areas: 0 is a class of its own
JENKS_MAX_VALUES = 200  # beyond this Fisher-Jenks classes quantiles (its time grows with n squared)


@dataclass(frozen=True)
class Thresholds:
    min_inhabitants_for_rate: int
    min_incidents_for_change: int
    change_class_bounds: tuple[float, ...]
    classes: int = 5


UNSTABLE_TEXT = "niet getoond (te weinig voor een stabiel cijfer)"
# Decimals of the table's rate columns; other numeric columns are whole numbers.
TABLE_DECIMALS = {"Per 1.000 inwoners": 1, "Verandering (%)": 1}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    outline: bool = False  # drawn as an outline (an area group), not a filled swatch
    hatched: bool = False  # the unstable areas' swatch: grey with dark hatching, as on the map


def thresholds_for(settings: dict, level: str) -> Thresholds:
    """The map's thresholds for an area level, from data/settings.yaml."""
    return Thresholds(
        min_inhabitants_for_rate=int(settings["min_inhabitants_for_rate"][level]),
        min_incidents_for_change=int(settings["min_incidents_for_change"]),
        change_class_bounds=tuple(settings["change_class_bounds"]),
        classes=int(settings["map_classes"]),
    )


def area_measures(counts: pd.DataFrame, measure: str, thresholds: Thresholds) -> pd.DataFrame:
    """Add value, stability and reason columns for the chosen measure.

    An area is unstable (drawn grey, not as an extreme) when it has too few inhabitants for a
    rate or too few incidents in the comparison period for a change. Whatever the measure,
    `rate_reason` and `change_reason` say why an area's rate (per 1,000 and index) or percentage
    change is not shown, in the tooltip and the table ("" when it is)."""
    frame = counts.copy()
    inhabitants = frame["inhabitants"].astype("Float64")
    frame["per_1000"] = (frame["incident_count"] * 1000 / inhabitants.where(inhabitants > 0)).astype(float)
    city_rate = frame["incident_count"].sum() * 1000 / max(float(inhabitants.sum()), 1.0)
    frame["index"] = frame["per_1000"] / city_rate * 100 if city_rate else np.nan
    comparison = frame["comparison_count"].astype(float)
    frame["change"] = ((frame["incident_count"] - comparison) / comparison.where(comparison > 0) * 100).astype(float)
    frame["change_abs"] = frame["incident_count"] - frame["comparison_count"]
    frame["value"] = frame["incident_count"].astype(float) if measure == "count" else frame[measure]
    few_people = inhabitants.fillna(0).astype(float) < thresholds.min_inhabitants_for_rate
    few_incidents = comparison < thresholds.min_incidents_for_change
    none = pd.Series("", index=frame.index)
    frame["rate_reason"] = none.mask(
        few_people, f"minder dan {formatting.number(thresholds.min_inhabitants_for_rate)} inwoners"
    ).mask(inhabitants.isna(), "inwonertal onbekend (CBS: geheim of ontbrekend)")
    frame["change_reason"] = none.mask(
        few_incidents, f"minder dan {thresholds.min_incidents_for_change} incidenten in de vergelijkingsperiode"
    )
    frame = _with_provenance(frame)
    frame["change_reason"] = frame["comparison_note"].where(frame["comparison_note"] != "", frame["change_reason"])
    reason = {"per_1000": "rate_reason", "index": "rate_reason", "change": "change_reason"}.get(measure)
    frame["unstable_reason"] = frame[reason] if reason else none
    frame["unstable_reason"] = frame["coverage_note"].where(
        (frame["coverage_note"] != "") & (measure != "change"), frame["unstable_reason"]
    )
    frame["is_stable"] = (frame["unstable_reason"] == "") & frame["value"].notna()
    return frame


def _with_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """Where each area's figures come from (`provenance`: demo, echt, gemengd, None without rows),
    why its period is not fully covered (`coverage_note`: 'geen cijfers' where it has no row at
    all, never a 0) and why its two periods are not compared (`comparison_note`)."""
    if "real_rows" not in frame:
        demo = frame["is_demo"] if "is_demo" in frame else pd.Series(False, index=frame.index)
        flags = demo.map({True: provenance.DEMO, False: provenance.REAL})
        return frame.assign(provenance=flags, coverage_note="", comparison_note="", has_rows=True)
    frame = frame.assign(provenance=provenance.provenances(frame), has_rows=frame["cells"] > 0)
    coverage = [provenance.row_coverage(row) for row in frame.to_dict("records")]
    frame["coverage_note"] = [
        "" if c.complete else provenance.NO_FIGURES if not c.cells else c.describe("periode").removeprefix("periode ")
        for c in coverage
    ]
    compared = frame["comparison_expected_cells"] > 0
    notes = provenance.reasons(frame, "periode", "vergelijkingsperiode")
    frame["comparison_note"] = notes.where(compared, "")
    return frame


def shown_provenance(values: pd.DataFrame) -> str | None:
    """The provenance of a map as a whole: 'gemengd' when real and demo figures are shown together."""
    if "provenance" not in values:
        return provenance.DEMO if values["is_demo"].any() else None
    return provenance.combined(list(values["provenance"]))


def map_values(
    counts: pd.DataFrame,
    measure: str,
    thresholds: Thresholds,
    rules: disclosure.Rules | None = None,
    reasons: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], list[float]]:
    """The map's values for a measure (`area_measures`), as a public view may show them when `rules`
    are given (`protect_areas`, with the release's `reasons`: values, shown table cells, notes), with
    the class bounds of the stable ones."""
    values = area_measures(counts, measure, thresholds)
    values, shown, notes = protect_areas(values, measure, rules, reasons) if rules is not None else (values, None, [])
    return values, shown, notes, class_bounds(values.loc[values["is_stable"], "value"], measure, thresholds)


def shows_demo(values: pd.DataFrame, measure: str) -> bool:
    """Whether the map shows demo data: demo counts, or demo inhabitants under a rate."""
    rates = measure in ("per_1000", "index")
    return bool(values["is_demo"].any() or (rates and values["population_is_demo"].any()))


def badge_provenance(values: pd.DataFrame, measure: str) -> str | None:
    """What the map's badge says: 'gemengd' when real and demo figures stand side by side, else
    'demo' when it shows demo data (`shows_demo`), else nothing."""
    if shown_provenance(values) == provenance.MIXED:
        return provenance.MIXED
    return provenance.DEMO if shows_demo(values, measure) else None


def shown_value(value: float, measure: str) -> float:
    """The value as `format_value` shows it: rounded to the same decimals in the same way (babel rounds
    the decimal text of the number half to even), so that 26.2 counts as the 26 a reader sees."""
    if formatting.is_missing(value):
        return math.nan
    if measure == "change":  # shown as a percentage of the fraction value / 100
        fraction = float(value) / 100
        exact, decimals = Decimal(str(fraction)).scaleb(2), 1 if abs(fraction) < 0.1 else 0
    else:
        exact, decimals = Decimal(str(float(value))), DECIMALS.get(measure, 0)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


def class_bounds(values: pd.Series, measure: str, thresholds: Thresholds) -> list[float]:
    """Inner class bounds, each the lowest shown value of a class: fixed symmetric bounds for change.
    Otherwise natural breaks (Fisher-Jenks, mapclassify) of the values as shown, which suit skewed
    counts: a clear outlier ends alone in the top class. Where zeros are common (ZERO_CLASS_SHARE)
    0 is a class of its own; with no more different values than classes, each value is one. Bounds
    are values as the legend shows them (a count's a whole number), so every area's colour is the
    class its shown value falls in by the legend's text."""
    if measure == "change":
        return list(thresholds.change_class_bounds)
    shown = np.sort(np.array([shown_value(v, measure) for v in values.dropna()], dtype=float))
    distinct = np.unique(shown)
    if distinct.size <= thresholds.classes:
        return [float(v) for v in distinct[1:]]
    zero = bool(shown[0] == 0 and np.mean(shown == 0) >= ZERO_CLASS_SHARE)
    rest = shown[shown > 0] if zero else shown
    return [_step(measure)] * zero + _natural_breaks(tuple(rest), thresholds.classes - zero)


@functools.lru_cache(maxsize=256)
def _natural_breaks(values: tuple[float, ...], classes: int) -> list[float]:
    """The lowest value of each Fisher-Jenks class but the first, remembered (reruns class the same
    values). Fisher-Jenks takes time in the square of the number of values: beyond JENKS_MAX_VALUES
    it classes evenly spaced quantiles of them (values themselves)."""
    shown = sample = np.asarray(values)
    if shown.size > JENKS_MAX_VALUES:
        sample = np.quantile(shown, np.linspace(0, 1, JENKS_MAX_VALUES), method="inverted_cdf")
    # Imported here: mapclassify brings scipy and scikit-learn (about a second), which the import
    # reader process (ivpdata.importing, via hotspots) never needs.
    import mapclassify

    with warnings.catch_warnings():  # without numba mapclassify warns that it is slow: not at this size
        warnings.simplefilter("ignore", UserWarning)
        upper = mapclassify.FisherJenks(sample, k=min(classes, np.unique(sample).size)).bins  # each class's highest
    return sorted({float(shown[shown > high].min()) for high in upper[:-1]})


def highest_shown(values: pd.DataFrame, measure: str) -> float | None:
    """The largest value of the classed (stable) areas as the legend shows it; None without one."""
    shown = [shown_value(v, measure) for v in values.loc[values["is_stable"], "value"].dropna()]
    return max(shown) if shown else None


def _step(measure: str) -> float:
    """The smallest difference the legend shows: 1 for a count, 0.1 per 1,000 inhabitants."""
    return 10.0 ** -DECIMALS.get(measure, 0)


def class_method(measure: str, bounds: list[float]) -> str:
    """The legend's one line on how the classes were made."""
    if measure == "change":
        return "Klassen: vaste grenzen, gelijk op elke kaart."
    if not bounds:
        return "Eén kleur: elk getoond gebied heeft dezelfde waarde."
    zero = bool(bounds) and bounds[0] == _step(measure)
    return "Klassen: natuurlijke grenzen (Fisher-Jenks)" + (", 0 apart" if zero else "") + "."


def assign_classes(values: pd.Series, bounds: list[float], measure: str | None = None) -> pd.Series:
    """Class 0..len(bounds): a value equal to a bound belongs to the class above it. With `measure`,
    values are classed as shown (rounded as in the tooltip and the legend)."""
    if measure is not None:
        values = values.map(lambda v: shown_value(v, measure))
    classes = np.searchsorted(np.asarray(bounds), values.to_numpy(dtype=float), side="right")
    return pd.Series(classes, index=values.index)


def palette(measure: str, bounds: list[float]) -> list[str]:
    colours = DIVERGING if measure == "change" else SEQUENTIAL
    if len(bounds) + 1 == len(colours):
        return colours
    picks = np.linspace(0, len(colours) - 1, len(bounds) + 1).round().astype(int)
    return [colours[i] for i in picks]


@functools.lru_cache(maxsize=1 << 16)
def _text(format_: Callable[..., str], value: float, *args: object) -> str:
    """`format_(value, *args)`, remembered: babel takes ~25 us a number, and the map's tooltips show
    five numbers for each of 132 buurten on every rerun (mostly the same ones)."""
    return format_(value, *args)


def format_value(value: float, measure: str) -> str:
    if formatting.is_missing(value):
        return formatting.MISSING
    if measure == "count":
        return formatting.number(value)
    if measure == "change":
        return formatting.change_percent(value / 100)
    return formatting.number(value, 1 if measure == "per_1000" else 0)


def legend(
    measure: str,
    bounds: list[float],
    has_unstable: bool,
    unstable_text: str,
    lowest: float | None = None,
    highest: float | None = None,
) -> list[LegendEntry]:
    """Colour and label per class; `lowest` names the smallest value shown (e.g. a minimum count),
    `highest` the largest (`highest_shown`). A class of one shown value (0 below the first step of
    a level, 2 from 2 to 3, or a top class from the highest value) is named by it."""
    colours = palette(measure, bounds)
    edges = [lowest, *bounds, None]
    entries = []
    one_value = measure != "change"  # levels are never below 0 and are shown in steps of `_step`
    for colour, low, high in zip(colours, edges[:-1], edges[1:], strict=True):
        if high is None:
            label = "alle waarden" if low is None else f"{format_value(low, measure)} of hoger"
            if one_value and low is not None and highest is not None and math.isclose(low, highest):
                label = format_value(low, measure)  # an outlier alone: no area is higher
        elif one_value and math.isclose(high - (0 if low is None else low), _step(measure)):
            label = format_value(high - _step(measure), measure)
        elif low is None:
            label = f"lager dan {format_value(high, measure)}"
        else:
            label = f"{format_value(low, measure)} tot {format_value(high, measure)}"
        entries.append(LegendEntry(colour, label))
    if has_unstable:
        entries.append(LegendEntry(UNSTABLE_COLOUR, unstable_text, hatched=True))
    return entries


@dataclass(frozen=True)
class Offer:
    """A view that shows what an all-grey view cannot: a button's label and the choice it makes
    (another `level` or another `measure`; the other one None). The page turns it into a link."""

    label: str
    level: str | None = None
    measure: str | None = None


def grey_help(
    values: pd.DataFrame, measure: str, level: str, wijken: Callable[[], pd.DataFrame] | None
) -> tuple[str, list[Offer]] | None:
    """When no area of the view has a value to colour (all grey): one line that says why, and the
    views that do: the wijken when `wijken()` (their values for the same choice, asked only then)
    has a coloured one, and counts instead of a rate or change when counts are shown. None when some
    area has colour."""
    if values.empty or values["is_stable"].any():
        return None
    reasons = values.loc[values["unstable_reason"] != "", "unstable_reason"]
    why = reasons.mode().iloc[0] if not reasons.empty else "geen cijfer om te tonen"
    offers = []
    if level == "buurt" and wijken is not None and wijken()["is_stable"].any():
        offers.append(Offer("Bekijk per wijk", level="wijk"))
    if measure != "count" and values["incident_count"].notna().any():  # a public view hides small counts
        offers.append(Offer("Toon aantallen", measure="count"))
    return f"Alle {level}en zijn grijs: {why}.", offers


def rgb(colour: str, alpha: int = 210) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


# A part of an area this far from every other part, as a share of the larger side of the box around
# them, is left out of the first view (and named under the map): an island, not a gap between buurten.
FAR_OFF = 0.5


@dataclass(frozen=True)
class AreaShapes:
    """What the map draws of each area, made once per gemeente and level (dashboard.connection.derived caches it):
    the simplified GeoJSON geometry, the hatch lines inside it (drawn when the area is unstable), the
    bounds the first view frames (lon/lat: every area but a far-off part, `framed_bounds`) and the
    areas with a part outside them, as a note names them ("een deel van" when part of it is in view)."""

    names: dict[str, str]
    geometries: dict[str, dict]
    hatching: HatchPattern
    bounds: tuple[float, float, float, float]
    labels: tuple[MapLabel, ...] = ()
    out_of_view: tuple[str, ...] = ()


@dataclass(frozen=True)
class HatchPattern:
    """Parallel lines HATCH_SPACING_PX apart on screen, one pattern over all areas (neighbours line
    up), cut to an area's shape when first asked for: a map hatches a few of its areas (3 of
    Dordrecht's 132 buurten), and cutting them all took a fifth of a cold run of the Kaart."""

    shapes: dict[str, shapely.Geometry]  # simplified
    bounds: tuple[float, float, float, float]
    spacing: float  # degrees of latitude between lines
    slope: float
    _cut: dict[str, list] = field(default_factory=dict, compare=False, repr=False)  # cut so far, per code

    def lines(self, codes: Sequence[str]) -> dict[str, list]:
        """The hatch lines inside each of `codes` that has a shape, in that order (coordinates)."""
        missing = [code for code in dict.fromkeys(codes) if code in self.shapes and code not in self._cut]
        if missing:
            cut = _hatch_lines([self.shapes[code] for code in missing], self.bounds, self.spacing, self.slope)
            self._cut.update(zip(missing, cut, strict=True))
        return {code: self._cut[code] for code in codes if code in self._cut}


@dataclass(frozen=True)
class MapLabel:
    """An area's name on the map, at a point inside the area (lon, lat), `size` pixels high."""

    area_code: str
    name: str
    position: tuple[float, float]
    size: int


def area_shapes(
    geometries: pd.DataFrame,
    size: tuple[int, int] = MAP_SIZE,
    level: str = "buurt",
    text_scale: float = 1.0,
) -> AreaShapes:
    """Simplified shapes of the areas (about 10 m), with hatch lines HATCH_SPACING_PX apart in the map
    as first shown at `size`: diagonal on screen, one pattern over all areas so neighbours line up
    (`HatchPattern`: cut for an area when it is hatched), and the names that fit at `level`
    (`map_labels`, `text_scale` times their size)."""
    shapes = [shapely.from_wkb(bytes(w)).simplify(0.0001, preserve_topology=True) for w in geometries["geometry_wkb"]]
    bounds, left_out = framed_bounds(shapes)
    zoom = fit_view(bounds, size).zoom
    # On a Web Mercator screen a degree of latitude is 1 / cos(latitude) times a degree of longitude:
    slope = math.cos(math.radians((bounds[1] + bounds[3]) / 2))  # lines at 45 degrees on screen
    spacing = HATCH_SPACING_PX * 360 / (TILE_SIZE * 2**zoom) * slope  # in degrees of latitude
    codes, names = list(geometries["area_code"]), list(geometries["area_name"])
    return AreaShapes(
        names=dict(zip(codes, names, strict=True)),
        geometries={code: geojson_geometry(shape) for code, shape in zip(codes, shapes, strict=True)},
        hatching=HatchPattern(dict(zip(codes, shapes, strict=True)), bounds, spacing, slope),
        bounds=bounds,
        labels=map_labels(codes, names, shapes, zoom, level, text_scale),
        out_of_view=tuple(
            str(names[i]) if whole else f"een deel van {names[i]}" for i, whole in sorted(left_out.items())
        ),
    )


def out_of_view_note(shapes: AreaShapes) -> str | None:
    """The note under a map whose first view leaves a far-off part out (`framed_bounds`), or None."""
    if not shapes.out_of_view:
        return None
    names = list(shapes.out_of_view)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
    return f"Buiten beeld: {listed}, ver van de rest; zoom uit om het te zien."


def _pixel_xy(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """A point's position in pixels in the Web Mercator world at `zoom`."""
    world = TILE_SIZE * 2**zoom
    return (lon + 180) / 360 * world, _mercator_y(lat) * world


def _label_box(text: str, x: float, y: float, size: int) -> tuple[float, float, float, float]:
    """The pixels a label (one or more lines) centred on (x, y) covers as drawn (`map_names.text_size`),
    with LABEL_PADDING_PX around it."""
    width, height = map_names.text_size(text, size)
    half_width, half_height = width / 2 + LABEL_PADDING_PX, height / 2 + LABEL_PADDING_PX
    return x - half_width, y - half_height, x + half_width, y + half_height


def _overlaps(box: tuple[float, ...], others: list[tuple[float, ...]]) -> bool:
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)


def label_texts(name: str) -> list[str]:
    """A name on one line, and (when it has more than one word) on two lines broken near the middle."""
    breaks = [i for i, char in enumerate(name) if char == " "]
    if not breaks:
        return [name]
    middle = min(breaks, key=lambda i: abs(i - len(name) / 2))
    return [name, f"{name[:middle]}\n{name[middle + 1 :]}"]


def _anchor_points(shape: shapely.Geometry, step: float) -> list[tuple[float, float]]:
    """Points (lon, lat) inside `shape` to put its name at: the point farthest from its edge (of its
    largest part), then nearby points `step` degrees away, then `point_on_surface`."""
    parts = sorted(shapely.get_parts(shape), key=lambda part: -part.area)
    centre = polylabel(parts[0], tolerance=step / 4) if parts[0].geom_type == "Polygon" else None
    surface = shape.point_on_surface()
    candidates = [] if centre is None else [(centre.x + dx * step, centre.y + dy * step) for dx, dy in _NUDGES]
    candidates.append((surface.x, surface.y))
    xy = np.array(candidates)
    inside = shapely.contains_xy(shape, xy[:, 0], xy[:, 1])  # one call for all, not one a point
    return [point for point, within in zip(candidates, inside, strict=True) if within] or [(surface.x, surface.y)]


_NUDGES = ((0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))  # the centre itself first


def _pixel_extent(shape: shapely.Geometry, zoom: float) -> tuple[float, float]:
    """The width and the area of a shape in pixels at `zoom`."""
    west, south, east, north = shape.bounds
    (left, top), (right, bottom) = _pixel_xy(west, north, zoom), _pixel_xy(east, south, zoom)
    scale = (right - left) * (bottom - top) / max((east - west) * (north - south), 1e-18)
    return right - left, shape.area * scale


def map_labels(
    codes: list[str], names: list[str], shapes: list[shapely.Geometry], zoom: float, level: str, scale: float = 1.0
) -> tuple[MapLabel, ...]:
    """The names readable in the map as first shown (at `zoom`), each at a point inside its area,
    none overlapping another (their boxes as `_label_box` estimates them). Largest areas first,
    each on one line or two (`label_texts`), at the first point (`_anchor_points`) where it is
    free; a buurt is named only when the name fits across it (the area's width on screen at least
    the name's, its area at least the name's box), a wijk (few, large) wherever there is room."""
    size = round(LABEL_SIZE_PX.get(level, LABEL_SIZE_PX["buurt"]) * scale)
    step = size * 1.5 * 360 / (TILE_SIZE * 2**zoom)  # degrees of longitude for a nudge of 1.5 lines
    placed: list[tuple[float, ...]] = []
    labels = []
    for i in sorted(range(len(shapes)), key=lambda i: -shapes[i].area):
        if shapes[i].is_empty:
            continue
        width, area = _pixel_extent(shapes[i], zoom)
        for text, (x, y) in itertools.product(label_texts(str(names[i])), _anchor_points(shapes[i], step)):
            box = _label_box(text, *_pixel_xy(x, y, zoom), size)
            fits = width >= box[2] - box[0] and area >= (box[2] - box[0]) * (box[3] - box[1])
            if (level == "wijk" or fits) and not _overlaps(box, placed):
                placed.append(box)
                labels.append(MapLabel(codes[i], text, (round(x, 6), round(y, 6)), size))
                break
    return tuple(labels)


def label_data(shapes: AreaShapes) -> list[dict]:
    """The labels as the map's names layer reads them: name, position and font size in pixels."""
    return [{"name": label.name, "position": list(label.position), "size": label.size} for label in shapes.labels]


def _total_bounds(shapes: list[shapely.Geometry]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around all shapes; zeros without shapes."""
    if not shapes:
        return (0.0, 0.0, 0.0, 0.0)
    west, south, east, north = (float(b) for b in shapely.total_bounds(shapes))
    return (west, south, east, north)


def framed_bounds(shapes: list[shapely.Geometry]) -> tuple[tuple[float, float, float, float], dict[int, bool]]:
    """The box the first view frames: around every area but a part far from all the others, such as
    Enkhuizen's Vogeleiland, an island 5 km out in the IJsselmeer, which left the town at the foot
    of a map of water. A part is far off when the gap to its nearest neighbour is more than FAR_OFF
    times the larger side of the box around the other parts (on the ground, not in degrees); never
    more than half the parts. Also the areas with a part left out, by position, each True when all
    of it is. Areas that adjoin, as most gemeenten's do, are framed whole."""
    parts, owner = shapely.get_parts(np.asarray(shapes, dtype=object), return_index=True)
    if len(parts) < 2:
        return _total_bounds(shapes), {}
    far = _far_off_parts(parts)
    if not len(far) or len(far) > len(parts) / 2:
        return _total_bounds(shapes), {}
    kept = np.delete(np.arange(len(parts)), far)
    in_view = set(owner[kept].tolist())
    left_out = {int(area): int(area) not in in_view for area in owner[far]}
    return _total_bounds(list(parts[kept])), left_out


def _far_off_parts(parts: np.ndarray) -> np.ndarray:
    """The positions of the parts whose gap to their nearest neighbour is more than FAR_OFF times the
    larger side of the box around all other parts, measured on the ground. Only a part that touches
    no other is measured (few: areas adjoin), as a nearest-neighbour search over all took 7 ms."""
    south, north = _total_bounds(list(parts))[1::2]
    ground = np.array([math.cos(math.radians((south + north) / 2)), 1.0])  # a degree of longitude is shorter
    flat = shapely.transform(parts, lambda xy: xy * ground)
    first, second = shapely.STRtree(flat).query(flat, predicate="intersects")
    touching = np.zeros(len(flat), dtype=bool)
    touching[first[first != second]] = True
    far = []
    for i in np.flatnonzero(~touching):
        others = np.delete(flat, i)
        if shapely.distance(flat[i], others).min() > FAR_OFF * _larger_side(others):
            far.append(i)
    return np.array(far, dtype=int)


def _larger_side(shapes: np.ndarray) -> float:
    west, south, east, north = shapely.total_bounds(shapes)
    return float(max(east - west, north - south))


def _hatch_lines(shapes: list[shapely.Geometry], bounds: tuple[float, ...], spacing: float, slope: float) -> list:
    """For each shape, the coordinates of the parallel lines lat = slope * (lon - west) + west_lat +
    k * spacing inside it: cut by all shapes in one vectorised call (one call a shape took twice as long)."""
    hatched: list[list] = [[] for _ in shapes]
    if not shapes:
        return hatched
    lines = [_hatch_candidates(shape, bounds, spacing, slope) for shape in shapes]
    owner = np.repeat(np.arange(len(shapes)), [len(found) for found in lines])
    cut = shapely.intersection(np.concatenate(lines), np.asarray(shapes, dtype=object)[owner])
    parts, line_of_part = shapely.get_parts(cut, return_index=True)
    kept = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)  # a touching point is no line
    parts, part_owner = parts[kept], owner[line_of_part[kept]]
    if not len(parts):
        return hatched
    coordinates, part_of_point = shapely.get_coordinates(parts, return_index=True)
    splits = np.searchsorted(part_of_point, np.arange(1, len(parts)))
    for number, points in zip(part_owner, np.split(np.round(coordinates, 6), splits), strict=True):
        hatched[number].append(points.tolist())
    return hatched


def _hatch_candidates(shape: shapely.Geometry, bounds: tuple[float, ...], spacing: float, slope: float) -> np.ndarray:
    """The hatch lines across the bounding box of `shape`, not yet cut by it."""
    west, south = bounds[0], bounds[1]
    min_x, min_y, max_x, max_y = shape.bounds
    first = math.floor((min_y - south - slope * (max_x - west)) / spacing)
    last = math.ceil((max_y - south - slope * (min_x - west)) / spacing)
    offsets = south + np.arange(first, last + 1) * spacing
    starts = offsets + slope * (min_x - west)
    ends = offsets + slope * (max_x - west)
    ends_xy = np.stack([np.full_like(starts, min_x), starts, np.full_like(ends, max_x), ends], axis=1)
    return shapely.linestrings(ends_xy.reshape(-1, 2, 2))


def hatching(shapes: AreaShapes, values: pd.DataFrame) -> dict | None:
    """Hatch lines over the unstable areas (grey with a reason), or None when every area is stable."""
    unstable = shapes.hatching.lines(list(values.loc[~values["is_stable"].astype(bool), "area_code"]))
    features = [
        {"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": lines}, "properties": {}}
        for lines in unstable.values()
        if lines
    ]
    return {"type": "FeatureCollection", "features": features} if features else None


class AreaChange(Protocol):
    """An area's row of the map's values (an itertuples row): its count now and in the comparison
    period, and the change between them."""

    @property
    def incident_count(self) -> float: ...
    @property
    def comparison_count(self) -> float: ...
    @property
    def change_abs(self) -> float: ...
    @property
    def change(self) -> float: ...


def change_text(row: AreaChange, with_percentage: bool) -> str:
    """'-2 (-40%)'; without a stable percentage the counts instead: '-2 (van 5 naar 3)'."""
    if getattr(row, "comparison_note", ""):  # periods of different provenance or coverage
        return provenance.NOT_COMPARED
    if not row.comparison_count:  # no comparison period, or no incidents in it
        return "geen vergelijking"
    difference = _text(formatting.signed, row.change_abs)
    if with_percentage:
        return f"{difference} ({_text(format_value, row.change, 'change')})"
    before, now = (_text(formatting.number, n) for n in (row.comparison_count, row.incident_count))
    return f"{difference} (van {before} naar {now})"


def _has_rows(row: object) -> bool:
    """Whether an area has any stored row in the period (False: 'geen cijfers', not 0)."""
    has = getattr(row, "has_rows", True)
    return True if has is None or (isinstance(has, float) and math.isnan(has)) else bool(has)


def feature_collection(
    geometries: pd.DataFrame | AreaShapes,
    values: pd.DataFrame,
    measure: str,
    bounds: list[float],
    selected: str | None,
    classes_shown: bool = True,
) -> dict:
    """GeoJSON with colour, line and tooltip text per area; simplified for display. `geometries`: the
    areas' boundaries (query area_geometries) or their shapes made by `area_shapes` (cached).

    Without `classes_shown` (the hotspot view) areas get a faint neutral fill: they stay
    clickable and give the hexagons a recognisable background. An area's fill is the colour of the
    class its shown value falls in; a percentage change on too few incidents is left out."""
    shapes = geometries if isinstance(geometries, AreaShapes) else area_shapes(geometries)
    colours = palette(measure, bounds)
    merged = pd.DataFrame({"area_code": list(shapes.geometries), "area_name": list(shapes.names.values())})
    merged = merged.merge(values, on=["area_code", "area_name"], how="left")
    classes = assign_classes(merged["value"].fillna(0), bounds, measure)
    features = []
    for row, klass in zip(merged.itertuples(), classes, strict=True):
        stable = bool(row.is_stable)
        lines = [
            f"{MEASURES[measure]}: {_text(format_value, row.value, measure) if stable else 'niet getoond'}",
        ] * (measure != "count") + [
            f"Aantal: {_text(formatting.number, row.incident_count) if _has_rows(row) else provenance.NO_FIGURES}",
            f"Inwoners: {_text(formatting.number, row.inhabitants)}",
            f"Verandering: {change_text(row, not row.change_reason)}",
        ]
        if row.unstable_reason:
            lines.append(row.unstable_reason)
        if getattr(row, "comparison_note", "") and row.comparison_note != row.unstable_reason:
            lines.append(row.comparison_note)
        if getattr(row, "provenance", None) == provenance.MIXED:
            lines.append(f"Gegevens: {provenance.LABELS[provenance.MIXED]}")
        fill = rgb(colours[int(klass)] if stable else UNSTABLE_COLOUR) if classes_shown else NEUTRAL_FILL
        features.append(
            {
                "type": "Feature",
                "geometry": shapes.geometries[row.area_code],
                "properties": {
                    "area_code": row.area_code,
                    "name": row.area_name,
                    "details": "\n".join(lines),
                    "fill": fill,
                    "line": SELECTED_LINE_COLOUR if row.area_code == selected else LINE_COLOUR,
                    "line_width": 4 if row.area_code == selected else 1,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_geometry(geometry: shapely.Geometry, decimals: int = 6) -> dict:
    """GeoJSON of a geometry with coordinates rounded (6 decimals is about 0.1 m)."""
    return json.loads(shapely.to_geojson(shapely.transform(geometry, lambda xy: np.round(xy, decimals))))


def group_outlines(outlines: pd.DataFrame) -> dict:
    """One outline per area group (the union of its members), e.g. Dordt-West."""
    features = []
    for (code, name), members in outlines.groupby(["group_code", "group_name"], sort=True):
        union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in members["geometry_wkb"]])
        geometry = union.simplify(0.0001, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "geometry": geojson_geometry(geometry),
                "properties": {"group_code": code, "name": name},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_size(presenting: bool) -> tuple[int, int]:
    """The map's width and height in pixels: the height it is drawn with, the width it is fitted to."""
    return PRESENTING_MAP_SIZE if presenting else MAP_SIZE


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, 0 at the top of the world and 1 at the bottom."""
    return (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2


def fit_view(
    bounds: tuple[float, ...], size: tuple[int, int] = MAP_SIZE, zoom_in: float = 0.0, margin: int = MAP_MARGIN
) -> pdk.ViewState:
    """Centre and zoom at which the box (west, south, east, north) fits a map of `size` pixels with
    `margin` pixels to spare on every side, in Web Mercator (a negative `zoom_in` leaves more room)."""
    west, south, east, north = bounds
    span_x = max((east - west) / 360, 1e-9)  # share of the world's width
    top, bottom = _mercator_y(north), _mercator_y(south)
    span_y = max(bottom - top, 1e-9)
    width, height = size
    zoom = min(
        math.log2(max(width - 2 * margin, 1) / (span_x * TILE_SIZE)),
        math.log2(max(height - 2 * margin, 1) / (span_y * TILE_SIZE)),
        18.0,
    )
    centre_y = (top + bottom) / 2
    latitude = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * centre_y))))
    zoom = math.floor((zoom + zoom_in) * 100) / 100  # rounded down: never a hair too close
    return pdk.ViewState(latitude=round(latitude, 6), longitude=round((west + east) / 2, 6), zoom=zoom)


def view_for(
    geometries: pd.DataFrame | AreaShapes, zoom_in: float = 0.0, size: tuple[int, int] = MAP_SIZE
) -> pdk.ViewState:
    """Centre and zoom that fit the areas in a map of `size` (a negative `zoom_in` leaves room around
    them): all of them but a far-off part (`framed_bounds`)."""
    if isinstance(geometries, AreaShapes):
        bounds = geometries.bounds
    else:
        bounds, _ = framed_bounds(list(shapely.from_wkb([bytes(w) for w in geometries["geometry_wkb"]])))
    return fit_view(bounds, size, zoom_in)


# Streamlit escapes the values it puts into the template (DeckGlJsonChart replaces & < > " ' in
# every {placeholder}), so outside text in `name` and `details` stays text: escaping it here as
# well would show '&amp;'. The lines of `details` are separated by newlines, which
# `white-space: pre-line` shows as line breaks.
TOOLTIP = {
    "html": "<b>{name}</b><br/>{details}",
    "style": {"fontSize": "15px", "backgroundColor": "#1f2933", "color": "white", "whiteSpace": "pre-line"},
}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by 2 spaces, which makes what
    Streamlit sends to the browser about three times as large (measured: 342 kB against 106 kB
    for a hotspot map). Written in one pass (pydeck's own serializer, without the indentation),
    once per deck: the Kaart's map is built once and shared by every rerun that shows it
    (`layers.map_view`; its JSON took about 4 ms of every rerun). A deck is never changed after it
    is built (a changed one would keep its first JSON)."""

    def to_json(self) -> str:
        if (text := _DECK_JSON.get(self)) is None:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            _DECK_JSON[self] = text
        return text


_DECK_JSON: weakref.WeakKeyDictionary[CompactDeck, str] = weakref.WeakKeyDictionary()


def map_style_for(settings: dict) -> str:
    """The local style unless the settings opt in to an online basemap (a style URL)."""
    basemap = str(settings.get("basemap", "local")).strip()
    return MAP_STYLE if basemap in ("", "local") else basemap


def _outlined_layer(data: dict, layer_id: str, **style: object) -> pdk.Layer:
    # The unit is quoted: pydeck turns a bare string into an expression ("@@=pixels").
    return pdk.Layer("GeoJsonLayer", data=data, id=layer_id, stroked=True, line_width_units='"pixels"', **style)


def map_deck(
    areas: dict,
    view: pdk.ViewState,
    map_style: str = MAP_STYLE,
    hotspots: dict | None = None,
    groups: dict | None = None,
    hatches: dict | None = None,
    labels: list[dict] | None = None,
) -> pdk.Deck:
    """The areas' fills (clickable), then every line in one layer that is not pickable
    (`line_paths`: the areas' outlines, the hatching over the unstable ones and the area-group
    outlines) and the areas' names on top (`label_data`). With hotspot hexagons: the areas'
    outlines, the hexagons, then the area groups in a second lines layer. On software
    WebGL every layer costs its own setup on a new map: the lines of three layers in one took a
    sidebar click to the Kaart from 1.41 to 1.12 s in the browser bench."""
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=_fills(areas),
            id=LAYER_ID,
            pickable=True,
            filled=True,
            stroked=False,
            auto_highlight=True,
            highlight_color=[255, 255, 255, 90],
            get_fill_color="properties.fill",
        )
    ]
    if hotspots is None:
        if paths := line_paths(areas, hatches, groups):
            layers.append(lines_layer(paths))
    else:  # the hexagons over the areas' outlines (readable where they crowd), the groups above them
        if outlines := line_paths(areas, hatches):
            layers.append(lines_layer(outlines))
        layers.append(_hexagon_layer(hotspots))
        if groups_drawn := group_paths(groups):
            layers.append(lines_layer(groups_drawn, GROUP_LINES_LAYER_ID))
    if labels:
        layers.append(label_layer(labels))
    return CompactDeck(layers=layers, initial_view_state=view, map_style=map_style, tooltip=TOOLTIP)


def _hexagon_layer(hotspots: dict) -> pdk.Layer:
    return _outlined_layer(
        hotspots,
        HOTSPOT_LAYER_ID,
        pickable=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[120, 40, 20, 160],
        get_line_width=1,
    )


OUTLINE_PROPERTIES = ("line", "line_width")  # of an area feature: drawn by the lines' layer


def _fills(areas: dict) -> dict:
    """The areas' features without their outline's colour and width (`line_paths` draws those)."""
    features = [
        {**feature, "properties": {k: v for k, v in feature["properties"].items() if k not in OUTLINE_PROPERTIES}}
        for feature in areas["features"]
    ]
    return {**areas, "features": features}


def rings(geometry: dict | None) -> list[list]:
    """The lines of a GeoJSON geometry: a polygon's rings (outer and holes), a line's coordinates."""
    if not geometry:
        return []
    kind = geometry["type"]
    if kind in ("Polygon", "MultiLineString"):
        return geometry["coordinates"]
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    if kind == "LineString":
        return [geometry["coordinates"]]
    if kind == "GeometryCollection":
        return [ring for part in geometry["geometries"] for ring in rings(part)]
    return []  # a point has no line


def _paths(collection: dict | None, colour: list[int] | None = None, width: int | None = None) -> list[dict]:
    """A path per line of every feature, in the feature's own outline colour and width unless given."""
    paths: list[dict] = []
    for feature in (collection or {}).get("features", []):
        properties = feature.get("properties", {})
        line_colour = colour or properties.get("line", LINE_COLOUR)
        line_width = width or properties.get("line_width", 1)
        paths.extend({"path": ring, "colour": line_colour, "width": line_width} for ring in rings(feature["geometry"]))
    return paths


def line_paths(areas: dict, hatches: dict | None = None, groups: dict | None = None) -> list[dict]:
    """Every line of the map, in the order drawn (later on top): the areas' outlines (the selected
    area's last, over its neighbours'), the hatching of the unstable areas, the area groups."""
    wide_last = sorted(areas["features"], key=lambda feature: feature["properties"].get("line_width", 1))
    return _paths({"features": wide_last}) + _paths(hatches, HATCH_COLOUR, 1) + group_paths(groups)


def group_paths(groups: dict | None) -> list[dict]:
    """The area groups' outlines, purple and wide."""
    return _paths(groups, GROUP_LINE_COLOUR, GROUP_LINE_WIDTH)


def line_segments(paths: list[dict]) -> list[dict]:
    """The paths of `line_paths` as straight segments, each with its path's colour and width."""
    return [
        {"from": start, "to": end, "colour": path["colour"], "width": path["width"]}
        for path in paths
        for start, end in itertools.pairwise(path["path"])
    ]


def lines_layer(paths: list[dict], layer_id: str = LINES_LAYER_ID) -> pdk.Layer:
    """The paths of `line_paths` as segments of deck.gl's LineLayer, widths in pixels, not
    pickable: a hover or click on a line reaches the area below. Not deck.gl's PathLayer (which
    joins the segments): on software WebGL its program takes about 0.25 s longer to set up on
    every new map (a sidebar click to the Kaart, measured with the bare app's page)."""
    return pdk.Layer(
        "LineLayer",
        data=line_segments(paths),
        id=layer_id,
        pickable=False,
        get_source_position="from",
        get_target_position="to",
        get_color="colour",
        get_width="width",
        width_units='"pixels"',
    )


def label_layer(labels: list[dict]) -> pdk.Layer:
    """The areas' names (`label_data`) as icons of one image drawn on the server (`map_names`), each
    centred on its point, as high on screen as drawn; not pickable (clicks reach the area).
    `map_labels` chose names that do not overlap, so no collision filter is needed."""
    sizes = {label["size"] for label in labels}
    if len(sizes) != 1:
        raise ValueError(f"names of one map have one size, not {sorted(sizes)}")
    names = map_names.atlas(tuple(label["name"] for label in labels), sizes.pop())
    data = [{**label, "height": names.height(label["name"])} for label in labels]
    # Constant strings are quoted: pydeck turns a bare string into an expression.
    return pdk.Layer(
        "IconLayer",
        data=data,
        id=LABEL_LAYER_ID,
        pickable=False,
        icon_atlas=json.dumps(names.url),
        icon_mapping=names.icons,
        get_icon="name",
        get_position="position",
        get_size="height",
        size_units='"pixels"',
        texture_parameters=map_names.SAMPLER,
    )


def area_table(values: pd.DataFrame, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """The map's values as a table (the accessible alternative), highest value first. `shown`: the
    public view's cells ('< 5', 'x') from `protect_areas`, in place of the exact ones. As on the map,
    a rate (per 1,000 and index) on too few inhabitants and a percentage change on too few incidents
    stay empty, whatever the measure, with the reason under Opmerking."""
    ordered = values.sort_values(["is_stable", "value"], ascending=[False, False])
    cells = ordered.assign(per_1000=ordered["per_1000"].round(1), change=ordered["change"].round(1))
    cells = cells.assign(index=ordered["index"].round(0))
    if shown is not None:
        cells = cells.assign(**{c: shown.loc[ordered.index, c] for c in shown.columns if c != "change_abs"})
    unstable_rate, unstable_change = ordered["rate_reason"] != "", ordered["change_reason"] != ""
    for column, unstable in (("per_1000", unstable_rate), ("index", unstable_rate), ("change", unstable_change)):
        label = cells[column].map(lambda v: isinstance(v, str)).astype(bool)  # a public '< 5' or 'x' says enough
        cells[column] = cells[column].mask(unstable & ~label, np.nan)  # numbers stay numbers: sortable
    notes = pd.DataFrame(
        {
            "measure": ordered["unstable_reason"].where(
                (ordered["unstable_reason"] != ordered["rate_reason"])
                & (ordered["unstable_reason"] != ordered["change_reason"]),
                "",
            ),  # a public view's reason
            "rate": ("per 1.000 inwoners en index niet getoond: " + ordered["rate_reason"]).where(unstable_rate, ""),
            "change": ("verandering (%) niet getoond: " + ordered["change_reason"]).where(
                unstable_change & ordered["change"].notna(), ""
            ),  # no note where there is no change to leave out (no comparison)
        }
    )
    notes["coverage"] = ordered.get("coverage_note", "")
    comparison = ordered.get("comparison_note", pd.Series("", index=ordered.index))
    notes["comparison"] = comparison.where(notes["change"] == "", "")  # said once: in the change's note
    cells["unstable_reason"] = ["; ".join(dict.fromkeys(n for n in row if n)) for row in notes.itertuples(index=False)]
    has_rows = ordered.get("has_rows", pd.Series(True, index=ordered.index)).astype(bool)
    before_rows = ordered["comparison_cells"] > 0 if "comparison_cells" in ordered else has_rows | True
    compared = ordered["comparison_expected_cells"] > 0 if "comparison_expected_cells" in ordered else before_rows
    return pd.DataFrame(
        {
            "Gebied": cells["area_name"],
            "Aantal": _or_no_figures(cells["incident_count"], has_rows),
            "Vergelijkingsperiode": _or_no_figures(cells["comparison_count"], before_rows | ~compared),
            "Inwoners": cells["inhabitants"],
            "Per 1.000 inwoners": cells["per_1000"],
            "Verandering (%)": cells["change"],
            "Index (stad = 100)": cells["index"],
            "Opmerking": cells["unstable_reason"],  # beside the figures: why one is '–' (last, it was cut off)
            "Gegevens": ordered.get("provenance", pd.Series(None, index=ordered.index)).map(provenance.label),
            "Code": cells["area_code"],  # after the figures: at 1400 px, first, it pushed the Index off the table
        }
    ).reset_index(drop=True)


def _or_no_figures(column: pd.Series, has_rows: pd.Series) -> pd.Series:
    """Counts, 'geen cijfers' where an area has no stored row at all (numeric when every area has)."""
    return column if has_rows.all() else column.astype(object).where(has_rows, provenance.NO_FIGURES)


PUBLIC_REASON = "openbare weergave"  # how every area reason of the public view's rules begins
PUBLIC_REASONS = {
    disclosure.SMALL: f"{PUBLIC_REASON}: minder dan {{threshold}} incidenten",
    disclosure.COMPLEMENTARY: f"{PUBLIC_REASON}: afgeschermd, zodat een klein aantal niet uit het totaal volgt",
    disclosure.SENSITIVE: f"{PUBLIC_REASON}: deze categorie alleen per wijk",
}


# The table's Dutch column names, which the public view's notes name too.
TABLE_COLUMNS = {
    "incident_count": "Aantal",
    "comparison_count": "Vergelijkingsperiode",
    "per_1000": "Per 1.000 inwoners",
    "change": "Verandering (%)",
    "index": "Index (stad = 100)",
    "change_abs": "verschil",
}


def protect_areas(
    values: pd.DataFrame, measure: str, rules: disclosure.Rules, reasons: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The map's values as a public view may show them: an area whose figure would reveal a hidden
    count is grey with the reason and without numbers in its tooltip (values), and the table shows
    '< 5' or 'x' (shown cells). `reasons`: why each area's incident_count and comparison_count is
    hidden, decided by the public release (`area_reasons`); without them the areas of a period
    are protected here as one table summing to the gemeente figure."""
    pair = ["Aantal", "Vergelijkingsperiode"]
    derived = {
        "Per 1.000 inwoners": ["Aantal"],
        "Index (stad = 100)": ["Aantal"],
        "Verandering (%)": pair,
        "verschil": pair,
    }
    numeric = values[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    numeric["Vergelijkingsperiode"] = numeric["Vergelijkingsperiode"].fillna(0)
    if reasons is None:
        result = disclosure.protect_table(numeric, pair, rules, derived=derived, lines=[[]])
    else:
        decided = reasons[["incident_count", "comparison_count"]].set_axis(pair, axis=1).set_axis(numeric.index)
        result = disclosure.labelled_table(numeric, decided, rules, counts=pair, derived=derived)
    hidden = result.hidden.rename(columns={v: k for k, v in TABLE_COLUMNS.items()})
    first_reason = result.reasons[pair].where(result.reasons[pair] != disclosure.SHOWN).bfill(axis=1).iloc[:, 0]
    shown_hidden = hidden["incident_count" if measure in ("count", "per_1000", "index") else "change"]
    public = values.copy()
    for name in TABLE_COLUMNS:
        public[name] = public[name].astype(float).mask(hidden[name])
    texts = first_reason.map(lambda r: PUBLIC_REASONS.get(r, "").format(threshold=rules.threshold))
    public["unstable_reason"] = public["unstable_reason"].mask(shown_hidden, texts)
    public["is_stable"] = public["is_stable"] & ~shown_hidden
    public["value"] = public["value"].mask(shown_hidden)
    decimals = {"Per 1.000 inwoners": 1, "Verandering (%)": 1, "Index (stad = 100)": 0}
    shown = result.frame.assign(**{c: _rounded(result.frame[c], d) for c, d in decimals.items()})
    return public, shown.rename(columns={v: k for k, v in TABLE_COLUMNS.items()}), result.notes


def _rounded(column: pd.Series, decimals: int) -> pd.Series:
    """Numbers rounded, labels ('< 5', 'x') kept, missing as NaN: an object column, so that a column
    of only labels and gaps stays text and numbers (not a string column the table would format)."""
    cells = [
        v if isinstance(v, str) else np.nan if formatting.is_missing(v) else round(float(v), decimals) for v in column
    ]
    return pd.Series(cells, index=column.index, dtype=object)


class PublicView(NamedTuple):
    """What a public view's map values depend on: the public release of each calendar year, the
    period and comparison period (or None), the categories and the disclosure rules."""

    releases: dict[int, disclosure.Release]
    period: tuple
    comparison: tuple | None
    codes: tuple[str, ...]
    rules: disclosure.Rules


def level_values(
    counts: pd.DataFrame, measure: str, settings: dict, level: str, public: PublicView | None = None
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], list[float]]:
    """`map_values` with the thresholds of the level; in a `public` view as the releases allow."""
    thresholds = thresholds_for(settings, level)
    if public is None:
        return map_values(counts, measure, thresholds)
    year = public.period[0].year
    releases = (public.releases.get(year), public.releases.get(year - 1) if public.comparison else None)
    reasons = area_reasons(releases, level, counts["area_code"], public.codes, public.rules)
    return map_values(counts, measure, thresholds, public.rules, reasons)


def area_reasons(
    releases: tuple[disclosure.Release | None, disclosure.Release | None],
    level: str,
    area_codes: pd.Series,
    codes: tuple[str, ...],
    rules: disclosure.Rules,
) -> pd.DataFrame:
    """Why each area's count (period, comparison period) is hidden in a public view: the public
    release of each calendar year decides (`disclosure.public_figure`); no release, no figure."""
    columns = {}
    for column, release in zip(("incident_count", "comparison_count"), releases, strict=True):
        columns[column] = [
            disclosure.public_figure(release, level, [code], codes, rules)[1] if release else disclosure.SHOWN
            for code in area_codes
        ]
    return pd.DataFrame(columns, index=area_codes.index)


def rank_text(values: pd.DataFrame, area_code: str, measure: str) -> str:
    """'3e van 13 wijken' for the selected area on the chosen measure (stable areas only)."""
    stable = values[values["is_stable"]].sort_values("value", ascending=False).reset_index(drop=True)
    position = stable.index[stable["area_code"] == area_code]
    if len(position) == 0:
        return "geen rangorde (waarde niet stabiel)"
    return f"{int(position[0]) + 1}e van {len(stable)} ({MEASURES[measure].lower()}, hoogste eerst)"


def panel_text(values: pd.DataFrame, area_code: str, measure: str) -> str:
    """The panel beside the map for a selected area (markdown): its value as the map shows it (or why
    not), its change as in the tooltip (without a percentage on too few incidents) and its rank."""
    row = next(values[values["area_code"] == area_code].itertuples())
    value = format_value(row.value, measure) if row.is_stable else f"niet getoond ({row.unstable_reason})"
    return "  \n".join(
        [
            f"**{MEASURES[measure]}:** {value}",
            f"**Verandering:** {change_text(row, not row.change_reason)}",
            f"**Rang:** {rank_text(values, area_code, measure)}",
        ]
    )


def picked_area(event: dict | None, layer_id: str = LAYER_ID) -> str | None:
    """The area code of a map click event (Streamlit's event is a dict subclass)."""
    objects = (((event or {}).get("selection") or {}).get("objects") or {}).get(layer_id) or []
    return objects[0].get("properties", {}).get("area_code") if objects else None


def group_legend(outlines: pd.DataFrame | None, kind: str = "gebiedsgroep") -> list[LegendEntry]:
    """One outline entry naming the area groups (or other outlined areas) drawn, if any."""
    if outlines is None or outlines.empty:
        return []
    names = ", ".join(dict.fromkeys(outlines["group_name"]))
    colour = "#{:02x}{:02x}{:02x}".format(*GROUP_LINE_COLOUR[:3])
    return [LegendEntry(colour, f"{kind}: {names}", outline=True)]


def legend_html(entries: list[LegendEntry], method: str = "") -> str:
    """The legend as a line of colour swatches (or outlines, or the unstable areas' hatching) with
    their labels, and the line on how the classes were made (`class_method`); an entry never breaks
    between its swatch and its label, and a long label wraps within the column."""
    hatch = "#{:02x}{:02x}{:02x}".format(*HATCH_COLOUR[:3])
    spans = []
    for entry in entries:
        fill = "transparent" if entry.outline else entry.colour
        if entry.hatched:  # lines rising to the right, as on the map
            fill = f"repeating-linear-gradient(-45deg,{hatch} 0 1.5px,{entry.colour} 1.5px 5px)"
        border = f"3px solid {entry.colour}" if entry.outline else "1px solid #888"
        spans.append(
            "<span style='display:inline-flex;align-items:baseline;max-width:100%;margin-right:14px'>"
            f"<span style='flex:none;width:14px;height:14px;background:{fill};"
            f"border:{border};margin:0 5px -2px 0'></span><span>{html_literal(entry.label)}</span></span>"
        )
    note = f"<br/><span style='font-size:0.85em;color:#555'>{html_literal(method)}</span>" if method else ""
    return " ".join(spans) + note


class ClassedLayer(Protocol):
    """A layer classed on its own values (hotspots.HotspotLayer, which imports this module)."""

    @property
    def bounds(self) -> list[float]: ...


def map_legend(
    measure: str,
    bounds: list[float],
    values: pd.DataFrame,
    groups: pd.DataFrame | None,
    hotspot_layer: ClassedLayer | None = None,
    lowest: float | None = None,
) -> str:
    """The Kaart's legend as HTML: the classes of the areas, or of the hexagons from `lowest` when a
    `hotspot_layer` (hotspots.HotspotLayer) is drawn, the area groups, and the line on how the
    classes were made."""
    if hotspot_layer is not None:
        hexagons = hotspot_layer.bounds
        entries, method = legend("count", hexagons, False, "", lowest), class_method("count", hexagons)
    else:
        highest = highest_shown(values, measure)
        entries = legend(measure, bounds, not values["is_stable"].all(), hatch_text(values), highest=highest)
        method = class_method(measure, bounds)
    return legend_html(entries + group_legend(groups), method)


PUBLIC_HIDDEN_TEXT = "niet getoond (afgeschermd in de openbare weergave)"


def hatch_text(values: pd.DataFrame) -> str:
    """What the legend says of the grey, hatched areas: too few for a stable figure, hidden by the
    public view's rules (a suppressed count is no small number), or both."""
    grey = values.loc[~values["is_stable"].astype(bool)]
    reasons = grey["unstable_reason"].astype(str) if "unstable_reason" in grey else pd.Series(dtype=str)
    public = reasons.str.startswith(PUBLIC_REASON)
    if not public.any():
        return UNSTABLE_TEXT
    if public.all():
        return PUBLIC_HIDDEN_TEXT
    return "niet getoond (afgeschermd in de openbare weergave, of te weinig voor een stabiel cijfer)"


def provisional_text(values: pd.DataFrame) -> str:
    """The export header's provisional status of a map's table: 'ja, ...' when any area's figure
    holds provisional months, else 'nee' (the table itself has no such column)."""
    if "is_provisional" in values and values["is_provisional"].fillna(False).astype(bool).any():
        return "ja, de periode bevat voorlopige maanden"
    return "nee"
