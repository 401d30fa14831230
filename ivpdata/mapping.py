"""Choropleth values, classes and the pydeck map: data in, `pdk.Deck` out. No Streamlit."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from ivpdata import formatting

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


@dataclass(frozen=True)
class Thresholds:
    min_inhabitants_for_rate: int
    min_incidents_for_change: int
    change_class_bounds: tuple[float, ...]
    classes: int = 5


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


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
        )
    if measure == "change":
        reason = reason.mask(
            few_incidents, f"minder dan {thresholds.min_incidents_for_change} incidenten in de vergelijkingsperiode"
        )
    frame["unstable_reason"] = reason
    frame["is_stable"] = (reason == "") & frame["value"].notna()
    return frame


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


def legend(measure: str, bounds: list[float], has_unstable: bool, unstable_text: str) -> list[LegendEntry]:
    colours = palette(measure, bounds)
    edges = [None, *bounds, None]
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


def _rgb(colour: str, alpha: int = 210) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


def feature_collection(
    geometries: pd.DataFrame, values: pd.DataFrame, measure: str, bounds: list[float], selected: str | None
) -> dict:
    """GeoJSON with colour, line and tooltip text per area; simplified for display."""
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
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(geometry)),
                "properties": {
                    "area_code": row.area_code,
                    "name": row.area_name,
                    "value": format_value(row.value, measure) if stable else "niet getoond",
                    "count": formatting.number(row.incident_count),
                    "inhabitants": formatting.number(row.inhabitants),
                    "change": change,
                    "note": row.unstable_reason or "",
                    "fill": _rgb(colours[int(klass)] if stable else UNSTABLE_COLOUR),
                    "line": SELECTED_LINE_COLOUR if row.area_code == selected else LINE_COLOUR,
                    "line_width": 4 if row.area_code == selected else 1,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def view_for(geometries: pd.DataFrame) -> pdk.ViewState:
    """Centre and zoom that fit all areas."""
    union = shapely.union_all([shapely.from_wkb(bytes(w)) for w in geometries["geometry_wkb"]])
    min_x, min_y, max_x, max_y = union.bounds
    corners = [[min_x, min_y], [max_x, max_y], [min_x, max_y], [max_x, min_y]]
    view = pdk.data_utils.compute_view(corners, view_proportion=1)
    view.zoom = max(float(view.zoom) + 0.8, 8)
    return view


TOOLTIP = {
    "html": "<b>{name}</b><br/>{value}<br/>Aantal: {count}<br/>Inwoners: {inhabitants}<br/>"
    "Verandering: {change}<br/><i>{note}</i>",
    "style": {"fontSize": "15px", "backgroundColor": "#1f2933", "color": "white"},
}


def choropleth_deck(features: dict, view: pdk.ViewState, map_style: str = MAP_STYLE) -> pdk.Deck:
    layer = pdk.Layer(
        "GeoJsonLayer",
        data=features,
        id=LAYER_ID,
        pickable=True,
        stroked=True,
        filled=True,
        auto_highlight=True,
        highlight_color=[255, 255, 255, 90],
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_units='"pixels"',  # quoted: pydeck turns a bare string into an expression (@@=pixels)
    )
    return pdk.Deck(layers=[layer], initial_view_state=view, map_style=map_style, tooltip=TOOLTIP)


def area_table(values: pd.DataFrame) -> pd.DataFrame:
    """The map's values as a table (the accessible alternative), highest value first."""
    ordered = values.sort_values(["is_stable", "value"], ascending=[False, False])
    return pd.DataFrame(
        {
            "Code": ordered["area_code"],
            "Gebied": ordered["area_name"],
            "Aantal": ordered["incident_count"].astype(int),
            "Vergelijkingsperiode": ordered["comparison_count"].astype(int),
            "Inwoners": ordered["inhabitants"],
            "Per 1.000 inwoners": ordered["per_1000"].round(1),
            "Verandering (%)": ordered["change"].round(1),
            "Index (stad = 100)": ordered["index"].round(0),
            "Opmerking": ordered["unstable_reason"],
        }
    ).reset_index(drop=True)


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


def legend_html(entries: list[LegendEntry]) -> str:
    """The legend as one line of colour swatches with their labels."""
    return " ".join(
        f"<span style='display:inline-block;width:14px;height:14px;background:{entry.colour};"
        f"border:1px solid #888;margin:0 4px -2px 10px'></span>{entry.label}"
        for entry in entries
    )
