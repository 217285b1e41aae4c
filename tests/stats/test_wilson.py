"""The 95 % Wilson interval, against values computed by hand (no database)."""

from __future__ import annotations

import pytest

from jalon.stats.wilson import wilson_interval


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        # p = 0, n = 10: centre = half-width = (z²/2n)/(1 + z²/n) = 0.19207/1.38415 = 0.13877
        (0, 10, 0.0, 0.27753),
        # p = 1/2, n = 10: half-width = 1.96·√(0.025 + 0.0096037)/1.38415 = 0.26341
        (5, 10, 0.23659, 0.76341),
        # p = 1, n = 1: centre = 2.92073/4.84146 = 0.60327, half-width = 1.92078/4.84146
        (1, 1, 0.20654, 1.0),
        # p = 0.2, n = 100: centre = 0.21921/1.03841 = 0.21110,
        # half-width = 1.96·√(0.0016 + 0.0000960)/1.03841 = 0.07773
        (20, 100, 0.13337, 0.28883),
    ],
)
def test_wilson_interval_matches_the_hand_computation(successes, total, low, high):
    result = wilson_interval(successes, total)
    assert result is not None
    assert result[0] == pytest.approx(low, abs=1e-4)
    assert result[1] == pytest.approx(high, abs=1e-4)


def test_the_interval_is_symmetric_around_one_half():
    low, high = wilson_interval(3, 20)  # type: ignore[misc]
    low2, high2 = wilson_interval(17, 20)  # type: ignore[misc]
    assert (low, high) == pytest.approx((1 - high2, 1 - low2))


def test_nothing_to_divide_by_gives_no_interval():
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(("successes", "total"), [(3, 2), (-1, 4), (0, -1)])
def test_impossible_counts_are_refused(successes, total):
    with pytest.raises(ValueError, match="impossible"):
        wilson_interval(successes, total)
