"""Local administration of convocation places and their agendas (MSJ-28): create, edit, deactivate.

Like ``actions.py``: each action checks who may act (``access/rules/places.py``), locks the
row it changes, writes its history event in the same transaction and raises
``ValidationError`` with French messages keyed by form field. Nothing is half-applied.

Deactivating an agenda, or a place, that still holds planned future convocations is
refused: the agent cancels or reschedules them first (the message says how many and the
first date). Its slots and recurring patterns stay; an inactive agenda is neither bookable
nor generated (``slots.generating_patterns``), and reactivating it brings them back.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.access.rules import places as rules
from jalon.appointments.models import Agenda, Appointment, Place
from jalon.core.dates import french_numeric_datetime
from jalon.history.actions import record

PLACE_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "preferred_contact",
    "info_url",
    "accessibility_notes",
    "is_active",
)
PLACE_NAME_TAKEN = "Ce service a déjà un lieu de ce nom."
AGENDA_NAME_TAKEN = "Ce lieu a déjà un agenda de ce nom."


def _check_place_values(service: Service, values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values, or a ``ValidationError`` naming every wrong field."""
    values = {name: values.get(name, "") for name in PLACE_FIELDS if name in values}
    for name in ("name", "address", "phone", "email", "info_url", "accessibility_notes"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    errors: dict[str, str] = {}
    if not values.get("name"):
        errors["name"] = "Indiquez le nom du lieu."
    if not values.get("address"):
        errors["address"] = "Indiquez l’adresse du lieu."
    phone = values.get("phone", "")
    if phone:
        try:
            number = phonenumbers.parse(phone, service.phone_region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            errors["phone"] = (
                "Ce numéro de téléphone n’est pas valide (par exemple 01 23 45 67 89)."
            )
        else:
            values["phone"] = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.NATIONAL
            )
    preferred = values.get("preferred_contact")
    if preferred == Place.Contact.EMAIL and not values.get("email"):
        errors["email"] = "Indiquez l’adresse électronique : c’est le contact à privilégier."
    if preferred == Place.Contact.PHONE and not phone and "phone" not in errors:
        errors["phone"] = "Indiquez le téléphone : c’est le contact à privilégier."
    if errors:
        raise ValidationError(errors)
    return values


def _future_bookings(agendas: Any) -> tuple[int, Appointment | None]:
    planned = (
        Appointment.objects.booked()
        .filter(agenda__in=agendas, starts_at__gt=timezone.now())
        .select_related("service")
        .order_by("starts_at", "pk")
    )
    return planned.count(), planned.first()


def _refuse_with_bookings(what: str, count: int, first: Appointment | None) -> None:
    if count and first is not None:
        raise ValidationError(
            {
                "is_active": (
                    f"{what} a encore {count} convocation(s) planifiée(s) à venir "
                    f"(la première le {french_numeric_datetime(first.local_start)}) : annulez-les ou "
                    "replanifiez-les avant de le désactiver."
                )
            }
        )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"before": before[name], "after": after[name]}
        for name in after
        if before.get(name) != after[name]
    }


@transaction.atomic
def create_place(*, agent: Agent, service: Service, **values: Any) -> Place:
    """A new convocation place of ``service``."""
    if not rules.services_for_places(agent).filter(pk=service.pk).exists():
        raise PermissionDenied
    cleaned = _check_place_values(service, values)
    try:
        with transaction.atomic():
            place = Place.objects.create(service=service, **cleaned)
    except IntegrityError:
        raise ValidationError({"name": PLACE_NAME_TAKEN}) from None
    record(
        "place.created",
        actor=agent,
        target=place,
        details={"service": service.pk, "name": place.name},
    )
    return place


@transaction.atomic
def update_place(*, agent: Agent, place: Place, **values: Any) -> Place:
    """Change a place's details; deactivating is refused while it holds future convocations."""
    place = Place.objects.select_for_update(of=("self",)).select_related("service").get(pk=place.pk)
    if not rules.can_administer_place(agent, place):
        raise PermissionDenied
    cleaned = _check_place_values(place.service, values)
    before = {name: getattr(place, name) for name in cleaned}
    if before.get("is_active") and cleaned.get("is_active") is False:
        count, first = _future_bookings(Agenda.objects.filter(place=place))
        _refuse_with_bookings("Ce lieu", count, first)
    changes = _changes(before, cleaned)
    if not changes:
        return place
    for name, value in cleaned.items():
        setattr(place, name, value)
    try:
        with transaction.atomic():
            place.save(update_fields=list(changes))
    except IntegrityError:
        raise ValidationError({"name": PLACE_NAME_TAKEN}) from None
    record("place.changed", actor=agent, target=place, details={"changes": changes})
    return place


@transaction.atomic
def create_agenda(*, agent: Agent, place: Place, name: str) -> Agenda:
    """A new agenda (a diary: a JAP chamber, a CPIP team, a tag-fitting round) of ``place``."""
    place = Place.objects.select_for_update(of=("self",)).select_related("service").get(pk=place.pk)
    if not rules.can_administer_place(agent, place):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Indiquez le nom de l’agenda."})
    if not place.is_active:
        raise ValidationError("Ce lieu est désactivé : réactivez-le avant d’y ouvrir un agenda.")
    try:
        with transaction.atomic():
            agenda = Agenda.objects.create(place=place, name=name)
    except IntegrityError:
        raise ValidationError({"name": AGENDA_NAME_TAKEN}) from None
    record("agenda.created", actor=agent, target=agenda, details={"place": place.pk, "name": name})
    return agenda


@transaction.atomic
def update_agenda(*, agent: Agent, agenda: Agenda, name: str, is_active: bool) -> Agenda:
    """Rename, deactivate or reactivate an agenda.

    Deactivating is refused while it holds planned future convocations (cancel or move them
    first); reactivating needs an active place.
    """
    agenda = (
        Agenda.objects.select_for_update(of=("self",))
        .select_related("place__service")
        .get(pk=agenda.pk)
    )
    if not rules.can_administer_agenda(agent, agenda):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Indiquez le nom de l’agenda."})
    if agenda.is_active and not is_active:
        count, first = _future_bookings([agenda.pk])
        _refuse_with_bookings("Cet agenda", count, first)
    if is_active and not agenda.is_active and not agenda.place.is_active:
        raise ValidationError(
            {"is_active": "Le lieu de cet agenda est désactivé : réactivez d’abord le lieu."}
        )
    changes = _changes(
        {"name": agenda.name, "is_active": agenda.is_active}, {"name": name, "is_active": is_active}
    )
    if not changes:
        return agenda
    agenda.name, agenda.is_active = name, is_active
    try:
        with transaction.atomic():
            agenda.save(update_fields=list(changes))
    except IntegrityError:
        raise ValidationError({"name": AGENDA_NAME_TAKEN}) from None
    record("agenda.changed", actor=agent, target=agenda, details={"changes": changes})
    return agenda
