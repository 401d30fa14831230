"""Choropleth values, classes and the pydeck map: data in, `pdk.Deck` out. No Streamlit."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from ivpdata import disclosure, formatting

MEASURES = {
    "count": "Aantal",
    "per_1000": "Per 1.000 inwoners",
    "change": "Verandering t.o.v. vergelijkingsperiode",
    "index": "Index (stad = 100)",
}
# ColorBrewer, colour-blind safe: YlOrRd for levels, RdBu (reversed: rise = red) for change.
SEQUENTIAL = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
DIVERGING = ["#0571b0", "#92c5de", "#f7f7f7", "#f4a582", "#ca0020"]
UNSTABLE_COLOUR = "#c8c8c8"
LINE_COLOUR = [80, 80, 80, 200]
SELECTED_LINE_COLOUR = [0, 0, 0, 255]
MAP_STYLE = "/app/static/map-style.json"
LAYER_ID = "gebieden"
HOTSPOT_LAYER_ID = "hotspots"
GROUP_LAYER_ID = "gebiedsgroepen"
NEUTRAL_FILL = [235, 235, 235, 90]
GROUP_LINE_COLOUR = [84, 39, 143, 255]  # purple: distinct from both colour scales
GROUP_LINE_WIDTH = 4


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
    rate or too few incidents in the comparison period for a change."""
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
    reason = pd.Series("", index=frame.index)
    if measure in ("per_1000", "index"):
        reason = reason.mask(
            few_people, f"minder dan {formatting.number(thresholds.min_inhabitants_for_rate)} inwoners"
        ).mask(inhabitants.isna(), "inwonertal onbekend (CBS: geheim of ontbrekend)")
    if measure == "change":
        reason = reason.mask(
            few_incidents, f"minder dan {thresholds.min_incidents_for_change} incidenten in de vergelijkingsperiode"
        )
    frame["unstable_reason"] = reason
    frame["is_stable"] = (reason == "") & frame["value"].notna()
    return frame


def shows_demo(values: pd.DataFrame, measure: str) -> bool:
    """Whether the map shows demo data: demo counts, or demo inhabitants under a rate."""
    rates = measure in ("per_1000", "index")
    return bool(values["is_demo"].any() or (rates and values["population_is_demo"].any()))


def class_bounds(values: pd.Series, measure: str, thresholds: Thresholds) -> list[float]:
    """Inner class bounds: fixed symmetric bounds for change, quantiles otherwise."""
    if measure == "change":
        return list(thresholds.change_class_bounds)
    stable = values.dropna().to_numpy(dtype=float)
    if stable.size == 0:
        return []
    quantiles = np.quantile(stable, np.linspace(0, 1, thresholds.classes + 1)[1:-1])
    return sorted(set(np.round(quantiles, 6).tolist()))


def assign_classes(values: pd.Series, bounds: list[float]) -> pd.Series:
    """Class 0..len(bounds): a value equal to a bound belongs to the class above it."""
    classes = np.searchsorted(np.asarray(bounds), values.to_numpy(dtype=float), side="right")
    return pd.Series(classes, index=values.index)


def palette(measure: str, bounds: list[float]) -> list[str]:
    colours = DIVERGING if measure == "change" else SEQUENTIAL
    if len(bounds) + 1 == len(colours):
        return colours
    picks = np.linspace(0, len(colours) - 1, len(bounds) + 1).round().astype(int)
    return [colours[i] for i in picks]


def format_value(value: float, measure: str) -> str:
    if formatting.is_missing(value):
        return formatting.MISSING
    if measure == "count":
        return formatting.number(value)
    if measure == "change":
        return formatting.change_percent(value / 100)
    return formatting.number(value, 1 if measure == "per_1000" else 0)


