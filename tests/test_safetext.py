"""Outside text shown as text: `markdown_literal` and `html_literal`, and how Streamlit 1.67 draws
escaped text in a real browser (every Markdown context the app uses)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ivpdata.safetext import WORD_JOINER, html_literal, markdown_literal
from tests.support.browser import quiet, serve

PIXEL, LOGIN = "http://127.0.0.1:9/pixel.png", "http://127.0.0.1:9/login"
PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    f"![p]({PIXEL})",
    f"[Inloggen vereist]({LOGIN})",
    '<div style="position:fixed;inset:0;background:red" id="overlay">',
    ":red[rood]",
    "$x^2$",
    "**vet**",
    ":material/home: :smile: ~~weg~~ `code`",
    f"<{LOGIN}> {LOGIN} www.example.nl info@example.nl",
    "# Kop\n- lijst\n> citaat\n    code\n1. een",
    "| a | b |\n| - | - |",
    "&lt;b&gt; &amp; \\*",
]
ORDINARY = [
    "Wielwijk-Noord 1.234,5",
    "Van Kinsbergenstraat e.o. (buurt in Wielwijk)",
    "50% minder; 'veilig' & \"schoon\"",
]


def _as_read(escaped: str) -> str:
    """What a reader sees of escaped Markdown: backslash escapes resolved, the invisible joiner dropped."""
    return re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", PAYLOADS + ORDINARY)
def test_markdown_literal_reads_as_the_text(text):
    escaped = markdown_literal(text)
    assert _as_read(escaped) == " ".join(text.split())  # line breaks and runs of spaces: one space
    assert "\n" not in escaped
    # every ASCII punctuation character is escaped: nothing is left for Markdown to act on
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\.", "", escaped)), escaped


def test_markdown_literal_breaks_bare_autolinks():
    escaped = markdown_literal(f"zie {LOGIN}, WWW.example.nl en info@example.nl")
    assert "://" not in _as_read(escaped).replace(WORD_JOINER, "") or WORD_JOINER in escaped
    assert f":{WORD_JOINER}\\/\\/" in escaped and f"WWW{WORD_JOINER}\\." in escaped and f"@{WORD_JOINER}" in escaped


def test_markdown_literal_of_nothing_and_of_numbers():
    assert markdown_literal(None) == ""
    assert markdown_literal(12) == "12"
    assert markdown_literal("Wielwijk") == "Wielwijk"  # plain names stay as they are


def test_html_literal():
    assert html_literal('<img src=x onerror="a">') == "&lt;img src=x onerror=&quot;a&quot;&gt;"
    assert html_literal("Wielwijk-Noord 1.234,5 & 'x'") == "Wielwijk-Noord 1.234,5 &amp; &#x27;x&#x27;"
    assert html_literal(None) == ""


# In a browser: a small Streamlit script draws every payload, escaped, in every kind of element the
# pages use; the texts must read exactly as typed and nothing may be active.
SCRIPT = """
import pandas as pd
import streamlit as st

from ivpdata.safetext import markdown_literal

TEXTS = {texts!r}
for number, text in enumerate(TEXTS):
    safe = markdown_literal(text)
    st.title(f"T{{number}} " + safe)
    st.subheader(f"S{{number}} " + safe)
    st.markdown(f"- **M{{number}}** " + safe + "  \\n  :small[" + safe + "]")
    st.markdown(f"> Q{{number}} " + safe)
    st.caption(f"C{{number}} " + safe)
    st.info(f"I{{number}} " + safe)
    st.metric(f"K{{number}} " + safe, "1")
    st.checkbox(f"V{{number}} " + safe, key=f"v{{number}}")
    st.page_link("https://example.org", label=f"L{{number}} " + safe)
    st.button(f"B{{number}} " + safe, key=f"b{{number}}")
    with st.expander(f"E{{number}} " + safe):
        st.write("-")
st.table(pd.DataFrame({{"Naam": [markdown_literal(t) for t in TEXTS]}}))
st.radio("Keuze", [markdown_literal(t) for t in TEXTS])
st.tabs([markdown_literal(t) for t in TEXTS])
"""

ACTIVE = """(port) => {
    const found = [];
    if (window.__xss !== undefined) found.push('script ran');
    for (const img of document.querySelectorAll('img')) {
        if (!img.src.startsWith('http://localhost:' + port)) found.push('img ' + img.src);
    }
    for (const a of document.querySelectorAll('a')) {
        const href = a.getAttribute('href') || '';
        if (!href.startsWith('https://example.org') && !href.startsWith('#')) found.push('link ' + href);
    }
    for (const el of document.querySelectorAll('iframe, #overlay, .katex, del, code, blockquote blockquote')) {
        found.push(el.tagName + ' ' + el.className);
    }
    for (const el of document.querySelectorAll('h1, h2, h3, h4, h5, h6, li')) {
        if (/^(Kop|lijst|een)/.test(el.innerText.trim())) found.push('Markdown block: ' + el.innerText);
    }
    for (const el of document.querySelectorAll('strong')) if (!/^M\\d+$/.test(el.innerText)) found.push('bold');
    for (const el of document.querySelectorAll('span[style]')) if (el.innerText === 'rood') found.push('colour');
    return found;
}"""


@pytest.mark.browser
def test_streamlit_draws_escaped_text_as_typed(tmp_path: Path, browser):
    texts = PAYLOADS + ORDINARY
    script = tmp_path / "escaped.py"
    script.write_text(textwrap.dedent(SCRIPT.format(texts=texts)), encoding="utf-8")
    with serve(tmp_path / "geen.duckdb", script) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{url}/")
        page.get_by_role("tab").last.wait_for(timeout=60_000)
        quiet(page)  # every lazily loaded element drawn: a fixed pause was too short under load
        found = page.evaluate(ACTIVE, int(url.rsplit(":", 1)[1]))
        shown = page.evaluate("document.body.innerText").replace(WORD_JOINER, "")
        page.close()
    assert found == []
    assert [r for r in requests if "127.0.0.1:9" in r or "example" in r] == []
    for number, text in enumerate(texts):
        typed = re.escape(" ".join(text.split()))
        for kind in "TSMQCIKVLBE":  # each element shows the text exactly as typed
            assert re.search(rf"{kind}{number}\s+{typed}", shown), f"{kind}{number}: {text!r}"
        assert shown.count(" ".join(text.split())) >= 15  # also in the :small line, table, radio and tab
