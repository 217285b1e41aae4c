"""Reference data every installation needs: the seeded profiles."""

from __future__ import annotations

from typing import Any

from jalon.access.roles import SEED_PROFILES


def sync_seed_profiles(profile_model: Any) -> None:
    """Create or update the seeded profiles (idempotent; used by migrations)."""
    for code, label, family, kinds, level, capabilities in SEED_PROFILES:
        profile_model.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "family": str(family),
                "allowed_service_kinds": [str(kind) for kind in kinds],
                "jurisdiction_level": str(level),
                "capabilities": [str(capability) for capability in capabilities],
            },
        )
