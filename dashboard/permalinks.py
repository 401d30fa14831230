"""Streamlit glue: the view in the URL (permalinks).

Every control that shapes a view keeps its value in a query parameter, so that a link is the
view: opened anew it restores the page exactly. `bound` draws such a control; `from_url` /
`to_url` serve a value that is no widget (the Kaart's clicked area). app.py calls
`start_url(page)` before the sidebar, `start_part(name, alone)` before a page's part (a fragment that
reruns on its own) and `share_link()` after the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ivpdata.safetext import markdown_literal

MANY_SEPARATOR, RANGE_SEPARATOR = ",", ".."  # multiselect: a,b; select_slider range: 2025-01..2025-12
_INVALID = object()


def url_text(value: Any) -> str:
    """One value as the URL shows it: `ja`/`nee`, a month as `2025-01`, nothing as ``, else `str`."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return value.isoformat()[:7] if value.day == 1 else value.isoformat()
    return "" if value is None else str(value)


Texts = tuple[dict[str, Any], dict[str, Any]]  # options by their text, and by it in lower case


def _by_text(options: list[Any], to_text: Callable[[Any], str]) -> Texts:
    """Each option by its text in the URL, and by that text in lower case where no other option's
    text reads alike in lower case (a code typed by hand: gm0388, wk050507)."""
    exact = {to_text(option): option for option in options}
    folded: dict[str, list[Any]] = {}
    for text, option in exact.items():
        folded.setdefault(text.casefold(), []).append(option)
    return exact, {text: found[0] for text, found in folded.items() if len(found) == 1}


def _find(by_text: Texts, text: str) -> Any:
    """The option `text` names (as written, else in lower case), or _INVALID."""
    exact, folded = by_text
    return exact[text] if text in exact else folded.get(text.casefold(), _INVALID)


def _decode(raw: str, options: list[Any], kind: str, to_text: Callable[[Any], str], most: int | None) -> Any:
    """The value `raw` stands for, or _INVALID: texts are matched against the options' own texts."""
    by_text = _by_text(options, to_text)
    if kind == "many":
        found = [_find(by_text, text) for text in raw.split(MANY_SEPARATOR)]
        values = list(dict.fromkeys(value for value in found if value is not _INVALID))[:most]
        return values if values or raw == "" else _INVALID
    if kind == "range":
        ends = [_find(by_text, end) for end in raw.split(RANGE_SEPARATOR)]
        if len(ends) != 2 or any(end is _INVALID for end in ends):
            return _INVALID
        first, last = ends
        return (first, last) if options.index(first) <= options.index(last) else _INVALID
    return _find(by_text, raw)


def _unknown(raw: str, options: list[Any], kind: str, to_text: Callable[[Any], str]) -> list[str]:
    """The texts of `raw` that are no option (of a list, those left out; of a range, the whole)."""
    if kind != "many":
        return [raw]
    by_text = _by_text(options, to_text)
    texts = dict.fromkeys(raw.split(MANY_SEPARATOR))
    return [text for text in texts if text and _find(by_text, text) is _INVALID]


def _report_unknown(label: str, unknown: list[str]) -> None:
    """Remember a link's value that matches no option, to say so at the end of the run
    (`tidy_url`): a link opened on a default without a word reads as the view asked for."""
    if not unknown:
        return
    shown = ", ".join(f"‘{markdown_literal(_shortened(text))}’" for text in unknown[:3])
    shown += f" en nog {len(unknown) - 3}" if len(unknown) > 3 else ""
    exist = "bestaat" if len(unknown) == 1 else "bestaan"  # short: a longer toast hides behind "view more"
    report(label, f"**{markdown_literal(label)}** {shown} uit de link {exist} hier niet.")


def report_unknown(label: str, raw: str) -> None:
    """A link's value that a page replaced without a control of its own (a slide number): said at
    the end of the run, as a control's unknown value is."""
    _report_unknown(label, [raw])


def report(label: str, notice: str) -> None:
    """Say `notice` (Markdown) on a link's value about `label` once, at the end of the run (or of
    the run after an `st.rerun`), as a toast."""
    st.session_state.setdefault("_url_unknown", {})[label] = notice


def _shortened(text: str, most: int = 24) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _valid(value: Any, options: list[Any], kind: str) -> bool:
    if kind == "one":
        return value in options
    if not isinstance(value, list | tuple) or (kind == "range" and len(value) != 2):
        return False
    return all(v in options for v in value)


