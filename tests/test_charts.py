"""Chart builders, checked through their Vega-Lite spec."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import vl_convert as vlc

from ivpdata import charts, queries, trends
from tests.support.tiny import GEMEENTE


def _spec(chart) -> dict:
    return chart.to_dict()


def test_comparison_chart_has_both_years_and_published_labels(db):
    comparisons = queries.published_comparisons(db, "GM0505")
    misdrijven = comparisons[comparisons["category_kind"] == "misdrijf"]
    spec = _spec(charts.published_comparison_chart(misdrijven, "Misdrijven 2019 en 2021"))
    bars, labels = spec["layer"]
    bar_values = spec["datasets"][bars["data"]["name"]]
    assert {row["Jaar"] for row in bar_values} == {"2019", "2021"}
    woning = {row["Jaar"]: row["Aantal"] for row in bar_values if row["Categorie"] == "Diefstal/inbraak woning"}
    assert woning == {"2019": 210, "2021": 89}
    label_values = {row["Categorie"]: row["Label"] for row in spec["datasets"][labels["data"]["name"]]}
    assert label_values["Diefstal/inbraak woning"] == "-58%"
    assert label_values["Cybercrime"] == "+85%"
    # Published -41% for 34 -> 14 (really -59%): shown as published, marked.
    assert label_values["Straatroof"] == "-41%" + charts.DISCREPANCY_MARK
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."


def test_series_chart_uses_years_as_ordinal(tiny):
    spec = _spec(charts.published_series_chart(queries.published_series(tiny, GEMEENTE), "Reeks"))
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert [(v["Jaar"], v["Aantal"]) for v in values] == [("2020", 4), ("2021", 7)]
    assert spec["layer"][0]["encoding"]["x"]["type"] == "ordinal"


def _goal(name: str) -> pd.DataFrame:
    """One indicator of a plan as the goal (bullet) chart takes it."""
    return pd.DataFrame(
        {
            "indicator_name": [name],
            "unit": ["per 1.000 inwoners"],
            "status": ["achter"],
            "actual": [28.4],
            "margin": [1.9],
            "trajectory": [23.1],
            "baseline_value": [26.9],
            "target_value": [22.0],
            "year": [2024],
        }
    )


def test_a_goal_chart_lists_only_the_statuses_it_shows():
    """Its legend names the statuses of its indicators, in the plan's colours; not the three a
    priority with one indicator behind ('achter') does not have."""
    colours = {"op koers": "#1a9850", "aandacht": "#f0a500", "achter": "#d73027", "onbekend": "#bdbdbd"}
    svg = vlc.vegalite_to_svg(charts.bullet_chart(_goal("Overlast per 1.000 inwoners"), colours).to_dict())
    assert ">achter<" in svg and "#d73027" in svg
    assert not any(f">{status}<" in svg for status in ("op koers", "aandacht", "onbekend")), svg


def test_a_goal_chart_fits_the_page_column_with_a_long_indicator_name():
    """The Prioriteiten page's column is about 820 px wide at a 1280 px window: a bullet chart
    (a facet, which cannot take the container's width) must stay narrower, names and all."""
    data = _goal("Overlastregistraties in Dordt-West per 1.000 inwoners")
    colours = {"op koers": "#1a9850", "achter": "#d73027"}
    svg = vlc.vegalite_to_svg(charts.bullet_chart(data, colours).to_dict())
    found = re.search(r'<svg[^>]* width="([\d.]+)"', svg)
    assert found is not None, svg[:200]
    width = float(found.group(1))
    assert width <= 800, width


def _font_sizes(node: object, path: str = "") -> list[tuple[str, float]]:
    """Every font size a spec sets outside its config, with where."""
    if isinstance(node, dict):
        return [
            found
            for key, value in node.items()
            if key != "config"
            for found in (
                [(f"{path}.{key}", value)] if key.endswith("FontSize") else _font_sizes(value, f"{path}.{key}")
            )
        ]
    if isinstance(node, list):
        return [found for item in node for found in _font_sizes(item, path)]
    return []


def _trend_with_a_measure() -> alt.TopLevelMixin:
    """A yearly trend of three years, the last provisional, with a measure's start marked."""
    series = pd.DataFrame(
        {
            "Reeks": ["Dordrecht (gemeente)"] * 3,
            "Periode": pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"]),
            "Waarde": [10.0, 12.0, 11.0],
            "is_provisional": [False, False, True],
        }
    )
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    markers = pd.DataFrame({"Datum": [pd.Timestamp("2024-06-01")], "Maatregel": ["Aanpak"]})
    return charts.trend_chart(series, "Titel", "Aantal", ",.0f", none, markers, "%Y")


def _series_chart(names: list[str]) -> alt.TopLevelMixin:
    """A yearly trend of each named series over two years."""
    rows = [(name, pd.Timestamp(f"{y}-01-01"), 10.0 + i, False) for i, name in enumerate(names) for y in (2023, 2024)]
    series = pd.DataFrame(rows, columns=["Reeks", "Periode", "Waarde", "is_provisional"])
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    return charts.trend_chart(
        series, "Titel", "Aantal", ",.0f", none, pd.DataFrame(columns=["Datum", "Maatregel"]), "%Y"
    )


def test_a_legend_of_two_areas_and_three_categories_stays_within_the_chart():
    """Trends with two areas and three categories draws six series: their legend in one row ran
    past the chart's right edge (on the page, the last names cut off), and on the big screen the
    names were shortened. Drawn 900 px wide, the chart with six series is as wide as the chart
    with one."""
    areas, categories = (
        ["Dordrecht (gemeente)", "Wielwijk (wijk)"],
        ["Alle misdrijven", "High impact crime", "Overlast"],
    )
    names = [f"{area} · {category}" for area in areas for category in categories]

    def drawn_width(chart: alt.TopLevelMixin) -> float:
        svg = vlc.vegalite_to_svg(chart.properties(width=900).to_dict())
        found = re.search(r'<svg[^>]*width="([\d.]+)"', svg)
        assert found, svg[:200]
        return float(found.group(1))

    assert drawn_width(_series_chart(names)) == drawn_width(_series_chart(names[:1]))
    # On the council's screen, in its large type, every name is whole (Vega shortens a name that
    # is longer than its label limit with an ellipsis).
    slide = charts.for_screen(_series_chart(names)).properties(width=1800).to_dict()
    assert "\u2026" not in vlc.vegalite_to_svg(slide)


def _axis_labels(chart: alt.TopLevelMixin, width: int) -> tuple[list[str], list[str]]:
    """The month labels and the number labels of a chart drawn `width` px wide, in drawing order."""
    svg = vlc.vegalite_to_svg(chart.properties(width=width).to_dict())
    texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    months = [t for t in texts if re.fullmatch(r"[a-z]{3} \d{4}", t)]
    numbers = [t for t in texts if re.fullmatch(r"-?[\d.,]+", t)]
    return months, numbers


def _monthly(values: list[float], start: str = "2024-01-01") -> alt.TopLevelMixin:
    """A monthly count of one buurt, one value per month from `start`."""
    series = pd.DataFrame(
        {
            "Reeks": ["Viottakade en omgeving (buurt in Oud Krispijn)"] * len(values),
            "Periode": pd.date_range(start, periods=len(values), freq="MS"),
            "Waarde": values,
            "is_provisional": [False] * len(values),
        }
    )
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    return charts.trend_chart(series, "Zedenmisdrijf per maand", "Aantal", ",.0f", none, none.iloc[:0, :0])


def test_a_year_of_months_has_a_label_at_each_month_and_whole_counts():
    """A sparse category over one year (a single incident, in November): each month's label once,
    under its own month, and whole numbers on the count axis. Before, Vega placed a tick every week:
    'mrt 2024' showed twice, every later label stood a few days after its month's point (the
    November point read as October) and December had none; the count axis read 0, 0, 0, 1, 1, 1."""
    values = [0.0] * 12
    values[10] = 1.0
    months, numbers = _axis_labels(_monthly(values), 1100)
    dutch_months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    assert months == [f"{month} 2024" for month in dutch_months]
    assert numbers == ["0", "1"]


def test_a_long_run_of_months_is_labelled_at_month_starts_without_repeats():
    """Nine years of months, and two years in a narrow column (the Wijkprofiel's): labels at month
    starts, none twice, in order."""
    for values, width in (([3.0] * 108, 1100), ([40.0, 52.0] * 12, 500)):
        start = "2017-01-01" if len(values) == 108 else "2024-01-01"
        months, _ = _axis_labels(_monthly(values, start), width)
        assert len(months) >= 3 and len(set(months)) == len(months), months
        assert [m[-4:] for m in months] == sorted(m[-4:] for m in months), months  # the years in order


def test_the_kaart_area_panel_labels_each_year_once_and_whole_counts():
    """The Kaart's panel of a selected buurt (`area_trend_chart`) in a sparse category: one label per
    year and whole numbers (it read 0, 0, 0, 1, 1, 1; two years of months read '2024' four times)."""
    for months, start in ((108, "2017-01-01"), (24, "2024-01-01")):
        series = pd.DataFrame(
            {
                "month_start": pd.date_range(start, periods=months, freq="MS"),
                "incident_count": [0] * (months - 1) + [1],
                "is_provisional": [False] * months,
            }
        )
        svg = vlc.vegalite_to_svg(charts.area_trend_chart(series, "Zedenmisdrijf").properties(width=500).to_dict())
        texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
        years = [t for t in texts if re.fullmatch(r"\d{4}", t)]
        assert years == sorted(set(years)) and len(years) == months // 12, texts
        assert [t for t in texts if re.fullmatch(r"\d", t)] == ["0", "1"], texts


def _trend(rows: list[tuple[str, str, float, bool]]) -> alt.TopLevelMixin:
    """A trend chart of (series, month, value, provisional) rows, without lockdowns or measures."""
    series = pd.DataFrame(rows, columns=["Reeks", "Periode", "Waarde", "is_provisional"])
    series["Periode"] = pd.to_datetime(series["Periode"])
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    return charts.trend_chart(series, "Titel", "Aantal", ",.0f", none, pd.DataFrame(columns=["Datum", "Maatregel"]))


def test_quarters_are_labelled_as_quarters():
    """Per quarter, a label "okt 2024" under the fourth quarter's point read as October's figure."""
    rows = pd.DataFrame(
        {
            "Reeks": ["Dordrecht"] * 8,
            "Periode": pd.date_range("2024-01-01", periods=8, freq="QS"),
            "Waarde": [10.0] * 8,
            "is_provisional": [False] * 8,
        }
    )
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    chart = charts.trend_chart(rows, "T", "Aantal", ",.0f", none, none.iloc[:0, :0], trends.TIME_FORMATS["quarter"])
    svg = vlc.vegalite_to_svg(chart.properties(width=900).to_dict())
    labels = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if re.fullmatch(r"K\d \d{4}", t)]
    assert labels == [f"K{q} {y}" for y in (2024, 2025) for q in (1, 2, 3, 4)]


