"""Printable convocation documents: the letter (MSJ-42), the day list and the ICS file.

Laid out by ``jalon.core.pdf`` (the hearing convocation of ``cases`` uses it too).

Only the paper letter is a convocation; the SMS reminder and the calendar file are
courtesies. Dates and times are always written in the receiving service's time zone,
in French words that do not depend on the system locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import icalendar

from jalon.access import letters
from jalon.access.roles import ServiceKind
from jalon.core.dates import (
    french_date,
    french_datetime,
    french_numeric_date,
    french_time,
    local_now,
)
from jalon.core.pdf import one_page_pdf, write_pdf
from jalon.people import postal

if TYPE_CHECKING:
    from jalon.access.models import Service
    from jalon.appointments.models import Agenda, Appointment, Place, Slot

DATA_PROTECTION_NOTICE = (
    "Vos données sont traitées par le ministère de la Justice pour le suivi de votre mesure "
    "(directive (UE) 2016/680 « Police-Justice »). Vous pouvez exercer vos droits "
    "d’information, d’accès, de rectification et d’effacement auprès du service qui vous "
    "suit ; le droit d’opposition ne s’applique pas."
)
SMS_NOTICE = (
    "Si vous avez donné un numéro de téléphone portable, vous recevrez un rappel par SMS : "
    "ce rappel est une simple courtoisie. Seule la présente lettre vaut convocation."
)

# What happens when the person does not come, by the service that convokes (to be checked by a
# jurist: see the report of the branch that wrote them).
# SPIP: art. 132-44 1° of the code pénal makes answering the convocations of the JAP or of the
# probation officer a control measure of every probation; art. 712-17 CPP lets the JAP issue a
# warrant against a sentenced person who breaks their obligations.
NON_APPEARANCE_SPIP = (
    "Répondre aux convocations du service pénitentiaire d’insertion et de probation est une "
    "obligation de votre mesure (article 132-44 du code pénal). Si vous ne vous présentez pas "
    "sans motif légitime, le juge de l’application des peines en sera informé : il peut "
    "révoquer la mesure ou le sursis et décerner un mandat d’amener ou d’arrêt (article 712-17 "
    "du code de procédure pénale)."
)
# SAP: the same control measure towards the JAP; for a sentence to be adjusted, art. 723-15-2
# CPP: a person who does not come without a legitimate reason has the sentence enforced.
NON_APPEARANCE_SAP = (
    "Répondre aux convocations du juge de l’application des peines est une obligation "
    "(article 132-44 du code pénal). Si vous ne vous présentez pas sans motif légitime, le juge "
    "pourra statuer en votre absence, décerner un mandat d’amener ou d’arrêt (article 712-17 du "
    "code de procédure pénale) ou, si votre peine devait être aménagée, informer le procureur "
    "de la République, qui la fera exécuter (article 723-15-2 du même code)."
)
NON_APPEARANCE_OTHER = (
    "Si vous ne vous présentez pas sans motif légitime, l’autorité judiciaire en sera informée."
)

ICS_PRODID = "-//Jalon//Convocations//FR"


def _address_lines(address: str) -> list[str]:
    return [line.strip() for line in address.splitlines() if line.strip()]


# --- Letter -------------------------------------------------------------------------------


def non_appearance_notice(service: Service) -> str:
    """What the letter says happens if the person does not come, by the convoking service."""
    if service.is_spip:
        return NON_APPEARANCE_SPIP
    if service.kind == ServiceKind.SAP:
        return NON_APPEARANCE_SAP
    return NON_APPEARANCE_OTHER


def letter_context(appointment: Appointment) -> dict[str, Any]:
    service = appointment.service
    place: Place = appointment.agenda.place
    person = appointment.person
    start = appointment.local_start
    return {
        "sender": letters.sender(service, fallback_address=place.address),
        "signatory": letters.signatory(service, appointment.assigned_agent),
        "recipient_name": postal.recipient_name(person),
        "recipient_lines": postal.postal_address_lines(person),
        "non_appearance": non_appearance_notice(service),
        "appointment": appointment,
        "service": service,
        "place": place,
        "person": person,
        "type": appointment.appointment_type,
        "starts_on": french_datetime(start),
        "birth_date": french_numeric_date(person.birth_date),
        "contact": place.contact,
        "written_on": french_date(local_now(service.time_zone).date()),
        "data_protection_notice": DATA_PROTECTION_NOTICE,
        "sms_notice": SMS_NOTICE,
    }


def convocation_letter_pdf(appointment: Appointment) -> bytes:
    """The one-page A4 convocation letter, the only document with legal value (MSJ-42)."""
    return one_page_pdf("appointments/print/letter.html", letter_context(appointment))


# --- Day list -----------------------------------------------------------------------------


def agenda_day_pdf(agenda: Agenda, day: date, appointments: Iterable[Appointment]) -> bytes:
    """The printable list of one agenda's convocations on ``day`` (already filtered, ordered)."""
    place = agenda.place
    service = place.service
    rows = [
        {
            "start": french_time(appointment.local_start.time()),
            "end": french_time(appointment.local_end.time()),
            "person": appointment.person,
            "birth_date": french_numeric_date(appointment.person.birth_date),
            "type": appointment.appointment_type.label,
            "status": appointment.get_status_display(),
            "phone": appointment.person.phone_display,
            "prosecution_number": appointment.prosecution_number_display,
        }
        for appointment in appointments
    ]
    printed_at = local_now(service.time_zone)
    context = {
        "agenda": agenda,
        "place": place,
        "service": service,
        "day": french_date(day),
        "rows": rows,
        "printed_at": french_datetime(printed_at),
    }
    return write_pdf("appointments/print/day.html", context)


