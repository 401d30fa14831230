"""Trend series, the CompStat period table and "Wat valt op": data in, DataFrames out."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ivpdata import changes, disclosure, formatting, provenance, significance
from ivpdata.config import load_settings
from ivpdata.periods import Window, add_months, label, month_end, month_label
from ivpdata.safetext import markdown_literal

FREQUENCIES = {"month": "Maand", "quarter": "Kwartaal", "year": "Jaar"}
MEASURES = {"count": "Aantal", "per_1000": "Per 1.000 inwoners"}
RISE_MARK, FALL_MARK = "▲", "▼"


def monthly_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum the categories: one row per target and month, with `month_start` as a date."""
    if counts.empty:
        return pd.DataFrame(columns=["target_code", "month_start", "incident_count", "is_provisional", "is_demo"])
    sources = {c: (c, "sum") for c in ("real_rows", "demo_rows") if c in counts}  # provenance.of_rows
    totals = counts.groupby(["target_code", "year", "month"], as_index=False).agg(
        incident_count=("incident_count", "sum"),
        is_provisional=("is_provisional", "any"),
        is_demo=("is_demo", "any"),
        **sources,
    )
    totals["month_start"] = pd.to_datetime({"year": totals["year"], "month": totals["month"], "day": 1})
    return totals.drop(columns=["year", "month"])


def counts_provenance(counts: dict[str, pd.DataFrame]) -> str | None:
    """The provenance of figures summed from target_month_counts frames (ivpdata.provenance):
    'gemengd' when real rows stand beside demo rows."""
    found = []
    for frame in counts.values():
        if frame.empty:
            continue
        if "real_rows" in frame:
            found.append(provenance.of_rows(int(frame["real_rows"].sum()), int(frame["demo_rows"].sum())))
        else:
            found.append(provenance.DEMO if frame["is_demo"].any() else provenance.REAL)
    return provenance.combined(found)


def series(
    counts: pd.DataFrame,
    population: pd.DataFrame,
    frequency: str = "month",
    measure: str = "count",
    rolling_12: bool = False,
    index_base_year: int | None = None,
) -> pd.DataFrame:
    """One value per target and period.

    counts: target_month_counts rows; population: target_population rows. A rolling 12-month sum
    applies to monthly series (the first 11 months have none). With an index base year, values
    are relative to the base year's average period (= 100). Periods with fewer months than
    they span (a year still running) are marked incomplete."""
    monthly = monthly_totals(counts)
    frames = []
    for target, group in monthly.groupby("target_code", sort=False):
        group = group.set_index("month_start").sort_index()
        group = group.reindex(pd.date_range(group.index.min(), group.index.max(), freq="MS"))
        counts_ = group["incident_count"]  # a month without any row is not covered: a gap, never 0
        provisional = group["is_provisional"].fillna(False).astype(bool)
        demo = group["is_demo"].fillna(False).astype(bool)
        rows = group[["real_rows", "demo_rows"]].fillna(0) if "real_rows" in group else None
        if frequency == "month":
            values = counts_.rolling(12, min_periods=12).sum() if rolling_12 else counts_
            frame = pd.DataFrame(
                {"incident_count": values, "is_provisional": provisional, "is_demo": demo, "is_complete": True}
            )
        else:
            rule = {"quarter": "QS", "year": "YS"}[frequency]
            span = {"quarter": 3, "year": 12}[frequency]
            frame = pd.DataFrame(
                {
                    "incident_count": counts_.resample(rule).sum(min_count=1),  # no month at all: a gap
                    "is_provisional": provisional.resample(rule).max(),
                    "is_demo": demo.resample(rule).max(),
                    "is_complete": counts_.resample(rule).count() == span,
                }
            )
        if rows is not None:  # the provenance of each period (a rolling sum: of its last month's rows)
            summed = rows if frequency == "month" else rows.resample({"quarter": "QS", "year": "YS"}[frequency]).sum()
            frame["provenance"] = provenance.provenances(summed.reindex(frame.index).fillna(0))
        frames.append(frame.rename_axis("period_start").reset_index().assign(target_code=target))
    if not frames:
        return pd.DataFrame(
            columns=["target_code", "period_start", "incident_count", "value", "is_provisional", "is_complete"]
        )
    result = pd.concat(frames, ignore_index=True)
    result["year"] = result["period_start"].dt.year
    inhabitants = population.set_index(["target_code", "year"])["inhabitants"]
    keys = pd.MultiIndex.from_frame(result[["target_code", "year"]])
    result["inhabitants"] = inhabitants.reindex(keys).to_numpy()
    if measure == "per_1000":
        result["value"] = result["incident_count"] * 1000 / result["inhabitants"].astype(float)
    else:
        result["value"] = result["incident_count"].astype(float)
    if index_base_year is not None:
        base = result[result["year"] == index_base_year].groupby("target_code")["value"].mean()
        base = base.where(base != 0)  # no index on 0: no figure (the page says why), not an infinite one
        result["value"] = result["value"] / result["target_code"].map(base) * 100
    return result.drop(columns=["year"])


def window_counts(monthly: pd.DataFrame, window: Window) -> tuple[pd.Series, pd.Series]:
    """Counts per category in a window's period and its earlier period (`monthly`: one row per
    category and month_start)."""

    def within(period: tuple[dt.date, dt.date]) -> pd.Series:
        mask = monthly["month_start"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))
        return monthly[mask].groupby("category_code")["incident_count"].sum()

    return within(window.period), within(window.earlier)


