"""Where a figure comes from and whether two periods may be compared.

After a partial import some buurten hold real rows and the others keep their demo rows, so a
figure summed over buurten can be of demo data, of real data or of both ("gemengd"). Demo data
store a row for every buurt, month and category (zeros included): a missing row means the period
is not covered there, never 0. Two periods are compared (a change, a significance verdict, "Wat
valt op") only when both are fully covered and of the same provenance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivpdata import formatting

DEMO, REAL, MIXED = "demo", "echt", "gemengd"
LABELS = {DEMO: "Demodata", REAL: "Echt", MIXED: "Gemengd: echt en demo"}
PHRASES = {DEMO: "demodata", REAL: "echte cijfers", MIXED: "deels echte cijfers, deels demodata"}
NO_FIGURES = "geen cijfers"
NOT_COMPARED = "niet vergeleken"
EXPORT_TEXT = {DEMO: "demodata", REAL: "echt", MIXED: "gemengd (echt en demodata)"}


def of_rows(real_rows: int, demo_rows: int) -> str | None:
    """'demo', 'echt' or 'gemengd' for a figure built from these stored rows; None without rows."""
    if real_rows and demo_rows:
        return MIXED
    if real_rows:
        return REAL
    return DEMO if demo_rows else None


def of_flags(is_demo: pd.Series) -> str | None:
    """The provenance of rows flagged `is_demo` (such as inhabitants): None without rows."""
    flags = is_demo.dropna().astype(bool)
    return of_rows(int((~flags).sum()), int(flags.sum()))


def combined(provenances: list[str | None]) -> str | None:
    """The provenance of figures shown together (a page, a table, an export)."""
    found = {p for p in provenances if p}
    if not found:
        return None
    return found.pop() if len(found) == 1 else MIXED


def label(provenance: str | None) -> str:
    return LABELS.get(provenance or "", NO_FIGURES.capitalize())


@dataclass(frozen=True)
class Coverage:
    """The stored rows behind a figure for one period: real and demo rows, and the area-months
    with a row (`cells`) of those a complete period has (`expected_cells`)."""

    real_rows: int = 0
    demo_rows: int = 0
    cells: int = 0
    expected_cells: int = 0

    @property
    def provenance(self) -> str | None:
        return of_rows(self.real_rows, self.demo_rows)

    @property
    def complete(self) -> bool:
        return self.cells > 0 and self.cells >= self.expected_cells

    def describe(self, name: str) -> str:
        """'2025 deels echte cijfers, deels demodata', '2024 geen cijfers', '2025 onvolledig (...)'."""
        if self.provenance is None:
            return f"{name} {NO_FIGURES}"
        text = f"{name} {PHRASES[self.provenance]}"
        if not self.complete:
            text += (
                f" en onvolledig (cijfers voor {formatting.number(self.cells)} van "
                f"{formatting.number(self.expected_cells)} buurtmaanden)"
            )
        return text


def reason(now: Coverage, before: Coverage, now_name: str, before_name: str) -> str:
    """'' when the two periods may be compared, else one Dutch line why not:
    'niet vergeleken: 2025 deels echte cijfers, deels demodata, 2024 demodata'."""
    if now.complete and before.complete and now.provenance == before.provenance:
        return ""
    return f"{NOT_COMPARED}: {now.describe(now_name)}; {before.describe(before_name)}"


def row_coverage(row: object, prefix: str = "") -> Coverage:
    """The Coverage of a query row with columns real_rows, demo_rows, cells, expected_cells
    (`prefix` 'comparison_' or 'previous_' for the other period)."""

    def get(name: str) -> int:
        value = getattr(row, name, None) if not isinstance(row, dict | pd.Series) else row.get(name)
        return 0 if value is None or formatting.is_missing(value) else int(value)

    expected = get(f"{prefix}expected_cells") if f"{prefix}expected_cells" in _fields(row) else get("expected_cells")
    return Coverage(get(f"{prefix}real_rows"), get(f"{prefix}demo_rows"), get(f"{prefix}cells"), expected)


def _fields(row: object) -> set[str]:
    if isinstance(row, dict | pd.Series):
        return set(row.keys())
    return set(getattr(row, "_fields", ()))


def provenances(frame: pd.DataFrame, prefix: str = "") -> pd.Series:
    """Per row: 'demo', 'echt', 'gemengd' or None (no rows), from `{prefix}real_rows` and `{prefix}demo_rows`."""
    real = frame[f"{prefix}real_rows"].fillna(0).astype(int).to_numpy()
    demo = frame[f"{prefix}demo_rows"].fillna(0).astype(int).to_numpy()
    values = np.where(
        (real > 0) & (demo > 0), MIXED, np.where(real > 0, REAL, np.where(demo > 0, DEMO, np.asarray(None)))
    )
    return pd.Series(values, index=frame.index, dtype=object)


def of_table(frame: pd.DataFrame, prefix: str = "") -> str | None:
    """The provenance of a whole table of query rows with real_rows and demo_rows (a series, an export)."""
    return combined(list(provenances(frame, prefix))) if not frame.empty else None


def reasons(frame: pd.DataFrame, now_name: str, before_name: str, before_prefix: str = "comparison_") -> pd.Series:
    """Per row of a query with coverage columns for both periods: '' when comparable, else why not."""
    found = pd.Series("", index=frame.index, dtype=object)
    differ = ~(_complete(frame, "") & _complete(frame, before_prefix))
    differ |= _kind(frame, "") != _kind(frame, before_prefix)
    for at, row in zip(frame.index[differ], frame[differ].to_dict("records"), strict=True):
        found[at] = reason(row_coverage(row), row_coverage(row, before_prefix), now_name, before_name)
    return found


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A coverage column as whole numbers, a missing column or value as 0 (as `row_coverage`)."""
    if name not in frame:
        return np.zeros(len(frame), dtype=np.int64)
    return pd.to_numeric(frame[name], errors="coerce").fillna(0).astype(np.int64).to_numpy()


