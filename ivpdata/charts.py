"""Chart builders: data in, `alt.Chart` out. No Streamlit; tests read the Vega-Lite spec.

Channels are never given as "Aantal:Q" strings: Altair finds a string's channel class by hashing
each candidate schema, about 2 ms a string (a bullet chart took 46 ms to build with strings, 22 ms
without). The charts a page draws on its first view (trend, bullet, published figures) give their
marks and encodings as Vega-Lite mappings (`_layer`): Altair copies a chart whole while it builds
and writes it, and a mark or channel object copies every property it could have, so the same spec
takes about half the time; the others give channel objects (`alt.X("Aantal:Q")`)."""

from __future__ import annotations

from typing import Any, cast

import altair as alt
import pandas as pd

from ivpdata import formatting, theme
from ivpdata.periods import MONTH_NAMES

# Vega formats numbers with this locale: 1.234,5 and € 1.234.
DUTCH_LOCALE = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["€ ", ""]),
    time=alt.TimeLocale(
        dateTime="%A %e %B %Y %X",
        date="%d-%m-%Y",
        time="%H:%M:%S",
        periods=["AM", "PM"],
        days=["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        shortDays=["zo", "ma", "di", "wo", "do", "vr", "za"],
        months=list(MONTH_NAMES),
        shortMonths=["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    ),
)
FROM_COLOUR = "#9bb7d4"  # colour-blind-safe pair (light / dark blue)
TO_COLOUR = "#1f4e79"
DISCREPANCY_MARK = "*"


# Dutch numbers and dates, and the text sizes of a page: one config, made once (`dutch`).
DUTCH_CONFIG = alt.Config(
    locale=DUTCH_LOCALE,
    axis=alt.AxisConfig(labelFontSize=13, titleFontSize=13),
    # Each value's label on its gridline: Streamlit's theme sets labelFlush on every axis, which
    # moved a y axis's lowest and highest labels off their lines ("0" stood 7 px above its line).
    axisY=alt.AxisConfig(labelFlush=False),
    legend=alt.LegendConfig(labelFontSize=13, labelLimit=320),  # in the config: a big screen sets its own
    title=alt.TitleConfig(subtitleFontSize=13),
    header=alt.HeaderConfig(labelFontSize=13),
)


# An axis of whole numbers (counts): ticks at least 1 apart, and no label at a tick between two
# (Vega still puts one at 0.5 when the values run from 0 to 1).
WHOLE_LABELS = "datum.value % 1 ? '' : datum.label"
WHOLE_NUMBER_AXIS: dict[str, Any] = {"tickMinStep": 1, "labelExpr": WHOLE_LABELS}


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Dutch numbers and dates, and the text sizes of a page, set once here (not per encoding) so
    that `for_screen` can enlarge every text for the big screen. A shallow copy of the chart with
    `DUTCH_CONFIG`: Altair's configure methods build and validate a config anew for each chart
    (4 ms of a bullet chart's 24). Shared, never changed in place: Altair's configure_* methods
    (`for_screen`) copy the config before they change it."""
    copy = cast(Any, chart).copy(deep=False)  # TopLevelMixin's type does not declare SchemaBase.copy
    copy.config = DUTCH_CONFIG
    return cast(alt.TopLevelMixin, copy)


def published_comparison_chart(comparisons: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Grouped bars of a published two-year table, with the published change beside each pair.

    A published percentage that does not follow from the published counts (rounded to whole
    percents) is marked with an asterisk; the page explains it.
    """
    rows = []
    for item in comparisons.itertuples():
        for year, count in ((item.from_year, item.from_count), (item.to_year, item.to_count)):
            rows.append({"Categorie": item.category_name, "Jaar": str(year), "Aantal": count})
    long = pd.DataFrame(rows)
    labels = comparisons.assign(
        Categorie=comparisons["category_name"],
        Aantal=comparisons[["from_count", "to_count"]].max(axis=1),
        Label=[
            formatting.percent(p / 100, sign=True) + (DISCREPANCY_MARK if has_discrepancy(p, c) else "")
            for p, c in zip(comparisons["published_change_pct"], comparisons["computed_change_pct"], strict=True)
        ],
    )[["Categorie", "Aantal", "Label"]]
    years = sorted(long["Jaar"].unique())
    order = list(comparisons["category_name"])
    # Marks and encodings as Vega-Lite mappings, as in `bullet_chart`: the same spec at half the cost.
    y = {"field": "Categorie", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 320}}
    count = {**_q("Aantal"), "title": "Aantal registraties", "axis": {"format": ",d", **WHOLE_NUMBER_AXIS}}
    colour = {
        "field": "Jaar",
        "type": "nominal",
        "scale": {"domain": years, "range": [FROM_COLOUR, TO_COLOUR]},
        "legend": {"title": None, "orient": "top"},
    }
    tooltip = [
        {"field": "Categorie", "type": "nominal"},
        {"field": "Jaar", "type": "nominal"},
        {**_q("Aantal"), "format": ",d"},
    ]
    offset = {"field": "Jaar", "type": "nominal", "sort": years}
    bars = _layer({"type": "bar"}, data=long, y=y, x=count, yOffset=offset, color=colour, tooltip=tooltip)
    label = {"type": "text", "align": "left", "dx": 6, "fontSize": 13, "fontWeight": "bold", "color": "#333"}
    text = _layer(label, data=labels, y=y, x=_q("Aantal"), text={"field": "Label", "type": "nominal"})
    return dutch(alt.layer(bars, text).properties(title=title, width="container", height=alt.Step(16)))


def has_discrepancy(published_pct: float, computed_pct: float) -> bool:
    """True when a published whole-percent change is off by more than rounding."""
    return abs(published_pct - computed_pct) > 1.0


def published_series_chart(series: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Line of published yearly counts (e.g. CBS totals of registered crime)."""
    data = series.assign(
        Jaar=series["year"].astype(str), Aantal=series["incident_count"], Categorie=series["category_name"]
    )
    encoding = {
        "x": {"field": "Jaar", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
        "y": {**_q("Aantal"), "title": "Geregistreerde misdrijven", "axis": {"format": ",d", **WHOLE_NUMBER_AXIS}},
        "color": {"field": "Categorie", "type": "nominal", "legend": {"title": None, "orient": "top"}},
        "tooltip": [
            {"field": "Categorie", "type": "nominal"},
            {"field": "Jaar", "type": "ordinal"},
            {**_q("Aantal"), "format": ",d"},
        ],
    }
    line = _layer({"type": "line", "strokeWidth": 3}, data=data, **encoding)
    points = _layer({"type": "point", "filled": True, "size": 60}, data=data, **encoding)
    return dutch(alt.layer(line, points).properties(title=title, width="container", height=280))


def area_trend_chart(series: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Monthly counts of one area; provisional months drawn lighter and labelled."""
    data = series.assign(
        Maand=pd.to_datetime(series["month_start"]),
        Aantal=series["incident_count"],
        Status=series["is_provisional"].map({True: "voorlopig", False: "definitief"}),
    )
    line = (
        alt.Chart(data)
        .mark_line(color=TO_COLOUR, strokeWidth=2)
        .encode(
            x=alt.X("Maand:T", title=None, axis=alt.Axis(format="%Y", tickCount=_time_ticks(data["Maand"], "%Y"))),
            y=alt.Y(
                "Aantal:Q", title="Aantal per maand", axis=alt.Axis(format=",d", tickMinStep=1, labelExpr=WHOLE_LABELS)
            ),
        )
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=28)
        .encode(
            x=alt.X("Maand:T"),
            y=alt.Y("Aantal:Q"),
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=["definitief", "voorlopig"], range=[TO_COLOUR, "#b0b0b0"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("Maand:T", format="%B %Y"),
                alt.Tooltip("Aantal:Q", format=",d"),
                alt.Tooltip("Status:N"),
            ],
        )
    )
    return dutch(alt.layer(line, points).properties(title=title, width="container", height=220))


LOCKDOWN_COLOUR = "#9e9e9e"
# Okabe-Ito: distinguishable with every common colour-vision deficiency.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MEASURE_COLOUR = "#54278f"
LEGEND_ROW = 3  # a trend chart's legend entries per row
LONG_NAME = 40  # characters: a series name longer than this gets a legend row of its own


def _time_ticks(periods: pd.Series, time_format: str) -> dict[str, Any]:
    """Where a time axis has its ticks: on the first of a month (or of a year, labelled by year
    alone), every 1, 3, 6 or 12 months as the span asks, never between two periods of the data (a
    quarter's). Left to Vega, a year of months got a tick every week, labelled by its month: a
    month's name twice, each label a few days after its month's point, December's missing."""
    if time_format == "%Y":
        return {"interval": "year", "step": 1}  # not Vega's half-year ticks, each year labelled twice
    months = pd.Series(periods.dt.year * 12 + periods.dt.month).drop_duplicates().sort_values()
    gap = int(months.diff().min()) if len(months) > 1 else 1  # 3 for quarters
    span = int(months.max() - months.min()) + 1 if len(months) else 1
    step = next(step for step in (1, 3, 6, 12, 24) if span <= 13 * step or step == 24)
    return {"interval": "month", "step": max(step, gap)}


# What the trend chart's lines and tooltips use of its table.
TREND_FIELDS = ("Reeks", "Periode", "Waarde", "Definitief", "Voorlopig", "Status", "Volgorde")


def trend_chart(
    data: pd.DataFrame,
    title: str,
    y_title: str,
    value_format: str,
    lockdowns: pd.DataFrame,
    markers: pd.DataFrame,
    time_format: str = "%b %Y",
) -> alt.TopLevelMixin:
    """Lines per series over time; provisional periods dashed, lockdowns shaded, measures marked.

    data: Reeks (series label), Periode (datetime), Waarde, is_provisional. lockdowns: name,
    start, end. markers: Datum, Maatregel. Each series continues dashed from its last definitive
    value, so the line does not break where the figures become provisional."""
    order = list(dict.fromkeys(data["Reeks"]))  # the order chosen: colours and legend follow it
    frame = data.sort_values(["Reeks", "Periode"]).copy()
    provisional = frame["is_provisional"].astype(bool)
    next_is_provisional = provisional.groupby(frame["Reeks"]).shift(-1, fill_value=False).astype(bool)
    frame["Definitief"] = frame["Waarde"].where(~provisional)
    frame["Voorlopig"] = frame["Waarde"].where(provisional | next_is_provisional)
    frame["Status"] = provisional.map({True: "voorlopig", False: "definitief"})
    axis = {"format": time_format, "labelAngle": 0, "tickCount": _time_ticks(frame["Periode"], time_format)}
    # Marks and encodings as Vega-Lite mappings, as in `bullet_chart`: the same spec at half the cost.
    x = {"field": "Periode", "type": "temporal", "title": None, "axis": axis}
    # In rows (one row of six areas and categories ran off the chart); a row of up to three draws
    # as without columns, so the spec is one for one to six series of names up to LONG_NAME.
    legend: dict[str, Any] = {"title": None, "orient": "top", "columns": LEGEND_ROW}
    if max(map(len, order), default=0) > LONG_NAME:  # one per row and whole: cut, two names read alike
        legend.update(columns=1, labelLimit=0)
    # The colours and the legend follow the order chosen, from the data (a `Volgorde` per series),
    # not from a domain of names in the spec: the spec stays the same when the choice changes, so
    # the browser updates the chart in place instead of drawing it anew (50-100 ms a change).
    frame["Volgorde"] = frame["Reeks"].map({name: number for number, name in enumerate(order)})
    frame = frame[list(TREND_FIELDS)]  # the browser reads every column sent on every change: only these
    in_order = {"field": "Volgorde", "op": "min"}
    scale = {"range": SERIES_COLOURS}
    colour = {"field": "Reeks", "type": "nominal", "sort": in_order, "scale": scale, "legend": legend}
    tooltip = [
        {"field": "Reeks", "type": "nominal"},
        {"field": "Periode", "type": "temporal", "format": time_format},
        {"field": "Waarde", "type": "quantitative", "format": value_format},
        {"field": "Status", "type": "nominal"},
    ]
    # The axis without trailing zeros ("100", "12,5"; not "100,0"), the tooltip with its decimals.
    y_axis: dict[str, Any] = {"format": value_format.replace("f", "~f"), "title": y_title}
    if value_format == ",.0f":  # whole numbers: no label between them (a sparse count read 0, 0, 0, 1, 1, 1)
        y_axis.update(WHOLE_NUMBER_AXIS)
    line = {"type": "line", "strokeWidth": 2.5}
    solid = _layer(line, data=frame, x=x, y={**_q("Definitief"), "axis": y_axis}, color=colour)
    dashed_line = {"type": "line", "strokeWidth": 2.5, "strokeDash": [6, 4], "opacity": 0.8}
    dashed = _layer(dashed_line, data=frame, x=x, y=_q("Voorlopig"), color=colour)
    # Invisible hover targets for the tooltip: no ARIA description each (the lines and axes have
    # theirs), which the browser drew as a node per month and series on every change.
    hover = {"type": "point", "size": 30, "filled": True, "opacity": 0, "aria": False}
    points = _layer(hover, data=frame, x=x, y=_q("Waarde"), color=colour, tooltip=tooltip)
    layers = [solid, dashed, points]
    alone = frame[frame.groupby("Reeks")["Periode"].transform("size") == 1]
    if not alone.empty:  # a line needs two periods: one is drawn as a point
        dot = {"type": "point", "size": 80, "filled": True, "opacity": 1}
        layers.append(_layer(dot, data=alone, x=x, y=_q("Waarde"), color=colour, tooltip=tooltip))
    first, last = frame["Periode"].min(), frame["Periode"].max()
    shown = lockdowns[(pd.to_datetime(lockdowns["end"]) >= first) & (pd.to_datetime(lockdowns["start"]) <= last)]
    if not shown.empty:
        periods = shown.assign(start=pd.to_datetime(shown["start"]), end=pd.to_datetime(shown["end"]))
        shade = {"type": "rect", "color": LOCKDOWN_COLOUR, "opacity": 0.18}
        lockdown = [{"field": "name", "type": "nominal", "title": "Lockdown"}]
        start, end = {"field": "start", "type": "temporal"}, {"field": "end"}
        layers.insert(0, _layer(shade, data=periods, x=start, x2=end, tooltip=lockdown))
    if not markers.empty:
        dated = markers.assign(Datum=pd.to_datetime(markers["Datum"]))
        rule = {"type": "rule", "color": MEASURE_COLOUR, "strokeWidth": 2, "strokeDash": [2, 2]}
        marked = [
            {"field": "Datum", "type": "temporal", "format": "%B %Y"},
            {"field": "Maatregel", "type": "nominal"},
        ]
        layers.append(_layer(rule, data=dated, x={"field": "Datum", "type": "temporal"}, tooltip=marked))
    # Short lines (one long line ran past a half-width column and was cut off), each for what is drawn.
    said = [
        "Gestippeld: voorlopige cijfers." if provisional.any() else "",
        "Grijs vlak: lockdown (COVID-19)." if not shown.empty else "",
    ]
    subtitle = [" ".join(part for part in said if part)] if any(said) else []
    if not markers.empty:
        subtitle.append("Paarse lijn: maatregel in (een deel van) het gebied (zie tooltip).")
    heading = alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title)
    return dutch(alt.layer(*layers).properties(title=heading, width="container", height=380))


# What `bullet_chart` reads of a plan's assessed indicators (progress.assess_plan) ...
BULLET_INPUT = [
    "indicator_name",
    "unit",
    "year",
    "status",
    "actual",
    "margin",
    "trajectory",
    "baseline_value",
    "target_value",
]
# ... and what it draws.
BULLET_COLUMNS = [
    "Indicator",
    "Jaar",
    "status",
    "actual",
    "trajectory",
    "baseline_value",
    "target_value",
    "low",
    "high",
    "lower",
    "upper",
    "zero",
]


def _layer(mark: Any, *, data: Any = alt.Undefined, **encoding: Any) -> alt.Chart:
    """A layer of a chart (with its own `data`, if given) from its mark and encoding as Vega-Lite
    mappings. Altair takes a mapping wherever it takes a schema object (checked when the spec is
    written with validation, as the chart tests do), though its type hints name only the objects:
    hence `mark: Any`. A MarkDef object instead costs a third more (its hundred properties copied
    with the chart)."""
    return alt.Chart(data=data, mark=mark, encoding=alt.FacetedEncoding(**encoding))


def _q(field: str) -> dict[str, str]:
    """A quantitative field, as Vega-Lite has it."""
    return {"field": field, "type": "quantitative"}


def bullet_chart(assessed: pd.DataFrame, status_colours: dict[str, str]) -> alt.TopLevelMixin:
    """One bullet per indicator, each on its own scale: the actual value (bar, coloured by status,
    with its chance margin), the baseline-to-target path (grey band), where the trajectory
    expects it now (black tick) and the target (diamond). The legend names the statuses shown."""
    measured = assessed[assessed["actual"].notna()]
    ends = measured[["baseline_value", "target_value"]]
    # What the chart draws, not the plan's other columns (lists among them); built in one step,
    # not by `assign`, which copies the frame for every column.
    data = pd.DataFrame(
        {
            "Indicator": measured["indicator_name"] + " (" + measured["unit"] + ")",
            "Jaar": measured["year"].astype(int).astype(str),
            "status": measured["status"],
            "actual": measured["actual"],
            "trajectory": measured["trajectory"],
            "baseline_value": measured["baseline_value"],
            "target_value": measured["target_value"],
            "low": ends.min(axis=1),
            "high": ends.max(axis=1),
            "lower": measured["actual"] - measured["margin"],
            "upper": measured["actual"] + measured["margin"],
            "zero": 0.0,
        },
        columns=BULLET_COLUMNS,
    )
    tooltip = [
        {"field": "Indicator", "type": "nominal"},
        {"field": "Jaar", "type": "nominal", "title": "Jaar"},
        {"field": "actual", "type": "quantitative", "title": "Actueel", "format": ",.1f"},
        {"field": "trajectory", "type": "quantitative", "title": "Verwacht volgens pad", "format": ",.1f"},
        {"field": "baseline_value", "type": "quantitative", "title": "Basis", "format": ",.1f"},
        {"field": "target_value", "type": "quantitative", "title": "Doel", "format": ",.1f"},
        {"field": "status", "type": "nominal", "title": "Status"},
    ]
    shown = [status for status in status_colours if status in set(data["status"])]  # the legend's entries
    colour = {
        "field": "status",
        "type": "nominal",
        "scale": {"domain": shown, "range": [status_colours[status] for status in shown]},
        "legend": {"title": None, "orient": "top"},
    }
    # The layers as Vega-Lite has them (marks and encodings as mappings): Altair copies a chart
    # whole while it builds and writes one, and a mark or channel object copies every property it
    # could have (about 16,000 copies a chart, two thirds of its time); the spec is the same.
    band = _layer({"type": "bar", "color": "#e0e0e0", "height": 26}, x=_q("low"), x2={"field": "high"})
    bar = _layer(
        {"type": "bar", "height": 12},
        x={**_q("zero"), "title": None},
        x2={"field": "actual"},
        color=colour,
        tooltip=tooltip,
    )
    spread = _layer({"type": "rule", "color": "#333", "strokeWidth": 1.5}, x=_q("lower"), x2={"field": "upper"})
    tick = {"type": "tick", "color": "black", "thickness": 3, "size": 30}
    trajectory = _layer(tick, x=_q("trajectory"), tooltip=tooltip)
    diamond = {"type": "point", "shape": "diamond", "filled": True, "size": 140, "color": "#54278f"}
    target = _layer(diamond, x=_q("target_value"), tooltip=tooltip)
    # The layers' shared x, as Vega-Lite has it (SharedEncoding takes a mapping, not a channel).
    x = {"field": "actual", "type": "quantitative", "title": None, "axis": {"format": ",~f", "tickCount": 5}}
    # Built as the objects they end as: Altair's layer, encode, properties and facet methods each
    # copy the whole chart (two thirds of its 19 ms); the spec is the same.
    layered = alt.LayerChart(
        layer=[band, bar, spread, trajectory, target], encoding=alt.SharedEncoding(x=x), width=560, height=34
    )
    row = alt.Row(
        "Indicator:N",
        title=None,
        sort=list(data["Indicator"]),
        # Each name above its bullet: beside it, a long name pushed the chart past the page's column.
        header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelLimit=560),
    )
    independent = alt.Resolve(scale=alt.ScaleResolveMap(x="independent"))
    # With the Dutch config from the start: `dutch` would copy the chart to set it.
    facet = alt.FacetMapping(row=row)
    return alt.FacetChart(data=data, spec=layered, facet=facet, resolve=independent, config=DUTCH_CONFIG)


