"""Data beheer: load an export (police, CBS, boundaries, own registrations), see what it would
change, confirm it; and the load history. Every import is one transaction."""

import hashlib

import streamlit as st

from dashboard import access, connection
from dashboard.connection import query
from ivpdata import edit_log, formatting, queries
from ivpdata.access import Role
from ivpdata.config import data_dir
from ivpdata.importing import KINDS, report
from ivpdata.page_models import data as model
from ivpdata.safetext import markdown_literal
from ivpdata.validate import DataError

if not access.manages():  # not in this role's navigation either
    access.refuse_page(Role.BEHEERDER)
st.title("Data beheer")
st.markdown(
    "Laad een export van de politie of het CBS, grenzen, of een eigen registratie. U ziet eerst wat er "
    "verandert; pas na **Laden bevestigen** wordt het bestand opgeslagen, in één keer of helemaal niet."
)

upload_key = f"data_upload_{st.session_state.get('data_uploads', 0)}"
uploaded = st.file_uploader("Bestand", type=model.SUFFIXES, key=upload_key)
st.caption(report.limits_text())
left, middle, right = st.columns(3)
kind = left.selectbox(
    "Soort bestand", [None, *KINDS], key="data_kind", format_func=model.kind_label, placeholder="Kies een soort"
)
year = middle.text_input("Jaar", key="data_year", help="Alleen nodig als het bestand zijn jaar niet noemt (CBS)")
signed_in = access.recorded_name()  # signed in: the import is recorded for this user, not for a typed name
if signed_in is None:
    loaded_by = right.text_input("Geladen door", key="data_by", value="team Veiligheid")
else:
    loaded_by = signed_in
    right.markdown(f"Geladen door  \n**{markdown_literal(signed_in)}**")

done = st.session_state.pop("data_done", None)
if done:
    st.success(f"**{markdown_literal(done['file'])}** is geladen: {markdown_literal(done['text'])}")

areas = query(queries.area_names)
if uploaded is not None:
    upload = model.Upload(uploaded.getvalue(), uploaded.name, kind, loaded_by, model.options(year))
    digest = hashlib.sha256(upload.raw).hexdigest()
    preview_key = (digest, kind, tuple(upload.options.items()), loaded_by, connection.db_version())
    if st.session_state.get("data_preview_key") != preview_key:
        with st.spinner("Bestand controleren…"):  # read in a process of its own, outside the write gate
            result = model.check(upload, connection.writing)
        st.session_state.update(data_preview_key=preview_key, data_preview=result)
    result = st.session_state["data_preview"]
    if isinstance(result, DataError):
        st.error(f"**{markdown_literal(uploaded.name)}** kan niet worden geladen. De database is niet gewijzigd.")
        st.subheader("Controleverslag")
        st.table(report.problems_shown(result).set_index("Bestand"))
    else:
        shown = model.preview(result, areas)
        st.subheader("Voorbeeld: wat er verandert")
        st.caption(markdown_literal(shown.notes))
        for column, (label, value) in zip(st.columns(5), shown.totals.items(), strict=True):
            column.metric(label, value, help=report.COUNT_HELP.get(label))
        if shown.warning:
            st.warning(markdown_literal(shown.warning))
        if shown.coverage:
            st.info(shown.coverage)
        by_period, by_area, skipped = st.tabs(["Per periode", "Per gebied", "Overgeslagen"])
        by_period.dataframe(shown.by_period, hide_index=True, width="stretch")
        by_area.dataframe(shown.by_area, hide_index=True, width="stretch")
        skipped.dataframe(shown.skipped, hide_index=True, width="stretch")
        if st.button("Laden bevestigen", type="primary", key="data_confirm"):
            try:
                with st.spinner("Laden…"):
                    text = model.load(upload, connection.writing)
            except DataError as error:  # the database changed since the preview, or the disk is full
                st.error("Niet geladen; de database is niet gewijzigd.")
                st.table(report.problems_shown(error).set_index("Bestand"))
            else:
                st.session_state["data_done"] = {"file": uploaded.name, "text": text}
                st.session_state["data_uploads"] = st.session_state.get("data_uploads", 0) + 1
                st.session_state.pop("data_preview_key", None)
                st.rerun()

st.subheader("Sjablonen voor eigen registraties")
st.caption("Vul een sjabloon in (het XLSX-bestand noemt de toegestane codes) en laad het hierboven.")
for code in report.template_kinds():
    name_cell, csv_button, xlsx_button = st.columns([6, 1, 1], vertical_alignment="center")
    name_cell.markdown(KINDS[code].label)
    for column, fmt in ((csv_button, "csv"), (xlsx_button, "xlsx")):
        column.download_button(
            fmt.upper(),
            connection.template(code, fmt),
            file_name=f"sjabloon-{code}.{fmt}",
            key=f"sjabloon_{code}_{fmt}",
            on_click="ignore",  # a download needs no rerun: the page stays as it is
        )

st.subheader("Laadgeschiedenis")
history = model.history(query(queries.load_history))
if history is None:
    st.caption(model.NO_HISTORY)
else:
    st.dataframe(history, hide_index=True, placeholder=formatting.MISSING)

st.subheader("Wijzigingen in presentaties")
edits = model.edits(edit_log.read(data_dir()))
if edits is None:
    st.caption(model.NO_EDITS)
else:
    st.dataframe(edits, hide_index=True)
