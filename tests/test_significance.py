"""The significance rule on known cases."""

import numpy as np
import pytest

from ivpdata import significance


def test_small_numbers_are_not_significant_large_ones_are():
    assert significance.p_value(8, 4) == pytest.approx(0.3877, abs=1e-4)  # binomial(12, 0.5)
    assert significance.verdict(8, 4, 0.05) == significance.NEUTRAL
    assert significance.verdict(800, 400, 0.05) == significance.RISE
    assert significance.verdict(400, 800, 0.05) == significance.FALL


def test_known_p_values_and_edges():
    # 15 against 5: P(X >= 15 | n = 20, p = 0.5) = 0.0207, two-sided 0.0414
    assert significance.p_value(15, 5) == pytest.approx(0.04139, abs=1e-4)
    assert significance.verdict(15, 5, 0.05) == significance.RISE
    assert significance.verdict(15, 5, 0.01) == significance.NEUTRAL  # the level is a setting
    assert significance.p_value(0, 0) == 1.0
    assert significance.p_value(10, 10) == 1.0
    assert significance.p_value(0, 6) == pytest.approx(2 * 0.5**6)


def test_vectorised_and_symmetric():
    now, before = np.array([8, 800, 30, 0]), np.array([4, 400, 30, 12])
    p = significance.p_value(now, before)
    assert p.shape == (4,)
    assert np.allclose(p, significance.p_value(before, now))


def test_many_tests_are_adjusted():
    raw = np.array([0.001, 0.02, 0.03, 0.04, 0.5])
    adjusted = significance.adjusted(raw)
    assert (adjusted >= raw).all()
    assert adjusted[0] == pytest.approx(0.005)
    assert significance.adjusted(np.array([])).size == 0


def test_same_figures_as_scipy_stats_over_many_counts():
    """The tails come from scipy.special (cheap to import); they must equal scipy.stats' binomial
    test and Benjamini-Hochberg, for equal and unequal period lengths, zeros and ties included."""
    from scipy import stats

    rng = np.random.default_rng(7)
    now, before = rng.integers(0, 80, 4000), rng.integers(0, 80, 4000)
    now[:30], before[15:45] = 0, 0
    for ratio in (1.0, 28 / 31, 2.0):
        n, share = now + before, ratio / (1 + ratio)
        tails = np.minimum(stats.binom.cdf(now, n, share), stats.binom.sf(now - 1, n, share))
        expected = np.where(n > 0, np.minimum(1.0, 2 * tails), 1.0)
        assert np.allclose(significance.p_value(now, before, ratio), expected, rtol=1e-9, atol=1e-12)
    raw = rng.random(3000)
    raw[:200] = raw[0]  # ties
    expected_bh = stats.false_discovery_control(raw, method="bh")
    assert np.allclose(significance.adjusted(raw), expected_bh, rtol=1e-12)
