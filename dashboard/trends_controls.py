"""Streamlit glue: the Trends page's choices (areas, categories, per, measure, 12 months, index
year and the months in view), each kept in the URL, as the page model's Choice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import period_controls, permalinks
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import periods, trends
from ivpdata.page_models import trends as model

NO_AREA = "Kies bij **Gebieden** een of meer gebieden: dan volgen de grafiek en de tabellen."
NO_CATEGORY = "Kies bij **Wat** een of meer categorieën: dan volgt de grafiek."


def areas(menu: model.Menu) -> tuple[list[str], Any]:
    """The areas (the chart's lines and the CompStat's tables), at the left of the first row; and
    the place at its right, for `chart_choices`."""
    top = st.columns([3, 3])
    names = menu.area_names
    targets = bound(
        top[0].multiselect,
        Param.GEBIED,
        "Gebieden",
        list(names),
        key="trends_gebieden",
        default=[menu.gemeente_code],
        format_func=names.get,
        max_selections=6,
        placeholder="Kies gebieden",
    )
    return targets, top[1]  # none chosen ("Clear all"): none, as the box shows


def categories(menu: model.Menu, place: Any) -> list[str]:
    """The chart's categories: 'Wat', in `place` (beside the areas)."""
    option_names = menu.option_names
    return bound(
        place.multiselect,
        Param.WAT,
        "Wat",
        list(option_names),
        key="trends_wat",
        default=[menu.first_option],
        format_func=option_names.get,
        max_selections=4,
        placeholder="Kies categorieën",
    )


def view_choices(menu: model.Menu, public: bool) -> model.View:
    """How the chart shows its categories: a row of per, measure, 12 months and index year, and
    the period below them; a public view offers whole calendar years only, and says so."""
    row = st.columns([2, 2, 2, 2])
    frequency = bound(  # a public view shows whole calendar years only, and says so
        row[0].radio,
        Param.PER,
        "Per",
        ["year"] if public else list(trends.FREQUENCIES),
        format_func=trends.FREQUENCIES.get,
        key="trends_per",
        disabled=public,
        help=model.PUBLIC_YEARS_NOTE if public else None,
    )
    measure = bound(
        row[1].radio, Param.MAAT, "Maat", list(trends.MEASURES), format_func=trends.MEASURES.get, key="trends_maat"
    )
    rolling = not public and bound(
        row[2].toggle,
        Param.TWAALF_MAANDEN,
        "Voortschrijdend 12 maanden",
        key="trends_12m",
        disabled=frequency != "month",
    )
    if public:  # no 12-month toggle, so no 12-month parameter in the address or a shared link either
        permalinks.to_url(Param.TWAALF_MAANDEN, None)
    frequency, rolling, note = model.public_frequency(public, frequency, rolling)
    if note:
        st.caption(note)
    base_year = (
        bound(
            row[3].selectbox,
            Param.INDEX,
            "Index (basisjaar = 100)",
            [0, *menu.years],
            format_func=model.year_text,
            to_text=model.year_text,
            key="trends_index",
        )
        or None
    )

    # The months in view: presets and a slider, in the URL (?maanden=2024-01..2025-12) only when not all
    # of them, as "Wat valt op" links. A public view keeps the slider alone: its figures are calendar years.
    months = menu.months
    window = period_controls.chosen_period(
        period_controls.PeriodChoice(
            "trends_periode",
            Param.MAANDEN,
            months,
            periods.Span(months[0], months[-1]),
            (months[0], months[-1]),
            periods.month_short,  # "mrt 2025", as the other period sliders
            default_in_url=False,
            presets=not public,
        )
    )
    return model.View(frequency, measure, rolling, base_year, window)
