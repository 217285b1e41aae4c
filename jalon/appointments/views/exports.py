"""CSV exports of the lists agents print: an agenda's day list, the statut inconnu queue.

Same scope as the pages (loaded through the access layer, the agent's service), a fixed
number of queries, one history event per export (which list, how many rows) and the reads of
the persons listed, as the printed day list records them.
"""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agenda
from jalon.access.rules import appointments as rules
from jalon.appointments.models import Appointment
from jalon.core import csvsafe
from jalon.core.dates import local_now
from jalon.history.actions import record, record_person_read

DAY_HEADER = [
    "Date",
    "Début",
    "Fin",
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Type de convocation",
    "Statut",
    "Téléphone portable",
    "Numéro de parquet",
    "Agent",
]
QUEUE_HEADER = [
    "Date",
    "Heure",
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Type de convocation",
    "Agenda",
    "Agent",
]


def _hour(moment: time) -> str:
    return moment.strftime("%H:%M")


def agenda_day_csv(request: AgentRequest, agenda_id: int) -> HttpResponse:
    """The day list of one agenda, as the printed one (cancelled convocations left out)."""
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    time_zone = agenda.place.service.time_zone
    raw = request.GET.get("date", "")
    try:
        chosen = date.fromisoformat(raw) if raw else local_now(time_zone).date()
    except ValueError:
        messages.error(request, "Date invalide : choisissez un jour au format JJ/MM/AAAA.")
        return redirect("agenda_list")
    appointments = list(
        Appointment.objects.with_details()
        .on_local_day(chosen, time_zone)
        .filter(agenda=agenda)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )
    rows = [
        [
            csvsafe.french_date(appointment.local_start.date()),
            _hour(appointment.local_start.time()),
            _hour(appointment.local_end.time()),
            appointment.person.last_name,
            appointment.person.first_names,
            csvsafe.french_date(appointment.person.birth_date),
            appointment.appointment_type.label,
            appointment.get_status_display(),
            appointment.person.phone_display,
            appointment.prosecution_number_display,
            appointment.assigned_agent.full_name if appointment.assigned_agent else "",
        ]
        for appointment in appointments
    ]
    record(
        "export.csv",
        actor=agent,
        target=agenda,
        details={"export": "agenda_day", "day": chosen.isoformat(), "rows": len(rows)},
    )
    record_person_read("agenda_day_csv", actor=agent, persons=[a.person for a in appointments])
    return csvsafe.download(
        csvsafe.for_excel(DAY_HEADER, rows), f"liste-du-jour-{agenda.pk}-{chosen.isoformat()}.csv"
    )


def unknown_status_csv(request: AgentRequest) -> HttpResponse:
    """The statut inconnu queue of the agent's service (``?moi=1``: their own), all pages."""
    agent = request.agent
    mine = request.GET.get("moi") == "1"
    queue = rules.unknown_status_queue(agent, mine=mine)
    appointments = list(queue)
    rows = [
        [
            csvsafe.french_date(appointment.local_start.date()),
            _hour(appointment.local_start.time()),
            appointment.person.last_name,
            appointment.person.first_names,
            csvsafe.french_date(appointment.person.birth_date),
            appointment.appointment_type.label,
            appointment.agenda.name,
            appointment.assigned_agent.full_name if appointment.assigned_agent else "",
        ]
        for appointment in appointments
    ]
    record(
        "export.csv",
        actor=agent,
        target=agent.service,
        details={"export": "unknown_status", "mine": mine, "rows": len(rows)},
    )
    record_person_read("unknown_status_csv", actor=agent, persons=[a.person for a in appointments])
    today = local_now(agent.service.time_zone).date().isoformat()
    return csvsafe.download(csvsafe.for_excel(QUEUE_HEADER, rows), f"statut-inconnu-{today}.csv")
