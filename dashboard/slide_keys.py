"""Stepping through a saved presentation: a component that sends, per arrow press or click on
"Vorige" / "Volgende", the slide to go to.

Buttons (with a keyboard shortcut) lost steps: two presses of one button that reach the server
before it runs are one press to Streamlit. The component counts the steps in the browser and sends
the slide they lead to (slide_keys.js); `presenting.start` goes there before the page is drawn. The
buttons still step on their own where no script runs (AppTest).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

KEY = "dia_toetsen"
_APPLIED = "dia_toets_gedaan"  # the last slide a press led to (the browser counts on from the server's slide after it)

_mount = st.components.v2.component(
    "veiligheidsbeeld_dia_toetsen", js=Path(__file__).with_name("slide_keys.js").read_text(encoding="utf-8")
)


def listen(presentation_id: int, number: int, last: int, buttons: dict[str, int]) -> int | None:
    """Listen to the arrow keys (and Page Up/Down) and the slide buttons (their keys, with the
    step each makes) on slide `number` of `last`; the slide the steps since the last run lead to,
    if any. Mounted in the sidebar: presentatiemodus hides it, and the keys are heard anywhere on
    the page."""
    data = {
        "presentation": presentation_id,
        "number": number,
        "last": last,
        "buttons": buttons,
        "applied": st.session_state.get(_APPLIED),
    }
    with st.sidebar:
        pressed = _mount(key=KEY, data=data, width="content", height="content", on_dia_change=lambda: None).dia
    if isinstance(pressed, int) and not isinstance(pressed, bool):
        st.session_state[_APPLIED] = pressed
        return min(max(pressed, 1), last)
    return None