def measure_timeline(results: pd.DataFrame) -> alt.TopLevelMixin:
    """A bar per measure result over its period, one row per type of measure (grouped by
    priority), coloured by priority: what was done when, at a glance."""
    data = results.assign(
        Van=pd.to_datetime(results["period_start"]),
        # The bar runs to the end of the last day, so a one-month result has a visible width.
        Tot=pd.to_datetime(results["period_end"]) + pd.Timedelta(days=1),
        Soort=results["type_name"],
        Prioriteit=results["priority_name"].fillna("(geen prioriteit)"),
        Resultaat=results["label"],
        Waarde=list(map(formatting.result_value, results["value"], results["unit"], results["qualifier"])),
        Bron=results["source_title"],
    )
    type_order = list(dict.fromkeys(data["Soort"]))
    priorities = list(dict.fromkeys(data["Prioriteit"]))
    tooltip = [
        alt.Tooltip("Resultaat:N"),
        alt.Tooltip("Waarde:N"),
        alt.Tooltip("Van:T", format="%d-%m-%Y"),
        alt.Tooltip("period_end:T", title="Tot en met", format="%d-%m-%Y"),
        alt.Tooltip("Prioriteit:N"),
        alt.Tooltip("Bron:N"),
    ]
    base = alt.Chart(data).encode(
        y=alt.Y("Soort:N", title=None, sort=type_order, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color(
            "Prioriteit:N",
            sort=priorities,
            scale=alt.Scale(domain=priorities, range=SERIES_COLOURS[: len(priorities)]),
            # One priority a line: two columns of long names ran past the page's column, cut off.
            legend=alt.Legend(title=None, orient="top", direction="vertical", labelLimit=520),
        ),
        tooltip=tooltip,
    )
    x = alt.X("Van:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    bars = base.mark_bar(height=12, opacity=0.85, cornerRadius=2).encode(x=x, x2=alt.X2("Tot:T"))
    # A dot at the start, so that a one-day result (a congress, a webinar) is seen too.
    starts = base.mark_circle(size=60, opacity=1).encode(x=x)
    return dutch(alt.layer(bars, starts).properties(width="container", height=max(120, 20 * len(type_order))))


BEFORE_COLOUR = "#9e9e9e"
AFTER_COLOUR = "#0072B2"


def _month_axis(months: pd.Series) -> alt.Axis:
    """A month axis labelled at the data's months only (every 1, 3, 6 or 12 as `_time_ticks` steps):
    bars fill their month, so the axis runs to the end of the last month, and Vega labelled that
    end with the month after the period ('jan 2026' under a comparison up to December 2025)."""
    step = _time_ticks(months, "%b %Y")["step"]
    shown = sorted(pd.to_datetime(months).drop_duplicates())[::step]
    values = [alt.DateTime(year=month.year, month=month.month, date=1) for month in shown]
    return alt.Axis(format="%b %Y", labelAngle=-45, values=values)


def before_after_chart(series: pd.DataFrame, start: object, title: str) -> alt.TopLevelMixin:
    """Monthly counts before (grey) and from (blue) a measure's start, a rule at the start and the
    monthly mean of each period as a dashed line; provisional months labelled in the tooltip."""
    data = series.assign(
        Maand=pd.to_datetime(series["month_start"]),
        Aantal=series["incident_count"],
        Status=series["is_provisional"].map({True: "voorlopig", False: "definitief"}),
    )
    means = data.groupby("Periode", as_index=False).agg(
        Van=("Maand", "min"), Tot=("Maand", "max"), Gemiddeld=("Aantal", "mean")
    )
    means["Tot"] = means["Tot"] + pd.offsets.MonthBegin(1)  # to the end of the last month
    colour = alt.Color(
        "Periode:N",
        scale=alt.Scale(domain=["voor", "na"], range=[BEFORE_COLOUR, AFTER_COLOUR]),
        legend=alt.Legend(title=None, orient="top"),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(width={"band": 0.8})
        .encode(
            x=alt.X("yearmonth(Maand):T", title=None, axis=_month_axis(data["Maand"])),
            y=alt.Y("Aantal:Q", title="Aantal per maand", axis=alt.Axis(format=",d")),
            color=colour,
            opacity=alt.condition("datum.Status == 'voorlopig'", alt.value(0.5), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("Maand:T", format="%B %Y"),
                alt.Tooltip("Aantal:Q", format=",d"),
                alt.Tooltip("Status:N"),
            ],
        )
    )
    mean_lines = (
        alt.Chart(means)
        .mark_rule(strokeDash=[6, 3], strokeWidth=2.5, color="black")
        .encode(
            x=alt.X("Van:T"),
            x2=alt.X2("Tot:T"),
            y=alt.Y("Gemiddeld:Q"),
            tooltip=[alt.Tooltip("Periode:N"), alt.Tooltip("Gemiddeld:Q", title="Gemiddeld per maand", format=",.1f")],
        )
    )
    start_rule = (
        alt.Chart(pd.DataFrame({"Start": [pd.Timestamp(start)]}))
        .mark_rule(color=MEASURE_COLOUR, strokeWidth=2)
        .encode(x=alt.X("Start:T"), tooltip=[alt.Tooltip("Start:T", title="Start maatregel", format="%B %Y")])
    )
    return dutch(alt.layer(bars, mean_lines, start_rule).properties(title=title, width="container", height=300))


MARK_INK = ("#222222", "#ffffff")  # a numbered mark's number: the more readable on its fill


def _numbered_marks(marks: pd.DataFrame, labels: list[str], colours: list[str]) -> list[alt.Chart]:
    """Numbered dots on the print map. A dot covers a small area, so it is filled with that area's
    class colour (`klasse`, as the areas' scale), and its number is in the more readable of dark and
    white ink on that fill."""
    fills = dict(zip(labels, colours, strict=True))
    inked = marks.assign(ink=[_ink(fills.get(klasse, "#ffffff")) for klasse in marks["klasse"]])
    points = alt.Chart(inked).encode(longitude=alt.Longitude("lon:Q"), latitude=alt.Latitude("lat:Q"))
    circle = points.mark_circle(size=300, opacity=1, stroke="#222", strokeWidth=1.5).encode(
        fill=alt.Fill("klasse:N", scale=alt.Scale(domain=labels, range=colours), legend=None)
    )
    number = points.mark_text(fontSize=12, fontWeight="bold").encode(
        text=alt.Text("label:N"), color=alt.Color("ink:N", scale=None)
    )
    return [circle, number]


def _ink(fill: str) -> str:
    return max(MARK_INK, key=lambda ink: theme.contrast(ink, fill))


def choropleth_chart(
    features: list[dict],
    legend: list,
    title: str,
    legend_title: str,
    marks: pd.DataFrame | None = None,
    width: int = 520,
    height: int = 500,
    fit_box: tuple[float, float, float, float] | None = None,
) -> alt.TopLevelMixin:
    """A static choropleth for print (no tooltips, no basemap): each area filled with its class.

    features: GeoJSON features with `properties.name` and `properties.klasse` (the label of a
    `mapping.legend` entry), polygons wound clockwise as d3 draws them. legend: the
    `mapping.LegendEntry` list, in order; it fixes the colours, so that they match the Kaart.
    marks: optional points (`lon`, `lat`, `label` and the area's `klasse`) drawn as numbered dots in
    their class colour, e.g. the top areas.
    The projection fits all areas, or the box `fit_box` (west, south, east, north in degrees; areas
    outside it are clipped)."""
    labels = [entry.label for entry in legend]
    colours = [entry.colour for entry in legend]
    areas = (
        alt.Chart()
        .mark_geoshape(stroke="#505050", strokeWidth=0.6, clip=fit_box is not None)
        .encode(
            color=alt.Color(
                "properties.klasse:N",
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(
                    title=legend_title,
                    orient="bottom",
                    direction="vertical",
                    columns=2,
                    symbolType="square",
                    symbolSize=180,
                    symbolStrokeColor="#888",
                    symbolStrokeWidth=1,
                    titleFontSize=13,
                    labelLimit=360,
                    # A long reason for grey areas on two lines ("..., of te weinig ..."): cut off at
                    # labelLimit, it lost its second reason.
                    labelExpr="split(replace(datum.label, ', of ', ',|of '), '|')",
                    columnPadding=24,
                ),
            ),
        )
    )
    layers = [areas]
    if marks is not None and not marks.empty:
        layers += _numbered_marks(marks, labels, colours)
    fitted = alt.Undefined if fit_box is None else _corners(fit_box)
    chart = alt.layer(*layers).project(type="mercator", fit=fitted)
    chart = dutch(chart).configure_view(stroke=None).configure_title(fontSize=15, anchor="start")
    # The areas last, as the layers' shared data (the marks have their own): Altair copies a chart
    # whole at the steps that build and write it, every coordinate of every area with it. Dordrecht's
    # buurten built and written as a spec: 878 -> 617 ms, the same picture (PNG bytes compared).
    return chart.properties(title=title, width=width, height=height, data=alt.Data(values=features))


def _corners(box: tuple[float, float, float, float]) -> dict[str, Any]:
    """What the projection fits: the box's four corners. Mercator draws a box of longitudes and
    latitudes as a rectangle, so the corners fit it as the areas themselves would, without
    their coordinates: Altair checks a projection against its schema, every coordinate with it
    (Dordrecht's buurten: building the chart 350 -> 55 ms)."""
    west, south, east, north = box
    corners = [[west, south], [east, south], [east, north], [west, north]]
    return {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": corners}, "properties": {}}


# A chart that is a slide's only view, on a 1920x1080 screen: the room between the page's title
# and its caption (the large type takes its share of the chart's height from the plot).
SLIDE_HEIGHT = 600


def for_screen(chart: alt.TopLevelMixin, height: int | None = None) -> alt.TopLevelMixin:
    """The same chart for a big screen at the back of a room: large type, thick lines, black text;
    `height`: taller, for a slide that shows the chart alone."""
    if height is not None:
        chart = chart.properties(height=height)
    return (
        chart.configure_axis(labelFontSize=22, titleFontSize=22, labelColor="#000000", titleColor="#000000")
        .configure_title(fontSize=30, subtitleFontSize=20, color="#000000", anchor="start")
        .configure_legend(labelFontSize=20, titleFontSize=20, symbolSize=300, labelLimit=600)
        .configure_line(strokeWidth=5)
        .configure_point(size=160)
        .configure_text(fontSize=20)
    )
