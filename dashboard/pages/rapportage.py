"""Driehoeksrapportage: the briefing for the driehoek as a PDF (A4, Dutch), for a gemeente and period."""

import streamlit as st

from dashboard import connection, frame, selection
from dashboard.connection import query
from dashboard.permalinks import bound
from ivpdata import exports, periods, queries
from ivpdata.safetext import markdown_literal

scope = selection.current()
gemeente, year = scope.gemeente_code, scope.year
st.title(f"Driehoeksrapportage {markdown_literal(scope.gemeente_name)}")
st.markdown(
    "Eén PDF (A4) voor het driehoeksoverleg: de kerncijfers tegen dezelfde maanden een jaar eerder, wat opvalt "
    "(veranderingen buiten het toeval), de hotspotkaart (in de openbare versie een kaart van de buurttotalen), de "
    "stand van de prioriteiten en de maatregelen in de periode."
)
years = query(queries.available_years, gemeente_code=gemeente)
public = selection.public()
if public:  # whole calendar years only (the public release), so no two PDFs differ by a few months
    complete = sorted((int(y) for y in years.loc[years["months"] == 12, "year"]), reverse=True)
    if not complete:
        st.info(periods.public_note(None, None))
        frame.stop_page()
    shown = periods.public_year(year, complete) or complete[0]
    chosen = bound(st.selectbox, "jaar_rapportage", "Kalenderjaar", complete, index=complete.index(shown),
                      key="rapportage_jaar_openbaar")  # fmt: skip
    period = periods.calendar_year(chosen)
    st.caption(
        f"Openbare versie: het hele kalenderjaar {chosen}, vergeleken met {chosen - 1}; onthullingsregels toegepast "
        "(zie zijbalk). Openbare cijfers gaan alleen over hele kalenderjaren, zodat geen klein aantal uit het "
        "verschil van twee periodes volgt."
    )
else:
    months = periods.month_starts(int(years["year"].min()), int(years["year"].max()))
    period = bound(
        st.select_slider, "periode", "Periode", months, value=periods.calendar_year(year),
        format_func=lambda d: d.strftime("%m-%Y"), key=f"rapportage_periode_{year}",
    )  # fmt: skip
    st.caption(
        f"Periode {periods.label(period)}, vergeleken met dezelfde maanden een jaar eerder. Vertrouwelijke versie met "
        "exacte aantallen, alleen voor de driehoek. Zet in de zijbalk 'Openbare weergave' aan voor een versie die "
        "gedeeld mag worden."
    )
st.download_button(
    "Maak de driehoeksrapportage (PDF)", lambda: connection.briefing_file(gemeente, period[0], period[1], public),
    file_name=exports.file_name("driehoeksrapportage", scope.gemeente_name, period[0].strftime("%Y-%m"),
                                period[1].strftime("%Y-%m"), "openbaar" if public else "vertrouwelijk", ext="pdf"),
    mime="application/pdf", type="primary", icon=":material/picture_as_pdf:", key="rapportage_pdf",
)  # fmt: skip
st.caption("De PDF wordt gemaakt als u klikt (enkele seconden), zonder internetverbinding.")
