"""Trend series, the CompStat period table and "Wat valt op": data in, DataFrames out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ivpdata import disclosure, formatting, significance
from ivpdata.periods import Window, add_months, label, month_end, month_label

FREQUENCIES = {"month": "Maand", "quarter": "Kwartaal", "year": "Jaar"}
MEASURES = {"count": "Aantal", "per_1000": "Per 1.000 inwoners"}
RISE_MARK, FALL_MARK = "▲", "▼"


def monthly_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum the categories: one row per target and month, with `month_start` as a date."""
    if counts.empty:
        return pd.DataFrame(columns=["target_code", "month_start", "incident_count", "is_provisional", "is_demo"])
    totals = counts.groupby(["target_code", "year", "month"], as_index=False).agg(
        incident_count=("incident_count", "sum"),
        is_provisional=("is_provisional", "any"),
        is_demo=("is_demo", "any"),
    )
    totals["month_start"] = pd.to_datetime({"year": totals["year"], "month": totals["month"], "day": 1})
    return totals.drop(columns=["year", "month"])


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
        counts_ = group["incident_count"].fillna(0)
        provisional = group["is_provisional"].fillna(False).astype(bool)
        demo = group["is_demo"].fillna(False).astype(bool)
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
                    "incident_count": counts_.resample(rule).sum(),
                    "is_provisional": provisional.resample(rule).max(),
                    "is_demo": demo.resample(rule).max(),
                    "is_complete": counts_.resample(rule).count() == span,
                }
            )
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
        result["value"] = result["value"] / result["target_code"].map(base) * 100
    return result.drop(columns=["year"])


def window_counts(monthly: pd.DataFrame, window: Window) -> tuple[pd.Series, pd.Series]:
    """Counts per category in a window's period and its earlier period (`monthly`: one row per
    category and month_start)."""

    def within(period: tuple[dt.date, dt.date]) -> pd.Series:
        mask = monthly["month_start"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))
        return monthly[mask].groupby("category_code")["incident_count"].sum()

    return within(window.period), within(window.earlier)


def compstat(counts: pd.DataFrame, windows: list[Window], level: float, names: dict[str, str]) -> pd.DataFrame:
    """Per category and window: now, a year earlier, difference, % change, p-value and verdict.

    counts: target_month_counts rows of one target."""
    monthly = counts.assign(month_start=pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1}))
    rows = []
    for window in windows:
        now, before = window_counts(monthly, window)
        codes = now.index.union(before.index)
        now, before = now.reindex(codes, fill_value=0), before.reindex(codes, fill_value=0)
        p = significance.p_value(now.to_numpy(), before.to_numpy())
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
                    "verdict": significance.verdict(now.to_numpy(), before.to_numpy(), level, p),
                }
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def change_text(percent: float) -> str:
    """'+14%'; 'nieuw' where there was nothing to compare with."""
    return "nieuw" if pd.isna(percent) else formatting.change_percent(percent / 100)


def compstat_cell(row: pd.Series) -> str:
    """'140 (+14%) ▲': now, change, and a mark only where the change is significant. In a public
    view a hidden count shows as '< 5' or 'x', with no change beside it."""
    if isinstance(row["current"], str) or isinstance(row["change"], str):
        return f"{formatting.number(row['current']) if not isinstance(row['current'], str) else row['current']}"
    change = change_text(row["change"])
    mark = {significance.RISE: f" {RISE_MARK}", significance.FALL: f" {FALL_MARK}"}.get(row["verdict"], "")
    return f"{formatting.number(row['current'])} ({change}){mark}"


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


def notable_changes(changes: pd.DataFrame, level: float, min_count: int, limit: int) -> pd.DataFrame:
    """The largest significant changes among many area x category pairs.

    With thousands of pairs, a plain 5% level flags dozens by chance: p-values are adjusted
    (Benjamini-Hochberg) before the level applies. Pairs below `min_count` in both periods are
    not listed (and not tested). Largest absolute difference first."""
    candidates = changes[changes[["incident_count", "comparison_count"]].max(axis=1) >= min_count].copy()
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


def notable_text(row: dict | pd.Series) -> str:
    """'Wielwijk, Woninginbraak: 12 → 31 (+158%)'."""
    change = change_text(row["change"])
    mark = RISE_MARK if row["difference"] > 0 else FALL_MARK
    return (
        f"{mark} **{row['area_name']}**, {row['category_name']}: "
        f"{formatting.number(row['comparison_count'])} → {formatting.number(row['incident_count'])} ({change})"
    )