def agenda_slots_day_pdf(agenda: Agenda, day: date, slots: Iterable[Slot]) -> bytes:
    """The printable day of an agenda's slots: places, state and who is convoked.

    ``slots`` carry their convocations (``held``) and whether the reader may see names
    (``show_names``, decided by the access rules); hidden names print as a count.
    """
    place = agenda.place
    service = place.service
    rows = [
        {
            "start": french_time(slot.local_start.time()),
            "end": french_time(slot.local_end.time()),
            "type": slot.appointment_type.label,
            "places": f"{slot.booked_count} / {slot.capacity}",
            "closed": "" if slot.is_open else (slot.closed_reason or "fermé"),
            "show_names": getattr(slot, "show_names", False),
            "persons": [
                {
                    "name": f"{appointment.person.last_name} {appointment.person.first_names}",
                    "birth_date": french_numeric_date(appointment.person.birth_date),
                    "status": appointment.get_status_display(),
                    "prosecution_number": appointment.prosecution_number_display,
                }
                for appointment in getattr(slot, "held", [])
            ],
        }
        for slot in slots
    ]
    printed_at = local_now(service.time_zone)
    context = {
        "agenda": agenda,
        "place": place,
        "service": service,
        "day": french_date(day),
        "rows": rows,
        "printed_at": french_datetime(printed_at),
    }
    return write_pdf("appointments/calendar/print_day.html", context)


# --- iCalendar ----------------------------------------------------------------------------


def _ics_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def appointment_ics(appointment: Appointment, *, now: datetime | None = None) -> str:
    """An iCalendar file for the person's own calendar: no name, birth date or case number."""
    place = appointment.agenda.place
    kind = appointment.appointment_type
    location = ", ".join([place.name, *_address_lines(place.address)])
    description = [
        f"Convocation du {french_datetime(appointment.local_start)} ({appointment.service.name}).",
        "Seule la convocation papier fait foi.",
    ]
    if place.contact:
        description.append(f"En cas d’empêchement, contactez : {place.contact}")
    if kind.what_to_bring:
        description.append(f"Documents à apporter : {kind.what_to_bring}")
    if place.accessibility_notes:
        description.append(f"Accès : {place.accessibility_notes}")
    cancelled = appointment.status == appointment.Status.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", ICS_PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", appointment.service.time_zone)
    event = icalendar.Event()
    event.add("uid", f"appointment-{appointment.pk}@jalon")
    event.add("dtstamp", _ics_utc(now or datetime.now(tz=UTC)))
    event.add("dtstart", _ics_utc(appointment.starts_at))
    event.add("dtend", _ics_utc(appointment.ends_at))
    event.add("summary", f"Convocation : {kind.label}")
    event.add("location", location)
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical().decode()