def legend(
    measure: str, bounds: list[float], has_unstable: bool, unstable_text: str, lowest: float | None = None
) -> list[LegendEntry]:
    """Colour and label per class; `lowest` names the smallest value shown (e.g. a minimum count)."""
    colours = palette(measure, bounds)
    edges = [lowest, *bounds, None]
    entries = []
    for colour, low, high in zip(colours, edges[:-1], edges[1:], strict=True):
        if low is None and high is None:
            label = "alle waarden"
        elif low is None:
            label = f"lager dan {format_value(high, measure)}"
        elif high is None:
            label = f"{format_value(low, measure)} of hoger"
        else:
            label = f"{format_value(low, measure)} tot {format_value(high, measure)}"
        entries.append(LegendEntry(colour, label))
    if has_unstable:
        entries.append(LegendEntry(UNSTABLE_COLOUR, unstable_text))
    return entries


def rgb(colour: str, alpha: int = 210) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


def feature_collection(
    geometries: pd.DataFrame,
    values: pd.DataFrame,
    measure: str,
    bounds: list[float],
    selected: str | None,
    classes_shown: bool = True,
) -> dict:
    """GeoJSON with colour, line and tooltip text per area; simplified for display.

    Without `classes_shown` (the hotspot view) areas get a faint neutral fill: they stay
    clickable and give the hexagons a recognisable background."""
    colours = palette(measure, bounds)
    merged = geometries.merge(values, on=["area_code", "area_name"], how="left")
    classes = assign_classes(merged["value"].fillna(0), bounds)
    features = []
    for row, klass in zip(merged.itertuples(), classes, strict=True):
        geometry = shapely.from_wkb(bytes(row.geometry_wkb)).simplify(0.0001, preserve_topology=True)
        stable = bool(row.is_stable)
        change = (
            f"{formatting.signed(row.change_abs)} ({format_value(row.change, 'change')})"
            if row.comparison_count
            else "geen vergelijking"
        )
        lines = [
            f"{MEASURES[measure]}: {format_value(row.value, measure) if stable else 'niet getoond'}",
        ] * (measure != "count") + [
            f"Aantal: {formatting.number(row.incident_count)}",
            f"Inwoners: {formatting.number(row.inhabitants)}",
            f"Verandering: {change}",
        ]
        if row.unstable_reason:
            lines.append(row.unstable_reason)
        fill = rgb(colours[int(klass)] if stable else UNSTABLE_COLOUR) if classes_shown else NEUTRAL_FILL
        features.append(
            {
                "type": "Feature",
                "geometry": geojson_geometry(geometry),
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


def view_for(geometries: pd.DataFrame, zoom_in: float = 0.8) -> pdk.ViewState:
    """Centre and zoom that fit all areas (a negative `zoom_in` leaves room around them)."""
    union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]])
    min_x, min_y, max_x, max_y = union.bounds
    corners = [[min_x, min_y], [max_x, max_y], [min_x, max_y], [max_x, min_y]]
    view = pdk.data_utils.compute_view(corners, view_proportion=1)
    view.zoom = max(float(view.zoom) + zoom_in, 8)
    return view