def test_a_single_period_is_drawn_as_a_point():
    """One month or one year (a buurt's one zedenmisdrijf): a line needs two points, so the chart
    showed its axes and legend and nothing else. A series of one period is a visible point."""
    visible = [
        layer
        for layer in _trend([("Viottakade", "2024-11-01", 1.0, False)]).to_dict()["layer"]
        if layer["mark"]["type"] == "point" and layer["mark"].get("opacity", 1) > 0
    ]
    assert len(visible) == 1


def test_the_explanation_names_only_what_the_chart_draws():
    """A definitive year without a lockdown: no word on dashes or a grey band ("Gestippeld: voorlopige
    cijfers. Grijs vlak: lockdown" stood under every chart)."""
    definitive = _trend([("Dordrecht", f"2024-{m:02d}-01", 10.0, False) for m in range(1, 13)]).to_dict()
    assert "subtitle" not in definitive["title"] or not definitive["title"]["subtitle"]
    provisional = _trend([("Dordrecht", f"2025-{m:02d}-01", 10.0, m > 10) for m in range(1, 13)]).to_dict()
    assert provisional["title"]["subtitle"] == ["Gestippeld: voorlopige cijfers."]


def test_the_lines_take_their_colours_in_the_order_chosen():
    """The gemeente chosen first is blue and first in the legend, whatever the alphabet says (the
    order comes with the data: the spec names no series)."""
    names = ["Enkhuizen (gemeente)", "Centrum (buurt in Enkhuizen)"]
    chart = _trend([(name, f"2024-{m:02d}-01", 5.0, False) for name in names for m in (1, 2)])
    svg = vlc.vegalite_to_svg(chart.properties(width=600).to_dict())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert labels.index(names[0]) < labels.index(names[1])  # the legend
    strokes = dict(re.findall(r'aria-label="[^"]*Definitief[^"]*Reeks: ([^"]*)"[^>]*stroke="(#\w+)"', svg))
    assert strokes == {names[0]: charts.SERIES_COLOURS[0], names[1]: charts.SERIES_COLOURS[1]}


