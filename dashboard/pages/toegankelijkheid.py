"""Toegankelijkheid: the toegankelijkheidsverklaring. The audit's result per page comes from
data/toegankelijkheid.json, which tests/test_accessibility.py checks against a live audit."""

import datetime as dt
import json

import streamlit as st

from ivpdata import formatting
from ivpdata.config import DATA_DIR, load_settings
from ivpdata.safetext import markdown_literal

AUDIT_FILE = DATA_DIR / "toegankelijkheid.json"

# Streamlit's own texts and markup that the app cannot set (Streamlit 1.67): said honestly.
STREAMLIT_TEXTS = (
    'Het uploadvak op de pagina Data beheer toont Engelse teksten van Streamlit: de knop "Upload" en de '
    'grootte "500MB per file". Streamlit biedt geen instelling om die te vertalen; de grenzen staan in het '
    "Nederlands onder het uploadvak.",
    'Wie in een keuzelijst iets typt dat bij geen keuze past, ziet de Engelse melding "No results" van '
    'Streamlit, en wie meer kiest dan een lijst toelaat "You can only select up to 6 options. Remove an '
    'option first."; ook die zijn niet te vertalen.',
    'De werkbalk boven tabellen heeft Engelse knopnamen ("Show/hide columns", "Search", "Fullscreen"); '
    "de tabel zelf heeft wel een Nederlandse naam. "
    "De download als CSV in die werkbalk is uitgezet: gebruik de knop Exporteren, die bron, periode en "
    "onthullingsregels meeneemt.",
    'Meldingen van Streamlit zelf, zoals "Page not found" bij een onbekend adres en de melding bij een '
    'verbroken verbinding, zijn Engels, net als de link "Skip to main content" waarmee een '
    "toetsenbordgebruiker het menu overslaat.",
    'Streamlit geeft de pagina als taal Engels op (lang="en") en biedt daar geen instelling voor. Achter de '
    'proxy uit deploy/ (de gewone inrichting) wordt dat Nederlands (lang="nl"); wie de app rechtstreeks '
    "draait, zonder die proxy, houdt Engels, en een schermlezer kan de tekst dan met een Engelse uitspraak "
    "voorlezen.",
)

st.title("Toegankelijkheid")
st.markdown(
    "Wij willen dat iedereen Veiligheidsbeeld kan gebruiken. Deze app moet voldoen aan de "
    "**WCAG 2.1 op niveau A en AA**, zoals de Europese norm **EN 301 549** die vraagt en het "
    "**Besluit digitale toegankelijkheid overheid** voorschrijft."
)

audit = json.loads(AUDIT_FILE.read_text(encoding="utf-8"))
audited_on = formatting.date(dt.date.fromisoformat(audit["datum"]))
st.subheader("Onderzoek")
st.markdown(
    f"Laatst automatisch getoetst op **{audited_on}** met axe-core {markdown_literal(audit['axe'])} "
    "in een browser (Chromium), op de regels van WCAG 2.0 en 2.1, niveau A en AA. Elke pagina is getoetst "
    "zoals hij opent en met een keuze gemaakt (een andere gemeente, jaar, gebied of categorie). Wat een "
    "automatische toets niet kan beoordelen, bedienen met alleen het toetsenbord, zichtbare focus, "
    "de volgorde van de focus en inzoomen tot 200%, is getoetst op de pagina's Overzicht en Trends; op de "
    "Kaart is een gebied met alleen het toetsenbord te kiezen via het zoekvak Gebied zoeken."
)
rows = [
    {
        "Pagina": page["titel"],
        "Ernstige problemen": page["ernstig"],
        "Uitzonderingen (Streamlit)": ", ".join(page["uitzonderingen"]) or "geen",
    }
    for page in audit["paginas"]
]
st.table(rows)

st.subheader("Bekende uitzonderingen")
st.markdown(
    "Deze onderdelen komen van Streamlit, het programma waarmee de app is gebouwd; de app kan ze niet aanpassen."
)
for exception in audit["uitzonderingen"]:
    st.markdown(f"- {markdown_literal(exception['reden'])} (regel `{exception['regel']}`)")
for text in STREAMLIT_TEXTS:
    st.markdown(f"- {markdown_literal(text)}")
st.markdown(
    "- De kaart is een afbeelding: naast elke kaart staat een tabel met dezelfde cijfers, die u met het "
    "toetsenbord kunt gebruiken."
)

st.subheader("Contact")
contact = load_settings().get("accessibility_contact")
st.markdown(contact or "Er is nog geen contactpersoon ingesteld (data/settings.yaml, accessibility_contact).")