def from_url(
    key: str,
    param: str,
    options: list[Any],
    kind: str = "one",
    to_text: Callable[[Any], str] = url_text,
    most: int | None = None,
    label: str | None = None,
) -> bool:
    """Before a widget is drawn: apply a value that arrived in the URL (a shared link, a link from
    another page) to the widget's state `key`. A value is applied once; later the widget rules and
    `to_url` writes it back. `kind` is "one", "many" (a list) or "range" (a pair); a value that
    matches no option is ignored, so the widget keeps its value or default, and with a `label`
    (the control's name on screen) the run ends with a notice naming it. True if applied."""
    seen = st.session_state.setdefault("_url_seen", {})
    raw = st.query_params.get(param)
    applied = False
    if raw is not None and raw != seen.get(param) and raw not in _written(param):
        seen[param] = raw
        value = _decode(raw, list(options), kind, to_text, most)
        if label is not None and raw and (value is _INVALID or kind == "many") and raw not in _ever_written(param):
            _report_unknown(label, _unknown(raw, list(options), kind, to_text))
        if value is not _INVALID:
            st.session_state[key] = value
            applied = True
    if key in st.session_state and not _valid(st.session_state[key], list(options), kind):
        del st.session_state[key]  # left over from another gemeente
    return applied


def _written(param: str) -> set[str]:
    """The texts this app wrote to `param` since the page was opened. The address a browser sends
    with a rerun can lag behind what the app wrote (fast key presses: the browser has not yet shown
    the last run's URL): such an echo is no link, and applying it would undo the newest input."""
    return st.session_state.setdefault("_url_written", {}).setdefault(param, set())


def _ever_written(param: str) -> set[str]:
    """The texts this app wrote to `param` in this session, on any page: a value another page
    wrote and the address kept is no link a reader followed, so its unknown value goes unnamed."""
    return st.session_state.setdefault("_url_ever_written", {}).setdefault(param, set())


def follow_link(params: dict[str, str]) -> None:
    """Set these URL parameters as a link would (a button offering another view): the next run
    applies them, even a value the app wrote before."""
    for param, text in params.items():
        _written(param).discard(text)
        st.session_state.setdefault("_url_seen", {}).pop(param, None)
    st.query_params.update(params)


def to_url(param: str, value: Any, to_text: Callable[[Any], str] = url_text) -> None:
    """Keep a value in the URL, so that the link shows what is on screen: a list as `a,b` (an empty
    list as an empty parameter), a pair (a range) as `a..b`, a value whose text is empty (None) as
    no parameter."""
    st.session_state.setdefault("_url_claimed", set()).add(param)
    st.session_state.setdefault("_url_managed", set()).add(param)
    seen = st.session_state.setdefault("_url_seen", {})
    if isinstance(value, list):
        text = MANY_SEPARATOR.join(to_text(v) for v in value)
    elif isinstance(value, tuple):
        text = RANGE_SEPARATOR.join(to_text(v) for v in value)
    else:
        text = to_text(value)
    # Recorded now, written with the run's address at its end (`tidy_url`): the browser can only
    # show (and send back) a value the app has marked as its own.
    pending = st.session_state.setdefault("_url_pending", {})
    if text == "" and not isinstance(value, list):
        seen.pop(param, None)
        pending[param] = None
    else:
        seen[param] = text
        _written(param).add(text)
        _ever_written(param).add(text)
        pending[param] = text


# The text of an empty selectbox or multiselect, unless a call gives its own.
PLACEHOLDERS = {"selectbox": "Maak een keuze", "multiselect": "Kies een of meer"}


def bound(
    widget: Callable[..., Any],
    param: str,
    *args: Any,
    key: str,
    to_text: Callable[[Any], str] = url_text,
    **kwargs: Any,
) -> Any:
    """Draw `widget` (e.g. `st.radio` or `column.toggle`) with the widget's own arguments, its value
    kept in the URL parameter `param` as well: a link can set it, and the URL shows it. Works for
    selectbox, radio, multiselect, select_slider (one value or a range), toggle, checkbox and tabs
    (which then rerun on a switch). A value's URL text is `to_text(value)` (default `url_text`); a
    text in the URL is matched against the texts of the options. Returns what the widget returns."""
    name = getattr(widget, "__name__", "")
    if name in PLACEHOLDERS:  # Streamlit's own is English ("Choose an option"), also in the field's markup
        kwargs.setdefault("placeholder", PLACEHOLDERS[name])
    if name == "multiselect":  # no "Select 17 matches" above what a user types (English, and Enter took all)
        kwargs.setdefault("select_all", False)
    if name in ("toggle", "checkbox"):
        options: list[Any] = [False, True]
    elif name == "tabs":
        options = list(args[0])
        kwargs.setdefault("on_change", "rerun")  # tabs keep no state otherwise
    else:
        options = list(args[1] if len(args) > 1 else kwargs["options"])
    ranged = name == "select_slider" and isinstance(kwargs.get("value", st.session_state.get(key)), tuple | list)
    kind = "many" if name == "multiselect" else "range" if ranged else "one"
    had_value = key in st.session_state
    label = args[0] if args and isinstance(args[0], str) else kwargs.get("label")
    applied = from_url(key, param, options, kind, to_text, kwargs.get("max_selections"), label)
    if had_value and key not in st.session_state and name != "tabs":
        # Its value is no option now (an area of the gemeente chosen before): set the default as a
        # value, so that the browser shows it too. Left to the default, the browser would go on
        # showing the old choice (its widget is the same one) above the new gemeente's figures.
        st.session_state[key] = _default(name, options, kwargs)
        applied = True
    if applied and name != "select_slider":  # a default next to a value set in the state makes Streamlit
        for default in ("value", "default", "index"):  # warn (a select_slider's value: whether a range)
            if kwargs.get(default) is not None:  # index=None: a placeholder, no default
                del kwargs[default]
    result = widget(*args, key=key, **kwargs)
    to_url(param, st.session_state.get(key, options[0]) if name == "tabs" else result, to_text)
    return result


