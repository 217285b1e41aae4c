"""What the SMS of a convocation says: its values, read when the message leaves."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from jalon.appointments.models import Appointment
from jalon.sms.models import Message
from jalon.sms.text import convocation_values


def public_link(appointment: Appointment) -> str:
    """The service's public page (MSJ-49), when a public site is configured."""
    base = settings.JALON_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/s/{appointment.service_id}" if base else ""


def values_for(message: Message) -> Mapping[str, str]:
    """Read from ``message.appointment``: load it with its type and place to save queries."""
    appointment = message.appointment
    place = appointment.agenda.place
    return convocation_values(
        type_label=appointment.appointment_type.label,
        starts_at_local=appointment.local_start,
        place_name=place.name,
        address=place.address,
        contact=place.contact,
        link=public_link(appointment),
    )
