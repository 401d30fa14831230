"""Kaart: where a category is worst, per wijk or buurt or as hotspots, with a trend for a clicked area."""

from dataclasses import asdict

import streamlit as st

from dashboard import (
    connection,
    frame,
    kaart_controls,
    layers,
    links,
    map_notes,
    period_controls,
    permalinks,
    selection,
    show,
)
from dashboard.connection import query
from dashboard.routes import Param
from ivpdata import charts, hotspots, mapping, periods, queries
from ivpdata.config import load_settings
from ivpdata.page_models import kaart
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
settings = load_settings()

st.title(f"Kaart {markdown_literal(scope.gemeente_name)}")


def content() -> None:
    """The map, its controls, words and table: a part that reruns on its own (frame.part)."""
    options = query(queries.category_options, gemeente_code=gemeente)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    chosen = kaart_controls.controls(names)
    option, level, measure, show_hotspots = chosen.option, chosen.level, chosen.measure, chosen.hotspots
    years = query(queries.available_years, gemeente_code=gemeente)
    months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
    codes = tuple(options.set_index("option_code").loc[option, "category_codes"])
    presenting = selection.presenting()
    # A big screen shows one view, unscrolled: the map from the top at the left, its words beside it.
    beside = st.columns([3, 2]) if presenting else []
    words = beside[1] if presenting else st.container()  # the notes, caption and badge
    public, releases, rules = selection.public(), None, None
    if public:  # whole calendar years only, from the public release; no hexagons
        with words:
            period, comparison, releases, codes, level = show.public_kaart(gemeente, year, years, codes, level, options)
            if show_hotspots:
                st.caption(hotspots.PUBLIC_NOTE)
        rules = selection.disclosure_rules()
        show_hotspots = False
    else:
        period, comparison = period_controls.kaart_periods(year, months, period_controls.data_span(years))
    choice = kaart.Choice(gemeente, names[option], codes, level, measure, period, comparison, releases, rules)
    view = connection.modelled(kaart.kaart, choice, settings, hexagons=show_hotspots)

    permalinks.from_url("kaart_selectie", Param.SELECTIE, view.area_codes)
    permalinks.to_url(Param.SELECTIE, selected := st.session_state.get("kaart_selectie"))  # None: no parameter
    size = mapping.map_size(presenting)
    wanted = layers.Wanted(
        gemeente,
        level,
        size,
        mapping.SCREEN_TEXT_SCALE if presenting else 1.0,
        (codes, period, chosen.resolution) if show_hotspots else None,
        chosen.groups,
    )
    shown = layers.map_view(view, choice, wanted, selected, settings)

    with words:
        map_notes.notes(view)
    if not presenting:
        with st.columns([3, 2])[0]:  # the search selects as a click on the map does
            period_controls.area_search(connection.modelled(kaart.search, gemeente), selected)
    map_column, side = beside or st.columns([3, 2])
    with side if presenting else map_column:
        st.markdown(markdown_literal(view.summary))  # the map in words, read before the map
        if shown.hotspot_summary:
            st.caption(shown.hotspot_summary)
    with map_column:
        # "Selectie wissen" gives the map a new key: that also drops the click kept in its state.
        wissingen = st.session_state.get("kaart_wissingen", 0)
        event = st.pydeck_chart(
            shown.deck, on_select="rerun", selection_mode="single-object", height=size[1], key=f"kaart_deck_{wissingen}"
        )
        if (picked := mapping.picked_area(event)) and picked != selected:
            st.session_state["kaart_selectie"] = picked
            st.rerun()
        (side if presenting else st).html(shown.legend)  # on a big screen beside the map, in view
        st.caption(selection.ATTRIBUTION)
    with side:
        if selected:
            area = kaart.panel(query, view, choice, selected)
            st.subheader(area.title)
            st.markdown(area.text)
            context = links.case_context(gemeente, year, public, selection.presentatiemodus())
            period_controls.area_links(*links.area_links(selected, option, measure, period, context, yearly=public))
            about = show.meta(**asdict(area.about))
            if area.series is None:  # public: the release's calendar years, not months
                yearly, yearly_notes = show.public_years(releases or {}, level, selected, codes)
                show.table(yearly, about, "kaart_jaren", notes=yearly_notes)
            else:
                show.chart(
                    about, "kaart_trend", charts.area_trend_chart, area.series, area.chart_title, data=area.series
                )
            if st.button("Selectie wissen", key="kaart_wis"):
                del st.session_state["kaart_selectie"]
                st.session_state["kaart_wissingen"] = wissingen + 1
                st.rerun()
        elif not presenting:
            st.info(kaart.CHOOSE_AREA)

    about = show.meta(**asdict(view.about))
    if presenting:
        frame.stop_page()  # one view per screen: the map; the tables are for the normal view
    st.subheader(view.table_title)
    show.table(view.table, about, "kaart_tabel", mapping.TABLE_DECIMALS, view.areas.notes)
    if shown.hotspot_table is not None:
        st.subheader("Hotspots")
        show.table(
            shown.hotspot_table, about.titled(shown.hotspot_title), "kaart_hotspots_tabel", hotspots.TABLE_DECIMALS
        )


frame.part(content)
