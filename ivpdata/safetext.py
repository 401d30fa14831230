"""Text from outside (imported files, uploads, typed names) shown as text, never as markup.

Streamlit renders `st.markdown`, captions, messages, labels and headers as Markdown (GitHub
flavour, plus its own `:red[...]`, `:material/...:` and `$...$`): an imported measure called
`![p](http://host/p.png)` would make every viewer's browser fetch that URL, and `[Inloggen
vereist](http://...)` would look like a control. Every character that Markdown or those
extensions give a meaning is escaped with a backslash, which CommonMark allows before any ASCII
punctuation; line breaks and runs of white space become one space, so no line can start a
heading, a list, a quote or a code block. Escapes do not stop GitHub's bare autolinks
(`http://host`, `www.host`, `name@host`): Streamlit's Markdown finds those in the text after the
escapes are resolved, so an invisible WORD JOINER (U+2060) goes after `:` in `://`, between `www`
and `.`, and after `@`; the text reads the same, but no link is made. In HTML (deck.gl tooltips, the
legend) texts are escaped the HTML way.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_WHITE_SPACE = re.compile(r"\s+")
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r":(?=//)|www(?=\.)|@", re.IGNORECASE)  # where a bare autolink starts


def markdown_literal(text: object) -> str:
    """`text` as Markdown that shows exactly these characters and nothing else: no link, image,
    emphasis, heading, HTML, formula, colour or icon. `None` shows as an empty string."""
    if text is None:
        return ""
    flat = _WHITE_SPACE.sub(" ", str(text)).strip()
    unlinked = _AUTOLINK_STARTS.sub(lambda match: match.group(0) + WORD_JOINER, flat)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", unlinked)


def html_literal(text: object) -> str:
    """`text` for an HTML context (quotes included, so it is safe in an attribute too)."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)
