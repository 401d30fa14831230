"""Maatregelen: measures in the database, area measures and their validation, the before/after
rule and the charts behind the Maatregelen and Voor en na pages."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from ivpdata import charts, measures, queries, significance, trends
from tests.support.edits import build_error, line_of

NOTES = "published/area_notes.csv"


def test_an_unknown_incident_focus_names_file_row_and_column(tmp_path):
    message = build_error(tmp_path, NOTES, "ivp19-dvg,1.2.3,", "ivp19-dvg,9.9.9,")
    line = line_of(NOTES, "d002-fietslabels-binnenstad")
    assert f"data/{NOTES}, row {line}, column 'incident_focus'" in message
    assert "'9.9.9'" in message


def test_a_measure_without_title_or_with_an_unknown_priority(tmp_path):
    message = build_error(
        tmp_path, NOTES, "maatregel,Fietslabels in de binnenstad,,,ivp19-dvg,", "maatregel,,,,ivp19-xyz,"
    )
    line = line_of(NOTES, "d002-fietslabels-binnenstad")
    assert f"data/{NOTES}, row {line}, column 'title': a measure needs a short title" in message
    assert f"data/{NOTES}, row {line}, column 'priority_code'" in message


def test_a_demo_measure_with_an_unknown_priority(tmp_path):
    message = build_error(tmp_path, "demo_profile.yaml", "priority: ivp23-jeugd", "priority: ivp99-jeugd")
    assert "data/demo_profile.yaml" in message and "local_shifts[3].measure" in message
    assert "unknown priority 'ivp99-jeugd'" in message


def test_area_measures_of_dordrecht(db):
    found = queries.area_measures(db, "GM0505").set_index("measure_id")
    assert set(found.index) == {
        "d002-nplv-dordt-west",
        "d002-kromhout-plan",
        "d002-fietslabels-binnenstad",
        "demo-BU05050509-OVL-JGD",
    }
    nplv = found.loc["d002-nplv-dordt-west"]
    assert (nplv["target_level"], nplv["start_date"].date()) == ("groep", dt.date(2022, 9, 1))
    assert found.loc["d002-fietslabels-binnenstad", "incident_focus"] == "1.2.3"
    assert found.loc["demo-BU05050509-OVL-JGD", "is_demo"] and not found.loc["d002-kromhout-plan", "is_demo"]
    assert found["priority_name"].notna().all()
    assert queries.area_measures(db, "GM0388").empty


def test_measure_results_carry_their_priority_and_source(db):
    results = queries.measure_results(db, "GM0505")
    assert len(results) == db.sql("SELECT count(*) FROM measures WHERE gemeente_code = 'GM0505'").fetchone()[0]
    assert results["priority_name"].notna().all()
    assert set(results["source_title"]) == {
        "Factsheet Opgave Veilige Stad 2020",
        "Raadsvoorstel Veiligheidsbeeld 2022 en prioriteiten IVP 2023-2026",
    }
    assert list(results["plan_id"].unique()) == ["GM0505-ivp-2019-2022"]


def test_target_outlines_are_buurten(db):
    outlines = queries.target_outlines(db, "GM0505", ["dordt-west", "BU05050509"])
    members = db.sql(
        "SELECT count(*) FROM areas WHERE area_level = 'buurt' AND parent_code IN "
        "(SELECT area_code FROM area_group_members WHERE group_code = 'dordt-west')"
    ).fetchone()[0]
    assert (outlines["target_code"] == "dordt-west").sum() == members > 10
    assert (outlines["target_code"] == "BU05050509").sum() == 1


@pytest.mark.parametrize(
    ("start", "before", "after"),
    [
        ("2024-01-01", ("2023-01-01", "2023-12-01"), ("2024-01-01", "2024-12-01")),  # full years
        ("2025-07-01", ("2025-01-01", "2025-06-01"), ("2025-07-01", "2025-12-01")),  # data end: 6 and 6
        ("2017-12-01", None, None),  # not 12 months of data before
        ("2025-11-01", None, None),  # only 2 months after
    ],
)
def test_before_after_windows(start, before, after):
    first, last = dt.date(2017, 1, 1), dt.date(2025, 12, 1)
    span = measures.windows(dt.date.fromisoformat(start), first, last)
    if before is None:
        assert span is None
        return
    assert span.before == tuple(dt.date.fromisoformat(d) for d in before)
    assert span.after == tuple(dt.date.fromisoformat(d) for d in after)


def test_start_months_and_default():
    options = measures.start_months(dt.date(2017, 1, 1), dt.date(2025, 12, 1))
    assert options[0] == dt.date(2018, 1, 1)  # a full year of data before
    assert options[-1] == dt.date(2025, 10, 1)  # three months after
    assert measures.default_start(pd.Timestamp("2022-09-01"), options) == dt.date(2022, 9, 1)
    assert measures.default_start(None, options) is None
    assert measures.default_start(pd.Timestamp("2016-05-01"), options) is None


def _totals(area_before: int, area_after: int, city_before: int, city_after: int) -> pd.DataFrame:
    """Monthly counts spread over 2024 (before) and 2025 (after) for area A and gemeente G."""
    rows = []
    for code, before, after in [("A", area_before, area_after), ("G", city_before, city_after)]:
        for year, total in [(2024, before), (2025, after)]:
            per_month = [total // 12 + (1 if m < total % 12 else 0) for m in range(12)]
            rows += [
                {
                    "target_code": code,
                    "year": year,
                    "month": m + 1,
                    "category_code": "X",
                    "incident_count": n,
                    "is_provisional": year == 2025 and m >= 6,
                    "is_demo": False,
                }
                for m, n in enumerate(per_month)
            ]
    return trends.monthly_totals(pd.DataFrame(rows))


def test_before_after_against_the_rest_of_the_gemeente():
    span = measures.windows(dt.date(2025, 1, 1), dt.date(2017, 1, 1), dt.date(2025, 12, 1))
    result = measures.before_after(_totals(39, 8, 929, 902), "A", "G", ("Buurt A", "Stad"), span, 0.05, minimum=10)
    area, rest = result.iloc[0], result.iloc[1]
    assert (area["Gebied"], area["Voor"], area["Na"]) == ("Buurt A", 39, 8)
    assert (rest["Gebied"], rest["Voor"], rest["Na"]) == ("Rest van Stad", 890, 894)
    assert area["Oordeel"] == significance.FALL and area["p"] < 0.001
    assert rest["Oordeel"] == significance.NEUTRAL
    assert area["Verandering"] == pytest.approx(-31 / 39)
    assert measures.before_after_text(result).startswith("Buurt A: 39 → 8 (-79%), daling; Rest van Stad: 890 → 894")
    table = measures.comparison_table(result)
    assert list(table["p"]) == ["< 0,001", measures.p_text(rest["p"])]


def test_small_counts_are_not_called_a_change():
    span = measures.windows(dt.date(2025, 1, 1), dt.date(2017, 1, 1), dt.date(2025, 12, 1))
    result = measures.before_after(_totals(4, 8, 500, 504), "A", "G", ("A", "G"), span, 0.05, minimum=10)
    assert result.iloc[0]["Oordeel"] == significance.NEUTRAL  # 4 -> 8: p = 0.39
    # no percentage on a base under the minimum (+100% read as a doubling): the counts say it
    assert pd.isna(result.iloc[0]["Verandering"])
    assert measures.before_after_text(result).startswith("A: 4 → 8, geen significante verandering; ")


def test_before_after_series_and_chart():
    span = measures.windows(dt.date(2025, 1, 1), dt.date(2017, 1, 1), dt.date(2025, 12, 1))
    series = measures.before_after_series(_totals(39, 8, 929, 902), "A", span)
    assert len(series) == 24 and list(series["Periode"]).count("voor") == 12
    assert series.loc[series["Periode"] == "voor", "incident_count"].sum() == 39
    assert "voorlopige cijfers" in measures.window_caption(span, series)
    spec = charts.before_after_chart(series, dt.date(2025, 1, 1), "Titel").to_dict()
    means = next(layer for layer in spec["layer"] if layer["mark"].get("strokeDash"))
    data = spec["datasets"][means["data"]["name"]]
    assert sorted(round(row["Gemiddeld"], 2) for row in data) == [round(8 / 12, 2), round(39 / 12, 2)]
    start = spec["datasets"][spec["layer"][2]["data"]["name"]][0]["Start"]
    assert start.startswith("2025-01-01")


def test_results_table_and_timeline(db):
    results = queries.measure_results(db, "GM0505")
    table = measures.results_table(results).set_index("Resultaat")
    assert table.loc["Crimineel vermogen afgepakt", "Waarde"] == "meer dan € 3.000.000"
    assert table.loc["Crimineel vermogen afgepakt", "Periode"] == "jan 2019 - jun 2022"
    assert table.loc["Aanvragen voor buurtbemiddeling (totaal)", "Periode"] == "2020"
    spec = json.loads(charts.measure_timeline(results).to_json())
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"][0] == results["type_name"].iloc[0]  # plan order, not alphabetical
    assert len(spec["datasets"][spec["data"]["name"]]) == len(results)  # one bar per result
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"][0] == "Tegengaan van overlast"


def test_area_measure_line():
    row = pd.Series(
        {
            "label": "Plan",
            "target_name": "Wijk",
            "start_date": pd.Timestamp("2022-09-01"),
            "date_note": "ca.",
            "is_demo": False,
            "priority_name": "Overlast",
        }
    )
    assert measures.area_measure_line(row) == "**Plan** · Wijk · start: ca. september 2022 · Overlast"
    undated = row.copy()
    undated["start_date"] = pd.NaT
    undated["is_demo"] = True
    assert "start: niet genoemd" in measures.area_measure_line(undated)
    assert measures.area_measure_line(undated).endswith("*demodata*")


def test_results_of_document_002_are_measures_with_their_priority(db):
    results = queries.measure_results(db, "GM0505")
    d002 = results[results["source_title"].str.startswith("Raadsvoorstel")].set_index("measure_id")
    # Document 002 lists per priority a "Selectie noemenswaardige resultaten": 25 results, 8 with a
    # figure of their own (figures.csv), 17 in data/published/results.csv.
    assert len(d002) == 25
    assert d002.groupby("priority_code").size().to_dict() == {
        "ivp19-overlast": 7,
        "ivp19-ondermijning": 3,
        "ivp19-dvg": 8,
        "ivp19-sociale-stabiliteit": 3,
        "ivp19-veiligheidsrisicos": 4,
    }
    table = measures.results_table(results).set_index("Resultaat")
    assert table.loc["Meldpunt ongewenst huurgedrag voor huurders gelanceerd", "Waarde"] == "zonder aantal"
    assert table.loc["Oekraïense ontheemden opgevangen op twee locaties", "Waarde"] == "circa 900 personen"
    assert d002.loc["d002-wijkagent-senioren", "description"].startswith("de politie heeft een speciale wijkagent")


def test_a_result_with_an_unknown_priority(tmp_path):
    file = "published/results.csv"
    message = build_error(tmp_path, file, "ivp19-dvg,,,de politie heeft", "ivp19-xyz,,,de politie heeft")
    line = line_of(file, "d002-wijkagent-senioren")
    assert f"data/{file}, row {line}, column 'priority_code'" in message
    assert "'ivp19-xyz'" in message


def test_a_measure_opens_on_what_it_aims_at():
    options = pd.DataFrame(
        {
            "option_kind": ["alle", "thema", "thema", "categorie"],
            "option_code": ["misdrijven", "hic", "vermogen", "1.1.1"],
            "category_codes": [["1.1.1", "1.2.3"], ["1.1.1"], ["1.1.1", "1.2.3"], ["1.1.1"]],
        }
    )
    assert measures.default_focus("1.1.1", options) == "1.1.1"
    assert measures.default_focus("hic", options) == "hic"
    # A category without counts here (not listed): the smallest theme holding it, not all crime.
    assert measures.default_focus("1.2.3", options) == "vermogen"
    assert measures.default_focus(None, options) == measures.ALL_CRIME
    assert measures.default_focus("OVL-JGD", options) == measures.ALL_CRIME  # in no theme listed here
