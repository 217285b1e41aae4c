"""What the SMS of a convocation says, and whether it is still worth sending: read when the
message leaves. Registered with the SMS package, which sits below this app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jalon.appointments.models import Appointment, AppointmentType
from jalon.core import links
from jalon.sms import content
from jalon.sms.models import Message, MessageKind
from jalon.sms.text import convocation_values

Status = Appointment.Status
# The convocation status each kind of SMS is about; it must still hold when the SMS leaves.
STATUS_FOR_KIND = {
    MessageKind.CONVOCATION: Status.BOOKED,
    MessageKind.REMINDER: Status.BOOKED,
    MessageKind.RESCHEDULE: Status.BOOKED,
    MessageKind.CANCELLATION: Status.CANCELLED,
    MessageKind.MISSED: Status.MISSED,
}


# Kinds whose {lien} is the person's own link to the convocation (docs/public.md): it opens
# after a birth-date check, to add to a calendar, confirm, or ask to move it. The others
# (cancellation, missed) link to the service's public page.
PERSONAL_LINK_KINDS = frozenset(
    {MessageKind.CONVOCATION, MessageKind.REMINDER, MessageKind.RESCHEDULE}
)


def public_link(appointment: Appointment) -> str:
    """The service's public page (MSJ-49), when a public site is configured."""
    return links.service_page_url(appointment.service_id)


def _appointment(message: Message) -> Appointment:
    """A convocation's SMS always has its convocation (only the space's messages have none,
    and they never reach this module)."""
    assert message.appointment is not None
    return message.appointment


def link_for(message: Message) -> str:
    appointment = _appointment(message)
    if message.kind in PERSONAL_LINK_KINDS:
        return links.convocation_url(appointment.pk)
    return public_link(appointment)


def values_for(message: Message) -> Mapping[str, str]:
    """Read from ``message.appointment``: load it with its type and place to save queries."""
    appointment = _appointment(message)
    place = appointment.agenda.place
    return convocation_values(
        type_label=appointment.appointment_type.label,
        starts_at_local=appointment.local_start,
        place_name=place.name,
        address=place.address,
        contact=place.contact,
        link=link_for(message),
    )


def send_time_objection(message: Message, moment: datetime) -> str | None:
    """Why the SMS must not leave at ``moment``: its convocation changed, or has begun
    (only the "missed" SMS is about a convocation in the past)."""
    appointment = _appointment(message)
    expected = STATUS_FOR_KIND[MessageKind(message.kind)]
    if appointment.status != expected:
        return f"La convocation est désormais « {appointment.get_status_display().lower()} »."
    if message.kind != MessageKind.MISSED and appointment.starts_at <= moment:
        return "La convocation aura déjà commencé."
    return None


def types_for_templates(service_kind: str | None) -> list[Any]:
    """The active convocation types (those a kind of service receives people for)."""
    types = AppointmentType.objects.filter(is_active=True).order_by("position", "label")
    if service_kind is not None:
        types = types.filter(service_kinds__contains=[service_kind])
    return list(types)


def cancellation_sms_preview(appointment: Appointment) -> str:
    """The cancellation SMS the person would receive now, or "" when they take no SMS."""
    if not appointment.person.can_receive_sms:
        return ""
    return content.preview(
        Message(
            kind=MessageKind.CANCELLATION,
            appointment=appointment,
            person=appointment.person,
            service=appointment.service,
            phone=appointment.person.phone or "",
        )
    )
