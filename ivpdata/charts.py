"""Chart builders: data in, `alt.Chart` out. No Streamlit; tests read the Vega-Lite spec."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ivpdata import formatting

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
        months=[
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
        shortMonths=["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    ),
)  # fmt: skip
FROM_COLOUR = "#9bb7d4"  # colour-blind-safe pair (light / dark blue)
TO_COLOUR = "#1f4e79"
DISCREPANCY_MARK = "*"


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=DUTCH_LOCALE).configure_axis(labelFontSize=13, titleFontSize=13)


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
    y = alt.Y("Categorie:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("Aantal:Q", title="Aantal registraties", axis=alt.Axis(format=",d")),
            yOffset=alt.YOffset("Jaar:N", sort=years),
            color=alt.Color(
                "Jaar:N",
                scale=alt.Scale(domain=years, range=[FROM_COLOUR, TO_COLOUR]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[alt.Tooltip("Categorie:N"), alt.Tooltip("Jaar:N"), alt.Tooltip("Aantal:Q", format=",d")],
        )
    )
    text = (
        alt.Chart(labels)
        .mark_text(align="left", dx=6, fontSize=13, fontWeight="bold", color="#333")
        .encode(y=y, x="Aantal:Q", text="Label:N")
    )
    return dutch(alt.layer(bars, text).properties(title=title, width="container", height=alt.Step(16)))


def has_discrepancy(published_pct: float, computed_pct: float) -> bool:
    """True when a published whole-percent change is off by more than rounding."""
    return abs(published_pct - computed_pct) > 1.0


def published_series_chart(series: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Line of published yearly counts (e.g. CBS totals of registered crime)."""
    data = series.assign(
        Jaar=series["year"].astype(str), Aantal=series["incident_count"], Categorie=series["category_name"]
    )
    base = alt.Chart(data).encode(
        x=alt.X("Jaar:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Aantal:Q", title="Geregistreerde misdrijven", axis=alt.Axis(format=",d")),
        color=alt.Color("Categorie:N", legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("Categorie:N"), alt.Tooltip("Jaar:O"), alt.Tooltip("Aantal:Q", format=",d")],
    )
    return dutch(
        alt.layer(base.mark_line(strokeWidth=3), base.mark_point(filled=True, size=60)).properties(
            title=title, width="container", height=280
        )
    )


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
            x=alt.X("Maand:T", title=None, axis=alt.Axis(format="%Y")),
            y=alt.Y("Aantal:Q", title="Aantal per maand", axis=alt.Axis(format=",d")),
        )
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=28)
        .encode(
            x="Maand:T",
            y="Aantal:Q",
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=["definitief", "voorlopig"], range=[TO_COLOUR, "#b0b0b0"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[alt.Tooltip("Maand:T", format="%B %Y"), alt.Tooltip("Aantal:Q", format=",d"), "Status:N"],
        )
    )
    return dutch(alt.layer(line, points).properties(title=title, width="container", height=220))