def last_twelve_months(reference: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The 12 months up to the reference month and the 12 months before them."""
    start = add_months(reference, -11)
    return (start, reference), (add_months(start, -12), add_months(reference, -12))


TIME_FORMATS = {"month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}
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
    """One series per area and option ('Wielwijk (wijk) · Woninginbraak' when several options)."""
    frames = []
    for option, option_counts in counts.items():
        frame = series(option_counts, population, frequency, measure, rolling_12, index_base_year)
        label = frame["target_code"].map(area_names)
        frame["Reeks"] = label + f" · {option_names[option]}" if len(counts) > 1 else label
        frame["option_code"] = option
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    data = data.dropna(subset=["value"])
    # A period still running is shown as provisional: it is not comparable with whole periods.
    data["is_provisional"] = data["is_provisional"] | ~data["is_complete"].astype(bool)
    return data.rename(columns={"period_start": "Periode", "value": "Waarde"})


def chart_title(measure: str, frequency: str, rolling_12: bool, index_base_year: int | None) -> str:
    what = "Geregistreerde incidenten" + (" per 1.000 inwoners" if measure == "per_1000" else "")
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
        }
    )


def reference_month(available_years: pd.DataFrame, year: int) -> dt.date:
    """CompStat's peilmaand: December of the chosen year, or the last month with data in it."""
    row = available_years[available_years["year"] == year]
    last = int(row["last_month"].iloc[0]) if "last_month" in row and not row.empty else 12
    return dt.date(year, last, 1)


def compstat_export(table: pd.DataFrame) -> pd.DataFrame:
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
            "Oordeel": table["verdict"],
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
) -> pd.DataFrame:
    """Key figures of an area against the city for `year`, with the change against the year before.

    counts: target_month_counts of [target, city] per option."""
    inhabitants = population.set_index(["target_code", "year"])["inhabitants"]
    rows = []
    for option, frame in counts.items():
        yearly = frame.groupby(["target_code", "year"])["incident_count"].sum()
        now = int(yearly.get((target, year), 0))
        before = int(yearly.get((target, year - 1), 0))
        people = inhabitants.get((target, year))
        rate = now * 1000 / people if people else np.nan
        city_people = inhabitants.get((city, year))
        city_rate = yearly.get((city, year), 0) * 1000 / city_people if city_people else np.nan
        p = significance.p_value(now, before)
        rows.append(
            {
                "Onderwerp": option_names.get(option, option),
                f"Aantal {year}": now,
                f"Aantal {year - 1}": before,
                "Verandering (%)": (now - before) / before * 100 if before else np.nan,
                "Oordeel": str(significance.verdict(now, before, level, p)),
                "Per 1.000 inwoners": rate,
                "Stad per 1.000": city_rate,
                "Index (stad = 100)": rate / city_rate * 100 if city_rate else np.nan,
            }
        )
    return pd.DataFrame(rows)


PROFILE_DECIMALS = {"Verandering (%)": 1, "Per 1.000 inwoners": 1, "Stad per 1.000": 1}


def note_when(note_date: object, date_note: object) -> str:
    """'1 september 2022', or 'ca. september 2022' when the document gives no exact date."""
    if note_date is None or pd.isna(note_date):
        return ""
    day = pd.Timestamp(note_date).date()
    if isinstance(date_note, str) and date_note:
        return f"ca. {month_label(day)}"
    return formatting.date(day)


def notable_caption(
    period: tuple[dt.date, dt.date], comparison: tuple[dt.date, dt.date], tested: int, level: float
) -> str:
    return (
        f"Buurt en categorie met de grootste verandering van {label(comparison)} naar {label(period)}, "
        f"alleen waar die buiten het toeval valt: exacte Poisson-toets, gecorrigeerd omdat "
        f"{formatting.number(tested)} combinaties tegelijk zijn getoetst (Benjamini-Hochberg, "
        f"{formatting.number(level * 100)}%)."
    )


def trend_link(change: object, gemeente_code: str) -> dict[str, str]:
    """Query parameters of the Trends page for one notable change: the buurt against the city."""
    return {"gebied": f"{change.area_code},{gemeente_code}", "wat": change.category_code}


def map_link(change: object) -> dict[str, str]:
    """Query parameters of the Kaart for one notable change: its category, buurten, change."""
    return {"wat": change.category_code, "niveau": "buurt", "maat": "change", "selectie": change.area_code}


def sensitive_series(
    data: pd.DataFrame, levels: dict[str, str], codes: pd.Series, rules: disclosure.Rules
) -> list[bool]:
    """Per row of `chart_data`: whether its option is a sensitive category at its area's level."""
    return [
        rules.is_sensitive(codes[option], levels.get(target, "buurt"))
        for option, target in zip(data["option_code"], data["target_code"], strict=True)
    ]


def public_compstat(table: pd.DataFrame, rules: disclosure.Rules, level: str) -> tuple[pd.DataFrame, list[str]]:
    """The CompStat table as a public view may show it: small counts '< 5', sensitive categories
    hidden below wijk level, and what follows from a hidden count ('x'). Within a period the
    categories sum to the public total."""
    pair = ["current", "earlier"]
    derived = {c: pair for c in ("difference", "change", "p_value", "verdict") if c in table.columns}
    sensitive = rules.sensitive_mask(table["category_code"], level)
    result = disclosure.protect_table(table, pair, rules, derived=derived, lines=[["window"]], sensitive=sensitive)
    hidden = result.reasons.isin([disclosure.SMALL, disclosure.SENSITIVE, disclosure.COMPLEMENTARY]).to_numpy().ravel()
    return result.frame, rules.notes(set(result.reasons.to_numpy().ravel()[hidden]))