# Streamlit escapes the values it puts into the template, so the lines of `details` are
# separated by newlines, which `white-space: pre-line` shows as line breaks.
TOOLTIP = {
    "html": "<b>{name}</b><br/>{details}",
    "style": {"fontSize": "15px", "backgroundColor": "#1f2933", "color": "white", "whiteSpace": "pre-line"},
}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by 2 spaces, which makes what
    Streamlit sends to the browser about three times as large (measured: 342 kB against 106 kB
    for a hotspot map)."""

    def to_json(self) -> str:
        return json.dumps(json.loads(super().to_json()), separators=(",", ":"))


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
) -> pdk.Deck:
    """Areas (clickable), optional hotspot hexagons above them and area-group outlines on top."""
    layers = [
        _outlined_layer(
            areas, LAYER_ID, pickable=True, filled=True, auto_highlight=True, highlight_color=[255, 255, 255, 90],
            get_fill_color="properties.fill", get_line_color="properties.line", get_line_width="properties.line_width",
        )
    ]  # fmt: skip
    if hotspots is not None:
        layers.append(
            _outlined_layer(
                hotspots, HOTSPOT_LAYER_ID, pickable=True, filled=True, get_fill_color="properties.fill",
                get_line_color=[120, 40, 20, 160], get_line_width=1,
            )
        )  # fmt: skip
    if groups is not None:
        # Not pickable: clicks pass through to the areas below.
        layers.append(
            _outlined_layer(
                groups, GROUP_LAYER_ID, pickable=False, filled=False,
                get_line_color=GROUP_LINE_COLOUR, get_line_width=GROUP_LINE_WIDTH,
            )
        )  # fmt: skip
    return CompactDeck(layers=layers, initial_view_state=view, map_style=map_style, tooltip=TOOLTIP)


def area_table(values: pd.DataFrame, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """The map's values as a table (the accessible alternative), highest value first. `shown`: the
    public view's cells ('< 5', 'x') from `protect_areas`, in place of the exact ones."""
    ordered = values.sort_values(["is_stable", "value"], ascending=[False, False])
    cells = ordered.assign(per_1000=ordered["per_1000"].round(1), change=ordered["change"].round(1))
    cells = cells.assign(index=ordered["index"].round(0))
    if shown is not None:
        cells = cells.assign(**{c: shown.loc[ordered.index, c] for c in shown.columns if c != "change_abs"})
    return pd.DataFrame(
        {
            "Code": cells["area_code"],
            "Gebied": cells["area_name"],
            "Aantal": cells["incident_count"],
            "Vergelijkingsperiode": cells["comparison_count"],
            "Inwoners": cells["inhabitants"],
            "Per 1.000 inwoners": cells["per_1000"],
            "Verandering (%)": cells["change"],
            "Index (stad = 100)": cells["index"],
            "Opmerking": cells["unstable_reason"],
        }
    ).reset_index(drop=True)


PUBLIC_REASONS = {
    disclosure.SMALL: "openbare weergave: minder dan {threshold} incidenten",
    disclosure.COMPLEMENTARY: "openbare weergave: afgeschermd, zodat een klein aantal niet uit het totaal volgt",
    disclosure.SENSITIVE: "openbare weergave: deze categorie alleen per wijk",
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
    values: pd.DataFrame, measure: str, rules: disclosure.Rules
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The map's values as a public view may show them: an area whose figure would reveal a hidden
    count is grey with the reason and without numbers in its tooltip (values), and the table shows
    '< 5' or 'x' (shown cells). The areas of a period sum to the public gemeente figure (one line)."""
    pair = ["Aantal", "Vergelijkingsperiode"]
    derived = {"Per 1.000 inwoners": ["Aantal"], "Index (stad = 100)": ["Aantal"], "Verandering (%)": pair,
               "verschil": pair}  # fmt: skip
    numeric = values[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    numeric["Vergelijkingsperiode"] = numeric["Vergelijkingsperiode"].fillna(0)
    result = disclosure.protect_table(numeric, pair, rules, derived=derived, lines=[[]])
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
    return column.map(lambda v: v if isinstance(v, str) or formatting.is_missing(v) else round(float(v), decimals))


def rank_text(values: pd.DataFrame, area_code: str, measure: str) -> str:
    """'3e van 13 wijken' for the selected area on the chosen measure (stable areas only)."""
    stable = values[values["is_stable"]].sort_values("value", ascending=False).reset_index(drop=True)
    position = stable.index[stable["area_code"] == area_code]
    if len(position) == 0:
        return "geen rangorde (waarde niet stabiel)"
    return f"{int(position[0]) + 1}e van {len(stable)} ({MEASURES[measure].lower()}, hoogste eerst)"


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


def legend_html(entries: list[LegendEntry]) -> str:
    """The legend as one line of colour swatches (or outlines) with their labels."""
    spans = []
    for entry in entries:
        fill = "transparent" if entry.outline else entry.colour
        border = f"3px solid {entry.colour}" if entry.outline else "1px solid #888"
        spans.append(
            f"<span style='display:inline-block;width:14px;height:14px;background:{fill};"
            f"border:{border};margin:0 4px -2px 10px'></span>{entry.label}"
        )
    return " ".join(spans)
