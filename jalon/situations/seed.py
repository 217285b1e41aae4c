"""Reference data: the national priority penal policies (SIS-01)."""

from __future__ import annotations

from typing import Any

# (code, label, default review interval in days). The seed gives no interval: three months
# is the usual rhythm of the VIF steering committees; a national admin can change it.
SEED_POLICIES: list[tuple[str, str, int]] = [
    ("vif", "Violences intrafamiliales (VIF)", 90),
]


def sync_seed_policies(policy_model: Any) -> None:
    """Create the seeded national policies; never overwrite an interval changed since."""
    for code, label, days in SEED_POLICIES:
        policy_model.objects.get_or_create(
            code=code,
            jurisdiction=None,
            defaults={"label": label, "default_review_days": days},
        )
