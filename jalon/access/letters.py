"""Who writes a paper letter: the service's identity and the signature block.

Shared by the convocation letters of ``appointments`` and ``cases``. The service's public page
(``public.ServicePage``, a higher layer) is read through its reverse relation only, never
imported: it holds the address, phone, e-mail and opening hours the service publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from jalon.access.models import Agent, Service
from jalon.access.roles import Capability


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Sender:
    name: str
    address_lines: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    opening_hours: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Signatory:
    name: str
    function: str


def sender(service: Service, *, fallback_address: str = "") -> Sender:
    """The service as it signs its letters: its public page first, then its own details."""
    try:
        page = service.public_page
    except ObjectDoesNotExist:
        page = None
    address = (page.address if page else "") or fallback_address
    return Sender(
        name=service.name,
        address_lines=_lines(address),
        phone=(page.phone if page else "") or service.phone,
        email=(page.email if page else "") or service.email,
        opening_hours=_lines(page.opening_hours) if page else [],
    )


def service_head(service: Service) -> Agent | None:
    """The head of the service: an active agent whose profile steers it (DPIP, directeur de
    greffe), the longest-serving first so that the signature does not change every day."""
    return (
        Agent.objects.filter(
            service=service,
            is_active=True,
            profile__capabilities__contains=[Capability.VIEW_SERVICE_STATISTICS],
        )
        .select_related("profile")
        .order_by("date_joined", "pk")
        .first()
    )


def signatory(service: Service, agent: Agent | None = None) -> Signatory:
    """The signing agent (name and function), else the service head, else the service."""
    usable = agent is not None and agent.is_active and agent.service_id == service.pk
    signer = agent if usable else service_head(service)
    if signer is None:
        return Signatory(name="", function=f"Pour le service {service.name}")
    return Signatory(name=signer.full_name, function=f"{signer.profile.label}, {service.name}")
