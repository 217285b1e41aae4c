"""Whether the agent of a request still owes the second factor.

A second factor is owed when the platform, the agent's profile or service requires it
(``rules.requires_two_factor``) and the session has neither been verified with the agent's
TOTP device nor opened through ProConnect with a multi-factor authentication asserted by the
provider (its ``amr`` claim, docs/access.md "ProConnect").
"""

from __future__ import annotations

from django.http import HttpRequest

from jalon.access import rules

PROVIDER_MFA_SESSION_KEY = "_jalon_provider_mfa"


def pending(request: HttpRequest) -> bool:
    agent = getattr(request, "agent", None)
    if agent is None or not rules.requires_two_factor(agent):
        return False
    return not satisfied(request)


def satisfied(request: HttpRequest) -> bool:
    return bool(
        request.user.is_verified()  # type: ignore[union-attr]
        or request.session.get(PROVIDER_MFA_SESSION_KEY)
    )
