"""Changes to persons: each in one transaction, with its history event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.history.actions import record
from jalon.people.duplicates import DuplicateReport, find_duplicates
from jalon.people.models import Follow, Person

EDITABLE_FIELDS = (
    "last_name",
    "first_names",
    "birth_date",
    "appi_number",
    "phone",
    "has_no_mobile",
    "refuses_sms",
    "homeless",
    "lives_abroad",
    "landline",
    "email",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "lawyer",
    "referent",
)
# Contact details: None in an ``Identity`` means "not asked" (the record keeps its value).
CONTACT_FIELDS = (
    "landline",
    "email",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "lawyer",
)


class DuplicatePersonError(Exception):
    """The person is, or may be, already registered; ``report`` says who and why."""

    def __init__(self, report: DuplicateReport) -> None:
        super().__init__("Personne peut-être déjà enregistrée.")
        self.report = report


@dataclass
class Identity:
    last_name: str
    first_names: str
    birth_date: date
    appi_number: str | None = None
    phone: str | None = None
    has_no_mobile: bool = False
    refuses_sms: bool = False
    homeless: bool = False
    lives_abroad: bool = False
    referent: Agent | None = None
    landline: str | None = None
    email: str | None = None
    address: str | None = None
    address_complement: str | None = None
    postal_code: str | None = None
    city: str | None = None
    lawyer: str | None = None

    def values(self) -> dict[str, Any]:
        """The fields to write: contact details left at None are not written."""
        return {
            name: value
            for name, value in self.__dict__.items()
            if value is not None or name not in CONTACT_FIELDS
        }


def _unique_violation(error: IntegrityError) -> ValidationError:
    text = str(error)
    if "person_phone_unique" in text:
        return ValidationError({"phone": "Ce numéro de téléphone est déjà enregistré."})
    if "person_appi_unique" in text:
        return ValidationError({"appi_number": "Ce numéro APPI est déjà enregistré."})
    raise error


def follow(person: Person, service: Service) -> None:
    """Make ``service`` follow ``person`` (idempotent: one insert, ignored when it does)."""
    Follow.objects.bulk_create([Follow(person=person, service=service)], ignore_conflicts=True)


def _lock_id(text: str) -> int:
    """A signed 64-bit advisory lock id for ``text`` (collisions only serialise more)."""
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


def lock_identity(person: Person) -> None:
    """Serialise registrations of the same identity until the transaction ends.

    Without it, agents registering one person at the same moment all run the duplicate
    lookup before any of them commits, and each creates a record. The keys are the
    normalised names (in either order) with the birth date, and the phone and APPI number
    when given; locks are taken in a fixed order, so two registrations sharing several keys
    cannot deadlock.
    """
    names = sorted((person.last_name_key, person.first_names_key))
    keys = {f"identity:{names[0]}|{names[1]}|{person.birth_date.isoformat()}"}
    if person.phone:
        keys.add(f"phone:{person.phone}")
    if person.appi_number:
        keys.add(f"appi:{person.appi_number}")
    with connection.cursor() as cursor:
        for lock in sorted(_lock_id(key) for key in keys):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])


@transaction.atomic
def register_person(*, agent: Agent, identity: Identity, confirm_probable: bool = False) -> Person:
    """Create a person followed by the agent's service, after looking for duplicates.

    The same APPI number or phone always refuses; a probable match refuses unless the
    agent confirmed ("créer quand même"), which the history records with the matches.
    """
    person = Person(**identity.values(), created_by=agent)
    person.normalize()
    lock_identity(person)
    report = find_duplicates(
        last_name=person.last_name,
        first_names=person.first_names,
        birth_date=person.birth_date,
        appi_number=person.appi_number,
        phone=person.phone,
    )
    if report.blocks or (report.warns and not confirm_probable):
        raise DuplicatePersonError(report)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:
        raise _unique_violation(error) from None
    follow(person, agent.service)
    details: dict[str, Any] = {"service": agent.service.name}
    if report.warns:
        details["confirmed_despite"] = [candidate.pk for candidate in report.probable]
    record("person.created", actor=agent, target=person, details=details)
    return person


@transaction.atomic
def update_person(*, agent: Agent, person: Person, identity: Identity) -> list[str]:
    """Save the changed fields; the history lists which ones changed (not their values)."""
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    for name, value in identity.values().items():
        setattr(person, name, value)
    before = Person.objects.get(pk=person.pk)
    person.normalize()
    changed = [
        name
        for name in EDITABLE_FIELDS
        if getattr(before, name if name != "referent" else "referent_id")
        != getattr(person, name if name != "referent" else "referent_id")
    ]
    if not changed:
        return []
    report = find_duplicates(
        last_name=person.last_name,
        first_names=person.first_names,
        birth_date=person.birth_date,
        appi_number=person.appi_number if "appi_number" in changed else None,
        phone=person.phone if "phone" in changed else None,
        exclude_pk=person.pk,
    )
    if report.blocks:
        raise DuplicatePersonError(DuplicateReport(certain=report.certain))
    try:
        with transaction.atomic():
            person.save(update_fields=changed)
    except IntegrityError as error:
        raise _unique_violation(error) from None
    record("person.updated", actor=agent, target=person, details={"fields": changed})
    return changed


@transaction.atomic
def archive_person(*, agent: Agent, person: Person) -> None:
    """Archive: no new convocation; future planned convocations stay for the agent to cancel."""
    updated = Person.objects.filter(pk=person.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    if updated:
        person.refresh_from_db(fields=["archived_at"])
        record("person.archived", actor=agent, target=person)


@transaction.atomic
def unarchive_person(*, agent: Agent, person: Person) -> None:
    updated = Person.objects.filter(pk=person.pk, archived_at__isnull=False).update(
        archived_at=None
    )
    if updated:
        person.archived_at = None
        record("person.unarchived", actor=agent, target=person)


@transaction.atomic
def set_sms_refusal(*, person: Person, refused: bool, agent: Agent | None, source: str) -> bool:
    """Tick or untick "refuse les SMS" (MSJ-58, MSJ-60); ``source`` says how (STOP, link, agent)."""
    updated = Person.objects.filter(pk=person.pk, refuses_sms=not refused).update(
        refuses_sms=refused
    )
    if updated:
        person.refuses_sms = refused
        record(
            "person.sms_refused" if refused else "person.sms_accepted",
            actor=agent,
            target=person,
            details={"source": source},
        )
    return bool(updated)
