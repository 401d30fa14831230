"""Presentatiemodus: the council screen. Streamlit glue; the presentations themselves are kept by
`ivpdata.presentations`.

`?weergave=presentatie` shows any page for a big screen: no sidebar or controls, large type, high
contrast. `?presentatie=<id>&dia=<n>` steps through a saved presentation: each slide is a page with
the query parameters that restore it, stepped with buttons or the arrow keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from dashboard import access, connection, permalinks, routes, selection, slide_keys
from dashboard.routes import Param
from ivpdata import presentations, queries
from ivpdata.config import data_dir, db_path
from ivpdata.presentations import Presentation, PresentationError, Slide
from ivpdata.safetext import markdown_literal

T = TypeVar("T")

# Big-screen style. Controls are hidden rather than not drawn: a widget that is not drawn loses its
# value, and the view must stay exactly as it was set up. Only the presentation's own buttons show.
_HIDDEN_CONTROLS = ", ".join(
    f"[data-testid='stMain'] [data-testid='stElementContainer']:has([data-testid='{testid}'])"
    for testid in (
        "stSelectbox",
        "stRadio",
        "stMultiSelect",
        "stCheckbox",
        "stSlider",
        "stTextInput",
        "stButton",
        "stDownloadButton",
        "stPopover",
        "stPageLink",
        "stExpander",
    )
)
PRESENTATION_CSS = f"""<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],
[data-testid='stToolbar'], [data-testid='stDecoration'], [data-testid='stExpander'] {{display: none !important;}}
{_HIDDEN_CONTROLS} {{display: none !important;}}
html {{font-size: 22px;}}
.stApp, [data-testid='stMain'] {{background: #ffffff; color: #000000;}}
[data-testid='stMain'] p, [data-testid='stMain'] li, [data-testid='stMain'] td, [data-testid='stMain'] th,
[data-testid='stCaptionContainer'] {{color: #000000 !important;}}
[data-testid='stMain'] button p {{color: inherit !important;}}  /* a button's label: its own colour */
[data-testid='stMainBlockContainer'] {{max-width: 100%; padding: 1rem 2.5rem 0 2.5rem;}}
h1 {{font-size: 2rem !important; font-weight: 700 !important;}}
h2, h3 {{font-size: 1.45rem !important; padding-top: 0.6rem !important;}}
[data-testid='stMain'] [data-testid='stCaptionContainer'] {{font-size: 0.8rem;}}
.st-key-dia_navigatie {{position: fixed; top: 0.6rem; right: 1.5rem; z-index: 1000; width: auto;
  background: #ffffff; border: 2px solid #000000; border-radius: 0.5rem; padding: 0.3rem 0.6rem;}}
[data-testid='stMain'] .st-key-dia_navigatie [data-testid='stElementContainer']:has([data-testid='stButton'])
  {{display: block !important;}}
.st-key-dia_navigatie p {{font-size: 1rem; margin: 0;}}
/* Streamlit pulls a Markdown block up by its paragraph's bottom margin, which the line above
   removes: without this the title's line stood half that margin (11 px) below the buttons'. */
.st-key-dia_navigatie [data-testid='stMarkdownContainer'] {{margin-bottom: 0 !important;}}
</style>"""


PREVIOUS_KEY, NEXT_KEY = "dia_vorige", "dia_volgende"  # the slide bar's buttons, read by start()
TITLE_WIDTH = 620  # pixels of the slide bar's title
PREVIOUS_HELP, NEXT_HELP = "Ook met de pijltoets naar links", "Ook met de pijltoets naar rechts"  # slide_keys
SHOWN_KEY = "dia_getoond"  # (presentation id, slide number) this session last showed or went to


def _requested() -> tuple[int, int] | None:
    """(presentation id, slide number) asked for in the URL, if any."""
    raw_id, raw_slide = st.query_params.get(Param.PRESENTATIE, ""), st.query_params.get(Param.DIA, "1")
    if not raw_id.isdigit():
        return None
    return int(raw_id), int(raw_slide) if raw_slide.isdigit() else 1


def slide_params(presentation_id: int, number: int) -> dict[str, str]:
    """The parameters that show slide `number` (1 = first) of a saved presentation."""
    return {Param.PRESENTATIE: str(presentation_id), Param.DIA: str(number)}


def view_params(params: dict[str, str]) -> dict[str, str]:
    """The parameters that make up a view (a slide): all but those steering a presentation."""
    return {key: value for key, value in params.items() if key not in routes.PRESENTATION_CONTROLS}


def known(presentation: Presentation) -> bool:
    """Whether every slide shows one of the app's pages (a hand-edited file may name another)."""
    return all(slide.page in routes.paths() for slide in presentation.slides)


def saved() -> list[Presentation]:
    """The saved presentations, made once per database version (the sidebar reads them on every run)."""
    inputs: dict[str, connection.Input] = {
        "presentations": (queries.presentations, {}),
        "slides": (queries.presentation_slides, {}),
    }
    return connection.derived(presentations.from_frames, inputs)


def _find(presentation_id: int) -> Presentation | None:
    return next((p for p in saved() if p.presentation_id == presentation_id), None)


def go_to(presentation: Presentation, number: int) -> None:
    """Show slide `number` (1 = first): its page with exactly its parameters."""
    slide = presentation.slides[number - 1]
    params = {**slide.params, **slide_params(presentation.presentation_id, number)}
    st.session_state[SHOWN_KEY] = (presentation.presentation_id, number)
    st.switch_page(routes.by_path(slide.page).file, query_params=params)


def _stepped_from(presentation: Presentation, named: int) -> int:
    """The slide a "Vorige" or "Volgende" press steps from: the one this session last went to. A
    quick second press can reach the server before the browser heard of the first one's slide, and
    still name (`named`) the slide before it."""
    shown = st.session_state.get(SHOWN_KEY)
    return shown[1] if shown is not None and shown[0] == presentation.presentation_id else named


def start(page: str) -> None:
    """Before the page runs: after "Vorige" or "Volgende" (clicked, or its arrow key: `slide_keys`),
    go to that slide; when the URL asks for a slide that lives on another page (a link to a
    presentation, or `dia` changed by hand), go there first."""
    requested = _requested()
    if requested is None:
        return
    presentation = _find(requested[0])
    if presentation is None or not presentation.slides or not known(presentation):
        return  # navigation_bar() says so
    number = min(max(requested[1], 1), len(presentation.slides))
    asked = st.query_params.get(Param.DIA)  # None: the first slide
    if asked is not None and not (asked.isdigit() and int(asked) == number):  # `dia=9` of five, `dia=twee`
        permalinks.report_unknown("Dia", asked)
    # An arrow key (the slide its presses lead to), or "Vorige" or "Volgende" clicked: go there
    # before the slide shown is drawn again. A clicked button's state is True for the whole run
    # that the click starts.
    buttons = {NEXT_KEY: 1, PREVIOUS_KEY: -1}
    if pressed := slide_keys.listen(presentation.presentation_id, number, len(presentation.slides), buttons):
        go_to(presentation, pressed)
    step = bool(st.session_state.get(NEXT_KEY)) - bool(st.session_state.get(PREVIOUS_KEY))
    if step:
        target = _stepped_from(presentation, number) + step
        go_to(presentation, min(max(target, 1), len(presentation.slides)))
    if presentation.slides[number - 1].page != page or asked != str(number):  # the address says the slide shown
        go_to(presentation, number)
    st.session_state[SHOWN_KEY] = (presentation.presentation_id, number)  # e.g. the browser's back button


def apply_style() -> None:
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def navigation_bar() -> None:
    """Previous / next (buttons; `start` acts on them and on the arrow keys) and a way out, in a small
    box at the top right."""
    wanted, slide = _requested() or (None, 1)
    presentation = _find(wanted) if wanted is not None else None
    with st.container(key="dia_navigatie", horizontal=True, vertical_alignment="center", width="content"):
        if wanted is not None and (presentation is None or not presentation.slides):
            st.markdown(f"Presentatie {wanted} bestaat niet of heeft geen dia's.")
        elif presentation is not None and not known(presentation):
            st.markdown(f"Presentatie {wanted} toont een pagina die de app niet kent.")
        elif presentation is not None:
            number = min(max(slide, 1), len(presentation.slides))
            st.button("◀ Vorige", key=PREVIOUS_KEY, disabled=number == 1, help=PREVIOUS_HELP)
            # The slide's own title: two slides can show the same page.
            titled = presentation.slides[number - 1].caption or presentation.name
            # Of one width on every slide: the bar sits at the right, so a title's length moved the
            # buttons (a presenter clicking the same spot missed "Vorige"); a longer title wraps.
            counter = f"**{number} / {len(presentation.slides)}** · {markdown_literal(titled)}"
            st.markdown(counter, width=TITLE_WIDTH, text_alignment="center")
            last = number == len(presentation.slides)
            st.button("Volgende ▶", key=NEXT_KEY, disabled=last, type="primary", help=NEXT_HELP)
        if st.button("Stoppen", key="dia_stoppen", shortcut="Esc", help="Terug naar de gewone weergave (Esc)"):
            for param in routes.PRESENTATION_CONTROLS:
                if param in st.query_params:
                    del st.query_params[param]
            st.rerun()


LOCAL_EDITOR = "lokaal, zonder inlog"


def edit(change: Callable[..., T], what: str) -> T:
    """Apply a change to the saved presentations (database and data/presentaties.yaml), recorded
    with who made it and `what` it was. Only a `beheerder` may (connection.writing checks)."""
    with connection.writing():
        by = access.recorded_name() or LOCAL_EDITOR
        return presentations.change(db_path(), data_dir(), change, by=by, what=what)


def sidebar_controls(page: str, page_title: str) -> None:
    """In the normal view: switch to presentatiemodus, and add this view to a presentation."""
    sidebar = st.sidebar
    if sidebar.button("Presentatiemodus", icon=":material/slideshow:", key="presentatiemodus_aan"):
        st.query_params[Param.WEERGAVE] = routes.PRESENTATIEMODUS
        st.rerun()
    if not access.manages():  # saved presentations are changed by a beheerder only
        return
    with sidebar.popover("Voeg toe aan presentatie", icon=":material/playlist_add:", width="stretch"):
        existing = {p.presentation_id: p.name for p in saved()}
        new = 0
        chosen = st.selectbox(
            "Presentatie",
            [*existing, new],
            format_func=lambda i: existing.get(i, "Nieuwe presentatie…"),
            key="dia_presentatie",
            placeholder="Kies een presentatie",
        )
        name = st.text_input("Naam van de nieuwe presentatie", key="dia_nieuwe_naam") if chosen == new else ""
        scope = selection.current()
        caption = st.text_input(
            "Titel van de dia", value=f"{page_title} {scope.gemeente_name} {scope.year}", key="dia_titel"
        )
        if st.button("Toevoegen", key="dia_toevoegen", type="primary"):
            slide = Slide(page, view_params(st.query_params.to_dict()), caption)
            target = name if chosen == new else existing[chosen]
            try:
                position = edit(
                    lambda con: presentations.add_slide(
                        con, presentations.create(con, name) if chosen == new else chosen, slide
                    ),
                    f"Dia '{caption}' toegevoegd aan presentatie '{target}'",
                )
            except PresentationError as problem:
                st.error(markdown_literal(problem))  # it may quote the typed name
            else:
                st.success(f"Toegevoegd als dia {position}.")


def intro(manages: bool) -> str:
    """The Presentaties page's opening lines (Markdown): how a view is added only for a beheerder,
    who has the sidebar's "Voeg toe aan presentatie"."""
    adding = (
        "Voeg een weergave toe vanaf elke pagina met **Voeg toe aan presentatie** in de zijbalk. " if manages else ""
    )
    return (
        "Een presentatie is een reeks weergaven (dia's) voor het grote scherm: zonder zijbalk en knoppen, met grote "
        f"letters. {adding}Tijdens de presentatie bladert u met de pijltjestoetsen of de knoppen rechtsboven; "
        "**Esc** stopt."
    )
