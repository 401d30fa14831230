"""What an import covers of a gemeente, said in plain Dutch before anyone confirms: the buurten,
months and categories the file holds, what happens to the figures stored for them (demo replaced,
real figures updated or equal), and that every buurt, month and category the file does not hold
keeps its figures. Missing is never zero: the demo data store a row for every buurt, month and
category, so a key the file lacks keeps its demo row, and totals over both are mixed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from ivpdata import provenance
from ivpdata.formatting import number
from ivpdata.importing.base import MONTH_NAMES

KEYS = ["gemeente_code", "area_code", "year", "month", "category_code"]
MIXED_LABEL = provenance.label(provenance.MIXED)  # the mark pages give a figure that sums real and demo rows
NAMED_COVERED = 3  # the covered buurten are named when there are at most this many
NAMED_OTHERS = 5  # the buurten left out are named when there are at most this many
NAMED_CATEGORIES = 3
MONTH_RUNS = 3  # more runs of consecutive months are said as a span


@dataclass(frozen=True)
class Words:
    """How one kind of import names what it holds."""

    holds: str  # "Het bestand bevat"
    category: tuple[str, str]  # one, many: "soort misdrijf", "soorten misdrijven"
    categories_short: str  # "soorten"
    figures: str  # "cijfers"
    demo: str  # "de demodata"
    rows: tuple[str, str]  # one, many: "rij", "rijen"
    demo_rows: tuple[str, str]  # "rij", "rijen"
    demo_stays: str  # "demodata blijven demo"
    absent: tuple[str, str]  # what one, or several, missing combinations of buurt, month and category are
    mixed: str  # the sentence when totals sum real and demo ({where}: wijken and gemeente, or {gemeente})


def _counts_words(category: tuple[str, str]) -> Words:
    return Words(
        holds="Het bestand bevat",
        category=category,
        categories_short="soorten",
        figures="cijfers",
        demo="de demodata",
        rows=("rij", "rijen"),
        demo_rows=("rij", "rijen"),
        demo_stays="demodata blijven demo",
        absent=("staat niet in het bestand", "staan niet in het bestand"),
        mixed=(
            "Daardoor zijn de totalen van {where} over die maanden en soorten deels echt en deels demo; ze worden "
            f"gemarkeerd als '{MIXED_LABEL}'."
        ),
    )


CRIME = _counts_words(("soort misdrijf", "soorten misdrijven"))
NUISANCE = _counts_words(("soort overlast", "soorten overlast"))
EVENTS = Words(
    holds="Het bestand bevat incidenten in",
    category=("categorie", "categorieën"),
    categories_short="categorieën",
    figures="incidenten",
    demo="de demo-incidenten",
    rows=("incident", "incidenten"),
    demo_rows=("demo-incident", "demo-incidenten"),
    demo_stays="demo-incidenten blijven demo",
    absent=("heeft geen incident in het bestand", "hebben geen incident in het bestand"),
    mixed=(
        "Daardoor tonen de hotspots van {gemeente} over die maanden en categorieën echte en demo-incidenten samen. "
        "De aantallen per buurt (Kaart, Trends) komen niet uit deze incidenten en veranderen niet."
    ),
)


@dataclass(frozen=True)
class Counts:
    """What the covered keys of one gemeente do to the stored rows."""

    demo: int = 0  # demo rows (or demo events) replaced
    changed: int = 0  # real rows updated
    same: int = 0  # real rows equal to the file
    fresh: int = 0  # rows where nothing was stored


def _plural(count: int, forms: tuple[str, str]) -> str:
    return f"{number(count)} {forms[0] if count == 1 else forms[1]}"


def _names(names: list[str], most: int) -> str:
    return f" ({', '.join(names)})" if 0 < len(names) <= most else ""


def months_text(months: list[dt.date]) -> str:
    """'januari t/m december 2025', 'maart 2025', 'januari t/m maart 2024 en juni 2024'; more than
    a few runs of consecutive months as their span: 'tussen maart 2020 en juni 2025'."""
    runs: list[list[dt.date]] = []
    for month in sorted(set(months)):
        index = month.year * 12 + month.month
        if runs and runs[-1][-1].year * 12 + runs[-1][-1].month + 1 == index:
            runs[-1].append(month)
        else:
            runs.append([month])

    def label(month: dt.date) -> str:
        return f"{MONTH_NAMES[month.month - 1]} {month.year}"

    if len(runs) > MONTH_RUNS:
        return f"tussen {label(runs[0][0])} en {label(runs[-1][-1])}"
    texts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            texts.append(label(first))
        elif first.year == last.year:
            texts.append(f"{MONTH_NAMES[first.month - 1]} t/m {label(last)}")
        else:
            texts.append(f"{label(first)} t/m {label(last)}")
    return " en ".join([", ".join(texts[:-1]), texts[-1]]) if len(texts) > 1 else texts[0]


def _categories_text(codes: list[str], names: dict[str, str], words: Words) -> str:
    shown = [names.get(code, code) for code in sorted(codes)]
    listed = ", ".join(shown[:NAMED_CATEGORIES]) + (
        f" en {number(len(shown) - NAMED_CATEGORIES)} andere" if len(shown) > NAMED_CATEGORIES else ""
    )
    return f"{_plural(len(shown), words.category)} ({listed})"


def _effect(counts: Counts, words: Words) -> list[str]:
    """What happens to the stored figures of the covered buurten, months and categories."""
    those = f"Voor die buurten, maanden en {words.categories_short}"
    sentences = []
    if counts.demo:
        sentences.append(
            f"{those} vervangen de echte {words.figures} {words.demo} ({_plural(counts.demo, words.demo_rows)})."
        )
    if counts.changed or counts.same:
        lead = "Waar al echte {0} stonden" if counts.demo else those + " stonden al echte {0}"
        sentences.append(
            f"{lead.format(words.figures)}: {_plural(counts.changed, words.rows)} worden bijgewerkt, "
            f"{number(counts.same)} zijn gelijk."
        )
    if counts.fresh and not sentences:
        sentences.append(f"{those} stonden nog geen {words.figures}: {_plural(counts.fresh, words.rows)} zijn nieuw.")
    elif counts.fresh:
        sentences.append(f"{_plural(counts.fresh, words.rows)} {'is' if counts.fresh == 1 else 'zijn'} nieuw.")
    return sentences


def _gemeente_sentences(
    keys: pd.DataFrame,
    buurten: pd.DataFrame,
    gemeente: str,
    category_names: dict[str, str],
    counts: Counts,
    mixed: tuple[list[str], bool],
    words: Words,
) -> list[str]:
    """The sentences for one gemeente: `keys` its covered keys, `buurten` all its buurten
    (area_code, display_name), `mixed` the wijken and whether the gemeente as a whole sum real and
    demo over the covered months and categories after the import."""
    # Distinct values first (vectorised): a national file holds hundreds of thousands of keys.
    covered = set(keys["area_code"].unique())
    names = dict(zip(buurten["area_code"], buurten["display_name"], strict=True))
    others = sorted(set(names) - covered)
    periods = keys[["year", "month"]].drop_duplicates()
    months = sorted({dt.date(int(y), int(m), 1) for y, m in zip(periods["year"], periods["month"], strict=True)})
    categories = sorted(set(keys["category_code"].unique()))
    sentences = [
        f"{words.holds} {number(len(covered))} van de {number(len(names))} buurten van {gemeente}"
        f"{_names([names.get(c, c) for c in sorted(covered)], NAMED_COVERED)}, "
        f"{_plural(len(months), ('maand', 'maanden'))} ({months_text(months)}) en "
        f"{_categories_text(categories, category_names, words)}.",
        *_effect(counts, words),
    ]
    grid = len(covered) * len(months) * len(categories)
    held = len(keys.drop_duplicates(["area_code", "year", "month", "category_code"]))
    if held < grid:
        one = grid - held == 1  # '1 van de 4 combinaties staat niet in het bestand en houdt haar cijfers'
        keeps = "houdt haar" if one else "houden hun"
        sentences.append(
            f"{number(grid - held)} van de {number(grid)} combinaties van buurt, maand en {words.category[0]} "
            f"{words.absent[0 if one else 1]} en {keeps} huidige {words.figures}."
        )
    rest = f"alle andere maanden en {words.categories_short} houden hun huidige {words.figures} ({words.demo_stays})."
    if others:
        shown = _names([names[c] for c in others], NAMED_OTHERS)
        sentences.append(f"De andere {number(len(others))} buurten{shown} en {rest}")
    else:
        sentences.append(f"Alle {number(len(names))} buurten staan in het bestand; {rest}")
    wijken, whole = mixed
    if wijken or whole:
        where = [_plural(len(wijken), ("wijk", "wijken")) + _names(wijken, NAMED_COVERED)] if wijken else []
        where += [gemeente] if whole else []
        sentences.append(words.mixed.format(where=" en van ".join(where), gemeente=gemeente))
    return sentences


def describe(
    con: duckdb.DuckDBPyConnection,
    keys: pd.DataFrame,
    counts: dict[str, Counts],
    mixed: dict[str, tuple[list[str], bool]],
    words: Words,
    totals_skipped: int = 0,
) -> list[str]:
    """The coverage of an import in Dutch: `keys` (KEYS) the buurt, month and category rows it
    holds, `counts` and `mixed` per gemeente (see `mixed_counts`, `mixed_events`)."""
    sentences: list[str] = []
    if keys.empty:
        sentences.append(
            f"Het bestand bevat geen {words.figures} per buurt: alle huidige {words.figures} blijven staan."
        )
    gemeenten = dict(con.execute("SELECT gemeente_code, name FROM municipalities").fetchall())
    categories = dict(con.execute("SELECT category_code, name FROM incident_categories").fetchall())
    areas = con.execute("SELECT gemeente_code, area_code, area_level, display_name FROM areas ORDER BY area_code").df()
    buurten = areas[areas["area_level"] == "buurt"]
    area_names = dict(zip(areas["area_code"], areas["display_name"], strict=True))
    for code, own in keys.groupby("gemeente_code", sort=True):
        wijken, whole = mixed.get(code, ([], False))
        sentences += _gemeente_sentences(
            own,
            buurten[buurten["gemeente_code"] == code],
            gemeenten.get(code, code),
            categories,
            counts.get(code, Counts()),
            ([area_names.get(w, w) for w in wijken], whole),
            words,
        )
    if totals_skipped:
        sentences.append(
            f"Wijk- en gemeentetotalen in het bestand ({_plural(totals_skipped, ('rij', 'rijen'))}) worden niet "
            "opgeslagen: die volgen uit de buurten; een buurt zonder eigen rij houdt zijn huidige cijfers."
        )
    return sentences


def _mixed(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame, rows_sql: str) -> dict[str, tuple[list[str], bool]]:
    """Per gemeente: the wijken, and whether the gemeente as a whole, hold both real and demo
    rows (`rows_sql`: gemeente_code, area_code (a buurt), year, month, category_code, is_demo) in
    the months and categories covered."""
    covered = keys[["gemeente_code", "year", "month", "category_code"]].drop_duplicates()
    con.register("coverage_keys", pa.Table.from_pandas(covered, preserve_index=False))
    try:
        found = con.execute(
            f"""WITH covered AS (SELECT DISTINCT gemeente_code, year, month, category_code FROM coverage_keys),
            per_wijk AS (
                SELECT r.gemeente_code, a.parent_code, bool_or(r.is_demo) AS demo, bool_or(NOT r.is_demo) AS real
                FROM ({rows_sql}) AS r
                INNER JOIN covered AS k ON r.gemeente_code = k.gemeente_code AND r.year = k.year
                    AND r.month = k.month AND r.category_code = k.category_code
                INNER JOIN areas AS a ON r.area_code = a.area_code
                GROUP BY ALL
            )
            SELECT gemeente_code, list(parent_code ORDER BY parent_code) FILTER (WHERE demo AND real),
                bool_or(demo) AND bool_or(real)
            FROM per_wijk GROUP BY ALL"""
        ).fetchall()
    finally:
        con.unregister("coverage_keys")
    return {code: (list(wijken or []), bool(whole)) for code, wijken, whole in found}


def mixed_counts(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> dict[str, tuple[list[str], bool]]:
    """`_mixed` over the monthly counts, as stored after the import."""
    rows = "SELECT gemeente_code, area_code, year, month, category_code, is_demo FROM incident_counts"
    return _mixed(con, keys, rows)


def mixed_events(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> dict[str, tuple[list[str], bool]]:
    """`_mixed` over the incident events, as stored after the import."""
    rows = (
        "SELECT gemeente_code, buurt_code AS area_code, year(occurred_at) AS year, month(occurred_at) AS month, "
        "category_code, is_demo FROM incident_events WHERE buurt_code IS NOT NULL"
    )
    return _mixed(con, keys, rows)