def window_reasons(monthly: pd.DataFrame, window: Window, codes: pd.Index) -> np.ndarray:
    """Per category: '' when the window's two periods may be compared, else why not (different
    provenance or coverage, ivpdata.provenance). Rows without coverage columns are comparable."""
    if "real_rows" not in monthly:
        return np.full(len(codes), "", dtype=object)
    now, before = (provenance.coverage_by_category(monthly, p) for p in (window.period, window.earlier))
    texts = label(window.period), label(window.earlier)
    empty = provenance.Coverage()
    found = [provenance.reason(now.get(code, empty), before.get(code, empty), *texts) for code in codes]
    return np.array(found, dtype=object)


def compstat(counts: pd.DataFrame, windows: list[Window], level: float, names: dict[str, str]) -> pd.DataFrame:
    """Per category and window: now, a year earlier, difference, % change, p-value and verdict.

    counts: target_month_counts rows of one target."""
    monthly = counts.assign(month_start=pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1}))
    rows = []
    for window in windows:
        now, before = window_counts(monthly, window)
        codes = now.index.union(before.index)
        now, before = now.reindex(codes, fill_value=0), before.reindex(codes, fill_value=0)
        reasons = window_reasons(monthly, window, codes)
        p = np.where(reasons == "", significance.p_value(now.to_numpy(), before.to_numpy()), np.nan)
        verdicts = np.where(
            reasons == "",
            significance.verdict(now.to_numpy(), before.to_numpy(), level, p),
            significance.NOT_COMPARABLE,
        )
        rows.append(
            pd.DataFrame(
                {
                    "category_code": codes,
                    "category_name": [names.get(c, c) for c in codes],
                    "window": window.label,
                    "period": label(window.period),
                    "start": window.period[0],
                    "end": month_end(window.period[1]),
                    "earlier_start": window.earlier[0],
                    "earlier_end": month_end(window.earlier[1]),
                    "current": now.to_numpy(),
                    "earlier": before.to_numpy(),
                    "difference": (now - before).to_numpy(),
                    "change": np.where(before > 0, (now - before) / before.where(before > 0) * 100, np.nan),
                    "p_value": p,
                    "verdict": verdicts,
                    "reason": reasons,
                }
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def corrected(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """A CompStat table with its verdicts corrected for testing all its cells at once: 35 categories
    x 4 periods are ~140 tests, and at 5% about seven unchanged cells would be marked by chance. The
    p-values are adjusted (Benjamini-Hochberg, `significance.adjusted`, as "Wat valt op") before
    the level applies; adds `adjusted_p`. Tested are the cells with an incident in either period
    and a p-value shown: in a public view a hidden one ('x') is neither tested nor counted."""
    p = pd.to_numeric(table["p_value"], errors="coerce")
    current, earlier = (pd.to_numeric(table[c], errors="coerce").fillna(0) for c in ("current", "earlier"))
    tested = p.notna() & (current + earlier > 0)
    hidden = p.isna() & (table["verdict"] != significance.NOT_COMPARABLE)
    adjusted_p = pd.Series(np.nan, index=table.index, dtype=object if hidden.any() else float)
    adjusted_p[hidden] = table.loc[hidden, "p_value"]
    adjusted_p[tested] = significance.adjusted(p[tested].to_numpy())
    verdict = table["verdict"].copy()
    verdict[tested] = significance.verdict(current[tested], earlier[tested], level, adjusted_p[tested].to_numpy())
    return table.assign(adjusted_p=adjusted_p, verdict=verdict)


def compstat_caption(area_name: str, reference: dt.date, level: float, table: pd.DataFrame) -> str:
    """The caption above a `corrected` CompStat table (Markdown; the area's name kept literal)."""
    tests = int(pd.to_numeric(table["adjusted_p"], errors="coerce").notna().sum()) if "adjusted_p" in table else 0
    return (
        f"{markdown_literal(area_name)} · peilmaand {month_label(reference)} · elke periode tegen dezelfde maanden "
        f"een jaar eerder: aantal (verschil; verandering). {RISE_MARK} en {FALL_MARK}: stijging of daling buiten "
        f"het toeval (exacte Poisson-toets, niveau {formatting.number(level * 100)}%, gecorrigeerd voor de "
        f"{formatting.number(tests)} toetsen in deze tabel (Benjamini-Hochberg, zoals bij 'Wat valt op')); zonder "
        "teken is de verandering niet significant."
    ) + not_compared_note(table)


def not_compared_note(table: pd.DataFrame) -> str:
    """' 12 cellen niet vergeleken: ...' for CompStat cells whose periods differ in provenance or
    coverage (not tested, not counted among the tests); '' when there are none."""
    if "reason" not in table:
        return ""
    skipped = table.loc[table["verdict"] == significance.NOT_COMPARABLE, "reason"]
    if skipped.empty:
        return ""
    first = str(skipped.mode().iloc[0]).removeprefix(f"{provenance.NOT_COMPARED}: ")
    return (
        f" {formatting.number(len(skipped))} cellen zijn niet vergeleken, omdat de periodes verschillen in herkomst "
        f"of dekking (bijvoorbeeld: {markdown_literal(first)})."
    )


def change_text(percent: float) -> str:
    """'+14%'; '0%' for no change at all; 'nieuw' where there was nothing to compare with."""
    if pd.isna(percent):
        return "nieuw"
    return "0%" if percent == 0 else formatting.change_percent(percent / 100)


def compstat_cell(row: pd.Series) -> str:
    """'140 (+17; +14%) ▲': now, the absolute and % change against a year earlier, and a mark only
    where the change is significant. In a public view a hidden count shows as '< 5' or 'x': with
    the count hidden nothing follows it; with only the earlier count hidden the change is 'x'."""
    current = row["current"]
    if isinstance(current, str):
        return current
    if any(isinstance(row[c], str) for c in ("earlier", "difference", "change")):
        return f"{formatting.number(current)} (x)"
    if row.get("verdict") == significance.NOT_COMPARABLE:
        return f"{formatting.number(current)} ({significance.NOT_COMPARABLE})"
    if row["earlier"] == 0 and current == 0:
        return "0 (0)"
    change = f"{formatting.signed(row['difference'])}; {change_text(row['change'])}"
    mark = {significance.RISE: f" {RISE_MARK}", significance.FALL: f" {FALL_MARK}"}.get(row["verdict"], "")
    return f"{formatting.number(current)} ({change}){mark}"


def provisional_windows(counts: pd.DataFrame, windows: list[Window]) -> dict[str, list[dt.date]]:
    """Per window (by label): its provisional months, in its period or the one a year earlier.

    counts: target_month_counts rows (year, month, is_provisional)."""
    flagged = counts[counts["is_provisional"].astype(bool)]
    months = sorted({dt.date(int(y), int(m), 1) for y, m in zip(flagged["year"], flagged["month"], strict=True)})
    return {
        w.label: [m for m in months if w.period[0] <= m <= w.period[1] or w.earlier[0] <= m <= w.earlier[1]]
        for w in windows
    }


# Short, so that the CompStat table's five columns fit a 1400 px window beside the sidebar: with
# 'Laatste 12 maanden (voorlopig)' the last one was cut off. The note under the table says what it means.
PROVISIONAL_LABEL = "voorl."


def compstat_headers(windows: list[Window], provisional: dict[str, list[dt.date]]) -> dict[str, str]:
    """Column headers of the CompStat table, by window label: the short heading ('Laatste 3 mnd'),
    with ' (voorl.)' where a month is provisional."""
    return {w.label: w.heading + (f" ({PROVISIONAL_LABEL})" if provisional.get(w.label) else "") for w in windows}


def months_text(months: list[dt.date]) -> str:
    """'juli 2025 t/m december 2025' for consecutive months, else 'maart 2025, mei 2025'."""
    if not months:
        return ""
    consecutive = all(add_months(a, 1) == b for a, b in itertools.pairwise(months))
    if consecutive and len(months) > 1:
        return f"{month_label(months[0])} t/m {month_label(months[-1])}"
    return ", ".join(month_label(m) for m in months)


def provisional_note(provisional: dict[str, list[dt.date]]) -> str:
    """'Voorlopig: juli 2025 t/m december 2025 ...' naming the provisional months of the table."""
    months = sorted({m for found in provisional.values() for m in found})
    if not months:
        return ""
    return (
        f"Voorlopig: {months_text(months)}. De politie kan deze cijfers nog aanpassen; een kolom met "
        f"'({PROVISIONAL_LABEL})' in de kop bevat zulke maanden."
    )


def compstat_matrix(table: pd.DataFrame, windows: list[Window], order: list[str]) -> pd.DataFrame:
    """Categories as rows, windows as columns, each cell as `compstat_cell`; categories in `order`
    (those without any incident in any window left out)."""
    if table.empty:
        return pd.DataFrame(columns=["Categorie", *[w.label for w in windows]])
    table = table.assign(cell=table.apply(compstat_cell, axis=1))
    wide = table.pivot(index="category_code", columns="window", values="cell")
    counted = table.assign(**{c: pd.to_numeric(table[c], errors="coerce") for c in ("current", "earlier")})
    totals = counted.groupby("category_code")[["current", "earlier"]].sum().sum(axis=1)
    shown = [c for c in order if c in wide.index and totals[c] > 0]
    names = table.drop_duplicates("category_code").set_index("category_code")["category_name"]
    matrix = wide.loc[shown, [w.label for w in windows]].reset_index(drop=True)
    matrix.insert(0, "Categorie", names.loc[shown].to_numpy())
    return matrix


def verdict_styles(matrix: pd.DataFrame) -> pd.DataFrame:
    """CSS per cell of a `compstat_matrix`: red for a significant rise, blue for a fall."""
    styles = pd.DataFrame("", index=matrix.index, columns=matrix.columns)
    for column in matrix.columns[1:]:
        styles[column] = matrix[column].map(
            lambda cell: (
                "background-color: #f4cccc; color: #7a0000"
                if cell.endswith(RISE_MARK)
                else ("background-color: #cfe2f3; color: #08306b" if cell.endswith(FALL_MARK) else "color: #555")
            )
        )
    return styles


def testable(changes: pd.DataFrame, min_count: int) -> pd.Series:
    """The pairs "Wat valt op" tests: at least `min_count` incidents now or a year earlier. Smaller
    pairs move too much by chance to say anything and are neither tested nor listed."""
    return (changes[["incident_count", "comparison_count"]].max(axis=1) >= min_count) & comparable(changes)


def not_compared(changes: pd.DataFrame, min_count: int) -> int:
    """How many pairs large enough to test are left out because their periods differ in provenance
    or coverage (partly real, partly demo data; months or buurten without figures)."""
    large = changes[["incident_count", "comparison_count"]].max(axis=1) >= min_count
    return int((large & ~comparable(changes)).sum())


def comparable(changes: pd.DataFrame) -> pd.Series:
    """The pairs whose two periods are of the same provenance and fully covered (ivpdata.provenance);
    pairs without coverage columns are comparable."""
    if "real_rows" not in changes:
        return pd.Series(True, index=changes.index)
    return provenance.reasons(changes, "nu", "eerder") == ""


def notable_changes(changes: pd.DataFrame, level: float, min_count: int, limit: int) -> pd.DataFrame:
    """The largest significant changes among many area x category pairs.

    With thousands of pairs, a plain 5% level flags dozens by chance: p-values are adjusted
    (Benjamini-Hochberg) before the level applies. Pairs below `min_count` in both periods are
    not listed (and not tested). Largest absolute difference first."""
    candidates = changes[testable(changes, min_count)].copy()
    if candidates.empty:
        return candidates.assign(p_value=[], adjusted_p=[], difference=[], change=[])
    candidates["p_value"] = significance.p_value(candidates["incident_count"], candidates["comparison_count"])
    candidates["adjusted_p"] = significance.adjusted(candidates["p_value"].to_numpy())
    candidates["difference"] = candidates["incident_count"] - candidates["comparison_count"]
    before = candidates["comparison_count"].where(candidates["comparison_count"] > 0)
    candidates["change"] = candidates["difference"] / before * 100
    significant = candidates[candidates["adjusted_p"] < level]
    order = significant["difference"].abs().sort_values(ascending=False, kind="stable").index
    return significant.loc[order].head(limit).reset_index(drop=True)


def public_notable(
    notable: pd.DataFrame, changes: pd.DataFrame, rules: disclosure.Rules, limit: int, level: str = "buurt"
) -> tuple[pd.DataFrame, list[str]]:
    """The "Wat valt op" list as a public view may show it, with the notes to show under it.

    notable: `notable_changes` of all pairs (no limit); changes: every pair of the level. Sensitive
    categories are left out below the level where they may be shown (always said, so the note
    reveals nothing). A listed count is protected as the public Kaart protects the map of its
    category: all areas of the level, each period summing to a public total; a hidden count reads
    '< 5' or 'x', and its change 'x'."""
    pair = ["incident_count", "comparison_count"]
    notes = []
    if rules.is_sensitive(tuple(rules.sensitive_categories), level):
        said = rules.notes([disclosure.SENSITIVE], chart=True)[0].removesuffix(".")
        notes.append(f"{said} en staan daarom niet in deze lijst.")
    sensitive = notable["category_code"].map(lambda code: rules.is_sensitive(str(code), level)).astype(bool)
    rows = notable[~sensitive].head(limit).reset_index(drop=True)
    shown = rows.astype({column: object for column in [*pair, "change"]})
    reasons: set[str] = set()
    for category in dict.fromkeys(rows["category_code"]):
        cells = changes[changes["category_code"] == category].sort_values("area_code").reset_index(drop=True)
        protected = disclosure.protect_table(cells[["area_code", *pair]], pair, rules, lines=[[]])
        labels = protected.frame.set_index("area_code")[pair]
        found = protected.reasons.set_index(cells["area_code"])[pair]
        for index in rows.index[rows["category_code"] == category]:
            area = rows.at[index, "area_code"]
            hidden = [column for column in pair if found.at[area, column] != disclosure.SHOWN]
            for column in hidden:
                shown.at[index, column] = labels.at[area, column]
                reasons.add(found.at[area, column])
            if hidden:
                shown.at[index, "change"] = disclosure.HIDDEN_MARK
    return shown, [*notes, *rules.notes(reasons)]


def notable_text(row: dict | pd.Series, minimum: int | None = None) -> str:
    """'Wielwijk, Woninginbraak: 12 → 31 (+158%)'; on a base under `minimum` incidents (default:
    `min_incidents_for_change`) the counts without a percentage, as the Kaart and the PDF say it
    (`changes`); in a public view a hidden count reads '< 5' or 'x' and its change is left out."""
    mark = RISE_MARK if row["difference"] > 0 else FALL_MARK
    minimum = changes.min_base(load_settings()) if minimum is None else minimum
    hidden = isinstance(row["change"], str)
    counts = changes.counts_text(row["comparison_count"], row["incident_count"], minimum, hidden=hidden)
    return f"{mark} **{row['area_name']}**, {row['category_name']}: {counts}"


def last_twelve_months(reference: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The 12 months up to the reference month and the 12 months before them."""
    start = add_months(reference, -11)
    return (start, reference), (add_months(start, -12), add_months(reference, -12))


TIME_FORMATS = {"month": "%b %Y", "quarter": "K%q %Y", "year": "%Y"}  # K4 2024: the fourth quarter
LEVEL_NAMES = {"gemeente": "gemeente", "groep": "gebiedsgroep", "wijk": "wijk", "buurt": "buurt"}


def target_labels(areas: pd.DataFrame) -> list[str]:
    """'Wielwijk (wijk)', 'Van Kinsbergenstraat en omgeving (buurt in Wielwijk)'."""
    labels = []
    for row in areas.itertuples():
        if row.target_level == "buurt" and isinstance(row.parent_name, str):
            labels.append(f"{row.target_name} (buurt in {row.parent_name})")
        else:
            labels.append(f"{row.target_name} ({LEVEL_NAMES.get(row.target_level, row.target_level)})")
    return labels


def chart_data(
    counts: dict[str, pd.DataFrame],
    population: pd.DataFrame,
    frequency: str,
    measure: str,
    rolling_12: bool,
    index_base_year: int | None,
    area_names: dict[str, str],
    option_names: dict[str, str],
) -> pd.DataFrame:
    """One series per area and option ('Wielwijk (wijk) · Woninginbraak' when several options): per
    option in the order of `counts`, its areas in the order of `area_names` (the chart's colours
    and legend follow the order)."""
    frames = []
    position = {code: i for i, code in enumerate(area_names)}
    for option, option_counts in counts.items():
        frame = series(option_counts, population, frequency, measure, rolling_12, index_base_year)
        label = frame["target_code"].map(area_names)
        frame["Reeks"] = label + f" · {option_names[option]}" if len(counts) > 1 else label
        frame["option_code"] = option
        frames.append(frame.sort_values("target_code", key=lambda codes: codes.map(position), kind="stable"))
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    data = data.dropna(subset=["value"])
    # A period still running is shown as provisional: it is not comparable with whole periods.
    data["is_provisional"] = data["is_provisional"] | ~data["is_complete"].astype(bool)
    return data.rename(columns={"period_start": "Periode", "value": "Waarde"})


def gaps_note(counts: dict[str, pd.DataFrame], area_names: dict[str, str]) -> str:
    """One Dutch line naming the months without any row between a series' first and last month
    (not covered by any file: no figure, never 0), e.g. 'Geen cijfers voor Dordrecht (gemeente):
    apr 2024 - jun 2024; de lijn gaat daar zonder waarde door.'; '' when there are none."""
    gaps: dict[str, list[str]] = {}
    for frame in counts.values():
        for target, totals in monthly_totals(frame).groupby("target_code"):
            present = pd.DatetimeIndex(totals["month_start"])
            missing = pd.date_range(present.min(), present.max(), freq="MS").difference(present)
            for run in _runs([month.date() for month in missing]):
                gaps.setdefault(area_names.get(str(target), str(target)), []).append(label(run))
    if not gaps:
        return ""
    named = "; ".join(f"{name}: {', '.join(dict.fromkeys(runs))}" for name, runs in gaps.items())
    return f"Geen cijfers voor {named}; de lijn gaat daar zonder waarde door."


def _runs(months: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive months as (first, last) runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for month in months:
        if runs and add_months(runs[-1][1], 1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def chart_title(
    measure: str, frequency: str, rolling_12: bool, index_base_year: int | None, options: Sequence[str] = ()
) -> str:
    """The chart's title: what it counts (the one category chosen by name; several are named by
    the legend), per what, and how often."""
    what = (options[0] if len(options) == 1 else "Geregistreerde incidenten") + (
        " per 1.000 inwoners" if measure == "per_1000" else ""
    )
    if rolling_12 and frequency == "month":
        what += ", voortschrijdend totaal over 12 maanden"
    else:
        what += {"month": " per maand", "quarter": " per kwartaal", "year": " per jaar"}[frequency]
    return what + (f" (index, {index_base_year} = 100)" if index_base_year else "")


def y_title(measure: str, index_base_year: int | None) -> str:
    if index_base_year:
        return f"Index ({index_base_year} = 100)"
    return MEASURES[measure]


def value_format(measure: str, index_base_year: int | None) -> str:
    return ",.0f" if index_base_year or measure == "count" else ",.1f"


def lockdowns(named_periods: dict) -> pd.DataFrame:
    return pd.DataFrame(named_periods.get("lockdowns", []), columns=["name", "start", "end", "intensity"])


def measure_markers(notes: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Dated measures taken in the chosen areas (or their wijk or group), one rule each."""
    rows = []
    for frame in notes.values():
        dated = frame[(frame["kind"] == "maatregel") & frame["note_date"].notna()]
        for note in dated.itertuples():
            rows.append({"Datum": pd.Timestamp(note.note_date), "Maatregel": note.text, "note_id": note.note_id})
    markers = pd.DataFrame(rows, columns=["Datum", "Maatregel", "note_id"])
    return markers.drop_duplicates("note_id").drop(columns="note_id")


def export_table(data: pd.DataFrame) -> pd.DataFrame:
    """The chart's data as a table for download."""
    return pd.DataFrame(
        {
            "Reeks": data["Reeks"],
            "Periode": pd.to_datetime(data["Periode"]).dt.date,
            "Aantal": data["incident_count"],
            "Inwoners": data["inhabitants"],
            "Waarde": data["Waarde"].round(2),
            "Voorlopig": data["is_provisional"].map({True: "ja", False: "nee"}),
            "Demodata": data["is_demo"].map({True: "ja", False: "nee"}),
            **({"Gegevens": data["provenance"].map(provenance.label)} if "provenance" in data else {}),
        }
    )


def reference_month(available_years: pd.DataFrame, year: int) -> dt.date:
    """CompStat's peilmaand: December of the chosen year, or the last month with data in it."""
    row = available_years[available_years["year"] == year]
    last = int(row["last_month"].iloc[0]) if "last_month" in row and not row.empty else 12
    return dt.date(year, last, 1)


def compstat_export(table: pd.DataFrame, provisional: dict[str, list[dt.date]] | None = None) -> pd.DataFrame:
    """The CompStat table in long form, as the screen shows it: count, absolute and % change,
    verdict, and whether a period holds provisional months."""
    provisional = provisional or {}
    return pd.DataFrame(
        {
            "Categorie": table["category_name"],
            "Periode": table["window"],
            "Van": table["start"],
            "Tot en met": table["end"],
            "Vergeleken met (van)": table["earlier_start"],
            "Vergeleken met (tot en met)": table["earlier_end"],
            "Aantal": table["current"],
            "Een jaar eerder": table["earlier"],
            "Verschil": table["difference"],
            "Verandering (%)": table["change"].map(lambda v: v if isinstance(v, str) else round(v, 1)),
            "p-waarde": table["p_value"].map(lambda v: v if isinstance(v, str) else round(v, 4)),
            "p-waarde gecorrigeerd": table.get("adjusted_p", pd.Series(np.nan, index=table.index)).map(
                lambda v: v if isinstance(v, str) else round(v, 4)
            ),
            "Oordeel": table["verdict"],
            "Voorlopig": table["window"].map(lambda w: "ja" if provisional.get(w) else "nee"),
        }
    )


PROFILE_OPTIONS = ("misdrijven", "hic", "overlast")  # all crime, high impact crime, overlast


def profile_figures(
    counts: dict[str, pd.DataFrame],
    population: pd.DataFrame,
    target: str,
    city: str,
    year: int,
    option_names: dict[str, str],
    level: float,
    months: int = 12,
    *,
    minimum: int,
) -> pd.DataFrame:
    """Key figures of an area against the city for `year`, with the change against the year before.

    counts: target_month_counts of [target, city] per option. A year with data for only its first
    `months` months is compared with the same months of the year before ("Aantal 2024 (jan 2024 -
    jun 2024)");
    its rates then cover those months too, for the area and the city alike, so the index holds."""
    inhabitants = population.set_index(["target_code", "year"])["inhabitants"]
    same_months = (dt.date(year - 1, 1, 1), dt.date(year - 1, months, 1))
    earlier = f"Aantal {year - 1}" + (f" ({label(same_months)})" if months < 12 else "")
    rows = []
    for option, frame in counts.items():
        yearly = frame[frame["month"] <= months].groupby(["target_code", "year"])["incident_count"].sum()
        now = int(yearly.get((target, year), 0))
        before = int(yearly.get((target, year - 1), 0))
        people = inhabitants.get((target, year))
        rate = now * 1000 / people if people else np.nan
        city_people = inhabitants.get((city, year))
        city_rate = yearly.get((city, year), 0) * 1000 / city_people if city_people else np.nan
        p = significance.p_value(now, before)
        reason = _profile_reason(frame, target, year, months) or _profile_reason(frame, city, year, months)
        rows.append(
            {
                "Onderwerp": option_names.get(option, option),
                f"Aantal {year}": now if _has_rows(frame, target, year) else provenance.NO_FIGURES,
                earlier: before if _has_rows(frame, target, year - 1) else provenance.NO_FIGURES,
                "Verandering (%)": np.nan if reason else changes.relative(before, now, minimum),
                "Oordeel": reason or str(significance.verdict(now, before, level, p)),
                "Per 1.000 inwoners": rate,
                "Stad per 1.000": city_rate,
                "Index (stad = 100)": rate / city_rate * 100 if city_rate else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _has_rows(frame: pd.DataFrame, target: str, year: int) -> bool:
    """Whether a target has any stored row in a year (without: 'geen cijfers', not 0)."""
    if "real_rows" not in frame:
        return True
    return bool(((frame["target_code"] == target) & (frame["year"] == year)).any())


def _profile_reason(frame: pd.DataFrame, target: str, year: int, months: int) -> str:
    """Why the first `months` months of `year` are not compared with those of the year before."""
    if "real_rows" not in frame:
        return ""
    mine = frame[frame["target_code"] == target]
    now, before = ((dt.date(y, 1, 1), dt.date(y, months, 1)) for y in (year, year - 1))
    return provenance.reason(
        provenance.monthly_coverage(mine, now), provenance.monthly_coverage(mine, before), str(year), str(year - 1)
    )


PROFILE_DECIMALS = {"Verandering (%)": 1, "Per 1.000 inwoners": 1, "Stad per 1.000": 1}


def note_when(note_date: object, date_note: object) -> str:
    """'1 september 2022', or 'ca. september 2022' when the document gives no exact date."""
    if note_date is None or pd.isna(note_date):
        return ""
    day = pd.Timestamp(note_date).date()
    if isinstance(date_note, str) and date_note:
        return f"ca. {month_label(day)}"
    return formatting.date(day)


def first_month(available_years: pd.DataFrame) -> dt.date:
    """The first month with data: the first year's months are taken to run up to its last month."""
    first = available_years.loc[available_years["year"].idxmin()]
    return dt.date(int(first["year"]), max(1, int(first["last_month"]) - int(first["months"]) + 1), 1)


def notable_caption(
    period: tuple[dt.date, dt.date],
    comparison: tuple[dt.date, dt.date],
    tested: int,
    level: float,
    untested: int | None = None,
    min_count: int | None = None,
    provisional: bool = False,
    subject: str = "Buurt en categorie",
    not_compared: int = 0,
) -> str:
    """What "Wat valt op" compares and how: `tested` pairs tested at once, `untested` pairs with
    fewer than `min_count` incidents in both periods too small to test; `subject`: what is listed."""
    text = (
        f"{subject} met de grootste verandering van {label(comparison)} naar {label(period)}"
        + (" (deels voorlopige cijfers)" if provisional else "")
        + ", alleen waar die buiten het toeval valt: exacte Poisson-toets, gecorrigeerd omdat "
        f"{formatting.number(tested)} combinaties tegelijk zijn getoetst (Benjamini-Hochberg, "
        f"{formatting.number(level * 100)}%)."
    )
    untested = (untested or 0) - not_compared
    if untested and min_count:
        text += (
            f" {formatting.number(untested)} combinaties met minder dan {formatting.number(min_count)} incidenten "
            "in beide periodes zijn niet getoetst: te klein om iets te zeggen."
        )
    if not_compared:
        text += (
            f" {formatting.number(not_compared)} combinaties zijn niet vergeleken: de twee periodes verschillen in "
            "herkomst (echte cijfers of demodata) of dekking (buurten of maanden zonder cijfers)."
        )
    return text


def notable_short_caption(
    period: tuple[dt.date, dt.date], comparison: tuple[dt.date, dt.date], level: float, provisional: bool
) -> str:
    """`notable_caption` in one line, for a slide on a big screen (presentatiemodus), where the
    full method text pushed the slide past the screen."""
    return (
        f"Van {label(comparison)} naar {label(period)}"
        + (" (deels voorlopige cijfers)" if provisional else "")
        + ": alleen veranderingen buiten het toeval (exacte Poisson-toets, Benjamini-Hochberg, "
        f"{formatting.number(level * 100)}%)."
    )


def view_months(available_years: pd.DataFrame) -> list[dt.date]:
    """Every month from the first with data to the last: the Trends page's Periode slider."""
    last = available_years.loc[available_years["year"].idxmax()]
    end = dt.date(int(last["year"]), int(last["last_month"]), 1)
    months, month = [], first_month(available_years)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def in_view(data: pd.DataFrame, window: tuple[dt.date, dt.date], frequency: str) -> pd.DataFrame:
    """The `chart_data` rows whose period overlaps the window of months (a quarter or year that
    runs into it is kept whole)."""
    span = {"month": 1, "quarter": 3, "year": 12}[frequency]
    starts = pd.to_datetime(data["Periode"])
    ends = starts + pd.DateOffset(months=span)
    return data[(starts <= pd.Timestamp(window[1])) & (ends > pd.Timestamp(window[0]))]


def markers_in_view(markers: pd.DataFrame, window: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """The measure markers dated within the window of months."""
    dates = pd.to_datetime(markers["Datum"])
    return markers[(dates >= pd.Timestamp(window[0])) & (dates <= pd.Timestamp(month_end(window[1])))]


def public_chart_data(
    data: pd.DataFrame,
    figure: Callable[[str, str, int], tuple[float, str] | None],
    base_year: int | None,
    rules: disclosure.Rules,
) -> tuple[pd.DataFrame, list[str], set[str]]:
    """Yearly `chart_data` as a public view shows it: each value is the public release's figure
    (`figure(target, option, year)`, None for a year without a release: left out); a hidden one
    is a gap, and so is a whole index series whose base year is hidden. Returns data, chart notes
    and the reasons that occur."""
    found = [
        figure(target, option, pd.Timestamp(start).year)
        for target, option, start in zip(data["target_code"], data["option_code"], data["Periode"], strict=True)
    ]
    kept = np.array([f is not None for f in found], dtype=bool)
    out = data[kept].copy()
    reasons = pd.Series([f[1] for f in found if f is not None], index=out.index, dtype=object)
    hidden = reasons != disclosure.SHOWN
    if base_year:
        base = out["Periode"].map(lambda p: pd.Timestamp(p).year == base_year)
        lost = set(out.loc[base & hidden, "Reeks"]) | (set(out["Reeks"]) - set(out.loc[base, "Reeks"]))
        hidden |= out["Reeks"].isin(lost)
    # The release's count, not the exact one: a total leaves out a sensitive category hidden in one
    # of the years (disclosure.comparable_codes), and the exact total beside a public one would give
    # the hidden count away. The value (a rate, an index) scales with it.
    released = pd.Series([f[0] for f in found if f is not None], index=out.index, dtype=float)
    exact = out["incident_count"].astype(float)
    scale = (released / exact).where(exact > 0, 1.0)
    if base_year:
        base_scale = scale.where(out["Periode"].map(lambda p: pd.Timestamp(p).year == base_year))
        scale = scale / base_scale.groupby(out["Reeks"]).transform("max")
    out["incident_count"] = released.mask(hidden)
    out["Waarde"] = (out["Waarde"].astype(float) * scale).mask(hidden)
    occurring = set(reasons[hidden]) | ({disclosure.DERIVED} if base_year and hidden.any() else set())
    return out, rules.notes(occurring, chart=True), set(reasons)


def released_compstat(
    table: pd.DataFrame, figure: Callable[[str, int], tuple[float, str]], rules: disclosure.Rules
) -> tuple[pd.DataFrame, list[str]]:
    """A CompStat table of whole calendar years as a public view shows it: each category's count
    and the year before are the public release's (`figure(category, year)`); what follows from a
    hidden count is 'x'."""
    pair = ["current", "earlier"]
    derived = {c: pair for c in ("difference", "change", "p_value", "verdict") if c in table.columns}
    reasons = pd.DataFrame(
        {
            "current": [
                figure(c, pd.Timestamp(s).year)[1] for c, s in zip(table["category_code"], table["start"], strict=True)
            ],
            "earlier": [
                figure(c, pd.Timestamp(s).year)[1]
                for c, s in zip(table["category_code"], table["earlier_start"], strict=True)
            ],
        },
        index=table.index,
    )
    result = disclosure.labelled_table(table, reasons, rules, counts=pair, derived=derived)
    shown = reasons.to_numpy().ravel()
    return result.frame, rules.notes(set(shown[shown != disclosure.SHOWN]))


RELEASED_SUBJECT = "Wijk en categorie, of buurt (alle misdrijven, overlast),"


class ReleasedComparison(NamedTuple):
    """Two calendar years' public releases compared (`released_comparison`)."""

    pairs: pd.DataFrame  # level, area_code, category_code, incident_count, comparison_count
    hidden: int  # pairs left out for a hidden figure
    uncompared: int  # pairs of the later year left out for a difference in provenance or coverage


def released_comparison(now: disclosure.Release, before: disclosure.Release) -> ReleasedComparison:
    """The pairs a public "Wat valt op" compares, a calendar year against the year before, from the
    public releases: every wijk and category, and every buurt's two public totals (category_code
    'misdrijven' or 'overlast'). Only pairs with both figures shown, so a hidden figure is never
    listed nor tested; pairs without any incident are left out as in the internal view; and only
    pairs whose two years have the same provenance and full coverage (`released_comparable`,
    worked out once for every pair of the later year: it also gives `uncompared`)."""

    def long(release: disclosure.Release) -> pd.DataFrame:
        wijk = release.wijk.rename(columns={"wijk_code": "area_code"}).assign(level="wijk")
        buurt = release.buurt.rename(columns={"option": "category_code"}).assign(level="buurt")
        columns = ["level", "area_code", "category_code", "incident_count", "reason"]
        return pd.concat([wijk[columns], buurt[columns]], ignore_index=True)

    keys = ["level", "area_code", "category_code"]
    later = long(now)
    candidates = later[keys].drop_duplicates(keys)
    comparable = candidates.assign(comparable=released_comparable(candidates, now, before).to_numpy())
    pairs = later.merge(long(before), on=keys, suffixes=("", "_before"))
    pairs = pairs.merge(comparable, how="left", on=keys)  # every pair's key is one of the later year's
    pairs = pairs[pairs["comparable"].to_numpy(dtype=bool)]
    shown = (pairs["reason"] == disclosure.SHOWN) & (pairs["reason_before"] == disclosure.SHOWN)
    pairs = pairs.rename(columns={"incident_count_before": "comparison_count"})
    kept = pairs[shown & (pairs["incident_count"] + pairs["comparison_count"] > 0)]
    kept = kept.astype({"incident_count": int, "comparison_count": int})
    columns = [*keys, "incident_count", "comparison_count"]
    listed = kept[columns].sort_values(keys).reset_index(drop=True)
    return ReleasedComparison(listed, int((~shown).sum()), int((~comparable["comparable"]).sum()))


def released_comparable(pairs: pd.DataFrame, now: disclosure.Release, before: disclosure.Release) -> pd.Series:
    """Per pair of two releases: whether its two years have the same provenance and full coverage
    (`provenance.reason`); all True when a release does not say where its figures come from."""
    if now.origin is None or before.origin is None:
        return pd.Series(True, index=pairs.index)
    keys = ["level", "area_code", "category_code"]
    earlier = before.coverage.set_index(keys).add_prefix("before_").reset_index()
    both = pairs[keys].merge(now.coverage, how="left", on=keys).merge(earlier, how="left", on=keys)
    found = provenance.reasons(both.fillna(0), str(now.year), str(before.year), before_prefix="before_")
    return pd.Series((found == "").to_numpy(), index=pairs.index)


def named_changes(pairs: pd.DataFrame, area_names: dict[str, str], option_names: dict[str, str]) -> pd.DataFrame:
    """`released_comparison` pairs with area_name and category_name for the list."""
    return pairs.assign(
        area_name=pairs["area_code"].map(area_names).fillna(pairs["area_code"]),
        category_name=pairs["category_code"].map(option_names).fillna(pairs["category_code"]),
    )


def released_profile(
    figure: Callable[[str, str, int], tuple[float, str]],
    population: pd.DataFrame,
    target: str,
    city: str,
    year: int,
    option_names: dict[str, str],
    options: list[str],
    level: float,
    *,
    minimum: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Wijkprofiel's key figures of whole calendar years as a public view shows them: every
    count is the public release's (`figure(who, option, year)`, who 'target' or 'city'). Returns
    the table (as `profile_figures`) and the reasons of its count cells; what is derived from a
    hidden count is hidden with it (see `PROFILE_DERIVED`)."""
    inhabitants = population.set_index(["target_code", "year"])["inhabitants"]
    now_column, earlier_column = f"Aantal {year}", f"Aantal {year - 1}"
    rows, reasons = [], []
    for option in options:
        (now, now_reason), (before, before_reason) = figure("target", option, year), figure("target", option, year - 1)
        city_count, city_reason = figure("city", option, year)
        people, city_people = inhabitants.get((target, year)), inhabitants.get((city, year))
        rate = now * 1000 / people if people else np.nan
        city_rate = city_count * 1000 / city_people if city_people else np.nan
        p = significance.p_value(now, before) if now == now and before == before else np.nan
        rows.append(
            {
                "Onderwerp": option_names.get(option, option),
                now_column: now,
                earlier_column: before,
                "Verandering (%)": changes.relative(before, now, minimum),
                "Oordeel": str(significance.verdict(now, before, level, p)) if p == p else "",
                "Per 1.000 inwoners": rate,
                "Stad per 1.000": city_rate,
                "Index (stad = 100)": rate / city_rate * 100 if city_rate else np.nan,
            }
        )
        reasons.append({now_column: now_reason, earlier_column: before_reason, "Stad per 1.000": city_reason})
    return pd.DataFrame(rows), pd.DataFrame(reasons)


def profile_derived(year: int) -> dict[str, list[str]]:
    """The Wijkprofiel's columns computed from its counts, for the disclosure rules."""
    counts = [f"Aantal {year}", f"Aantal {year - 1}"]
    return {
        "Verandering (%)": counts,
        "Oordeel": counts,
        "Per 1.000 inwoners": counts[:1],
        "Index (stad = 100)": [counts[0], "Stad per 1.000"],
    }


def before_after_alike(
    comparison: pd.DataFrame,
    counts: pd.DataFrame,
    target_codes: tuple[str, str],
    before: tuple[dt.date, dt.date],
    after: tuple[dt.date, dt.date],
) -> pd.DataFrame:
    """A Voor en na comparison (measures.before_after: the area, then the rest of the gemeente) with
    no change or verdict where the two windows differ in provenance or coverage (ivpdata.provenance):
    its Oordeel says why they are not compared. counts: target_month_counts of `target_codes`."""
    if "real_rows" not in counts:
        return comparison
    result = comparison.copy()
    for index, code in zip(result.index, target_codes, strict=False):
        mine = counts[counts["target_code"] == code]
        reason = provenance.reason(
            provenance.monthly_coverage(mine, after), provenance.monthly_coverage(mine, before), "na", "voor"
        )
        if reason:
            result.loc[index, ["Verandering", "p"]] = np.nan
            result.loc[index, "Oordeel"] = reason
    return result
