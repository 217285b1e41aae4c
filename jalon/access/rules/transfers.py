"""Who asks for and answers transfers of follow-up between services (dessaisissement, MSJ-36).

MSJ gives divestments to ``DIVESTMENT_ROLES`` (local_admin, greff_sap, jap, dir_greff_sap,
secretary_spip) of the organisations concerned (MSJ-ROLES §2.3). Jalon adds the DPIP (who
runs the SPIP's follow-up) and the directeur de greffe BEX (a BEX that registered a person
at the hearing follows them and must be able to answer). National admins act everywhere,
for any service.

Anybody of the requesting service or of an asked service reads the request and its
timeline; other agents get 404. A service of another ressort finds the person to ask for
only by an exact key (APPI number, or last name, first names and birth date): it learns
the identity it typed and the names of the following services, as the national duplicate
check already shows, and nothing of the person's file before the transfer is accepted.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import ServiceKind
from jalon.access.rules import is_national_admin, service_administrator_emails
from jalon.access.rules.people import persons_visible_to
from jalon.core.text import name_key
from jalon.people.models import Person, PersonQuerySet, normalize_appi
from jalon.transfers.models import Transfer, TransferAnswer, TransferQuerySet

# Profiles that ask for and answer transfers for their own service.
TRANSFER_PROFILE_CODES = frozenset(
    {"local_admin", "dpip", "secretary_spip", "jap", "greff_sap", "dir_greff_sap", "dir_greff_bex"}
)


def handles_transfers(agent: Agent) -> bool:
    """National admins, and the transfer profiles above for their own service."""
    return agent.is_active and (
        is_national_admin(agent) or agent.profile.code in TRANSFER_PROFILE_CODES
    )


def requesting_services(agent: Agent) -> QuerySet[Service]:
    """Services in whose name ``agent`` asks: their own; any active one for national admins."""
    if not handles_transfers(agent):
        return Service.objects.none()
    if is_national_admin(agent):
        return Service.objects.filter(is_active=True, uses_platform=True).exclude(
            kind=ServiceKind.NATIONAL
        )
    return Service.objects.filter(pk=agent.service_id, is_active=True)


def can_request_transfers(agent: Agent) -> bool:
    """Open the request screen: transfer profiles and national admins."""
    return handles_transfers(agent)


def can_request_transfer(agent: Agent, person: Person, service: Service | None = None) -> bool:
    """Ask for ``person`` in the name of ``service`` (the agent's own by default).

    The service must not already follow the person (``person.follows`` prefetched).
    """
    if not can_request_transfers(agent):
        return False
    if service is None:
        if is_national_admin(agent):
            return True
        service = agent.service
    if not requesting_services(agent).filter(pk=service.pk).exists():
        return False
    return all(follow.service_id != service.pk for follow in person.follows.all())


def transfer_candidates(
    agent: Agent,
    *,
    appi_number: str = "",
    last_name: str = "",
    first_names: str = "",
    birth_date: date | None = None,
) -> PersonQuerySet:
    """Persons, nationwide, matching an exact key typed by an agent who may ask for transfers.

    The APPI number alone, or last name, first names and birth date together (normalised
    keys, as the duplicate check). Nothing for a partial key: no browsing other ressorts.
    """
    if not can_request_transfers(agent):
        return Person.objects.none()
    if appi_number.strip():
        return Person.objects.filter(appi_number=normalize_appi(appi_number))
    if last_name.strip() and first_names.strip() and birth_date is not None:
        return Person.objects.filter(
            last_name_key=name_key(last_name),
            first_names_key=name_key(first_names),
            birth_date=birth_date,
        )
    return Person.objects.none()


def persons_for_transfer(agent: Agent, **key: object) -> PersonQuerySet:
    """Persons the agent may ask for: those they see, plus the exact matches of ``key``."""
    if not can_request_transfers(agent):
        return Person.objects.none()
    visible = persons_visible_to(agent).values("pk")
    matched = transfer_candidates(agent, **key).values("pk")  # type: ignore[arg-type]
    return Person.objects.filter(Q(pk__in=visible) | Q(pk__in=matched))


def transfers_visible_to(agent: Agent) -> TransferQuerySet:
    """Requests of the agent's service or asked of it; all of them for national admins."""
    if not agent.is_active:
        return Transfer.objects.none()
    if is_national_admin(agent):
        return Transfer.objects.all()
    asked = TransferAnswer.objects.filter(transfer=OuterRef("pk"), service_id=agent.service_id)
    return Transfer.objects.filter(Q(requesting_service_id=agent.service_id) | Exists(asked))


def incoming_transfers(agent: Agent) -> TransferQuerySet:
    """Requests asked of the agent's service (every request for national admins)."""
    if not agent.is_active:
        return Transfer.objects.none()
    if is_national_admin(agent):
        return Transfer.objects.all()
    asked = TransferAnswer.objects.filter(transfer=OuterRef("pk"), service_id=agent.service_id)
    return Transfer.objects.filter(Exists(asked))


def outgoing_transfers(agent: Agent) -> TransferQuerySet:
    """Requests made by the agent's service (every request for national admins)."""
    if not agent.is_active:
        return Transfer.objects.none()
    if is_national_admin(agent):
        return Transfer.objects.all()
    return Transfer.objects.filter(requesting_service_id=agent.service_id)


def waiting_answers(agent: Agent) -> QuerySet[TransferAnswer]:
    """Pending answers of the agent's service (all pending answers for national admins)."""
    answers = TransferAnswer.objects.filter(
        status=TransferAnswer.Status.PENDING, transfer__status=Transfer.Status.PENDING
    )
    if not agent.is_active:
        return answers.none()
    if is_national_admin(agent):
        return answers
    return answers.filter(service_id=agent.service_id)


def can_answer_transfer(agent: Agent, answer: TransferAnswer) -> bool:
    """Accept or refuse for the asked service: its transfer profiles; national admins."""
    if not (answer.is_pending and answer.transfer.is_pending and handles_transfers(agent)):
        return False
    return is_national_admin(agent) or answer.service_id == agent.service_id


def answerable(agent: Agent, transfer: Transfer) -> list[TransferAnswer]:
    """The pending answers ``agent`` may give (``transfer.answers`` prefetched)."""
    return [answer for answer in transfer.answers.all() if can_answer_transfer(agent, answer)]


def can_cancel_transfer(agent: Agent, transfer: Transfer) -> bool:
    """Withdraw a pending request: transfer profiles of the requesting service; national admins."""
    if not (transfer.is_pending and handles_transfers(agent)):
        return False
    return is_national_admin(agent) or transfer.requesting_service_id == agent.service_id


def can_open_person(agent: Agent, transfer: Transfer) -> bool:
    """Whether the request page links to the person's file (only when the agent sees it)."""
    return persons_visible_to(agent).filter(pk=transfer.person_id).exists()


def notice_emails(service: Service) -> list[str]:
    """Where notices about a transfer go: the service's address and its administrators."""
    return [service.email, *service_administrator_emails(service)]