def test_the_trend_charts_spec_is_one_for_one_to_six_series():
    """Another choice of series changes the chart's data, not its spec: the browser then updates
    the chart in place (a changed spec is drawn anew, 50-100 ms more on each change of 'Wat')."""
    names = ["Dordrecht (gemeente) · Alle misdrijven", "Dordrecht (gemeente) · Geweld", "Sterrenburg", "A", "B", "C"]

    def spec(count: int) -> str:
        chart = _trend([(name, f"2024-{m:02d}-01", 5.0, m == 3) for name in names[:count] for m in (1, 2, 3)])
        drawn = chart.to_dict()
        drawn.pop("datasets")
        return re.sub(r'"data-[0-9a-f]+"', '"data"', json.dumps(drawn, sort_keys=True))  # by place, as Streamlit

    assert {spec(count) for count in range(1, 7)} == {spec(1)}


def test_the_trend_charts_data_carries_only_what_it_draws():
    """The page's series come with counts, inhabitants, codes and provenance for the export; the
    chart's table sent to the browser (and read there on every change of 'Wat') keeps only the
    fields its lines and tooltips use. It carried 15 columns, 8 of them unused."""
    rows = [("Dordrecht", f"2024-{m:02d}-01", 5.0, m == 3) for m in (1, 2, 3)]
    series = pd.DataFrame(rows, columns=["Reeks", "Periode", "Waarde", "is_provisional"])
    series["Periode"] = pd.to_datetime(series["Periode"])
    extra = {"incident_count": 5, "is_demo": True, "provenance": "demo", "target_code": "GM0505", "inhabitants": 9}
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    chart = charts.trend_chart(series.assign(**extra), "T", "Aantal", ",.0f", none, none.iloc[:0, :0])
    spec = chart.to_dict()
    used = set(re.findall(r'"field": "([^"]+)"', json.dumps(spec["layer"])))
    [table] = [rows for rows in spec["datasets"].values() if "Reeks" in rows[0]]
    assert set(table[0]) <= used, set(table[0]) - used


