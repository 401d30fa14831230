"""Trends: how categories develop in chosen areas, and CompStat: which changes are beyond chance."""

import streamlit as st

import ui
from ivpdata import charts, formatting, periods, trends
from ivpdata.config import load_periods, load_settings

selection = ui.selection()
gemeente, year = selection.gemeente_code, selection.year
settings = load_settings()

st.title(f"Trends {selection.gemeente_name}")
areas = ui.query("area_options", gemeente_code=gemeente)
area_names = dict(zip(areas["target_code"], trends.target_labels(areas), strict=True))
options = ui.query("category_options", gemeente_code=gemeente)
option_names = dict(zip(options["option_code"], options["option_name"], strict=True))
top = st.columns([3, 3])
targets = ui.bound(
    top[0].multiselect, "gebied", "Gebieden", list(area_names), key="trends_gebieden", default=[gemeente],
    format_func=area_names.get, max_selections=6, placeholder="Kies gebieden",
) or [gemeente]  # fmt: skip
chosen = ui.bound(
    top[1].multiselect, "wat", "Wat", list(option_names), key="trends_wat", default=[options["option_code"].iloc[0]],
    format_func=option_names.get, max_selections=4, placeholder="Kies categorieën",
) or [options["option_code"].iloc[0]]  # fmt: skip
row = st.columns([2, 2, 2, 2])
frequency = row[0].radio("Per", list(trends.FREQUENCIES), format_func=trends.FREQUENCIES.get, key="trends_per")
measure = row[1].radio("Maat", list(trends.MEASURES), format_func=trends.MEASURES.get, key="trends_maat")
rolling = row[2].toggle("Voortschrijdend 12 maanden", key="trends_12m", disabled=frequency != "month")
years = [int(y) for y in ui.query("available_years", gemeente_code=gemeente)["year"]]
base_year = row[3].selectbox(
    "Index (basisjaar = 100)", [None, *years], format_func=lambda y: "geen" if y is None else str(y), key="trends_index"
)

codes_by_option = options.set_index("option_code")["category_codes"]
counts = {option: ui.query("target_month_counts", gemeente_code=gemeente, target_codes=tuple(targets),
                           category_codes=tuple(codes_by_option[option])) for option in chosen}  # fmt: skip
population = ui.query("target_population", target_codes=tuple(targets))
data = trends.chart_data(counts, population, frequency, measure, rolling, base_year, area_names, option_names)
markers = trends.measure_markers({code: ui.query("target_notes", target_code=code) for code in targets})
if data["is_demo"].any():
    ui.demo_badge()
st.altair_chart(
    charts.trend_chart(
        data, trends.chart_title(measure, frequency, rolling, base_year), trends.y_title(measure, base_year),
        trends.value_format(measure, base_year), trends.lockdowns(load_periods()), markers,
        trends.TIME_FORMATS[frequency],
    ),
    width="stretch",
)  # fmt: skip
ui.csv_download(trends.export_table(data), f"trends_{gemeente}.csv", key="trends_csv")

st.subheader("Vergelijking met een jaar eerder")
reference = trends.reference_month(ui.query("available_years", gemeente_code=gemeente), year)
windows = periods.compstat_windows(reference)
target = targets[0]
all_codes = list(options.loc[options["option_kind"] == "categorie", "option_code"])
category_counts = ui.query(
    "target_month_counts", gemeente_code=gemeente, target_codes=(target,), category_codes=tuple(all_codes)
)
level = float(settings["significance_level"])
table = trends.compstat(category_counts, windows, level, option_names)
matrix = trends.compstat_matrix(table, windows, all_codes)
st.caption(
    f"{area_names[target]} · peilmaand {periods.month_label(reference)} · elke periode tegen dezelfde maanden een jaar "
    f"eerder. {trends.RISE_MARK} en {trends.FALL_MARK}: stijging of daling buiten het toeval (exacte Poisson-toets, "
    f"niveau {formatting.number(level * 100)}%); zonder teken is de verandering niet significant."
)
styles = trends.verdict_styles(matrix)
st.dataframe(
    matrix.style.apply(lambda _: styles, axis=None),
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(matrix), 720),
)
ui.csv_download(trends.compstat_export(table), f"compstat_{gemeente}_{target}.csv", key="trends_compstat_csv")
