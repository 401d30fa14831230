"""The Overzicht page's figures, ready to show: labels, Dutch numbers, changes and source lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ivpdata import disclosure, formatting, provenance

FIGURE_LABELS = {
    "totaal": "Geregistreerde misdrijven",
    "hic": "High impact crime",
    "overlast": "Overlastregistraties",
}
FIGURE_HELP = {
    "totaal": "Alle door de politie geregistreerde misdrijven (CBS: Totaal misdrijven).",
    "hic": "Woninginbraak, overval, straatroof en geweld (bedreiging, mishandeling, openlijk geweld, "
    "zeden, moord en doodslag).",
    "overlast": "Door de politie geregistreerde overlast: burengerucht, jeugdoverlast en overlast door "
    "personen met onbegrepen gedrag.",
}
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class KeyFigureCard:
    figure: str
    label: str
    value: str
    delta: str | None  # "-308 (-4%) t.o.v. 2024", None when there is nothing to compare with
    per_1000: str
    source_line: str
    is_demo: bool
    is_provisional: bool
    help: str
    provenance: str | None = None  # provenance.DEMO, REAL or MIXED (of both years shown)
    comparison_note: str = ""  # why the years are not compared ('niet vergeleken: ...'), '' when they are

    @property
    def badge(self) -> str | None:
        """The provenance its badge shows: 'gemengd' for mixed counts, else 'demo' when the counts or
        the inhabitants under the rate are demo data."""
        if self.provenance == provenance.MIXED:
            return provenance.MIXED
        return provenance.DEMO if self.is_demo else self.provenance


def source_line(source_ids: str | None, sources: pd.DataFrame) -> str:
    """'Bron: CBS' / 'Bron: gemeente Dordrecht (document 002); demodata'."""
    if not source_ids or pd.isna(source_ids):
        return "Bron: geen gegevens"
    titles = sources.set_index("source_id")
    parts = []
    for source_id in source_ids.split(","):
        if source_id == DEMO_SOURCE:
            parts.append("demodata (gegenereerd)")
        elif source_id in titles.index:
            row = titles.loc[source_id]
            parts.append(f"{row['publisher']}, {row['title']}")
        else:
            parts.append(source_id)
    return "Bron: " + "; ".join(dict.fromkeys(parts))


def key_figure_cards(figures: pd.DataFrame, year: int, sources: pd.DataFrame) -> list[KeyFigureCard]:
    cards = []
    for row in figures.itertuples():
        count, previous = row.incident_count, row.previous_count
        delta = None
        now, before = provenance.key_figure_coverage(row), provenance.key_figure_coverage(row, previous=True)
        note = provenance.reason(now, before, str(year), str(year - 1)) if _is_count(previous) else ""
        if _is_count(count) and _is_count(previous) and previous and not note:
            change = count - previous
            delta = f"{formatting.signed(change)} ({formatting.change_percent(change / previous)}) t.o.v. {year - 1}"
        per_1000 = "Per 1.000 inwoners: " + formatting.number(row.per_1000, 1)
        if not formatting.is_missing(row.previous_per_1000) and not note:  # "niet vergeleken": no rate beside it
            per_1000 += f" ({year - 1}: {formatting.number(row.previous_per_1000, 1)})"
        sources_text = source_line(row.source_ids, sources)
        if row.previous_source_ids and row.previous_source_ids != row.source_ids:
            sources_text += f" · {year - 1}: " + source_line(row.previous_source_ids, sources).removeprefix("Bron: ")
        if provenance.MIXED in (now.provenance, before.provenance):
            sources_text += " · deels echte cijfers (import)"
        if row.population_is_demo:
            sources_text += " · inwonertal: demodata"
        cards.append(
            KeyFigureCard(
                figure=row.figure,
                label=FIGURE_LABELS[row.figure],
                value=formatting.shown(count),
                delta=delta,
                per_1000=per_1000,
                source_line=sources_text,
                is_demo=bool(row.is_demo or row.population_is_demo),
                is_provisional=bool(row.is_provisional),
                help=FIGURE_HELP[row.figure],
                provenance=provenance.combined([now.provenance, before.provenance if _is_count(previous) else None]),
                comparison_note=note,
            )
        )
    return cards


def _is_count(value: object) -> bool:
    """A count to compute with: not missing, nor a label a public view put in its place ('< 5', 'x')."""
    return not isinstance(value, str) and not formatting.is_missing(value)


# The option of the public release behind each key figure (CBS "Totaal misdrijven" is the sum of
# the categories of "Alle misdrijven").
FIGURE_OPTIONS = {"totaal": "misdrijven", "hic": "hic", "overlast": "overlast"}


def released_key_figures(
    figures: pd.DataFrame, figure: Callable[[str, int], tuple[float, str]], year: int, rules: disclosure.Rules
) -> pd.DataFrame:
    """The key figures as a public view shows them: each count is the public release's gemeente
    figure (`figure(option, year)`), a hidden one its label ('< 5' or 'x') without a rate."""
    out = figures.astype({"incident_count": object, "previous_count": object})
    for index, name in out["figure"].items():
        for column, rate, shown_year in (
            ("incident_count", "per_1000", year),
            ("previous_count", "previous_per_1000", year - 1),
        ):
            count, reason = figure(FIGURE_OPTIONS[name], shown_year)
            people = out.at[index, "inhabitants" if shown_year == year else "previous_inhabitants"]
            shown = reason == disclosure.SHOWN
            out.at[index, column] = (
                count if shown else (rules.small_label if reason == disclosure.SMALL else disclosure.HIDDEN_MARK)
            )
            out.at[index, rate] = count * 1000 / people if shown and _is_count(people) and people else float("nan")
    return out


def default_year(years: pd.DataFrame) -> int:
    """The newest year with all twelve months."""
    complete = years[years["months"] == 12]
    return int((complete if not complete.empty else years)["year"].max())


FEW_INHABITANTS_MARK = "¹"


def wijk_table(
    wijken: pd.DataFrame, min_inhabitants: int, rules: disclosure.Rules | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Wijken by crime per 1,000 inhabitants, highest first, as Dutch text for a static table, and
    the notes of the disclosure rules when `rules` are given (a public view).

    Wijken with fewer than `min_inhabitants` come last, their rate left out and marked, as the Kaart
    leaves it out: a handful of residents on a business park would otherwise top the list."""
    few = wijken["inhabitants"].fillna(0) < min_inhabitants
    ordered = wijken.assign(_few=few).sort_values(["_few", "crime_per_1000"], ascending=[True, False])
    ordered = ordered.reset_index(drop=True)
    notes: list[str] = []
    if rules is not None:
        counts = ["crime_count", "overlast_count"]
        protected = disclosure.protect_table(
            ordered.fillna({c: 0 for c in counts}),
            counts,
            rules,
            derived={"crime_per_1000": ["crime_count"]},
            labels={"crime_per_1000": "per 1.000 inwoners"},
        )
        ordered, notes = protected.frame, protected.notes
    return _wijk_rows(ordered, ordered["_few"].to_numpy()), notes


