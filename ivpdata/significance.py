"""Is a change in a count beyond chance? The exact test for two Poisson counts.

Given x1 incidents now and x0 in an earlier period of the same length, under "no change" x1 is
binomial with n = x1 + x0 and p = 0.5 (p = t1 / (t0 + t1) for periods of unequal length). The
two-sided p-value doubles the smaller tail (the "central" exact test, slightly conservative).
Small counts move a lot by chance: 4 -> 8 is not significant (p = 0.39); 400 -> 800 is.
"""

from __future__ import annotations

import numpy as np
from scipy import special  # the binomial tails alone: scipy.stats costs ~0.5 s more to import

RISE = "stijging"
FALL = "daling"
NEUTRAL = "geen significante verandering"
# Two periods of different provenance (demo, real, mixed) or coverage: not tested (ivpdata.provenance).
NOT_COMPARABLE = "niet vergeleken"


def p_value(current: np.ndarray | float, earlier: np.ndarray | float, exposure_ratio: float = 1.0) -> np.ndarray:
    """Two-sided p-value per pair of counts (1.0 where both are 0)."""
    x1 = np.asarray(current, dtype=float)
    x0 = np.asarray(earlier, dtype=float)
    n = x1 + x0
    p = exposure_ratio / (1.0 + exposure_ratio)
    k, trials = x1.astype(np.int64), n.astype(np.int64)  # counts: whole numbers
    with np.errstate(invalid="ignore"):
        lower = special.bdtr(k, trials, p)  # P(X <= x1)
        upper = np.where(k > 0, special.bdtrc(k - 1, trials, p), 1.0)  # P(X >= x1)
    return np.where(n > 0, np.minimum(1.0, 2 * np.minimum(lower, upper)), 1.0)


def verdict(
    current: np.ndarray | float, earlier: np.ndarray | float, level: float, p: np.ndarray | float | None = None
) -> np.ndarray:
    """'stijging', 'daling' or 'geen significante verandering' per pair, at significance `level`."""
    x1 = np.asarray(current, dtype=float)
    x0 = np.asarray(earlier, dtype=float)
    p = p_value(x1, x0) if p is None else np.asarray(p)
    return np.where(p >= level, NEUTRAL, np.where(x1 > x0, RISE, FALL))


def adjusted(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values: for a list of many tests (every buurt x category),
    where at level 0.05 one in twenty unchanged cases would otherwise be flagged."""
    p = np.asarray(p, dtype=float)
    if not p.size:
        return p
    order = np.argsort(p)
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    stepped = np.minimum.accumulate(ranked[::-1])[::-1]  # each rank takes the smallest to its right
    result = np.empty_like(p)
    result[order] = np.minimum(stepped, 1.0)
    return result
