"""The provider in use, built once per process from the settings."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from jalon.core.env import Environment
from jalon.sms.providers.base import SmsProvider


@lru_cache(maxsize=1)
def provider() -> SmsProvider:
    """``JALON_SMS_PROVIDER``: ``dev`` (default outside production), ``linkmobility``, or
    ``failover`` (LINK Mobility primary and secondary accounts, weighted)."""
    kind = settings.JALON_SMS_PROVIDER
    if kind == "dev":
        from jalon.sms.providers.dev import DevProvider

        return DevProvider()
    from jalon.sms.providers.linkmobility import LinkMobilityProvider

    env = Environment()
    if kind == "linkmobility":
        return LinkMobilityProvider.from_environment(env.prefixed("JALON_SMS_LINK_"))
    if kind == "failover":
        from jalon.sms.providers.failover import WeightedFailover

        primary = LinkMobilityProvider.from_environment(env.prefixed("JALON_SMS_LINK_"))
        secondary = LinkMobilityProvider.from_environment(
            env.prefixed("JALON_SMS_LINK2_"), prefix="JALON_SMS_LINK2_", name="linkmobility-2"
        )
        return WeightedFailover(
            [
                (primary, settings.JALON_SMS_PRIMARY_WEIGHT),
                (secondary, 100 - settings.JALON_SMS_PRIMARY_WEIGHT),
            ]
        )
    raise ValueError(f"JALON_SMS_PROVIDER inconnu : {kind!r}")