def test_a_long_name_in_the_legend_is_whole():
    """A buurt with its wijk and a category ("Viottakade en omgeving (buurt in Oud Krispijn) · Alle
    misdrijven") was cut to "... · Al…" with half the row empty: long names go one per row, whole."""
    names = [
        "Dordrecht (gemeente) · Alle misdrijven",
        "Viottakade en omgeving (buurt in Oud Krispijn) · Alle misdrijven",
        "Viottakade en omgeving (buurt in Oud Krispijn) · Diefstal van brom-, snor-, fietsen",
    ]
    chart = _trend([(name, f"2024-{m:02d}-01", 5.0, False) for name in names for m in (1, 2)])
    svg = vlc.vegalite_to_svg(chart.properties(width=1100).to_dict())
    assert "\u2026" not in svg and all(name in svg.replace("&amp;", "&") for name in names[1:])


def test_on_the_big_screen_every_text_of_a_trend_or_goal_chart_is_large():
    """Presentatiemodus (`for_screen`) enlarges the texts through the config: a size set on one
    legend, title or axis would win over it (the Trends legend and subtitle stayed 13 px, the goal
    chart's axis 12 px, on the council's screen). The goal chart's indicator names keep the page's
    size: its facet has a fixed width, and larger names would be cut off."""
    goals = _goal("Overlast per 1.000 inwoners")
    built = [
        _trend_with_a_measure(),
        charts.bullet_chart(goals, {"op koers": "#1a9850", "achter": "#d73027"}),
    ]
    for chart in built:
        screen = charts.for_screen(chart).to_dict()
        assert _font_sizes(screen) == []
        sizes = [
            v
            for part in ("axis", "legend", "title")
            for k, v in screen["config"][part].items()
            if k.endswith("FontSize")
        ]
        assert sizes and min(sizes) >= 20, screen["config"]


