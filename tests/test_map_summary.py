"""The sentence beside the map (ivpdata.map_summary): what it says under sparse data (every area
without a figure, one area, ties), in the public view (a hidden area counted, never named with a
figure) and for demo data, always as the table beside the map has it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ivpdata import disclosure, map_summary, mapping, provenance

THRESHOLDS = mapping.Thresholds(
    min_inhabitants_for_rate=100, min_incidents_for_change=10, change_class_bounds=(-25, -10, 10, 25)
)
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
EARLIER = (dt.date(2024, 1, 1), dt.date(2024, 12, 1))


def _counts(counts: list[int], inhabitants: list[int], before: list[int] | None = None, demo: bool = False):
    names = ["Wielwijk-Noord", "Crabbehof", "Reeland", "Staart", "Sterrenburg"][: len(counts)]
    return pd.DataFrame(
        {
            "area_code": [f"BU{i}" for i in range(len(counts))],
            "area_name": names,
            "incident_count": counts,
            "comparison_count": before or counts,
            "inhabitants": inhabitants,
            "is_demo": demo,
            "population_is_demo": demo,
        }
    )


def _sentence(counts: pd.DataFrame, measure: str, rules: disclosure.Rules | None = None, origin=None) -> str:
    values, shown, _, _ = mapping.map_values(counts, measure, THRESHOLDS, rules)
    table = mapping.area_table(values, shown)
    return map_summary.summary(values, table, "Woninginbraak", "buurt", measure, YEAR, EARLIER, origin)


def test_names_the_highest_area_with_its_figure_as_the_table_shows_it():
    counts = _counts([21, 5, 12], [2500, 1000, 3000])  # 8,4 / 5,0 / 4,0 per 1.000
    sentence = _sentence(counts, "per_1000")
    assert sentence == "Kaart van 3 buurten, Woninginbraak 2025, per 1.000 inwoners: hoogst Wielwijk-Noord 8,4."
    values = mapping.map_values(counts, "per_1000", THRESHOLDS)[0]
    assert mapping.area_table(values).loc[0, ["Gebied", "Per 1.000 inwoners"]].tolist() == ["Wielwijk-Noord", 8.4]


def test_counts_the_areas_too_small_to_show_and_never_names_them():
    """The reason is the area's own: too few inhabitants for a rate (it said 'wegens kleine
    aantallen' of a wijk with 315 misdrijven), too few incidents for a change."""
    counts = _counts([21, 9, 12], [2500, 40, 3000])  # Crabbehof: 225 per 1.000 on 40 inhabitants
    sentence = _sentence(counts, "per_1000")
    assert sentence.endswith("hoogst Wielwijk-Noord 8,4; 1 buurt niet getoond (minder dan 100 inwoners).")
    assert "Crabbehof" not in sentence and "225" not in sentence
    changes = _sentence(_counts([21, 9, 12], [2500, 40, 3000], before=[20, 4, 11]), "change")
    assert changes.endswith("; 1 buurt niet getoond (minder dan 10 incidenten in de vergelijkingsperiode).")


def test_every_area_without_a_figure():
    counts = _counts([3, 2, 4], [50, 60, 70])
    sentence = _sentence(counts, "per_1000")
    assert sentence == (
        "Kaart van 3 buurten, Woninginbraak 2025, per 1.000 inwoners: geen buurt met een getoond cijfer; "
        "3 buurten niet getoond (minder dan 100 inwoners)."
    )


def test_one_area():
    assert (
        _sentence(_counts([7], [1200]), "count")
        == "Kaart van 1 buurt, Woninginbraak 2025, aantal: hoogst Wielwijk-Noord 7."
    )


def test_ties_are_named_together_or_counted():
    two = _sentence(_counts([7, 7, 3], [1200, 900, 800]), "count")
    assert two.endswith("aantal: hoogst Wielwijk-Noord en Crabbehof, elk 7.")
    three = _sentence(_counts([7, 7, 7, 1], [1200, 900, 800, 700]), "count")
    assert three.endswith("aantal: hoogst Wielwijk-Noord, Crabbehof en Reeland, elk 7.")
    many = _sentence(_counts([4, 4, 4, 4, 4], [1200, 900, 800, 700, 600]), "count")
    assert many.endswith("aantal: hoogst 4, in 5 buurten.")


def test_a_change_says_what_it_is_compared_with():
    counts = _counts([30, 12], [2500, 1000], before=[20, 16])
    sentence = _sentence(counts, "change")
    assert sentence == (
        "Kaart van 2 buurten, Woninginbraak 2025 vergeleken met 2024, verandering: hoogst Wielwijk-Noord +50,0%."
    )


def test_the_public_view_counts_hidden_areas_and_names_no_small_figure():
    rules = disclosure.Rules(threshold=5)
    counts = _counts([40, 3, 25, 30], [2500, 1000, 3000, 2000], before=[40, 20, 25, 30])
    sentence = _sentence(counts, "count", rules)
    values, shown, _, _ = mapping.map_values(counts, "count", THRESHOLDS, rules)
    table = mapping.area_table(values, shown)
    hidden = table.loc[table["Aantal"].map(lambda cell: isinstance(cell, str)), "Gebied"]
    assert len(hidden) >= 2  # the small count, and one more so that it does not follow from the total
    assert sentence.endswith(f"; {len(hidden)} buurten afgeschermd in de openbare weergave.")
    assert "Crabbehof" not in sentence and " 3" not in sentence
    top = table[~table["Gebied"].isin(hidden)].iloc[0]
    assert f"hoogst {top['Gebied']} {top['Aantal']:.0f}" in sentence


def test_demo_and_mixed_figures_are_named():
    counts = _counts([21, 5], [2500, 1000], demo=True)
    values = mapping.map_values(counts, "count", THRESHOLDS)[0]
    assert mapping.badge_provenance(values, "count") == provenance.DEMO
    assert _sentence(counts, "count", origin=provenance.DEMO).endswith("Demo-cijfers, geen echte gegevens.")
    assert _sentence(counts, "count", origin=provenance.MIXED).endswith("Echte en demo-cijfers door elkaar.")
    assert "demo" not in _sentence(counts, "count").lower()


def test_a_period_that_is_no_calendar_year_is_named_by_its_months():
    when = map_summary.period_text((dt.date(2025, 1, 1), dt.date(2025, 6, 1)), None, "count")
    assert when == "jan 2025 - jun 2025"


def test_a_map_without_incidents_says_none_were_registered():
    """Every buurt 0 (a rare category in a small gemeente): not 'hoogst 0, in 2 buurten'."""
    assert _sentence(_counts([0, 0], [900, 800]), "count") == (
        "Kaart van 2 buurten, Woninginbraak 2025, aantal: in geen enkele buurt geregistreerd."
    )
