"""The sentence that says what a map shows, in words (the text equivalent a map must have):
'Kaart van 132 buurten, Woninginbraak jan 2025 - dec 2025, per 1.000 inwoners: hoogst
Wielwijk-Noord 8,4; 12 buurten niet getoond (minder dan 250 inwoners).'

It is made from the map's values (which areas have a colour) and the table beside the map (the
figure as the table shows it), so the sentence, the map and the table always agree. An area
without a figure on the map is counted, never named with a figure. Plain text: a Markdown page
escapes it (`safetext.markdown_literal`), the PDF prints it as it is.
"""

from __future__ import annotations

import pandas as pd

from ivpdata import formatting, mapping, periods, provenance

# The table's column for each measure (mapping.area_table) and the decimals it shows.
COLUMNS = {
    "count": ("Aantal", 0),
    "per_1000": ("Per 1.000 inwoners", 1),
    "change": ("Verandering (%)", 1),
    "index": ("Index (stad = 100)", 0),
}
MEASURE_WORDS = {
    "count": "aantal",
    "per_1000": "per 1.000 inwoners",
    "change": "verandering",
    "index": "index (stad = 100)",
}
PLURALS = {"wijk": "wijken", "buurt": "buurten"}
MOST_NAMED = 3  # ties beyond this are counted, not named
HIDDEN = "afgeschermd in de openbare weergave"
INCOMPLETE = "zonder volledig cijfer"
UNSAID = "niet getoond"
PROVENANCE_NOTES = {
    provenance.DEMO: "Demo-cijfers, geen echte gegevens.",
    provenance.MIXED: "Echte en demo-cijfers door elkaar.",
}


def areas_text(count: int, level: str) -> str:
    """'1 buurt', '12 buurten'."""
    return f"{formatting.number(count)} {level if count == 1 else PLURALS.get(level, level)}"


def figure_text(cell: float, measure: str) -> str:
    """A figure as the table beside the map shows it ('8,4'; a change as '+12,5%')."""
    decimals = COLUMNS[measure][1]
    if measure == "change":
        return f"{formatting.signed(float(cell), decimals)}%"
    return formatting.number(float(cell), decimals)


def period_text(period: periods.Period, comparison: periods.Period | None, measure: str) -> str:
    """'2025' (a calendar year) or 'jan 2025 - jun 2025'; a change with what it is compared with."""

    def said(months: periods.Period) -> str:
        whole_year = months[0].month == 1 and months[1].month == 12 and months[0].year == months[1].year
        return str(months[0].year) if whole_year else periods.label(months)

    compared = f" vergeleken met {said(comparison)}" if comparison is not None and measure == "change" else ""
    return said(period) + compared


def why_not_shown(reason: str) -> str:
    """The group an area without a figure on the map falls in, by its reason (mapping.area_measures,
    mapping.protect_areas)."""
    if reason.startswith(mapping.PUBLIC_REASON):
        return HIDDEN
    if reason.startswith("minder dan"):  # too few inhabitants (a rate) or incidents (a change): which, and how few
        return f"niet getoond ({reason})"
    return INCOMPLETE if reason else UNSAID  # no inhabitants known, no figures, a period not fully covered


def highest(table: pd.DataFrame, shown_codes: set[str], measure: str, level: str) -> str:
    """'hoogst Wielwijk-Noord 8,4', ties named together ('hoogst A en B, elk 3') or counted
    ('hoogst 0, in 7 buurten'), taken from the table's first rows with a figure on the map."""
    column = COLUMNS[measure][0]
    rows = table[table["Code"].isin(shown_codes)]
    figures = rows[column].map(lambda cell: figure_text(cell, measure))
    top = figures.iloc[0]
    if measure == "count" and top == "0":  # a rare category: nothing to rank
        return f"in geen enkele {level} geregistreerd"
    names = list(rows.loc[figures == top, "Gebied"].astype(str))
    if len(names) == 1:
        return f"hoogst {names[0]} {top}"
    if len(names) <= MOST_NAMED:
        return f"hoogst {', '.join(names[:-1])} en {names[-1]}, elk {top}"
    return f"hoogst {top}, in {areas_text(len(names), level)}"


def not_shown(values: pd.DataFrame, level: str) -> list[str]:
    """'12 buurten niet getoond (minder dan 250 inwoners)', one part per reason: too few first,
    then hidden in the public view, incomplete, and the rest."""
    grey = values.loc[~values["is_stable"].astype(bool), "unstable_reason"].fillna("").astype(str)
    groups = grey.map(why_not_shown).value_counts()
    later = (HIDDEN, INCOMPLETE, UNSAID)
    order = sorted(groups.index, key=lambda why: (later.index(why) + 1 if why in later else 0, why))
    return [f"{areas_text(int(groups[why]), level)} {why}" for why in order]


def summary(
    values: pd.DataFrame,
    table: pd.DataFrame,
    option_name: str,
    level: str,
    measure: str,
    period: periods.Period,
    comparison: periods.Period | None = None,
    origin: str | None = None,
) -> str:
    """The sentence for a map of `values` (mapping.level_values) shown beside `table`
    (mapping.area_table of the same values), of `option_name` in `period` (a change: against
    `comparison`); `origin` (mapping.badge_provenance) adds that the figures are demo or mixed."""
    if values.empty:
        return f"Kaart zonder {PLURALS.get(level, level)}: er is geen gebied om te tonen."
    shown_codes = set(values.loc[values["is_stable"].astype(bool), "area_code"])
    when = period_text(period, comparison, measure)
    head = f"Kaart van {areas_text(len(table), level)}, {option_name} {when}, {MEASURE_WORDS[measure]}"
    top = highest(table, shown_codes, measure, level) if shown_codes else f"geen {level} met een getoond cijfer"
    sentence = "; ".join([f"{head}: {top}", *not_shown(values, level)]) + "."
    note = PROVENANCE_NOTES.get(origin or "")
    return f"{sentence} {note}" if note else sentence