def _default(name: str, options: list[Any], kwargs: dict[str, Any]) -> Any:
    """The value a widget starts with, from its own arguments as Streamlit reads them."""
    if name in ("toggle", "checkbox"):
        return bool(kwargs.get("value", False))
    if name == "multiselect":
        return list(kwargs.get("default") or [])
    if name == "select_slider":
        return kwargs.get("value", options[0])
    index = kwargs.get("index", 0)
    return None if index is None else options[index]


def start_url(page: str) -> None:
    """At the start of every run, before anything reads the URL. On arrival at another page, the
    URL is a link to it: each of its parameters that the page binds is applied."""
    if st.session_state.get("_url_page") != page:
        st.session_state["_url_page"] = page
        st.session_state["_url_seen"] = {}
        st.session_state["_url_written"] = {}
    st.session_state["_url_claimed"] = set()
    st.session_state["_url_pending"] = {}  # a run a newer input stopped wrote nothing


def start_part(name: str, alone: bool) -> None:
    """At the start of a page's part `name` (frame.part). Inside a whole run or an enclosing part:
    remember what was claimed before it (the sidebar's, the enclosing part's). Rerun on its own
    (`alone`): claim only that again, so that `tidy_url` drops what the part no longer draws."""
    before = st.session_state.setdefault("_url_claimed_before", {})
    if alone:
        st.session_state["_url_claimed"] = set(before.get(name, set()))
        st.session_state["_url_pending"] = {}
    else:
        before[name] = set(st.session_state.get("_url_claimed", set()))


def tidy_url() -> None:
    """At the end of a run (or of a part's run): write the address once, with the values the run's
    controls recorded (`to_url`), without the parameters this app wrote but this run did not (those
    of another page, or of a control not drawn now). Parameters the app does not manage
    (presentatiemodus, others) stay.

    Once: the browser adds a history entry for every change of the address, so the back button
    steps a run at a time, not a parameter at a time (a page's first run wrote 8-11). Always, even
    unchanged: under fast clicks a cancelled run's address can reach the browser after this run's,
    and would stay (the switch on, the address `openbaar=nee`)."""
    stale = st.session_state.get("_url_managed", set()) - st.session_state.get("_url_claimed", set())
    kept = {param: value for param, value in st.query_params.to_dict().items() if param not in stale}
    for param, text in st.session_state.pop("_url_pending", {}).items():
        if text is None:
            kept.pop(param, None)
        else:
            kept[param] = text
    st.query_params.from_dict(kept)  # one message with the complete address
    for notice in st.session_state.pop("_url_unknown", {}).values():
        st.toast(notice, icon=":material/link_off:", duration="long")


def view_url() -> str:
    """The full link to the view on screen: the page's address and every parameter."""
    base = st.context.url or f"/{st.session_state.get('_url_page', '')}"
    base += "" if urlsplit(base).path else "/"  # the default page: http://host:8501/?...
    query = urlencode(st.query_params.to_dict(), safe=",:")
    return f"{base}?{query}" if query else base


SHARE_KEY = "deel_weergave"


def share_link() -> None:
    """After the page: tidy the URL and offer the link to this view in the sidebar, to copy."""
    tidy_url()
    with st.sidebar:
        _share_menu()


@st.fragment
def _share_menu() -> None:
    """The link is written when the menu opens (a rerun of this menu alone): the address as it is
    then, also after a page's part reran on its own, and no element to redraw in every run."""
    with st.popover(
        "Deel deze weergave", icon=":material/link:", width="stretch", key=SHARE_KEY, on_change="rerun"
    ) as menu:
        if menu.open:
            st.caption("Wie deze link opent, ziet precies deze weergave: pagina, gemeente, jaar en alle keuzes.")
            st.code(view_url(), language=None, wrap_lines=True)
