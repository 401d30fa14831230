"""Driehoeksrapportage: the briefing for the driehoek as a PDF (A4, Dutch), for a gemeente and period."""

import streamlit as st

from dashboard import connection, frame, period_controls, selection
from dashboard.connection import query
from dashboard.permalinks import bound
from dashboard.routes import Param
from ivpdata import periods, queries
from ivpdata.page_models import rapportage as model
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
st.title(f"Driehoeksrapportage {markdown_literal(scope.gemeente_name)}")
st.markdown(model.INTRODUCTION)
years = query(queries.available_years, gemeente_code=gemeente)
public = selection.public()
if public:  # whole calendar years only (the public release), so no two PDFs differ by a few months
    complete = model.complete_years(years)
    if not complete:
        st.info(periods.public_note(None, None))
        frame.stop_page()
    shown = complete.index(model.public_default(year, complete))
    key = "rapportage_jaar_openbaar"
    chosen = bound(st.selectbox, Param.KALENDERJAAR, "Kalenderjaar", complete, index=shown, key=key)
    period = periods.calendar_year(chosen)
    st.caption(model.public_caption(chosen))
else:
    span, default = period_controls.data_span(years), periods.calendar_year(year)
    period = period_controls.chosen_period(
        period_controls.PeriodChoice(f"rapportage_periode_{year}", Param.PERIODE, model.months(years), span, default)
    )
    st.caption(model.internal_caption(period))
st.download_button(
    "Maak de driehoeksrapportage (PDF)",
    lambda: connection.briefing_file(gemeente, period[0], period[1], public),
    file_name=model.file_name(scope.gemeente_name, period, public),
    mime="application/pdf",
    type="primary",
    icon=":material/picture_as_pdf:",
    key="rapportage_pdf",
    on_click="ignore",  # a download needs no rerun: the page stays as it is
)
st.caption(model.MADE_ON_CLICK)