def _wijk_rows(ordered: pd.DataFrame, few: Sequence[bool]) -> pd.DataFrame:
    """The wijk table as Dutch text, rates of wijken with few inhabitants left out and marked."""
    rates = [_rate(rate, is_few) for rate, is_few in zip(ordered["crime_per_1000"], few, strict=True)]
    table = pd.DataFrame(
        {
            "Wijk": ordered["wijk_name"],
            "Inwoners": ordered["inhabitants"].map(formatting.number),
            "Misdrijven": ordered["crime_count"].map(formatting.shown),
            "Per 1.000 inwoners": rates,
            "Overlast": ordered["overlast_count"].map(formatting.shown),
        }
    )
    if "real_rows" not in ordered:
        return table
    empty = (ordered["cells"] == 0).to_numpy()  # no stored row in the year: no figures, not 0
    for column in ("Misdrijven", "Per 1.000 inwoners", "Overlast"):
        table.loc[empty, column] = provenance.NO_FIGURES
    origins = provenance.provenances(ordered)
    if provenance.combined(list(origins)) == provenance.MIXED:  # real wijken beside demo ones: say which
        table["Gegevens"] = origins.map(provenance.label).to_numpy()
    return table


def _rate(rate: float | str, few: bool) -> str:
    """A wijk's crime per 1,000 inhabitants as shown: none where few people live (marked), as the
    Kaart leaves it out there; a public view's label ('< 5', 'x') as it is."""
    if isinstance(rate, str):
        return rate
    return formatting.MISSING + FEW_INHABITANTS_MARK if few else formatting.number(rate, 1)


