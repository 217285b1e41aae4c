"""Wilson score interval for a proportion (pure function, no database).

Used for rates computed on small numbers (a service's absenteeism with and without a
delivered reminder): the normal approximation ("p ± 1.96·√(p(1-p)/n)") gives intervals below
0 or above 1 and is far too narrow when n is small or p near 0 or 1; Wilson's interval stays
within [0, 1] and keeps close to its nominal coverage (Brown, Cai, DasGupta 2001).

    centre    = (p + z²/2n) / (1 + z²/n)
    half-width = z·√(p(1-p)/n + z²/4n²) / (1 + z²/n)
"""

from __future__ import annotations

import math

# Two-sided 95 %: the 97.5th percentile of the standard normal distribution.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The interval (low, high) for ``successes`` out of ``total``; None when total is 0."""
    if total < 0 or successes < 0 or successes > total:
        raise ValueError(f"{successes} succès sur {total} : impossible")
    if total == 0:
        return None
    n = total
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # Rounding can put an end a hair outside [0, 1] when p is 0 or 1.
    return max(0.0, centre - half), min(1.0, centre + half)
