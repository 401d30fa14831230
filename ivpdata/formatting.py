"""Dutch formatting of numbers, changes and dates for labels (`1.234,5`, `-58%`, `22 november 2026`)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_percent
from pandas.io.formats.style import Styler

LOCALE = "nl_NL"
MISSING = "–"


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA (a nullable column's missing value)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


_TO_DUTCH = str.maketrans(",.", ".,")  # the thousands and decimal separators swapped


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (decimals=1); 1234 -> '1.234'. Rounded as babel's nl_NL pattern
    `#,##0.0` does (the value's shortest decimal text, half to even: 0.15 -> '0,2'), in a fifth of
    its time: a table's display values are formatted on every rerun (tests/test_formatting.py
    checks both agree)."""
    if value is None or is_missing(value):
        return MISSING
    exact = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-decimals), decimal.ROUND_HALF_EVEN)
    return f"{exact:,f}".translate(_TO_DUTCH)


def auto_number(value: float | None) -> str:
    """Whole numbers without decimals, others with one: 688 -> '688', 26.89 -> '26,9'."""
    if value is None or is_missing(value):
        return MISSING
    return number(value, 0 if float(value).is_integer() else 1)


def signed(value: float | int | None, decimals: int = 0) -> str:
    """+12 / -12 / 0: a change, always with its sign."""
    if value is None or is_missing(value):
        return MISSING
    text = number(value, decimals)
    return f"+{text}" if value > 0 else text


def percent(fraction: float | None, decimals: int = 0, *, sign: bool = False) -> str:
    """-0.576 -> '-58%'; with sign=True 0.25 -> '+25%'."""
    if fraction is None or is_missing(fraction):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    text = format_percent(fraction, format=pattern, locale=LOCALE)
    return f"+{text}" if sign and fraction > 0 else text


def change_percent(fraction: float | None) -> str:
    """A relative change with its sign; one decimal below 10% so small changes do not read as 0%."""
    if fraction is None or is_missing(fraction):
        return MISSING
    return percent(fraction, 1 if abs(fraction) < 0.1 else 0, sign=True)


def counted(count: int, one: str, many: str) -> str:
    """'1 rij', '1.234 rijen': a count with its noun in the singular or plural."""
    return f"{number(count)} {one if count == 1 else many}"


def dutch_list(items: Sequence[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b en c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def euro(value: float | None) -> str:
    if value is None or is_missing(value):
        return MISSING
    decimals = 0 if float(value).is_integer() else 2
    return "€ " + number(value, decimals)


def date(value: dt.date) -> str:
    return format_date(value, "d MMMM y", locale="nl")


def published_value(value: float, unit: str, qualifier: str | None = None) -> str:
    """A published figure as a reader would say it: 'meer dan € 3.000.000', 'circa 50'."""
    if unit == "euro":
        text = euro(value)
    elif unit == "procent":
        text = f"{auto_number(value)}%"
    else:
        text = auto_number(value)
        if unit not in ("aantal", "inwoners", ""):
            text = f"{text} {unit}"
    return f"{qualifier} {text}" if qualifier else text


def result_value(value: float | None, unit: str | None, qualifier: str | None) -> str:
    """A measure result's figure as published, or 'zonder aantal' for a result without one."""
    if value is None or is_missing(value) or not isinstance(unit, str):
        return "zonder aantal"
    return published_value(value, unit, qualifier if isinstance(qualifier, str) else None)


def dutch_table(frame: pd.DataFrame, decimals: dict[str, int | None] | None = None) -> Styler:
    """A table whose numbers display as `1.234,5` while the cells keep their numeric values,
    so that sorting a column in the browser stays numeric. Numeric columns not named in
    `decimals` show whole numbers; a column with decimals None shows one decimal only where needed.
    A column where a public view put '< 5' or 'x' among the numbers becomes Dutch text."""
    decimals = decimals or {}

    def formatter(column: str) -> Callable[[float | None], str]:
        places = decimals.get(column, 0)
        return partial(number, decimals=places) if places is not None else auto_number

    mixed = figure_columns(frame)
    as_text = {c: frame[c].map(lambda v, c=c: v if isinstance(v, str) else formatter(c)(v)) for c in mixed}
    frame = frame.assign(**as_text)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    formats = {c: formatter(c) for c in [*numeric, *decimals] if c in frame.columns and c not in mixed}
    return frame.style.format(formats, na_rep=MISSING)


def figure_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of numbers among which a public view put labels ('< 5', 'x'): `dutch_table`
    shows them as Dutch text, which a table would align left, unlike the numbers they stand for."""
    return [c for c in frame.columns if _numbers_and_labels(frame[c])]


def _numbers_and_labels(column: pd.Series) -> bool:
    """A column of numbers in which a public view put labels such as '< 5' or 'x'."""
    if column.dtype != object:
        return False
    numbers = [isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in column]
    return any(numbers) and all(n or isinstance(v, str) for n, v in zip(numbers, column, strict=True))


def shown(value: str | float | int | None, decimals: int = 0) -> str:
    """A number as Dutch text, or the label a disclosure rule put in its place ('< 5', 'x')."""
    return value if isinstance(value, str) else number(value, decimals)