def _complete(frame: pd.DataFrame, prefix: str) -> np.ndarray:
    """Per row, `row_coverage(row, prefix).complete`."""
    cells = _column(frame, f"{prefix}cells")
    expected_name = f"{prefix}expected_cells" if f"{prefix}expected_cells" in frame else "expected_cells"
    return (cells > 0) & (cells >= _column(frame, expected_name))


def _kind(frame: pd.DataFrame, prefix: str) -> np.ndarray:
    """Per row, its provenance as a number: 0 none, 1 echt, 2 demo, 3 gemengd."""
    return (_column(frame, f"{prefix}real_rows") > 0) * 1 + (_column(frame, f"{prefix}demo_rows") > 0) * 2


def monthly_coverage(counts: pd.DataFrame, period: tuple, categories: list[str] | None = None) -> Coverage:
    """The Coverage of a period in target_month_counts rows of one target (columns year, month,
    category_code, real_rows, demo_rows, buurten). A month is covered for as many buurten as its
    best-covered category has rows; a month without any row covers none."""
    if counts.empty or period is None:
        return Coverage()
    months = pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1})
    mask = months.between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))
    if categories is not None:
        mask &= counts["category_code"].isin(categories)
    inside = counts[mask]
    span = (period[1].year - period[0].year) * 12 + period[1].month - period[0].month + 1
    buurten = int(counts["buurten"].max()) if "buurten" in counts and counts["buurten"].notna().any() else 1
    if inside.empty:
        return Coverage(expected_cells=buurten * span)
    rows = inside["real_rows"] + inside["demo_rows"]
    cells = int(rows.groupby([inside["year"], inside["month"]]).max().sum())
    return Coverage(int(inside["real_rows"].sum()), int(inside["demo_rows"].sum()), cells, buurten * span)


def coverage_by_category(counts: pd.DataFrame, period: tuple | None) -> dict[str, Coverage]:
    """`monthly_coverage(rows of the category, period)` for every category in `counts` at once
    (the CompStat asks it for dozens of categories and windows on every run)."""
    if counts.empty or period is None:
        return {}
    months = (
        counts["month_start"]
        if "month_start" in counts
        else pd.to_datetime({"year": counts["year"], "month": counts["month"], "day": 1})
    )
    span = (period[1].year - period[0].year) * 12 + period[1].month - period[0].month + 1
    codes = counts["category_code"]
    buurten = counts.groupby(codes)["buurten"].max() if "buurten" in counts else pd.Series(dtype=float)
    inside = counts[months.between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]
    by_code = inside.groupby("category_code")
    real, demo = by_code["real_rows"].sum(), by_code["demo_rows"].sum()
    rows = inside["real_rows"] + inside["demo_rows"]
    cells = rows.groupby([inside["category_code"], inside["year"], inside["month"]]).max().groupby(level=0).sum()
    found = {}
    for code in codes.unique():
        most = buurten.get(code)
        expected = (int(most) if most is not None and pd.notna(most) else 1) * span
        if code in real.index:
            found[code] = Coverage(int(real[code]), int(demo[code]), int(cells[code]), expected)
        else:
            found[code] = Coverage(expected_cells=expected)
    return found


def key_figure_coverage(row: object, previous: bool = False) -> Coverage:
    """The Coverage of one year of a key_figures row. A figure published for the whole year, or
    of real monthly counts only, is real and complete; a figure of monthly rows with demo rows is
    demo or mixed by its rows. Rows without coverage columns count by `is_demo` alone."""
    prefix = "previous_" if previous else ""
    fields = _fields(row)
    flag = f"{prefix}is_demo" if previous else "current_is_demo"
    is_demo = bool(_value(row, flag if flag in fields else "is_demo"))
    if f"{prefix}real_rows" not in fields:
        return Coverage(0, 1, 1, 1) if is_demo else Coverage(1, 0, 1, 1)
    coverage = row_coverage(row, prefix)
    if not is_demo and not (coverage.real_rows and not coverage.demo_rows):
        return Coverage(1, 0, 1, 1)  # published for the whole year
    return coverage if coverage.provenance else Coverage(0, 1, 1, 1)


def _value(row: object, name: str) -> object:
    value = row.get(name) if isinstance(row, dict | pd.Series) else getattr(row, name, None)
    return False if value is None or (not isinstance(value, str) and formatting.is_missing(value)) else value
