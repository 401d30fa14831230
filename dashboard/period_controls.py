"""Streamlit glue: the Kaart's controls that are more than a bound widget: its period and the
period it is compared with, the search for a wijk or buurt by name (`area_search`) and the links
from a selected area to its Wijkprofiel and Trends (`area_links`).

The comparison is either derived from the period (the same months a year earlier, computed anew
in every run from the period that run has) or chosen by hand on its own slider. It is never a
widget whose value the server sets to follow the period: a browser that sends an older value of
such a widget while a fast series of key presses is still running would win, and the map would
compare Jan-Jun with Jan-Nov.

Every page's period (`chosen_period`): the presets (laatste 12 maanden, dit jaar tot nu, vorig jaar,
eigen keuze) above the month slider. The two follow each other without the server ever setting a
value of a widget the browser shows: a chosen preset gives the slider a new key (a new widget that
starts at the preset's months) and a moved slider gives the presets a new key (starting at the
preset the months equal, else "eigen keuze"). A browser's older value then belongs to a widget
that is gone and is ignored (as the map's key after "Selectie wissen").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import permalinks, routes
from dashboard.routes import Param
from ivpdata import clock, periods, trends
from ivpdata.page_models.kaart import Search

BY_HAND_KEY = "kaart_vergelijking_zelf"


def data_span(available_years: pd.DataFrame) -> periods.Span:
    """The first and the latest month with data (queries.available_years): what presets are formed from."""
    months = trends.view_months(available_years)
    return periods.Span(months[0], months[-1])


@dataclass(frozen=True)
class PeriodChoice:
    """One page's period control: the slider's key (`<key>_keuze` the presets') and URL parameter,
    its months, the months with data and the period the page opens on."""

    key: str
    param: str  # the months in the URL: ?periode=2025-01..2025-06 (Kaart, Rapportage), ?maanden= (Trends)
    months: list[dt.date]
    span: periods.Span
    default: periods.Period
    format_func: Callable[[dt.date], str] = periods.month_short
    default_in_url: bool = True  # False: the default period is no parameter (Trends: all months)
    presets: bool = True  # False: the slider alone (a public view of whole calendar years)

    @property
    def presets_key(self) -> str:
        return f"{self.key}_keuze"


def _current(base: str) -> str:
    """The key of the widget in place now for `base`: `base`, then `base_1`, `base_2`, ... once renewed."""
    generation = st.session_state.get(f"{base}_generatie", 0)
    return base if generation == 0 else f"{base}_{generation}"


def _renew(base: str, start: Any) -> None:
    """Put a new widget in place of `base`'s current one (a new key), starting at `start`."""
    st.session_state[f"{base}_generatie"] = st.session_state.get(f"{base}_generatie", 0) + 1
    st.session_state[f"{base}_begin"] = start


def _slider_start(choice: PeriodChoice) -> periods.Period:
    start = st.session_state.get(f"{choice.key}_begin", choice.default)
    return tuple(start) if all(month in choice.months for month in start) else choice.default


def _slider_value(choice: PeriodChoice) -> periods.Period:
    return tuple(st.session_state.get(_current(choice.key), _slider_start(choice)))


def _preset_value(choice: PeriodChoice) -> str:
    """The preset shown: the presets' value, or (a new widget) the one the slider's months equal."""
    preferred = st.session_state.get(f"{choice.presets_key}_begin")
    derived = periods.preset_of(_slider_value(choice), choice.span, preferred)
    return str(st.session_state.get(_current(choice.presets_key), derived))


def _preset_chosen(choice: PeriodChoice, key: str) -> None:
    """A preset chosen: a new slider that starts at its months ("eigen keuze" keeps the slider)."""
    if key != _current(choice.presets_key):  # a widget already replaced: its value is an older one
        return
    chosen = periods.preset_period(st.session_state[key], choice.span)
    if chosen and chosen != _slider_value(choice):
        _renew(choice.key, chosen)


def _slider_moved(choice: PeriodChoice, key: str) -> None:
    """The slider moved: new presets that show the preset its months equal, else "eigen keuze"."""
    if key != _current(choice.key):  # a widget already replaced: its value is an older one
        return
    shown = _preset_value(choice)
    named = periods.preset_of(tuple(st.session_state[key]), choice.span, shown)
    if named != shown:
        _renew(choice.presets_key, named)


def _follow_link(choice: PeriodChoice, offered: list[str]) -> None:
    """A link's months (?periode=, ?maanden=) and preset (?periodekeuze=). Months win: the link
    opens as that range, and the presets show the preset it equals (the link's own, if it does)."""
    slider, link_key = _current(choice.key), f"{choice.key}_link"
    had_value = slider in st.session_state
    preset = (
        st.session_state.pop(link_key, None) if permalinks.from_url(link_key, Param.PERIODE_KEUZE, offered) else None
    )
    if permalinks.from_url(slider, choice.param, choice.months, "range", label="Periode"):
        named = periods.preset_of(tuple(st.session_state[slider]), choice.span, preset)
        _renew(choice.presets_key, periods.EIGEN_KEUZE if preset == periods.EIGEN_KEUZE else named)
    elif had_value and slider not in st.session_state:  # its months are none of these: the default, shown
        _renew(choice.key, choice.default)
        _renew(choice.presets_key, periods.preset_of(choice.default, choice.span))
    elif preset:
        if months := periods.preset_period(preset, choice.span):
            _renew(choice.key, months)
        _renew(choice.presets_key, preset)
    if choice.presets and _preset_value(choice) not in offered:  # one this gemeente's months cannot form
        _renew(choice.presets_key, periods.preset_of(_slider_value(choice), choice.span))


def _preset_caption(preset: str, span: periods.Span) -> str:
    period = periods.preset_period(preset, span)
    return periods.label(period) if period else "zelf de maanden kiezen"


def chosen_period(choice: PeriodChoice, presets_area: AbstractContextManager[Any] | None = None) -> periods.Period:
    """The presets ("Periode", in `presets_area` when given) above the month slider, both in the
    URL; returns the period. Offers only the presets the months with data can form."""
    offered = periods.offered_presets(choice.span) if choice.presets else [periods.EIGEN_KEUZE]
    _follow_link(choice, offered)
    if not choice.presets:
        return _month_slider(choice)
    preset, key = _preset_value(choice), _current(choice.presets_key)
    with presets_area if presets_area is not None else contextlib.nullcontext():
        st.radio(
            "Periode",
            offered,
            index=offered.index(preset),
            format_func=functools.partial(periods.preset_label, span=choice.span, today=clock.today()),
            captions=[_preset_caption(option, choice.span) for option in offered],
            horizontal=True,
            key=key,
            on_change=_preset_chosen,
            args=(choice, key),
        )
    return _month_slider(choice)


def _month_slider(choice: PeriodChoice) -> periods.Period:
    """The month slider (a new key after a chosen preset) and its months in the URL; the preset too
    where the months alone would open another one (so a link needs no parameter more than that)."""
    key = _current(choice.key)
    chosen = st.select_slider(
        "Maanden" if choice.presets else "Periode",  # beside the presets ("Periode"): no two controls of one name
        choice.months,
        value=_slider_start(choice),  # a range; a new key starts here, else the browser's value stands
        format_func=choice.format_func,
        key=key,
        on_change=_slider_moved,
        args=(choice, key),
    )
    period: periods.Period = (chosen[0], chosen[1])
    shown = _preset_value(choice) if choice.presets else periods.preset_of(period, choice.span)
    named = periods.preset_of(period, choice.span)  # what a link with these months opens on
    permalinks.to_url(Param.PERIODE_KEUZE, shown if shown != named else None)  # December: "dit jaar tot nu"
    permalinks.to_url(choice.param, period if choice.default_in_url or period != choice.default else None)
    return period


def _comparison_from_link(key: str, months: list[dt.date], earlier: periods.Period) -> None:
    """A link's comparison (?vergelijking=...): chosen by hand unless it is the year-earlier default."""
    if permalinks.from_url(key, Param.VERGELIJKING, months, "range", label="Vergelijken met"):
        st.session_state[BY_HAND_KEY] = tuple(st.session_state[key]) != earlier


def kaart_periods(year: int, months: list[dt.date], span: periods.Span) -> tuple[periods.Period, periods.Period | None]:
    """The Kaart's period (presets in view, the month slider in an expander) and comparison (in
    the expander too; all in the URL). Unless the user (or a link) chose the comparison by hand, it
    is the period's months a year earlier, for a preset as for months chosen on the slider."""
    choice = PeriodChoice(f"kaart_periode_{year}", Param.PERIODE, months, span, periods.calendar_year(year))
    presets = st.container()
    with st.expander("Periodes", expanded=False):
        period = chosen_period(choice, presets)
        earlier, key = periods.year_earlier(period, months[0]), f"kaart_vergelijking_{year}"
        _comparison_from_link(key, months, earlier or period)
        by_hand = st.toggle(
            "Zelf een vergelijkingsperiode kiezen",
            key=BY_HAND_KEY,
            help="Uit: dezelfde maanden een jaar eerder; die schuiven mee met de periode.",
        )
        comparison: periods.Period | None
        if by_hand:  # the value says it is a range; it is the start until a user (or a link) moves it
            comparison = st.select_slider(
                "Vergelijken met", months, value=earlier or period, format_func=periods.month_short, key=key
            )
        else:
            st.session_state.pop(key, None)  # switched on later, the slider starts at the year earlier
            comparison = earlier
            if earlier:
                st.caption(f"Vergeleken met {periods.label(earlier)}: dezelfde maanden een jaar eerder.")
    permalinks.to_url(Param.VERGELIJKING, comparison)
    return period, comparison


SEARCH_KEY = "kaart_zoek"
DECK_KEY, FORGOTTEN_KEY = "kaart_deck", "kaart_wissingen"  # the map's key: its name and a count


def deck_key() -> str:
    """The Kaart map's widget key."""
    return f"{DECK_KEY}_{st.session_state.get(FORGOTTEN_KEY, 0)}"


def forget_map_click() -> None:
    """A new key for the map: that drops the click kept in its state, which would otherwise
    select its area again on the next run."""
    st.session_state[FORGOTTEN_KEY] = st.session_state.get(FORGOTTEN_KEY, 0) + 1


def _found(search: Search) -> None:
    """The search chose an area: select it on the map, at its level (the map's own last click
    forgotten)."""
    if code := st.session_state.get(SEARCH_KEY):
        st.session_state["kaart_selectie"] = code
        st.session_state["kaart_niveau"] = search.levels[code]
        forget_map_click()


def area_search(search: Search, selected: str | None) -> None:
    """A search box for every wijk and buurt by name (type to filter, arrow keys and Enter), that
    shows the selected area (nothing chosen: its placeholder) and selects the area chosen in it."""
    st.session_state[SEARCH_KEY] = selected if selected in search.labels else None
    st.selectbox(
        "Gebied zoeken",
        list(search.labels),
        index=None,
        format_func=search.labels.__getitem__,
        placeholder="Zoek een wijk of buurt",
        key=SEARCH_KEY,
        on_change=_found,
        args=(search,),
    )


def area_links(profile: dict[str, str], trend: dict[str, str]) -> None:
    """One click from the selected area to its Wijkprofiel and its Trends (`links.area_links`)."""
    to_profile, to_trends = st.columns(2)
    to_profile.page_link(
        routes.WIJKPROFIEL.file, label="Wijkprofiel", icon=":material/location_city:", query_params=profile
    )
    to_trends.page_link(routes.TRENDS.file, label="Trends", icon=":material/show_chart:", query_params=trend)