def released_wijk_table(
    wijken: pd.DataFrame, figure: Callable[[str, str], tuple[float, str]], min_inhabitants: int, rules: disclosure.Rules
) -> tuple[pd.DataFrame, list[str]]:
    """`wijk_table` as a public view shows it: each wijk's crime and overlast are the public
    release's (`figure(wijk_code, option)`, option 'misdrijven' or 'overlast'). Wijken with a hidden
    figure come after the others (their order would tell something of it), in code order."""
    counts = {"crime_count": "misdrijven", "overlast_count": "overlast"}
    found = {column: [figure(code, option) for code in wijken["area_code"]] for column, option in counts.items()}
    frame = wijken.assign(**{column: [count for count, _ in pairs] for column, pairs in found.items()})
    reasons = pd.DataFrame({column: [reason for _, reason in pairs] for column, pairs in found.items()})
    shown = reasons["crime_count"] == disclosure.SHOWN
    inhabitants = frame["inhabitants"].astype(float)
    frame["crime_per_1000"] = (frame["crime_count"] * 1000 / inhabitants.where(inhabitants > 0)).where(shown.to_numpy())
    few = (frame["inhabitants"].fillna(0) < min_inhabitants).to_numpy()
    order = (
        frame.assign(_few=few, _hidden=~shown.to_numpy())
        .sort_values(
            ["_few", "_hidden", "crime_per_1000", "area_code"], ascending=[True, True, False, True], kind="stable"
        )
        .index
    )
    frame, reasons = frame.loc[order].reset_index(drop=True), reasons.loc[order].reset_index(drop=True)
    protected = disclosure.labelled_table(
        frame,
        reasons,
        rules,
        counts=list(counts),
        derived={"crime_per_1000": ["crime_count"]},
        labels={"crime_per_1000": "per 1.000 inwoners"},
    )
    return _wijk_rows(protected.frame, frame["inhabitants"].fillna(0) < min_inhabitants), protected.notes


def wijk_provenance(wijken: pd.DataFrame) -> str | None:
    """The provenance of the wijk table: demo, echt or gemengd (ivpdata.provenance), of its counts
    and of the inhabitants beside them (and under its rates per 1,000)."""
    if "real_rows" not in wijken:
        return provenance.DEMO if wijken["is_demo"].any() else None
    inhabitants = provenance.of_flags(wijken["population_is_demo"])
    return provenance.combined([*provenance.provenances(wijken), inhabitants])


def few_inhabitants_note(min_inhabitants: int) -> str:
    return (
        f"{FEW_INHABITANTS_MARK} Minder dan {formatting.number(min_inhabitants)} inwoners: geen cijfer per "
        "1.000 inwoners, het zegt daar weinig (bedrijventerrein, water of buitengebied); zo ook op de Kaart."
    )


def discrepancy_notes(comparisons: pd.DataFrame) -> list[str]:
    """Explain published percentages that do not follow from the published counts."""
    from ivpdata.charts import has_discrepancy

    notes = []
    for row in comparisons.itertuples():
        if has_discrepancy(row.published_change_pct, row.computed_change_pct):
            notes.append(
                f"{row.category_name}: gepubliceerd {formatting.percent(row.published_change_pct / 100, sign=True)}, "
                f"maar {formatting.number(row.from_count)} naar {formatting.number(row.to_count)} is "
                f"{formatting.percent(row.computed_change_pct / 100, sign=True)}. Getoond zoals gepubliceerd."
            )
    return notes
