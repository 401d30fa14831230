"""Presentaties: saved sequences of views for the council screen; start, rename, reorder, remove."""

from collections.abc import Callable

import streamlit as st

from dashboard import access, presenting, routes, selection
from dashboard.connection import query
from ivpdata import presentations, queries
from ivpdata.presentations import PresentationError
from ivpdata.safetext import markdown_literal

manages = access.manages()  # others start and watch presentations; a beheerder also changes them

st.title("Presentaties")
st.markdown(presenting.intro(manages))


def apply(change: Callable[..., object], success: str, done: str) -> None:
    """Make a change (a function of a read-write connection), recorded in the edit log as `done`
    (plain text), and say how it went (`success`, Markdown) after the rerun."""
    try:
        presenting.edit(change, done)
    except PresentationError as problem:
        st.session_state["presentaties_melding"] = ("error", markdown_literal(problem))  # it may quote a typed name
    else:
        st.session_state["presentaties_melding"] = ("success", success)
    st.rerun()


if message := st.session_state.pop("presentaties_melding", None):
    (st.error if message[0] == "error" else st.success)(message[1])  # Markdown: names in it are escaped

saved = presenting.saved()
if manages:
    with st.expander("Nieuwe presentatie", expanded=not saved):
        name = st.text_input("Naam", key="presentatie_nieuw", placeholder="Bijvoorbeeld: Raadsvergadering december")
        if st.button("Maken", key="presentatie_maken"):
            made = f"Presentatie '{name}' gemaakt."
            apply(lambda con: presentations.create(con, name), f"Presentatie '{markdown_literal(name)}' gemaakt.", made)
if not saved:
    st.info("Er zijn nog geen presentaties.")
    st.stop()

gemeenten = dict(query(queries.municipalities)[["gemeente_code", "name"]].itertuples(index=False))


def shows(presentation: presentations.Presentation) -> str:
    """The gemeenten its slides show, by name ('Enkhuizen, Dordrecht'); '' without any."""
    return ", ".join(gemeenten.get(code, code) for code in presentation.gemeente_codes)


names = {p.presentation_id: f"{p.name} ({shows(p)})" if shows(p) else p.name for p in saved}
chosen_id = st.selectbox(
    "Presentatie",
    list(names),
    format_func=lambda i: names[i],
    key="presentatie_keuze",
    placeholder="Kies een presentatie",
)
presentation = next(p for p in saved if p.presentation_id == chosen_id)
current = selection.current()
if presentation.gemeente_codes and current.gemeente_code not in presentation.gemeente_codes:  # started, it shows those
    other, here = markdown_literal(shows(presentation)), markdown_literal(current.gemeente_name)
    st.info(f"Deze presentatie toont {other}, niet {here}: zijn dia's tonen de cijfers van {other}.")

unknown = [number for number, slide in enumerate(presentation.slides, start=1) if slide.page not in routes.paths()]
if unknown:
    st.warning(f"Dia {', '.join(map(str, unknown))} toont een pagina die de app niet kent; verwijder die dia.")
elif presentation.slides:
    first = presentation.slides[0]
    st.page_link(
        routes.by_path(first.page).file,
        label="Presentatie starten",
        icon=":material/slideshow:",
        query_params={**first.params, **presenting.slide_params(chosen_id, 1)},
    )
else:
    st.info("Deze presentatie heeft nog geen dia's. Voeg weergaven toe vanaf de pagina's.")

label = presentation.name
for number, slide in enumerate(presentation.slides, start=1):
    row = st.columns([1, 8, 1, 1, 1, 1], vertical_alignment="center")
    row[0].markdown(f"**{number}**")
    if slide.page in routes.paths():
        row[1].page_link(
            routes.by_path(slide.page).file, label=markdown_literal(slide.caption), query_params=slide.params
        )
    else:  # only the app's pages are links
        row[1].markdown(markdown_literal(f"{slide.caption} (onbekende pagina: {slide.page})"))
    if manages and row[2].button("↑", key=f"dia_op_{number}", disabled=number == 1, help="Eerder"):
        moved = f"Presentatie '{label}': dia {number} eerder gezet."
        apply(lambda con, n=number: presentations.move_slide(con, chosen_id, n, -1), "Volgorde aangepast.", moved)
    last = number == len(presentation.slides)
    if manages and row[3].button("↓", key=f"dia_neer_{number}", disabled=last, help="Later"):
        moved = f"Presentatie '{label}': dia {number} later gezet."
        apply(lambda con, n=number: presentations.move_slide(con, chosen_id, n, 1), "Volgorde aangepast.", moved)
    if manages and row[4].button("✕", key=f"dia_weg_{number}", help="Dia verwijderen"):
        removed = f"Presentatie '{label}': dia {number} verwijderd."
        apply(lambda con, n=number: presentations.remove_slide(con, chosen_id, n), f"Dia {number} verwijderd.", removed)
    if slide.page in routes.paths():
        params = {**slide.params, **presenting.slide_params(chosen_id, number)}
        row[5].page_link(routes.by_path(slide.page).file, label="Toon", query_params=params)

if not manages:
    st.stop()
with st.expander("Naam wijzigen of presentatie verwijderen"):
    new_name = st.text_input("Nieuwe naam", value=presentation.name, key=f"presentatie_naam_{chosen_id}")
    if st.button("Naam opslaan", key="presentatie_hernoemen"):
        renamed = f"Presentatie '{label}' heet nu '{new_name}'."
        apply(lambda con: presentations.rename(con, chosen_id, new_name), "Naam gewijzigd.", renamed)
    sure = st.checkbox(
        f"Ja, verwijder '{markdown_literal(presentation.name)}' met al zijn dia's", key=f"presentatie_zeker_{chosen_id}"
    )
    if st.button("Presentatie verwijderen", key="presentatie_verwijderen", disabled=not sure):
        deleted = f"Presentatie '{label}' verwijderd."
        apply(
            lambda con: presentations.delete(con, chosen_id),
            f"Presentatie '{markdown_literal(label)}' verwijderd.",
            deleted,
        )
