"""Data beheer: load an export (police, CBS, boundaries, own registrations), see what it would
change, confirm it; and the load history. Every import is one transaction."""

import hashlib

import streamlit as st

from dashboard import connection
from dashboard.connection import query
from ivpdata import formatting, queries
from ivpdata.config import data_dir, db_path
from ivpdata.importing import KINDS, Outcome, import_bytes, outcome_text, report
from ivpdata.safetext import markdown_literal
from ivpdata.validate import DataError

SUFFIXES = ["csv", "json", "xlsx", "gpkg", "zip", "geojson"]

st.title("Data beheer")
st.markdown(
    "Laad een export van de politie of het CBS, grenzen, of een eigen registratie. U ziet eerst wat er "
    "verandert; pas na **Laden bevestigen** wordt het bestand opgeslagen, in één keer of helemaal niet."
)

upload_key = f"data_upload_{st.session_state.get('data_uploads', 0)}"
uploaded = st.file_uploader("Bestand", type=SUFFIXES, key=upload_key)
st.caption(report.limits_text())
left, middle, right = st.columns(3)
kind = left.selectbox(
    "Soort bestand", [None, *KINDS], key="data_kind",
    format_func=lambda code: "Automatisch herkennen" if code is None else KINDS[code].label,
)  # fmt: skip
year = middle.text_input("Jaar", key="data_year", help="Alleen nodig als het bestand zijn jaar niet noemt (CBS)")
loaded_by = right.text_input("Geladen door", key="data_by", value="team Veiligheid")
options = {"year": year.strip()} if year.strip() else {}

done = st.session_state.pop("data_done", None)
if done:
    st.success(f"**{markdown_literal(done['file'])}** is geladen: {markdown_literal(done['text'])}")

areas = query(queries.area_names)
if uploaded is not None:
    raw = uploaded.getvalue()
    preview_key = (hashlib.sha256(raw).hexdigest(), kind, tuple(options.items()), loaded_by, connection.db_version())
    if st.session_state.get("data_preview_key") != preview_key:
        result: Outcome | DataError
        try:  # read in a process of its own, outside the write gate; only the database work inside it
            with st.spinner("Bestand controleren…"):
                result = import_bytes(
                    raw, uploaded.name, db_path(), kind, loaded_by, preview=True, options=options,
                    isolated=True, writing=connection.writing,
                )  # fmt: skip
        except DataError as error:
            result = error
        st.session_state.update(data_preview_key=preview_key, data_preview=result)
    result = st.session_state["data_preview"]
    if isinstance(result, DataError):
        st.error(f"**{markdown_literal(uploaded.name)}** kan niet worden geladen. De database is niet gewijzigd.")
        st.subheader("Controleverslag")
        st.table(report.problems_shown(result).set_index("Bestand"))
    else:
        st.subheader("Voorbeeld: wat er verandert")
        st.caption(markdown_literal(f"{report.kind_label(result.kind)} · {', '.join(result.notes)}"))
        for column, (label, value) in zip(st.columns(5), report.totals(result).items(), strict=True):
            column.metric(label, value, help=report.COUNT_HELP.get(label))
        if result.coverage:
            st.info(report.coverage_text(result))
        by_period, by_area, skipped = st.tabs(["Per periode", "Per gebied", "Overgeslagen"])
        by_period.dataframe(
            formatting.dutch_table(report.changes_by(result, "period", areas)), hide_index=True, width="stretch"
        )
        by_area.dataframe(
            formatting.dutch_table(report.changes_by(result, "area", areas)), hide_index=True, width="stretch"
        )
        skipped.dataframe(formatting.dutch_table(report.skipped_table(result)), hide_index=True, width="stretch")
        if st.button("Laden bevestigen", type="primary", key="data_confirm"):
            try:
                with st.spinner("Laden…"):
                    outcome = import_bytes(
                        raw, uploaded.name, db_path(), kind, loaded_by, data_dir=data_dir(), options=options,
                        isolated=True, writing=connection.writing,
                    )  # fmt: skip
            except DataError as error:  # the database changed since the preview, or the disk is full
                st.error("Niet geladen; de database is niet gewijzigd.")
                st.table(report.problems_shown(error).set_index("Bestand"))
            else:
                st.session_state["data_done"] = {"file": uploaded.name, "text": outcome_text(outcome)}
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
        )

st.subheader("Laadgeschiedenis")
history = query(queries.load_history)
if history.empty:
    st.caption("Nog geen bestanden geladen: alle cijfers komen uit de meegeleverde data.")
else:
    st.dataframe(
        formatting.dutch_table(report.history_table(history), {"Grootte (kB)": 1}),
        hide_index=True,
        placeholder=formatting.MISSING,
    )
