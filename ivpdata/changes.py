"""A change against a comparison period as the app says it, in one place.

A percentage is shown only on a base large enough to mean something: at least
`min_incidents_for_change` incidents in the comparison period (data/settings.yaml). On a smaller
base a percentage jumps by chance (1 -> 48 reads as +4.700%), so the counts are said instead. The
Kaart (tooltip and table), "Wat valt op" and the Driehoeksrapportage all follow this rule.
"""

from __future__ import annotations

import math

import pandas as pd

from ivpdata import formatting

NO_COMPARISON = "geen vergelijking"


def min_base(settings: dict) -> int:
    """The smallest count in the comparison period on which a percentage change is shown."""
    return int(settings["min_incidents_for_change"])


def shows_percentage(before: float, minimum: int) -> bool:
    """Whether a change from `before` incidents is said as a percentage."""
    return not formatting.is_missing(before) and before > 0 and before >= minimum


def percentage(before: float, now: float) -> str:
    """'+158%', '-0,5%', '0%' (no change at all reads as 0%, not 0,0%)."""
    if formatting.is_missing(before) or not before:
        return formatting.MISSING
    return "0%" if now == before else formatting.change_percent((now - before) / before)


def relative(before: float, now: float, minimum: int) -> float:
    """The change in percent (158.0 for +158%) for a table column, NaN where the base is too small
    for a percentage (or there is none): the counts beside it say the change then."""
    return (now - before) / before * 100 if shows_percentage(before, minimum) else math.nan


def change_text(before: float, now: float, minimum: int) -> str:
    """'+19 (+158%)'; on a small base the counts instead: '+47 (van 1 naar 48)'; 'geen vergelijking'
    when the comparison period has no incidents."""
    if formatting.is_missing(before) or not before:
        return NO_COMPARISON
    difference = formatting.signed(now - before)
    if shows_percentage(before, minimum):
        return f"{difference} ({percentage(before, now)})"
    return f"{difference} (van {formatting.number(before)} naar {formatting.number(now)})"


def counts_text(before: float | str, now: float | str, minimum: int, hidden: bool = False) -> str:
    """'12 → 31 (+158%)'; '1 → 48' where the base is too small for a percentage (the counts say it);
    a public view's label ('< 5', 'x') stays, and a `hidden` change is left out."""
    counts = f"{formatting.shown(before)} → {formatting.shown(now)}"
    if hidden or isinstance(before, str) or isinstance(now, str) or not shows_percentage(before, minimum):
        return counts
    return f"{counts} ({percentage(before, now)})"


def short_text(before: float, now: float, minimum: int) -> str:
    """The percentage for a table column, or '–' where the base is too small (or there is none)."""
    return percentage(before, now) if shows_percentage(before, minimum) else formatting.MISSING


def rule_note(minimum: int) -> str:
    """One Dutch line under a table or list that leaves percentages out."""
    return (
        f"Een percentage staat er alleen bij minstens {formatting.number(minimum)} incidenten in de "
        "vergelijkingsperiode; bij kleinere aantallen springt het door toeval en staan de aantallen er zelf."
    )


def small_base_notes(before: pd.Series, minimum: int) -> list[str]:
    """[`rule_note`] when a comparison count in `before` is above 0 but under `minimum` (its change
    is said without a percentage), else []. Text in `before` (a public view's 'x') is no count."""
    counts = pd.to_numeric(before, errors="coerce")
    return [rule_note(minimum)] if ((counts > 0) & (counts < minimum)).any() else []
