"""Kaart: where a category is worst, per wijk or buurt or as hotspots, with a trend for a clicked area."""

from dataclasses import asdict

import streamlit as st

from dashboard import connection, frame, kaart_controls, layers, map_notes, period_controls, permalinks, selection, show
from dashboard.connection import query
from dashboard.routes import Param
from ivpdata import hotspots, mapping, periods, queries
from ivpdata.config import load_settings
from ivpdata.page_models import kaart
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
settings = load_settings()
presenting = selection.presenting()
public = selection.public()

st.title(f"Kaart {markdown_literal(scope.gemeente_name)}")


LINKED = "_kaart_selectie_uit_link"  # the area a link selected in this run, and its name


def content() -> None:
    """What the map shows (category, hotspots, area groups, period) and the search: a part that
    reruns on its own (frame.part), with the map's own part inside it."""
    options = query(queries.category_options, gemeente_code=gemeente)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    chosen = kaart_controls.controls(names)
    years = query(queries.available_years, gemeente_code=gemeente)
    months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
    # A big screen shows one view, unscrolled: the map from the top at the left, its words beside it.
    beside = st.columns([3, 2]) if presenting else []
    words = beside[1] if presenting else st.container()  # the notes, caption and badge
    if public:  # whole calendar years only, from the public release (none complete: the page ends)
        with words:
            period, comparison = show.public_kaart_period(year, years)
    else:
        period, comparison = period_controls.kaart_periods(year, months, period_controls.data_span(years))
    search = connection.modelled(kaart.search, gemeente)  # every wijk and buurt
    st.session_state.pop(LINKED, None)  # a run that stopped before the map left it: no link of this run
    if permalinks.from_url("kaart_selectie", Param.SELECTIE, list(search.labels), label="Gebied"):
        linked = st.session_state["kaart_selectie"]
        st.session_state[LINKED] = (linked, search.labels[linked])
    if not presenting:
        with st.columns([3, 2])[0]:  # the search selects as a click on the map does
            period_controls.area_search(search, st.session_state.get("kaart_selectie"))
    columns = beside or st.columns([3, 2])

    def map_part() -> None:
        """The level and measure, the map, its words and its table: a part of its own, as they
        change these only."""
        codes = tuple(options.set_index("option_code").loc[chosen.option, "category_codes"])
        levels, note = show.shown_levels(codes, kaart_controls.LEVELS, options)  # public: what its release has
        level, measure = kaart_controls.display(chosen, levels, note)
        releases, rules, show_hotspots = None, None, chosen.hotspots
        if public:  # the public release's categories and level; no hexagons
            with words:
                releases, codes, level = show.public_kaart(gemeente, codes, level, options, note)
                if show_hotspots:
                    st.caption(hotspots.PUBLIC_NOTE)
            rules, show_hotspots = selection.disclosure_rules(), False
        choice = kaart.Choice(
            gemeente, names[chosen.option], codes, level, measure, period, comparison, releases, rules
        )
        view = connection.modelled(kaart.kaart, choice, settings, hexagons=show_hotspots)
        with words:
            map_notes.notes(view)
        draw_map(choice, chosen, view, show_hotspots, columns)

    frame.part(map_part)


def draw_map(
    choice: kaart.Choice, chosen: kaart_controls.Controls, view: kaart.Kaart, show_hotspots: bool, columns: list
) -> None:
    """The map with its summary, legend and the selected area's panel beside it, then its table."""
    selected = st.session_state.get("kaart_selectie")
    linked, label = st.session_state.pop(LINKED, (None, ""))
    if selected is not None and selected not in view.area_codes:  # an area of the other level
        if selected == linked:  # a link's area: say why it is not selected (the user's own level change shows it)
            permalinks.report(
                "Gebied", f"**Gebied** ‘{markdown_literal(label)}’ staat niet op de kaart per {choice.level}."
            )
        map_notes.clear_selection()  # the whole page again: the search box above shows no area either
    permalinks.to_url(Param.SELECTIE, selected)  # None: no parameter
    size = mapping.map_size(presenting)
    hexagons = (choice.codes, choice.period, chosen.resolution) if show_hotspots else None
    text_scale = mapping.SCREEN_TEXT_SCALE if presenting else 1.0
    wanted = layers.Wanted(gemeente, choice.level, size, text_scale, hexagons, chosen.groups)
    shown = layers.map_view(view, choice, wanted, selected, settings)
    map_column, side = columns
    with side if presenting else map_column:
        st.markdown(markdown_literal(view.summary))  # the map in words, read before the map
        if shown.hotspot_summary:
            st.caption(shown.hotspot_summary)
    with map_column:
        event = st.pydeck_chart(
            shown.deck,
            on_select="rerun",
            selection_mode="single-object",
            height=size[1],
            key=period_controls.deck_key(),
        )
        if (picked := mapping.picked_area(event)) and picked != selected:
            st.session_state["kaart_selectie"] = picked
            st.rerun()
        (side if presenting else st).html(shown.legend)  # on a big screen beside the map, in view
        if shown.out_of_view:
            (side if presenting else st).caption(markdown_literal(shown.out_of_view))
        st.caption(selection.ATTRIBUTION)
    with side:
        if selected:
            map_notes.area_panel(view, choice, selected, chosen.option, year)
        elif not presenting:
            st.info(kaart.CHOOSE_AREA)
    about = show.meta(**asdict(view.about))
    if presenting:
        frame.stop_page()  # one view per screen: the map; the tables are for the normal view
    st.subheader(view.table_title)
    remark = st.column_config.TextColumn(width="large")  # why a figure is '–', whole
    show.table(
        view.table, about, "kaart_tabel", mapping.TABLE_DECIMALS, view.areas.notes, column_config={"Opmerking": remark}
    )
    if shown.hotspot_table is not None:
        st.subheader("Hotspots")
        title = shown.hotspot_title
        show.table(shown.hotspot_table, about.titled(title), "kaart_hotspots_tabel", hotspots.TABLE_DECIMALS)


frame.part(content)
