"""The seeded activity of ``test_indicators`` is shared with ``test_verify``."""

from tests.stats.test_indicators import activity, guyane  # noqa: F401 (fixtures)