def test_a_trend_charts_explanation_is_in_short_lines():
    """The line under the title says what the dashes, the grey band and the purple rule mean. In one
    line it ran past the Wijkprofiel's half-width column and was cut off before the purple rule."""
    subtitle = _trend_with_a_measure().to_dict()["title"]["subtitle"]
    assert isinstance(subtitle, list) and any("Paarse lijn" in line for line in subtitle)
    assert all(len(line) <= 70 for line in subtitle), subtitle


def test_the_before_and_after_axis_ends_with_its_last_month():
    """Two years of months, January 2024 - December 2025: the axis read on to 'jan 2026', a month
    the comparison does not hold."""
    months = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
    series = pd.DataFrame(
        {
            "month_start": months,
            "incident_count": range(len(months)),
            "is_provisional": False,
            "Periode": ["voor" if month.year == 2024 else "na" for month in months],
        }
    )
    labels, _ = _axis_labels(charts.before_after_chart(series, "2025-01-01", "Voor en na"), 800)
    assert labels[0] == "jan 2024" and labels[-1] != "jan 2026", labels
    assert all(label.endswith(("2024", "2025")) for label in labels)


def test_a_rate_axis_has_no_trailing_zeros():
    """The Wijkprofiel's per-1,000 axis read '100,0', '80,0'; the tooltip keeps one decimal."""
    series = pd.DataFrame(
        {
            "Reeks": ["Wielwijk"] * 3,
            "Periode": pd.date_range("2023-01-01", periods=3, freq="YS"),
            "Waarde": [62.5, 80.0, 100.0],
            "is_provisional": [False] * 3,
        }
    )
    none = pd.DataFrame(columns=["name", "start", "end", "intensity"])
    chart = charts.trend_chart(series, "Per 1.000", "Per 1.000 inwoners", ",.1f", none, none.iloc[:0, :0], "%Y")
    svg = vlc.vegalite_to_svg(chart.properties(width=500).to_dict())
    labels = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert "100" in labels and "100,0" not in labels, labels


def test_a_value_axis_puts_each_label_on_its_gridline():
    """Streamlit's theme flushes the first and last label of every axis (labelFlush): on a y axis
    the "0" stood above its gridline and the top label below its own. The charts' config turns
    that off for y axes, more specific than Streamlit's `axis`."""
    spec = _trend_with_a_measure().to_dict()
    assert spec["config"]["axisY"]["labelFlush"] is False


def test_a_numbered_mark_on_the_print_map_shows_its_areas_class_and_reads_well():
    """A number on the printed map covers a small buurt: the mark is filled with that buurt's class
    colour (the darkest class stays visible under the number), and its number is readable on it."""
    from ivpdata import mapping, theme

    legend = [mapping.LegendEntry("#ffffb2", "lager dan 4,1"), mapping.LegendEntry("#bd0026", "12,8 of hoger")]

    def square(x: float, name: str, klasse: str) -> dict:
        ring = [[x, 51.8], [x + 0.01, 51.8], [x + 0.01, 51.81], [x, 51.81], [x, 51.8]]
        return {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"name": name, "klasse": klasse},
        }

    features = [square(4.6, "Laag", "lager dan 4,1"), square(4.62, "Hoog", "12,8 of hoger")]
    marks = pd.DataFrame(
        {
            "lon": [4.605, 4.625],
            "lat": [51.805, 51.805],
            "label": ["2", "1"],
            "klasse": ["lager dan 4,1", "12,8 of hoger"],
        }
    )
    spec = charts.choropleth_chart(features, legend, "", "Per 1.000 inwoners", marks).to_dict()
    circle = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    fill = circle["encoding"]["fill"]
    assert fill["field"] == "klasse" and fill["scale"] == {
        "domain": [e.label for e in legend],
        "range": [e.colour for e in legend],
    }
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    inks = dict(zip(marks["klasse"], (row["ink"] for row in spec["datasets"][text["data"]["name"]]), strict=True))
    colours = {e.label: e.colour for e in legend}
    assert all(theme.contrast(ink, colours[klasse]) >= 4.5 for klasse, ink in inks.items()), inks
    assert text["encoding"]["color"] == {"field": "ink", "type": "nominal", "scale": None}
