"""Bronnen en cijfers: every published figure with where it was published, and the sources."""

import streamlit as st

from dashboard import frame, selection, show
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import formatting, queries, sources_view
from ivpdata.safetext import markdown_literal

SLIDE_TABLE_HEIGHT, SLIDE_ROW_HEIGHT = 720, 48  # pixels: below the title and caption on a 1080-pixel screen


def slide_height(rows: int) -> int:
    """The table's height on a slide: its rows and header, at most SLIDE_TABLE_HEIGHT."""
    return min(SLIDE_TABLE_HEIGHT, (rows + 1) * SLIDE_ROW_HEIGHT + 3)


scope = selection.current()
st.title("Bronnen en cijfers")
st.markdown(
    "Alle cijfers die in de plandocumenten en in de opgenomen CBS-tabellen zijn gepubliceerd, "
    f"precies zoals gepubliceerd, met de plek waar ze staan. Gemeente: **{markdown_literal(scope.gemeente_name)}**."
)

figures = query(queries.published_figures, gemeente_code=scope.gemeente_code)
table = sources_view.figures_table(figures)
documents = sorted(table["Bron"].unique())
ids = dict(zip(figures["source_title"], figures["source_id"], strict=True))  # the URL shows source ids
chosen = bound(
    st.multiselect,
    Param.BRON,
    "Bron",
    documents,
    default=documents,
    placeholder="Kies een of meer bronnen",
    key="bronnen_bron",
    to_text=lambda title: ids[title],
)
shown = table[table["Bron"].isin(chosen)]
st.caption(f"{len(shown)} van {len(table)} gepubliceerde cijfers")
slide = selection.presenting()
st.dataframe(
    shown,
    alt="Gepubliceerde cijfers",
    hide_index=True,
    width="stretch",
    height=slide_height(len(shown)) if slide else "auto",  # down the screen, no empty rows below
    column_order=sources_view.SLIDE_COLUMNS if slide else None,
    row_height=SLIDE_ROW_HEIGHT if slide else None,
    placeholder=formatting.MISSING,
    column_config={"Cijfer": st.column_config.TextColumn(width="medium")},  # 'circa 140.000 personen' whole
)
if slide:
    frame.stop_page()  # one view per screen: the published figures; sources and method are for reading
about = show.meta("Gepubliceerde cijfers", "zoals gepubliceerd", demo=False, source="; ".join(chosen))
show.export_menu(about, "bronnen_cijfers", data=shown)

st.subheader("Bronnen")
st.caption(f"De bronnen van de cijfers, gebieden en plannen van {markdown_literal(scope.gemeente_name)}.")
sources = sources_view.sources_table(query(queries.gemeente_sources, gemeente_code=scope.gemeente_code))
about = show.meta("Bronnen", "zoals vastgelegd", demo=False, source="Veiligheidsbeeld")
show.table(sources, about, "bronnen_bronnen", static=True)  # wraps: each Toelichting whole
st.subheader("Demodata")
st.markdown(sources_view.DEMO_METHOD)
